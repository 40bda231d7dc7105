// Approximate index over hnswlib 0.6.2 (Debian libhnswlib-dev, header-only).
//
// The index's state and hnswlib come from HnswGraph.h; compaction is in HnswCompact.cpp.
//
// Payload of its file (see IndexFile.h for the header around it):
//   u32 ef_search, then the bytes of HierarchicalNSW::saveIndex (layout in HnswPayload.h).
#include <algorithm>
#include <atomic>
#include <cassert>
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
#include "index/HnswPayload.h"
#include "index/HnswRelink.h"
#include "index/IndexFile.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

using index_detail::Graph;
using index_detail::kLowestId;
using index_detail::kTombstoneLabel;
using index_detail::label_of;

// A file in the temporary directory, removed on destruction.
class TempFile {
public:
    TempFile() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ruvision-index-XXXXXX").string();
#if defined(__unix__)
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0) return;
        ::close(fd);
        path_ = pattern;
#endif
    }
    ~TempFile() {
        if (!path_.empty()) std::remove(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }  // empty if it could not be created

private:
    std::string path_;
};

// Bytes HierarchicalNSW::saveIndex writes for g.
std::uint64_t saved_size(const Graph& g) {
    std::uint64_t bytes = index_detail::kHnswHeaderBytes +
                          std::uint64_t{g.cur_element_count} * g.size_data_per_element_;
    for (std::size_t i = 0; i < g.cur_element_count; ++i)
        bytes += 4 + std::uint64_t(g.element_levels_[i]) * g.size_links_per_element_;
    return bytes;
}

}  // namespace

namespace {

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
            if (std::memcmp(g.getDataByInternalId(internal), data + i * d, d * sizeof(float)) == 0) {
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
                g.addPoint(data + inserts[j] * d, label_of(ids[inserts[j]]));
            });
            if (!st) return Error{"HNSW index: cannot add vectors: " + st.error().message};
            return st;
        }
        for (std::size_t i : inserts) g.addPoint(data + i * d, label_of(ids[i]));
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
    std::vector<Hit> hits;
    try {
        // searchKnn: a max-heap on distance, the farthest of the k on top.
        auto heap = impl_->graph->searchKnn(q, std::min<std::size_t>(std::size_t(k), live));
        hits.resize(heap.size());
        for (std::size_t i = heap.size(); i-- > 0; heap.pop())
            hits[i] = Hit{static_cast<std::int64_t>(heap.top().second), 1.0f - heap.top().first};
    } catch (const std::exception&) {
        return {};  // hnswlib throws only on an inconsistent graph, which load_index refuses
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return a.score > b.score || (a.score == b.score && a.id < b.id);
    });
    return hits;
}

Status HnswIndex::save(const std::string& path) const {
    std::shared_lock lock(impl_->mutex);
    const Graph& g = *impl_->graph;
    // saveIndex reports no error: its output's size is checked against what it must be.
    const std::string graph_tmp = path + ".hnsw.tmp";
    // hnswlib writes through std::ofstream, which would wait forever on a FIFO there.
    if (Status s = index_detail::set_aside_unless_regular(graph_tmp); !s.ok()) return s;
    struct Remove {
        const std::string& p;
        ~Remove() { std::remove(p.c_str()); }
    } remove_graph_tmp{graph_tmp};
    try {
        impl_->graph->saveIndex(graph_tmp);
    } catch (const std::exception& e) {
        return index_detail::file_error(path, std::string("cannot write the graph: ") + e.what());
    }
    std::error_code ec;
    const std::uint64_t graph_bytes = std::filesystem::file_size(graph_tmp, ec);
    if (ec || graph_bytes != saved_size(g))
        return index_detail::file_error(path, "cannot write the graph to '" + graph_tmp +
                                                  "' (disk full or not writable?)");

    const auto ef = static_cast<std::uint32_t>(impl_->params.ef_search);
    return index_detail::write_index_file(
        path, IndexKind::Hnsw, static_cast<std::uint32_t>(impl_->dim), impl_->live(),
        impl_->model_id, [&](index_detail::PayloadWriter& w) -> Status {
            index_detail::File in(std::fopen(graph_tmp.c_str(), "rb"));
            if (!in.get() || !w.write(&ef, sizeof ef))
                return index_detail::file_error(path, "write failed");
            std::vector<char> buf(1 << 20);
            std::uint64_t copied = 0;
            for (std::size_t got; (got = std::fread(buf.data(), 1, buf.size(), in.get())) > 0;
                 copied += got)
                if (!w.write(buf.data(), got))
                    return index_detail::file_error(path, "write failed (disk full?)");
            if (copied != graph_bytes) return index_detail::file_error(path, "read-back failed");
            return Status::success();
        });
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
        auto impl = std::make_unique<Impl>(impl_->dim, std::move(model_id), impl_->params);
        {
            std::shared_lock lock(impl_->mutex);
            const Graph& src = *impl_->graph;
            // The same M and ef_construction give the same block sizes; the copy has room for the
            // elements it holds and grows as any index does.
            impl->params.M = static_cast<int>(src.M_);
            impl->params.ef_construction = static_cast<int>(src.ef_construction_);
            impl->graph = std::make_unique<Graph>(&impl->space, std::max<std::size_t>(src.cur_element_count, 16),
                                                  src.M_, src.ef_construction_, impl->params.seed);
            Graph& g = *impl->graph;
            std::memcpy(g.data_level0_memory_, src.data_level0_memory_,
                        src.cur_element_count * src.size_data_per_element_);
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
            g.setEf(static_cast<std::size_t>(impl->params.ef_search));
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
    std::uint32_t ef = 0;
    if (!in.read(&ef, sizeof ef))
        return in.checked_error(file_error(path, "corrupt payload: too short"));

    // hnswlib loads from a file name only: the graph bytes go to a private temporary file, and
    // reach hnswlib only after the checksum and the structural check have passed.
    TempFile tmp;
    if (tmp.path().empty())
        return file_error(path, "cannot create a temporary file to load it from");
    {
        File out(std::fopen(tmp.path().c_str(), "wb"));
        if (!out.get()) return file_error(path, "cannot write the temporary file " + tmp.path());
        std::vector<char> buf(1 << 20);
        while (in.remaining() > 0) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(),
                                                                            in.remaining()));
            if (!in.read(buf.data(), n))
                return file_error(path, "read failed (the file changed while being read?)");
            if (std::fwrite(buf.data(), 1, n, out.get()) != n)
                return file_error(path, "cannot write the temporary file " + tmp.path() +
                                            " (disk full?)");
        }
        if (!out.close()) return file_error(path, "cannot write the temporary file " + tmp.path());
    }
    if (Status s = in.finish(); !s.ok()) return s.error();
    if (ef == 0 || ef > (1u << 20))
        return file_error(path, "corrupt payload: ef_search " + std::to_string(ef));
    auto facts = check_hnsw_payload(tmp.path(), h.dim, path);
    if (!facts.ok()) return facts.error();
    if (facts->elements - facts->deleted != h.count)
        return file_error(path, "corrupt: the header counts " + std::to_string(h.count) +
                                    " vectors, the graph holds " +
                                    std::to_string(facts->elements - facts->deleted));

    HnswParams p;
    p.M = static_cast<int>(facts->M);
    p.ef_construction = static_cast<int>(facts->ef_construction);
    p.ef_search = static_cast<int>(ef);
    auto impl = std::make_unique<HnswIndex::Impl>(static_cast<int>(h.dim), h.model_id, p);
    // The space-only constructor leaves every field unset; these make both loadIndex's counting
    // and the destructor (should loadIndex throw) well defined.
    impl->graph = std::make_unique<Graph>(&impl->space);
    Graph& g = *impl->graph;
    g.num_deleted_ = 0;
    g.cur_element_count = 0;
    g.data_level0_memory_ = nullptr;
    g.linkLists_ = nullptr;
    g.visited_list_pool_ = nullptr;
    g.metric_distance_computations = 0;
    g.metric_hops = 0;
    try {
        g.loadIndex(tmp.path(), &impl->space,
                    std::max<std::size_t>(static_cast<std::size_t>(facts->elements), 16));
    } catch (...) {
        g.cur_element_count = 0;  // element_levels_ may not match it yet; leaks, never crashes
        throw;                    // load_index turns it into an Error
    }
    g.setEf(ef);
    return std::unique_ptr<VectorIndex>(std::make_unique<HnswIndex>(std::move(impl)));
}

}  // namespace index_detail

}  // namespace rv
