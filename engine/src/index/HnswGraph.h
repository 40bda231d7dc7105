// HnswIndex's state, shared by the translation units that work on its hnswlib graph
// (HnswIndex.cpp: adds, searches, files, graph reuse; HnswCompact.cpp: compaction).
// Engine-internal.
//
// hnswlib's non-inline functions (cpuid, AVXCapable) are compiled only without
// NO_MANUAL_VECTORIZATION; with it (set here) the header holds only templates and inline code, so
// several translation units may include it. It must be set anyway: our CosineSpace brings its own
// distance, and hnswlib's SSE prefetches read the slot after a full link list (the vector's first
// float) as a node id and form a pointer from it: undefined behaviour (UBSan: pointer overflow) on
// valid graphs, found by fuzz_index_file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <string>

#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include "ruvision/engine/VectorIndex.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace index_detail {

// Cosine distance 1 - dot for unit vectors, through the kernels' dispatched dot product.
class CosineSpace final : public hnswlib::SpaceInterface<float> {
public:
    explicit CosineSpace(int dim) : param_{static_cast<std::size_t>(dim), kernels::kernels().dot} {}
    std::size_t get_data_size() override { return param_.dim * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
    void* get_dist_func_param() override { return &param_; }

private:
    // dim must come first: hnswlib reads the parameter as a size_t* dimension.
    struct Param {
        std::size_t dim;
        float (*dot)(const float*, const float*, std::size_t);
    };
    static float distance(const void* a, const void* b, const void* param) {
        const auto* p = static_cast<const Param*>(param);
        return 1.0f - p->dot(static_cast<const float*>(a), static_cast<const float*>(b), p->dim);
    }
    Param param_;
};

using Graph = hnswlib::HierarchicalNSW<float>;

inline hnswlib::labeltype label_of(std::int64_t id) { return static_cast<hnswlib::labeltype>(id); }

// The label of a node replaced by a new vector of its id (add_batch) is kTombstoneLabel plus the
// node's internal number (32 bits), so labels stay unique: as an id, that is below kLowestId,
// which add_batch refuses.
inline constexpr hnswlib::labeltype kTombstoneLabel = hnswlib::labeltype{1} << 63;
inline constexpr std::int64_t kLowestId = std::numeric_limits<std::int64_t>::min() + (std::int64_t{1} << 32);

// Runs add(j) for every j in [0, n) on up to `threads` threads (this one included; helpers only
// for at least 64 rows each). hnswlib's addPoint may run concurrently for distinct new labels
// (0.6.2 draws the new node's level from one unguarded generator; a racing draw can only repeat
// a level). The first exception stops the work; its what() is the Error's message.
Status add_in_parallel(std::size_t n, int threads, const std::function<void(std::size_t j)>& add);

}  // namespace index_detail

// Lock order: only `mutex`. Searches take it shared, everything that changes the graph or
// ef_search takes it exclusive (hnswlib's own locks then only matter inside add_batch's workers).
// compact() builds its new graph under the shared lock and swaps it in under the exclusive one.
struct HnswIndex::Impl {
    Impl(int dim_, std::string model_id_, const HnswParams& p)
        : dim(dim_), model_id(std::move(model_id_)), params(p), space(dim_) {}

    int dim;
    std::string model_id;
    HnswParams params;
    index_detail::CosineSpace space;             // outlives graph, which points at its parameter
    std::unique_ptr<index_detail::Graph> graph;  // never null once constructed
    mutable std::shared_mutex mutex;
    // Counts the changes of the graph's nodes (add_batch, remove), under the exclusive lock: a
    // compaction built from an older state is dropped.
    std::uint64_t changes = 0;

    std::size_t live() const { return graph->cur_element_count - graph->num_deleted_; }
    bool has(std::int64_t id) const {
        auto it = graph->label_lookup_.find(index_detail::label_of(id));
        return it != graph->label_lookup_.end() && !graph->isMarkedDeleted(it->second);
    }
    bool stored(std::int64_t id) const { return graph->label_lookup_.count(index_detail::label_of(id)) != 0; }
    // Makes room for `extra` new elements, doubling the capacity at least.
    void reserve_more(std::size_t extra) {
        const std::size_t need = graph->cur_element_count + extra;
        if (need > graph->max_elements_)
            graph->resizeIndex(std::max(need, graph->max_elements_ * 2));
    }
};

}  // namespace rv
