// The photo catalog (CatalogDb) through one connection: every call round-trips (roots, meta, files,
// features, statuses and errors), paths are bytes, a changed file is pending again, features are
// bit-exact and follow copies and moves, and removing a root or files cascades.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "catalog_test_util.h"
#include "ruvision/engine/CatalogDb.h"

using namespace catalog_test;
using rv::CatalogDb;
using rv::FileStatus;

class TestCatalog : public QObject {
    Q_OBJECT
private slots:
    void roots_and_meta();
    void odd_path_bytes_data();
    void odd_path_bytes();
    void changed_file_is_pending_again();
    void features_bit_exact();
    void status_counts_errors();
    void remove_root_cascades();
    void moved_files_keep_features();
    void remove_and_pending();
    void bad_features_never_stored_or_visited();
};

void TestCatalog::roots_and_meta() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    CHECK_OK(db);
    auto a = db->add_root("/home/u/Photos");
    CHECK_OK(a);
    auto b = db->add_root("/media/card");
    CHECK_OK(b);
    auto again = db->add_root("/home/u/Photos");
    CHECK_OK(again);
    QCOMPARE(*again, *a);
    auto roots = db->roots();
    CHECK_OK(roots);
    QCOMPARE(roots->size(), std::size_t(2));
    QCOMPARE((*roots)[0].path, std::string("/home/u/Photos"));
    QCOMPARE((*roots)[1].id, *b);
    QVERIFY((*roots)[0].added_at > 1600000000000);  // Unix ms
    QVERIFY(!db->add_root("").ok());

    auto missing = db->get_meta("model");
    CHECK_OK(missing);
    QVERIFY(!missing->has_value());
    CHECK_OK(db->set_meta("model", "mobilenet_v2"));
    CHECK_OK(db->set_meta("model", "mobilenet_v3"));
    auto model = db->get_meta("model");
    CHECK_OK(model);
    QCOMPARE(model->value(), std::string("mobilenet_v3"));
    CHECK_OK(db->remove_meta("model"));
    QVERIFY(!db->get_meta("model")->has_value());

    CHECK_OK(db->remove_root(*b));
    QCOMPARE(db->roots()->size(), std::size_t(1));
    const auto gone = db->remove_root(*b);
    QVERIFY(!gone.ok());
    QVERIFY2(gone.error().message.find("no root") != std::string::npos, why(gone));
    QVERIFY2(gone.error().message.find("catalog.sqlite") != std::string::npos, why(gone));
    QVERIFY(!db->upsert_file_seen(*b, "/media/card/x.jpg", 1, 1).ok());  // unknown root
}

void TestCatalog::odd_path_bytes_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("latin-1 e-acute") << QByteArray("/photos/caf\xe9.jpg");
    QTest::newRow("invalid utf-8") << QByteArray("/photos/\xff\xfe\x80\xc3(.png");
    QTest::newRow("utf-8") << QByteArray("/photos/\xc3\xa9t\xc3\xa9 \xf0\x9f\x93\xb7.jpg");
    QTest::newRow("quotes") << QByteArray("/photos/it's \"quoted\" `x`.jpg");
    QTest::newRow("newline and tab") << QByteArray("/photos/two\nlines\tand\rcr.jpg");
    QTest::newRow("sql-ish") << QByteArray("/photos/'); DROP TABLE files;--.jpg");
    QTest::newRow("percent and backslash") << QByteArray("/photos/100%\\_x?.jpg");
    QTest::newRow("embedded nul") << QByteArray("/photos/a\0b.jpg", 15);
    QTest::newRow("long") << QByteArray(4000, 'x').prepend("/photos/");
}

void TestCatalog::odd_path_bytes() {
    QFETCH(QByteArray, path);
    const std::string p(path.constData(), static_cast<std::size_t>(path.size()));
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    CHECK_OK(db);
    auto root = db->add_root(p);  // roots are bytes too
    CHECK_OK(root);
    QCOMPARE(db->roots()->at(0).path, p);
    auto seen = db->upsert_file_seen(*root, p, 10, 20);
    CHECK_OK(seen);
    // A path differing in one byte is another file.
    std::string near = p;
    near.back() ^= 1;
    QVERIFY(!db->find_by_path(near)->has_value());

    auto found = db->find_by_path(p);
    CHECK_OK(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->path, p);
    QCOMPARE((*found)->id, seen->file_id);
    QCOMPARE(db->files_under_root(*root)->at(0).path, p);
    CHECK_OK(db->mark_error(seen->file_id, "bad \xe9 data"));
    auto errors = db->errors();
    CHECK_OK(errors);
    QCOMPARE(errors->at(0).path, p);
    QCOMPARE(errors->at(0).reason, std::string("bad \xe9 data"));
}

void TestCatalog::changed_file_is_pending_again() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    auto first = db->upsert_file_seen(*root, "/p/a.jpg", 100, 5000);
    CHECK_OK(first);
    QVERIFY(first->changed && first->created);
    const auto v = random_bits(64, 1);
    CHECK_OK(db->mark_indexed(first->file_id, 10, 20, "m", v.data(), 64));
    CHECK_OK(db->set_content_hash(first->file_id, "00ff00ff00ff00ff"));

    auto same = db->upsert_file_seen(*root, "/p/a.jpg", 100, 5000);
    CHECK_OK(same);
    QVERIFY(!same->changed && !same->created);
    QCOMPARE(same->file_id, first->file_id);
    QCOMPARE(db->file(first->file_id)->value().status, FileStatus::Indexed);

    for (auto [size, mtime] : {std::pair<std::int64_t, std::int64_t>{101, 5000}, {101, 6000}}) {
        auto changed = db->upsert_file_seen(*root, "/p/a.jpg", size, mtime);
        CHECK_OK(changed);
        QVERIFY(changed->changed && !changed->created);
        QCOMPARE(changed->file_id, first->file_id);
        auto f = db->file(first->file_id);
        CHECK_OK(f);
        QCOMPARE((*f)->status, FileStatus::Pending);
        QCOMPARE((*f)->size, size);
        QCOMPARE((*f)->mtime_ns, mtime);
        QVERIFY(!(*f)->content_hash);  // the old hash described the old content
        QVERIFY(!db->feature(first->file_id)->has_value());
    }
    QCOMPARE(db->pending_files(10)->size(), std::size_t(1));
}

void TestCatalog::features_bit_exact() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 20; ++i) {
        auto s = db->upsert_file_seen(*root, "/p/" + std::to_string(i), i, i);
        ids.push_back(s->file_id);
        const int dim = i % 2 ? 576 : 1280;
        const auto v = random_bits(dim, static_cast<std::uint32_t>(i));
        CHECK_OK(db->mark_indexed(s->file_id, 100 + i, 200, i < 15 ? "mobilenet_v2/gem3" : "other", v.data(), dim));
    }
    auto one = db->feature(ids[3]);
    CHECK_OK(one);
    QVERIFY(same_bits((*one)->data(), random_bits(576, 3), 576));

    int visited = 0;
    std::int64_t last = 0;
    auto st = db->for_each_feature("mobilenet_v2/gem3", [&](std::int64_t id, const float* v, int dim) {
        const int i = static_cast<int>(std::find(ids.begin(), ids.end(), id) - ids.begin());
        if (!same_bits(v, random_bits(i % 2 ? 576 : 1280, static_cast<std::uint32_t>(i)), dim)) return false;
        if (id <= last) return false;  // ascending ids
        last = id;
        ++visited;
        return db->file(id)->has_value();  // reading from inside the callback is allowed
    });
    CHECK_OK(st);
    QCOMPARE(visited, 15);
    int stopped = 0;
    CHECK_OK(db->for_each_feature("other", [&](std::int64_t, const float*, int) { return ++stopped < 2; }));
    QCOMPARE(stopped, 2);

    // Replacing a feature, including with another dimension.
    const auto w = random_bits(32, 99);
    CHECK_OK(db->mark_indexed(ids[0], 1, 1, "other", w.data(), 32));
    QVERIFY(same_bits(db->feature(ids[0])->value().data(), w, 32));
    QCOMPARE(db->file(ids[0])->value().model_id, std::string("other"));

    QVERIFY(!db->mark_indexed(ids[0], 1, 1, "m", w.data(), 0).ok());
    QVERIFY(!db->mark_indexed(ids[0], 1, 1, "", w.data(), 32).ok());
    const auto unknown = db->mark_indexed(999999, 1, 1, "m", w.data(), 32);
    QVERIFY(!unknown.ok());
    QVERIFY2(unknown.error().message.find("no file with id 999999") != std::string::npos, why(unknown));
    QVERIFY(!db->feature(999999)->has_value());  // and no orphan feature was written
}

void TestCatalog::status_counts_errors() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    const auto v = random_bits(8, 5);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 7; ++i) ids.push_back(db->upsert_file_seen(*root, "/p/" + std::to_string(i), 1, 1)->file_id);
    CHECK_OK(db->mark_indexed(ids[0], 3, 4, "m", v.data(), 8));
    CHECK_OK(db->mark_indexed(ids[1], 3, 4, "m", v.data(), 8));
    CHECK_OK(db->mark_error(ids[2], "truncated JPEG"));
    CHECK_OK(db->mark_error(ids[3], "decompression bomb: 60000x60000"));
    CHECK_OK(db->mark_error(ids[1], "vanished mid-scan"));  // indexed -> error drops the feature
    QVERIFY(!db->feature(ids[1])->has_value());
    QVERIFY(!db->mark_error(424242, "x").ok());

    auto c = db->counts();
    CHECK_OK(c);
    QCOMPARE(c->total, std::int64_t(7));
    QCOMPARE(c->indexed, std::int64_t(1));
    QCOMPARE(c->errors, std::int64_t(3));
    QCOMPARE(c->pending, std::int64_t(3));
    auto e = db->errors();
    CHECK_OK(e);
    QCOMPARE(e->size(), std::size_t(3));
    QCOMPARE(e->at(0).path, std::string("/p/1"));
    QCOMPARE(e->at(0).reason, std::string("vanished mid-scan"));
    QCOMPARE(e->at(2).file_id, ids[3]);
    auto f = db->file(ids[0]);
    QCOMPARE((*f)->width, 3);
    QCOMPARE((*f)->height, 4);
    QCOMPARE((*f)->model_id, std::string("m"));
    QVERIFY((*f)->error.empty());
}

void TestCatalog::remove_root_cascades() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto a = db->add_root("/a");
    auto b = db->add_root("/b");
    const auto v = random_bits(16, 7);
    for (int i = 0; i < 10; ++i) {
        auto s = db->upsert_file_seen(i < 6 ? *a : *b, (i < 6 ? "/a/" : "/b/") + std::to_string(i), 1, 1);
        CHECK_OK(db->mark_indexed(s->file_id, 1, 1, "m", v.data(), 16));
    }
    CHECK_OK(db->remove_root(*a));
    QCOMPARE(db->counts()->total, std::int64_t(4));
    QVERIFY(db->files_under_root(*a)->empty());
    QCOMPARE(db->files_under_root(*b)->size(), std::size_t(4));
    int features = 0;
    CHECK_OK(db->for_each_feature("m", [&](std::int64_t, const float*, int) { return ++features, true; }));
    QCOMPARE(features, 4);
    CHECK_OK(db->check_integrity());
}

void TestCatalog::moved_files_keep_features() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    const auto v = random_bits(48, 11);
    auto old = db->upsert_file_seen(*root, "/p/old.jpg", 500, 1);
    CHECK_OK(db->mark_indexed(old->file_id, 30, 40, "m", v.data(), 48));
    CHECK_OK(db->set_content_hash(old->file_id, "deadbeefdeadbeef"));
    auto twin = db->upsert_file_seen(*root, "/p/twin.jpg", 500, 2);
    CHECK_OK(db->set_content_hash(twin->file_id, "deadbeefdeadbeef"));

    auto same = db->find_by_hash("deadbeefdeadbeef");
    CHECK_OK(same);
    QCOMPARE(same->size(), std::size_t(2));
    QVERIFY(db->find_by_hash("0000")->empty());

    // copy_feature: the twin becomes indexed without a forward pass.
    CHECK_OK(db->copy_feature(old->file_id, twin->file_id));
    auto t = db->file(twin->file_id);
    QCOMPARE((*t)->status, FileStatus::Indexed);
    QCOMPARE((*t)->width, 30);
    QVERIFY(same_bits(db->feature(twin->file_id)->value().data(), v, 48));
    auto other = db->upsert_file_seen(*root, "/p/other.jpg", 9, 9);
    CHECK_OK(db->set_content_hash(other->file_id, "1111111111111111"));
    QVERIFY(!db->copy_feature(old->file_id, other->file_id).ok());  // different contents
    QVERIFY(!db->copy_feature(other->file_id, old->file_id).ok());  // nothing to copy
    QCOMPARE(db->file(other->file_id)->value().status, FileStatus::Pending);

    // move_file: same row, new place.
    CHECK_OK(db->move_file(old->file_id, *root, "/p/sub/moved.jpg", 500, 77));
    QVERIFY(!db->find_by_path("/p/old.jpg")->has_value());
    auto m = db->find_by_path("/p/sub/moved.jpg");
    QCOMPARE((*m)->id, old->file_id);
    QCOMPARE((*m)->mtime_ns, std::int64_t(77));
    QCOMPARE((*m)->status, FileStatus::Indexed);
    QVERIFY(same_bits(db->feature(old->file_id)->value().data(), v, 48));
    const auto clash = db->move_file(old->file_id, *root, "/p/twin.jpg", 500, 1);
    QVERIFY(!clash.ok());
    QVERIFY2(clash.error().message.find("already in the catalog") != std::string::npos, why(clash));
}

void TestCatalog::remove_and_pending() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 10; ++i) ids.push_back(db->upsert_file_seen(*root, "/p/" + std::to_string(i), 1, 1)->file_id);
    auto p = db->pending_files(4);
    CHECK_OK(p);
    QCOMPARE(p->size(), std::size_t(4));
    QCOMPARE(p->at(0).id, ids[0]);
    QCOMPARE(p->at(3).id, ids[3]);
    const std::int64_t gone[] = {ids[0], ids[2], 123456};
    CHECK_OK(db->remove_files(gone));
    QCOMPARE(db->counts()->total, std::int64_t(8));
    QCOMPARE(db->pending_files(100)->size(), std::size_t(8));
    QCOMPARE(db->pending_files(1)->at(0).id, ids[1]);
    QVERIFY(!db->file(ids[0])->has_value());
}

// mark_indexed refuses what is not a finite unit vector; a stored row damaged afterwards (as a
// damaged page would be) is reported by for_each_feature, not visited, and never fails the walk;
// mark_pending sends it back to the queue.
void TestCatalog::bad_features_never_stored_or_visited() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 4; ++i) {
        auto s = db->upsert_file_seen(*root, "/p/" + std::to_string(i), 1, 1);
        ids.push_back(s->file_id);
        CHECK_OK(db->mark_indexed(s->file_id, 1, 1, "m", random_bits(16, 20 + i).data(), 16));
    }
    auto v = random_bits(16, 30);
    v[3] = std::nanf("");
    auto st = db->mark_indexed(ids[0], 1, 1, "m", v.data(), 16);
    QVERIFY(!st.ok());
    QVERIFY2(st.error().message.find("file " + std::to_string(ids[0])) != std::string::npos, st.error().message.c_str());
    v = random_bits(16, 30);
    for (auto& x : v) x *= 2;
    QVERIFY(!db->mark_indexed(ids[0], 1, 1, "m", v.data(), 16).ok());
    QVERIFY(!db->mark_indexed(ids[0], 1, 1, "m", random_bits(16, 31).data(), 16, v.data()).ok());  // rotated too
    QVERIFY(same_bits(db->feature(ids[0])->value().data(), random_bits(16, 20), 16));  // unchanged

    // Damage two stored rows behind the catalog's back: all zeros, and a NaN.
    {
        sqlite3* raw = nullptr;
        QCOMPARE(sqlite3_open(db_path(dir).c_str(), &raw), SQLITE_OK);
        auto nan_row = random_bits(16, 22);
        nan_row[0] = std::nanf("");
        const std::vector<float> zeros(16, 0.0f);
        for (const auto& [id, row] : {std::pair{ids[1], zeros}, std::pair{ids[2], nan_row}}) {
            sqlite3_stmt* s = nullptr;
            QCOMPARE(sqlite3_prepare_v2(raw, "UPDATE features SET vector = ?2 WHERE file_id = ?1", -1, &s, nullptr),
                     SQLITE_OK);
            sqlite3_bind_int64(s, 1, id);
            sqlite3_bind_blob(s, 2, row.data(), 64, SQLITE_TRANSIENT);
            QCOMPARE(sqlite3_step(s), SQLITE_DONE);
            sqlite3_finalize(s);
        }
        sqlite3_close(raw);
    }
    std::vector<std::int64_t> visited, damaged;
    CHECK_OK(db->for_each_feature(
        "m", [&](std::int64_t id, const float*, int) { return visited.push_back(id), true; },
        [&](std::int64_t id, const std::string& why) {
            damaged.push_back(id);
            QVERIFY(why.find("damaged") != std::string::npos);
        }));
    QCOMPARE(visited, (std::vector<std::int64_t>{ids[0], ids[3]}));
    QCOMPARE(damaged, (std::vector<std::int64_t>{ids[1], ids[2]}));
    QVERIFY(!db->feature(ids[2]).ok());
    CHECK_OK(db->mark_pending(ids[2]));
    QCOMPARE(db->file(ids[2])->value().status, rv::FileStatus::Pending);
    QVERIFY(!db->feature(ids[2])->has_value());
    QCOMPARE(db->counts()->pending, std::int64_t(1));
}

QTEST_APPLESS_MAIN(TestCatalog)
#include "test_catalog.moc"
