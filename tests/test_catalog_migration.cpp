// Catalog schema versions: a version-1 catalog (before rotated features) and a version-2 one
// (before full hashes and offline roots) open, are migrated in place keeping every row; rotated
// features round-trip, are copied and streamed; the version-3 columns are writable; a version-3
// catalog gains the marks table, whose marks follow a moved file and leave with a removed one; a
// version-4 catalog gains the learning tables (adapters, fast_adapter, sessions, patterns); a
// version-5 catalog's marks table is rebuilt for the verdict "same", every row kept, its alike
// marks from the duplicates and pairs views becoming "same"; a version-6 catalog gains the
// hierarchy tables (every row kept), whose rules hold and whose rows round-trip and are replaced
// whole; a version-7 catalog's adapters table is rebuilt for the source "tune" (every row kept)
// and it gains the regions and search_calibration tables, whose rules hold; a version-8 catalog
// gains the twins table (every row kept), whose rules hold and whose rows round-trip; a version-9
// catalog gains the index of turned features; a version-10 catalog's index mark becomes the count
// of index changes (test_index_changes tests the count itself).
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

#include "catalog/CatalogSql.h"
#include "catalog_test_util.h"
#include "ruvision/engine/CatalogDb.h"

using rv::CatalogDb;

namespace {

// Drops what version 11 added (the count of index changes and its triggers), then what version 10
// added (the index of turned features), then what version 9 added (twins),
// then what version 8 added (regions, search calibration), then what version 7 added (the
// hierarchy), then what version 5 added (the learning tables).
#define V11_TABLES \
  "DROP TRIGGER IF EXISTS features_insert_changes; DROP TRIGGER IF EXISTS features_update_changes; " \
  "DROP TRIGGER IF EXISTS features_delete_changes; " \
  "DROP TRIGGER IF EXISTS regions_insert_changes; DROP TRIGGER IF EXISTS regions_update_changes; " \
  "DROP TRIGGER IF EXISTS regions_delete_changes; " \
  "DROP TRIGGER IF EXISTS twins_insert_changes; DROP TRIGGER IF EXISTS twins_update_changes; " \
  "DROP TRIGGER IF EXISTS twins_delete_changes; " \
  "DROP TABLE IF EXISTS index_changes; "
#define V10_TABLES V11_TABLES "DROP INDEX IF EXISTS features_turned; "
#define V9_TABLES V10_TABLES "DROP TABLE twins; "
#define V8_TABLES V9_TABLES "DROP TABLE regions; DROP TABLE search_calibration; "
#define V7_TABLES V8_TABLES "DROP TABLE hierarchy; DROP TABLE hierarchy_nodes; "
#define V5_TABLES V7_TABLES "DROP TABLE adapters; DROP TABLE fast_adapter; DROP TABLE sessions; DROP TABLE patterns; "

using catalog_test::count;
using catalog_test::exec;

template <class R>
std::int64_t failed(const R& r) {
    qWarning("%s", r.error().message.c_str());
    return 0;
}

// The feature catalog_with_one_file stores.
constexpr float kFeature[3] = {0.6f, 0.0f, -0.8f};

// A new catalog at `file` with one root, /photos, and its file /photos/a.jpg indexed with model
// "m" and kFeature: what most versions below start from. The file's id; 0 after a failure (warned).
std::int64_t catalog_with_one_file(const std::filesystem::path& file) {
    const float* v = kFeature;
    auto db = CatalogDb::open(file);
    if (!db.ok()) return failed(db);
    auto root = db->add_root("/photos");
    if (!root.ok()) return failed(root);
    auto seen = db->upsert_file_seen(*root, "/photos/a.jpg", 10, 20);
    if (!seen.ok()) return failed(seen);
    if (auto st = db->mark_indexed(seen->file_id, 4, 3, "m", v, 3); !st.ok()) return failed(st);
    return seen->file_id;
}

// The rows of `table` before and after every file is deleted with SQLite's foreign keys on: a
// table whose rows leave with their file gives {rows, 0}.
std::pair<int, int> rows_as_files_go(const std::filesystem::path& file, const std::string& table) {
    const std::string rows = "SELECT count(*) FROM " + table;
    const int before = count(file, rows.c_str());
    if (exec(file, "PRAGMA foreign_keys = ON; DELETE FROM files") != SQLITE_OK) return {before, -1};
    return {before, count(file, rows.c_str())};
}

}  // namespace

class TestCatalogMigration : public QObject {
    Q_OBJECT
private slots:
    void version1_is_migrated();
    void version2_is_migrated();
    void rotated_features_round_trip();
    void version3_is_migrated();
    void marks_follow_their_files();
    void version4_is_migrated();
    void version5_is_migrated();
    void version6_is_migrated();
    void version7_is_migrated();
    void version8_is_migrated();
    void version9_is_migrated();
    void version10_is_migrated();
};

void TestCatalogMigration::version1_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    const float* v = kFeature;
    QVERIFY(catalog_with_one_file(file) > 0);
    // Turn it into what version 1 wrote.
    QCOMPARE(exec(file, V10_TABLES "ALTER TABLE features DROP COLUMN rotated; ALTER TABLE files DROP COLUMN full_hash; "
                        "ALTER TABLE roots DROP COLUMN offline; DROP TABLE mounts; DROP TABLE marks; " V5_TABLES "PRAGMA user_version = 1;"),
             SQLITE_OK);

    // A reader does not migrate (it never writes): it says what is needed, and the file stays as it was.
    {
        auto reader = CatalogDb::open(file, CatalogDb::OpenMode::ReadOnly);
        QVERIFY(!reader.ok());
        QVERIFY2(reader.error().message.find("schema version 1 is older than this RuVision reads") != std::string::npos,
                 reader.error().message.c_str());
        QCOMPARE(exec(file, "SELECT rotated FROM features"), SQLITE_ERROR);  // still version 1
    }

    auto db = CatalogDb::open(file);
    CHECK_OK(db);
    auto f = db->find_by_path("/photos/a.jpg");
    CHECK_OK(f);
    QVERIFY(f->has_value());
    QCOMPARE((*f)->status, rv::FileStatus::Indexed);
    auto feature = db->feature((*f)->id);
    CHECK_OK(feature);
    QCOMPARE(feature->value(), std::vector<float>(v, v + 3));
    int rotated = 0;
    CHECK_OK(db->for_each_rotated_feature("m", [&](std::int64_t, const float*, int) { return ++rotated, true; }));
    QCOMPARE(rotated, 0);  // none stored before version 2
    const float r[3] = {0, 1, 0};
    CHECK_OK(db->mark_indexed((*f)->id, 4, 3, "m", v, 3, r));  // the new column is writable
    CHECK_OK(db->for_each_rotated_feature("m", [&](std::int64_t, const float* x, int d) {
        return ++rotated, d == 3 && x[1] == 1.0f;
    }));
    QCOMPARE(rotated, 1);
    CHECK_OK(db->check_integrity());
}

void TestCatalogMigration::version2_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    const float v[2] = {0, -1};
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto root = db->add_root("/photos");
        auto seen = db->upsert_file_seen(*root, "/photos/a.jpg", 10, 20);
        CHECK_OK(seen);
        CHECK_OK(db->mark_indexed(seen->file_id, 4, 3, "m", v, 2));
        CHECK_OK(db->set_content_hash(seen->file_id, "cheap"));
    }
    QCOMPARE(exec(file, "ALTER TABLE files DROP COLUMN full_hash; ALTER TABLE roots DROP COLUMN offline; "
                        "DROP TABLE mounts; DROP TABLE marks; " V5_TABLES "PRAGMA user_version = 2;"),
             SQLITE_OK);
    auto db = CatalogDb::open(file);
    CHECK_OK(db);
    auto f = db->find_by_path("/photos/a.jpg");
    CHECK_OK(f);
    QCOMPARE((*f)->status, rv::FileStatus::Indexed);
    QCOMPARE((*f)->content_hash.value_or(""), std::string("cheap"));
    QVERIFY(!(*f)->full_hash.has_value());  // hashed before version 3: never confirms a move
    auto roots = db->roots();
    CHECK_OK(roots);
    QCOMPARE(roots->size(), std::size_t(1));
    QVERIFY(roots->front().offline.empty());
    CHECK_OK(db->set_root_offline(roots->front().id, "missing"));
    QCOMPARE(db->roots()->front().offline, std::string("missing"));
    CHECK_OK(db->set_root_offline(roots->front().id, ""));
    QVERIFY(db->roots()->front().offline.empty());
    QVERIFY(!db->set_root_offline(12345, "missing").ok());
    QVERIFY(db->mount_points(roots->front().id)->empty());
    CHECK_OK(db->set_mount_points(roots->front().id, {"/photos/card", "/photos/nas"}));
    QCOMPARE(*db->mount_points(roots->front().id), (std::vector<std::string>{"/photos/card", "/photos/nas"}));
    CHECK_OK(db->set_mount_points(roots->front().id, {"/photos/nas"}));
    QCOMPARE(*db->mount_points(roots->front().id), (std::vector<std::string>{"/photos/nas"}));
    QVERIFY(!db->set_mount_points(12345, {"/x"}).ok());
    CHECK_OK(db->set_content_hash((*f)->id, "cheap", "full"));
    QCOMPARE(db->file((*f)->id)->value().full_hash.value_or(""), std::string("full"));
    // A changed file loses both hashes.
    CHECK_OK(db->upsert_file_seen(roots->front().id, "/photos/a.jpg", 11, 20));
    QVERIFY(!db->file((*f)->id)->value().full_hash.has_value());
    CHECK_OK(db->check_integrity());
}

void TestCatalogMigration::rotated_features_round_trip() {
    QTemporaryDir tmp;
    auto db = CatalogDb::open(std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite");
    CHECK_OK(db);
    auto root = db->add_root("/p");
    CHECK_OK(root);
    const float v[2] = {1, 0}, r[2] = {0, 1};
    auto a = db->upsert_file_seen(*root, "/p/a.jpg", 1, 1);
    auto b = db->upsert_file_seen(*root, "/p/b.jpg", 1, 1);
    auto c = db->upsert_file_seen(*root, "/p/c.jpg", 1, 1);
    CHECK_OK(a);
    CHECK_OK(b);
    CHECK_OK(c);
    CHECK_OK(db->mark_indexed(a->file_id, 2, 2, "m", v, 2, r));
    CHECK_OK(db->mark_indexed(b->file_id, 2, 2, "m", v, 2));  // no rotated feature
    CHECK_OK(db->copy_feature(a->file_id, c->file_id));      // a move: the rotated one comes along
    std::vector<std::int64_t> ids;
    CHECK_OK(db->for_each_rotated_feature("m", [&](std::int64_t id, const float* x, int d) {
        if (d == 2 && x[0] == 0.0f && x[1] == 1.0f) ids.push_back(id);
        return true;
    }));
    QCOMPARE(ids, (std::vector<std::int64_t>{a->file_id, c->file_id}));
    // Re-indexing without one drops the old rotated feature.
    CHECK_OK(db->mark_indexed(a->file_id, 2, 2, "m", v, 2));
    ids.clear();
    CHECK_OK(db->for_each_rotated_feature("m", [&](std::int64_t id, const float*, int) { return ids.push_back(id), true; }));
    QCOMPARE(ids, (std::vector<std::int64_t>{c->file_id}));
}

void TestCatalogMigration::version3_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    std::int64_t a = 0, b = 0;
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto root = db->add_root("/photos");
        CHECK_OK(root);
        a = db->upsert_file_seen(*root, "/photos/a.jpg", 10, 20)->file_id;
        b = db->upsert_file_seen(*root, "/photos/b.jpg", 10, 20)->file_id;
        CHECK_OK(db->set_content_hash(a, "cheap", "full"));
    }
    QCOMPARE(exec(file, "DROP TABLE marks; " V5_TABLES "PRAGMA user_version = 3;"), SQLITE_OK);
    {
        auto reader = CatalogDb::open(file, CatalogDb::OpenMode::ReadOnly);
        QVERIFY(!reader.ok());
        QVERIFY2(reader.error().message.find("schema version 3 is older") != std::string::npos,
                 reader.error().message.c_str());
    }
    auto db = CatalogDb::open(file);
    CHECK_OK(db);
    QCOMPARE(db->file(a)->value().full_hash.value_or(""), std::string("full"));  // rows kept
    QCOMPARE(*db->mark_count(), std::int64_t(0));
    CHECK_OK(db->set_mark(b, a, "alike", "search", 7, 1000));
    auto marks = db->marks();
    CHECK_OK(marks);
    QCOMPARE(marks->size(), std::size_t(1));
    QCOMPARE(marks->front().a, std::min(a, b));  // the smaller id first, whatever the order given
    QCOMPARE(marks->front().b, std::max(a, b));
    QCOMPARE(marks->front().verdict, std::string("alike"));
    QCOMPARE(marks->front().session, std::int64_t(7));
    CHECK_OK(db->check_integrity());
}

void TestCatalogMigration::marks_follow_their_files() {
    QTemporaryDir tmp;
    auto db = CatalogDb::open(std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite");
    CHECK_OK(db);
    auto r1 = db->add_root("/p");
    auto r2 = db->add_root("/q");
    CHECK_OK(r1);
    CHECK_OK(r2);
    const auto a = db->upsert_file_seen(*r1, "/p/a.jpg", 1, 1)->file_id;
    const auto b = db->upsert_file_seen(*r1, "/p/b.jpg", 1, 1)->file_id;
    const auto c = db->upsert_file_seen(*r1, "/p/c.jpg", 1, 1)->file_id;
    const auto d = db->upsert_file_seen(*r2, "/q/d.jpg", 1, 1)->file_id;

    // One verdict per unordered pair: the latest wins, in either order.
    CHECK_OK(db->set_mark(a, b, "alike", "search", 0, 1));
    CHECK_OK(db->set_mark(b, a, "different", "duplicates", 0, 2));
    QCOMPARE(*db->mark_count(), std::int64_t(1));
    QCOMPARE(db->marks()->front().verdict, std::string("different"));
    QCOMPARE(db->marks()->front().source, std::string("duplicates"));
    QCOMPARE(db->marks()->front().session, std::int64_t(0));

    // Refused: unknown files, a file against itself, unknown values; nothing stored by them.
    QVERIFY(!db->set_mark(a, 999, "alike", "search", 0, 3).ok());
    QVERIFY(!db->set_mark(a, a, "alike", "search", 0, 3).ok());
    QVERIFY(!db->set_mark(a, c, "maybe", "search", 0, 3).ok());
    QVERIFY(!db->set_mark(a, c, "alike", "elsewhere", 0, 3).ok());
    QCOMPARE(*db->mark_count(), std::int64_t(1));

    CHECK_OK(db->set_mark(a, c, "alike", "pairs", 0, 3));
    CHECK_OK(db->set_mark(c, d, "alike", "import", 0, 4));
    CHECK_OK(db->set_mark(b, d, "different", "search", 0, 5));
    QCOMPARE(*db->mark_count(), std::int64_t(4));

    // A moved file keeps its id, so its marks.
    CHECK_OK(db->move_file(a, *r2, "/q/a-renamed.jpg", 1, 2));
    QCOMPARE(*db->mark_count(), std::int64_t(4));

    // A forgotten file takes its marks with it.
    const std::int64_t gone[] = {c};
    CHECK_OK(db->remove_files(gone));
    auto left = db->marks();
    CHECK_OK(left);
    QCOMPARE(left->size(), std::size_t(2));  // (a,b) and (b,d)
    for (const auto& m : *left) QVERIFY(m.a != c && m.b != c);

    // remove_mark: true once, then false.
    QCOMPARE(*db->remove_mark(b, a), true);
    QCOMPARE(*db->remove_mark(a, b), false);

    // A removed root takes its files' marks with it.
    CHECK_OK(db->remove_root(*r2));
    QCOMPARE(*db->mark_count(), std::int64_t(0));
    CHECK_OK(db->check_integrity());
}


void TestCatalogMigration::version4_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    std::int64_t a = 0, b = 0;
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto root = db->add_root("/photos");
        CHECK_OK(root);
        a = db->upsert_file_seen(*root, "/photos/a.jpg", 10, 20)->file_id;
        b = db->upsert_file_seen(*root, "/photos/b.jpg", 10, 20)->file_id;
        CHECK_OK(db->set_mark(a, b, "different", "pairs", 0, 1000));
    }
    QCOMPARE(exec(file, V5_TABLES "PRAGMA user_version = 4;"), SQLITE_OK);
    QCOMPARE(exec(file, "SELECT * FROM adapters"), SQLITE_ERROR);
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        QCOMPARE(*db->mark_count(), std::int64_t(1));  // the version-4 rows are kept
        CHECK_OK(db->check_integrity());
    }
    for (const char* sql : {"INSERT INTO adapters VALUES(1, 'm', 3, 1, x'00', 10, 2, 0.5, 0.7, 1, 'better', 'learn', '{}', 5)",
                            "INSERT INTO fast_adapter VALUES(1, 1, x'00', 3, 5)",
                            "INSERT INTO sessions VALUES(1, 'm', x'00', NULL, x'00', 1, 5)",
                            "INSERT INTO patterns VALUES(1, 'm', x'00', x'00', 4, 5)"})
        QVERIFY2(exec(file, sql) == SQLITE_OK, sql);
    QCOMPARE(exec(file, "INSERT INTO adapters VALUES(2, 'm', 3, 1, x'00', 10, 2, 0.5, 0.7, 1, 'x', 'typo', '{}', 5)"),
             SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, "INSERT INTO fast_adapter VALUES(2, 1, x'00', 3, 5)"), SQLITE_CONSTRAINT);  // only one
}

// Version 5's marks table: verdict 'alike' | 'different' only.
#define V5_MARKS                                                                                   \
    "DROP TABLE marks; CREATE TABLE marks("                                                         \
    "a INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"                                    \
    "b INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"                                    \
    "verdict TEXT NOT NULL CHECK (verdict IN ('alike', 'different')),"                              \
    "source TEXT NOT NULL CHECK (source IN ('search', 'duplicates', 'pairs', 'import')),"           \
    "session INTEGER, time INTEGER NOT NULL, PRIMARY KEY(a, b), CHECK (a < b)) WITHOUT ROWID;"      \
    "CREATE INDEX marks_by_b ON marks(b); "

void TestCatalogMigration::version5_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    std::vector<std::int64_t> id;
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto root = db->add_root("/photos");
        CHECK_OK(root);
        for (int i = 0; i < 7; ++i)
            id.push_back(db->upsert_file_seen(*root, "/photos/" + std::to_string(i) + ".jpg", 10, 20)->file_id);
    }
    // What version 5 held: every verdict from every source.
    const std::string rows = "INSERT INTO marks VALUES"
                             "(" + std::to_string(id[0]) + "," + std::to_string(id[1]) + ",'alike','duplicates',NULL,1),"
                             "(" + std::to_string(id[0]) + "," + std::to_string(id[2]) + ",'alike','pairs',NULL,2),"
                             "(" + std::to_string(id[0]) + "," + std::to_string(id[3]) + ",'alike','search',9,3),"
                             "(" + std::to_string(id[0]) + "," + std::to_string(id[4]) + ",'alike','import',NULL,4),"
                             "(" + std::to_string(id[1]) + "," + std::to_string(id[5]) + ",'different','pairs',NULL,5),"
                             "(" + std::to_string(id[2]) + "," + std::to_string(id[6]) + ",'different','duplicates',NULL,6),"
                             "(" + std::to_string(id[3]) + "," + std::to_string(id[6]) + ",'different','search',8,7);";
    QCOMPARE(exec(file, (V7_TABLES V5_MARKS + rows + "PRAGMA user_version = 5;").c_str()), SQLITE_OK);
    QCOMPARE(exec(file, ("INSERT INTO marks VALUES(" + std::to_string(id[4]) + "," + std::to_string(id[5]) +
                         ",'same','pairs',NULL,8)").c_str()),
             SQLITE_CONSTRAINT);  // version 5 has no "same"
    {
        auto reader = CatalogDb::open(file, CatalogDb::OpenMode::ReadOnly);
        QVERIFY(!reader.ok());
        QVERIFY2(reader.error().message.find("schema version 5 is older") != std::string::npos,
                 reader.error().message.c_str());
    }
    auto db = CatalogDb::open(file);
    CHECK_OK(db);
    auto marks = db->marks();
    CHECK_OK(marks);
    QCOMPARE(marks->size(), std::size_t(7));  // every row kept, oldest first
    const char* verdict[] = {"same", "same", "alike", "alike", "different", "different", "different"};
    const char* source[] = {"duplicates", "pairs", "search", "import", "pairs", "duplicates", "search"};
    const std::int64_t session[] = {0, 0, 9, 0, 0, 0, 8};
    for (std::size_t i = 0; i < 7; ++i) {
        const auto& m = (*marks)[i];
        QCOMPARE(m.verdict, std::string(verdict[i]));
        QCOMPARE(m.source, std::string(source[i]));
        QCOMPARE(m.session, session[i]);
        QCOMPARE(m.time, std::int64_t(i + 1));
    }
    QCOMPARE(marks->front().a, id[0]);
    QCOMPARE(marks->front().b, id[1]);
    // Version 6 takes "same", still refuses what it never took, and keeps its rules.
    CHECK_OK(db->set_mark(id[5], id[4], "same", "search", 0, 9));
    QCOMPARE(db->marks()->back().verdict, std::string("same"));
    QCOMPARE(exec(file, "INSERT INTO marks VALUES(1, 2, 'maybe', 'pairs', NULL, 1)"), SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, "INSERT INTO marks VALUES(3, 2, 'same', 'pairs', NULL, 1)"), SQLITE_CONSTRAINT);  // a < b
    QCOMPARE(exec(file, "SELECT 1 FROM marks_v6"), SQLITE_ERROR);  // renamed, not left behind
    // The rebuilt table still leaves with its files.
    const std::int64_t gone[] = {id[0]};
    CHECK_OK(db->remove_files(gone));
    QCOMPARE(*db->mark_count(), std::int64_t(4));
    CHECK_OK(db->check_integrity());
    QCOMPARE(exec(file, "DROP INDEX marks_by_b"), SQLITE_OK);  // the index on b was made again
}

void TestCatalogMigration::version6_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    std::vector<std::int64_t> id;
    const float v[3] = {0.6f, 0.0f, -0.8f};
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto root = db->add_root("/photos");
        CHECK_OK(root);
        for (int i = 0; i < 3; ++i) {
            id.push_back(db->upsert_file_seen(*root, "/photos/" + std::to_string(i) + ".jpg", 10, 20)->file_id);
            CHECK_OK(db->mark_indexed(id.back(), 4, 3, "m", v, 3));
        }
        CHECK_OK(db->set_mark(id[0], id[1], "same", "pairs", 0, 5));
        CHECK_OK(db->set_meta("adapter.active", "1"));
    }
    QCOMPARE(exec(file, V7_TABLES "PRAGMA user_version = 6;"), SQLITE_OK);
    {
        auto reader = CatalogDb::open(file, CatalogDb::OpenMode::ReadOnly);
        QVERIFY(!reader.ok());
        QVERIFY2(reader.error().message.find("schema version 6 is older") != std::string::npos,
                 reader.error().message.c_str());
    }
    auto db = CatalogDb::open(file);
    CHECK_OK(db);
    // Every version-6 row kept.
    QCOMPARE(db->counts()->indexed, std::int64_t(3));
    QCOMPARE(*db->mark_count(), std::int64_t(1));
    QCOMPARE(**db->get_meta("adapter.active"), std::string("1"));
    auto ids = db->feature_file_ids("m");
    CHECK_OK(ids);
    QCOMPARE(*ids, id);
    // No hierarchy yet; one stored reads back as written.
    QVERIFY(!db->hierarchy_header()->has_value());
    rv::CatalogHierarchyHeader header;
    header.model_id = "m";
    header.adapter_version = 1;
    header.dim = 3;
    header.scale = 4.5;
    header.next_id = 5;
    header.built = 100;
    header.updated = 200;
    header.mean_distortion = 0.01;
    header.max_distortion = 0.2;
    header.map = 0.99;
    header.pairs = 6;
    std::vector<rv::CatalogHierarchyNode> nodes(4);
    nodes[0] = {1, -1, "root", 0, 3, 2, 0, 0, 0.0, 0.0, {0.6f, 0.0f, -0.8f}};
    nodes[1] = {2, 1, "image", 1, 1, 2, id[0], 0, 0.5, 0.25, {}};
    nodes[2] = {3, 1, "duplicates", 1, 2, 4, 0, 1, -0.1, 0.99, {}};
    nodes[3] = {4, 3, "image", 2, 1, 4, id[1], 0, 0.1, -0.3, {}};
    CHECK_OK(db->replace_hierarchy(header, nodes));
    auto h = db->hierarchy_header();
    CHECK_OK(h);
    QVERIFY(h->has_value());
    QCOMPARE((*h)->model_id, std::string("m"));
    QCOMPARE((*h)->adapter_version, std::int64_t(1));
    QCOMPARE((*h)->scale, 4.5);
    QCOMPARE((*h)->next_id, std::int64_t(5));
    QCOMPARE((*h)->built, std::int64_t(100));
    QCOMPARE((*h)->updated, std::int64_t(200));
    QCOMPARE((*h)->map, 0.99);
    QCOMPARE((*h)->pairs, std::int64_t(6));
    for (bool centroids : {false, true}) {
        auto back = db->hierarchy_nodes(centroids);
        CHECK_OK(back);
        QCOMPARE(back->size(), std::size_t(4));
        std::sort(back->begin(), back->end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE((*back)[i].parent, nodes[i].parent);
            QCOMPARE((*back)[i].kind, nodes[i].kind);
            QCOMPARE((*back)[i].representative, nodes[i].representative);
            QCOMPARE((*back)[i].file_id, nodes[i].file_id);
            QCOMPARE((*back)[i].x, nodes[i].x);  // full precision
            QCOMPARE((*back)[i].y, nodes[i].y);
            QCOMPARE((*back)[i].centroid, centroids ? nodes[i].centroid : std::vector<float>());
        }
    }
    // Replaced whole: the second write leaves none of the first's rows.
    CHECK_OK(db->replace_hierarchy(header, {nodes[0]}));
    QCOMPARE(db->hierarchy_nodes(false)->size(), std::size_t(1));
    // A bad node is refused before anything is written: the stored one stays.
    auto bad = nodes;
    bad[1].kind = "leaf";
    QVERIFY(!db->replace_hierarchy(header, bad).ok());
    bad = nodes;
    bad[1].x = 1.0;  // on the rim, not in the open disk
    QVERIFY(!db->replace_hierarchy(header, bad).ok());
    bad = nodes;
    bad[2].parent = -1;  // a second root-less node that is not the root
    QVERIFY(!db->replace_hierarchy(header, bad).ok());
    QCOMPARE(db->hierarchy_nodes(false)->size(), std::size_t(1));
    QCOMPARE(exec(file, "INSERT INTO hierarchy(id, model_id, adapter_version, dim, scale, next_id, built, updated, "
                        "mean_distortion, max_distortion, map, pairs) VALUES(2, 'm', 0, 3, 1, 1, 1, 1, 0, 0, 0, 0)"),
             SQLITE_CONSTRAINT);  // one header
    QCOMPARE(exec(file, "INSERT INTO hierarchy_nodes VALUES(9, 1, 'image', 1, 1, 9, NULL, 0, 0, 0, NULL)"),
             SQLITE_CONSTRAINT);  // an image without its file
    CHECK_OK(db->clear_hierarchy());
    QVERIFY(!db->hierarchy_header()->has_value());
    QVERIFY(db->hierarchy_nodes(false)->empty());
    CHECK_OK(db->check_integrity());
}


void TestCatalogMigration::version7_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    const std::int64_t id = catalog_with_one_file(file);
    QVERIFY(id > 0);
    // A version-7 adapters table (sources learn and import only) with a row in it.
    QCOMPARE(exec(file, V8_TABLES
                  "DROP TABLE adapters; CREATE TABLE adapters(version INTEGER PRIMARY KEY, model_id TEXT NOT NULL,"
                  "dim INTEGER NOT NULL, rank INTEGER NOT NULL, params BLOB NOT NULL, marks INTEGER NOT NULL,"
                  "held_out INTEGER NOT NULL, held_out_before REAL, held_out_after REAL, activated INTEGER NOT NULL,"
                  "reason TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('learn', 'import')),"
                  "summary TEXT NOT NULL, created INTEGER NOT NULL);"
                  "INSERT INTO adapters VALUES(1, 'm', 3, 1, x'00', 10, 2, 0.5, 0.7, 1, 'better', 'learn', '{}', 5);"
                  "PRAGMA user_version = 7;"),
             SQLITE_OK);
    QCOMPARE(exec(file, "INSERT INTO adapters VALUES(2, 'm', 3, 1, x'00', 0, 0, 0.5, 0.7, 1, 'x', 'tune', '{}', 5)"),
             SQLITE_CONSTRAINT);  // not yet
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
        QCOMPARE(db->counts()->indexed, std::int64_t(1));
    }
    // The version-7 row is kept; 'tune' is a source now, a typo still is not.
    QCOMPARE(exec(file, "INSERT INTO adapters VALUES(2, 'm', 3, 1, x'00', 0, 0, 0.5, 0.7, 1, 'x', 'tune', '{}', 5)"),
             SQLITE_OK);
    QCOMPARE(exec(file, "INSERT INTO adapters VALUES(3, 'm', 3, 1, x'00', 0, 0, 0.5, 0.7, 1, 'x', 'typo', '{}', 5)"),
             SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, "INSERT INTO adapters VALUES(1, 'm', 3, 1, x'00', 0, 0, 0.5, 0.7, 1, 'x', 'tune', '{}', 5)"),
             SQLITE_CONSTRAINT);  // version 1 is still there
    // Regions: inside the image, a vector of dim floats, leaving with their file.
    const std::string r = "INSERT INTO regions VALUES(" + std::to_string(id);
    QCOMPARE(exec(file, (r + ", 0, 'm', 0.5, 0.25, 0.5, 0.5, 1, x'00000000')").c_str()), SQLITE_OK);
    QCOMPARE(exec(file, (r + ", 1, 'm', 0.6, 0.0, 0.5, 0.5, 1, x'00000000')").c_str()), SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, (r + ", 1, 'm', 0.0, 0.0, 0.5, 0.5, 2, x'00000000')").c_str()), SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, "PRAGMA foreign_keys = ON; INSERT INTO regions VALUES(999, 0, 'm', 0, 0, 1, 1, 1, x'00000000')"), SQLITE_CONSTRAINT);
    // Search calibration: one row per space.
    const char* cal = "INSERT INTO search_calibration VALUES('m', 0, 1, NULL, '{}', 5)";
    QCOMPARE(exec(file, cal), SQLITE_OK);
    QCOMPARE(exec(file, cal), SQLITE_CONSTRAINT);
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
    }
    QCOMPARE(rows_as_files_go(file, "regions"), std::make_pair(1, 0));
}
void TestCatalogMigration::version8_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    const std::int64_t id = catalog_with_one_file(file);
    QVERIFY(id > 0);
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->put_regions(id, "m", {{0, 0.0f, 0.0f, 0.5f, 0.5f, {0.0f, 1.0f, 0.0f}}}));
    }
    QCOMPARE(exec(file, V9_TABLES "PRAGMA user_version = 8;"), SQLITE_OK);
    QVERIFY(count(file, "SELECT count(*) FROM twins") < 0);  // not yet
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
        QCOMPARE(db->counts()->indexed, std::int64_t(1));
        QCOMPARE(db->region_count("m").value(), std::int64_t(1));  // version 8's rows kept
        // Indexed before twins: the next index run gives it some.
        QCOMPARE(db->files_without_twins("m").value(), std::vector<std::int64_t>{id});
        const float twins[6] = {0.0f, 0.6f, 0.8f, 1.0f, 0.0f, 0.0f};
        CHECK_OK(db->put_twins(id, "m", twins, 2, 3));
        QCOMPARE(db->twin_count("m").value(), std::int64_t(2));
        QVERIFY(db->files_without_twins("m")->empty());
        int dim = 0;
        QCOMPARE(db->twins(id, "m", &dim).value(), std::vector<float>(twins, twins + 6));
        QCOMPARE(dim, 3);
        std::vector<int> seen;
        CHECK_OK(db->for_each_twin("m", [&](std::int64_t f, int idx, const float* t, int d) {
            seen.push_back(idx);
            return f == id && d == 3 && t[0] == twins[3 * idx];
        }));
        QCOMPARE(seen, (std::vector<int>{0, 1}));
        // Bad twins are refused whole, naming the file and the twin; nothing written.
        const float bad[6] = {0.0f, 0.6f, 0.8f, 2.0f, 0.0f, 0.0f};
        auto refused = db->put_twins(id, "m", bad, 2, 3);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("twin 1") != std::string::npos, refused.error().message.c_str());
        QCOMPARE(db->twin_count("m").value(), std::int64_t(2));
    }
    // Twins: a vector of dim floats, one row per (file, idx), leaving with their file.
    const std::string t = "INSERT INTO twins VALUES(" + std::to_string(id);
    QCOMPARE(exec(file, (t + ", 2, 'm', 1, x'00000000')").c_str()), SQLITE_OK);
    QCOMPARE(exec(file, (t + ", 2, 'm', 1, x'00000000')").c_str()), SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, (t + ", 3, 'm', 2, x'00000000')").c_str()), SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, (t + ", -1, 'm', 1, x'00000000')").c_str()), SQLITE_CONSTRAINT);
    QCOMPARE(exec(file, "PRAGMA foreign_keys = ON; INSERT INTO twins VALUES(999, 0, 'm', 1, x'00000000')"), SQLITE_CONSTRAINT);
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
        // The damaged row (a zero vector) is reported, the others streamed.
        int damaged = 0, good = 0;
        CHECK_OK(db->for_each_twin("m", [&](std::int64_t, int, const float*, int) { return ++good, true; },
                                   [&](std::int64_t, const std::string&) { ++damaged; }));
        QCOMPARE(good, 2);
        QCOMPARE(damaged, 1);
        int dim = 0;
        QVERIFY(!db->twins(id, "m", &dim));  // one file's twins read whole: damaged is an Error
    }
    QCOMPARE(rows_as_files_go(file, "twins"), std::make_pair(3, 0));
}

void TestCatalogMigration::version9_is_migrated() {
    QTemporaryDir tmp;
    const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
    const std::int64_t id = catalog_with_one_file(file);
    QVERIFY(id > 0);
    std::int64_t turned_id = 0;
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto seen = db->upsert_file_seen(db->roots()->at(0).id, "/photos/b.jpg", 10, 20);
        CHECK_OK(seen);
        turned_id = seen->file_id;
        const float turned[3] = {0.0f, 1.0f, 0.0f};
        CHECK_OK(db->mark_indexed(turned_id, 4, 3, "m", kFeature, 3, turned));
    }
    QCOMPARE(exec(file, V10_TABLES "PRAGMA user_version = 9;"), SQLITE_OK);
    const char* has_index = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'features_turned'";
    QCOMPARE(count(file, has_index), 0);
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
        QCOMPARE(db->counts()->indexed, std::int64_t(2));
        QCOMPARE(db->quarter_turn_count("m").value(), std::int64_t(1));
    }
    QCOMPARE(count(file, has_index), 1);
    // The count is answered from that index: SQLite's plan for it reads no feature row.
    sqlite3* raw = nullptr;
    QCOMPARE(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* plan = nullptr;
    const std::string explain =
        std::string("EXPLAIN QUERY PLAN ") + rv::catalog::sql_text(rv::catalog::Sql::QuarterTurnCount);
    QCOMPARE(sqlite3_prepare_v2(raw, explain.c_str(), -1, &plan, nullptr), SQLITE_OK);
    QString steps;
    while (sqlite3_step(plan) == SQLITE_ROW) steps += QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(plan, 3))) + "; ";
    sqlite3_finalize(plan);
    sqlite3_close(raw);
    QVERIFY2(steps.contains("USING INDEX features_turned"), qPrintable(steps));
}

void TestCatalogMigration::version10_is_migrated() {
    // A clean mark ('index_dirty' 0: the index file held the catalog) becomes a record at the
    // count's start; a dirty one (a run that did not finish) becomes none, so the file is rebuilt.
    for (const char* dirty : {"0", "1"}) {
        QTemporaryDir tmp;
        const auto file = std::filesystem::path(tmp.path().toStdString()) / "catalog.sqlite";
        QVERIFY(catalog_with_one_file(file) > 0);
        const std::string old = std::string(V11_TABLES "INSERT INTO meta(key, value) VALUES('index_dirty', '") + dirty +
                                "'); PRAGMA user_version = 10;";
        QCOMPARE(exec(file, old.c_str()), SQLITE_OK);
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        CHECK_OK(db->check_integrity());
        QCOMPARE(db->index_changes().value(), std::int64_t(0));
        QVERIFY(!db->get_meta("index_dirty").value());
        const auto at = db->get_meta("index_at_change").value();
        if (std::string(dirty) == "0") QCOMPARE(at.value_or("none"), std::string("0"));
        else QVERIFY(!at);
    }
}

QTEST_GUILESS_MAIN(TestCatalogMigration)
#include "test_catalog_migration.moc"
