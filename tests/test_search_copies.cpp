// One picture once among search results (SearchCopies.h), on a real library of real wallpapers:
// Plasma's wallpaper and its smaller screenshot, MATE's Elephants at three sizes and exact byte
// copies fold under one hit (the file with the most pixels); different pictures that a descriptor
// finds alike (MATE's Cold/Warm variants of one design, flat images) stay apart; k counts pictures.
#include <QColor>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>

#include "ruvision/engine/Library.h"
#include "ruvision/engine/SearchCopies.h"
#include "sample_photos.h"

namespace fs = std::filesystem;

namespace {

const fs::path kKite = "/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg";
const fs::path kKiteShot = "/usr/share/wallpapers/Kite/contents/screenshot.jpg";
const fs::path kElephants = "/usr/share/backgrounds/mate/abstract";
const fs::path kCold = "/usr/share/backgrounds/mate/desktop/Ubuntu-Mate-Cold-no-logo.png";
const fs::path kWarm = "/usr/share/backgrounds/mate/desktop/Ubuntu-Mate-Warm-no-logo.png";

// A flat picture of one grey level (pixels cannot vouch for it), 400 x 250.
void write_flat(const fs::path& file, int level) {
    QImage image(400, 250, QImage::Format_RGB32);
    image.fill(QColor(level, level, level));
    QVERIFY(image.save(QString::fromStdString(file.string())));
}

const rv::SearchResult* find_hit(const std::vector<rv::SearchResult>& hits, const fs::path& file) {
    for (const auto& h : hits)
        if (fs::path(h.path).filename() == file.filename()) return &h;
    return nullptr;
}

bool among_copies(const rv::SearchResult& hit, const fs::path& file) {
    for (const auto& c : hit.copies)
        if (fs::path(c.path).filename() == file.filename()) return true;
    return false;
}

}  // namespace

class TestSearchCopies : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sizes_of_one_picture_are_one_hit();
    void alike_but_different_pictures_stay_apart();
    void exact_copies_are_one_hit_even_when_flat();
    void k_counts_pictures();
    void candidates_without_pixels_or_hash_stay_apart();
    void signatures_are_decoded_once();

private:
    QTemporaryDir tmp_;
    fs::path photos_;
    std::unique_ptr<rv::Library> lib_;
};

void TestSearchCopies::initTestCase() {
    for (const fs::path& p : {kKite, kKiteShot, kCold, kWarm, kElephants / "Elephants.jpg"})
        if (!fs::exists(p)) QSKIP(qPrintable("needs Debian's Plasma and MATE wallpapers: no " + QString::fromStdString(p.string())));
    QVERIFY(tmp_.isValid());
    photos_ = fs::path(tmp_.path().toStdString()) / "photos";
    fs::create_directories(photos_);
    // Names of our own: the library sees copies, not the wallpapers' folders.
    fs::copy_file(kKite, photos_ / "kite-2560.jpg");
    fs::copy_file(kKiteShot, photos_ / "kite-screenshot.jpg");
    for (const char* name : {"Elephants.jpg", "Elephants_3840x2160.jpg", "Elephants_5640x3172.jpg"})
        fs::copy_file(kElephants / name, photos_ / name);
    fs::copy_file(kCold, photos_ / "cold.png");
    fs::copy_file(kWarm, photos_ / "warm.png");
    const auto nature = rv_test::nature_photos();
    QVERIFY(nature.size() >= 6);
    for (std::size_t i = 0; i < 6; ++i) fs::copy_file(nature[i], photos_ / nature[i].filename());
    // Exact copies: one photo twice, one flat picture twice; and a second, different flat picture.
    fs::copy_file(nature[0], photos_ / "copy-of-first.jpg");
    write_flat(photos_ / "flat-a.png", 120);
    fs::copy_file(photos_ / "flat-a.png", photos_ / "flat-a-copy.png");
    write_flat(photos_ / "flat-b.png", 124);

    auto opened = rv::Library::open(fs::path(tmp_.path().toStdString()) / "library");
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    lib_ = std::move(*opened);
    rv::IndexJobParams params;
    params.roots = {photos_};
    std::atomic<bool> cancel{false};
    auto run = lib_->index(params, cancel);
    QVERIFY2(run, run ? "" : run.error().message.c_str());
    QCOMPARE(run->failed, std::size_t{0});
    QCOMPARE(run->found, std::size_t{17});  // exact copies reuse a feature: found, not all embedded
}

void TestSearchCopies::sizes_of_one_picture_are_one_hit() {
    auto hits = lib_->search(kKite, 20);
    QVERIFY2(hits, hits ? "" : hits.error().message.c_str());
    // The picture ranks first; its representative is the larger file, the screenshot its copy.
    const rv::SearchResult& first = hits->front();
    QCOMPARE(fs::path(first.path).filename().string(), std::string("kite-2560.jpg"));
    QCOMPARE(first.width, 2560);
    QCOMPARE(first.copies.size(), std::size_t{1});
    QCOMPARE(fs::path(first.copies[0].path).filename().string(), std::string("kite-screenshot.jpg"));
    QVERIFY(first.copies[0].why.find("pixels") != std::string::npos);
    QCOMPARE(first.copies[0].width, 400);
    QVERIFY(!find_hit(*hits, photos_ / "kite-screenshot.jpg"));

    // Three sizes of MATE's Elephants: one hit, the largest file in front, asked by the smallest.
    auto elephants = lib_->search(photos_ / "Elephants.jpg", 20);
    QVERIFY2(elephants, elephants ? "" : elephants.error().message.c_str());
    const rv::SearchResult& e = elephants->front();
    QCOMPARE(fs::path(e.path).filename().string(), std::string("Elephants_5640x3172.jpg"));
    QCOMPARE(e.copies.size(), std::size_t{2});
    QVERIFY(among_copies(e, "Elephants.jpg"));
    QVERIFY(among_copies(e, "Elephants_3840x2160.jpg"));
    // The hit keeps its own score; the copy asked for scores 1.
    QVERIFY(e.score < 1.0f);
    QVERIFY(e.copies[0].score >= e.copies[1].score);
    QCOMPARE(fs::path(e.copies[0].path).filename().string(), std::string("Elephants.jpg"));
}

void TestSearchCopies::alike_but_different_pictures_stay_apart() {
    // Cold and Warm: one design in two colourings; plain cosine 0.996, yet different pictures.
    auto hits = lib_->search(photos_ / "cold.png", 20);
    QVERIFY2(hits, hits ? "" : hits.error().message.c_str());
    const rv::SearchResult* cold = find_hit(*hits, "cold.png");
    const rv::SearchResult* warm = find_hit(*hits, "warm.png");
    QVERIFY(cold && warm);
    QVERIFY(cold->copies.empty());
    QVERIFY(warm->copies.empty());
    // Two flat pictures are alike to a descriptor, and pixels cannot tell: never grouped.
    auto flat = lib_->search(photos_ / "flat-b.png", 20);
    QVERIFY2(flat, flat ? "" : flat.error().message.c_str());
    const rv::SearchResult* b = find_hit(*flat, "flat-b.png");
    QVERIFY(b);
    QVERIFY(b->copies.empty());
    QVERIFY(!among_copies(*b, "flat-a.png"));
}

void TestSearchCopies::exact_copies_are_one_hit_even_when_flat() {
    const auto nature = rv_test::nature_photos();
    auto hits = lib_->search(nature[0], 20);
    QVERIFY2(hits, hits ? "" : hits.error().message.c_str());
    const rv::SearchResult& first = hits->front();
    QCOMPARE(first.copies.size(), std::size_t{1});
    QCOMPARE(first.copies[0].why, std::string("same content"));
    QCOMPARE(first.copies[0].score, first.score);

    auto flat = lib_->search(photos_ / "flat-a.png", 20);
    QVERIFY2(flat, flat ? "" : flat.error().message.c_str());
    const rv::SearchResult* a = find_hit(*flat, "flat-a.png");
    if (!a) a = find_hit(*flat, "flat-a-copy.png");
    QVERIFY(a);
    QCOMPARE(a->copies.size(), std::size_t{1});
    QCOMPARE(a->copies[0].why, std::string("same content"));
}

void TestSearchCopies::k_counts_pictures() {
    // 17 files, 12 pictures (Kite 2 -> 1, Elephants 3 -> 1, the photo copy, the flat copy).
    auto all = lib_->search(kKite, 100);
    QVERIFY2(all, all ? "" : all.error().message.c_str());
    QCOMPARE(all->size(), std::size_t{12});
    std::size_t files = 0;
    for (const auto& h : *all) files += 1 + h.copies.size();
    QCOMPARE(files, std::size_t{17});
    auto three = lib_->search(kKite, 3);
    QVERIFY2(three, three ? "" : three.error().message.c_str());
    QCOMPARE(three->size(), std::size_t{3});
    for (std::size_t i = 0; i < 3; ++i) QCOMPARE((*three)[i].path, (*all)[i].path);
}

void TestSearchCopies::candidates_without_pixels_or_hash_stay_apart() {
    // Equal features, equal sizes, no hash and files that do not exist: nothing vouches, apart.
    std::vector<rv::CopyCandidate> c(2);
    for (std::size_t i = 0; i < 2; ++i) {
        c[i].file_id = static_cast<std::int64_t>(i + 1);
        c[i].path = (photos_ / ("missing-" + std::to_string(i) + ".jpg")).string();
        c[i].score = 0.9f;
        c[i].width = 800, c[i].height = 600;
        c[i].feature = {1.0f, 0.0f};
    }
    std::atomic<bool> cancel{false};
    std::size_t decoded = 0;
    auto groups = rv::group_copies(c, rv::CopyRule{}, cancel, nullptr, &decoded);
    QCOMPARE(groups.size(), std::size_t{2});
    QCOMPARE(decoded, std::size_t{2});  // the gates passed: their pixels were tried
    // The same bytes (equal hashes) are one picture, without decoding anything.
    c[0].full_hash = c[1].full_hash = "00112233445566778899aabbccddeeff";
    groups = rv::group_copies(c, rv::CopyRule{}, cancel, nullptr, &decoded);
    QCOMPARE(groups.size(), std::size_t{1});
    QCOMPARE(decoded, std::size_t{0});
    QCOMPARE(groups[0].copies.size(), std::size_t{1});
}

void TestSearchCopies::signatures_are_decoded_once() {
    std::vector<rv::CopyCandidate> c(2);
    // Ranked best first: the screenshot happens to score higher than the wallpaper.
    const char* names[] = {"kite-screenshot.jpg", "kite-2560.jpg"};
    const int widths[] = {400, 2560}, heights[] = {250, 1600};
    for (std::size_t i = 0; i < 2; ++i) {
        c[i].file_id = static_cast<std::int64_t>(i + 1);
        c[i].path = (photos_ / names[i]).string();
        c[i].width = widths[i], c[i].height = heights[i];
        c[i].size = static_cast<std::int64_t>(fs::file_size(c[i].path));
        c[i].mtime_ns = 7;
        c[i].feature = {0.6f, 0.8f};
    }
    c[0].score = 0.95f, c[1].score = 0.9f;
    std::atomic<bool> cancel{false};
    rv::CopySignatureCache cache;
    std::size_t decoded = 0;
    auto groups = rv::group_copies(c, rv::CopyRule{}, cancel, &cache, &decoded);
    QCOMPARE(decoded, std::size_t{2});
    QCOMPARE(groups.size(), std::size_t{1});
    QCOMPARE(groups[0].representative, std::size_t{1});  // the larger file, though it scores lower
    QCOMPARE(groups[0].best_score, 0.95f);
    QCOMPARE(cache.size(), std::size_t{2});
    groups = rv::group_copies(c, rv::CopyRule{}, cancel, &cache, &decoded);
    QCOMPARE(decoded, std::size_t{0});
    QCOMPARE(groups.size(), std::size_t{1});
    c[0].mtime_ns = 8;  // the file changed: decoded again
    groups = rv::group_copies(c, rv::CopyRule{}, cancel, &cache, &decoded);
    QCOMPARE(decoded, std::size_t{1});
    QCOMPARE(groups.size(), std::size_t{1});
}

QTEST_GUILESS_MAIN(TestSearchCopies)
#include "test_search_copies.moc"
