// Vector index: exact brute force against a double-precision scan, HNSW recall against brute force,
// removal, update, growth, save/load, and refusal of every kind of damaged file without a crash.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <thread>
#include <unordered_set>

#include <sys/stat.h>
#include <xxhash.h>

#include "ruvision/engine/VectorIndex.h"

using rv::BruteForceIndex;
using rv::Hit;
using rv::HnswIndex;
using rv::VectorIndex;

namespace {

const std::string kModel = "mobilenet_v2/gem3:expand13";

// How far a vector's score against its own stored copy may be from 1: an HNSW index stores
// vectors compact by default (f16 up to 650-d: a relative rounding of at most 2^-11 per value).
constexpr float kOwnCopy = 1e-3f;

void normalize(float* v, int d) {
    double s = 0;
    for (int i = 0; i < d; ++i) s += double(v[i]) * v[i];
    const float inv = s > 0 ? float(1.0 / std::sqrt(s)) : 0.0f;
    for (int i = 0; i < d; ++i) v[i] *= inv;
}

// n unit vectors, i.i.d. Gaussian directions.
std::vector<float> random_unit(std::size_t n, int d, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<float> v(n * d);
    for (auto& x : v) x = g(rng);
    for (std::size_t i = 0; i < n; ++i) normalize(&v[i * d], d);
    return v;
}

// n unit vectors in `clusters` clusters: a random unit centre, plus a spread along 4 directions
// of its own, plus a little isotropic noise; then normalised.
std::vector<float> clustered(std::size_t n, int d, unsigned seed, int clusters = 50) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    const auto centres = random_unit(clusters, d, seed + 1);
    std::vector<float> basis(std::size_t(clusters) * 4 * d);
    for (auto& x : basis) x = g(rng) / std::sqrt(float(d));
    std::vector<float> v(n * d);
    for (std::size_t i = 0; i < n; ++i) {
        const int c = int(rng() % clusters);
        float* x = &v[i * d];
        for (int j = 0; j < d; ++j) x[j] = centres[c * d + j] + 0.3f * g(rng) / std::sqrt(float(d));
        for (int b = 0; b < 4; ++b) {
            const float z = 0.4f * g(rng);
            for (int j = 0; j < d; ++j) x[j] += z * basis[(std::size_t(c) * 4 + b) * d + j];
        }
        normalize(x, d);
    }
    return v;
}

std::vector<std::int64_t> iota_ids(std::size_t n, std::int64_t first = 0) {
    std::vector<std::int64_t> ids(n);
    std::iota(ids.begin(), ids.end(), first);
    return ids;
}

bool ranks_before(const Hit& a, const Hit& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
}

std::vector<char> read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write_all(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

// Header layout from engine/src/index/IndexFile.h: payload at 48 + L, checksum at 40 + L.
std::size_t payload_offset(const std::vector<char>& f) {
    std::uint32_t len;
    std::memcpy(&len, f.data() + 28, 4);
    return 48 + len;
}

// The checksum of the payload made to match it again: XXH3-64 (format version 2, what save writes).
void fix_checksum(std::vector<char>& f) {
    const std::size_t at = payload_offset(f);
    const std::uint64_t h = XXH3_64bits(f.data() + at, f.size() - at);
    std::memcpy(f.data() + at - 8, &h, 8);
}

std::unique_ptr<VectorIndex> make(bool hnsw, int d, rv::HnswParams p = {}) {
    if (hnsw) return std::make_unique<HnswIndex>(d, kModel, p);
    return std::make_unique<BruteForceIndex>(d, kModel);
}

double recall_at(const VectorIndex& approx, const VectorIndex& exact, const std::vector<float>& q,
                 int d, int k) {
    const std::size_t nq = q.size() / d;
    std::size_t found = 0, total = 0;
    for (std::size_t i = 0; i < nq; ++i) {
        const auto truth = exact.search(&q[i * d], k);
        const auto got = approx.search(&q[i * d], k);
        std::unordered_set<std::int64_t> s;
        for (const Hit& h : got) s.insert(h.id);
        for (const Hit& h : truth) found += s.count(h.id);
        total += truth.size();
    }
    return double(found) / double(total);
}

}  // namespace

class TestVectorIndex : public QObject {
    Q_OBJECT
private slots:
    void brute_force_is_exact_data();
    void brute_force_is_exact();
    void hnsw_recall_data();
    void hnsw_recall();
    void removed_ids_never_come_back_data() { both(); }
    void removed_ids_never_come_back();
    void readd_updates_the_vector_data() { both(); }
    void readd_updates_the_vector();
    void replacing_every_vector_keeps_each_id_once_data();
    void replacing_every_vector_keeps_each_id_once();
    void grows_past_initial_capacity();
    void save_load_roundtrip_data();
    void save_load_roundtrip();
    void damaged_files_are_refused_data();
    void damaged_files_are_refused();
    void corrupt_graph_with_valid_checksum();
    void searches_run_while_adding();
    void bad_vectors_are_refused_data() { both(); }
    void bad_vectors_are_refused();
    void damaged_vector_in_file_is_refused_data() { both(); }
    void damaged_vector_in_file_is_refused();
    void index_path_that_is_not_a_file();
    void save_if_changed_writes_only_changes_data() { both(); }
    void save_if_changed_writes_only_changes();

private:
    static void both() {
        QTest::addColumn<bool>("hnsw");
        QTest::newRow("hnsw") << true;
        QTest::newRow("brute") << false;
    }
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

void TestVectorIndex::save_load_roundtrip_data() {
    QTest::addColumn<bool>("hnsw");
    QTest::addColumn<int>("storage");
    QTest::newRow("brute force") << false << 0;
    for (auto s : {rv::VectorStorage::F32, rv::VectorStorage::F16, rv::VectorStorage::I8})
        QTest::newRow(qPrintable(QString("hnsw, %1").arg(rv::storage_name(s)))) << true << int(s);
}

void TestVectorIndex::save_load_roundtrip() {
    QFETCH(bool, hnsw);
    QFETCH(int, storage);
    QTemporaryDir dir;
    const std::string path = dir.filePath("library.rvidx").toStdString();
    const int d = 88;
    const std::size_t n = 2000;
    const auto data = clustered(n, d, 31, 30);
    const auto queries = clustered(50, d, 32, 30);
    rv::HnswParams p;
    p.storage = rv::VectorStorage(storage);
    auto index = make(hnsw, d, p);
    QVERIFY(index->add_batch(n, iota_ids(n, -500).data(), data.data()).ok());  // negative ids too
    for (std::int64_t id = -500; id < 0; id += 3) QVERIFY(index->remove(id));
    if (hnsw) static_cast<HnswIndex&>(*index).set_ef_search(100);
    const rv::Status saved = index->save(path);
    QVERIFY2(saved.ok(), saved.error().message.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));

    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    VectorIndex& back = **loaded;
    QCOMPARE(back.kind(), index->kind());
    QCOMPARE(back.dim(), d);
    QCOMPARE(back.model_id(), kModel);
    QCOMPARE(back.size(), index->size());
    QVERIFY(!back.contains(-500) && back.contains(-499));
    if (hnsw) QCOMPARE(static_cast<HnswIndex&>(back).ef_search(), 100);
    if (hnsw) QVERIFY(static_cast<HnswIndex&>(back).storage() == rv::VectorStorage(storage));
    for (std::size_t i = 0; i < 50; ++i) {
        const auto a = index->search(&queries[i * d], 10);
        const auto b = back.search(&queries[i * d], 10);
        QCOMPARE(a.size(), b.size());
        for (std::size_t r = 0; r < a.size(); ++r) {
            QCOMPARE(a[r].id, b[r].id);
            QCOMPARE(a[r].score, b[r].score);
        }
    }
    // The loaded index keeps working: it grows and finds what is added.
    const auto extra = random_unit(100, d, 33);
    QVERIFY(back.add_batch(100, iota_ids(100, 10000).data(), extra.data()).ok());
    QCOMPARE(back.search(&extra[50 * d], 1).at(0).id, std::int64_t(10050));
    QCOMPARE(rv::load_index(path, d, "").ok(), true);  // empty model id: accepted (inspection)
}

// What load_index is given: the file's bytes (payload = offset of the payload) and expectations.
struct LoadInput {
    std::vector<char> bytes;
    std::size_t payload;
    int dim;
    std::string model;
};

// One way to damage that, and the reason the error must give. No `apply`: the file is missing.
struct Damage {
    const char* name;
    const char* reason;
    std::function<void(LoadInput&)> apply;
};

const std::vector<Damage>& damages() {
    using In = LoadInput;
    static const std::vector<Damage> all = {
        {"missing", "does not exist", {}},
        {"empty", "empty", [](In& t) { t.bytes.clear(); }},
        {"truncate 5", "truncated", [](In& t) { t.bytes.resize(5); }},
        {"truncate 20", "truncated", [](In& t) { t.bytes.resize(20); }},
        {"truncate in model id", "truncated", [](In& t) { t.bytes.resize(40); }},
        {"truncate before payload", "truncated", [](In& t) { t.bytes.resize(t.payload - 1); }},
        {"truncate in payload", "truncated", [](In& t) { t.bytes.resize(t.payload + 3); }},
        {"truncate half", "truncated", [](In& t) { t.bytes.resize(t.bytes.size() / 2); }},
        {"truncate last byte", "truncated", [](In& t) { t.bytes.pop_back(); }},
        {"trailing bytes", "unexpected bytes after the payload", [](In& t) { t.bytes.push_back(0); }},
        {"flip first payload byte", "checksum mismatch", [](In& t) { t.bytes[t.payload] ^= 1; }},
        {"flip payload byte", "checksum mismatch",
         [](In& t) { t.bytes[t.payload + (t.bytes.size() - t.payload) / 3] ^= 0x20; }},
        {"flip last payload byte", "checksum mismatch", [](In& t) { t.bytes.back() ^= 0x40; }},
        {"bad magic", "bad magic", [](In& t) { t.bytes[3] = 'X'; }},
        {"not an index", "bad magic", [](In& t) { t.bytes.assign({'{', '"', '}'}); }},
        {"version", "format version 7 is not supported", [](In& t) { t.bytes[8] = 7; }},
        {"wrong dim", "dimension mismatch: the index holds 16-d vectors, the library uses 17-d",
         [](In& t) { t.dim = 17; }},
        {"wrong model",
         "built for model 'mobilenet_v2/gem3:expand13', library uses 'mobilenet_v3/avg:last'",
         [](In& t) { t.model = "mobilenet_v3/avg:last"; }},
    };
    return all;
}

void TestVectorIndex::damaged_files_are_refused_data() {
    QTest::addColumn<bool>("hnsw");
    QTest::addColumn<int>("damage");
    for (bool hnsw : {true, false})
        for (std::size_t i = 0; i < damages().size(); ++i)
            QTest::newRow(qPrintable(QString("%1: %2").arg(hnsw ? "hnsw" : "brute", damages()[i].name)))
                << hnsw << int(i);
}

void TestVectorIndex::damaged_files_are_refused() {
    QFETCH(bool, hnsw);
    QFETCH(int, damage);
    const Damage& dmg = damages()[damage];
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.rvidx").toStdString();
    const int d = 16;
    const auto data = clustered(200, d, 41, 5);
    auto index = make(hnsw, d);
    QVERIFY(index->add_batch(200, iota_ids(200).data(), data.data()).ok());
    QVERIFY(index->save(path).ok());
    const auto bytes = read_all(path);
    LoadInput in{bytes, payload_offset(bytes), d, kModel};
    if (dmg.apply) dmg.apply(in);
    write_all(path, in.bytes);
    const std::string open_path = dmg.apply ? path : path + ".absent";
    auto loaded = rv::load_index(open_path, in.dim, in.model);
    QVERIFY(!loaded.ok());
    const QString msg = QString::fromStdString(loaded.error().message);
    QVERIFY2(msg.contains(QString::fromStdString(open_path)), qPrintable(msg));
    QVERIFY2(msg.contains(dmg.reason), qPrintable(msg));
}

// A checksum only catches accidents: bytes that pass it are still checked before hnswlib sees
// them, so even a deliberately forged graph gives an error, not a crash.
void TestVectorIndex::corrupt_graph_with_valid_checksum() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("forged.rvidx").toStdString();
    const int d = 8;
    const auto data = clustered(300, d, 51, 6);
    HnswIndex index(d, kModel);
    QVERIFY(index.add_batch(300, iota_ids(300).data(), data.data()).ok());
    QVERIFY(index.remove(17));
    QVERIFY(index.save(path).ok());
    const auto good = read_all(path);
    // ef_search and storage (4 bytes each), hnswlib's 96-byte header, then element 0: link
    // count, flags, links.
    const std::size_t graph = payload_offset(good) + 8, element0 = graph + 96;

    auto forged = good;
    const std::uint32_t outside = 0xFFFFFF00u;
    std::memcpy(&forged[element0 + 4], &outside, 4);
    fix_checksum(forged);
    write_all(path, forged);
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains("corrupt index graph"),
             loaded.error().message.c_str());

    // Random damage anywhere in the graph, checksum repaired: refused or loaded, never a crash,
    // and whatever loads can be searched and extended.
    std::mt19937 rng(61);
    int refused = 0, accepted = 0;
    for (int trial = 0; trial < 400; ++trial) {
        forged = good;
        const int flips = 1 + int(rng() % 4);
        const bool in_header = trial % 4 == 0;  // a quarter aimed at hnswlib's header fields
        for (int f = 0; f < flips; ++f) {
            const std::size_t span = in_header ? 96 : forged.size() - graph;
            forged[graph + rng() % span] ^= char(1u << (rng() % 8));
        }
        fix_checksum(forged);
        write_all(path, forged);
        auto r = rv::load_index(path, d, kModel);
        if (!r.ok()) {
            ++refused;
            continue;
        }
        ++accepted;
        (*r)->search(data.data(), 10);
        (void)(*r)->add(1000, data.data());
    }
    qInfo("forged graphs: %d refused, %d loaded", refused, accepted);
    QVERIFY(refused > 0);
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

// A vector damaged inside an index file whose checksum was made to match (a faulty writer) is
// found when loading: the library then rebuilds from the catalog.
void TestVectorIndex::damaged_vector_in_file_is_refused() {
    QFETCH(bool, hnsw);
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.rvidx").toStdString();
    const int d = 8;
    const std::size_t n = 50;
    const auto data = random_unit(n, d, 17);
    rv::HnswParams f32;
    f32.storage = rv::VectorStorage::F32;  // compact codes: test_index_storage
    auto index = make(hnsw, d, f32);
    QVERIFY(index->add_batch(n, iota_ids(n).data(), data.data()).ok());
    QVERIFY(index->save(path).ok());
    const auto good = read_all(path);
    // Where element 0's first value is: HNSW, after ef_search, the storage, hnswlib's header and
    // element 0's links (u32 count + 2M links); brute force, after n and the ids.
    const std::size_t first_value =
        hnsw ? payload_offset(good) + 8 + 96 + 4 + 2 * 16 * 4 : payload_offset(good) + 8 + 8 * n;
    float v0;
    std::memcpy(&v0, &good[first_value], 4);
    QCOMPARE(v0, data[0]);  // the layout assumption holds
    for (float bad : {std::nanf(""), 1e37f, 0.5f}) {
        auto forged = good;
        std::memcpy(&forged[first_value], &bad, 4);
        fix_checksum(forged);
        write_all(path, forged);
        auto loaded = rv::load_index(path, d, kModel);
        QVERIFY2(!loaded.ok(), qPrintable(QString::number(bad)));
        const QString msg = QString::fromStdString(loaded.error().message);
        QVERIFY2(msg.contains(QString::fromStdString(path)) && (msg.contains("damaged vector") || msg.contains("refused")),
                 qPrintable(msg));
    }
}

// A FIFO or a folder where the index file should be: loading says so at once (never waits for a
// writer), and saving sets the entry aside instead of deleting it.
void TestVectorIndex::index_path_that_is_not_a_file() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("vectors.rvi").toStdString();
    QCOMPARE(::mkfifo(path.c_str(), 0644), 0);
    auto loaded = rv::load_index(path, 8, kModel);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains("named pipe"), loaded.error().message.c_str());
    // FIFOs at the temporary names as well (".hnsw.tmp": hnswlib's scratch file before format 2,
    // no longer written: left alone).
    QCOMPARE(::mkfifo((path + ".tmp").c_str(), 0644), 0);
    QCOMPARE(::mkfifo((path + ".hnsw.tmp").c_str(), 0644), 0);
    HnswIndex index(8, kModel);
    const auto data = random_unit(20, 8, 3);
    QVERIFY(index.add_batch(20, iota_ids(20).data(), data.data()).ok());
    QVERIFY(index.save(path).ok());
    QVERIFY(std::filesystem::is_fifo(path + ".bad-1"));
    QVERIFY(std::filesystem::is_fifo(path + ".tmp.bad-1"));
    QVERIFY(std::filesystem::is_fifo(path + ".hnsw.tmp"));
    auto back = rv::load_index(path, 8, kModel);
    QVERIFY(back.ok());
    QCOMPARE((*back)->size(), std::size_t(20));

    std::filesystem::remove(path);
    std::filesystem::create_directories(path + "/inside");
    loaded = rv::load_index(path, 8, kModel);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains("a folder"), loaded.error().message.c_str());
    QVERIFY(index.save(path).ok());
    QVERIFY(std::filesystem::is_directory(path + ".bad-2/inside"));
    QVERIFY(rv::load_index(path, 8, kModel).ok());
}

// An index written only when what it holds changed since it was loaded or saved, or when its file
// is not the one it read or wrote: a rescan that changes nothing writes no index file.
void TestVectorIndex::save_if_changed_writes_only_changes() {
    QFETCH(bool, hnsw);
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("v.rvi").toStdString();
    const std::string other = tmp.filePath("w.rvi").toStdString();
    const int d = 24;
    const auto data = random_unit(50, d, 5);
    // The file's inode: save() writes a new file and renames it over the old one.
    auto inode = [](const std::string& p) {
        struct stat st {};
        return ::stat(p.c_str(), &st) == 0 ? st.st_ino : ino_t{0};
    };
    auto index = make(hnsw, d);
    QVERIFY(index->add_batch(40, iota_ids(40, 1).data(), data.data()).ok());
    QVERIFY(index->save_if_changed(path).ok());  // never saved: written
    const ino_t first = inode(path);
    QVERIFY(first != 0);
    QVERIFY(index->save_if_changed(path).ok());
    QCOMPARE(inode(path), first);  // unchanged: not written
    QVERIFY(index->save_if_changed(other).ok());  // another file: written
    QVERIFY(inode(other) != 0);

    // Loaded and unchanged: not written; any change, a removal or a vector added, is.
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QCOMPARE(inode(path), first);
    QVERIFY(!(*loaded)->remove(999));  // nothing removed: nothing changed
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QCOMPARE(inode(path), first);
    QVERIFY((*loaded)->remove(3));
    QVERIFY((*loaded)->save_if_changed(path).ok());
    const ino_t second = inode(path);
    QVERIFY(second != first);
    QVERIFY((*loaded)->add(41, &data[41 * d]).ok());
    QVERIFY((*loaded)->save_if_changed(path).ok());
    const ino_t third = inode(path);
    QVERIFY(third != second);
    auto back = rv::load_index(path, d, kModel);
    QVERIFY(back.ok());
    QCOMPARE((*back)->size(), std::size_t{40});
    QVERIFY(!(*back)->contains(3) && (*back)->contains(41));

    // The file replaced behind the index's back (another process, a restore): written again.
    // So is a file removed.
    QVERIFY(index->save(path).ok());
    const ino_t replaced = inode(path);
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QVERIFY(inode(path) != replaced);
    auto again = rv::load_index(path, d, kModel);
    QVERIFY(again.ok());
    QVERIFY((*again)->contains(41) && !(*again)->contains(3));
    std::filesystem::remove(path);
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QVERIFY(inode(path) != 0);
}

QTEST_APPLESS_MAIN(TestVectorIndex)
#include "test_vector_index.moc"
