// HNSW compaction (HnswIndex::compact): replaced and removed vectors leave deleted nodes that
// hnswlib never reuses; past kHnswCompactFraction of the graph it is rebuilt from the live
// vectors. Every vector replaced several times and half the ids removed: the node count and the
// file shrink, every live id is found by its own vector and by a search for all, removed ids
// never come back, searches run during a compaction, a kill -9 at any moment of replace-compact-
// save cycles leaves a file that loads whole; through a Library, files changed and re-indexed
// again and again keep every index file bounded.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "kill_child_util.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/VectorIndex.h"
#include "sample_photos.h"

namespace fs = std::filesystem;
using rv::Hit;
using rv::HnswIndex;

namespace {

const std::string kModel = "test/compaction";

// n unit vectors in 20 clusters (a centre plus noise), as image features cluster.
std::vector<float> clustered(std::size_t n, int d, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<float> centres(20 * std::size_t(d));
    for (auto& x : centres) x = g(rng);
    std::vector<float> v(n * std::size_t(d));
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t c = rng() % 20;
        double s = 0;
        for (int j = 0; j < d; ++j) {
            float& x = v[i * d + j];
            x = centres[c * d + j] + 0.6f * g(rng);
            s += double(x) * x;
        }
        for (int j = 0; j < d; ++j) v[i * d + j] = float(v[i * d + j] / std::sqrt(s));
    }
    return v;
}

std::uint64_t file_size(const std::string& path) { return fs::file_size(path); }

// Every live id of `index` (its vector in `now`, row = id) is in its own top 10, a search for
// all returns exactly the live ids, and none of `gone`.
void check_answers(const rv::VectorIndex& index, const std::vector<float>& now, int d,
                   const std::set<std::int64_t>& live, const std::set<std::int64_t>& gone) {
    QCOMPARE(index.size(), live.size());
    for (std::int64_t id : live) {
        QVERIFY(index.contains(id));
        const auto top = index.search(&now[std::size_t(id) * d], 10);
        QVERIFY2(std::any_of(top.begin(), top.end(), [id](const Hit& h) { return h.id == id; }),
                 qPrintable(QString("id %1 not found by its own vector").arg(id)));
    }
    for (std::int64_t id : gone) QVERIFY(!index.contains(id));
    std::set<std::int64_t> all;
    for (const Hit& h : index.search(&now[0], int(live.size() + gone.size()))) QVERIFY(all.insert(h.id).second);
    QVERIFY(all == live);
}

}  // namespace

class TestHnswCompaction : public QObject {
    Q_OBJECT
private slots:
    void replaced_and_removed_vectors_are_compacted_data();
    void replaced_and_removed_vectors_are_compacted();
    void everything_removed_compacts_to_an_empty_index();
    void searches_run_during_compaction();
    void kill_during_compaction_leaves_a_whole_file();
    void library_reindexed_again_and_again_stays_bounded();
};

void TestHnswCompaction::replaced_and_removed_vectors_are_compacted_data() {
    QTest::addColumn<int>("threads");
    QTest::newRow("1 build thread") << 1;
    QTest::newRow("2 build threads") << 2;
}

void TestHnswCompaction::replaced_and_removed_vectors_are_compacted() {
    QFETCH(int, threads);
    const int d = 32;
    const std::size_t n = 1200;
    QTemporaryDir dir;
    const std::string before_path = dir.filePath("before.rvi").toStdString();
    const std::string after_path = dir.filePath("after.rvi").toStdString();
    rv::HnswParams p;
    p.build_threads = threads;
    p.ef_search = 80;
    HnswIndex index(d, kModel, p);
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
    std::vector<float> now = clustered(n, d, 1);
    QVERIFY(index.add_batch(n, ids.data(), now.data()).ok());
    // Below the fraction: nothing to do.
    auto none = index.compact();
    QVERIFY(none.ok());
    QCOMPARE(*none, std::size_t(0));

    std::set<std::int64_t> live(ids.begin(), ids.end()), gone;
    for (unsigned round = 1; round <= 3; ++round) {
        now = clustered(n, d, 1 + round);  // every vector replaced
        QVERIFY(index.add_batch(n, ids.data(), now.data()).ok());
    }
    for (std::size_t i = 0; i < n; i += 2) {  // half the ids removed
        QVERIFY(index.remove(ids[i]));
        live.erase(ids[i]);
        gone.insert(ids[i]);
    }
    {  // the live ones replaced once more
        now = clustered(n, d, 5);
        std::vector<std::int64_t> kept(live.begin(), live.end());
        std::vector<float> rows;
        for (std::int64_t id : kept) rows.insert(rows.end(), &now[std::size_t(id) * d], &now[std::size_t(id + 1) * d]);
        QVERIFY(index.add_batch(kept.size(), kept.data(), rows.data()).ok());
    }
    const std::size_t nodes_before = index.node_count();
    QCOMPARE(nodes_before, 4 * n + live.size());  // hnswlib never reuses a deleted node
    QCOMPARE(index.deleted_count(), nodes_before - live.size());
    QVERIFY(index.save(before_path).ok());

    auto dropped = index.compact();
    QVERIFY2(dropped.ok(), dropped.ok() ? "" : dropped.error().message.c_str());
    QCOMPARE(*dropped, nodes_before - live.size());
    QCOMPARE(index.node_count(), live.size());
    QCOMPARE(index.deleted_count(), std::size_t(0));
    QCOMPARE(index.ef_search(), 80);
    QVERIFY(index.save(after_path).ok());
    qInfo("%zu vectors replaced 3 times, half removed: %zu nodes, %llu bytes -> compacted: %zu nodes, %llu bytes",
          n, nodes_before, (unsigned long long)file_size(before_path), index.node_count(),
          (unsigned long long)file_size(after_path));
    QVERIFY(file_size(after_path) * 3 < file_size(before_path));
    check_answers(index, now, d, live, gone);
    // Again: nothing left to drop.
    auto again = index.compact();
    QVERIFY(again.ok() && *again == 0);

    // The compacted file loads as the index it was; a removed id comes back only when added.
    auto loaded = rv::load_index(after_path, d, kModel);
    QVERIFY(loaded.ok());
    check_answers(**loaded, now, d, live, gone);
    const std::int64_t back = *gone.begin();
    QVERIFY((*loaded)->add(back, &now[std::size_t(back) * d]).ok());
    live.insert(back);
    gone.erase(back);
    check_answers(**loaded, now, d, live, gone);
}

// A library whose files are all forgotten: an empty graph, saved and loaded, that takes ids again.
void TestHnswCompaction::everything_removed_compacts_to_an_empty_index() {
    const int d = 16;
    const std::size_t n = 50;
    QTemporaryDir dir;
    const std::string path = dir.filePath("vectors.rvi").toStdString();
    HnswIndex index(d, kModel);
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
    const auto v = clustered(n, d, 3);
    QVERIFY(index.add_batch(n, ids.data(), v.data()).ok());
    for (std::int64_t id : ids) QVERIFY(index.remove(id));
    auto dropped = index.compact();
    QVERIFY(dropped.ok());
    QCOMPARE(*dropped, n);
    QCOMPARE(index.node_count(), std::size_t(0));
    QVERIFY(index.search(v.data(), 5).empty());
    QVERIFY(index.save(path).ok());
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE((*loaded)->size(), std::size_t(0));
    QVERIFY((*loaded)->add(7, &v[7 * d]).ok());
    const auto top = (*loaded)->search(&v[7 * d], 3);
    QVERIFY(top.size() == 1 && top[0].id == 7);
}

// Searches on other threads while the graph is rebuilt and swapped: every answer holds live ids
// only, and the own vector's search finds its id.
void TestHnswCompaction::searches_run_during_compaction() {
    const int d = 24;
    const std::size_t n = 3000;
    HnswIndex index(d, kModel);
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
    const auto first = clustered(n, d, 7), now = clustered(n, d, 8);
    QVERIFY(index.add_batch(n, ids.data(), first.data()).ok());
    QVERIFY(index.add_batch(n, ids.data(), now.data()).ok());
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> searches{0}, wrong{0};
    auto searcher = [&](unsigned seed) {
        std::mt19937 rng(seed);
        while (!stop) {
            const std::size_t i = rng() % n;
            const auto hits = index.search(&now[i * d], 5);
            if (hits.empty() || hits.size() > 5) ++wrong;
            for (const Hit& h : hits)
                if (h.id < 0 || h.id >= std::int64_t(n)) ++wrong;  // a tombstone label would show here
            ++searches;
        }
    };
    std::thread a(searcher, 1), b(searcher, 2);
    while (searches < 100) std::this_thread::yield();
    auto dropped = index.compact();
    const std::size_t at_swap = searches;
    while (searches < at_swap + 100) std::this_thread::yield();  // searches of the new graph too
    stop = true;
    a.join();
    b.join();
    QVERIFY(dropped.ok());
    QCOMPARE(*dropped, n);
    QCOMPARE(wrong.load(), std::size_t(0));
    QCOMPARE(index.node_count(), n);
}

// A child replaces every vector, compacts and saves, round after round, reporting each saved
// round; killed at varying moments, the file under the path always loads whole: every id, with
// the vectors of the round reported last or of the next one (saved just before the kill).
void TestHnswCompaction::kill_during_compaction_leaves_a_whole_file() {
    const int d = 48;
    const std::size_t n = 4000;
    QTemporaryDir dir;
    const std::string path = dir.filePath("vectors.rvi").toStdString();
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
    const double fractions[] = {0.05, 0.3, 0.55, 0.8, 0.97};
    for (int kill_round = 0; kill_round < 5; ++kill_round) {
        kill_test::KilledChild<std::int32_t> child([&](int fd) {
            HnswIndex index(d, kModel);
            for (std::int32_t round = 0;; ++round) {
                const auto v = clustered(n, d, 100 + unsigned(round));
                if (!index.add_batch(n, ids.data(), v.data()).ok() || !index.compact().ok() || !index.save(path).ok())
                    round = -1;
                if (!kill_test::report(fd, round) || round < 0) _exit(1);
            }
        });
        QVERIFY(child.started());
        // The kill lands at a fraction of the time one round took (replace, compact, save).
        std::int32_t reported = -2, r = 0;
        auto saved0 = std::chrono::steady_clock::now();
        while (reported < 1 && child.next(&r)) {
            if ((reported = r) == 0) saved0 = std::chrono::steady_clock::now();
        }
        QVERIFY2(reported >= 1, "the child failed");
        const auto round_time = std::chrono::steady_clock::now() - saved0;
        const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(round_time * fractions[kill_round]);
        QVERIFY(child.kill_after(delay));
        while (child.next(&r)) {
            QVERIFY2(r >= 0, "the child failed");
            reported = r;
        }

        auto loaded = rv::load_index(path, d, kModel);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        QCOMPARE((*loaded)->size(), n);
        int round = -1;
        for (int candidate : {reported, reported + 1}) {
            const auto v = clustered(1, d, 100 + unsigned(candidate));  // id 0's vector of that round
            const auto top = (*loaded)->search(v.data(), 1);
            if (!top.empty() && top[0].id == 0 && top[0].score > 0.9999f) round = candidate;
        }
        qInfo("killed %.2f of a round (%lld us) after round 1 was saved: the file holds round %d (round %d was saved last)",
              fractions[kill_round], (long long)delay.count(), round, reported);
        QVERIFY2(round >= 0, qPrintable(QString("the file holds neither round %1 nor %2").arg(reported).arg(reported + 1)));
        const auto v = clustered(n, d, 100 + unsigned(round));
        std::size_t found = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto top = (*loaded)->search(&v[i * d], 10);
            found += std::any_of(top.begin(), top.end(), [i](const Hit& h) { return h.id == std::int64_t(i); });
        }
        QCOMPARE(found, n);
    }
}

// Files edited in place and indexed again, five times: each index file (main, regions, twins)
// keeps at most 4/3 of its live nodes, and the main index file stays the size of the first run's.
void TestHnswCompaction::library_reindexed_again_and_again_stays_bounded() {
    const auto photos = rv_test::nature_photos();
    QVERIFY(photos.size() >= 6);
    QTemporaryDir dir;
    const fs::path root = fs::path(dir.path().toStdString()) / "photos";
    const fs::path lib_dir = fs::path(dir.path().toStdString()) / "library";
    fs::create_directories(root);
    std::vector<QImage> originals;
    for (std::size_t i = 0; i < 6; ++i) {
        QImage im(QString::fromStdString(photos[i].string()));
        QVERIFY(!im.isNull());
        originals.push_back(im.scaledToWidth(320, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB32));
    }
    auto opened = rv::Library::open(lib_dir, rv::LibraryAccess::Create);
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    rv::Library& lib = **opened;
    std::uint64_t first_size = 0;
    for (int round = 0; round < 5; ++round) {
        // Each round another picture in every file: mirrored on odd rounds, a band darkened at
        // a height of its own, so that every file's vectors change.
        for (std::size_t i = 0; i < originals.size(); ++i) {
            QImage im = round % 2 ? originals[i].mirrored(true, false) : originals[i];
            for (int y = round * im.height() / 6; y < (round + 1) * im.height() / 6; ++y)
                for (int x = 0; x < im.width(); ++x) im.setPixel(x, y, QColor(im.pixel(x, y)).darker(300).rgb());
            const fs::path file = root / ("photo" + std::to_string(i) + ".jpg");
            QVERIFY(im.save(QString::fromStdString(file.string()), "JPG", 90));
            fs::last_write_time(file, fs::file_time_type::clock::now() + std::chrono::seconds(round));
        }
        std::atomic<bool> cancel{false};
        rv::IndexJobParams params;
        params.roots = {root};
        auto run = lib.index(params, cancel);
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
        QCOMPARE(run->failed, std::size_t(0));
        QCOMPARE(run->embedded, originals.size());  // every file changed, every file embedded again
        for (const char* name : {"vectors.rvi", "regions.rvi", "twins.rvi"}) {
            const fs::path file = lib_dir / name;
            auto index = rv::load_index(file.string(), 0, "");
            QVERIFY2(index.ok(), index.ok() ? "" : index.error().message.c_str());
            const auto* hnsw = dynamic_cast<const HnswIndex*>(index->get());
            QVERIFY(hnsw);
            qInfo("round %d: %s holds %zu nodes for %zu live vectors, %llu bytes", round, name, hnsw->node_count(),
                  hnsw->size(), (unsigned long long)fs::file_size(file));
            QVERIFY(hnsw->size() > 0);
            QVERIFY(double(hnsw->deleted_count()) <= rv::kHnswCompactFraction * double(hnsw->node_count()));
            if (std::string(name) == "vectors.rvi") {
                QCOMPARE(hnsw->size(), originals.size());
                if (round == 0) first_size = fs::file_size(file);
                QVERIFY(fs::file_size(file) * 3 <= first_size * 4);
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestHnswCompaction)
#include "test_hnsw_compaction.moc"
