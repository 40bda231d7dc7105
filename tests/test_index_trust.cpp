// Indexing that keeps a person's trust, through the real ruvision-cli on real folders:
//  - a move is recognised only for the same content: two scans whose first and last 64 KiB are
//    equal (white margins) but whose middles differ are not a move; a real rename still is;
//  - a root that is unplugged (renamed away, or replaced by an empty folder: the mount point that
//    remains) is offline: exit 0, its files kept and searchable, `status` says offline; when it
//    returns nothing is re-embedded. A vanished subfolder of a present root is a deletion;
//  - a NaN, a 1e37 or a wrong dimension written into stored features (as a damaged page would)
//    never reaches a score: search stays in [-1, 1], the file is an error, and the next index
//    re-embeds it;
//  - a drive mounted inside a root (a folder on another device) that is unmounted keeps its files
//    like an offline root (run only as root, in a private mount namespace: tmpfs + bind mounts);
//  - a FIFO or a folder named vectors.rvi does not hang any command; it is set aside, not deleted.
#include <QColor>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>

#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/types.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sample_photos.h"
#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

using cli_test::cli;
using cli_test::Run;

QJsonObject last_json(const Run& r) {
    return r.lines.isEmpty() ? QJsonObject{} : QJsonDocument::fromJson(r.lines.last()).object();
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

std::vector<fs::path> nature_photos(std::size_t n) {
    auto out = rv_test::nature_photos();
    out.resize(std::min(out.size(), n));
    return out;
}

std::string read_all(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// A 600x600 "scan": white page, the given drawing in a band across the middle only, so that two
// scans share their first and last 64 KiB (BMP rows of 1800 bytes: ~36 rows at each end).
void write_scan(const fs::path& path, int variant) {
    QImage img(600, 600, QImage::Format_RGB888);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setPen(Qt::NoPen);
    if (variant == 0) {
        p.setBrush(QColor(20, 20, 20));
        p.drawEllipse(QPoint(300, 300), 200, 200);
    } else {
        for (int x = 60; x < 540; x += 60) p.fillRect(x, 100, 30, 400, QColor(200, 30, 30));
    }
    p.end();
    QVERIFY(img.save(q(path), "BMP"));
}

struct Sum {
    int found = -1, embedded = -1, unchanged = -1, moved = -1, removed = -1, failed = -1, repaired = -1;
    QJsonArray offline;
};

Sum index(const QString& lib, const QStringList& roots = {}, int expect_code = 0) {
    auto r = cli(QStringList{"index", "--library", lib, "--json"} + roots);
    [&] { QCOMPARE(r.code, expect_code); }();
    const auto j = last_json(r);
    return {j["found"].toInt(-1), j["embedded"].toInt(-1), j["unchanged"].toInt(-1), j["moved"].toInt(-1),
            j["removed"].toInt(-1), j["failed"].toInt(-1), j["repaired"].toInt(-1), j["offline_roots"].toArray()};
}

QJsonObject status(const QString& lib) {
    auto r = cli({"status", "--library", lib, "--json"});
    [&] { QCOMPARE(r.code, 0); }();
    return last_json(r);
}

// (path, score) of a search, every score checked to be a number in [-1, 1].
std::vector<std::pair<QString, double>> search(const QString& lib, const fs::path& image, int k) {
    auto r = cli({"search", "--library", lib, "--json", "-k", QString::number(k), q(image)});
    std::vector<std::pair<QString, double>> out;
    [&] { QCOMPARE(r.code, 0); }();
    for (const auto& l : r.lines) {
        const auto o = QJsonDocument::fromJson(l).object();
        const double s = o["score"].toDouble(std::nan(""));
        [&] { QVERIFY2(std::isfinite(s) && s >= -1.0001 && s <= 1.0001, l.constData()); }();
        out.emplace_back(o["path"].toString(), s);
    }
    return out;
}

// Overwrites float `index` of the stored feature of the file at `path` with `value`, through
// SQLite directly, as a damaged page or a stray write would.
void damage_feature(const fs::path& catalog, const std::string& path, int index, float value) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db,
                                "SELECT f.file_id, f.vector FROM features f JOIN files ON files.id = f.file_id "
                                "WHERE files.path = ?1",
                                -1, &s, nullptr),
             SQLITE_OK);
    sqlite3_bind_blob(s, 1, path.data(), static_cast<int>(path.size()), SQLITE_TRANSIENT);
    QCOMPARE(sqlite3_step(s), SQLITE_ROW);
    const auto id = sqlite3_column_int64(s, 0);
    std::string blob(static_cast<const char*>(sqlite3_column_blob(s, 1)), sqlite3_column_bytes(s, 1));
    sqlite3_finalize(s);
    std::memcpy(blob.data() + 4 * index, &value, 4);
    QCOMPARE(sqlite3_prepare_v2(db, "UPDATE features SET vector = ?2 WHERE file_id = ?1", -1, &s, nullptr), SQLITE_OK);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_blob(s, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    QCOMPARE(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

// Replaces the stored feature of the file at `path` with a unit vector of another dimension.
void shorten_feature(const fs::path& catalog, const std::string& path) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db,
                                "UPDATE features SET dim = 2, vector = ?2, rotated = NULL "
                                "WHERE file_id = (SELECT id FROM files WHERE path = ?1)",
                                -1, &s, nullptr),
             SQLITE_OK);
    const float v[2] = {0.6f, 0.8f};
    sqlite3_bind_blob(s, 1, path.data(), static_cast<int>(path.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(s, 2, v, sizeof v, SQLITE_TRANSIENT);
    QCOMPARE(sqlite3_step(s), SQLITE_DONE);
    QCOMPARE(sqlite3_changes(db), 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

}  // namespace

class TestIndexTrust : public QObject {
    Q_OBJECT
private slots:
    void move_needs_the_same_content();
    void unplugged_root_is_offline();
    void damaged_features_are_file_errors();
    void unmounted_nested_drive_is_offline();
    void index_file_that_is_not_a_file();
};

void TestIndexTrust::move_needs_the_same_content() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString(), root = dir / "scans", lib = dir / "lib";
    fs::create_directories(root / "sub");
    for (const auto& p : nature_photos(3)) fs::copy_file(p, root / p.filename());
    write_scan(root / "scan_001.bmp", 0);
    write_scan(dir / "scan_002.bmp", 1);
    fs::copy_file(root / "scan_001.bmp", dir / "a_pixels.bmp");
    // The premise: same size, same first and last 64 KiB, different middle.
    const std::string a = read_all(root / "scan_001.bmp"), b = read_all(dir / "scan_002.bmp");
    QCOMPARE(a.size(), b.size());
    QVERIFY(a.size() > 3 * 65536);
    QCOMPARE(a.substr(0, 65536), b.substr(0, 65536));
    QCOMPARE(a.substr(a.size() - 65536), b.substr(b.size() - 65536));
    QVERIFY(a != b);

    auto s = index(q(lib), {q(root)});
    QCOMPARE(s.embedded, 4);

    // A deleted, a different B of the same size added: not a move; B is embedded.
    fs::remove(root / "scan_001.bmp");
    fs::rename(dir / "scan_002.bmp", root / "scan_002.bmp");
    s = index(q(lib));
    QCOMPARE(s.moved, 0);
    QCOMPARE(s.embedded, 1);
    QCOMPARE(s.removed, 1);
    // A's pixels do not find B as the same picture.
    for (const auto& [path, score] : search(q(lib), dir / "a_pixels.bmp", 4))
        if (path.endsWith("scan_002.bmp")) QVERIFY2(score < 0.999, qPrintable(QString::number(score)));

    // A real move (rename into a subfolder) is still recognised and not re-embedded.
    fs::rename(root / "scan_002.bmp", root / "sub" / "renamed.bmp");
    s = index(q(lib));
    QCOMPARE(s.moved, 1);
    QCOMPARE(s.embedded, 0);
    QCOMPARE(s.removed, 0);
    const auto hits = search(q(lib), root / "sub" / "renamed.bmp", 1);
    QCOMPARE(hits.size(), std::size_t(1));
    QVERIFY(hits[0].first.endsWith("sub/renamed.bmp"));
    QVERIFY(hits[0].second > 0.999);
}

void TestIndexTrust::unplugged_root_is_offline() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString(), root = dir / "drive", away = dir / "drive-unplugged";
    const QString lib = q(dir / "lib");
    const auto photos = nature_photos(5);
    QVERIFY(photos.size() == 5);
    fs::create_directories(root / "sub");
    fs::create_directories(dir / "other");
    for (std::size_t i = 0; i < photos.size(); ++i) fs::copy_file(photos[i], root / (i < 3 ? "" : "sub") / photos[i].filename());
    fs::copy_file(photos[0], dir / "other" / "copy.jpg");
    QCOMPARE(index(lib, {q(root), q(dir / "other")}).embedded, 6);

    auto expect_offline = [&](const char* why) {
        auto s = index(lib);  // exit 0
        QCOMPARE(s.removed, 0);
        QCOMPARE(s.embedded, 0);
        QCOMPARE(s.unchanged, 1);  // the other root
        QCOMPARE(s.offline.size(), 1);
        QCOMPARE(s.offline[0].toObject()["path"].toString(), q(root));
        QVERIFY2(s.offline[0].toObject()["reason"].toString().contains(why),
                 qPrintable(s.offline[0].toObject()["reason"].toString()));
        QCOMPARE(s.offline[0].toObject()["files"].toInt(), 5);
        const auto st = status(lib);
        QCOMPARE(st["indexed"].toInt(), 6);
        QCOMPARE(st["offline_roots"].toArray().size(), 1);
        QCOMPARE(st["offline_roots"].toArray()[0].toObject()["path"].toString(), q(root));
        auto text = cli({"status", "--library", lib});
        QVERIFY(text.lines.contains(QByteArray("root ") + root.c_str() + " (offline: " +
                                    st["offline_roots"].toArray()[0].toObject()["reason"].toString().toUtf8() + ")"));
        // Still searchable, under their paths on the drive.
        const auto hits = search(lib, photos[1], 1);
        QCOMPARE(hits.size(), std::size_t(1));
        QCOMPARE(hits[0].first, q(root / photos[1].filename()));
    };

    fs::rename(root, away);  // unplugged: the folder is gone
    expect_offline("missing");
    fs::create_directory(root);  // unmounted: the empty mount point remains
    expect_offline("suddenly empty");
    fs::remove(root);
    std::ofstream(root) << "a file where the folder was";
    expect_offline("not a folder");
    fs::remove(root);

    // Back: nothing re-embedded, nothing removed, online again.
    fs::rename(away, root);
    auto s = index(lib);
    QCOMPARE(s.embedded, 0);
    QCOMPARE(s.removed, 0);
    QCOMPARE(s.unchanged, 6);
    QCOMPARE(s.offline.size(), 0);
    QCOMPARE(status(lib)["offline_roots"].toArray().size(), 0);

    // A subfolder that vanishes while its root is present is a deletion.
    fs::remove_all(root / "sub");
    s = index(lib);
    QCOMPARE(s.removed, 2);
    QCOMPARE(s.offline.size(), 0);
    QCOMPARE(status(lib)["indexed"].toInt(), 4);
}

void TestIndexTrust::unmounted_nested_drive_is_offline() {
    if (::geteuid() != 0) QSKIP("mounting needs root");
    // A mount namespace of this process (and the ruvision-cli children) only: nothing mounted here
    // is seen outside, and it all goes when the test exits.
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        QSKIP("cannot make a private mount namespace here");
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString(), root = dir / "home", drive = dir / "drive", card = root / "card";
    const QString lib = q(dir / "lib");
    const auto photos = nature_photos(5);
    fs::create_directories(card);
    fs::create_directories(drive);
    // The drive: a tmpfs (another device) holding two photos, bound onto home/card.
    QCOMPARE(::mount("rv-test", drive.c_str(), "tmpfs", 0, "size=64m"), 0);
    fs::copy_file(photos[0], drive / photos[0].filename());
    fs::copy_file(photos[1], drive / photos[1].filename());
    fs::copy_file(photos[2], root / photos[2].filename());
    fs::copy_file(photos[3], root / photos[3].filename());
    QCOMPARE(::mount(drive.c_str(), card.c_str(), nullptr, MS_BIND, nullptr), 0);
    struct stat a {}, b {};
    QCOMPARE(::stat(root.c_str(), &a), 0);
    QCOMPARE(::stat(card.c_str(), &b), 0);
    QVERIFY(a.st_dev != b.st_dev);
    QCOMPARE(index(lib, {q(root)}).embedded, 4);

    // Unmounted: the empty mount point remains; the card's files are kept, the run exits 0.
    QCOMPARE(::umount(card.c_str()), 0);
    auto s = index(lib);
    QCOMPARE(s.removed, 0);
    QCOMPARE(s.unchanged, 2);
    QCOMPARE(s.offline.size(), 1);
    QCOMPARE(s.offline[0].toObject()["path"].toString(), q(card));
    QCOMPARE(s.offline[0].toObject()["files"].toInt(), 2);
    QCOMPARE(status(lib)["indexed"].toInt(), 4);
    // Again (it stays remembered while unmounted).
    s = index(lib);
    QCOMPARE(s.removed, 0);
    QCOMPARE(s.offline.size(), 1);

    // Back: nothing re-embedded.
    QCOMPARE(::mount(drive.c_str(), card.c_str(), nullptr, MS_BIND, nullptr), 0);
    s = index(lib);
    QCOMPARE(s.embedded, 0);
    QCOMPARE(s.unchanged, 4);
    QCOMPARE(s.offline.size(), 0);

    // A plain subfolder (same device) that vanishes is a deletion, as ever.
    QCOMPARE(::umount(card.c_str()), 0);
    fs::remove(card);
    fs::create_directories(root / "plain");
    fs::copy_file(photos[4], root / "plain" / "x.jpg");
    QCOMPARE(index(lib).embedded, 1);
    fs::remove_all(root / "plain");
    s = index(lib);
    QCOMPARE(s.removed, 1);
    QCOMPARE(s.offline.size(), 1);  // the card is still remembered, still unmounted
    QCOMPARE(::umount(drive.c_str()), 0);
}

void TestIndexTrust::damaged_features_are_file_errors() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString(), root = dir / "photos", lib = dir / "lib";
    const auto photos = nature_photos(5);
    fs::create_directories(root);
    for (const auto& p : photos) fs::copy_file(p, root / p.filename());
    QCOMPARE(index(q(lib), {q(root)}).embedded, 5);
    const std::string nan_file = (root / photos[1].filename()).string(), huge_file = (root / photos[2].filename()).string(),
                      short_file = (root / photos[4].filename()).string();

    for (bool index_file_too : {false, true}) {
        damage_feature(lib / "catalog.sqlite", nan_file, 0, std::nanf(""));
        damage_feature(lib / "catalog.sqlite", huge_file, 7, 1e37f);
        shorten_feature(lib / "catalog.sqlite", short_file);
        // Without the index file, the index is rebuilt from the damaged features.
        if (index_file_too) fs::remove(lib / "vectors.rvi");
        const auto st = status(q(lib));
        if (index_file_too) {
            QCOMPARE(st["errors"].toInt(), 3);  // those three files, not the library
            QCOMPARE(st["indexed"].toInt(), 2);
            QCOMPARE(st["index"].toObject()["vectors"].toInt(), 2);
        }
        // Every score is a number in [-1, 1], and the others still find themselves.
        for (const auto& p : {photos[0], photos[3]}) {
            const auto hits = search(q(lib), p, 5);
            QVERIFY(!hits.empty());
            QCOMPARE(hits[0].first, q(root / p.filename()));
            QVERIFY(hits[0].second > 0.99);
        }
        const auto dups = cli({"duplicates", "--library", q(lib), "--json"});
        QCOMPARE(dups.code, 0);
        QVERIFY(!dups.err.contains("nan"));
        // The next index re-embeds exactly those three.
        auto s = index(q(lib));
        QCOMPARE(s.repaired, 3);
        QCOMPARE(s.embedded, 3);
        QCOMPARE(s.failed, 0);
        const auto after = status(q(lib));
        QCOMPARE(after["indexed"].toInt(), 5);
        QCOMPARE(after["errors"].toInt(), 0);
        QCOMPARE(after["index"].toObject()["vectors"].toInt(), 5);
        const auto hits = search(q(lib), photos[1], 1);
        QCOMPARE(hits[0].first, q(root / photos[1].filename()));
        QVERIFY(hits[0].second > 0.99);
    }
}

void TestIndexTrust::index_file_that_is_not_a_file() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString(), root = dir / "photos", lib = dir / "lib";
    const auto photos = nature_photos(3);
    fs::create_directories(root);
    for (const auto& p : photos) fs::copy_file(p, root / p.filename());
    QCOMPARE(index(q(lib), {q(root)}).embedded, 3);

    const fs::path rvi = lib / "vectors.rvi";
    for (const char* kind : {"fifo", "folder"}) {
        fs::remove(rvi);
        if (std::string(kind) == "fifo") QCOMPARE(::mkfifo(rvi.c_str(), 0644), 0);
        else fs::create_directories(rvi / "something");
        // Each command finishes (a hang would hit the runner's bound and fail here).
        auto st = cli({"status", "--library", q(lib), "--json"});
        QVERIFY(st.finished);
        QCOMPARE(st.code, 0);
        const QString state = last_json(st)["index"].toObject()["state"].toString();
        QVERIFY2(state.startsWith("rebuilt from the catalog (3 vectors)"), qPrintable(state));
        QVERIFY2(state.contains(kind == std::string("fifo") ? "named pipe" : "a folder"), qPrintable(state));
        const auto hits = search(q(lib), photos[0], 3);
        QCOMPARE(hits.size(), std::size_t(3));
        // index rebuilds the file and sets the entry aside (never deletes what it did not write).
        auto s = index(q(lib));
        QCOMPARE(s.unchanged, 3);
        QVERIFY(fs::is_regular_file(fs::symlink_status(rvi)));
        QCOMPARE(last_json(cli({"status", "--library", q(lib), "--json"}))["index"].toObject()["state"].toString(),
                 QString("ok (3 vectors)"));
    }
    QVERIFY(fs::is_fifo(fs::symlink_status(lib / "vectors.rvi.bad-1")));
    QVERIFY(fs::is_directory(lib / "vectors.rvi.bad-2" / "something"));
}

QTEST_GUILESS_MAIN(TestIndexTrust)
#include "test_index_trust.moc"
