// tune() and tune_due() (Tuning.h): the views' groups and the person's marks trained by one
// AdapterTrainer, judged by the guard on held-out images (and held-out marks), stored as a 'tune'
// version through store_version, as learn() stores its versions.
#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "learning/LearningAccess.h"
#include "learning/MarkFeatures.h"
#include "learning/Random.h"
#include "ruvision/engine/Tuning.h"

namespace rv {

namespace {

// The marks as training data appended to the views' rows: rows are copied after `rows`, pairs
// shifted; a seeded fifth of each kind held out when there are enough for learn's guard.
struct MarkSplit {
    std::vector<TrainingPair> train, held;  // rows of the combined matrix
    std::size_t total = 0;
};

MarkSplit add_marks(const MarkFeatures& mf, FeatureMatrix& rows, std::uint64_t seed) {
    MarkSplit out;
    out.total = mf.pairs.size();
    const auto offset = static_cast<std::uint32_t>(rows.size());
    rows.rows.insert(rows.rows.end(), mf.features.rows.begin(), mf.features.rows.end());
    const bool enough = mf.pairs.size() >= kLearnMinMarks && mf.alike >= 2 && mf.different >= 2;
    learning::SplitMix64 rng(seed ^ 0x6d61'726bull);  // "mark"
    for (bool kind : {true, false}) {
        std::vector<TrainingPair> of;
        for (const auto& p : mf.pairs)
            if (p.alike == kind) of.push_back({p.a + offset, p.b + offset, p.alike});
        learning::shuffle(of, rng);
        std::size_t n = 0;
        if (enough) {
            n = static_cast<std::size_t>(std::lround(kLearnHeldOutFraction * static_cast<double>(of.size())));
            n = std::clamp<std::size_t>(n, 1, of.size() - 1);
        }
        out.held.insert(out.held.end(), of.begin(), of.begin() + static_cast<std::ptrdiff_t>(n));
        out.train.insert(out.train.end(), of.begin() + static_cast<std::ptrdiff_t>(n), of.end());
    }
    return out;
}

std::string fixed3(double v) {
    char s[32];
    std::snprintf(s, sizeof s, "%.3f", v);
    return s;
}

}  // namespace

Result<TunedAdapter> train_tune_adapter(const FeatureMatrix& rows, const std::vector<TrainingPair>& pairs,
                                        const TuneParams& params, const std::atomic<bool>& cancel,
                                        const std::function<void(const TuneProgress&)>& progress) {
    TrainParams tp = params.train;
    tp.seed = params.seed;
    tp.discriminant_strength = pairs.empty() ? 0.0f : params.strength / static_cast<float>(pairs.size());
    AdapterTrainer trainer(rows.dim, tp, LowRankAdapter::initial(rows.dim, tp.rank, tp.alpha, tp.seed));
    if (progress) progress({"training", 0, 1, 0});
    auto report = trainer.train(rows, pairs, cancel, [&](const TrainProgress& p) {
        if (progress)
            progress({"training", static_cast<std::size_t>(p.step), static_cast<std::size_t>(p.steps), p.loss});
    });
    if (!report) return Error{"tuning failed: " + report.error().message};
    if (report->cancelled || cancel) return Error{"tuning cancelled; nothing was stored"};
    if (report->steps == 0 && progress) progress({"training", 1, 1, 0});
    if (!trainer.adapter().valid()) return Error{"tuning produced an unusable adapter (a value is not finite)"};
    return TunedAdapter{trainer.adapter(), *report};
}

Result<TuneResult> tune(Library& lib, const TuneParams& params, const std::atomic<bool>& cancel,
                        const std::function<void(const TuneProgress&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    if (auto st = LearningAccess::check_writable(lib, "tuning to the library"); !st) return st.error();
    CatalogDb& db = LearningAccess::catalog(lib);
    const std::string where = "library " + LearningAccess::dir(lib).string();
    const int dim = LearningAccess::dim(lib);

    auto views = make_tune_views(lib, params, cancel, progress);
    if (!views) return views.error();
    auto mf = mark_features(db, lib.model_id(), dim);
    if (!mf) return mf.error();

    FeatureMatrix rows = views->rows;
    std::vector<TrainingPair> train = tune_training_pairs(*views, params.seed);
    const std::vector<TrainingPair> guard = tune_guard_pairs(*views);
    const MarkSplit marks = add_marks(*mf, rows, params.seed);
    train.insert(train.end(), marks.train.begin(), marks.train.end());

    auto tuned = train_tune_adapter(rows, train, params, cancel, progress);
    if (!tuned) return Error{where + ": " + tuned.error().message};
    const LowRankAdapter& base = tuned->adapter;
    const TrainReport* report = &tuned->report;

    TuneResult result;
    result.images = views->images();
    result.views = views->rows.size() - views->images();
    result.skipped = views->skipped;
    result.held_out_images = static_cast<std::size_t>(std::count(views->held_out.begin(), views->held_out.end(), true));
    result.marks = marks.train.size();
    result.held_out_marks = marks.held.size();
    result.seed = params.seed;

    // The guard: held-out images' views (and held-out marks) under the active version and this one.
    const auto active = lib.active_adapter();
    AdapterStack before, after;
    before.base = active->base;
    after.base = base;
    const GuardScore vb = guard_score(before, rows, guard), va = guard_score(after, rows, guard);
    result.held_out_before = vb.auc;
    result.held_out_after = va.auc;
    std::string why;
    bool pass = guard_passes(vb, va, &why);
    for (std::size_t at; (at = why.find("the held-out marks")) != std::string::npos;) why.replace(at, 18, "them");
    why = "on the views of " + std::to_string(result.held_out_images) + " held-out images " + why;
    if (!marks.held.empty()) {
        const GuardScore mb = guard_score(before, rows, marks.held), ma = guard_score(after, rows, marks.held);
        result.marks_before = mb.auc;
        result.marks_after = ma.auc;
        const bool worse = ma.auc < mb.auc - 1e-9;
        why += worse ? "; but it orders the held-out marks worse (AUC " + fixed3(ma.auc) + ", the active " + fixed3(mb.auc) + ")"
                     : "; the held-out marks no worse (AUC " + fixed3(ma.auc) + ", the active " + fixed3(mb.auc) + ")";
        pass = pass && !worse;
    }
    const std::string against = active->version ? "version " + std::to_string(active->version) : "no adapter";
    result.reason = (pass ? "activated: against " : "not activated: against ") + against + ", " + why;

    nlohmann::json summary = {{"images", result.images},
                              {"held_out_images", result.held_out_images},
                              {"views", result.views},
                              {"views_per_image", params.views},
                              {"skipped", result.skipped},
                              {"library_images", LearningAccess::plain_size(lib)},
                              {"seed", params.seed},
                              {"marks", result.marks},
                              {"held_out_marks", result.held_out_marks},
                              {"strength", params.strength},
                              {"steps", report->steps},
                              {"rank", base.rank},
                              {"start", report->start.empty() ? std::string("identity") : report->start}};
    if (!marks.held.empty()) {
        summary["marks_before"] = result.marks_before;
        summary["marks_after"] = result.marks_after;
    }
    CatalogAdapter row;
    row.model_id = lib.model_id();
    row.dim = dim;
    row.rank = base.rank;
    row.params = serialize_adapter(base);
    row.marks = static_cast<std::int64_t>(result.marks + result.held_out_marks);
    row.held_out = static_cast<std::int64_t>(result.held_out_images);
    row.held_out_before = result.held_out_before;
    row.held_out_after = result.held_out_after;
    row.source = "tune";
    row.summary = summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

    LearnResult stored;
    stored.reason = result.reason;
    if (auto st = store_version(lib, std::move(row), pass, stored, cancel, progress,
                                [&](std::int64_t v) { return where + ": version " + std::to_string(v) + " stored"; });
        !st)
        return st.error();
    result.version = stored.version;
    result.activated = stored.activated;
    result.reason = stored.reason;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

Result<TuneDue> tune_due(Library& lib, std::size_t min_images) {
    TuneDue due;
    due.images = LearningAccess::plain_size(lib);
    if (due.images < min_images) {
        due.why = "the library has " + std::to_string(due.images) + " images; tuning waits for " +
                  std::to_string(min_images);
        return due;
    }
    auto rows = LearningAccess::catalog(lib).adapters();
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
        if (r.source != "tune" || r.model_id != lib.model_id()) continue;
        const auto s = nlohmann::json::parse(r.summary, nullptr, false);
        const std::size_t had = s.is_object() && s.contains("library_images") && s["library_images"].is_number_unsigned()
                                    ? s["library_images"].get<std::size_t>()
                                    : 0;
        if (2 * had >= due.images) {
            due.why = "version " + std::to_string(r.version) + " was tuned when the library had " + std::to_string(had) +
                      " of its " + std::to_string(due.images) + " images";
            return due;
        }
    }
    due.due = true;
    due.why = "no tune covers most of the library's " + std::to_string(due.images) + " images";
    return due;
}

}  // namespace rv
