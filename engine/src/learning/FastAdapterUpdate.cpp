// The fast adapter after a mark (Learning.h): a few steps on the recent marks in the active base
// version's space, stored in the catalog (table fast_adapter) and swapped into the library.
#include "learning/LearningAccess.h"
#include "learning/MarkFeatures.h"
#include "ruvision/engine/Learning.h"

namespace rv {

Result<std::size_t> update_fast_adapter_after_mark(Library& lib) {
    if (auto st = LearningAccess::check_writable(lib, "updating the fast adapter"); !st) return st.error();
    CatalogDb& db = LearningAccess::catalog(lib);
    const int dim = LearningAccess::dim(lib);
    auto mf = mark_features(db, lib.model_id(), dim, kFastRecentMarks);
    if (!mf) return mf.error();
    if (mf->pairs.empty()) return std::size_t{0};
    const auto active = lib.active_adapter();
    FeatureMatrix adapted;
    adapted.dim = dim;
    // An empty adapter (no active version) knows no dimension: the features are then the space.
    if (active->base.empty()) adapted.rows = mf->features.rows;
    else {
        adapted.rows.resize(mf->features.rows.size());
        active->base.apply_rows(mf->features.rows.data(), adapted.rows.data(), mf->features.size());
    }
    const LowRankAdapter fast = update_fast_adapter(active->fast, adapted, mf->pairs, FastUpdateParams{});
    if (!fast.valid() || fast.dim != dim)
        return Error{"library " + LearningAccess::dir(lib).string() +
                     ": the fast adapter's update is not usable (a value is not finite); the previous one is kept"};
    CatalogFastAdapter row;
    row.base_version = active->version;
    row.params = serialize_adapter(fast);
    row.marks = active->fast_marks + 1;
    if (auto st = db.set_fast_adapter(row); !st) return st.error();
    auto next = std::make_shared<ActiveAdapter>(*active);
    next->fast = fast;
    next->fast_marks = row.marks;
    LearningAccess::set_active(lib, std::move(next));
    return mf->pairs.size();
}

}  // namespace rv
