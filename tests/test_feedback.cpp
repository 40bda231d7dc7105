// Feedback without training (Feedback.h): Rocchio against its formula on awkward dimensions, with
// empty lists and a refinement that cancels to nothing; session clustering finds planted clusters,
// is the same for one seed, re-seeds an empty cluster, re-clustering replaces; a new query starts
// from a pattern only within `radius`.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "ruvision/engine/Feedback.h"

namespace {

using Vec = std::vector<float>;

Vec unit(Vec v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    n = std::sqrt(n);
    for (float& x : v) x = float(x / n);
    return v;
}

Vec random_unit(std::mt19937_64& rng, int dim) {
    std::normal_distribution<float> g;
    Vec v(dim);
    for (float& x : v) x = g(rng);
    return unit(v);
}

// v plus gaussian noise of `sigma` per coordinate, normalised.
Vec jitter(std::mt19937_64& rng, const Vec& v, float sigma) {
    std::normal_distribution<float> g(0.f, sigma);
    Vec o = v;
    for (float& x : o) x += g(rng);
    return unit(o);
}

double cosine(const Vec& a, const Vec& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

// The formula of Feedback.h computed plainly, in double.
Vec reference(const Vec& q, const std::vector<Vec>& alike, const std::vector<Vec>& different, float a, float b) {
    std::vector<double> r(q.begin(), q.end());
    for (const auto& v : alike)
        for (std::size_t i = 0; i < r.size(); ++i) r[i] += a * double(v[i]) / alike.size();
    for (const auto& v : different)
        for (std::size_t i = 0; i < r.size(); ++i) r[i] -= b * double(v[i]) / different.size();
    double n = 0;
    for (double x : r) n += x * x;
    n = std::sqrt(n);
    Vec o(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) o[i] = float(r[i] / n);
    return o;
}

std::vector<const float*> ptrs(const std::vector<Vec>& vs) {
    std::vector<const float*> p;
    for (const auto& v : vs) p.push_back(v.data());
    return p;
}

}  // namespace

class TestFeedback : public QObject {
    Q_OBJECT
private slots:
    void rocchio_matches_the_formula_on_awkward_dims();
    void rocchio_with_empty_lists();
    void rocchio_that_cancels_returns_the_query();
    void clustering_finds_planted_clusters();
    void clustering_is_deterministic_per_seed();
    void empty_cluster_is_reseeded();
    void refinement_is_the_mean_of_refined_sessions();
    void reclustering_replaces();
    void start_from_patterns_only_within_radius();
};

void TestFeedback::rocchio_matches_the_formula_on_awkward_dims() {
    std::mt19937_64 rng(7);
    for (int dim : {1, 3, 17, 127, 1001}) {
        const Vec q = random_unit(rng, dim);
        std::vector<Vec> alike, different;
        for (int i = 0; i < 3; ++i) alike.push_back(random_unit(rng, dim));
        for (int i = 0; i < 5; ++i) different.push_back(random_unit(rng, dim));
        const rv::RocchioWeights w{0.65f, 0.45f};
        const Vec got = rv::rocchio(q.data(), dim, ptrs(alike), ptrs(different), w);
        const Vec want = reference(q, alike, different, w.alike, w.different);
        QCOMPARE(int(got.size()), dim);
        for (int i = 0; i < dim; ++i) QVERIFY2(std::abs(got[i] - want[i]) < 1e-5f, qPrintable(QString::number(dim)));
        QVERIFY(std::abs(cosine(got, got) - 1.0) < 1e-5);
    }
}

void TestFeedback::rocchio_with_empty_lists() {
    std::mt19937_64 rng(8);
    const int dim = 33;
    const Vec q = random_unit(rng, dim);
    const Vec a = random_unit(rng, dim), d = random_unit(rng, dim);
    // Nothing marked: q itself.
    const Vec none = rv::rocchio(q.data(), dim, {}, {});
    for (int i = 0; i < dim; ++i) QVERIFY(std::abs(none[i] - q[i]) < 1e-6f);
    // Only alike: the different term is left out (not a mean over zero vectors).
    const Vec only_a = rv::rocchio(q.data(), dim, {a.data()}, {});
    const Vec want_a = reference(q, {a}, {}, rv::RocchioWeights{}.alike, rv::RocchioWeights{}.different);
    for (int i = 0; i < dim; ++i) QVERIFY(std::abs(only_a[i] - want_a[i]) < 1e-5f);
    QVERIFY(cosine(only_a, a) > cosine(q, a));
    const Vec only_d = rv::rocchio(q.data(), dim, {}, {d.data()});
    const Vec want_d = reference(q, {}, {d}, rv::RocchioWeights{}.alike, rv::RocchioWeights{}.different);
    for (int i = 0; i < dim; ++i) QVERIFY(std::abs(only_d[i] - want_d[i]) < 1e-5f);
    QVERIFY(cosine(only_d, d) < cosine(q, d));
    // No dimension: nothing.
    QVERIFY(rv::rocchio(q.data(), 0, {}, {}).empty());
}

void TestFeedback::rocchio_that_cancels_returns_the_query() {
    std::mt19937_64 rng(9);
    const int dim = 5;
    const Vec q = random_unit(rng, dim);
    const Vec e = random_unit(rng, dim);
    Vec m(dim);  // e and 2q - e: their mean is q exactly (up to rounding)
    for (int i = 0; i < dim; ++i) m[i] = 2 * q[i] - e[i];
    const Vec got = rv::rocchio(q.data(), dim, {}, {e.data(), m.data()}, {0.8f, 1.0f});
    QCOMPARE(int(got.size()), dim);
    for (int i = 0; i < dim; ++i) {
        QVERIFY(std::isfinite(got[i]));
        QCOMPARE(got[i], q[i]);
    }
}

void TestFeedback::clustering_finds_planted_clusters() {
    std::mt19937_64 rng(11);
    const int dim = 24, k = 4, per = 30;
    std::vector<Vec> centres;
    for (int c = 0; c < k; ++c) centres.push_back(random_unit(rng, dim));
    std::vector<rv::SessionRecord> sessions;
    std::vector<int> truth;
    for (int i = 0; i < per; ++i)
        for (int c = 0; c < k; ++c) {
            sessions.push_back({jitter(rng, centres[c], 0.05f), {}});
            truth.push_back(c);
        }
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const auto patterns = rv::cluster_sessions(sessions, {k, 25, seed});
        QCOMPARE(int(patterns.size()), k);
        // Each planted centre has its own pattern, close to it, holding its sessions.
        std::set<int> matched;
        for (int c = 0; c < k; ++c) {
            int best = -1;
            double best_cos = -2;
            for (int p = 0; p < k; ++p)
                if (cosine(patterns[p].centroid, centres[c]) > best_cos) {
                    best_cos = cosine(patterns[p].centroid, centres[c]);
                    best = p;
                }
            QVERIFY2(best_cos > 0.97, qPrintable(QString::number(best_cos)));
            QCOMPARE(patterns[best].sessions, std::size_t(per));
            QVERIFY(std::abs(cosine(patterns[best].centroid, patterns[best].centroid) - 1) < 1e-5);
            matched.insert(best);
        }
        QCOMPARE(int(matched.size()), k);
    }
    // k chosen from the count: about sqrt(120 / 2) = 8, at least 1; one session, one pattern.
    QCOMPARE(rv::cluster_sessions(sessions, {0, 25, 1}).size(), std::size_t(8));
    QCOMPARE(rv::cluster_sessions({sessions[0]}, {0, 25, 1}).size(), std::size_t(1));
    QCOMPARE(rv::cluster_sessions({sessions[0]}, {5, 25, 1}).size(), std::size_t(1));  // k <= sessions
    QVERIFY(rv::cluster_sessions({}, {3, 25, 1}).empty());
}

void TestFeedback::clustering_is_deterministic_per_seed() {
    std::mt19937_64 rng(12);
    const int dim = 16;
    std::vector<rv::SessionRecord> sessions;
    for (int i = 0; i < 80; ++i) sessions.push_back({random_unit(rng, dim), {}});  // no structure: seeding matters
    const auto a = rv::cluster_sessions(sessions, {6, 25, 42});
    const auto b = rv::cluster_sessions(sessions, {6, 25, 42});
    QCOMPARE(a.size(), b.size());
    for (std::size_t p = 0; p < a.size(); ++p) {
        QCOMPARE(a[p].centroid, b[p].centroid);
        QCOMPARE(a[p].sessions, b[p].sessions);
    }
    bool differs = false;
    for (std::uint64_t seed = 43; seed < 48 && !differs; ++seed) {
        const auto c = rv::cluster_sessions(sessions, {6, 25, seed});
        for (std::size_t p = 0; p < a.size(); ++p) differs = differs || c[p].centroid != a[p].centroid;
    }
    QVERIFY2(differs, "the seed must matter on points without structure");
}

void TestFeedback::empty_cluster_is_reseeded() {
    // Three sessions with one query and one other: k = 3 must seed a centre twice on one point
    // (D^2 is 0 everywhere once both are centres), so one of two equal centres gets no member at
    // the first assignment (ties go to the lower index); re-seeding gives it a point of its own.
    const Vec a = unit({1, 0, 0, 0, 0, 0, 0}), b = unit({0, 1, 0, 0, 0, 0, 0});
    const std::vector<rv::SessionRecord> sessions{{a, {}}, {a, {}}, {a, {}}, {b, {}}};
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto patterns = rv::cluster_sessions(sessions, {3, 25, seed});
        QCOMPARE(patterns.size(), std::size_t(3));
        std::multiset<std::size_t> sizes;
        for (const auto& p : patterns) sizes.insert(p.sessions);
        QCOMPARE(sizes, (std::multiset<std::size_t>{1, 1, 2}));
        for (const auto& p : patterns) QVERIFY(std::max(cosine(p.centroid, a), cosine(p.centroid, b)) > 0.9999);
    }
}

void TestFeedback::refinement_is_the_mean_of_refined_sessions() {
    const Vec x = unit({1, 0, 0}), y = unit({0, 0, 1});
    const Vec r1 = unit({1, 0.2f, 0}), r2 = unit({1, 0.4f, 0});
    const std::vector<rv::SessionRecord> sessions{{x, r1}, {x, r2}, {x, {}}, {y, {}}};
    const auto patterns = rv::cluster_sessions(sessions, {2, 25, 5});
    QCOMPARE(patterns.size(), std::size_t(2));
    const auto& px = cosine(patterns[0].centroid, x) > 0.99 ? patterns[0] : patterns[1];
    const auto& py = &px == &patterns[0] ? patterns[1] : patterns[0];
    QCOMPARE(px.sessions, std::size_t(3));
    QCOMPARE(py.sessions, std::size_t(1));
    for (int i = 0; i < 3; ++i) {
        const float want = ((r1[i] - x[i]) + (r2[i] - x[i])) / 2;  // the unrefined session counts not
        QVERIFY(std::abs(px.refinement[i] - want) < 1e-6f);
        QCOMPARE(py.refinement[i], 0.f);
    }
}

void TestFeedback::reclustering_replaces() {
    // The patterns are a function of all sessions: clustering more sessions gives the patterns of
    // all of them, not the old ones plus new ones.
    std::mt19937_64 rng(13);
    const int dim = 12;
    const Vec c1 = random_unit(rng, dim), c2 = random_unit(rng, dim);
    std::vector<rv::SessionRecord> sessions;
    for (int i = 0; i < 10; ++i) sessions.push_back({jitter(rng, c1, 0.03f), {}});
    const auto first = rv::cluster_sessions(sessions, {2, 25, 1});
    for (int i = 0; i < 10; ++i) sessions.push_back({jitter(rng, c2, 0.03f), {}});
    const auto second = rv::cluster_sessions(sessions, {2, 25, 1});
    QCOMPARE(second.size(), std::size_t(2));
    std::size_t total = 0;
    for (const auto& p : second) total += p.sessions;
    QCOMPARE(total, std::size_t(20));
    QVERIFY(std::max(cosine(second[0].centroid, c2), cosine(second[1].centroid, c2)) > 0.98);
    QVERIFY(std::max(cosine(second[0].centroid, c1), cosine(second[1].centroid, c1)) > 0.98);
    std::size_t first_total = 0;
    for (const auto& p : first) first_total += p.sessions;
    QCOMPARE(first_total, std::size_t(10));
}

void TestFeedback::start_from_patterns_only_within_radius() {
    const Vec centre = unit({1, 0, 0, 0});
    rv::Pattern p;
    p.centroid = centre;
    p.refinement = {0, 0.5f, 0, 0};
    p.sessions = 3;
    const std::vector<rv::Pattern> patterns{p};
    const Vec near = unit({1, 0.1f, 0, 0.1f});     // cos to the centre ~0.99
    const Vec far = unit({1, 0, 1.5f, 0});         // cos ~0.55
    const Vec moved = rv::start_from_patterns(patterns, near.data(), 4, 0.9f);
    Vec want = near;
    want[1] += 0.5f;
    want = unit(want);
    for (int i = 0; i < 4; ++i) QVERIFY(std::abs(moved[i] - want[i]) < 1e-6f);
    const Vec kept = rv::start_from_patterns(patterns, far.data(), 4, 0.9f);
    QCOMPARE(kept, far);
    // The radius is inclusive at the nearest pattern only; a pattern of another dimension is ignored.
    QCOMPARE(rv::start_from_patterns(patterns, near.data(), 4, 0.999f), near);
    rv::Pattern other;
    other.centroid = {1, 0};
    other.refinement = {0, 1};
    QCOMPARE(rv::start_from_patterns({other}, near.data(), 4, -1.f), near);
    QCOMPARE(rv::start_from_patterns({}, near.data(), 4, -1.f), near);
}

QTEST_GUILESS_MAIN(TestFeedback)
#include "test_feedback.moc"
