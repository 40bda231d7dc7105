// Approximate index over hnswlib 0.6.2 (Debian libhnswlib-dev, header-only).
//
// The index's state and hnswlib come from HnswGraph.h; compaction is in HnswCompact.cpp.
//
// Payload of its file (see IndexFile.h for the header around it):
//   format version 2: u32 ef_search, u32 VectorStorage (F32, F16 or I8), then the graph in the
//                     layout of HnswPayload.h with that storage's codes;
//   format version 1: u32 ef_search, then the same layout with f32 vectors.
#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#if defined(__unix__)
#include <unistd.h>
#endif

#include "index/HnswGraph.h"
#include "index/CompactVectors.h"
#include "index/HnswPayload.h"
#include "index/HnswRelink.h"
#include "index/IndexFile.h"
#include "index/LibraryIndexParams.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

using index_detail::Graph;
using index_detail::kLowestId;
using index_detail::kTombstoneLabel;
using index_detail::label_of;

HnswParams sane(HnswParams p) {
    p.M = std::clamp(p.M, 2, 10000);
    p.ef_construction = std::max(p.ef_construction, 1);
    p.ef_search = std::max(p.ef_search, 1);
    p.initial_capacity = std::max<std::size_t>(p.initial_capacity, 1);
    p.build_threads = std::max(p.build_threads, 1);
    return p;
}

}  // namespace

HnswIndex::HnswIndex(int dim, std::string model_id, HnswParams params)
    : impl_(std::make_unique<Impl>(dim, std::move(model_id), sane(params))) {
    assert(dim > 0);
    const HnswParams& p = impl_->params;
    impl_->graph = std::make_unique<Graph>(&impl_->space, p.initial_capacity,
                                           static_cast<std::size_t>(p.M),
                                           static_cast<std::size_t>(p.ef_construction), p.seed);
    impl_->graph->metric_distance_computations = 0;
    impl_->graph->metric_hops = 0;
    impl_->graph->setEf(static_cast<std::size_t>(p.ef_search));
}

HnswIndex::HnswIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HnswIndex::~HnswIndex() = default;

int HnswIndex::dim() const { return impl_->dim; }
const std::string& HnswIndex::model_id() const { return impl_->model_id; }

std::size_t HnswIndex::size() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->live();
}

bool HnswIndex::contains(std::int64_t id) const {
    std::shared_lock lock(impl_->mutex);
    return impl_->has(id);
}

std::size_t HnswIndex::capacity() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->graph->max_elements_;
}

std::size_t HnswIndex::deleted_count() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->graph->num_deleted_;
}

void HnswIndex::set_ef_search(int ef) {
    std::unique_lock lock(impl_->mutex);
    impl_->params.ef_search = std::max(ef, 1);
    impl_->graph->setEf(static_cast<std::size_t>(impl_->params.ef_search));
}

int HnswIndex::ef_search() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->params.ef_search;
}

HnswParams library_hnsw_params() {
    HnswParams p;
    p.ef_search = 128;
    p.build_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return p;
}

void HnswIndex::set_build_threads(int threads) {
    std::unique_lock lock(impl_->mutex);
    impl_->params.build_threads = std::max(threads, 1);
}

Status HnswIndex::add(std::int64_t id, const float* v) { return add_batch(1, &id, v); }

namespace index_detail {

Status add_in_parallel(std::size_t n, int threads, const std::function<void(std::size_t)>& add) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex error_mutex;
    std::string error;
    auto work = [&] {
        while (!failed) {
            const std::size_t j = next.fetch_add(1);
            if (j >= n) break;
            try {
                add(j);
            } catch (const std::exception& e) {
                std::lock_guard g(error_mutex);
                if (!failed.exchange(true)) error = e.what();
            }
        }
    };
    std::vector<std::thread> helpers;
    try {
        for (int t = 1; t < threads && std::size_t(t) * 64 < n; ++t) helpers.emplace_back(work);
    } catch (const std::system_error&) {
        // Fewer threads than asked: the ones started and this one finish the work.
    }
    work();
    for (auto& t : helpers) t.join();
    if (failed) return Error{error};
    return Status::success();
}

}  // namespace index_detail

Status HnswIndex::add_batch(std::size_t n, const std::int64_t* ids, const float* data) {
    const std::size_t d = static_cast<std::size_t>(impl_->dim);
    // A NaN or a huge value in one vector would poison every distance computed through its node.
    for (std::size_t i = 0; i < n; ++i)
        if (ids[i] < kLowestId)
            return Error{"HNSW index: id " + std::to_string(ids[i]) + " is refused: ids below " +
                         std::to_string(kLowestId) + " are reserved"};
    for (std::size_t i = 0; i < n; ++i)
        if (auto why = vector_problem(data + i * d, impl_->dim); !why.empty())
            return Error{"HNSW index: the vector of id " + std::to_string(ids[i]) + " is refused: " + why};
    std::vector<unsigned char> codes;
    try {
        codes = impl_->encode(n, data);
    } catch (const std::bad_alloc&) {
        return Error{"HNSW index: not enough memory to add " + std::to_string(n) + " vectors"};
    }
    const std::size_t cb = impl_->code_bytes();
    std::unique_lock lock(impl_->mutex);
    ++impl_->changes;
    try {
        // Last row of each id; ids already stored are replaced (below), the others inserted.
        std::unordered_map<std::int64_t, std::size_t> last;
        last.reserve(n);
        for (std::size_t i = 0; i < n; ++i) last[ids[i]] = i;
        std::vector<std::size_t> updates, inserts;
        for (std::size_t i = 0; i < n; ++i) {
            if (last[ids[i]] != i) continue;
            (impl_->stored(ids[i]) ? updates : inserts).push_back(i);
        }
        // A stored id whose vector changed becomes a deleted node of its own (a tombstone label)
        // and the new vector a new node: hnswlib's in-place update (updatePoint) copies empty
        // neighbour lists from a null pointer, undefined behaviour, on any node alone at one of
        // its levels (the entry point's top level, small graphs).
        Graph& g = *impl_->graph;
        std::vector<std::size_t> replaced;
        for (std::size_t i : updates) {
            const auto internal = g.label_lookup_.at(label_of(ids[i]));
            // The same vector again (a file re-embedded to the same values, e.g. its regions
            // after a repair): nothing to relink, only un-delete it.
            if (std::memcmp(g.getDataByInternalId(internal), codes.data() + i * cb, cb) == 0) {
                if (g.isMarkedDeleted(internal)) g.unmarkDeletedInternal(internal);
                continue;
            }
            replaced.push_back(i);
        }
        impl_->reserve_more(inserts.size() + replaced.size());  // may throw: nothing replaced yet
        for (std::size_t i : replaced) {
            const auto internal = g.label_lookup_.at(label_of(ids[i]));
            if (!g.isMarkedDeleted(internal)) g.markDeletedInternal(internal);
            const hnswlib::labeltype tombstone = kTombstoneLabel | internal;
            std::memcpy(g.getExternalLabeLp(internal), &tombstone, sizeof tombstone);
            g.label_lookup_.erase(label_of(ids[i]));
            g.label_lookup_[tombstone] = internal;
            inserts.push_back(i);
        }
        if (impl_->params.build_threads > 1) {
            Status st = index_detail::add_in_parallel(inserts.size(), impl_->params.build_threads, [&](std::size_t j) {
                g.addPoint(codes.data() + inserts[j] * cb, label_of(ids[inserts[j]]));
            });
            if (!st) return Error{"HNSW index: cannot add vectors: " + st.error().message};
            return st;
        }
        for (std::size_t i : inserts) g.addPoint(codes.data() + i * cb, label_of(ids[i]));
    } catch (const std::bad_alloc&) {
        return Error{"HNSW index: not enough memory to add " + std::to_string(n) + " vectors"};
    } catch (const std::exception& e) {
        return Error{std::string("HNSW index: cannot add vectors: ") + e.what()};
    }
    return Status::success();
}

bool HnswIndex::remove(std::int64_t id) {
    std::unique_lock lock(impl_->mutex);
    if (!impl_->has(id)) return false;
    ++impl_->changes;
    impl_->graph->markDeletedInternal(impl_->graph->label_lookup_.at(label_of(id)));
    return true;
}

std::vector<Hit> HnswIndex::search(const float* q, int k) const {
    std::shared_lock lock(impl_->mutex);
    const std::size_t live = impl_->live();
    if (k <= 0 || live == 0) return {};
    const VectorStorage storage = impl_->params.storage;
    const auto dim = static_cast<std::size_t>(impl_->dim);
    std::vector<Hit> hits;
    try {
        // Compact storage: the graph is searched with the query's code, and all the candidates
        // its search holds (ef_search, at least kRescoreFactor x k) are ranked by their cosine
        // with the f32 query (rescoring_dot): the query's rounding then costs nothing, and the
        // codes' only where it moves a true neighbour out of the candidates.
        const bool compact = storage != VectorStorage::F32;
        const std::vector<unsigned char> code = compact ? impl_->encode(1, q) : std::vector<unsigned char>{};
        const std::size_t ef = static_cast<std::size_t>(impl_->params.ef_search);
        const std::size_t want =
            std::min<std::size_t>(compact ? std::max(std::size_t(k) * index_detail::kRescoreFactor, ef) : std::size_t(k), live);
        // searchKnn: a max-heap on distance, the farthest of the k on top.
        auto heap = impl_->graph->searchKnn(compact ? static_cast<const void*>(code.data()) : q, want);
        hits.resize(heap.size());
        for (std::size_t i = heap.size(); i-- > 0; heap.pop()) {
            const auto& [distance, label] = heap.top();
            float score = 1.0f - distance;
            if (compact) {
                const auto internal = impl_->graph->label_lookup_.at(label);
                score = index_detail::rescoring_dot(storage, q, impl_->graph->getDataByInternalId(internal), dim);
            }
            hits[i] = Hit{static_cast<std::int64_t>(label), score};
        }
    } catch (const std::exception&) {
        return {};  // hnswlib throws only on an inconsistent graph, which load_index refuses
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return a.score > b.score || (a.score == b.score && a.id < b.id);
    });
    if (hits.size() > std::size_t(k)) hits.resize(std::size_t(k));
    return hits;
}

float HnswIndex::score_error() const {
    // |<q, v'> - <q, v>| <= |v' - v| for unit q. F16: each value within 2^-11 of itself, so
    // |v' - v| <= 2^-11; doubled for subnormals and the sum's own rounding. I8: each value within
    // max|v| / 254 <= 1/254 of its grid point, and normalising the decoded vector at most doubles
    // the distance: 2 sqrt(dim) / 254.
    switch (impl_->params.storage) {
        case VectorStorage::F16: return 1.0f / 1024;
        case VectorStorage::I8: return std::sqrt(static_cast<float>(impl_->dim)) / 127;
        default: return 0.0f;
    }
}

std::uint64_t HnswIndex::changes() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->changes;
}

Status HnswIndex::save(const std::string& path) const {
    std::shared_lock lock(impl_->mutex);
    const Graph& g = *impl_->graph;
    const auto ef = static_cast<std::uint32_t>(impl_->params.ef_search);
    const auto storage = static_cast<std::uint32_t>(impl_->params.storage);
    return index_detail::write_index_file(
        path, IndexKind::Hnsw, static_cast<std::uint32_t>(impl_->dim), impl_->live(), impl_->model_id,
        [&](index_detail::PayloadWriter& w) -> Status {
            const std::uint64_t before = w.length();
            if (!w.write(&ef, sizeof ef) || !w.write(&storage, sizeof storage) || !index_detail::write_hnsw_graph(w, g) ||
                w.length() - before != 8 + index_detail::hnsw_graph_bytes(g))
                return index_detail::file_error(path, "write failed (disk full?)");
            return Status::success();
        });
}

VectorStorage HnswIndex::storage() const { return impl_->params.storage; }
std::size_t HnswIndex::vector_bytes() const { return impl_->code_bytes(); }

namespace index_detail {

void copy_graph(const Graph& src, VectorStorage from, HnswIndex::Impl& dst) {
    // The same M and ef_construction give the same link blocks; the copy has room for the
    // elements it holds and grows as any index does.
    dst.params.M = static_cast<int>(src.M_);
    dst.params.ef_construction = static_cast<int>(src.ef_construction_);
    dst.graph = std::make_unique<Graph>(&dst.space, std::max<std::size_t>(src.cur_element_count, 16), src.M_,
                                        src.ef_construction_, dst.params.seed);
    Graph& g = *dst.graph;
    const VectorStorage to = dst.params.storage;
    const auto dim = static_cast<std::size_t>(dst.dim);
    if (from == to) {
        std::memcpy(g.data_level0_memory_, src.data_level0_memory_, src.cur_element_count * src.size_data_per_element_);
    } else {
        std::vector<float> v(dim);
        for (std::size_t i = 0; i < src.cur_element_count; ++i) {
            const char* s = src.data_level0_memory_ + i * src.size_data_per_element_;
            char* t = g.data_level0_memory_ + i * g.size_data_per_element_;
            std::memcpy(t, s, src.size_links_level0_);
            decode_vector(from, s + src.offsetData_, dim, v.data());
            encode_vector(to, v.data(), dim, t + g.offsetData_);
            std::memcpy(t + g.label_offset_, s + src.label_offset_, sizeof(hnswlib::labeltype));
        }
    }
    for (std::size_t i = 0; i < src.cur_element_count; ++i) {
        g.element_levels_[i] = src.element_levels_[i];
        g.linkLists_[i] = nullptr;
        if (src.element_levels_[i] <= 0) continue;
        const std::size_t bytes = src.size_links_per_element_ * std::size_t(src.element_levels_[i]);
        g.linkLists_[i] = static_cast<char*>(std::malloc(bytes));
        if (!g.linkLists_[i]) {
            g.element_levels_[i] = 0;
            g.cur_element_count = i;  // the destructor frees what was allocated
            throw std::bad_alloc();
        }
        std::memcpy(g.linkLists_[i], src.linkLists_[i], bytes);
        g.cur_element_count = i + 1;
    }
    g.cur_element_count = src.cur_element_count;
    g.label_lookup_ = src.label_lookup_;
    g.enterpoint_node_ = src.enterpoint_node_;
    g.maxlevel_ = src.maxlevel_;
    g.num_deleted_ = src.num_deleted_;
    g.metric_distance_computations = 0;
    g.metric_hops = 0;
    g.setEf(static_cast<std::size_t>(dst.params.ef_search));
}

}  // namespace index_detail

Result<std::unique_ptr<HnswIndex>> HnswIndex::with_storage(VectorStorage storage) const {
    try {
        HnswParams p = impl_->params;
        p.storage = storage;
        auto impl = std::make_unique<Impl>(impl_->dim, impl_->model_id, p);
        std::shared_lock lock(impl_->mutex);
        index_detail::copy_graph(*impl_->graph, impl_->params.storage, *impl);
        return std::make_unique<HnswIndex>(std::move(impl));
    } catch (const std::bad_alloc&) {
        return Error{"HNSW index: not enough memory to convert the graph"};
    } catch (const std::exception& e) {
        return Error{std::string("HNSW index: cannot convert the graph: ") + e.what()};
    }
}

namespace {

// The memory layout of g for the passes of HnswRelink.h.
index_detail::GraphLayout layout_of(Graph& g, int dim) {
    index_detail::GraphLayout l;
    l.level0 = g.data_level0_memory_;
    l.stride = g.size_data_per_element_;
    l.vector_offset = g.offsetData_;
    l.label_offset = g.label_offset_;
    l.upper = g.linkLists_;
    l.upper_stride = g.size_links_per_element_;
    l.levels = g.element_levels_.data();
    l.count = g.cur_element_count;
    l.dim = static_cast<std::size_t>(dim);
    l.max0 = g.maxM0_;
    l.max_upper = g.maxM_;
    l.max_level = std::max(g.maxlevel_, 0);
    l.dot = kernels::kernels().dot;
    return l;
}

}  // namespace

Result<GraphReuse> HnswIndex::reuse_graph(std::string model_id,
                                          const std::function<void(const float*, float*, std::size_t)>& map,
                                          const GraphReuseParams& rp) const {
    GraphReuse out;
    try {
        // The passes of HnswRelink.h work on f32 vectors: a compact index is copied to an f32
        // working graph, and the result stored back in this index's storage.
        HnswParams work = impl_->params;
        work.storage = VectorStorage::F32;
        auto impl = std::make_unique<Impl>(impl_->dim, std::move(model_id), work);
        {
            std::shared_lock lock(impl_->mutex);
            index_detail::copy_graph(*impl_->graph, impl_->params.storage, *impl);
        }
        Graph& g = *impl->graph;
        const auto layout = layout_of(g, impl->dim);
        auto cos = index_detail::map_vectors(layout, map, rp.threads, rp.cancel);
        if (!cos) return cos.error();
        out.mean_cosine = *cos;
        for (int r = 0; r < rp.relink_rounds; ++r) index_detail::relink(layout, rp.fanout, rp.threads, rp.cancel);
        if (rp.cancel && *rp.cancel) return Error{"cancelled"};
        out.self_recall = index_detail::self_recall(
            layout,
            [&g](const float* q, std::size_t k) {
                std::vector<std::uint32_t> ids;
                for (auto heap = g.searchKnn(q, k); !heap.empty(); heap.pop())
                    ids.push_back(g.label_lookup_.at(heap.top().second));
                return ids;
            },
            rp.check_queries, 10, rp.seed, rp.threads);
        out.index = std::make_unique<HnswIndex>(std::move(impl));
        if (impl_->params.storage != VectorStorage::F32) {
            auto stored = out.index->with_storage(impl_->params.storage);
            if (!stored) return stored.error();
            out.index = std::move(*stored);
        }
    } catch (const std::bad_alloc&) {
        return Error{"HNSW index: not enough memory to copy the graph"};
    } catch (const std::exception& e) {
        return Error{std::string("HNSW index: cannot copy the graph: ") + e.what()};
    }
    return out;
}

namespace index_detail {

Result<std::unique_ptr<VectorIndex>> load_hnsw_payload(PayloadReader& in, const FileHeader& h) {
    const std::string& path = in.path();
    std::uint32_t ef = 0, storage = static_cast<std::uint32_t>(VectorStorage::F32);
    if (!in.read(&ef, sizeof ef) || (h.version >= 2 && !in.read(&storage, sizeof storage)))
        return in.checked_error(file_error(path, "corrupt payload: too short"));
    if (ef == 0 || ef > (1u << 20))
        return in.checked_error(file_error(path, "corrupt payload: ef_search " + std::to_string(ef)));
    if (storage != static_cast<std::uint32_t>(VectorStorage::F32) &&
        storage != static_cast<std::uint32_t>(VectorStorage::F16) &&
        storage != static_cast<std::uint32_t>(VectorStorage::I8))
        return in.checked_error(file_error(path, "corrupt payload: unknown vector storage " + std::to_string(storage)));

    HnswParams p;
    p.ef_search = static_cast<int>(ef);
    p.storage = static_cast<VectorStorage>(storage);
    auto impl = std::make_unique<HnswIndex::Impl>(static_cast<int>(h.dim), h.model_id, p);
    auto read = read_hnsw_graph(in, impl->space, h.dim, impl->params.seed);
    if (!read) return read.error();
    impl->graph = std::move(read->graph);
    impl->params.M = static_cast<int>(read->M);
    impl->params.ef_construction = static_cast<int>(read->ef_construction);
    Graph& g = *impl->graph;
    if (g.cur_element_count - g.num_deleted_ != h.count)
        return file_error(path, "corrupt: the header counts " + std::to_string(h.count) + " vectors, the graph holds " +
                                    std::to_string(g.cur_element_count - g.num_deleted_));
    g.setEf(ef);
    auto index = std::make_unique<HnswIndex>(std::move(impl));
    // Format 1 held f32 vectors, kept so (HnswParams::storage); the next save writes format 2.
    return std::unique_ptr<VectorIndex>(std::move(index));
}

}  // namespace index_detail

}  // namespace rv
