// What the hierarchy's builds (HierarchyBuild.cpp, HybridBuild.cpp) share: the working copy of
// the features, whose groups are contiguous row ranges, and the steps on a range.
// Engine-internal; each function touches only the rows of its range (so ranges run in parallel).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ruvision/engine/Hierarchy.h"

namespace rv::hierarchy_build {

// Two views of the features: `x`, the space groups and near-duplicates are found in (TreeOps.h
// mean_free with the features' unit mean direction, which is the root's centroid), permuted as
// groups are split; and the caller's features themselves (`input`, through orig and inv_norm),
// for what Hierarchy.h defines by the features' own cosine: centroids and medoids.
struct Work {
    std::vector<float> x;            // n x dim, mean_free rows (unit, or zero), permuted as groups are split
    std::vector<std::size_t> orig;   // the input row of each working row
    std::size_t dim = 0;
    const float* input = nullptr;    // the caller's n x dim features (outlive the Work)
    std::vector<float> inv_norm;     // 1 / length of each input row
    float* row(std::size_t i) { return x.data() + i * dim; }
    const float* row(std::size_t i) const { return x.data() + i * dim; }
    // Working row i's own feature (not unit: multiply by raw_scale(i)).
    const float* raw(std::size_t i) const { return input + orig[i] * dim; }
    float raw_scale(std::size_t i) const { return inv_norm[orig[i]]; }
};

struct Range {
    std::size_t begin = 0, end = 0;
    std::size_t size() const { return end - begin; }
};


// Checks n = file_ids.size() features of `dim` values: sizes, distinct ids, finite, of some length.
Status check_input(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim);

// The working copy (mean_free rows), orig the identity.
Work make_work(std::span<const float> features, int dim);

// The lowest mean_free cosine of the range's rows to their unit mean (1 when every row is zero):
// at least c with 2 c^2 - 1 >= t puts every pair within t of each other.
float spread(const Work& w, Range r);

// The unit mean of the range's own features and the row of highest cosine to it (the medoid).
void centroid_and_rep(const Work& w, Range r, std::vector<float>& centroid, std::size_t& rep);

// Near-duplicate stars (mean_free cosine) among the range's rows (all pairs: for ranges of at most a few hundred):
// greedily the row with the most others at cosine >= threshold (ties: highest sum of cosines, then
// the lower row) with those others, until no row has one; then the remaining rows alone. Each item
// lists working rows, a star's centre first. Ordered so similar items are adjacent when `order`.
std::vector<std::vector<std::size_t>> leaf_items(const Work& w, Range r, float threshold, bool order);

// Splits the range by spherical k-means into min(branching, size) clusters seeded from
// params.seed and the range, permuting its rows so each cluster is contiguous; the clusters in an
// order where similar ones are adjacent, none empty. Empty when cancelled.
std::vector<Range> split_range(Work& w, Range r, const HierarchyParams& params, int threads,
                               const std::atomic<bool>& cancel);

}  // namespace rv::hierarchy_build
