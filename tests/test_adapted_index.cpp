// Graph reuse (HnswIndex::reuse_graph), what activating an adapter version builds its index with:
// the copy answers held-out queries as an exact scan of the mapped vectors does for most of them,
// its self-check falls when the map destroys the neighbourhoods (so reproject() builds anew),
// a bad image is refused with the id, and the copy is a full index (removed ids stay removed, it
// grows, saves and loads). Clustered synthetic unit vectors, real adapters (rv::LowRankAdapter).
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/VectorIndex.h"

namespace {

constexpr int kDim = 64;
constexpr std::size_t kRows = 4000;

void normalise(float* v) {
    double n = 0;
    for (int i = 0; i < kDim; ++i) n += double(v[i]) * v[i];
    for (int i = 0; i < kDim; ++i) v[i] = float(v[i] / std::sqrt(n));
}

// n unit vectors around 80 centres; the same seed gives the same centres, `first` offsets the rows.
std::vector<float> clustered(std::size_t n, std::size_t first) {
    std::mt19937_64 crng(5);
    std::normal_distribution<float> g;
    std::vector<float> centres(80 * kDim);
    for (auto& c : centres) c = g(crng);
    std::vector<float> out(n * kDim);
    for (std::size_t i = 0; i < n; ++i) {
        std::mt19937_64 rng(1000 + first + i);
        const float* c = &centres[(rng() % 80) * kDim];
        float* v = &out[i * kDim];
        for (int k = 0; k < kDim; ++k) v[k] = c[k] + 0.6f * g(rng);
        normalise(v);
    }
    return out;
}

// Rank 8; B ~ N(0, sigma^2): sigma 0.4 moves vectors to a mean cosine of about 0.7.
rv::LowRankAdapter adapter(float sigma) {
    rv::LowRankAdapter a = rv::LowRankAdapter::initial(kDim, 8, 8, 3);
    std::mt19937_64 rng(4);
    std::normal_distribution<float> g(0, sigma);
    for (auto& b : a.b) b = g(rng);
    return a;
}

std::vector<std::int64_t> sequence(std::size_t n, std::int64_t first = 0) {
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = first + std::int64_t(i);
    return ids;
}

std::unique_ptr<rv::HnswIndex> plain_index(const std::vector<float>& rows, int ef_search = 128) {
    rv::HnswParams p;
    p.ef_search = ef_search;
    auto index = std::make_unique<rv::HnswIndex>(kDim, "plain", p);
    const auto ids = sequence(rows.size() / kDim);
    if (!index->add_batch(ids.size(), ids.data(), rows.data()).ok()) return nullptr;
    return index;
}

double recall_at_10(const rv::VectorIndex& index, const rv::VectorIndex& exact, const std::vector<float>& queries) {
    std::size_t found = 0, total = 0;
    for (std::size_t q = 0; q < queries.size() / kDim; ++q) {
        const auto truth = exact.search(&queries[q * kDim], 10);
        const auto got = index.search(&queries[q * kDim], 10);
        for (const auto& t : truth) {
            ++total;
            for (const auto& h : got) found += h.id == t.id ? 1 : 0;
        }
    }
    return double(found) / double(total);
}

rv::GraphReuseParams reuse_params() {
    rv::GraphReuseParams rp;
    rp.check_queries = 200;
    return rp;
}

}  // namespace

class TestAdaptedIndex : public QObject {
    Q_OBJECT
private slots:
    void reused_graph_answers_like_an_exact_scan();
    void self_check_falls_when_the_map_scrambles_neighbourhoods();
    void a_bad_image_is_refused_with_its_id();
    void the_copy_is_a_full_index();
};

void TestAdaptedIndex::reused_graph_answers_like_an_exact_scan() {
    const auto rows = clustered(kRows, 0);
    auto plain = plain_index(rows);
    QVERIFY(plain);
    const std::vector<float> probe(rows.begin(), rows.begin() + kDim);
    const auto plain_before = plain->search(probe.data(), 10);
    const rv::LowRankAdapter a = adapter(0.4f);
    auto reused = plain->reuse_graph(
        "plain@adapter1", [&a](const float* in, float* out, std::size_t n) { a.apply_rows(in, out, n); },
        reuse_params());
    QVERIFY2(reused.ok(), reused.ok() ? "" : reused.error().message.c_str());
    rv::HnswIndex& copy = *reused->index;
    QCOMPARE(copy.size(), kRows);
    QCOMPARE(copy.model_id(), std::string("plain@adapter1"));
    QCOMPARE(copy.ef_search(), 128);

    std::vector<float> mapped(rows.size());
    a.apply_rows(rows.data(), mapped.data(), kRows);
    double cos = 0;
    for (std::size_t i = 0; i < kRows; ++i)
        for (int k = 0; k < kDim; ++k) cos += double(rows[i * kDim + k]) * mapped[i * kDim + k];
    cos /= double(kRows);
    QVERIFY2(cos < 0.85, qPrintable(QString("the adapter moves too little to test: mean cosine %1").arg(cos)));
    QVERIFY(std::fabs(reused->mean_cosine - cos) < 1e-3);

    rv::BruteForceIndex exact(kDim, "exact");
    const auto ids = sequence(kRows);
    QVERIFY(exact.add_batch(kRows, ids.data(), mapped.data()).ok());
    const auto held_out = clustered(200, kRows);
    std::vector<float> queries(held_out.size());
    a.apply_rows(held_out.data(), queries.data(), 200);
    const double recall = recall_at_10(copy, exact, queries);
    // Measured 0.99 and more; well below it so that only a broken copy (links or vectors not
    // where they belong, wrong ids) fails.
    QVERIFY2(recall >= 0.8, qPrintable(QString("recall@10 %1").arg(recall)));
    QVERIFY2(reused->self_recall >= 0.8, qPrintable(QString("self-check %1").arg(reused->self_recall)));
    // Every stored vector is its image: each row's own image finds that row first.
    for (std::size_t i = 0; i < kRows; i += 97) {
        const auto hits = copy.search(&mapped[i * kDim], 1);
        QCOMPARE(hits.size(), std::size_t(1));
        QVERIFY(hits[0].score > 0.999f);
    }
    // The source is only read.
    const auto plain_after = plain->search(probe.data(), 10);
    QCOMPARE(plain_after.size(), plain_before.size());
    for (std::size_t i = 0; i < plain_after.size(); ++i) QCOMPARE(plain_after[i].id, plain_before[i].id);
}

void TestAdaptedIndex::self_check_falls_when_the_map_scrambles_neighbourhoods() {
    // A small search list, so that a search sees a small part of the graph (at ef_search 128 it
    // sees most of these 4000 vectors, and finds their neighbours whatever the links).
    const auto rows = clustered(kRows, 0);
    auto plain = plain_index(rows, 16);
    QVERIFY(plain);
    const rv::LowRankAdapter a = adapter(0.4f);
    auto mild = plain->reuse_graph(
        "mild", [&a](const float* in, float* out, std::size_t n) { a.apply_rows(in, out, n); }, reuse_params());
    QVERIFY(mild.ok());
    // Each vector to a unit vector drawn from its own bytes: a function of the vector, but one
    // that keeps nothing of who was near whom, so the reused links lead nowhere useful.
    auto scramble = [](const float* in, float* out, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t bits;
            std::memcpy(&bits, &in[i * kDim], sizeof bits);
            std::mt19937_64 rng(bits);
            std::normal_distribution<float> g;
            for (int k = 0; k < kDim; ++k) out[i * kDim + k] = g(rng);
            normalise(&out[i * kDim]);
        }
    };
    auto reused = plain->reuse_graph("scrambled", scramble, reuse_params());
    QVERIFY(reused.ok());
    QVERIFY2(reused->mean_cosine < 0.3, qPrintable(QString("mean cosine %1").arg(reused->mean_cosine)));
    qInfo("self-check recall@10 at ef_search 16: adapter %.3f, scrambled %.3f", mild->self_recall,
          reused->self_recall);
    QVERIFY2(reused->self_recall < 0.6, qPrintable(QString("self-check %1").arg(reused->self_recall)));
    QVERIFY2(mild->self_recall > reused->self_recall + 0.2, qPrintable(QString("self-check %1").arg(mild->self_recall)));
}

void TestAdaptedIndex::a_bad_image_is_refused_with_its_id() {
    const auto rows = clustered(500, 0);
    auto plain = plain_index(rows);
    QVERIFY(plain);
    auto zeros = [](const float*, float* out, std::size_t n) { std::fill(out, out + n * kDim, 0.0f); };
    auto reused = plain->reuse_graph("zeros", zeros, reuse_params());
    QVERIFY(!reused.ok());
    QVERIFY2(reused.error().message.find("of id ") != std::string::npos, reused.error().message.c_str());
    QVERIFY2(reused.error().message.find("refused") != std::string::npos, reused.error().message.c_str());
    QCOMPARE(plain->size(), std::size_t(500));
    const auto hits = plain->search(rows.data(), 1);
    QCOMPARE(hits.size(), std::size_t(1));
    QCOMPARE(hits[0].id, std::int64_t(0));
    // Cancelled before it starts: an Error, no copy.
    const std::atomic<bool> cancel{true};
    rv::GraphReuseParams rp = reuse_params();
    rp.cancel = &cancel;
    const rv::LowRankAdapter a = adapter(0.1f);
    auto cancelled = plain->reuse_graph(
        "c", [&a](const float* in, float* out, std::size_t n) { a.apply_rows(in, out, n); }, rp);
    QVERIFY(!cancelled.ok());
    QCOMPARE(cancelled.error().message, std::string("cancelled"));
}

void TestAdaptedIndex::the_copy_is_a_full_index() {
    const auto rows = clustered(1000, 0);
    auto plain = plain_index(rows);
    QVERIFY(plain);
    for (std::int64_t id : {3, 500, 999}) QVERIFY(plain->remove(id));
    const rv::LowRankAdapter a = adapter(0.2f);
    auto reused = plain->reuse_graph(
        "m@adapter2", [&a](const float* in, float* out, std::size_t n) { a.apply_rows(in, out, n); },
        reuse_params());
    QVERIFY(reused.ok());
    rv::HnswIndex& copy = *reused->index;
    QCOMPARE(copy.size(), std::size_t(997));
    QVERIFY(!copy.contains(500));
    QVERIFY(copy.contains(501));
    std::vector<float> mapped(rows.size());
    a.apply_rows(rows.data(), mapped.data(), 1000);
    for (const auto& h : copy.search(&mapped[500 * kDim], 20)) QVERIFY(h.id != 500);
    // It grows past the size it was copied at.
    const auto more = clustered(300, 1000);
    std::vector<float> more_mapped(more.size());
    a.apply_rows(more.data(), more_mapped.data(), 300);
    const auto more_ids = sequence(300, 1000);
    QVERIFY(copy.add_batch(300, more_ids.data(), more_mapped.data()).ok());
    QCOMPARE(copy.size(), std::size_t(1297));
    const auto found = copy.search(&more_mapped[7 * kDim], 1);
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found[0].id, std::int64_t(1007));
    // Saves and loads with the same answers.
    QTemporaryDir tmp;
    const std::string path = (tmp.path() + "/reused.rvi").toStdString();
    QVERIFY(copy.save(path).ok());
    auto loaded = rv::load_index(path, kDim, "m@adapter2");
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE((*loaded)->size(), std::size_t(1297));
    for (std::size_t i = 0; i < 1000; i += 111) {
        const auto x = copy.search(&mapped[i * kDim], 10);
        const auto y = (*loaded)->search(&mapped[i * kDim], 10);
        QCOMPARE(x.size(), y.size());
        for (std::size_t j = 0; j < x.size(); ++j) QCOMPARE(x[j].id, y[j].id);
    }
}

QTEST_GUILESS_MAIN(TestAdaptedIndex)
#include "test_adapted_index.moc"
