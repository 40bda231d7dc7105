// Vector index: exact brute force against a double-precision scan, HNSW recall against brute force,
// removal, update, growth, searches while adding, and refusal of vectors that would poison scores.
// Saving and loading: test_index_file.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <thread>
#include <unordered_set>

#include "ruvision/engine/VectorIndex.h"
#include "vector_test_util.h"

using namespace vtest;
using rv::BruteForceIndex;
using rv::Hit;
using rv::HnswIndex;
using rv::VectorIndex;

namespace {

// How far a vector's score against its own stored copy may be from 1: an HNSW index stores
// vectors compact by default (f16 up to 650-d: a relative rounding of at most 2^-11 per value).
constexpr float kOwnCopy = 1e-3f;

bool ranks_before(const Hit& a, const Hit& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
}

}  // namespace

class TestVectorIndex : public QObject {
    Q_OBJECT
private slots:
    void brute_force_is_exact_data();
    void brute_force_is_exact();
    void hnsw_recall_data();
    void hnsw_recall();
    void removed_ids_never_come_back_data() { both_kinds(); }
    void removed_ids_never_come_back();
    void readd_updates_the_vector_data() { both_kinds(); }
    void readd_updates_the_vector();
    void replacing_every_vector_keeps_each_id_once_data();
    void replacing_every_vector_keeps_each_id_once();
    void grows_past_initial_capacity();
    void searches_run_while_adding();
    void bad_vectors_are_refused_data() { both_kinds(); }
    void bad_vectors_are_refused();
};

void TestVectorIndex::brute_force_is_exact_data() {
    QTest::addColumn<int>("d");
    for (int d : {1, 7, 88, 576}) QTest::newRow(qPrintable(QString("dim %1").arg(d))) << d;
}

void TestVectorIndex::brute_force_is_exact() {
    QFETCH(int, d);
    const std::size_t n = 300;
    const auto data = random_unit(n, d, 7u + d);
    const auto queries = random_unit(20, d, 99u + d);
    BruteForceIndex index(d, kModel);
    QVERIFY(index.search(queries.data(), 5).empty());
    QVERIFY(index.add_batch(n, iota_ids(n, 1000).data(), data.data()).ok());
    QCOMPARE(index.size(), n);
    QVERIFY(index.search(queries.data(), 0).empty());
    for (std::size_t qi = 0; qi < 20; ++qi) {
        const float* q = &queries[qi * d];
        std::vector<double> truth(n);
        for (std::size_t i = 0; i < n; ++i) {
            double s = 0;
            for (int j = 0; j < d; ++j) s += double(q[j]) * data[i * d + j];
            truth[i] = s;
        }
        std::vector<double> sorted_truth = truth;
        std::sort(sorted_truth.rbegin(), sorted_truth.rend());
        for (int k : {1, 10, int(n) + 5}) {
            const auto hits = index.search(q, k);
            QCOMPARE(hits.size(), std::min<std::size_t>(k, n));
            std::unordered_set<std::int64_t> seen;
            for (std::size_t r = 0; r < hits.size(); ++r) {
                const std::int64_t id = hits[r].id;
                QVERIFY(id >= 1000 && id < 1000 + std::int64_t(n) && seen.insert(id).second);
                QVERIFY(std::abs(hits[r].score - truth[id - 1000]) < 1e-5);
                QVERIFY(std::abs(hits[r].score - sorted_truth[r]) < 1e-5);  // a true top-k
                if (r > 0) QVERIFY(ranks_before(hits[r - 1], hits[r]));
            }
        }
    }
}

void TestVectorIndex::hnsw_recall_data() {
    QTest::addColumn<int>("threads");
    QTest::newRow("1 build thread") << 1;
    QTest::newRow("2 build threads") << 2;
}

void TestVectorIndex::hnsw_recall() {
    QFETCH(int, threads);
    const int d = 576;
    const std::size_t n = 5000, nq = 200;
    const auto all = clustered(n + nq, d, 1234);
    const std::vector<float> data(all.begin(), all.begin() + n * d);
    const std::vector<float> queries(all.begin() + n * d, all.end());
    rv::HnswParams p;
    p.build_threads = threads;
    HnswIndex hnsw(d, kModel, p);
    BruteForceIndex exact(d, kModel);
    const auto ids = iota_ids(n);
    QVERIFY(hnsw.add_batch(n, ids.data(), data.data()).ok());
    QVERIFY(exact.add_batch(n, ids.data(), data.data()).ok());
    QCOMPARE(hnsw.size(), n);
    QCOMPARE(hnsw.ef_search(), 64);
    const double recall = recall_at(hnsw, exact, queries, d, 10);
    qInfo("recall@10 = %.4f (ef_search 64, %d build threads)", recall, threads);
    QVERIFY2(recall >= 0.95, qPrintable(QString::number(recall)));
    // Scores are cosines, best first.
    const auto hits = hnsw.search(queries.data(), 10);
    QCOMPARE(hits.size(), std::size_t(10));
    for (std::size_t r = 1; r < hits.size(); ++r) QVERIFY(ranks_before(hits[r - 1], hits[r]));
    QVERIFY(hits[0].score > 0.3f && hits[0].score <= 1.0001f);
}

void TestVectorIndex::removed_ids_never_come_back() {
    QFETCH(bool, hnsw);
    const int d = 32;
    const std::size_t n = 1000;
    const auto data = clustered(n, d, 5, 10);
    auto index = make(hnsw, d);
    QVERIFY(index->add_batch(n, iota_ids(n).data(), data.data()).ok());
    std::unordered_set<std::int64_t> removed;
    std::mt19937 rng(3);
    while (removed.size() < 300) {
        const std::int64_t id = rng() % n;
        const bool first = removed.insert(id).second;
        QCOMPARE(index->remove(id), first);
        QVERIFY(!index->contains(id));
    }
    QVERIFY(!index->remove(123456));  // never added: not an error
    QCOMPARE(index->size(), n - removed.size());
    for (std::size_t i = 0; i < n; i += 7) {  // removed vectors themselves as queries too
        const auto hits = index->search(&data[i * d], 20);
        QCOMPARE(hits.size(), std::size_t(20));
        for (const Hit& h : hits) QVERIFY2(!removed.count(h.id), qPrintable(QString::number(h.id)));
    }
}

void TestVectorIndex::readd_updates_the_vector() {
    QFETCH(bool, hnsw);
    const int d = 64;
    const std::size_t n = 500;
    const auto data = clustered(n, d, 11, 8);
    const auto fresh = random_unit(2, d, 77);
    auto index = make(hnsw, d);
    QVERIFY(index->add_batch(n, iota_ids(n).data(), data.data()).ok());
    QVERIFY(index->add(42, &fresh[0]).ok());
    QCOMPARE(index->size(), n);
    QCOMPARE(index->search(&fresh[0], int(n) + 10).size(), n);  // k > size: everything
    auto hits = index->search(&fresh[0], 1);
    QCOMPARE(hits.at(0).id, std::int64_t(42));
    QVERIFY(std::abs(hits[0].score - 1.0f) < kOwnCopy);
    for (const Hit& h : index->search(&data[42 * d], 10))  // the old vector is gone
        QVERIFY(h.id != 42 || h.score < 0.999f);
    // A removed id comes back with its new vector; in one batch, the last row of an id wins.
    QVERIFY(index->remove(42));
    const std::int64_t twice[] = {42, 42};
    QVERIFY(index->add_batch(2, twice, fresh.data()).ok());
    QVERIFY(index->contains(42));
    QCOMPARE(index->size(), n);
    hits = index->search(&fresh[d], 1);
    QCOMPARE(hits.at(0).id, std::int64_t(42));
    QVERIFY(std::abs(hits[0].score - 1.0f) < kOwnCopy);
}

void TestVectorIndex::replacing_every_vector_keeps_each_id_once_data() {
    QTest::addColumn<bool>("hnsw");
    QTest::addColumn<int>("n");
    for (bool hnsw : {true, false})
        for (int n : {1, 2, 3, 5, 40, 300})
            QTest::newRow(qPrintable(QString("%1, %2 vectors").arg(hnsw ? "hnsw" : "brute").arg(n))) << hnsw << n;
}

// Files re-embedded to new vectors (edited in place, re-indexed): every id, the entry point and
// nodes alone at their level included, twice, then through a save and a load, and once more.
void TestVectorIndex::replacing_every_vector_keeps_each_id_once() {
    QFETCH(bool, hnsw);
    QFETCH(int, n);
    const int d = 16;
    QTemporaryDir dir;
    const std::string path = dir.filePath("library.rvidx").toStdString();
    std::unique_ptr<VectorIndex> index = make(hnsw, d);
    const auto ids = iota_ids(std::size_t(n), -2);  // negative ids too
    std::vector<float> now;
    for (unsigned round = 0; round < 4; ++round) {
        const auto before = now;
        now = random_unit(std::size_t(n), d, 100 + round);
        if (round % 2) {
            for (int i = 0; i < n; ++i) QVERIFY(index->add(ids[i], &now[std::size_t(i) * d]).ok());
        } else {
            QVERIFY(index->add_batch(std::size_t(n), ids.data(), now.data()).ok());
        }
        if (round == 2) {
            QVERIFY(index->save(path).ok());
            auto loaded = rv::load_index(path, d, kModel);
            QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
            index = std::move(*loaded);
        }
        QCOMPARE(index->size(), std::size_t(n));
        for (int i = 0; i < n; ++i) {
            QVERIFY(index->contains(ids[i]));
            const auto all = index->search(&now[std::size_t(i) * d], n + 5);
            QCOMPARE(all.size(), std::size_t(n));  // each id once, no replaced vector left
            std::set<std::int64_t> seen;
            for (const Hit& h : all) QVERIFY(seen.insert(h.id).second && h.id >= -2 && h.id < n - 2);
            const auto top = index->search(&now[std::size_t(i) * d], 1);
            QCOMPARE(top.at(0).id, ids[i]);
            QVERIFY(std::abs(top[0].score - 1.0f) < kOwnCopy);
            if (!before.empty() && n > 1) {  // the old vector is no longer there
                const auto old = index->search(&before[std::size_t(i) * d], n);
                for (const Hit& h : old) QVERIFY(h.id != ids[i] || h.score < 0.999f);
            }
        }
    }
    QVERIFY(index->remove(ids[0]));
    QCOMPARE(index->size(), std::size_t(n - 1));
    if (hnsw) {  // the labels a replaced node takes are not ids anyone can add
        const std::int64_t reserved = std::numeric_limits<std::int64_t>::min();
        const auto st = index->add(reserved, now.data());
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.find("reserved") != std::string::npos, st.error().message.c_str());
    }
}

void TestVectorIndex::grows_past_initial_capacity() {
    const int d = 24;
    const std::size_t n = 3000;
    const auto data = clustered(n, d, 21, 20);
    rv::HnswParams p;
    p.initial_capacity = 16;
    HnswIndex index(d, kModel, p);
    QCOMPARE(index.capacity(), std::size_t(16));
    for (std::size_t i = 0; i < 1000; ++i) QVERIFY(index.add(std::int64_t(i), &data[i * d]).ok());
    const auto ids = iota_ids(n - 1000, 1000);
    QVERIFY(index.add_batch(n - 1000, ids.data(), &data[1000 * d]).ok());
    QCOMPARE(index.size(), n);
    QVERIFY(index.capacity() >= n);
    std::size_t self_found = 0;
    for (std::size_t i = 0; i < n; ++i) self_found += index.search(&data[i * d], 1).at(0).id == std::int64_t(i);
    QVERIFY2(self_found >= n * 99 / 100, qPrintable(QString::number(self_found)));
}

void TestVectorIndex::searches_run_while_adding() {
    const int d = 48;
    const std::size_t n = 2000;
    const auto data = clustered(n, d, 71, 10);
    HnswIndex index(d, kModel);
    QVERIFY(index.add_batch(100, iota_ids(100).data(), data.data()).ok());
    std::atomic<bool> done{false};
    std::atomic<std::size_t> searches{0};
    std::thread reader([&] {
        while (!done) {
            const auto hits = index.search(&data[(searches % n) * d], 5);
            if (hits.empty()) break;
            ++searches;
        }
    });
    for (std::size_t i = 100; i < n; ++i) QVERIFY(index.add(std::int64_t(i), &data[i * d]).ok());
    done = true;
    reader.join();
    QCOMPARE(index.size(), n);
    QVERIFY(searches > 0);
}

// A NaN, an infinity, a huge value or a vector that is not unit length would poison every score
// computed through it: refused, naming the id, and the index is left as it was.
void TestVectorIndex::bad_vectors_are_refused() {
    QFETCH(bool, hnsw);
    const int d = 8;
    auto index = make(hnsw, d);
    const auto good = random_unit(3, d, 5);
    QVERIFY(index->add_batch(3, iota_ids(3).data(), good.data()).ok());
    const std::vector<std::pair<const char*, std::function<void(std::vector<float>&)>>> bad = {
        {"nan", [](auto& v) { v[2] = std::nanf(""); }},
        {"inf", [](auto& v) { v[0] = -std::numeric_limits<float>::infinity(); }},
        {"1e37", [](auto& v) { v[5] = 1e37f; }},
        {"zero", [](auto& v) { std::fill(v.begin(), v.end(), 0.0f); }},
        {"norm 1.01", [](auto& v) { for (auto& x : v) x *= 1.01f; }},
    };
    for (const auto& [name, spoil] : bad) {
        auto v = random_unit(1, d, 9);
        spoil(v);
        auto st = index->add(42, v.data());
        QVERIFY2(!st.ok(), name);
        QVERIFY2(QString::fromStdString(st.error().message).contains("id 42"), st.error().message.c_str());
        // In a batch, one bad row refuses all of it.
        auto batch = random_unit(3, d, 11);
        std::copy(v.begin(), v.end(), batch.begin() + d);
        QVERIFY2(!index->add_batch(3, iota_ids(3, 100).data(), batch.data()).ok(), name);
        QCOMPARE(index->size(), std::size_t(3));
        QVERIFY(!index->contains(42) && !index->contains(100));
    }
    for (const Hit& h : index->search(good.data(), 3)) QVERIFY(std::isfinite(h.score) && std::fabs(h.score) <= 1.0001f);
    QVERIFY(rv::vector_problem(good.data(), d).empty());
}

QTEST_APPLESS_MAIN(TestVectorIndex)
#include "test_vector_index.moc"
