// HnswIndex's state, shared by the translation units that work on its hnswlib graph
// (HnswIndex.cpp: adds, searches, files, graph reuse; HnswCompact.cpp: compaction).
// Engine-internal.
//
// hnswlib's non-inline functions (cpuid, AVXCapable) are compiled only without
// NO_MANUAL_VECTORIZATION; with it (set here) the header holds only templates and inline code, so
// several translation units may include it. It must be set anyway: our VectorSpace brings its own
// distance, and hnswlib's SSE prefetches read the slot after a full link list (the vector's first
// float) as a node id and form a pointer from it: undefined behaviour (UBSan: pointer overflow) on
// valid graphs, found by fuzz_index_file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <sys/mman.h>

#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include "index/CompactVectors.h"
#include "ruvision/engine/VectorIndex.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace index_detail {

// Cosine distance 1 - <a, b> between two stored codes of unit vectors (CompactVectors.h): f32
// through the kernels' dispatched dot product, f16 and i8 through compact_dot_table(). A search's
// query is encoded the same way before hnswlib sees it.
class VectorSpace final : public hnswlib::SpaceInterface<float> {
public:
    // storage resolved (not Auto).
    VectorSpace(int dim, VectorStorage storage)
        : storage_(storage),
          param_{static_cast<std::size_t>(dim), kernels::kernels().dot, compact_dot_table().dot_f16,
                 compact_dot_table().dot_i8} {}
    std::size_t get_data_size() override { return code_size(storage_, param_.dim); }
    hnswlib::DISTFUNC<float> get_dist_func() override {
        switch (storage_) {
            case VectorStorage::F16: return &distance_f16;
            case VectorStorage::I8: return &distance_i8;
            default: return &distance_f32;
        }
    }
    void* get_dist_func_param() override { return &param_; }
    VectorStorage storage() const { return storage_; }

private:
    // dim must come first: hnswlib reads the parameter as a size_t* dimension.
    struct Param {
        std::size_t dim;
        float (*dot)(const float*, const float*, std::size_t);
        float (*dot_f16)(const std::uint16_t*, const std::uint16_t*, std::size_t);
        std::int32_t (*dot_i8)(const std::int8_t*, const std::int8_t*, std::size_t);
    };
    static float distance_f32(const void* a, const void* b, const void* param) {
        const auto* p = static_cast<const Param*>(param);
        return 1.0f - p->dot(static_cast<const float*>(a), static_cast<const float*>(b), p->dim);
    }
    static float distance_f16(const void* a, const void* b, const void* param) {
        const auto* p = static_cast<const Param*>(param);
        return 1.0f - p->dot_f16(static_cast<const std::uint16_t*>(a), static_cast<const std::uint16_t*>(b), p->dim);
    }
    // Code: f32 scale, then dim int8 (4-byte aligned in hnswlib's blocks and in encoded queries).
    static float distance_i8(const void* a, const void* b, const void* param) {
        const auto* p = static_cast<const Param*>(param);
        const auto* ca = static_cast<const unsigned char*>(a);
        const auto* cb = static_cast<const unsigned char*>(b);
        float sa, sb;
        std::memcpy(&sa, ca, sizeof sa);
        std::memcpy(&sb, cb, sizeof sb);
        const std::int32_t q = p->dot_i8(reinterpret_cast<const std::int8_t*>(ca + sizeof(float)),
                                         reinterpret_cast<const std::int8_t*>(cb + sizeof(float)), p->dim);
        return 1.0f - sa * sb * static_cast<float>(q);
    }
    VectorStorage storage_;
    Param param_;
};

// hnswlib's graph, its level-0 blocks (links and vectors of every element, 1.3 GB for 1M f16
// vectors) asked to live on transparent huge pages: a search or an open touches them all over,
// and 4 KB pages cost a page fault per 4 KB on open and a TLB miss per hop.
class Graph final : public hnswlib::HierarchicalNSW<float> {
public:
    template <class... Args>
    explicit Graph(Args&&... args) : hnswlib::HierarchicalNSW<float>(std::forward<Args>(args)...) {
        advise_huge_pages();
    }
    // resizeIndex, which moves the blocks.
    void grow(std::size_t max_elements) {
        resizeIndex(max_elements);
        advise_huge_pages();
    }

private:
    void advise_huge_pages() {
#ifdef MADV_HUGEPAGE
        // madvise wants page-aligned ranges; malloc's large blocks start just past a page boundary.
        constexpr std::uintptr_t kPage = 4096;
        const auto begin = reinterpret_cast<std::uintptr_t>(data_level0_memory_);
        const std::uintptr_t end = begin + max_elements_ * size_data_per_element_;
        const std::uintptr_t first = (begin + kPage - 1) & ~(kPage - 1);
        if (end > first + (std::uintptr_t{2} << 20)) (void)::madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
#endif
    }
};

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
    // p.storage Auto is resolved by storage_for_dim(dim_).
    Impl(int dim_, std::string model_id_, const HnswParams& p)
        : dim(dim_), model_id(std::move(model_id_)), params(resolved(p, dim_)), space(dim_, params.storage) {}

    int dim;
    std::string model_id;
    HnswParams params;                           // params.storage is never Auto
    index_detail::VectorSpace space;             // outlives graph, which points at its parameter
    std::unique_ptr<index_detail::Graph> graph;  // never null once constructed
    mutable std::shared_mutex mutex;
    // Counts the changes of the graph's nodes (add_batch, remove, a compaction's swap), under the
    // exclusive lock: a compaction built from an older state is dropped; HnswIndex::changes().
    std::uint64_t changes = 0;

    std::size_t live() const { return graph->cur_element_count - graph->num_deleted_; }
    bool has(std::int64_t id) const {
        auto it = graph->label_lookup_.find(index_detail::label_of(id));
        return it != graph->label_lookup_.end() && !graph->isMarkedDeleted(it->second);
    }
    bool stored(std::int64_t id) const { return graph->label_lookup_.count(index_detail::label_of(id)) != 0; }
    std::size_t code_bytes() const { return index_detail::code_size(params.storage, std::size_t(dim)); }
    // n row-major vectors of dim floats to their codes, row-major n x code_bytes().
    std::vector<unsigned char> encode(std::size_t n, const float* data) const {
        std::vector<unsigned char> codes(n * code_bytes());
        for (std::size_t i = 0; i < n; ++i)
            index_detail::encode_vector(params.storage, data + i * std::size_t(dim), std::size_t(dim),
                                        codes.data() + i * code_bytes());
        return codes;
    }
    static HnswParams resolved(HnswParams p, int dim) {
        if (p.storage == VectorStorage::Auto) p.storage = storage_for_dim(dim);
        return p;
    }
    // Makes room for `extra` new elements, doubling the capacity at least.
    void reserve_more(std::size_t extra) {
        const std::size_t need = graph->cur_element_count + extra;
        if (need > graph->max_elements_)
            graph->grow(std::max(need, graph->max_elements_ * 2));
    }
};

namespace index_detail {

// A search of a compact index asks the graph for max(kRescoreFactor x k, ef_search) candidates
// and keeps the k best by their cosine with the f32 query (HnswIndex::search).
inline constexpr std::size_t kRescoreFactor = 2;

// Makes dst.graph a copy of src (whose vectors are stored as `from`) with dst's space: the same
// links, levels, labels, deleted marks, entry point, M and ef_construction; each vector re-encoded
// in dst.params.storage when it differs (decoded, then encoded). Caller holds src at least shared.
// Throws std::bad_alloc (nothing leaks).
void copy_graph(const Graph& src, VectorStorage from, HnswIndex::Impl& dst);

}  // namespace index_detail

}  // namespace rv
