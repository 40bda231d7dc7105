// Exact agglomerative clustering of unit vectors (or of clusters of them) by average or Ward
// linkage, with the nearest-neighbour chain (both linkages are reducible, so the chain gives the
// same tree as merging the globally closest pair each time, up to ties).
//
// Items are clusters given by the sum of their unit vectors S and their count n, so both
// linkages are exact from the Gram matrix G = S S' alone (updated by adding rows on a merge):
//  * average: the mean cosine over pairs across a and b, S_a.S_b / (n_a n_b); distance 1 - it;
//  * Ward: the growth of the within-cluster sum of squares, n_a n_b / (n_a + n_b) |m_a - m_b|^2
//    with m = S / n.
// O(m^2) memory (doubles) and time: for m up to a few thousand.
//
// Engine-internal; a pure function of its inputs, safe on any thread, deterministic (ties: the
// lower index).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rv::cluster {

enum class Linkage { Average, Ward };

// Leaves 0..m-1 are the items; merge k creates node m + k of children left[k], right[k] (left
// the one that was on the chain first) at distance height[k]. size[node]: the vectors below.
struct Dendrogram {
    std::size_t leaves = 0;
    std::vector<int> left, right;
    std::vector<double> height;
    std::vector<std::int64_t> size;  // leaves + merges entries
    int root() const { return leaves == 0 ? -1 : static_cast<int>(leaves + left.size()) - 1; }
};

// sums: m x dim (row-major), counts: m positive counts. threads: for the Gram matrix.
Dendrogram agglomerate(const float* sums, const std::int64_t* counts, std::size_t m, std::size_t dim, Linkage linkage,
                       int threads = 1);

}  // namespace rv::cluster
