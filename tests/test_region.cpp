// Search by region through a real library: regions stored at indexing (catalog rows, boxes inside
// the image, the region index), leaving with their file, a 20 % crop of a library photo finding it
// first, the region index rebuilt when its file is deleted, a library indexed before regions
// getting them on the next run without re-embedding, and bad rectangles refused.
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "cli_runner.h"
#include "sample_photos.h"
#include "view_library_test_util.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;
using namespace view_library_test;

class TestRegion : public QObject {
    Q_OBJECT
private slots:
    void indexing_stores_regions();
    void crop_finds_its_photo_and_regions_leave_with_their_file();
    void region_index_is_rebuilt_when_deleted();
    void library_indexed_before_regions_gets_them();
    void bad_rectangles_are_errors();
    void cli_search_region();
};

void TestRegion::indexing_stores_regions() {
    QTemporaryDir tmp;
    const fs::path photos = photo_folder(tmp, 4);
    auto lib = open_lib(fs::path(tmp.path().toStdString()) / "lib");
    QCOMPARE(run_index(*lib, {photos}).embedded, std::size_t(4));
    std::size_t total = 0;
    for (const auto& e : fs::directory_iterator(photos)) {
        auto regions = lib->catalog().regions(file_id(*lib, e.path()), lib->model_id());
        QVERIFY2(regions, regions.error().message.c_str());
        QVERIFY(regions->size() >= 4);
        for (const auto& r : *regions) {
            QVERIFY(r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0);
            QVERIFY(r.x + r.w <= 1.0001f && r.y + r.h <= 1.0001f);
            QCOMPARE(static_cast<int>(r.vector.size()), lib->embedder().dim());
        }
        total += regions->size();
    }
    QCOMPARE(lib->region_index_size(), total);
    QVERIFY(fs::exists(fs::path(tmp.path().toStdString()) / "lib" / "regions.rvi"));
}

void TestRegion::crop_finds_its_photo_and_regions_leave_with_their_file() {
    QTemporaryDir tmp;
    const fs::path photos = photo_folder(tmp, 12);
    const fs::path libdir = fs::path(tmp.path().toStdString()) / "lib";
    auto lib = indexed_lib(libdir, photos);
    // A crop keeping 20 % of a photo's area (0.5 x 0.4 of its sides), saved outside the library.
    const auto all = rv_test::nature_photos();
    int whole_first = 0, region_first = 0;
    for (std::size_t i = 0; i < 12 && i < all.size(); ++i) {
        const fs::path original = photos / all[i].filename();
        QImage img(QString::fromStdString(original.string()));
        QVERIFY(!img.isNull());
        const QRect rect(int(img.width() * 0.35), int(img.height() * 0.45), int(img.width() * 0.5), int(img.height() * 0.4));
        const fs::path crop = fs::path(tmp.path().toStdString()) / ("crop" + std::to_string(i) + ".jpg");
        QVERIFY(img.copy(rect).save(QString::fromStdString(crop.string()), "JPEG", 90));
        auto by_region = lib->search_region(crop, rv::RegionRect{0, 0, 1, 1}, 5);
        QVERIFY2(by_region, by_region.error().message.c_str());
        QVERIFY(!by_region->empty());
        region_first += (*by_region)[0].path == original.string();
        auto whole = lib->search(crop, 5);
        QVERIFY2(whole, whole.error().message.c_str());
        whole_first += (*whole)[0].path == original.string();
        // The same rectangle drawn on the library photo itself.
        auto drawn = lib->search_region(original, rv::RegionRect{0.35, 0.45, 0.5, 0.4}, 3);
        QVERIFY2(drawn, drawn.error().message.c_str());
        QCOMPARE(QString::fromStdString((*drawn)[0].path), QString::fromStdString(original.string()));
    }
    qInfo("20 %% crops of 12 photos found first: by region %d, by the whole image %d", region_first, whole_first);
    QCOMPARE(region_first, 12);

    // A file that leaves the library takes its regions with it (catalog and index).
    const fs::path gone = photos / all[0].filename();
    const std::int64_t id = file_id(*lib, gone);
    const std::size_t before = lib->region_index_size();
    auto had = lib->catalog().regions(id, lib->model_id());
    QVERIFY(had && !had->empty());
    fs::remove(gone);
    QCOMPARE(run_index(*lib).removed, std::size_t(1));
    QCOMPARE(lib->region_index_size(), before - had->size());
    auto left = lib->catalog().regions(id, lib->model_id());
    QVERIFY(left && left->empty());
    QCOMPARE(lib->catalog().region_count(lib->model_id()).value(), static_cast<std::int64_t>(lib->region_index_size()));
    auto r = lib->search_region(photos / all[1].filename(), rv::RegionRect{0, 0, 0.5, 0.5}, 20);
    QVERIFY(r);
    for (const auto& hit : *r) QVERIFY(hit.path != gone.string());
}

void TestRegion::region_index_is_rebuilt_when_deleted() {
    QTemporaryDir tmp;
    const fs::path photos = photo_folder(tmp, 3);
    const fs::path libdir = fs::path(tmp.path().toStdString()) / "lib";
    std::size_t regions = 0;
    {
        auto lib = indexed_lib(libdir, photos);
        regions = lib->region_index_size();
        QVERIFY(regions >= 12);
        // Opening reads only the file's header: the index is loaded by its first use.
        auto again = open_lib(libdir, rv::LibraryAccess::Read);
        const std::string n = std::to_string(regions) + " regions";
        QCOMPARE(again->region_index_state(), "ok (" + n + "), loaded at first use");
        QVERIFY(again->search_region(*fs::directory_iterator(photos), rv::RegionRect{0.2, 0.2, 0.5, 0.5}, 1));
        QCOMPARE(again->region_index_state(), "ok (" + n + ")");
        QCOMPARE(again->region_index_size(), regions);
    }
    std::string good;
    {
        std::ifstream in(libdir / "regions.rvi", std::ios::binary);
        good.assign(std::istreambuf_iterator<char>(in), {});
    }
    // Damage the header shows is seen before the first use; a payload byte flipped only by it
    // (the checksum). Either way the index is rebuilt from the catalog and the search answers.
    for (const char* damage : {"delete", "garbage", "payload"}) {
        const std::string how = damage;
        if (how == "delete") fs::remove(libdir / "regions.rvi");
        else if (how == "garbage") std::ofstream(libdir / "regions.rvi") << "not an index";
        else {
            std::string bad = good;
            bad[bad.size() - 9] ^= 0x10;
            std::ofstream(libdir / "regions.rvi", std::ios::binary) << bad;
        }
        auto lib = open_lib(libdir, rv::LibraryAccess::Read);
        const bool seen_at_open = how != "payload";
        QVERIFY2((lib->region_index_state().find("rebuilt") != std::string::npos) == seen_at_open,
                 lib->region_index_state().c_str());
        QCOMPARE(lib->region_index_size(), regions);
        const fs::path first = *fs::directory_iterator(photos);
        auto r = lib->search_region(first, rv::RegionRect{0.2, 0.2, 0.5, 0.5}, 1);
        QVERIFY2(r, r.error().message.c_str());
        QCOMPARE(QString::fromStdString((*r)[0].path), QString::fromStdString(first.string()));
        QVERIFY2(lib->region_index_state().rfind("rebuilt from the catalog (", 0) == 0, lib->region_index_state().c_str());
        QCOMPARE(lib->region_index_size(), regions);
    }
    // The next indexing run writes it again.
    auto lib = reindexed_reader(libdir);
    QVERIFY2(lib->region_index_state().rfind("ok", 0) == 0, lib->region_index_state().c_str());
}

void TestRegion::library_indexed_before_regions_gets_them() {
    QTemporaryDir tmp;
    const fs::path photos = photo_folder(tmp, 3);
    const fs::path libdir = fs::path(tmp.path().toStdString()) / "lib";
    {
        auto lib = indexed_lib(libdir, photos);
        // As a library of schema 8 indexed before regions: features, no regions, no region index.
        for (const auto& e : fs::directory_iterator(photos))
            QVERIFY(lib->catalog().clear_regions(file_id(*lib, e.path())));
    }
    fs::remove(libdir / "regions.rvi");
    auto lib = open_lib(libdir, rv::LibraryAccess::Update);
    QCOMPARE(lib->region_index_size(), std::size_t(0));
    auto missing = lib->catalog().files_without_regions(lib->model_id());
    QVERIFY(missing && missing->size() == 3);
    const auto run = run_index(*lib);
    QCOMPARE(run.embedded, std::size_t(0));  // no file embedded again for its feature
    QCOMPARE(run.unchanged, std::size_t(3));
    missing = lib->catalog().files_without_regions(lib->model_id());
    QVERIFY(missing && missing->empty());
    QVERIFY(lib->region_index_size() >= 12);
    QCOMPARE(lib->catalog().region_count(lib->model_id()).value(), static_cast<std::int64_t>(lib->region_index_size()));
}

void TestRegion::bad_rectangles_are_errors() {
    QTemporaryDir tmp;
    const fs::path photos = photo_folder(tmp, 2);
    auto lib = open_lib(fs::path(tmp.path().toStdString()) / "lib");
    run_index(*lib, {photos});
    const fs::path img = *fs::directory_iterator(photos);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const rv::RegionRect& r : {rv::RegionRect{nan, 0, 0.5, 0.5}, rv::RegionRect{0, 0, 0, 0.5},
                                    rv::RegionRect{0.6, 0, 0.5, 0.5}, rv::RegionRect{-0.1, 0, 0.5, 0.5},
                                    rv::RegionRect{0, 0.2, 0.5, 1.0}}) {
        auto res = lib->search_region(img, r, 5);
        QVERIFY(!res);
        QVERIFY2(res.error().message.find(img.string()) != std::string::npos, res.error().message.c_str());
        QVERIFY2(res.error().message.find("region") != std::string::npos, res.error().message.c_str());
        QVERIFY(!rv::region_rect_problem(r).empty());
    }
    QVERIFY(rv::region_rect_problem({0.25, 0.25, 0.5, 0.75}).empty());
    QVERIFY(!lib->search_region(img, rv::RegionRect{0, 0, 0.5, 0.5}, 0));
    QVERIFY(!lib->search_region(rv::RgbImage{}, rv::RegionRect{0, 0, 0.5, 0.5}, 3));
    auto missing = lib->search_region(fs::path(tmp.path().toStdString()) / "no-such.jpg", rv::RegionRect{0, 0, 0.5, 0.5}, 3);
    QVERIFY(!missing);
    QVERIFY(missing.error().message.find("no-such.jpg") != std::string::npos);
}

void TestRegion::cli_search_region() {
    QTemporaryDir tmp;
    const fs::path photos = photo_folder(tmp, 4);
    const QString lib = tmp.filePath("lib");
    auto idx = cli_test::cli({"index", "--library", lib, QString::fromStdString(photos.string())});
    QCOMPARE(idx.code, 0);
    const auto all = rv_test::nature_photos();
    const QString img = QString::fromStdString((photos / all[2].filename()).string());
    QImage picture(img);
    const int w = picture.width(), h = picture.height();
    // A fifth of the picture, in its pixels.
    const QString rect = QString("%1,%2,%3,%4").arg(w / 4).arg(h / 3).arg(w / 2).arg(h * 2 / 5);
    auto run = cli_test::cli({"search", "--library", lib, "--region", rect, "--json", "-k", "3", img});
    QCOMPARE(run.code, 0);
    QVERIFY(!run.lines.isEmpty());
    const QJsonObject first = QJsonDocument::fromJson(run.lines[0]).object();
    QCOMPARE(first["path"].toString(), img);
    QCOMPARE(first["rank"].toInt(), 1);
    // Absurd rectangles: usage errors (exit 2) that say why.
    const QString outside = QString("%1,0,10,10").arg(w);
    for (const QString& bad : {QString("1,2,3"), QString("a,b,c,d"), QString("0,0,0,5"), QString("-1,0,5,5"),
                               QString("1,2,3,4,5"), outside}) {
        auto r = cli_test::cli({"search", "--library", lib, "--region", bad, img});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--region"), r.err.constData());
    }
    auto r = cli_test::cli({"search", "--library", lib, "--region", outside, img});
    QVERIFY2(r.err.contains(QString("%1x%2 pixels").arg(w).arg(h).toUtf8()), r.err.constData());
    QVERIFY(r.err.contains(img.toUtf8()));
}

QTEST_GUILESS_MAIN(TestRegion)
#include "test_region.moc"
