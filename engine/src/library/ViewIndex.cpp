#include "library/ViewIndex.h"

#include <algorithm>
#include <unordered_map>

namespace rv {

namespace fs = std::filesystem;

ViewIndex::ViewIndex(std::string file_name, std::string what, std::int64_t slots)
    : file_name_(std::move(file_name)), what_(std::move(what)), slots_(slots) {}

Status ViewIndex::load_or_rebuild(const fs::path& dir, int dim, const std::string& index_model_id,
                                  std::int64_t count, const Rows& rows) {
    const fs::path path = dir / file_name_;
    std::string why;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        why = count ? "the " + what_ + " index file is missing" : "";
    } else {
        auto loaded = load_library_index(path.string(), dim, index_model_id);
        if (!loaded) {
            why = loaded.error().message;
        } else if (static_cast<std::int64_t>((*loaded)->size()) != count) {
            why = "the " + what_ + " index file is stale (" + std::to_string((*loaded)->size()) + " " + what_ +
                  ", the catalog has " + std::to_string(count) + ")";
        } else {
            index_ = std::move(*loaded);
            state_ = "ok (" + std::to_string(index_->size()) + " " + what_ + ")";
            return Status::success();
        }
    }
    HnswParams params;
    params.ef_search = 128;
    index_ = std::make_unique<HnswIndex>(dim, index_model_id, params);
    std::vector<std::int64_t> ids;
    std::vector<float> data;
    Status add_status;
    auto flush = [&]() -> Status {
        Status st = ids.empty() ? Status::success() : index_->add_batch(ids.size(), ids.data(), data.data());
        ids.clear();
        data.clear();
        return st;
    };
    auto st = rows([&](std::int64_t file, int idx, const float* v, int d) {
        if (d != dim || idx < 0 || idx >= slots_) return true;
        ids.push_back(id(file, idx));
        data.insert(data.end(), v, v + d);
        if (ids.size() >= 4096 && !(add_status = flush())) return false;
        return true;
    });
    if (!st) return st;
    if (!add_status || !(add_status = flush())) return add_status;
    state_ = why.empty() ? "new"
                         : "rebuilt from the catalog (" + std::to_string(index_->size()) + " " + what_ + "): " + why;
    return Status::success();
}

Status ViewIndex::save(const fs::path& dir) {
    (void)index_->compact();  // as Library::save_index: uncompacted (out of memory) is saved whole
    return index_->save_if_changed((dir / file_name_).string());
}

void ViewIndex::remove(std::int64_t file_id) {
    if (!index_) return;
    for (int idx = 0; idx < slots_; ++idx) index_->remove(id(file_id, idx));
}

Status ViewIndex::add(std::int64_t file_id, int idx, const float* v) {
    if (idx < 0 || idx >= slots_)
        return Error{what_ + ": file " + std::to_string(file_id) + " view " + std::to_string(idx) + " does not fit (" +
                     std::to_string(slots_) + " per file)"};
    return index_->add(id(file_id, idx), v);
}

Status ViewIndex::put(std::int64_t file_id, const float* data, int n) {
    remove(file_id);
    const auto dim = static_cast<std::size_t>(index_->dim());
    for (int idx = 0; idx < n; ++idx)
        if (auto st = add(file_id, idx, data + idx * dim); !st) return st;
    return Status::success();
}

std::vector<Hit> ViewIndex::search_files(const float* q, std::size_t n) const {
    std::vector<Hit> out;
    if (!index_ || index_->size() == 0 || n == 0) return out;
    std::unordered_map<std::int64_t, std::size_t> at;  // file -> its place in out
    for (const Hit& h : index_->search(q, static_cast<int>(std::min(n, index_->size())))) {
        const std::int64_t file = h.id / slots_;
        auto [it, fresh] = at.emplace(file, out.size());
        if (fresh) out.push_back({file, h.score});
        else out[it->second].score = std::max(out[it->second].score, h.score);
    }
    std::stable_sort(out.begin(), out.end(), [](const Hit& a, const Hit& b) { return a.score > b.score; });
    return out;
}

}  // namespace rv
