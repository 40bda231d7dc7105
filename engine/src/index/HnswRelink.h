// Passes over an hnswlib 0.6.2 graph in memory for graph reuse (HnswIndex::reuse_graph): the
// stored vectors replaced by a map of them (an adapter, a small change of metric), the links then
// re-chosen locally under the new vectors, and the result checked against an exact scan.
// Engine-internal; knows the layout, does not include hnswlib (HnswIndex.cpp fills GraphLayout).
//
// Threads: each pass runs `threads` workers of its own and returns when they are done. The caller
// holds the graph exclusively (no search, no insert) for the passes that write (map, relink).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv::index_detail {

// Where an hnswlib graph keeps its elements (layout as in HnswPayload.h). A link list is a u16
// count (level 0: then a flags byte, bit 0 = deleted), padding to 4 bytes, then u32 element ids.
struct GraphLayout {
    char* level0 = nullptr;           // element i's block at level0 + i * stride; its level-0 list first
    std::size_t stride = 0;
    std::size_t vector_offset = 0;    // dim floats in the block
    std::size_t label_offset = 0;     // u64 id in the block
    char** upper = nullptr;           // i's level L >= 1 list at upper[i] + (L - 1) * upper_stride
    std::size_t upper_stride = 0;
    const int* levels = nullptr;      // levels[i]: i's top level
    std::size_t count = 0;            // elements, deleted ones included
    std::size_t dim = 0;
    std::size_t max0 = 0, max_upper = 0;  // link capacity at level 0 and above
    int max_level = 0;
    float (*dot)(const float*, const float*, std::size_t) = nullptr;
};

// n row-major vectors of dim floats in, their images out (no overlap). Called from several
// threads at once.
using VectorMap = std::function<void(const float* in, float* out, std::size_t n)>;

// Replaces every stored vector v (deleted elements' too) by map(v). Refuses, naming the element's
// id, an image that breaks the index's data contract (vector_problem()); the graph then holds a
// mix and must be dropped. Returns the mean cosine between the old and the new vectors.
// `cancel` (may be null): an Error "cancelled", graph to be dropped too.
Result<double> map_vectors(const GraphLayout& g, const VectorMap& map, int threads, const std::atomic<bool>* cancel);

// One local re-link pass at every level: each element's links are chosen again, by hnswlib's
// heuristic (a candidate is kept unless a kept one is closer to it than the element is), among its
// current links and the first `fanout` links of each of them, under the current vectors; then
// each chosen link is mirrored where the other end has room. fanout 0: only the own links are
// re-pruned and mirrored.
void relink(const GraphLayout& g, int fanout, int threads, const std::atomic<bool>* cancel);

// Search of the graph: the internal ids of the (at most) k nearest live elements to q.
using GraphSearch = std::function<std::vector<std::uint32_t>(const float* q, std::size_t k)>;

// Recall@k of `search` against an exact scan of the live elements, for `queries` probes drawn with
// `seed`: each the normalised midpoint of a live element and one of its links (a point near the
// data, not an element, as a search's query is). 1 when the graph holds at most k live elements.
double self_recall(const GraphLayout& g, const GraphSearch& search, std::size_t queries, std::size_t k,
                   std::uint64_t seed, int threads);

}  // namespace rv::index_detail
