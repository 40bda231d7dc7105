// The count of index changes (CatalogDb::index_changes, schema version 11): every insert, update
// and delete of the rows the index files are built from (features, regions, twins) moves it,
// whoever writes them (a removed file's rows through the foreign keys, another program); what
// leaves those rows alone (a file seen again, a setting) does not. The library trusts its index
// files only while the count is the one it wrote them at (test_library, test_search_twins).
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <utility>

#include "catalog_test_util.h"
#include "ruvision/engine/CatalogDb.h"

using rv::CatalogDb;

namespace {

constexpr float kFeature[3] = {0.6f, 0.0f, -0.8f};

}  // namespace

class TestIndexChanges : public QObject {
    Q_OBJECT
private slots:
    void every_change_of_indexed_vectors_is_counted();
};

void TestIndexChanges::every_change_of_indexed_vectors_is_counted() {
    QTemporaryDir tmp;
    const auto file = catalog_test::db_path(tmp);
    auto db = CatalogDb::open(file);
    CHECK_OK(db);
    const auto root = db->add_root("/photos");
    CHECK_OK(root);
    const auto seen = db->upsert_file_seen(*root, "/photos/a.jpg", 10, 20);
    CHECK_OK(seen);
    const std::int64_t a = seen->file_id;
    CHECK_OK(db->mark_indexed(a, 4, 3, "m", kFeature, 3));
    std::int64_t last = db->index_changes().value();
    QVERIFY(last > 0);  // the file's feature
    // Whether the count moved since the last call.
    auto moved = [&] {
        const std::int64_t now = db->index_changes().value();
        return std::exchange(last, now) != now;
    };
    // What leaves the vectors alone leaves the count alone: a rescan that finds nothing new.
    auto b = db->upsert_file_seen(*root, "/photos/b.jpg", 10, 20);
    CHECK_OK(b);
    CHECK_OK(db->upsert_file_seen(*root, "/photos/a.jpg", 10, 20));
    CHECK_OK(db->set_meta("model", "m"));
    QVERIFY(!moved());
    CHECK_OK(db->mark_indexed(b->file_id, 4, 3, "m", kFeature, 3));
    QVERIFY2(moved(), "a new feature");
    CHECK_OK(db->mark_indexed(b->file_id, 4, 3, "m", kFeature, 3));
    QVERIFY2(moved(), "the same feature stored again");
    rv::CatalogRegion r;
    r.vector.assign(kFeature, kFeature + 3);
    CHECK_OK(db->put_regions(a, "m", {r}));
    QVERIFY2(moved(), "a region");
    CHECK_OK(db->put_twins(a, "m", kFeature, 1, 3));
    QVERIFY2(moved(), "a twin");
    CHECK_OK(db->mark_pending(b->file_id));
    QVERIFY2(moved(), "a file to embed again");
    // A file's removal takes its feature, regions and twins through the foreign keys: counted too.
    const std::int64_t ids[] = {a};
    CHECK_OK(db->remove_files(ids));
    QVERIFY2(moved(), "a removed file");
    QCOMPARE(catalog_test::count(file, "SELECT count(*) FROM features"), 0);
    // Written by another program: counted as well.
    CHECK_OK(db->mark_indexed(b->file_id, 4, 3, "m", kFeature, 3));
    QVERIFY(moved());
    QCOMPARE(catalog_test::exec(file, "UPDATE features SET vector = x'0000803f0000000000000000'"), SQLITE_OK);
    QVERIFY2(moved(), "a feature changed by another program");
}

QTEST_GUILESS_MAIN(TestIndexChanges)
#include "test_index_changes.moc"
