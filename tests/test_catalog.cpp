// The photo catalog (CatalogDb): every call round-trips, paths are bytes, features are bit-exact,
// damaged files give clear errors, and a process killed with SIGKILL between or during commits
// leaves a catalog that opens, passes integrity_check and holds exactly the committed batches.
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "ruvision/engine/CatalogDb.h"

using rv::CatalogDb;
using rv::FileStatus;

namespace {

template <class R>
const char* why(const R& r) {
    return r.ok() ? "" : r.error().message.c_str();
}
#define CHECK_OK(expr)                          \
    do {                                        \
        const auto& checked_ = (expr);          \
        QVERIFY2(checked_.ok(), why(checked_)); \
    } while (0)

std::filesystem::path db_path(const QTemporaryDir& dir, const char* name = "catalog.sqlite") {
    return std::filesystem::path(dir.path().toStdString()) / name;
}

// Random bit patterns: NaNs with payloads, denormals, -0 and infinities all occur.
std::vector<float> random_bits(int dim, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<float> v(static_cast<std::size_t>(dim));
    for (auto& x : v) {
        const std::uint32_t bits = rng();
        std::memcpy(&x, &bits, 4);
    }
    return v;
}

bool same_bits(const float* a, const std::vector<float>& b, int dim) {
    return dim == static_cast<int>(b.size()) && std::memcmp(a, b.data(), 4 * b.size()) == 0;
}

// Deterministic feature of row n of the crash test.
std::vector<float> crash_feature(std::int64_t n, int dim) {
    std::vector<float> v(static_cast<std::size_t>(dim));
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = static_cast<float>(n) + 0.001f * static_cast<float>(k);
    return v;
}

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
    void reopen_keeps_everything();
    void transaction_rolls_back();
    void readers_do_not_block_writer();
    void damaged_files_data();
    void damaged_files();
    void crash_safety_sigkill();
    void throughput();
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

void TestCatalog::reopen_keeps_everything() {
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

void TestCatalog::transaction_rolls_back() {
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

void TestCatalog::readers_do_not_block_writer() {
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

void TestCatalog::damaged_files_data() {
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

void TestCatalog::damaged_files() {
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
// writing the number of rows committed so far to `fd` after each commit. Never returns.
[[noreturn]] static void crash_child(const std::filesystem::path& file, int fd, int dim, int batch) {
    auto fail = [&] {
        const std::int64_t bad = -1;
        (void)!write(fd, &bad, sizeof bad);
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
        if (write(fd, &n, sizeof n) != sizeof n) fail();
    }
}

void TestCatalog::crash_safety_sigkill() {
    constexpr int kDim = 576, kBatch = 64;
    QTemporaryDir dir;
    const auto file = db_path(dir);
    { CHECK_OK(CatalogDb::open(file)); }  // created, then closed: no connection crosses fork()
    std::int64_t total = 0;
    const int delays_us[] = {0, 700, 3000, 150, 12000};
    for (int round = 0; round < 5; ++round) {
        int fds[2];
        QVERIFY(pipe(fds) == 0);
        const pid_t pid = fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            crash_child(file, fds[1], kDim, kBatch);
        }
        close(fds[1]);
        std::int64_t reported = total, n = 0;
        while (reported < total + 12 * kBatch && read(fds[0], &n, sizeof n) == sizeof n) {
            QVERIFY2(n >= 0, "the child failed to write");
            reported = n;
        }
        usleep(static_cast<useconds_t>(delays_us[round]));  // land the kill at varying points of a batch
        kill(pid, SIGKILL);
        int wstatus = 0;
        waitpid(pid, &wstatus, 0);
        QVERIFY(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
        while (read(fds[0], &n, sizeof n) == sizeof n) {
            QVERIFY2(n >= 0, "the child failed to write");
            reported = n;
        }
        close(fds[0]);

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

void TestCatalog::throughput() {
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

QTEST_APPLESS_MAIN(TestCatalog)
#include "test_catalog.moc"
