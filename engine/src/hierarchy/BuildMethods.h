// The ways build_hierarchy can build (engine-internal; the bench compares them on Fashion-MNIST's
// CHOOSE half and build_hierarchy uses the winner, kDefaultBuild).
//  * KMeans: top-down spherical k-means to groups of at most leaf_group (HierarchyBuild.cpp).
//  * Hybrid: spherical k-means only down to blocks of at most `block` images, exact agglomerative
//    clustering (Agglomerative.h) of the near-duplicate sets and images inside each block and of
//    the blocks above them, the binary tree then compressed to at most `branching` children per
//    group (HybridBuild.cpp).
#pragma once

#include "hierarchy/Agglomerative.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv::hierarchy_build {

enum class Method { KMeans, Hybrid };

struct BuildOptions {
    Method method = Method::Hybrid;
    cluster::Linkage linkage = cluster::Linkage::Average;
    int block = 1024;  // Hybrid: k-means splits groups larger than this
    bool open_largest = false;  // Hybrid compression: open the part of most images (else of largest merge distance)
};

// What build_hierarchy uses.
BuildOptions default_build();

[[nodiscard]] Result<Hierarchy> build_with(std::span<const float> features, std::span<const std::int64_t> file_ids,
                                           int dim, const HierarchyParams& params, const BuildOptions& options,
                                           const std::atomic<bool>& cancel, const HierarchyProgress& progress = {});

// The two methods, after check_input (n >= 1).
[[nodiscard]] Result<Hierarchy> build_kmeans(std::span<const float> features, std::span<const std::int64_t> file_ids,
                                             int dim, const HierarchyParams& params, const BuildOptions& options,
                                             const std::atomic<bool>& cancel,
                                             const HierarchyProgress& progress);
[[nodiscard]] Result<Hierarchy> build_hybrid(std::span<const float> features, std::span<const std::int64_t> file_ids,
                                             int dim, const HierarchyParams& params, const BuildOptions& options,
                                             const std::atomic<bool>& cancel, const HierarchyProgress& progress);

}  // namespace rv::hierarchy_build
