// Compact vector storage in the HNSW index (issue 14): binary16 conversions and the compact inner
// products against plain references, codes within their rounding, recall of f16 and i8 indexes
// against the exact scan, save/load of every storage, files of format version 1 (written by the
// old code, kept in the fuzz corpus, and made here) opening, a library's f32 file re-encoded to
// its compact storage (load_library_index), and damage in every region
// of a format-2 file refused with the file named. No timing.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <random>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <xxhash.h>

#include "index/CompactVectors.h"
#include "ruvision/engine/VectorIndex.h"
#include "vector_test_util.h"

using rv::BruteForceIndex;
using rv::Hit;
using rv::HnswIndex;
using rv::VectorIndex;
using rv::VectorStorage;
namespace ix = rv::index_detail;
using namespace vtest;

namespace {

// Unit vectors shaped like post-ReLU CNN features: non-negative, sparse-ish, a shared mean
// direction, `clusters` clusters, and one vector in four a near-duplicate of the one before.
std::vector<float> realistic(std::size_t n, int d, unsigned seed, int clusters = 40) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<float> mean(d), centres(std::size_t(clusters) * d);
    for (auto& x : mean) x = std::fabs(g(rng));
    for (auto& x : centres) x = std::max(0.0f, g(rng)) * 1.5f;
    std::vector<float> v(n * d);
    for (std::size_t i = 0; i < n; ++i) {
        float* x = &v[i * d];
        if (i % 4 == 3) {
            for (int j = 0; j < d; ++j) x[j] = std::max(0.0f, x[j - d] + 0.01f * g(rng));
        } else {
            const int c = int(rng() % clusters);
            for (int j = 0; j < d; ++j)
                x[j] = std::max(0.0f, 0.5f * mean[j] + centres[std::size_t(c) * d + j] + 0.6f * g(rng));
        }
        normalize(x, d);
    }
    return v;
}

// Format 2 HNSW file -> the format 1 file the old code wrote for the same graph: version 1, the
// storage field dropped (it must be F32), FNV-1a 64.
std::vector<char> as_format_1(std::vector<char> f) {
    const std::size_t p = payload_offset(f);
    if (at<std::uint32_t>(f, p + 4) != std::uint32_t(VectorStorage::F32)) return {};
    const std::uint32_t one = 1;
    std::memcpy(f.data() + 8, &one, 4);
    f.erase(f.begin() + std::ptrdiff_t(p + 4), f.begin() + std::ptrdiff_t(p + 8));
    fix_checksum(f);
    return f;
}

rv::HnswParams with(VectorStorage s) {
    rv::HnswParams p;
    p.storage = s;
    return p;
}

const char* name(VectorStorage s) { return rv::storage_name(s); }

}  // namespace

class TestIndexStorage : public QObject {
    Q_OBJECT
private slots:
    void half_conversions_are_exact_and_nearest();
    void compact_dots_match_the_reference_data();
    void compact_dots_match_the_reference();
    void codes_stay_within_their_rounding_data();
    void codes_stay_within_their_rounding();
    void storage_per_dimension();
    void compact_recall_data();
    void compact_recall();
    void round_trip_data();
    void round_trip();
    void format_1_files_from_the_old_code_open();
    void format_1_file_opens_converted();
    void damage_in_every_region_is_refused_data();
    void damage_in_every_region_is_refused();
    void forged_compact_payloads_are_refused();
};

// Every binary16 value decodes and encodes back to itself (NaNs stay NaNs); random floats encode
// to the nearest binary16 (ties to even), checked against the neighbours of the answer.
void TestIndexStorage::half_conversions_are_exact_and_nearest() {
    for (std::uint32_t h = 0; h < 65536; ++h) {
        const float f = ix::half_to_float(std::uint16_t(h));
        const bool nan = (h & 0x7c00u) == 0x7c00u && (h & 0x3ffu);
        if (nan) {
            QVERIFY(std::isnan(f));
            QVERIFY(std::isnan(ix::half_to_float(ix::float_to_half(f))));
            continue;
        }
        QCOMPARE(std::uint32_t(ix::float_to_half(f)), h);
    }
    QCOMPARE(ix::half_to_float(0x3c00), 1.0f);
    QCOMPARE(ix::half_to_float(0xc000), -2.0f);
    QCOMPARE(ix::half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
    QCOMPARE(ix::half_to_float(0x7bff), 65504.0f);
    QVERIFY(std::isinf(ix::half_to_float(ix::float_to_half(70000.0f))));
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (int t = 0; t < 200000; ++t) {
        const float x = t % 3 ? u(rng) : u(rng) * 1e-5f;  // a third near the subnormal range
        const std::uint16_t r = ix::float_to_half(x);
        const double err = std::fabs(double(x) - ix::half_to_float(r));
        for (int step : {-1, 1}) {
            const auto nb = std::uint16_t(r + step);
            if (((nb ^ r) & 0x8000u) || (nb & 0x7c00u) == 0x7c00u) continue;  // other sign or not finite
            const double other = std::fabs(double(x) - ix::half_to_float(nb));
            QVERIFY2(err < other || (err == other && (r & 1u) == 0),
                     qPrintable(QString("%1 -> %2").arg(double(x), 0, 'g', 9).arg(r, 4, 16)));
        }
    }
}

void TestIndexStorage::compact_dots_match_the_reference_data() {
    QTest::addColumn<int>("n");
    for (int n : {1, 7, 8, 13, 16, 17, 31, 124, 576, 1280, 1283}) QTest::newRow(qPrintable(QString::number(n))) << n;
}

// The table in use (AVX2+F16C on this kind of machine) against the plain loops and a double
// reference, on awkward lengths so the tails run; i8 sums are exact integers.
void TestIndexStorage::compact_dots_match_the_reference() {
    QFETCH(int, n);
    const auto& ref = ix::compact_dot_scalar();
    std::vector<const ix::CompactDotTable*> tables{&ref, &ix::compact_dot_table()};
    if (const auto* avx2 = ix::compact_dot_avx2()) tables.push_back(avx2);
    else qInfo("no AVX2+F16C table on this build or CPU: the scalar one alone");
    std::mt19937 rng{std::uint32_t(n)};
    std::normal_distribution<float> g;
    std::uniform_int_distribution<int> q(-127, 127);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<std::uint16_t> a(n), b(n);
        std::vector<std::int8_t> x(n), y(n);
        std::vector<float> f(n);
        double exact = 0, norm = 0, exact_f = 0, norm_f = 0;
        std::int64_t exact_i = 0;
        for (int i = 0; i < n; ++i) {
            a[i] = ix::float_to_half(g(rng) * 0.1f);
            b[i] = ix::float_to_half(g(rng) * 0.1f);
            exact += double(ix::half_to_float(a[i])) * ix::half_to_float(b[i]);
            norm += std::fabs(double(ix::half_to_float(a[i])) * ix::half_to_float(b[i]));
            f[i] = g(rng);
            exact_f += double(f[i]) * ix::half_to_float(b[i]);
            norm_f += std::fabs(double(f[i]) * ix::half_to_float(b[i]));
            x[i] = std::int8_t(trial == 0 ? 127 : q(rng));  // trial 0: the largest products
            y[i] = std::int8_t(trial == 0 ? -127 : q(rng));
            exact_i += std::int64_t{x[i]} * y[i];
        }
        for (const auto* t : tables) {
            const double got = t->dot_f16(a.data(), b.data(), std::size_t(n));
            QVERIFY2(std::fabs(got - exact) <= 1e-6 * norm + 1e-12,
                     qPrintable(QString("%1: %2 vs %3").arg(t->name).arg(got).arg(exact)));
            QCOMPARE(std::int64_t(t->dot_i8(x.data(), y.data(), std::size_t(n))), exact_i);
            const double mixed = t->dot_f32_f16(f.data(), b.data(), std::size_t(n));
            QVERIFY2(std::fabs(mixed - exact_f) <= 1e-6 * norm_f + 1e-12, t->name);
        }
    }
}

void TestIndexStorage::codes_stay_within_their_rounding_data() {
    QTest::addColumn<int>("storage");
    QTest::addColumn<int>("d");
    for (auto s : {VectorStorage::F32, VectorStorage::F16, VectorStorage::I8})
        for (int d : {13, 88, 576, 1280})
            QTest::newRow(qPrintable(QString("%1, %2-d").arg(name(s)).arg(d))) << int(s) << d;
}

// Decoded codes stay unit vectors (the data contract) and close to what was encoded: f16 within
// half a binary16 step per value, i8 at cosine >= 0.999 with the original; the asymmetric
// rescoring dot equals the dot with the decoded vector.
void TestIndexStorage::codes_stay_within_their_rounding() {
    QFETCH(int, storage);
    QFETCH(int, d);
    const auto st = VectorStorage(storage);
    const auto v = realistic(50, d, 3);
    const auto q = realistic(50, d, 4);
    std::vector<unsigned char> code(ix::code_size(st, std::size_t(d)));
    std::vector<float> back(static_cast<std::size_t>(d));
    for (int i = 0; i < 50; ++i) {
        const float* x = &v[std::size_t(i) * d];
        ix::encode_vector(st, x, std::size_t(d), code.data());
        QVERIFY2(ix::code_problem(st, code.data(), std::size_t(d)).empty(),
                 ix::code_problem(st, code.data(), std::size_t(d)).c_str());
        ix::decode_vector(st, code.data(), std::size_t(d), back.data());
        double cos = 0, direct = 0, norm2 = 0;
        for (int j = 0; j < d; ++j) {
            cos += double(x[j]) * back[j];
            norm2 += double(back[j]) * back[j];
            direct += double(q[std::size_t(i) * d + j]) * back[j];
            if (st == VectorStorage::F16) QVERIFY(std::fabs(back[j] - x[j]) <= std::fabs(x[j]) * 0x1p-11 + 0x1p-25);
            if (st == VectorStorage::F32) QCOMPARE(back[j], x[j]);
        }
        cos /= std::sqrt(norm2);
        QVERIFY2(cos >= (st == VectorStorage::I8 ? 0.999 : 0.999999), qPrintable(QString::number(cos, 'g', 8)));
        const double rescored = ix::rescoring_dot(st, &q[std::size_t(i) * d], code.data(), std::size_t(d));
        QVERIFY(std::fabs(rescored - direct) <= 1e-5);
    }
}

void TestIndexStorage::storage_per_dimension() {
    using rv::storage_for_dim;
    QCOMPARE(storage_for_dim(576), VectorStorage::F16);   // the default descriptor (gem3:expand13)
    QCOMPARE(storage_for_dim(672), VectorStorage::I8);    // gem3:expand13+gem3:add12
    QCOMPARE(storage_for_dim(88), VectorStorage::F16);    // centernet gem3:c11
    QCOMPARE(storage_for_dim(1280), VectorStorage::I8);   // avg:last
    QCOMPARE(storage_for_dim(650), VectorStorage::F16);
    QCOMPARE(storage_for_dim(651), VectorStorage::I8);
    for (int d : {88, 576, 650, 651, 672, 1280, 1296}) {
        HnswIndex index(d, kModel, with(VectorStorage::Auto));
        QVERIFY(index.storage() == storage_for_dim(d));
        QCOMPARE(index.vector_bytes(), ix::code_size(index.storage(), std::size_t(d)));
        QVERIFY2(index.vector_bytes() <= rv::kMaxCompactVectorBytes, qPrintable(QString::number(d)));
    }
    QCOMPARE(HnswIndex(576, kModel, with(VectorStorage::Auto)).vector_bytes(), std::size_t(1152));
    QCOMPARE(HnswIndex(1280, kModel, with(VectorStorage::Auto)).vector_bytes(), std::size_t(1284));
    QCOMPARE(HnswIndex(576, kModel).vector_bytes(), std::size_t(1152));  // the default: Auto (HnswParams)
    QCOMPARE(HnswIndex(576, kModel, with(VectorStorage::F32)).vector_bytes(), std::size_t(2304));
}

void TestIndexStorage::compact_recall_data() {
    QTest::addColumn<int>("storage");
    QTest::addColumn<int>("d");
    QTest::newRow("f16, 576-d") << int(VectorStorage::F16) << 576;
    QTest::newRow("i8, 576-d") << int(VectorStorage::I8) << 576;
    QTest::newRow("i8, 1280-d") << int(VectorStorage::I8) << 1280;
}

// Recall@10 against the exact f32 scan, on clustered vectors with near-duplicate pairs (where
// rounding reorders near-tied neighbours: i8 measured 0.975 here, f16 0.999): at least 0.95 (the
// issue's bound) and within 0.03 of an f32 graph's; scores are the true cosines within the code's
// rounding. A broken code (a sign, a scale) fails all three.
void TestIndexStorage::compact_recall() {
    QFETCH(int, storage);
    QFETCH(int, d);
    const std::size_t n = 4000, nq = 150;
    const auto all = realistic(n + nq, d, 99);
    const std::vector<float> data(all.begin(), all.begin() + std::ptrdiff_t(n * d));
    std::vector<float> queries(all.begin() + std::ptrdiff_t(n * d), all.end());
    // Half the queries near-duplicates of indexed vectors: the hardest case for rounding.
    std::mt19937 rng(5);
    std::normal_distribution<float> g;
    for (std::size_t i = 0; i < nq; i += 2) {
        const std::size_t src = rng() % n;
        for (int j = 0; j < d; ++j) queries[i * d + j] = data[src * d + j] + 0.003f * g(rng);
        normalize(&queries[i * d], d);
    }
    const auto ids = iota_ids(n);
    BruteForceIndex exact(d, kModel);
    QVERIFY(exact.add_batch(n, ids.data(), data.data()).ok());
    rv::HnswParams p = with(VectorStorage(storage));
    p.build_threads = 2;
    HnswIndex compact(d, kModel, p);
    p.storage = VectorStorage::F32;
    HnswIndex f32(d, kModel, p);
    QVERIFY(compact.add_batch(n, ids.data(), data.data()).ok());
    QVERIFY(f32.add_batch(n, ids.data(), data.data()).ok());
    double score_error = 0, f32_error = 0;
    const double r = recall_at(compact, exact, queries, d, 10, &score_error);
    const double r32 = recall_at(f32, exact, queries, d, 10, &f32_error);
    qInfo("%s %d-d: recall@10 %.4f (f32 graph %.4f), worst score error %.2g", name(VectorStorage(storage)), d, r, r32,
          score_error);
    QVERIFY2(r >= 0.95, qPrintable(QString::number(r)));
    QVERIFY2(r >= r32 - 0.03, qPrintable(QString("%1 vs %2").arg(r).arg(r32)));
    QVERIFY2(score_error <= (storage == int(VectorStorage::I8) ? 0.01 : 0.002), qPrintable(QString::number(score_error)));
    // The bound callers rely on to know which scores to take again (duplicates).
    QVERIFY2(score_error <= compact.score_error(), qPrintable(QString("%1 > %2").arg(score_error).arg(compact.score_error())));
    QCOMPARE(f32.score_error(), 0.0f);
}

void TestIndexStorage::round_trip_data() {
    QTest::addColumn<int>("storage");
    QTest::addColumn<int>("d");
    for (auto s : {VectorStorage::F32, VectorStorage::F16, VectorStorage::I8})
        for (int d : {13, 88})
            QTest::newRow(qPrintable(QString("%1, %2-d").arg(name(s)).arg(d))) << int(s) << d;
}

// The file of each storage: format 2, its storage field, an element stride of links + code + label;
// load keeps the storage, the nodes (removed ones too) and ef_search, and saves the same bytes.
void TestIndexStorage::round_trip() {
    QFETCH(int, storage);
    QFETCH(int, d);
    const auto st = VectorStorage(storage);
    QTemporaryDir dir;
    const std::string path = dir.filePath("library.rvi").toStdString();
    const std::size_t n = 1500;
    const auto data = realistic(n, d, 21);
    HnswIndex index(d, kModel, with(st));
    QVERIFY(index.add_batch(n, iota_ids(n, -100).data(), data.data()).ok());
    for (std::int64_t id = -100; id < 0; id += 3) QVERIFY(index.remove(id));
    index.set_ef_search(90);
    QVERIFY(index.save(path).ok());
    const auto bytes = read_all(path);
    QCOMPARE(at<std::uint32_t>(bytes, 8), std::uint32_t(2));
    const std::size_t p = payload_offset(bytes);
    QCOMPARE(at<std::uint32_t>(bytes, p + 4), std::uint32_t(st));
    const std::uint64_t stride = at<std::uint64_t>(bytes, p + 8 + 24);
    QCOMPARE(stride, std::uint64_t(4 + 32 * 4 + ix::code_size(st, std::size_t(d)) + 8));
    QVERIFY(bytes.size() > p + 8 + 96 + n * (stride + 4));

    // Answers and scores through the round trip: test_vector_index's save_load_roundtrip.
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    auto& back = dynamic_cast<HnswIndex&>(**loaded);
    QVERIFY(back.storage() == st);
    QCOMPARE(back.vector_bytes(), ix::code_size(st, std::size_t(d)));
    QCOMPARE(back.node_count(), index.node_count());
    QCOMPARE(back.deleted_count(), index.deleted_count());
    QCOMPARE(back.ef_search(), 90);
    // Saved again unchanged: the same bytes but hnswlib's capacity field (max_elements: the loaded
    // graph holds room for its nodes, the built one for what it grew to).
    QVERIFY(back.save(path).ok());
    auto again = read_all(path);
    QCOMPARE(again.size(), bytes.size());
    std::memcpy(&again[p + 8 + 8], &bytes[p + 8 + 8], 8);
    const std::size_t sum = p - 8;  // the checksum covers the capacity field too
    std::memcpy(&again[sum], &bytes[sum], 8);
    QVERIFY(again == bytes);
}

// Files written by the code before format 2 (the fuzz corpus' seeds, made by make_index_corpus
// then): they open, their f32 vectors converted to the dimension's storage.
void TestIndexStorage::format_1_files_from_the_old_code_open() {
    QTemporaryDir dir;
    for (const char* seed : {"hnsw_5", "hnsw_5_one_deleted"}) {
        auto bytes = read_all(std::string(RUVISION_FUZZ_CORPUS) + "/" + seed);
        QVERIFY(bytes.size() > 1 && bytes[0] == 0);  // mode byte 0: the file as it was written
        bytes.erase(bytes.begin());
        QCOMPARE(at<std::uint32_t>(bytes, 8), std::uint32_t(1));
        const std::string path = dir.filePath(seed).toStdString();
        write_all(path, bytes);
        auto loaded = rv::load_index(path, 0, "");
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        auto& index = dynamic_cast<HnswIndex&>(**loaded);
        QVERIFY(index.storage() == VectorStorage::F32);  // format 1 held f32 vectors: kept
        std::vector<float> q(std::size_t(index.dim()), 0.0f);
        q[0] = 1;
        QVERIFY(!index.search(q.data(), 3).empty());
        QVERIFY(index.save(path).ok());  // converted on save
        QCOMPARE(at<std::uint32_t>(read_all(path), 8), std::uint32_t(2));
        auto again = rv::load_index(path, index.dim(), index.model_id());
        QVERIFY(again.ok());
        QCOMPARE((*again)->size(), index.size());
    }
}

// A realistic format-1 file (the layout the old code wrote: ef_search, then hnswlib's bytes with
// f32 vectors, FNV-1a) opens as the same graph, its vectors still f32: the same answers as the
// index it was written from; damage in it is still refused.
void TestIndexStorage::format_1_file_opens_converted() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("old.rvi").toStdString();
    const int d = 88;
    const std::size_t n = 1200;
    const auto data = realistic(n, d, 31);
    const auto queries = realistic(30, d, 32);
    HnswIndex f32(d, kModel, with(VectorStorage::F32));
    QVERIFY(f32.add_batch(n, iota_ids(n).data(), data.data()).ok());
    QVERIFY(f32.remove(7));
    QVERIFY(f32.save(path).ok());
    const auto old = as_format_1(read_all(path));
    QVERIFY(!old.empty());
    write_all(path, old);
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    auto& back = dynamic_cast<HnswIndex&>(**loaded);
    QVERIFY(back.storage() == VectorStorage::F32);
    QCOMPARE(back.size(), n - 1);
    auto converted = f32.with_storage(VectorStorage::F32);
    QVERIFY(converted.ok());
    for (std::size_t i = 0; i < 30; ++i) {
        const auto a = (*converted)->search(&queries[i * d], 10);
        const auto b = back.search(&queries[i * d], 10);
        QCOMPARE(a.size(), b.size());
        for (std::size_t r = 0; r < a.size(); ++r) QCOMPARE(a[r].id, b[r].id);
    }

    // A library's own index (load_library_index) is re-encoded to its dimension's storage: the
    // same ids, scores within the rounding's bound, and its next save writes the compact file.
    auto library = rv::load_library_index(path, d, kModel);
    QVERIFY2(library.ok(), library.ok() ? "" : library.error().message.c_str());
    auto& compact = dynamic_cast<HnswIndex&>(**library);
    QVERIFY(compact.storage() == rv::storage_for_dim(d));
    QCOMPARE(compact.size(), n - 1);
    QVERIFY(!compact.contains(7) && compact.contains(8));
    std::size_t same = 0, total = 0;
    for (std::size_t i = 0; i < 30; ++i) {
        std::unordered_map<std::int64_t, float> exact;
        for (const Hit& h : back.search(&queries[i * d], 40)) exact[h.id] = h.score;
        const auto top = back.search(&queries[i * d], 10);
        const auto got = compact.search(&queries[i * d], 10);
        for (const Hit& h : got) {
            const auto it = exact.find(h.id);
            QVERIFY(it != exact.end());
            QVERIFY(std::fabs(h.score - it->second) <= compact.score_error());
        }
        for (const Hit& t : top) same += std::count_if(got.begin(), got.end(), [&](const Hit& h) { return h.id == t.id; });
        total += top.size();
    }
    QVERIFY2(double(same) / double(total) >= 0.95, qPrintable(QString("%1 of %2").arg(same).arg(total)));
    const std::string resaved = dir.filePath("resaved.rvi").toStdString();
    QVERIFY(compact.save(resaved).ok());
    QVERIFY(read_all(resaved).size() < read_all(path).size() * 3 / 4);
    auto reloaded = rv::load_index(resaved, d, kModel);
    QVERIFY(reloaded.ok() && dynamic_cast<HnswIndex&>(**reloaded).storage() == rv::storage_for_dim(d));

    auto flipped = old;
    flipped[flipped.size() / 2] ^= 0x10;
    write_all(path, flipped);
    auto bad = rv::load_index(path, d, kModel);
    QVERIFY(!bad.ok());
    QVERIFY2(QString::fromStdString(bad.error().message).contains("checksum mismatch"), bad.error().message.c_str());
}

namespace {

// Where to damage a format-2 HNSW file, and what the error must say (besides the file's name).
struct Region {
    const char* name;
    const char* reason;
    std::function<std::size_t(const std::vector<char>&)> offset;
};

std::size_t element0(const std::vector<char>& f) { return payload_offset(f) + 8 + 96; }
std::size_t upper_lists(const std::vector<char>& f) {
    const std::size_t p = payload_offset(f);
    return p + 8 + 96 + at<std::uint64_t>(f, p + 8 + 16) * at<std::uint64_t>(f, p + 8 + 24);
}

const std::vector<Region>& regions() {
    using F = const std::vector<char>&;
    static const std::vector<Region> all = {
        {"magic", "bad magic", [](F) { return std::size_t(2); }},
        {"version", "not supported", [](F) { return std::size_t(9); }},
        {"kind", "unknown index kind", [](F) { return std::size_t(12); }},
        {"dim", "dimension", [](F) { return std::size_t(16); }},
        {"count", "the header counts", [](F) { return std::size_t(20); }},
        {"model id length", "", [](F) { return std::size_t(28); }},
        {"model id", "built for model", [](F) { return std::size_t(33); }},
        {"payload length", "", [](F f) { return payload_offset(f) - 16; }},
        {"checksum", "checksum mismatch", [](F f) { return payload_offset(f) - 8; }},
        {"ef_search", "checksum mismatch", [](F f) { return payload_offset(f); }},
        {"storage", "checksum mismatch", [](F f) { return payload_offset(f) + 4; }},
        {"graph header", "checksum mismatch", [](F f) { return payload_offset(f) + 8 + 20; }},
        {"level-0 links", "checksum mismatch", [](F f) { return element0(f) + 4; }},
        {"level-0 vector", "checksum mismatch", [](F f) { return element0(f) + 4 + 32 * 4 + 5; }},
        {"level-0 label", "checksum mismatch", [](F f) { return element0(f) + at<std::uint64_t>(f, payload_offset(f) + 8 + 32); }},
        {"upper-layer length", "checksum mismatch", [](F f) { return upper_lists(f); }},
        {"last byte", "checksum mismatch", [](F f) { return f.size() - 1; }},
    };
    return all;
}

}  // namespace

void TestIndexStorage::damage_in_every_region_is_refused_data() {
    QTest::addColumn<int>("storage");
    QTest::addColumn<int>("region");
    for (auto s : {VectorStorage::F32, VectorStorage::F16, VectorStorage::I8})
        for (std::size_t r = 0; r < regions().size(); ++r)
            QTest::newRow(qPrintable(QString("%1: %2").arg(name(s), regions()[r].name))) << int(s) << int(r);
}

// One flipped bit in each region of a format-2 file: refused, the file named, the reason given;
// then cut there: refused as truncated (or, for the header, as not an index).
void TestIndexStorage::damage_in_every_region_is_refused() {
    QFETCH(int, storage);
    QFETCH(int, region);
    const Region& reg = regions()[std::size_t(region)];
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.rvi").toStdString();
    const int d = 24;
    const auto data = realistic(300, d, 41, 6);
    HnswIndex index(d, kModel, with(VectorStorage(storage)));
    QVERIFY(index.add_batch(300, iota_ids(300).data(), data.data()).ok());
    QVERIFY(index.save(path).ok());
    const auto good = read_all(path);
    const std::size_t off = reg.offset(good);
    QVERIFY(off < good.size());
    auto bad = good;
    bad[off] ^= 0x04;
    write_all(path, bad);
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(!loaded.ok(), reg.name);
    QString msg = QString::fromStdString(loaded.error().message);
    QVERIFY2(msg.contains(QString::fromStdString(path)) && msg.contains(reg.reason), qPrintable(msg));

    bad.assign(good.begin(), good.begin() + std::ptrdiff_t(off));
    write_all(path, bad);
    loaded = rv::load_index(path, d, kModel);
    QVERIFY(!loaded.ok());
    msg = QString::fromStdString(loaded.error().message);
    QVERIFY2(msg.contains(QString::fromStdString(path)) &&
                 (msg.contains("truncated") || msg.contains("empty") || msg.contains("bad magic")),
             qPrintable(msg));
}

// Payloads whose checksum was made to match (a faulty writer): an unknown storage, codes that are
// not unit vectors (a binary16 infinity, an int8 scale of zero or NaN, values off the unit sphere),
// a layout that does not fit the storage: each refused with its reason, never searched.
void TestIndexStorage::forged_compact_payloads_are_refused() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("forged.rvi").toStdString();
    const int d = 24;
    const auto data = realistic(200, d, 51, 5);
    struct Forgery {
        VectorStorage storage;
        const char* reason;
        std::function<void(std::vector<char>&)> edit;
    };
    const std::uint32_t nine = 9, f16 = std::uint32_t(VectorStorage::F16);
    const std::vector<Forgery> forgeries = {
        {VectorStorage::F16, "unknown vector storage 9",
         [&](std::vector<char>& f) { std::memcpy(&f[payload_offset(f) + 4], &nine, 4); }},
        {VectorStorage::I8, "element layout does not match 24-d f16",
         [&](std::vector<char>& f) { std::memcpy(&f[payload_offset(f) + 4], &f16, 4); }},
        {VectorStorage::F16, "damaged vector",
         [](std::vector<char>& f) {
             const std::uint16_t inf = 0x7c00;
             std::memcpy(&f[element0(f) + 4 + 32 * 4 + 2 * 3], &inf, 2);
         }},
        {VectorStorage::F16, "damaged vector",
         [](std::vector<char>& f) {
             const std::uint16_t big = ix::float_to_half(0.9f);
             std::memcpy(&f[element0(f) + 4 + 32 * 4], &big, 2);
         }},
        {VectorStorage::I8, "int8 scale",
         [](std::vector<char>& f) {
             const float zero = 0;
             std::memcpy(&f[element0(f) + 4 + 32 * 4], &zero, 4);
         }},
        {VectorStorage::I8, "int8 scale",
         [](std::vector<char>& f) {
             const float nan = std::nanf("");
             std::memcpy(&f[element0(f) + 4 + 32 * 4], &nan, 4);
         }},
        {VectorStorage::I8, "not a unit vector",
         [](std::vector<char>& f) { f[element0(f) + 4 + 32 * 4 + 4 + 2] ^= 0x40; }},
    };
    for (const Forgery& fg : forgeries) {
        HnswIndex index(d, kModel, with(fg.storage));
        QVERIFY(index.add_batch(200, iota_ids(200).data(), data.data()).ok());
        QVERIFY(index.save(path).ok());
        auto bytes = read_all(path);
        fg.edit(bytes);
        fix_checksum(bytes);
        write_all(path, bytes);
        auto loaded = rv::load_index(path, d, kModel);
        QVERIFY2(!loaded.ok(), fg.reason);
        const QString msg = QString::fromStdString(loaded.error().message);
        QVERIFY2(msg.contains(QString::fromStdString(path)) && msg.contains(fg.reason), qPrintable(msg));
    }
}

QTEST_APPLESS_MAIN(TestIndexStorage)
#include "test_index_storage.moc"
