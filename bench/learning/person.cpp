#include "learning/person.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <utility>

#include "learning/retrieval.h"

namespace rvlearn {

namespace {

struct Session {
    int query = 0;                          // lib position
    std::vector<std::pair<int, bool>> marks;  // (lib position, alike)
};

// An empty adapter (dim 0) is the identity.
rv::FeatureMatrix apply(const rv::LowRankAdapter& a, const rv::FeatureMatrix& x) {
    if (a.empty()) return x;
    rv::FeatureMatrix y;
    y.dim = x.dim;
    y.rows.resize(x.rows.size());
    a.apply_rows(x.rows.data(), y.rows.data(), x.size());
    return y;
}

rv::FeatureMatrix apply(const rv::AdapterStack& a, const rv::FeatureMatrix& x) {
    rv::FeatureMatrix y;
    y.dim = x.dim;
    y.rows.resize(x.rows.size());
    a.apply_rows(x.rows.data(), y.rows.data(), x.size(), x.dim);
    return y;
}

void set_row(rv::FeatureMatrix& m, std::size_t i, const std::vector<float>& v) {
    std::copy(v.begin(), v.end(), m.rows.begin() + static_cast<std::ptrdiff_t>(i * static_cast<std::size_t>(m.dim)));
}

// Held-out queries (already adapted) against the adapted library `lib`, after the pattern start
// and in-session Rocchio when given.
double score_adapted(const World& w, const rv::FeatureMatrix& lib, rv::FeatureMatrix q,
                     const std::vector<rv::Pattern>* patterns, float radius, const rv::RocchioWeights* rocchio) {
    if (patterns && !patterns->empty())
        for (std::size_t i = 0; i < q.size(); ++i) set_row(q, i, rv::start_from_patterns(*patterns, q.row(i), q.dim, radius));
    if (rocchio) {
        const auto tops = top_k_all(lib, q, 10);
        for (std::size_t i = 0; i < q.size(); ++i) {
            std::vector<const float*> alike, different;
            for (int r : tops[i])
                (w.lib_labels[static_cast<std::size_t>(r)] == w.q_labels[i] ? alike : different)
                    .push_back(lib.row(static_cast<std::size_t>(r)));
            set_row(q, i, rv::rocchio(q.row(i), q.dim, alike, different, *rocchio));
        }
    }
    return map10(lib, w.lib_labels, q, w.q_labels);
}

// One session of the person on `cur` (the library as currently adapted), restricted to the rows
// with allowed[pos] (empty: all), starting from `start` (the query as searched).
Session search_and_mark(const World& w, const rv::FeatureMatrix& cur, int qpos, const std::vector<float>& start,
                        const std::vector<bool>& allowed) {
    Session s{qpos, {}};
    std::vector<int> top;
    if (allowed.empty()) {
        top = top_k(cur, start.data(), 10, qpos);
    } else {
        // Only the allowed rows: search a sub-matrix and map positions back.
        std::vector<int> rows;
        for (std::size_t i = 0; i < allowed.size(); ++i)
            if (allowed[i] && static_cast<int>(i) != qpos) rows.push_back(static_cast<int>(i));
        for (int r : top_k(select(cur, rows), start.data(), 10)) top.push_back(rows[static_cast<std::size_t>(r)]);
    }
    const int ql = w.lib_labels[static_cast<std::size_t>(qpos)];
    for (int r : top) s.marks.emplace_back(r, w.lib_labels[static_cast<std::size_t>(r)] == ql);
    return s;
}

}  // namespace

Split make_split(const Pool& pool, std::uint64_t seed, int library_size, int heldout, double marking_fraction) {
    std::vector<int> all(pool.labels.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    Rng rng(seed);
    rng.shuffle(all);
    Split s;
    s.library.assign(all.begin(), all.begin() + library_size);
    std::vector<int> held(all.begin() + library_size, all.begin() + library_size + heldout);
    const auto marking = static_cast<int>(marking_fraction * library_size);
    for (int i = 0; i < marking; ++i) s.marking.push_back(i);  // the library is already in seeded order
    Rng rng2(seed * 7919 + 17);
    rng2.shuffle(held);
    s.choose.assign(held.begin(), held.begin() + heldout / 2);
    s.report.assign(held.begin() + heldout / 2, held.end());
    return s;
}

World make_world(const Pool& pool, const Split& split, const std::vector<int>& heldout) {
    World w;
    w.lib = select(pool.features, split.library);
    for (int r : split.library) w.lib_labels.push_back(pool.labels[static_cast<std::size_t>(r)]);
    w.marking = split.marking;
    w.queries = select(pool.features, heldout);
    for (int r : heldout) w.q_labels.push_back(pool.labels[static_cast<std::size_t>(r)]);
    return w;
}

Curve run_curve(const World& w, const Parts& parts, const Settings& s, const std::vector<int>& checkpoints,
                std::uint64_t seed) {
    Curve curve;
    rv::AdapterStack stack;
    rv::FeatureMatrix base_adapted = w.lib, cur = w.lib;
    std::vector<rv::TrainingPair> pairs;
    std::set<std::pair<int, int>> seen;
    std::vector<Session> sessions;
    std::vector<rv::Pattern> patterns;
    rv::FastUpdateParams fp = s.fast;
    fp.seed = s.fast.seed + seed;
    rv::PatternParams pp = s.patterns;
    pp.seed = s.patterns.seed + seed;
    std::size_t next = 0;
    int marks = 0;

    const auto recent = [&] {
        const std::size_t n = std::min(pairs.size(), static_cast<std::size_t>(std::max(1, s.fast_window)));
        return std::vector<rv::TrainingPair>(pairs.end() - static_cast<std::ptrdiff_t>(n), pairs.end());
    };

    for (int c : checkpoints) {
        while (marks < c) {
            if (next >= w.marking.size()) {
                curve.error = "the marking part has too few images for " + std::to_string(c) + " marks";
                return curve;
            }
            const int qpos = w.marking[next++];
            std::vector<float> start(cur.row(static_cast<std::size_t>(qpos)), cur.row(static_cast<std::size_t>(qpos)) + cur.dim);
            if (parts.patterns && !patterns.empty()) start = rv::start_from_patterns(patterns, start.data(), cur.dim, s.pattern_radius);
            Session sess = search_and_mark(w, cur, qpos, start, {});
            for (const auto& m : sess.marks) {
                ++marks;
                const auto key = std::minmax(qpos, m.first);
                if (seen.insert(key).second)
                    pairs.push_back({static_cast<std::uint32_t>(qpos), static_cast<std::uint32_t>(m.first), m.second});
                if (parts.fast) stack.fast = rv::update_fast_adapter(stack.fast, base_adapted, recent(), fp);
            }
            sessions.push_back(std::move(sess));
            if (parts.fast) cur = apply(stack.fast, base_adapted);
        }
        if (c > 0 && parts.base) {
            rv::TrainParams tp = s.train;
            tp.seed = s.train.seed + seed;
            rv::AdapterTrainer trainer(w.lib.dim, tp, rv::LowRankAdapter::initial(w.lib.dim, tp.rank, tp.alpha, tp.seed));
            const std::atomic<bool> cancel{false};
            const auto t0 = std::chrono::steady_clock::now();
            auto rep = trainer.train(w.lib, pairs, cancel);
            curve.train_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            if (!rep) {
                curve.error = rep.error().message;
                return curve;
            }
            stack.base = trainer.adapter();
            base_adapted = apply(stack.base, w.lib);
            // A new base version: the fast adapter restarts from the newest marks in its space.
            stack.fast = {};
            if (parts.fast) stack.fast = rv::update_fast_adapter({}, base_adapted, recent(), fp);
            cur = parts.fast ? apply(stack.fast, base_adapted) : base_adapted;
        }
        if (parts.patterns && !sessions.empty()) {
            // Sessions are re-expressed in the current space (a library keeps image ids, not vectors).
            std::vector<rv::SessionRecord> records;
            for (const auto& sess : sessions) {
                rv::SessionRecord r;
                const float* q = cur.row(static_cast<std::size_t>(sess.query));
                r.query.assign(q, q + cur.dim);
                std::vector<const float*> alike, different;
                for (const auto& m : sess.marks) (m.second ? alike : different).push_back(cur.row(static_cast<std::size_t>(m.first)));
                r.refined = rv::rocchio(q, cur.dim, alike, different, s.rocchio);
                records.push_back(std::move(r));
            }
            patterns = rv::cluster_sessions(records, pp);
        }
        if (parts.seen) {
            const std::vector<int> own(w.marking.begin(),
                                       w.marking.begin() + std::min<std::ptrdiff_t>(kSeenQueries, static_cast<std::ptrdiff_t>(w.marking.size())));
            std::vector<int> labels;
            for (int r : own) labels.push_back(w.lib_labels[static_cast<std::size_t>(r)]);
            curve.map.push_back(map10(cur, w.lib_labels, select(cur, own), labels, &own));
            continue;
        }
        curve.map.push_back(score_adapted(w, cur, apply(stack, w.queries), parts.patterns ? &patterns : nullptr,
                                          s.pattern_radius, parts.rocchio ? &s.rocchio : nullptr));
    }
    return curve;
}

std::vector<rv::TrainingPair> collect_marks(const World& w, const rv::AdapterStack& adapters, int sessions,
                                            const std::vector<bool>& query_class_ok, bool restrict_to_classes) {
    const rv::FeatureMatrix cur = apply(adapters, w.lib);
    std::vector<bool> allowed;
    if (restrict_to_classes)
        for (int l : w.lib_labels) allowed.push_back(query_class_ok[static_cast<std::size_t>(l)]);
    std::vector<rv::TrainingPair> pairs;
    std::set<std::pair<int, int>> seen;
    int done = 0;
    for (int qpos : w.marking) {
        if (done >= sessions) break;
        if (!query_class_ok[static_cast<std::size_t>(w.lib_labels[static_cast<std::size_t>(qpos)])]) continue;
        const float* q = cur.row(static_cast<std::size_t>(qpos));
        for (const auto& m : search_and_mark(w, cur, qpos, std::vector<float>(q, q + cur.dim), allowed).marks)
            if (seen.insert(std::minmax(qpos, m.first)).second)
                pairs.push_back({static_cast<std::uint32_t>(qpos), static_cast<std::uint32_t>(m.first), m.second});
        ++done;
    }
    return pairs;
}

double score(const World& w, const rv::AdapterStack& adapters, const std::vector<rv::Pattern>* patterns, float radius,
             const rv::RocchioWeights* rocchio) {
    return score_adapted(w, apply(adapters, w.lib), apply(adapters, w.queries), patterns, radius, rocchio);
}

}  // namespace rvlearn
