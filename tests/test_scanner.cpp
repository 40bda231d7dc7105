// Scanning the user's folders: image files by extension and content, hidden folders skipped,
// symlink loops survived, odd names kept byte for byte.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <unistd.h>

#include "ruvision/engine/Scanner.h"

namespace fs = std::filesystem;

namespace {

const char kPng[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0";

void touch(const fs::path& p, const std::string& bytes = "x") {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

std::vector<std::string> relative(const std::vector<rv::ScannedFile>& files, const fs::path& root) {
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(f.path.lexically_relative(root).string());
    return out;
}

}  // namespace

class TestScanner : public QObject {
    Q_OBJECT
private slots:
    void finds_images_by_extension_and_content();
    void survives_symlink_loops();
    void one_file_per_picture();
    void sizes_and_times();
    void cancel_stops_early();
    void unavailable_roots();
};

void TestScanner::finds_images_by_extension_and_content() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    touch(root / "a.jpg");
    touch(root / "b.JPEG");
    touch(root / "sub" / "c.png");
    touch(root / "sub" / "deep" / "d.webp");
    touch(root / "e.tiff");
    touch(root / "f.bmp");
    touch(root / "notes.txt", "hello");
    touch(root / "no_extension_png", std::string(kPng, sizeof kPng - 1));
    touch(root / "no_extension_text", "just text");
    touch(root / ".hidden" / "g.jpg");
    touch(root / "sub" / ".h.png");
    touch(root / std::string("caf\xe9 \"q\".jpg"));
    std::vector<rv::ScanProblem> problems;
    auto files = rv::scan_images(root, {}, &problems);
    const auto names = relative(files, root);
    const std::vector<std::string> expected = {"a.jpg", "b.JPEG", std::string("caf\xe9 \"q\".jpg"), "e.tiff", "f.bmp",
                                               "no_extension_png", "sub/c.png", "sub/deep/d.webp"};
    QCOMPARE(names, expected);
    QVERIFY(problems.empty());

    rv::ScanOptions all;
    all.skip_hidden = false;
    QCOMPARE(rv::scan_images(root, all).size(), expected.size() + 2);
    fs::remove_all(root);  // QTemporaryDir cannot remove names that are not UTF-8
}

void TestScanner::survives_symlink_loops() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    touch(root / "photos" / "a.jpg");
    touch(root / "photos" / "inner" / "b.png");
    fs::create_directory_symlink(root / "photos", root / "photos" / "inner" / "loop");  // cycle
    fs::create_directory_symlink(root / "photos" / "inner", root / "alias");             // same folder twice
    fs::create_symlink(root / "missing.jpg", root / "dangling.jpg");                     // dangling link
    QTemporaryDir outside_tmp;
    const fs::path outside = outside_tmp.path().toStdString();
    touch(outside / "x.jpg");
    fs::create_directory_symlink(outside, root / "elsewhere");                            // followed
    auto files = rv::scan_images(root, {});
    const auto names = relative(files, root);
    // Each folder once, under its real path where it has one in the root.
    QCOMPARE(names, (std::vector<std::string>{"elsewhere/x.jpg", "photos/a.jpg", "photos/inner/b.png"}));

    rv::ScanOptions no_links;
    no_links.follow_symlinks = false;
    QCOMPARE(relative(rv::scan_images(root, no_links), root),
             (std::vector<std::string>{"photos/a.jpg", "photos/inner/b.png"}));
}

// Symlinks and hard links to one picture (Plasma's wallpapers link every size to one file) are
// one file, under its real path when the root has it.
void TestScanner::one_file_per_picture() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    touch(root / "sizes" / "2560x1600.jpg");
    fs::create_symlink("2560x1600.jpg", root / "sizes" / "1280x800.jpg");  // sorts first, still a link
    fs::create_symlink(root / "sizes" / "2560x1600.jpg", root / "a-link.jpg");
    fs::create_hard_link(root / "sizes" / "2560x1600.jpg", root / "z-hard.jpg");
    touch(root / "other.jpg", "y");
    QCOMPARE(relative(rv::scan_images(root, {}), root), (std::vector<std::string>{"other.jpg", "sizes/2560x1600.jpg"}));
}

void TestScanner::sizes_and_times() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    touch(root / "a.jpg", std::string(1234, 'x'));
    const auto t = fs::file_time_type(std::chrono::seconds(1'700'000'000) + std::chrono::nanoseconds(5));
    fs::last_write_time(root / "a.jpg", t);
    auto files = rv::scan_images(root, {});
    QCOMPARE(files.size(), std::size_t(1));
    QCOMPARE(files[0].size, std::uint64_t(1234));
    // Two scans of an unchanged file agree to the nanosecond (what change detection relies on).
    QCOMPARE(rv::scan_images(root, {})[0].mtime_ns, files[0].mtime_ns);
    fs::last_write_time(root / "a.jpg", t + std::chrono::seconds(1));
    QCOMPARE(rv::scan_images(root, {})[0].mtime_ns - files[0].mtime_ns, std::int64_t(1'000'000'000));
}

void TestScanner::cancel_stops_early() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    for (int i = 0; i < 20; ++i) touch(root / (std::string("d") + std::to_string(i)) / "a.jpg");
    int polls = 0;
    auto files = rv::scan_images(root, {}, nullptr, [&] { return ++polls > 5; });
    QVERIFY(files.size() < 20);
    QVERIFY(rv::scan_images("/nonexistent/folder", {}).empty());
}

// What makes a root offline before any walk: missing, not a folder, unreadable. An empty folder
// is available (only the indexing job, which knows the catalog, calls it "suddenly empty").
void TestScanner::unavailable_roots() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    QCOMPARE(rv::root_unavailable(root), std::string());
    fs::create_directories(root / "empty");
    QCOMPARE(rv::root_unavailable(root / "empty"), std::string());
    QVERIFY(rv::root_unavailable(root / "absent").find("missing") != std::string::npos);
    touch(root / "file");
    QCOMPARE(rv::root_unavailable(root / "file"), std::string("not a folder"));
    fs::create_symlink(root / "absent", root / "dangling");
    QVERIFY(rv::root_unavailable(root / "dangling").find("missing") != std::string::npos);
    if (::geteuid() != 0) {  // root reads any folder
        fs::create_directories(root / "locked");
        fs::permissions(root / "locked", fs::perms::none);
        QVERIFY(rv::root_unavailable(root / "locked").find("cannot be read") != std::string::npos);
        fs::permissions(root / "locked", fs::perms::owner_all);
    }
}

QTEST_APPLESS_MAIN(TestScanner)
#include "test_scanner.moc"
