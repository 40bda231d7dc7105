// The catalog's view streams (regions, twins, quarter turns: for_each_region, for_each_twin,
// for_each_quarter_turn) and their counts, on a real catalog file whose rows are damaged behind
// the catalog's back (SQLite with its CHECK constraints off, as a damaged page or another program
// would leave them): only rows of files Indexed with the model are streamed, by file then index;
// a damaged row is reported with the file and the row named, skipped, and the walk goes on; a
// visitor that returns false stops the walk; the counts count the stored rows, damaged or not.
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "catalog_test_util.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/VectorIndex.h"

using rv::CatalogDb;

namespace {

// Runs `sql` on the catalog file with the CHECK constraints off; SQLite's result code.
int damage(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open(file.c_str(), &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, ("PRAGMA ignore_check_constraints = ON; " + sql).c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
}

using Row = std::pair<std::int64_t, int>;                 // file id, index
using Damaged = std::pair<std::int64_t, std::string>;     // file id, reason

// What a stream visited and reported; `stop_after` rows visited, the visitor returns false.
struct Walk {
    std::vector<Row> rows;
    std::vector<Damaged> damaged;
    bool visited_bad_vector = false;  // a visited vector not of 3 floats or not a unit vector
    bool failed = false;              // the stream returned an error (warned)
};
template <class Stream>
Walk walk(Stream&& stream, std::size_t stop_after = 1000) {
    Walk w;
    auto st = stream([&](std::int64_t f, int idx, const float* v, int dim) {
        w.rows.emplace_back(f, idx);
        if (dim != 3 || !rv::vector_problem(v, dim).empty()) w.visited_bad_vector = true;
        return w.rows.size() < stop_after;
    },
                     [&](std::int64_t f, const std::string& why) { w.damaged.emplace_back(f, why); });
    if (!st.ok()) {
        qWarning("%s", st.error().message.c_str());
        w.failed = true;
    }
    return w;
}

}  // namespace

class TestCatalogViews : public QObject {
    Q_OBJECT
private slots:
    void damaged_rows_are_reported_and_skipped();
};

void TestCatalogViews::damaged_rows_are_reported_and_skipped() {
    QTemporaryDir tmp;
    const auto file = catalog_test::db_path(tmp);
    const float v[3] = {0.6f, 0.0f, -0.8f}, r[3] = {0.0f, 1.0f, 0.0f};
    const float twins[6] = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f};
    const std::vector<rv::CatalogRegion> regions = {{0, 0.0f, 0.0f, 0.5f, 0.5f, {0.0f, 1.0f, 0.0f}},
                                                    {1, 0.5f, 0.5f, 0.5f, 0.5f, {0.0f, 0.0f, 1.0f}}};
    std::vector<std::int64_t> id;
    {
        auto db = CatalogDb::open(file);
        CHECK_OK(db);
        auto root = db->add_root("/photos");
        CHECK_OK(root);
        for (const char* name : {"a", "b", "c", "other", "pending"}) {
            id.push_back(db->upsert_file_seen(*root, std::string("/photos/") + name + ".jpg", 10, 20)->file_id);
            if (id.size() == 5) continue;  // never indexed: its rows are not streamed
            // "other" is indexed with another model: its rows of "m" are not streamed either.
            CHECK_OK(db->mark_indexed(id.back(), 4, 3, id.size() == 4 ? "n" : "m", v, 3, r));
            CHECK_OK(db->put_twins(id.back(), "m", twins, 2, 3));
            CHECK_OK(db->put_regions(id.back(), "m", regions));
        }
    }
    const std::string a = std::to_string(id[0]), b = std::to_string(id[1]), c = std::to_string(id[2]);
    QCOMPARE(damage(file, "UPDATE twins SET vector = x'0000803f' WHERE file_id = " + b + " AND idx = 1; "
                          "UPDATE twins SET vector = zeroblob(12) WHERE file_id = " + c + " AND idx = 0; "
                          "UPDATE regions SET x = 0.8 WHERE file_id = " + a + " AND idx = 1; "
                          "UPDATE regions SET vector = x'00' WHERE file_id = " + c + " AND idx = 0; "
                          "UPDATE features SET rotated = x'0000803f00000000' WHERE file_id = " + b),
             SQLITE_OK);
    const float zeros[3] = {0, 0, 0};
    const std::string not_unit = rv::vector_problem(zeros, 3);
    QVERIFY(!not_unit.empty());

    auto db = CatalogDb::open(file, CatalogDb::OpenMode::ReadOnly);
    CHECK_OK(db);
    auto twin_walk = walk([&](auto visit, auto damaged) { return db->for_each_twin("m", visit, damaged); });
    QCOMPARE(twin_walk.rows, (std::vector<Row>{{id[0], 0}, {id[0], 1}, {id[1], 0}, {id[2], 1}}));
    QCOMPARE(twin_walk.damaged, (std::vector<Damaged>{{id[1], "twin 1: its vector has 4 bytes for 3 values"},
                                                      {id[2], "twin 0: " + not_unit}}));
    auto region_walk = walk([&](auto visit, auto damaged) { return db->for_each_region("m", visit, damaged); });
    QCOMPARE(region_walk.rows, (std::vector<Row>{{id[0], 0}, {id[1], 0}, {id[1], 1}, {id[2], 1}}));
    QCOMPARE(region_walk.damaged, (std::vector<Damaged>{{id[0], "region 1: the box is not inside the image"},
                                                        {id[2], "region 0: its vector has 1 bytes for 3 values"}}));
    auto turn_walk = walk([&](auto visit, auto damaged) { return db->for_each_quarter_turn("m", visit, damaged); });
    for (const Walk* w : {&twin_walk, &region_walk, &turn_walk}) QVERIFY(!w->failed && !w->visited_bad_vector);
    QCOMPARE(turn_walk.rows, (std::vector<Row>{{id[0], 0}, {id[2], 0}}));
    QCOMPARE(turn_walk.damaged,
             (std::vector<Damaged>{{id[1], "the rotated feature: its vector has 8 bytes for 3 values"}}));

    // A visitor that says stop stops the walk (no error); one without a damage visitor skips quietly.
    QCOMPARE(walk([&](auto visit, auto damaged) { return db->for_each_twin("m", visit, damaged); }, 2).rows.size(),
             std::size_t(2));
    QCOMPARE(walk([&](auto visit, auto) { return db->for_each_region("m", visit); }, 3).rows.size(), std::size_t(3));
    QCOMPARE(walk([&](auto visit, auto) { return db->for_each_quarter_turn("m", visit); }).rows.size(), std::size_t(2));

    // The counts count what is stored for files Indexed with the model, damaged rows included.
    QCOMPARE(db->twin_count("m").value(), std::int64_t(6));
    QCOMPARE(db->region_count("m").value(), std::int64_t(6));
    QCOMPARE(db->quarter_turn_count("m").value(), std::int64_t(3));
    QCOMPARE(db->twin_count("n").value(), std::int64_t(0));
    QCOMPARE(db->quarter_turn_count("n").value(), std::int64_t(1));
    QCOMPARE(db->region_count("nobody").value(), std::int64_t(0));
}

QTEST_GUILESS_MAIN(TestCatalogViews)
#include "test_catalog_views.moc"
