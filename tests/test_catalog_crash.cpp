// Crash safety of the catalog: a child process committing batches is killed with SIGKILL at
// varying points, five times over the same file; after each kill the catalog opens, passes
// integrity_check and holds exactly the committed batches (every reported row, at most the batch
// being committed at the kill besides, never part of a batch), each with its bit-exact feature.
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "catalog_test_util.h"
#include "kill_child_util.h"
#include "ruvision/engine/CatalogDb.h"

using namespace catalog_test;
using rv::CatalogDb;
using rv::FileStatus;

namespace {

// Deterministic feature of row n of the crash test.
std::vector<float> crash_feature(std::int64_t n, int dim) {
    std::vector<float> v(static_cast<std::size_t>(dim));
    double sum = 0;
    for (std::size_t k = 0; k < v.size(); ++k) {
        v[k] = static_cast<float>(n) + 0.001f * static_cast<float>(k);
        sum += static_cast<double>(v[k]) * v[k];
    }
    const float scale = static_cast<float>(1.0 / std::sqrt(sum));
    for (auto& x : v) x *= scale;
    return v;
}

}  // namespace

class TestCatalogCrash : public QObject {
    Q_OBJECT
private slots:
    void crash_safety_sigkill();
};

// The child: resumes from what the catalog holds, then commits batches of kBatch rows forever,
// writing the number of rows committed so far to `fd` after each commit. Never returns.
[[noreturn]] static void crash_child(const std::filesystem::path& file, int fd, int dim, int batch) {
    auto fail = [&] {
        (void)kill_test::report(fd, std::int64_t{-1});
        _exit(2);
    };
    auto db = CatalogDb::open(file);
    if (!db) fail();
    auto root = db->add_root("/crash");
    auto c = db->counts();
    if (!root || !c) fail();
    for (std::int64_t n = c->total;;) {
        auto tx = db->begin();
        if (!tx) fail();
        for (int i = 0; i < batch; ++i, ++n) {
            auto s = db->upsert_file_seen(*root, "/crash/img_" + std::to_string(n) + ".jpg", n, n);
            const auto v = crash_feature(n, dim);
            if (!s || !db->mark_indexed(s->file_id, 1 + static_cast<int>(n % 997), 7, "m", v.data(), dim)) fail();
        }
        if (!tx->commit()) fail();
        if (!kill_test::report(fd, n)) fail();
    }
}

void TestCatalogCrash::crash_safety_sigkill() {
    constexpr int kDim = 576, kBatch = 64;
    QTemporaryDir dir;
    const auto file = db_path(dir);
    { CHECK_OK(CatalogDb::open(file)); }  // created, then closed: no connection crosses fork()
    std::int64_t total = 0;
    const int delays_us[] = {0, 700, 3000, 150, 12000};
    for (int round = 0; round < 5; ++round) {
        kill_test::KilledChild<std::int64_t> child([&](int fd) { crash_child(file, fd, kDim, kBatch); });
        QVERIFY(child.started());
        std::int64_t reported = total, n = 0;
        while (reported < total + 12 * kBatch && child.next(&n)) {
            QVERIFY2(n >= 0, "the child failed to write");
            reported = n;
        }
        // Land the kill at varying points of a batch.
        QVERIFY(child.kill_after(std::chrono::microseconds(delays_us[round])));
        while (child.next(&n)) {
            QVERIFY2(n >= 0, "the child failed to write");
            reported = n;
        }

        auto db = CatalogDb::open(file, CatalogDb::OpenMode::MustExist);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
        auto c = db->counts();
        CHECK_OK(c);
        // Every reported row is there; at most the batch being committed at the kill is extra; a batch
        // is all or nothing.
        QVERIFY2(c->total >= reported && c->total <= reported + kBatch,
                 qPrintable(QString("total %1, reported %2").arg(c->total).arg(reported)));
        QCOMPARE(c->total % kBatch, std::int64_t(0));
        QCOMPARE(c->indexed, c->total);
        std::int64_t features = 0;
        bool all_right = true;
        CHECK_OK(db->for_each_feature("m", [&](std::int64_t, const float* v, int dim) {
            all_right = all_right && dim == kDim && std::isfinite(v[0]);
            return ++features, true;
        }));
        QVERIFY(all_right);
        QCOMPARE(features, c->total);  // indexed <=> feature, nothing orphaned or missing
        for (std::int64_t i = 0; i < c->total; ++i) {
            auto f = db->find_by_path("/crash/img_" + std::to_string(i) + ".jpg");
            QVERIFY2(f.ok() && f->has_value(), qPrintable(QString("row %1 missing").arg(i)));
            QCOMPARE((*f)->status, FileStatus::Indexed);
            QCOMPARE((*f)->size, i);
            QCOMPARE((*f)->width, 1 + static_cast<int>(i % 997));
            auto v = db->feature((*f)->id);
            QVERIFY(v.ok() && v->has_value());
            QVERIFY2(std::memcmp((*v)->data(), crash_feature(i, kDim).data(), 4 * kDim) == 0,
                     qPrintable(QString("row %1 feature differs").arg(i)));
        }
        qInfo("round %d: child reported %lld rows committed, catalog holds %lld", round,
              static_cast<long long>(reported), static_cast<long long>(c->total));
        total = c->total;
    }
}

QTEST_APPLESS_MAIN(TestCatalogCrash)
#include "test_catalog_crash.moc"
