// Readers during indexing, in one process: search(), status(), errors() and duplicates() called
// on one thread while index() runs on another, as the window does. Library.h promises that
// readers see what the writer has committed and never disturb it; this test holds the writer
// after a few committed files until a reader has found one of them, then keeps reading while
// the writer goes on. Run under ThreadSanitizer (packaging/quickstart.sh test tsan) it is the
// race detector's view of the engine's reader/writer contract.
#include <QTemporaryDir>
#include <QtTest>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "sample_photos.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;

class TestLibraryReaders : public QObject {
    Q_OBJECT
private slots:
    void readers_during_indexing();
};

namespace {

std::vector<fs::path> photos() { return rv_test::nature_photos(); }

}  // namespace

void TestLibraryReaders::readers_during_indexing() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    fs::create_directories(root);
    const auto all = photos();
    QVERIFY(all.size() >= 6);
    for (const auto& p : all) fs::copy_file(p, root / p.filename());

    auto opened = rv::Library::open(fs::path(tmp.path().toStdString()) / "library");
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    rv::Library& lib = **opened;

    // The writer stops after its third file until the reader has seen a committed file.
    constexpr std::size_t kHoldAt = 3;
    std::mutex m;
    std::condition_variable cv;
    bool held = false, released = false;
    std::string held_path;
    std::atomic<bool> writer_done{false};
    std::atomic<bool> cancel{false};
    rv::Result<rv::IndexJobResult> run = rv::Error{"not run"};

    std::thread writer([&] {
        rv::IndexJobParams params;
        params.roots = {root};
        params.threads = 2;
        params.commit_every = 1;  // each file committed before its progress report
        run = lib.index(params, cancel, [&](const rv::IndexProgress& p) {
            if (p.done != kHoldAt) return;
            std::unique_lock lock(m);
            held = true;
            held_path = p.current.string();
            cv.notify_all();
            cv.wait(lock, [&] { return released; });
        });
        writer_done = true;
        std::lock_guard lock(m);
        held = true;  // also wakes the reader if the run ended before the hold
        cv.notify_all();
    });
    // On any way out of this function (a failed check returns early): release and join the writer.
    struct Join {
        std::thread& t;
        std::mutex& m;
        std::condition_variable& cv;
        bool& released;
        std::atomic<bool>& cancel;
        ~Join() {
            cancel = true;
            {
                std::lock_guard lock(m);
                released = true;
            }
            cv.notify_all();
            t.join();
        }
    } join{writer, m, cv, released, cancel};

    // While the writer is held: the committed file is found, by itself first.
    std::string query;
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return held; });
        query = held_path;
    }
    QVERIFY2(!query.empty(), "indexing ended before its third file");
    auto hits = lib.search(fs::path(query), 3);
    QVERIFY2(hits, hits ? "" : hits.error().message.c_str());
    QVERIFY(!hits->empty());
    QCOMPARE(QString::fromStdString(hits->front().path), QString::fromStdString(query));
    auto st = lib.status();
    QVERIFY2(st, st ? "" : st.error().message.c_str());
    QVERIFY(st->counts.indexed >= static_cast<std::int64_t>(kHoldAt));
    {
        std::lock_guard lock(m);
        released = true;
    }
    cv.notify_all();

    // While the writer goes on: every read answers (a search may see more files each time).
    int reads = 0;
    while (!writer_done) {
        auto h = lib.search(fs::path(query), 3);
        QVERIFY2(h, h ? "" : h.error().message.c_str());
        QVERIFY(!h->empty());
        QCOMPARE(QString::fromStdString(h->front().path), QString::fromStdString(query));
        auto s = lib.status();
        QVERIFY(s);
        QVERIFY(s->counts.indexed >= static_cast<std::int64_t>(kHoldAt));
        QVERIFY(lib.errors());
        auto d = lib.duplicates({}, cancel);
        QVERIFY2(d, d ? "" : d.error().message.c_str());
        ++reads;
    }
    qInfo("%d rounds of reads while the writer ran", reads);
    // writer_done was set after `run` was assigned: reading it here is ordered after the write.
    QVERIFY2(run, run ? "" : run.error().message.c_str());
    QCOMPARE(run->embedded, all.size());
    QCOMPARE(run->failed, std::size_t(0));
    // After the run, every photo finds itself first.
    for (const auto& p : all) {
        auto h = lib.search(root / p.filename(), 1);
        QVERIFY2(h, h ? "" : h.error().message.c_str());
        QVERIFY(!h->empty());
        QCOMPARE(QString::fromStdString(h->front().path), QString::fromStdString((root / p.filename()).string()));
    }
}

QTEST_GUILESS_MAIN(TestLibraryReaders)
#include "test_library_readers.moc"
