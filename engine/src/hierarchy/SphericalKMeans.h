// Spherical k-means with k-means++ (D^2) seeding on unit vectors: the one implementation the
// engine has (session patterns, SessionClusters.cpp; the hierarchy's splits, HierarchyBuild.cpp).
//
// The algorithm, as run:
//  * k is clamped to [1, n].
//  * Seeding: k-means++ with D^2 weights, D^2 = |x - c|^2 = 2 - 2 cos(x, c) for unit vectors. The
//    first centre is a uniform draw; every draw comes from std::mt19937_64(seed), turned into
//    numbers by this file's own arithmetic (not std:: distributions, whose outputs differ between
//    standard libraries), so a seed gives the same centres everywhere. When every point already
//    coincides with a centre (D^2 sums to 0) the next centre is a uniform draw.
//  * Each iteration assigns every point to the centre of highest cosine (ties: the lower index),
//    re-seeds every empty cluster with the point farthest (lowest cosine) from its own centre
//    among clusters that keep at least one other member, then sets each centre to its members'
//    normalised mean (a mean of length 0, antipodal members cancelling, keeps the old centre).
//    It stops when no assignment changed, or after `iterations`.
// Cosines go through the kernels (gemm for the assignment, in blocks of rows); sums are in double
// over fixed blocks added in block order, so the result depends on the seed and the data only,
// not on the number of threads.
//
// Engine-internal; a pure function of its inputs, safe on any thread; spawns up to `threads`
// std::threads for the assignment and the sums when n is large.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rv::cluster {

struct SphericalKMeansParams {
    std::size_t k = 2;
    int iterations = 12;  // at least 1 is run
    std::uint64_t seed = 1;
    int threads = 1;
};

struct SphericalKMeansResult {
    std::size_t k = 0;                // clusters (min(k, n); 0 when n is 0)
    std::vector<float> centres;       // k x dim, unit (row-major)
    std::vector<std::uint32_t> assign;  // n: each point's cluster, every cluster non-empty
    int iterations = 0;               // iterations run
    bool cancelled = false;           // `cancel` was seen set: the result is partial
};

// `rows`: n unit vectors of `dim` floats, row-major, contiguous. `cancel` may be null.
SphericalKMeansResult spherical_kmeans(const float* rows, std::size_t n, std::size_t dim,
                                       const SphericalKMeansParams& params,
                                       const std::atomic<bool>* cancel = nullptr);

}  // namespace rv::cluster
