#include "learning/experiments.h"

#include <algorithm>
#include <atomic>
#include <chrono>

#include "learning/retrieval.h"

namespace rvlearn {

namespace {

World with_query_classes(const World& w, int lo, int hi) {
    World out = w;
    out.queries.rows.clear();
    out.q_labels.clear();
    for (std::size_t i = 0; i < w.queries.size(); ++i) {
        if (w.q_labels[i] < lo || w.q_labels[i] > hi) continue;
        out.queries.rows.insert(out.queries.rows.end(), w.queries.row(i), w.queries.row(i) + w.queries.dim);
        out.q_labels.push_back(w.q_labels[i]);
    }
    return out;
}

}  // namespace

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::vector<Forgetting> run_forgetting(const World& w, const Settings& s, int sessions_per_phase, std::uint64_t seed) {
    const World w04 = with_query_classes(w, 0, 4), w59 = with_query_classes(w, 5, 9);
    std::vector<bool> first(10, false), second(10, false);
    for (int c = 0; c < 10; ++c) (c < 5 ? first : second)[static_cast<std::size_t>(c)] = true;
    const rv::AdapterStack none;
    const double plain_04 = score(w04, none, nullptr, 0, nullptr), plain_59 = score(w59, none, nullptr, 0, nullptr);
    const auto pairs_a = collect_marks(w, none, sessions_per_phase, first, true);

    struct Variant {
        const char* name;
        bool replay, ewc;
    };
    const Variant variants[] = {{"neither", false, false}, {"replay", true, false}, {"EWC", false, true}, {"replay + EWC", true, true}};
    std::vector<Forgetting> out;
    const std::atomic<bool> cancel{false};
    for (const auto& v : variants) {
        Forgetting f;
        f.variant = v.name;
        f.plain_04 = plain_04;
        f.plain_59 = plain_59;
        rv::TrainParams tp = s.train;
        // What can be forgotten is what gradient steps on new marks alone undo: the library refits
        // the closed-form start on every mark at each learn (nothing to forget), so this measures
        // training continued with steps (40 epochs, the refinement the bench chose its rates for).
        if (tp.epochs == 0) tp.epochs = kForgettingEpochs;
        tp.replay = v.replay;
        tp.ewc = v.ewc;
        tp.seed = s.train.seed + seed;
        rv::AdapterTrainer trainer(w.lib.dim, tp, rv::LowRankAdapter::initial(w.lib.dim, tp.rank, tp.alpha, tp.seed));
        auto ra = trainer.train(w.lib, pairs_a, cancel);
        if (!ra) {
            f.error = ra.error().message;
            out.push_back(f);
            continue;
        }
        trainer.consolidate(w.lib, pairs_a);
        rv::AdapterStack a;
        a.base = trainer.adapter();
        f.after_a_04 = score(w04, a, nullptr, 0, nullptr);
        f.after_a_59 = score(w59, a, nullptr, 0, nullptr);
        const auto pairs_b = collect_marks(w, a, sessions_per_phase, second, true);
        auto rb = trainer.train(w.lib, pairs_b, cancel);
        if (!rb) {
            f.error = rb.error().message;
            out.push_back(f);
            continue;
        }
        rv::AdapterStack b;
        b.base = trainer.adapter();
        f.after_b_04 = score(w04, b, nullptr, 0, nullptr);
        f.after_b_59 = score(w59, b, nullptr, 0, nullptr);
        f.marks_a = static_cast<int>(pairs_a.size());
        f.marks_b = static_cast<int>(pairs_b.size());
        out.push_back(f);
    }
    return out;
}

MarkSpeed measure_mark_speed(const World& w, const Settings& s, int base_sessions, int marks, std::uint64_t seed) {
    MarkSpeed out;
    out.library = static_cast<int>(w.lib.size());
    std::vector<bool> all(10, true);
    auto pairs = collect_marks(w, {}, base_sessions, all, false);
    rv::TrainParams tp = s.train;
    tp.seed = s.train.seed + seed;
    rv::AdapterTrainer trainer(w.lib.dim, tp, rv::LowRankAdapter::initial(w.lib.dim, tp.rank, tp.alpha, tp.seed));
    const std::atomic<bool> cancel{false};
    if (auto r = trainer.train(w.lib, pairs, cancel); !r) {
        out.error = r.error().message;
        return out;
    }
    rv::FeatureMatrix base_adapted;
    base_adapted.dim = w.lib.dim;
    base_adapted.rows.resize(w.lib.rows.size());
    trainer.adapter().apply_rows(w.lib.rows.data(), base_adapted.rows.data(), w.lib.size());
    rv::FeatureMatrix cur = base_adapted;
    rv::LowRankAdapter fast;
    rv::FastUpdateParams fp = s.fast;
    fp.seed = s.fast.seed + seed;
    // New marks: queries after the ones the base adapter learned from, each against its top 10.
    std::size_t next = static_cast<std::size_t>(base_sessions);
    std::vector<int> pending;
    int qpos = -1;
    for (int m = 0; m < marks; ++m) {
        if (pending.empty()) {
            if (next >= w.marking.size()) break;
            qpos = w.marking[next++];
            pending = top_k(cur, cur.row(static_cast<std::size_t>(qpos)), 10, qpos);
            std::reverse(pending.begin(), pending.end());
        }
        const int r = pending.back();
        pending.pop_back();
        pairs.push_back({static_cast<std::uint32_t>(qpos), static_cast<std::uint32_t>(r),
                         w.lib_labels[static_cast<std::size_t>(qpos)] == w.lib_labels[static_cast<std::size_t>(r)]});
        const std::size_t n = std::min(pairs.size(), static_cast<std::size_t>(std::max(1, s.fast_window)));
        const std::vector<rv::TrainingPair> recent(pairs.end() - static_cast<std::ptrdiff_t>(n), pairs.end());
        const auto t0 = std::chrono::steady_clock::now();
        fast = rv::update_fast_adapter(fast, base_adapted, recent, fp);
        rv::AdapterStack{{}, fast}.apply_rows(base_adapted.rows.data(), cur.rows.data(), base_adapted.size(), cur.dim);
        const auto top = top_k(cur, cur.row(static_cast<std::size_t>(qpos)), 10, qpos);
        out.ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (top.empty()) break;
    }
    return out;
}

}  // namespace rvlearn
