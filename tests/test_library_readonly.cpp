// A library that cannot be written is still read: search, status, duplicates and roots work on a
// read-only folder with read-only files (as another user), on a read-only mount, with a write-ahead
// log still holding commits, and on a full disk; indexing is refused with the reason. Each case
// runs the real ruvision-cli. Cases that need root (another user, mounts) skip with the reason when
// the test cannot get it.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

using cli_test::cli;
using cli_test::Run;

constexpr int kNobody = 65534;

QJsonObject obj(const QByteArray& line) { return QJsonDocument::fromJson(line).object(); }

// Runs the CLI as the unprivileged user `nobody` (setpriv drops root's permission bypass).
Run cli_as_nobody(const QStringList& args) {
    QProcess p;
    p.setProcessEnvironment(cli_test::environment());
    p.start("setpriv", QStringList{"--reuid=" + QString::number(kNobody), "--regid=" + QString::number(kNobody),
                                   "--clear-groups", RUVISION_CLI} +
                           args);
    Run r;
    r.finished = p.waitForFinished(cli_test::kProcessBoundMs);
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    for (const auto& l : p.readAllStandardOutput().split('\n'))
        if (!l.isEmpty()) r.lines << l;
    r.err = p.readAllStandardError();
    return r;
}

std::set<std::string> listing(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

void set_tree_mode(const fs::path& dir, fs::perms dir_mode, fs::perms file_mode) {
    for (const auto& e : fs::directory_iterator(dir)) fs::permissions(e.path(), file_mode);
    fs::permissions(dir, dir_mode);
}

}  // namespace

class TestLibraryReadOnly : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void read_only_folder_as_another_user();
    void read_only_mount();
    void pending_write_ahead_log_on_read_only_mount();
    void full_disk();

private:
    // Copies the indexed library into a fresh folder and returns it.
    fs::path copy_library(const QString& name);
    // The reads every case checks: exit 0 and the right answers, from `run`.
    // `untouched`: also check that reading created no file in the library.
    template <class Runner>
    void check_reads(const Runner& run, const fs::path& lib, int files, bool untouched = true);

    QTemporaryDir tmp_;
    fs::path photos_, library_, query_;
    std::vector<fs::path> mounts_;
};

void TestLibraryReadOnly::initTestCase() {
    QVERIFY(tmp_.isValid());
    const fs::path base = tmp_.path().toStdString();
    fs::permissions(base, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);  // other users may enter
    photos_ = base / "photos";
    fs::create_directories(photos_);
    for (const char* name : {"Aqua.jpg", "LadyBird.jpg", "Storm.jpg"})
        fs::copy_file(fs::path("/usr/share/backgrounds/mate/nature") / name, photos_ / name);
    query_ = photos_ / "Aqua.jpg";
    library_ = base / "library";
    auto r = cli({"index", "--library", QString::fromStdString(library_.string()), QString::fromStdString(photos_.string())});
    QCOMPARE(r.code, 0);
    // A clean close leaves no side files: the case where a reader must create them.
    QVERIFY(!fs::exists(library_ / "catalog.sqlite-shm"));
}

void TestLibraryReadOnly::cleanupTestCase() {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
    // Make everything removable again for QTemporaryDir.
    for (const auto& e : fs::recursive_directory_iterator(tmp_.path().toStdString()))
        if (e.is_directory()) fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add);
}

fs::path TestLibraryReadOnly::copy_library(const QString& name) {
    const fs::path dir = fs::path(tmp_.path().toStdString()) / name.toStdString();
    fs::copy(library_, dir);
    return dir;
}

template <class Runner>
void TestLibraryReadOnly::check_reads(const Runner& run, const fs::path& lib, int files, bool untouched) {
    const QString dir = QString::fromStdString(lib.string());
    const auto before = listing(lib);

    auto st = run({"status", "--library", dir, "--json"});
    QVERIFY2(st.code == 0, st.err.constData());
    QCOMPARE(obj(st.lines.last())["files"].toInt(), files);
    QCOMPARE(obj(st.lines.last())["indexed"].toInt(), files);

    auto s = run({"search", "--library", dir, "--json", "-k", "2", QString::fromStdString(query_.string())});
    QVERIFY2(s.code == 0, s.err.constData());
    QCOMPARE(s.lines.size(), 2);
    QVERIFY(obj(s.lines[0])["path"].toString().endsWith("/Aqua.jpg"));

    auto d = run({"duplicates", "--library", dir});
    QVERIFY2(d.code == 0, d.err.constData());
    auto roots = run({"roots", "--library", dir, "--json"});
    QVERIFY2(roots.code == 0, roots.err.constData());
    QCOMPARE(obj(roots.lines.last())["roots"].toArray().size(), 1);

    // Reading left nothing behind in the library.
    if (untouched) QCOMPARE(listing(lib), before);
}

void TestLibraryReadOnly::read_only_folder_as_another_user() {
    if (::geteuid() != 0) QSKIP("needs root, to run the CLI as another user (nobody) with setpriv");
    if (QStandardPaths::findExecutable("setpriv").isEmpty()) QSKIP("setpriv (util-linux) is not installed");
    const fs::path lib = copy_library("ro-folder");
    using fs::perms;
    set_tree_mode(lib, perms::owner_read | perms::owner_exec | perms::group_read | perms::group_exec |
                           perms::others_read | perms::others_exec,
                  perms::owner_read | perms::group_read | perms::others_read);
    check_reads(cli_as_nobody, lib, 3);
    if (QTest::currentTestFailed()) return;

    auto idx = cli_as_nobody({"index", "--library", QString::fromStdString(lib.string())});
    QCOMPARE(idx.code, 1);
    QVERIFY2(idx.err.contains("is read-only: indexing needs write access (Permission denied)"), idx.err.constData());
    auto add = cli_as_nobody({"roots", "--library", QString::fromStdString(lib.string()), "--add", tmp_.path()});
    QCOMPARE(add.code, 1);
    QVERIFY2(add.err.contains("is read-only"), add.err.constData());
}

void TestLibraryReadOnly::read_only_mount() {
    const fs::path lib = copy_library("ro-mount-src");
    const fs::path mnt = fs::path(tmp_.path().toStdString()) / "ro-mount";
    fs::create_directories(mnt);
    if (::mount(lib.c_str(), mnt.c_str(), nullptr, MS_BIND, nullptr) != 0)
        QSKIP(qPrintable(QString("cannot bind-mount (needs root or CAP_SYS_ADMIN): ") + std::strerror(errno)));
    mounts_.push_back(mnt);
    if (::mount(nullptr, mnt.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
        QSKIP(qPrintable(QString("cannot remount read-only: ") + std::strerror(errno)));
    QVERIFY(::access(mnt.c_str(), W_OK) != 0 && errno == EROFS);

    check_reads([](const QStringList& a) { return cli(a); }, mnt, 3);
    if (QTest::currentTestFailed()) return;
    auto r = cli({"index", "--library", QString::fromStdString(mnt.string())});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("is read-only: indexing needs write access (Read-only file system)"), r.err.constData());
}

void TestLibraryReadOnly::pending_write_ahead_log_on_read_only_mount() {
    // A writer's commit still in the -wal file (the writer died, or the drive was made read-only
    // after it): a reader must see it, without a -shm file it cannot create.
    const fs::path lib = copy_library("wal-src");
    {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open((lib / "catalog.sqlite").c_str(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;"
                                  "DELETE FROM files WHERE id = (SELECT max(id) FROM files);",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        // Copy while the connection is open: the commit is in the -wal only.
        const fs::path snap = fs::path(tmp_.path().toStdString()) / "wal-copy";
        fs::create_directories(snap);
        for (const char* f : {"catalog.sqlite", "catalog.sqlite-wal", "vectors.rvi"}) fs::copy_file(lib / f, snap / f);
        sqlite3_close(db);
        QVERIFY(fs::file_size(snap / "catalog.sqlite-wal") > 0);
        QVERIFY(!fs::exists(snap / "catalog.sqlite-shm"));
        const fs::path mnt = fs::path(tmp_.path().toStdString()) / "wal-mount";
        fs::create_directories(mnt);
        if (::mount(snap.c_str(), mnt.c_str(), nullptr, MS_BIND, nullptr) != 0)
            QSKIP(qPrintable(QString("cannot bind-mount (needs root or CAP_SYS_ADMIN): ") + std::strerror(errno)));
        mounts_.push_back(mnt);
        if (::mount(nullptr, mnt.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
            QSKIP(qPrintable(QString("cannot remount read-only: ") + std::strerror(errno)));
        check_reads([](const QStringList& a) { return cli(a); }, mnt, 2);  // 3 in the file, 2 with the log
    }
}

void TestLibraryReadOnly::full_disk() {
    const fs::path mnt = fs::path(tmp_.path().toStdString()) / "full";
    fs::create_directories(mnt);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=1m") != 0)
        QSKIP(qPrintable(QString("cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN): ") + std::strerror(errno)));
    mounts_.push_back(mnt);
    const fs::path lib = mnt / "library";
    auto r = cli({"index", "--library", QString::fromStdString(lib.string()), QString::fromStdString(photos_.string())});
    QCOMPARE(r.code, 0);
    {
        std::ofstream fill(mnt / "fill", std::ios::binary);
        const std::vector<char> block(4096, 0);
        while (fill.write(block.data(), static_cast<std::streamsize>(block.size()))) fill.flush();
    }
    QVERIFY(fs::space(mnt).available == 0);
    // SQLite may leave a stub -shm file it could not grow: the listing is not compared.
    check_reads([](const QStringList& a) { return cli(a); }, lib, 3, false);
    if (QTest::currentTestFailed()) return;
    // Changing the library needs space: refused with the reason, nothing lost.
    fs::copy_file("/usr/share/backgrounds/mate/nature/Dune.jpg", photos_ / "Dune.jpg");
    r = cli({"index", "--library", QString::fromStdString(lib.string())});
    fs::remove(photos_ / "Dune.jpg");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("the disk is full"), r.err.constData());
    fs::remove(mnt / "fill");
    check_reads([](const QStringList& a) { return cli(a); }, lib, 3, false);
}

QTEST_GUILESS_MAIN(TestLibraryReadOnly)
#include "test_library_readonly.moc"
