// learn(): trains a base adapter version on the library's marks, judges it with the guard on the
// held-out marks, stores it, and activates it when the guard lets it (Learning.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "learning/LearningAccess.h"
#include "learning/MarkFeatures.h"
#include "ruvision/engine/Learning.h"

namespace rv {

namespace {

// Splits the pairs: a seeded `fraction` of the alike ones and of the different ones (at least one
// of each, and at least one of each left to train on) is held out.
void split(const std::vector<TrainingPair>& pairs, double fraction, std::uint64_t seed,
           std::vector<TrainingPair>* train, std::vector<TrainingPair>* held) {
    std::mt19937_64 rng(seed);
    for (bool kind : {true, false}) {
        std::vector<TrainingPair> of;
        for (const auto& p : pairs)
            if (p.alike == kind) of.push_back(p);
        std::shuffle(of.begin(), of.end(), rng);
        auto n = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(of.size())));
        n = std::clamp<std::size_t>(n, 1, of.size() - 1);
        held->insert(held->end(), of.begin(), of.begin() + static_cast<std::ptrdiff_t>(n));
        train->insert(train->end(), of.begin() + static_cast<std::ptrdiff_t>(n), of.end());
    }
}

}  // namespace

Result<LearnResult> learn(Library& lib, const LearnParams& params, const std::atomic<bool>& cancel,
                          const std::function<void(const LearnProgress&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    if (auto st = LearningAccess::check_writable(lib, "learning from the marks"); !st) return st.error();
    CatalogDb& db = LearningAccess::catalog(lib);
    const std::string where = "library " + LearningAccess::dir(lib).string();
    const int dim = LearningAccess::dim(lib);
    auto mf = mark_features(db, lib.model_id(), dim);
    if (!mf) return mf.error();
    if (mf->pairs.empty())
        return Error{where + ": no marks to learn from" +
                     (mf->unusable ? " (its " + std::to_string(mf->unusable) +
                                         " marks are on files not indexed with its model yet; run ruvision-cli index)"
                                   : std::string(" (ruvision-cli mark --help)"))};

    LearnResult result;
    result.marks = mf->pairs.size();
    const bool enough = mf->pairs.size() >= kLearnMinMarks && mf->alike >= 2 && mf->different >= 2;
    std::vector<TrainingPair> train, held;
    if (enough) split(mf->pairs, params.held_out_fraction, params.split_seed, &train, &held);
    else train = mf->pairs;
    result.held_out = held.size();

    const TrainParams& tp = params.train;
    AdapterTrainer trainer(dim, tp, LowRankAdapter::initial(dim, tp.rank, tp.alpha, tp.seed));
    // The closed-form start is one step of its own (with no gradient steps, the whole training).
    if (progress) progress({"training", 0, 1, 0});
    auto report = trainer.train(mf->features, train, cancel, [&](const TrainProgress& p) {
        if (progress)
            progress({"training", static_cast<std::size_t>(p.step), static_cast<std::size_t>(p.steps), p.loss});
    });
    if (report && report->steps == 0 && progress) progress({"training", 1, 1, 0});
    if (!report) return Error{where + ": training failed: " + report.error().message};
    if (report->cancelled || cancel) return Error{where + ": learning cancelled; nothing was stored"};
    const LowRankAdapter base = trainer.adapter();
    if (!base.valid()) return Error{where + ": training produced an unusable adapter (a value is not finite)"};

    // The guard: the held-out marks under the active version (its base; the fast adapter is
    // dropped by any activation) and under the new one.
    const auto active = lib.active_adapter();
    AdapterStack before_stack, after_stack;
    before_stack.base = active->base;
    after_stack.base = base;
    bool pass = false;
    if (!enough) {
        result.reason = "too few marks for the guard to judge it: " + std::to_string(mf->alike) + " alike and " +
                        std::to_string(mf->different) + " different (it needs at least " +
                        std::to_string(kLearnMinMarks) + ", 2 of each kind, to hold some out); stored, not activated";
    } else {
        const GuardScore b = guard_score(before_stack, mf->features, held);
        const GuardScore a = guard_score(after_stack, mf->features, held);
        result.held_out_before = b.auc;
        result.held_out_after = a.auc;
        std::string why;
        pass = guard_passes(b, a, &why);
        const std::string against = active->version ? "version " + std::to_string(active->version) : "no adapter";
        result.reason = (pass ? "activated: against " : "not activated: against ") + against + ", " + why;
    }
    if (!enough) {
        const GuardScore b = guard_score(before_stack, mf->features, mf->pairs);
        const GuardScore a = guard_score(after_stack, mf->features, mf->pairs);
        result.held_out_before = b.auc;  // on the training marks themselves: shown, never decides
        result.held_out_after = a.auc;
    }

    nlohmann::json summary = {{"alike", mf->alike},          {"different", mf->different},
                              {"held_out", held.size()},      {"unusable", mf->unusable},
                              {"files", mf->file_ids.size()}, {"steps", report->steps},
                              {"first_loss", report->first_loss}, {"last_loss", report->last_loss},
                              {"rank", base.rank},            {"alpha", base.alpha},
                              {"start", report->start.empty() ? std::string("identity") : report->start}};
    CatalogAdapter row;
    row.model_id = lib.model_id();
    row.dim = dim;
    row.rank = base.rank;
    row.params = serialize_adapter(base);
    row.marks = static_cast<std::int64_t>(result.marks);
    row.held_out = static_cast<std::int64_t>(held.size());
    if (enough) {
        row.held_out_before = result.held_out_before;
        row.held_out_after = result.held_out_after;
    }
    row.source = "learn";
    row.summary = summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (auto st = store_version(lib, std::move(row), pass, result, cancel, progress,
                                [&](std::int64_t v) { return where + ": version " + std::to_string(v) + " stored"; });
        !st)
        return st.error();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

Status store_version(Library& lib, CatalogAdapter row, bool pass, LearnResult& result, const std::atomic<bool>& cancel,
                     const std::function<void(const LearnProgress&)>& progress,
                     const std::function<std::string(std::int64_t version)>& stored_as) {
    CatalogDb& db = LearningAccess::catalog(lib);
    row.activated = false;
    row.reason = pass ? result.reason + " (its activation did not finish)" : result.reason;
    auto version = db.insert_adapter(row);
    if (!version) return version.error();
    result.version = *version;
    if (!pass) return {};
    const std::string reason = result.reason;
    auto st = activate_version(
        lib, *version, cancel,
        [&](std::size_t done, std::size_t total) {
            if (progress) progress({"re-projecting", done, total, 0});
        },
        [&](CatalogDb& c) { return c.set_adapter_verdict(*version, true, reason); });
    if (st) {
        result.activated = true;
        return {};
    }
    result.reason = "not activated: " + (cancel ? std::string("cancelled") : st.error().message) +
                    " (the guard had passed: " + result.reason + ")";
    if (auto s = db.set_adapter_verdict(*version, false, result.reason); !s) return s;
    if (!cancel) return Error{stored_as(*version) + ", " + result.reason};
    return {};
}

}  // namespace rv
