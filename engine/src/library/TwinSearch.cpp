// Library: the weak-edit twins (augment/EditTwins.h) in the catalog and the twin index (load,
// rebuild, save, keep up to date), read back for ranking; and the candidate reader search() and
// search_region() share.
//
// The twin index is a ViewIndex (library/ViewIndex.h) of the plain feature space holding every
// stored twin, kTwinSlots per file, so that a hit names its file.
#include <algorithm>

#include "augment/EditTwins.h"
#include "library/ViewIndex.h"
#include "ruvision/engine/Library.h"

namespace rv {

namespace {

constexpr const char* kTwinIndexFile = "twins.rvi";
constexpr std::int64_t kTwinSlots = 4;  // kTwinViewCount, with room for one more view
static_assert(kTwinViewCount <= kTwinSlots);

std::string twin_model_id(const std::string& model_id) { return model_id + "#twins"; }

}  // namespace

std::size_t Library::twin_index_size() const { return twins_ ? twins_->size() : 0; }

const std::string& Library::twin_index_state() const {
    static const std::string none;
    return twins_ ? twins_->state() : none;
}

Status Library::load_or_rebuild_twins() {
    auto count = catalog_->twin_count(model_id_);
    if (!count) return count.error();
    twins_ = std::make_unique<ViewIndex>(kTwinIndexFile, "twins", kTwinSlots);
    // A damaged twin only leaves that twin out; the file's feature still finds it.
    return twins_->load_or_rebuild(dir_, embedder_->dim(), twin_model_id(model_id_), *count,
                                   [this](const ViewIndex::Add& add) { return catalog_->for_each_twin(model_id_, add); });
}

Status Library::store_twins(std::int64_t file_id, const std::vector<float>& twins) {
    twins_->remove(file_id);
    if (twins.empty()) return catalog_->clear_twins(file_id);
    const int dim = embedder_->dim();
    if (twins.size() % static_cast<std::size_t>(dim) != 0)
        return Error{"twins: file " + std::to_string(file_id) + ": " + std::to_string(twins.size()) +
                     " values are no whole number of vectors of " + std::to_string(dim)};
    const int n = static_cast<int>(twins.size() / static_cast<std::size_t>(dim));
    if (auto st = catalog_->put_twins(file_id, model_id_, twins.data(), n, dim); !st) return st;
    return twins_->put(file_id, twins.data(), n);
}

Status Library::twins_in_space(std::int64_t file_id, const ActiveAdapter& space, std::vector<float>* out) {
    out->clear();
    int dim = 0;
    auto t = reader_->twins(file_id, model_id_, &dim);
    // A damaged twin counts as none: the file keeps its plain score (open() and the next index
    // run do not depend on it).
    if (!t || t->empty() || dim != index_->dim()) return Status::success();
    if (space.base.empty()) {
        *out = std::move(*t);
        return Status::success();
    }
    out->resize(t->size());
    for (std::size_t at = 0; at < t->size(); at += static_cast<std::size_t>(dim))
        space.base.apply(t->data() + at, out->data() + at);
    return Status::success();
}

Result<bool> Library::read_candidate(std::int64_t id, float score, bool indexed_only, CopyCandidate* out) {
    auto f = reader_->file(id);
    if (!f) return f.error();
    if (!*f || (indexed_only && (*f)->status != FileStatus::Indexed)) return false;
    const CatalogFile& row = **f;
    CopyCandidate& c = *out;
    c = CopyCandidate{};
    c.file_id = id;
    c.path = row.path;
    // Unit vectors give |score| <= 1 up to float rounding (1 + ~1e-7); clamped so that a cosine
    // is never shown above 1.
    c.score = std::clamp(score, -1.0f, 1.0f);
    c.width = row.width;
    c.height = row.height;
    c.size = row.size;
    c.mtime_ns = row.mtime_ns;
    c.full_hash = row.full_hash.value_or(std::string());
    // A damaged feature only keeps this file out of pixel grouping (open() reports it).
    if (auto v = reader_->feature(id); v && *v) c.feature = std::move(**v);
    return true;
}

}  // namespace rv
