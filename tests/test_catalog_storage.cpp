// The catalog file: a reopened catalog holds everything, a transaction is all or nothing (and one
// at a time), readers do not block the writer, a garbage, truncated, newer-schema, foreign, missing
// or folder path fails to open with an error naming the file and the reason, and how fast batched
// commits, single commits and feature streaming run; features (with their quarter turns) fill
// a new file's pages, and an older file keeps its page size.
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "catalog_test_util.h"
#include "ruvision/engine/CatalogDb.h"

using namespace catalog_test;
using rv::CatalogDb;
using rv::FileStatus;

namespace {

void patch_be32(const std::filesystem::path& file, long offset, std::uint32_t value) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    const unsigned char b[4] = {static_cast<unsigned char>(value >> 24), static_cast<unsigned char>(value >> 16),
                                static_cast<unsigned char>(value >> 8), static_cast<unsigned char>(value)};
    f.seekp(offset);
    f.write(reinterpret_cast<const char*>(b), 4);
}

// A closed catalog with some rows in it (so truncation cuts real pages).
void make_populated(const std::filesystem::path& file) {
    auto db = CatalogDb::open(file);
    QVERIFY(db.ok());
    auto root = db->add_root("/photos");
    auto tx = db->begin();
    for (int i = 0; i < 300; ++i) {
        auto s = db->upsert_file_seen(*root, "/photos/" + std::to_string(i) + ".jpg", 1000 + i, i);
        const auto v = random_bits(256, static_cast<std::uint32_t>(i));
        (void)db->mark_indexed(s->file_id, 640, 480, "m", v.data(), 256);
    }
    QVERIFY(tx->commit().ok());
}

}  // namespace

class TestCatalogStorage : public QObject {
    Q_OBJECT
private slots:
    void reopen_keeps_everything();
    void features_fill_pages();
    void transaction_rolls_back();
    void readers_do_not_block_writer();
    void read_only_connection();
    void damaged_files_data();
    void damaged_files();
    void throughput();
};

void TestCatalogStorage::reopen_keeps_everything() {
    QTemporaryDir dir;
    const auto file = db_path(dir);
    const auto v = random_bits(576, 42);
    std::int64_t id = 0;
    {
        auto db = CatalogDb::open(file);
        auto root = db->add_root("/p");
        id = db->upsert_file_seen(*root, "/p/caf\xe9.jpg", 1234, 987654321012345678)->file_id;
        CHECK_OK(db->mark_indexed(id, 4000, 3000, "mobilenet_v2", v.data(), 576));
        CHECK_OK(db->set_content_hash(id, "0123456789abcdef"));
        auto e = db->upsert_file_seen(*root, "/p/bad.jpg", 0, 0);
        CHECK_OK(db->mark_error(e->file_id, "zero bytes"));
        CHECK_OK(db->set_meta("model", "mobilenet_v2"));
    }
    auto db = CatalogDb::open(file, CatalogDb::OpenMode::MustExist);
    CHECK_OK(db);
    auto f = db->find_by_path("/p/caf\xe9.jpg");
    CHECK_OK(f);
    QVERIFY(f->has_value());
    QCOMPARE((*f)->id, id);
    QCOMPARE((*f)->size, std::int64_t(1234));
    QCOMPARE((*f)->mtime_ns, std::int64_t(987654321012345678));
    QCOMPARE((*f)->width, 4000);
    QCOMPARE((*f)->content_hash.value_or(""), std::string("0123456789abcdef"));
    QCOMPARE((*f)->status, FileStatus::Indexed);
    QVERIFY(same_bits(db->feature(id)->value().data(), v, 576));
    QCOMPARE(db->errors()->at(0).reason, std::string("zero bytes"));
    QCOMPARE(db->get_meta("model")->value_or(""), std::string("mobilenet_v2"));
    QCOMPARE(db->roots()->size(), std::size_t(1));
    CHECK_OK(db->check_integrity());
}

namespace {

// The single integer `sql` selects from the closed catalog `file`; -1 when it fails.
std::int64_t select_int(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_stmt* s = nullptr;
    std::int64_t out = -1;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

// 400 files with 576-d features, every other one with its quarter turn.
void store_features(const std::filesystem::path& file) {
    auto db = CatalogDb::open(file);
    QVERIFY(db.ok());
    auto root = db->add_root("/p");
    auto tx = db->begin();
    for (int i = 0; i < 400; ++i) {
        auto s = db->upsert_file_seen(*root, "/p/" + std::to_string(i) + ".jpg", 1000 + i, i);
        const auto v = random_bits(576, static_cast<std::uint32_t>(i));
        const auto turned = random_bits(576, static_cast<std::uint32_t>(10000 + i));
        QVERIFY(db->mark_indexed(s->file_id, 640, 480, "m", v.data(), 576, i % 2 ? turned.data() : nullptr).ok());
    }
    QVERIFY(tx->commit().ok());
}

const char* kFeaturePages = "SELECT count(*) FROM dbstat WHERE name = 'features'";
const char* kFeatureUnused = "SELECT sum(unused) FROM dbstat WHERE name = 'features'";

}  // namespace

void TestCatalogStorage::features_fill_pages() {
    // A new catalog: 16 KB pages, which 576-d features (2.3 KB, 4.6 KB with the turn) fill to
    // about 86 %; SQLite's default 4 KB pages took one such row a page, 42 % of them empty.
    QTemporaryDir dir;
    const auto file = db_path(dir);
    store_features(file);
    QCOMPARE(select_int(file, "PRAGMA page_size"), std::int64_t(16384));
    const std::int64_t pages = select_int(file, kFeaturePages), unused = select_int(file, kFeatureUnused);
    QVERIFY2(pages > 0 && unused >= 0, "dbstat is not available");
    const double empty = static_cast<double>(unused) / (static_cast<double>(pages) * 16384);
    QVERIFY2(empty < 0.2, qPrintable(QStringLiteral("%1 of the feature pages unused").arg(empty)));

    // A catalog made with 4 KB pages (every library before this) opens and grows as it was.
    QTemporaryDir old_dir;
    const auto old_file = db_path(old_dir);
    {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(old_file.c_str(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t(x); DROP TABLE t;",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(db);
    }
    store_features(old_file);
    QCOMPARE(select_int(old_file, "PRAGMA page_size"), std::int64_t(4096));
    auto db = CatalogDb::open(old_file, CatalogDb::OpenMode::MustExist);
    CHECK_OK(db);
    QCOMPARE(db->counts()->indexed, std::int64_t(400));
    QCOMPARE(db->quarter_turn_count("m").value(), std::int64_t(200));
    CHECK_OK(db->check_integrity());
}

void TestCatalogStorage::transaction_rolls_back() {
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/p");
    const auto v = random_bits(16, 3);
    {
        auto tx = db->begin();
        CHECK_OK(tx);
        QVERIFY(!db->begin().ok());  // one at a time
        for (int i = 0; i < 5; ++i) {
            auto s = db->upsert_file_seen(*root, "/p/" + std::to_string(i), 1, 1);
            CHECK_OK(db->mark_indexed(s->file_id, 1, 1, "m", v.data(), 16));
        }
        CHECK_OK(db->set_meta("k", "v"));
        QCOMPARE(db->counts()->indexed, std::int64_t(5));  // visible inside the transaction
    }  // destroyed without commit
    QCOMPARE(db->counts()->total, std::int64_t(0));
    QVERIFY(!db->get_meta("k")->has_value());

    auto tx = db->begin();
    CHECK_OK(tx);
    auto s = db->upsert_file_seen(*root, "/p/kept", 1, 1);
    CHECK_OK(db->mark_indexed(s->file_id, 1, 1, "m", v.data(), 16));
    QVERIFY(!db->mark_indexed(777777, 1, 1, "m", v.data(), 16).ok());  // fails alone, the batch goes on
    CHECK_OK(tx->commit());
    QVERIFY(!tx->commit().ok());
    QCOMPARE(db->counts()->indexed, std::int64_t(1));

    auto tx2 = db->begin();
    CHECK_OK(tx2);
    (void)db->upsert_file_seen(*root, "/p/dropped", 1, 1);
    CHECK_OK(tx2->rollback());
    QVERIFY(!db->find_by_path("/p/dropped")->has_value());
    CHECK_OK(db->begin());  // free again
}

void TestCatalogStorage::readers_do_not_block_writer() {
    QTemporaryDir dir;
    auto writer = CatalogDb::open(db_path(dir));
    auto reader = CatalogDb::open(db_path(dir));
    CHECK_OK(reader);
    auto root = writer->add_root("/p");
    (void)writer->upsert_file_seen(*root, "/p/0", 1, 1);
    auto tx = writer->begin();
    CHECK_OK(tx);
    (void)writer->upsert_file_seen(*root, "/p/1", 1, 1);
    const auto t0 = std::chrono::steady_clock::now();
    QCOMPARE(reader->counts()->total, std::int64_t(1));  // the last committed state, at once
    QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    // A long read (a feature stream) does not stop the writer from committing.
    CHECK_OK(reader->for_each_feature("m", [&](std::int64_t, const float*, int) { return true; }));
    CHECK_OK(tx->commit());
    QCOMPARE(reader->counts()->total, std::int64_t(2));
}

void TestCatalogStorage::read_only_connection() {
    QTemporaryDir dir;
    const auto file = db_path(dir);
    auto writer = CatalogDb::open(file);
    CHECK_OK(writer);
    auto root = writer->add_root("/p");
    CHECK_OK(root);
    (void)writer->upsert_file_seen(*root, "/p/0", 1, 1);

    auto reader = CatalogDb::open(file, CatalogDb::OpenMode::ReadOnly);
    CHECK_OK(reader);
    QVERIFY(reader->read_only());
    QVERIFY(!writer->read_only());
    QCOMPARE(reader->read_fallback(), std::string());  // a writable folder: shared with the writer
    QCOMPARE(reader->counts()->total, std::int64_t(1));
    // Every write is refused, with the reason; nothing changes.
    auto added = reader->add_root("/q");
    for (const rv::Status& attempt : {added.ok() ? rv::Status() : rv::Status(added.error()), reader->set_meta("k", "v"),
                                      reader->remove_root(*root)}) {
        QVERIFY(!attempt.ok());
        QVERIFY2(attempt.error().message.find("read-only") != std::string::npos, attempt.error().message.c_str());
    }
    QCOMPARE(reader->roots()->size(), std::size_t(1));
    // It sees what the writer commits later.
    (void)writer->upsert_file_seen(*root, "/p/1", 1, 1);
    QCOMPARE(reader->counts()->total, std::int64_t(2));

    // A reader never creates: a missing file, or an empty one (a creation under way).
    auto missing = CatalogDb::open(db_path(dir, "none.sqlite"), CatalogDb::OpenMode::ReadOnly);
    QVERIFY(!missing.ok());
    QVERIFY(!std::filesystem::exists(db_path(dir, "none.sqlite")));
    std::ofstream(db_path(dir, "blank.sqlite")).close();
    auto blank = CatalogDb::open(db_path(dir, "blank.sqlite"), CatalogDb::OpenMode::ReadOnly);
    QVERIFY(!blank.ok());
    QVERIFY2(blank.error().message.find("the catalog is empty") != std::string::npos, blank.error().message.c_str());
    QCOMPARE(std::filesystem::file_size(db_path(dir, "blank.sqlite")), std::uintmax_t(0));
}

void TestCatalogStorage::damaged_files_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("garbage") << "garbage" << "not a SQLite database";
    QTest::newRow("truncated to half") << "half" << "damaged";
    QTest::newRow("truncated to 50 bytes") << "tiny" << "damaged";
    QTest::newRow("newer schema") << "newer" << "schema version 99 is newer";
    QTest::newRow("another application") << "foreign" << "not a RuVision catalog";
    QTest::newRow("missing") << "missing" << "no such file";
    QTest::newRow("a folder") << "folder" << "is a folder";
}

void TestCatalogStorage::damaged_files() {
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const auto file = db_path(dir, "lib.sqlite");
    if (kind == "garbage") {
        std::ofstream f(file, std::ios::binary);
        std::mt19937 rng(1);
        for (int i = 0; i < 100000; ++i) f.put(static_cast<char>(rng()));
    } else if (kind == "half" || kind == "tiny" || kind == "newer" || kind == "foreign") {
        make_populated(file);
        if (kind == "half") std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
        if (kind == "tiny") std::filesystem::resize_file(file, 50);
        if (kind == "newer") patch_be32(file, 60, 99);          // header: user_version
        if (kind == "foreign") patch_be32(file, 68, 0x12345678);  // header: application_id
    } else if (kind == "folder") {
        std::filesystem::create_directory(file);
    }
    auto db = CatalogDb::open(file, kind == "missing" ? CatalogDb::OpenMode::MustExist
                                                      : CatalogDb::OpenMode::CreateIfMissing);
    QVERIFY2(!db.ok(), qPrintable(kind + " opened"));
    const std::string& m = db.error().message;
    qInfo("%s: %s", qPrintable(kind), m.c_str());
    QVERIFY2(m.find(file.string()) != std::string::npos, m.c_str());
    QVERIFY2(m.find(reason.toStdString()) != std::string::npos, m.c_str());
}

// The child: resumes from what the catalog holds, then commits batches of kBatch rows forever,
void TestCatalogStorage::throughput() {
    constexpr int kDim = 576, kBatch = 64, kRows = 8192, kSingle = 256;
    QTemporaryDir dir;
    auto db = CatalogDb::open(db_path(dir));
    auto root = db->add_root("/t");
    std::vector<std::int64_t> ids;
    {
        auto tx = db->begin();
        for (int i = 0; i < kRows + kSingle; ++i)
            ids.push_back(db->upsert_file_seen(*root, "/t/" + std::to_string(i) + ".jpg", i, i)->file_id);
        CHECK_OK(tx->commit());
    }
    const auto v = random_bits(kDim, 5);
    using clock = std::chrono::steady_clock;

    auto t0 = clock::now();
    for (int i = 0; i < kRows; i += kBatch) {
        auto tx = db->begin();
        CHECK_OK(tx);
        for (int j = i; j < i + kBatch; ++j)
            CHECK_OK(db->mark_indexed(ids[static_cast<std::size_t>(j)], 640, 480, "m", v.data(), kDim));
        CHECK_OK(tx->commit());
    }
    const double batched = kRows / std::chrono::duration<double>(clock::now() - t0).count();

    t0 = clock::now();
    for (int j = kRows; j < kRows + kSingle; ++j)
        CHECK_OK(db->mark_indexed(ids[static_cast<std::size_t>(j)], 640, 480, "m", v.data(), kDim));
    const double single = kSingle / std::chrono::duration<double>(clock::now() - t0).count();

    t0 = clock::now();
    std::int64_t streamed = 0;
    CHECK_OK(db->for_each_feature("m", [&](std::int64_t, const float*, int) { return ++streamed, true; }));
    const double stream = static_cast<double>(streamed) / std::chrono::duration<double>(clock::now() - t0).count();
    QCOMPARE(streamed, std::int64_t(kRows + kSingle));

    std::printf("catalog throughput (576-d float32 features, WAL, synchronous=NORMAL):\n"
                "  mark_indexed, %d per transaction: %.0f rows/s\n"
                "  mark_indexed, one commit each:    %.0f rows/s  (batched is %.1fx)\n"
                "  for_each_feature streaming:       %.0f rows/s\n",
                kBatch, batched, single, batched / single, stream);
}

QTEST_APPLESS_MAIN(TestCatalogStorage)
#include "test_catalog_storage.moc"
