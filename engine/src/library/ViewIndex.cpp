#include "library/ViewIndex.h"

#include <algorithm>
#include <unordered_map>

#include "index/LibraryIndexParams.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

namespace fs = std::filesystem;

ViewIndex::ViewIndex(Source source) : source_(std::move(source)) {}

ViewIndex::Peek ViewIndex::peek() const {
    std::lock_guard lock(peek_mutex_);
    if (peeked_) return *peeked_;
    Peek p;
    const fs::path path = source_.dir / source_.file_name;
    // The catalog's views, counted only when the file's header is not enough (a join over every
    // view row: a second at two million views).
    auto count_rows = [&]() -> bool {
        auto n = source_.count();
        if (!n) {
            p.why = n.error().message;
            return false;
        }
        p.rows = *n;
        return true;
    };
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        if (count_rows() && p.rows) p.why = "the " + source_.what + " index file is missing";
    } else if (auto views = peek_index(path.string(), source_.dim, source_.index_model_id); !views) {
        p.why = views.error().message;
        count_rows();
    } else {
        p.on_disk = *views;
        const auto on_disk = static_cast<std::int64_t>(*views);
        if (!source_.behind.empty()) {
            p.why = "the " + source_.what + " index file is stale: " + source_.behind;
            count_rows();
        } else if (source_.recorded && *source_.recorded != on_disk) {
            p.why = "the " + source_.what + " index file is stale (" + std::to_string(on_disk) + " " + source_.what +
                    ", the library wrote " + std::to_string(*source_.recorded) + ")";
            count_rows();
        } else if (!source_.recorded && count_rows() && p.rows != on_disk) {
            p.why = "the " + source_.what + " index file is stale (" + std::to_string(on_disk) + " " + source_.what +
                    ", the catalog has " + std::to_string(p.rows) + ")";
        }
    }
    peeked_ = p;
    return p;
}

Result<VectorIndex*> ViewIndex::index() const {
    if (VectorIndex* ready = ready_.load(std::memory_order_acquire)) return ready;
    std::lock_guard lock(load_mutex_);
    if (index_) return index_.get();
    const fs::path path = source_.dir / source_.file_name;
    std::string why = peek().why;
    std::error_code ec;
    if (why.empty() && fs::exists(path, ec)) {
        auto loaded = load_library_index(path.string(), source_.dim, source_.index_model_id);
        if (loaded) {
            state_ = "ok (" + std::to_string((*loaded)->size()) + " " + source_.what + ")";
            index_ = std::move(*loaded);
            ready_.store(index_.get(), std::memory_order_release);
            return index_.get();
        }
        why = loaded.error().message;  // damage the header did not show (checksum, structure)
    }
    auto fresh = std::make_unique<HnswIndex>(source_.dim, source_.index_model_id, library_hnsw_params());
    std::vector<std::int64_t> ids;
    std::vector<float> data;
    Status add_status;
    auto flush = [&]() -> Status {
        Status st = ids.empty() ? Status::success() : fresh->add_batch(ids.size(), ids.data(), data.data());
        ids.clear();
        data.clear();
        return st;
    };
    auto st = source_.rows([&](std::int64_t file, int idx, const float* v, int d) {
        if (d != source_.dim || idx < 0 || idx >= source_.slots) return true;
        ids.push_back(id(file, idx));
        data.insert(data.end(), v, v + d);
        if (ids.size() >= 4096 && !(add_status = flush())) return false;
        return true;
    });
    if (!st) return st.error();
    if (!add_status || !(add_status = flush())) return add_status.error();
    state_ = why.empty() ? "new"
                         : "rebuilt from the catalog (" + std::to_string(fresh->size()) + " " + source_.what +
                               "): " + why;
    index_ = std::move(fresh);
    ready_.store(index_.get(), std::memory_order_release);
    return index_.get();
}

std::size_t ViewIndex::size() const {
    if (const VectorIndex* ready = ready_.load(std::memory_order_acquire)) return ready->size();
    const Peek p = peek();
    return static_cast<std::size_t>(p.why.empty() ? p.on_disk : p.rows);
}

std::string ViewIndex::state() const {
    if (ready_.load(std::memory_order_acquire)) {
        std::lock_guard lock(load_mutex_);
        return state_;
    }
    const Peek p = peek();
    if (p.why.empty())
        return p.on_disk == 0 ? "new"
                              : "ok (" + std::to_string(p.on_disk) + " " + source_.what + "), loaded at first use";
    return "rebuilt from the catalog at first use (" + std::to_string(p.rows) + " " + source_.what + "): " + p.why;
}

Status ViewIndex::save() {
    if (!loaded() && peek().why.empty()) return Status::success();  // unchanged, and its file usable
    auto ix = index();
    if (!ix) return ix.error();
    (void)(*ix)->compact();  // as Library::save_index: uncompacted (out of memory) is saved whole
    Status saved = (*ix)->save_if_changed((source_.dir / source_.file_name).string());
    std::lock_guard lock(peek_mutex_);
    peeked_.reset();  // the file may be another now
    if (saved) {
        source_.behind.clear();  // it holds the catalog's views as they are
        source_.recorded = static_cast<std::int64_t>((*ix)->size());
    }
    return saved;
}

Status ViewIndex::remove(std::int64_t file_id) {
    auto ix = index();
    if (!ix) return ix.error();
    for (int idx = 0; idx < source_.slots; ++idx) (*ix)->remove(id(file_id, idx));
    return Status::success();
}

Status ViewIndex::add(std::int64_t file_id, int idx, const float* v) {
    if (idx < 0 || idx >= source_.slots)
        return Error{source_.what + ": file " + std::to_string(file_id) + " view " + std::to_string(idx) +
                     " does not fit (" + std::to_string(source_.slots) + " per file)"};
    auto ix = index();
    if (!ix) return ix.error();
    return (*ix)->add(id(file_id, idx), v);
}

Status ViewIndex::put(std::int64_t file_id, const float* data, int n) {
    if (auto st = remove(file_id); !st) return st;
    const auto dim = static_cast<std::size_t>(source_.dim);
    for (int idx = 0; idx < n; ++idx)
        if (auto st = add(file_id, idx, data + idx * dim); !st) return st;
    return Status::success();
}

Result<std::vector<Hit>> ViewIndex::search_files(const float* q, std::size_t n) const {
    auto ix = index();
    if (!ix) return ix.error();
    const VectorIndex& index = **ix;
    std::vector<Hit> out;
    if (index.size() == 0 || n == 0) return out;
    std::unordered_map<std::int64_t, std::size_t> at;  // file -> its place in out
    for (const Hit& h : index.search(q, static_cast<int>(std::min(n, index.size())))) {
        const std::int64_t file = h.id / source_.slots;
        auto [it, fresh] = at.emplace(file, out.size());
        if (fresh) out.push_back({file, h.score});
        else out[it->second].score = std::max(out[it->second].score, h.score);
    }
    std::stable_sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) { return a.score > b.score; });
    return out;
}

namespace {

std::string record_key(const std::string& file_name) { return "index_views:" + file_name; }

}  // namespace

Result<std::optional<std::int64_t>> recorded_views(CatalogDb& catalog, const std::string& file_name) {
    auto text = catalog.get_meta(record_key(file_name));
    if (!text) return text.error();
    if (!*text) return std::optional<std::int64_t>();
    try {
        return std::optional<std::int64_t>(std::stoll(**text));
    } catch (const std::exception&) {
        return std::optional<std::int64_t>();  // unreadable: as if never recorded (the catalog's count decides)
    }
}

Status record_views(CatalogDb& catalog, const ViewIndex& index) {
    return catalog.set_meta(record_key(index.file_name()), std::to_string(index.size()));
}

}  // namespace rv
