// Near-duplicate grouping (star_groups) and the whitening it scores with (Whitening), against
// plain reference computations.
#include <QtTest>

#include <cmath>
#include <random>
#include <set>

#include "ruvision/engine/NearDuplicates.h"
#include "ruvision/engine/Whitening.h"

namespace {

std::vector<float> random_unit_rows(int n, int d, std::mt19937& rng) {
    std::normal_distribution<float> g;
    std::vector<float> v(static_cast<std::size_t>(n) * d);
    // A few strong shared directions, as CNN features have, plus noise.
    std::vector<float> common(static_cast<std::size_t>(4) * d);
    for (auto& x : common) x = g(rng);
    for (int i = 0; i < n; ++i) {
        float* r = &v[static_cast<std::size_t>(i) * d];
        for (int c = 0; c < d; ++c) r[c] = 0.3f * g(rng);
        for (int k = 0; k < 4; ++k) {
            const float w = g(rng) * (4 - k);
            for (int c = 0; c < d; ++c) r[c] += w * common[static_cast<std::size_t>(k) * d + c];
        }
        double norm = 0;
        for (int c = 0; c < d; ++c) norm += r[c] * r[c];
        for (int c = 0; c < d; ++c) r[c] = static_cast<float>(r[c] / std::sqrt(norm));
    }
    return v;
}

float dot(const float* a, const float* b, int d) {
    double s = 0;
    for (int c = 0; c < d; ++c) s += static_cast<double>(a[c]) * b[c];
    return static_cast<float>(s);
}

}  // namespace

class TestNearDuplicates : public QObject {
    Q_OBJECT
private slots:
    void whitening_code_matches_applied_vectors_data();
    void whitening_code_matches_applied_vectors();
    void whitening_reduced_form_is_unit_length();
    void star_groups_do_not_chain();
    void star_groups_take_each_item_once();
};

void TestNearDuplicates::whitening_code_matches_applied_vectors_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("d");
    QTest::addColumn<int>("corrected");
    QTest::newRow("n < d, all components") << 37 << 61 << 0;
    QTest::newRow("n > d, all components") << 300 << 61 << 0;
    QTest::newRow("n > d, top 13") << 300 << 61 << 13;
    QTest::newRow("n < d, top 7") << 29 << 133 << 7;
}

// similarity(x.y, encode(x), encode(y)) is the cosine of apply(x) and apply(y), on awkward sizes.
void TestNearDuplicates::whitening_code_matches_applied_vectors() {
    QFETCH(int, n);
    QFETCH(int, d);
    QFETCH(int, corrected);
    std::mt19937 rng(7);
    const auto rows = random_unit_rows(n, d, rng);
    const auto w = rv::Whitening::learn(rows.data(), n, d, 10.0, 0, corrected);
    QCOMPARE(w.out_dim(), d);
    const auto probe = random_unit_rows(20, d, rng);  // unseen vectors too
    std::vector<float> a(d), b(d), ca(w.code_dim()), cb(w.code_dim());
    float worst = 0;
    for (int i = 0; i < 20; ++i)
        for (int j = 0; j < 20; ++j) {
            const float* x = i < 10 ? &rows[static_cast<std::size_t>(i) * d] : &probe[static_cast<std::size_t>(i) * d];
            const float* y = &probe[static_cast<std::size_t>(j) * d];
            w.apply(x, a.data());
            w.apply(y, b.data());
            w.encode(x, ca.data());
            w.encode(y, cb.data());
            worst = std::max(worst, std::abs(w.similarity(dot(x, y, d), ca.data(), cb.data()) - dot(a.data(), b.data(), d)));
        }
    QVERIFY2(worst < 1e-4f, qPrintable(QString::number(worst)));
    // Whitening changes similarities (otherwise the test above proves nothing).
    w.apply(&probe[0], a.data());
    w.apply(&probe[d], b.data());
    QVERIFY(std::abs(dot(a.data(), b.data(), d) - dot(&probe[0], &probe[d], d)) > 1e-3f);
}

void TestNearDuplicates::whitening_reduced_form_is_unit_length() {
    std::mt19937 rng(3);
    const int n = 200, d = 45;
    const auto rows = random_unit_rows(n, d, rng);
    const auto w = rv::Whitening::learn(rows.data(), n, d, 1.0, 16);
    QCOMPARE(w.out_dim(), 16);
    std::vector<float> out(16);
    w.apply(rows.data(), out.data());
    QVERIFY(std::abs(dot(out.data(), out.data(), 16) - 1.0f) < 1e-5f);
}

// A chain a-b-c-d where only neighbours are close: star groups give {a,b} {c,d} (or similar),
// never one group of four in which a and d would be called duplicates.
void TestNearDuplicates::star_groups_do_not_chain() {
    rv::CloseNeighbours close;
    close[1] = {{2, 0.9f}};
    close[2] = {{1, 0.9f}, {3, 0.8f}};
    close[3] = {{2, 0.8f}, {4, 0.95f}};
    close[4] = {{3, 0.95f}};
    const auto groups = rv::star_groups(close);
    for (const auto& g : groups) {
        QVERIFY(g.size() >= 2 && g.size() <= 3);
        QCOMPARE(g[0].score, 1.0f);
        for (std::size_t i = 1; i < g.size(); ++i) {
            // every member is a listed neighbour of the centre
            const auto& list = close[g[0].id];
            QVERIFY(std::any_of(list.begin(), list.end(), [&](const rv::Neighbour& x) { return x.id == g[i].id; }));
        }
    }
    QVERIFY(!groups.empty());
}

void TestNearDuplicates::star_groups_take_each_item_once() {
    rv::CloseNeighbours close;
    // Item 10 has the most neighbours: it is the first centre.
    close[10] = {{11, 0.9f}, {12, 0.8f}, {13, 0.7f}};
    close[11] = {{10, 0.9f}, {14, 0.99f}};
    close[14] = {{11, 0.99f}};
    close[20] = {{21, 0.6f}};
    const auto groups = rv::star_groups(close);
    QCOMPARE(static_cast<int>(groups.size()), 2);
    QCOMPARE(groups[0][0].id, 10);
    QCOMPARE(static_cast<int>(groups[0].size()), 4);
    QCOMPARE(groups[0][1].id, 11);  // by score
    QCOMPARE(groups[1][0].id, 20);  // 14's only neighbour was taken: 14 stays alone
    std::set<std::int64_t> seen;
    for (const auto& g : groups)
        for (const auto& m : g) QVERIFY(seen.insert(m.id).second);
}

QTEST_GUILESS_MAIN(TestNearDuplicates)
#include "test_near_duplicates.moc"
