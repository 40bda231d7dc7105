// Refinement on the candidates' kNN graph (engine/src/search/GraphRefine.h) against plain
// references computed here in double precision: the plain order is the dot product's; alpha query
// expansion adds max(s, 0)^alpha of the best candidates to the query (none: the query itself);
// the kNN graph equals a sort of all pairs; DBA with alpha 0 and one neighbour is the mean of a
// row and its nearest; diffusion over a fully linked graph equals a dense solve of
// (I - alpha S) f = y, and on two disconnected cliques keeps the query's clique first even where
// the plain order interleaves them; copies, and leaders that stand out from the crowd, stay in
// front of a refined order.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "search/GraphRefine.h"

namespace g = rv::graph;

namespace {

std::vector<float> unit(std::vector<double> v)
{
    double n = 0;
    for (double x : v) n += x * x;
    std::vector<float> out;
    for (double x : v) out.push_back(static_cast<float>(x / std::sqrt(n)));
    return out;
}

// `count` seeded random unit vectors of `dim`, all with a positive first coordinate (positive dots,
// as CNN features after ReLU have).
std::vector<float> random_rows(int count, int dim, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<float> rows;
    for (int i = 0; i < count; ++i) {
        std::vector<double> v(static_cast<std::size_t>(dim));
        for (double& x : v) x = u(rng);
        v[0] += 1.0;
        const std::vector<float> r = unit(v);
        rows.insert(rows.end(), r.begin(), r.end());
    }
    return rows;
}

double ddot(const float* a, const float* b, int d)
{
    double s = 0;
    for (int i = 0; i < d; ++i) s += double(a[i]) * b[i];
    return s;
}

std::vector<int> indices(const std::vector<g::Ranked>& r)
{
    std::vector<int> out;
    for (const auto& x : r) out.push_back(x.index);
    return out;
}

// x solving A x = b, A dense n x n (Gaussian elimination with partial pivoting).
std::vector<double> dense_solve(std::vector<double> a, std::vector<double> b)
{
    const std::size_t n = b.size();
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t p = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::abs(a[r * n + c]) > std::abs(a[p * n + c])) p = r;
        for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[p * n + k]);
        std::swap(b[c], b[p]);
        for (std::size_t r = c + 1; r < n; ++r) {
            const double f = a[r * n + c] / a[c * n + c];
            for (std::size_t k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
            b[r] -= f * b[c];
        }
    }
    std::vector<double> x(n);
    for (std::size_t i = n; i-- > 0;) {
        double s = b[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= a[i * n + k] * x[k];
        x[i] = s / a[i * n + i];
    }
    return x;
}

}  // namespace

class TestGraphRefine : public QObject {
    Q_OBJECT
private slots:
    void plainOrderIsTheDotProductsWithTiesByIndex()
    {
        const int d = 8;
        std::vector<float> rows = random_rows(30, d, 1);
        // row 7 duplicated at 21: equal scores, the lower index first
        std::copy(rows.begin() + 7 * d, rows.begin() + 8 * d, rows.begin() + 21 * d);
        const g::Rows cand{rows.data(), 30, d};
        const std::vector<float> q = random_rows(1, d, 2);
        const auto r = g::rank_plain(q.data(), cand);
        QCOMPARE(r.size(), std::size_t(30));
        for (std::size_t i = 1; i < r.size(); ++i) QVERIFY(r[i - 1].score >= r[i].score);
        for (const auto& x : r) QVERIFY(std::abs(x.score - ddot(q.data(), cand.row(x.index), d)) < 1e-5);
        const auto i7 = std::find_if(r.begin(), r.end(), [](const g::Ranked& x) { return x.index == 7; });
        QVERIFY(i7 != r.end() && i7 + 1 != r.end() && (i7 + 1)->index == 21);
    }

    void expansionWithoutNeighboursIsThePlainQuery()
    {
        const int d = 16;
        const std::vector<float> rows = random_rows(20, d, 3);
        const std::vector<float> q = random_rows(1, d, 4);
        const g::Rows cand{rows.data(), 20, d};
        const auto q2 = g::expand_query(q.data(), cand, {0, 3.0});
        for (int i = 0; i < d; ++i) QCOMPARE(q2[static_cast<std::size_t>(i)], q[static_cast<std::size_t>(i)]);
        QCOMPARE(indices(g::expand_and_rank(q.data(), cand, {0, 3.0})), indices(g::rank_plain(q.data(), cand)));
    }

    void expansionAddsTheBestNeighboursWeightedBySimilarityToAlpha()
    {
        const int d = 16, n = 25;
        const std::vector<float> rows = random_rows(n, d, 5);
        const std::vector<float> q = random_rows(1, d, 6);
        const g::Rows cand{rows.data(), n, d};
        const auto plain = g::rank_plain(q.data(), cand);
        for (double alpha : {0.0, 1.0, 3.0}) {
            for (int m : {1, 3}) {
                std::vector<double> ref(q.begin(), q.end());
                for (int r = 0; r < m; ++r) {
                    const float* v = cand.row(plain[static_cast<std::size_t>(r)].index);
                    const double w = std::pow(ddot(q.data(), v, d), alpha);
                    for (int c = 0; c < d; ++c) ref[static_cast<std::size_t>(c)] += w * v[c];
                }
                const std::vector<float> want = unit(ref);
                const auto got = g::expand_query(q.data(), cand, {m, alpha});
                for (int c = 0; c < d; ++c)
                    QVERIFY2(std::abs(got[static_cast<std::size_t>(c)] - want[static_cast<std::size_t>(c)]) < 1e-5,
                             qPrintable(QString("alpha %1, %2 neighbours, coordinate %3").arg(alpha).arg(m).arg(c)));
            }
        }
    }

    void expansionPullsUpTheNeighboursOfTheBestMatch()
    {
        // a: the query's match; b: a near-copy of a, less like the query; c: as like the query as
        // b, unrelated to a. Plain: c before b; expanded with a: b before c.
        const std::vector<float> q = unit({1, 0.6, 0, 0});
        const std::vector<float> a = unit({1, 0, 0.1, 0});
        const std::vector<float> b = unit({1, 0, 0.5, 0});
        const std::vector<float> c = unit({0.6, 0.6, 0, 0.6});
        std::vector<float> rows;
        for (const auto* v : {&a, &b, &c}) rows.insert(rows.end(), v->begin(), v->end());
        const g::Rows cand{rows.data(), 3, 4};
        QCOMPARE(indices(g::rank_plain(q.data(), cand)), (std::vector<int>{0, 2, 1}));
        QCOMPARE(indices(g::expand_and_rank(q.data(), cand, {1, 0.0})), (std::vector<int>{0, 1, 2}));
    }

    void knnGraphIsTheSortOfAllPairs()
    {
        const int d = 12, n = 40, k = 6;
        const std::vector<float> rows = random_rows(n, d, 7);
        const g::Rows db{rows.data(), n, d};
        const g::KnnGraph gr = g::knn_graph(db, k);
        QCOMPARE(gr.k, k);
        for (int i = 0; i < n; ++i) {
            std::vector<std::pair<double, int>> all;
            for (int j = 0; j < n; ++j)
                if (j != i) all.push_back({-ddot(db.row(i), db.row(j), d), j});
            std::sort(all.begin(), all.end());
            for (int r = 0; r < k; ++r) {
                QCOMPARE(gr.neighbour[static_cast<std::size_t>(i * k + r)], all[static_cast<std::size_t>(r)].second);
                QVERIFY(std::abs(gr.score[static_cast<std::size_t>(i * k + r)] + all[static_cast<std::size_t>(r)].first) < 1e-5);
            }
        }
        QCOMPARE(g::knn_graph(g::Rows{rows.data(), 3, d}, 10).k, 2);  // clamped to count - 1
        QCOMPARE(g::knn_graph(g::Rows{rows.data(), 0, d}, 10).neighbour.size(), std::size_t(0));
    }

    void dbaWithOneNeighbourAndAlphaZeroIsTheMeanWithTheNearest()
    {
        const int d = 10, n = 15;
        const std::vector<float> rows = random_rows(n, d, 8);
        const g::Rows db{rows.data(), n, d};
        const g::KnnGraph gr = g::knn_graph(db, 3);
        QCOMPARE(g::augment_database(db, gr, 0, 3.0), rows);
        const std::vector<float> aug = g::augment_database(db, gr, 1, 0.0);
        for (int i = 0; i < n; ++i) {
            const float* nn = db.row(gr.neighbour[static_cast<std::size_t>(i * 3)]);
            std::vector<double> m(static_cast<std::size_t>(d));
            for (int c = 0; c < d; ++c) m[static_cast<std::size_t>(c)] = double(db.row(i)[c]) + nn[c];
            const std::vector<float> want = unit(m);
            for (int c = 0; c < d; ++c)
                QVERIFY(std::abs(aug[static_cast<std::size_t>(i * d + c)] - want[static_cast<std::size_t>(c)]) < 1e-5);
        }
    }

    void diffusionOnAFullyLinkedGraphEqualsADenseSolve()
    {
        const int d = 8, n = 12;
        const std::vector<float> rows = random_rows(n, d, 9);
        const std::vector<float> q = random_rows(1, d, 10);
        const g::Rows cand{rows.data(), n, d};
        g::DiffusionParams p;
        p.graph_k = n - 1;  // every pair linked (and so mutual)
        p.seeds = 4;
        p.gamma = 2;
        p.alpha = 0.8;
        p.iterations = 100;
        // reference: W_ij = s_ij^gamma (i != j), S = D^-1/2 W D^-1/2, y = seeds' s^gamma
        std::vector<double> w(static_cast<std::size_t>(n * n), 0.0), deg(static_cast<std::size_t>(n), 0.0);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                if (i != j) {
                    w[static_cast<std::size_t>(i * n + j)] = std::pow(ddot(cand.row(i), cand.row(j), d), p.gamma);
                    deg[static_cast<std::size_t>(i)] += w[static_cast<std::size_t>(i * n + j)];
                }
        std::vector<double> a(static_cast<std::size_t>(n * n), 0.0), y(static_cast<std::size_t>(n), 0.0);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                a[static_cast<std::size_t>(i * n + j)] = (i == j ? 1.0 : 0.0) -
                    p.alpha * w[static_cast<std::size_t>(i * n + j)] / std::sqrt(deg[static_cast<std::size_t>(i)] * deg[static_cast<std::size_t>(j)]);
        const auto plain = g::rank_plain(q.data(), cand);
        for (int r = 0; r < p.seeds; ++r)
            y[static_cast<std::size_t>(plain[static_cast<std::size_t>(r)].index)] =
                std::pow(double(plain[static_cast<std::size_t>(r)].score), p.gamma);
        const std::vector<double> f = dense_solve(a, y);
        const double top = *std::max_element(f.begin(), f.end());

        const auto got = g::diffuse(q.data(), cand, p);
        QCOMPARE(got.size(), std::size_t(n));
        for (std::size_t r = 0; r < got.size(); ++r) {
            QVERIFY2(std::abs(got[r].score - f[static_cast<std::size_t>(got[r].index)] / top) < 1e-4,
                     qPrintable(QString("rank %1: %2 against %3").arg(r).arg(got[r].score).arg(f[static_cast<std::size_t>(got[r].index)] / top)));
            if (r > 0) QVERIFY(got[r - 1].score >= got[r].score);
        }
    }

    void diffusionKeepsTheQuerysCliqueFirst()
    {
        // clique A around e1, clique B around e2 (dot 0 across: no link); the query leans to A but
        // B's best member beats A's weaker ones on the plain score.
        std::vector<float> rows;
        for (double t : {0.0, 0.5, 1.0, 1.5}) {
            const auto v = unit({1, 0, t, 0});
            rows.insert(rows.end(), v.begin(), v.end());
        }
        for (double t : {0.0, 0.5, 1.0, 1.5}) {
            const auto v = unit({0, 1, 0, t});
            rows.insert(rows.end(), v.begin(), v.end());
        }
        const std::vector<float> q = unit({1, 0.9, 0, 0});
        const g::Rows cand{rows.data(), 8, 4};
        const auto plain = indices(g::rank_plain(q.data(), cand));
        QCOMPARE(plain[0], 0);
        QCOMPARE(plain[1], 4);  // B's best before A's second: the plain order interleaves
        g::DiffusionParams p;
        p.graph_k = 3;
        p.seeds = 1;
        const auto r = indices(g::diffuse(q.data(), cand, p));
        QCOMPARE(r.size(), std::size_t(8));
        for (int i = 0; i < 4; ++i) QVERIFY2(r[static_cast<std::size_t>(i)] < 4, qPrintable(QString("rank %1 is %2").arg(i).arg(r[static_cast<std::size_t>(i)])));
        // B is not reached: it follows in plain order
        QCOMPARE((std::vector<int>(r.begin() + 4, r.end())), (std::vector<int>{4, 5, 6, 7}));
    }

    void copiesStayInFrontOfARefinedOrder()
    {
        const std::vector<g::Ranked> plain{{3, 0.99f}, {1, 0.97f}, {0, 0.8f}, {2, 0.7f}};
        const std::vector<g::Ranked> refined{{2, 1.0f}, {0, 0.9f}, {3, 0.5f}, {1, 0.2f}};
        QCOMPARE(indices(g::keep_copies_first(plain, refined, 0.95f)), (std::vector<int>{3, 1, 2, 0}));
        QCOMPARE(indices(g::keep_copies_first(plain, refined, 1.5f)), (std::vector<int>{2, 0, 3, 1}));
        QCOMPARE(indices(g::keep_copies_first(plain, refined, 0.0f)), (std::vector<int>{3, 1, 0, 2}));
    }

    void leadersThatStandOutStayInFront()
    {
        // two leaders (a copy and the query's own file, say), then a drop, then a crowd
        const std::vector<g::Ranked> plain{{4, 0.99f}, {0, 0.97f}, {1, 0.80f}, {2, 0.79f}, {3, 0.78f}};
        const std::vector<g::Ranked> refined{{2, 1.0f}, {0, 0.9f}, {3, 0.5f}, {4, 0.4f}, {1, 0.2f}};
        // drops 0.02, 0.17, 0.01, 0.01 of a spread of 0.21: the largest, 0.81 of it, after two leaders
        QCOMPARE(indices(g::keep_leaders_first(plain, refined, 0.5)), (std::vector<int>{4, 0, 2, 3, 1}));
        QCOMPARE(indices(g::keep_leaders_first(plain, refined, 0.9)), indices(refined));
        // only the first max_leaders + 1 scores are looked at: with one leader allowed, the drop
        // after the first (0.02 of 0.21) is all there is
        QCOMPARE(indices(g::keep_leaders_first(plain, refined, 0.5, 1)), indices(refined));
        QCOMPARE(indices(g::keep_leaders_first(plain, refined, 0.05, 1)), (std::vector<int>{4, 2, 0, 3, 1}));
        // a crowd without a leader: the refined order
        const std::vector<g::Ranked> flat{{0, 0.95f}, {1, 0.94f}, {2, 0.93f}, {3, 0.92f}};
        const std::vector<g::Ranked> flat_refined{{3, 1.0f}, {2, 0.9f}, {1, 0.8f}, {0, 0.7f}};
        QCOMPARE(indices(g::keep_leaders_first(flat, flat_refined, 0.5)), (std::vector<int>{3, 2, 1, 0}));
        // equal scores: no spread, nothing stands out
        const std::vector<g::Ranked> tie{{0, 0.9f}, {1, 0.9f}};
        QCOMPARE(indices(g::keep_leaders_first(tie, {{1, 1.0f}, {0, 0.5f}}, 0.1)), (std::vector<int>{1, 0}));
    }

    void searchRefinementIsTheChosenExpansionInAnyCandidateOrder()
    {
        const int d = 24, n = 36;
        std::vector<float> rows = random_rows(n, d, 11);
        const std::vector<float> q = random_rows(1, d, 12);
        std::copy(q.begin(), q.end(), rows.begin() + 17 * d);  // the query's own file among the candidates
        const g::Rows cand{rows.data(), n, d};
        const auto got = g::refine_search(q.data(), cand);
        QCOMPARE(indices(got), indices(g::expand_and_rank(q.data(), cand, g::kSearchExpansion)));
        QCOMPARE(got.size(), std::size_t(n));
        QCOMPARE(got[0].index, 17);  // an exact copy of the query stays first
        // the same candidates shuffled: the same files in the same order
        std::vector<int> perm(n);
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937(13));
        std::vector<float> shuffled;
        for (int i : perm) shuffled.insert(shuffled.end(), cand.row(i), cand.row(i) + d);
        const auto again = g::refine_search(q.data(), g::Rows{shuffled.data(), n, d});
        for (std::size_t r = 0; r < got.size(); ++r) QCOMPARE(perm[static_cast<std::size_t>(again[r].index)], got[r].index);
    }

    void noCandidatesGiveEmptyOrders()
    {
        const std::vector<float> q = unit({1, 0});
        const g::Rows none{nullptr, 0, 2};
        QVERIFY(g::rank_plain(q.data(), none).empty());
        QVERIFY(g::expand_and_rank(q.data(), none, {}).empty());
        QVERIFY(g::diffuse(q.data(), none, {}).empty());
        QVERIFY(g::refine_search(q.data(), none).empty());
        QVERIFY(g::gram(none).empty());
        QVERIFY(g::augment_database(none, g::knn_graph(none, 4), 2, 3.0).empty());
    }
};

QTEST_APPLESS_MAIN(TestGraphRefine)
#include "test_graph_refine.moc"
