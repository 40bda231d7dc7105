// Library: the weak-edit twins (augment/EditTwins.h) in the catalog and the twin index (load,
// rebuild, save, keep up to date), read back for ranking; and the candidate reader search() and
// search_region() share.
//
// The twin index is a ViewIndex (library/ViewIndex.h) of the plain feature space holding every
// stored twin (idx 0 .. kTwinViewCount - 1) and every stored quarter turn (the feature of the image
// turned 90 degrees clockwise, idx kQuarterTurnSlot), so that a hit names its file.
#include <algorithm>

#include "augment/EditTwins.h"
#include "library/ViewIndex.h"
#include "ruvision/engine/Library.h"

namespace rv {

namespace {

constexpr const char* kTwinIndexFile = "twins.rvi";
constexpr int kQuarterTurnSlot = kTwinViewCount;
constexpr std::int64_t kTwinSlots = kTwinViewCount + 1;

std::string twin_model_id(const std::string& model_id) { return model_id + "#twins"; }

}  // namespace

std::size_t Library::twin_index_size() const { return twins_ ? twins_->size() : 0; }
std::string Library::twin_index_state() const { return twins_ ? twins_->state() : std::string(); }

Status Library::open_twins() {
    auto recorded = recorded_views(*catalog_, kTwinIndexFile);
    if (!recorded) return recorded.error();
    // A damaged twin only leaves that twin out; the file's feature still finds it.
    twins_ = std::make_unique<ViewIndex>(ViewIndex::Source{
        dir_, kTwinIndexFile, "twins", kTwinSlots, embedder_->dim(), twin_model_id(model_id_),
        [this]() -> Result<std::int64_t> {
            auto db = open_own_reader();
            if (!db) return db.error();
            auto twins = db->twin_count(model_id_);
            if (!twins) return twins.error();
            auto turns = db->quarter_turn_count(model_id_);
            if (!turns) return turns.error();
            return *twins + *turns;
        },
        files_behind_, *recorded,
        [this](const ViewIndex::Add& add) -> Status {
            auto db = open_own_reader();
            if (!db) return db.error();
            if (auto st = db->for_each_twin(model_id_, add); !st) return st;
            return db->for_each_quarter_turn(model_id_, [&add](std::int64_t file, int, const float* v, int d) {
                return add(file, kQuarterTurnSlot, v, d);
            });
        }});
    return Status::success();
}

Status Library::store_twins(std::int64_t file_id, const std::vector<float>& twins, const std::vector<float>& turned) {
    if (auto st = twins_->remove(file_id); !st) return st;
    const int dim = embedder_->dim();
    auto add_turned = [&]() -> Status {
        if (static_cast<int>(turned.size()) != dim) return Status::success();
        return twins_->add(file_id, kQuarterTurnSlot, turned.data());
    };
    if (twins.empty()) {
        if (auto st = catalog_->clear_twins(file_id); !st) return st;
        return add_turned();
    }
    if (twins.size() % static_cast<std::size_t>(dim) != 0)
        return Error{"twins: file " + std::to_string(file_id) + ": " + std::to_string(twins.size()) +
                     " values are no whole number of vectors of " + std::to_string(dim)};
    const int n = static_cast<int>(twins.size() / static_cast<std::size_t>(dim));
    if (auto st = catalog_->put_twins(file_id, model_id_, twins.data(), n, dim); !st) return st;
    if (auto st = twins_->put(file_id, twins.data(), n); !st) return st;
    return add_turned();
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
