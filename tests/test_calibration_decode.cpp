// The score calibration's edited views decode each sampled file once (CalibrationPicture), not
// once per view nor once per pass, and stay bit-identical to views decoded afresh each time (the
// code before it, written out here as the reference): the same vectors for every view and crop,
// in a row or interleaved, and the same fitted curves from learn_search_calibration and
// learn_region_scores on a real library of Debian wallpapers.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageEdits.h"
#include "ruvision/engine/Library.h"
#include "search/CalibrationPicture.h"
#include "search/SearchCalibration.h"

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSeed = 13;

// Views made as before CalibrationPicture: decoded for every view. `region`: region_crops's
// crops, else calibration_views's edits. Counts its decodes in *decodes.
rv::EditedView decoded_every_time(rv::Embedder& embedder, bool region, std::size_t* decodes) {
    return [&embedder, region, decodes](std::int64_t file_id, const std::string& path,
                                        int view) -> std::optional<std::vector<float>> {
        ++*decodes;
        rv::DecodeOptions options;
        options.min_side = 256;
        auto decoded = rv::decode_image(path, options);
        if (!decoded) return std::nullopt;
        const rv::RgbImage picture = rv::shrink_to_side(decoded->image, 448);
        if (region) {
            rv::EditRandom r(kSeed, static_cast<std::uint64_t>(file_id), 1000 + static_cast<std::uint64_t>(view));
            rv::EditRanges ranges;
            ranges.crop_area_min = 0.10;
            ranges.crop_area_max = 0.30;
            auto e = embedder.embed(rv::apply_edit(picture, rv::ImageEdit::Crop, r, ranges));
            return e ? std::optional<std::vector<float>>(std::move(*e)) : std::nullopt;
        }
        rv::EditRandom r(kSeed, static_cast<std::uint64_t>(file_id), static_cast<std::uint64_t>(view));
        const auto edits = rv::draw_edits(r, 2 + r.below(2));
        auto e = embedder.embed(rv::apply_edits(picture, edits, r));
        return e ? std::optional<std::vector<float>>(std::move(*e)) : std::nullopt;
    };
}

// Pictures for one closure (the last file's kept), counting decodes in *decodes.
std::shared_ptr<rv::CalibrationPicture> counted(std::size_t* decodes) {
    return std::make_shared<rv::CalibrationPicture>(decodes);
}

bool same_bits(const std::optional<std::vector<float>>& a, const std::optional<std::vector<float>>& b) {
    if (!a || !b) return !a && !b;
    return a->size() == b->size() && std::memcmp(a->data(), b->data(), a->size() * sizeof(float)) == 0;
}

struct LibraryFile {
    std::int64_t id;
    std::string path;
};

}  // namespace

class TestCalibrationDecode : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<rv::Library> lib_;
    std::vector<LibraryFile> files_;

private slots:
    void initTestCase();
    void views_in_a_row_decode_each_file_once_data();
    void views_in_a_row_decode_each_file_once();
    void interleaved_views_are_the_same();
    void unreadable_file_is_tried_once_and_gives_no_view();
    void calibration_decodes_each_sampled_file_once_and_fits_the_same_curves();
    void passes_of_a_calibration_share_one_decode_of_each_file();
};

// A library of 8 wallpapers from several packages, 960 pixels wide, as PNG: decoded whole (no
// DCT reduction), so that the pictures are brought down to the views' side.
void TestCalibrationDecode::initTestCase() {
    QVERIFY(dir_.isValid());
    std::vector<fs::path> photos;
    for (const auto& e : fs::recursive_directory_iterator("/usr/share/backgrounds"))
        if (e.is_regular_file() && (e.path().extension() == ".jpg" || e.path().extension() == ".png"))
            photos.push_back(e.path());
    std::sort(photos.begin(), photos.end());
    const fs::path root = fs::path(dir_.path().toStdString()) / "photos";
    fs::create_directories(root);
    int written = 0;
    for (std::size_t i = 0; i < photos.size() && written < 8; i += std::max<std::size_t>(1, photos.size() / 8)) {
        QImage im(QString::fromStdString(photos[i].string()));
        if (im.isNull()) continue;
        const fs::path p = root / ("photo" + std::to_string(written) + ".png");
        QVERIFY(im.scaledToWidth(960, Qt::SmoothTransformation).save(QString::fromStdString(p.string()), "PNG"));
        ++written;
    }
    QCOMPARE(written, 8);
    auto opened = rv::Library::open(fs::path(dir_.path().toStdString()) / "library", rv::LibraryAccess::Create);
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    lib_ = std::move(*opened);
    std::atomic<bool> cancel{false};
    rv::IndexJobParams params;
    params.roots = {root};
    auto run = lib_->index(params, cancel);
    QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
    QCOMPARE(run->embedded, std::size_t(8));
    QVERIFY(lib_->catalog().for_each_feature(lib_->model_id(), [&](std::int64_t id, const float*, int) {
        auto f = lib_->catalog().file(id);
        if (f.ok() && *f) files_.push_back({id, (*f)->path});
        return true;
    }).ok());
    QCOMPARE(files_.size(), std::size_t(8));
}

void TestCalibrationDecode::views_in_a_row_decode_each_file_once_data() {
    QTest::addColumn<bool>("region");
    QTest::newRow("calibration_views") << false;
    QTest::newRow("region_crops") << true;
}

// As both calibration passes ask: every view of a file, then the next file.
void TestCalibrationDecode::views_in_a_row_decode_each_file_once() {
    QFETCH(bool, region);
    std::size_t decodes = 0, reference_decodes = 0;
    rv::Embedder& embedder = lib_->embedder();
    const rv::EditedView view = region ? rv::region_crops(embedder, kSeed, counted(&decodes))
                                       : rv::calibration_views(embedder, kSeed, counted(&decodes));
    const rv::EditedView reference = decoded_every_time(embedder, region, &reference_decodes);
    for (const auto& f : files_)
        for (int v = 0; v < 3; ++v) {
            const auto got = view(f.id, f.path, v);
            QVERIFY2(got.has_value(), f.path.c_str());
            QVERIFY2(same_bits(got, reference(f.id, f.path, v)), qPrintable(QString("%1 view %2").arg(f.path.c_str()).arg(v)));
        }
    QCOMPARE(decodes, files_.size());
    QCOMPARE(reference_decodes, 3 * files_.size());
}

// Views asked out of order (another file between two views of one) are decoded again, and are
// still the same views.
void TestCalibrationDecode::interleaved_views_are_the_same() {
    std::size_t decodes = 0, reference_decodes = 0;
    rv::Embedder& embedder = lib_->embedder();
    const rv::EditedView view = rv::calibration_views(embedder, kSeed, counted(&decodes));
    const rv::EditedView reference = decoded_every_time(embedder, false, &reference_decodes);
    const LibraryFile& a = files_[0];
    const LibraryFile& b = files_[1];
    const std::pair<const LibraryFile*, int> order[] = {{&a, 0}, {&b, 0}, {&a, 1}, {&a, 2}, {&b, 1}};
    for (const auto& [f, v] : order) QVERIFY(same_bits(view(f->id, f->path, v), reference(f->id, f->path, v)));
    QCOMPARE(decodes, std::size_t(4));  // a, b, a (then a's second view kept), b
    // The same id under another path is another file.
    std::size_t other_decodes = 0;
    const rv::EditedView other = rv::region_crops(embedder, kSeed, counted(&other_decodes));
    QVERIFY(other(a.id, a.path, 0).has_value());
    QVERIFY(same_bits(other(a.id, b.path, 0), decoded_every_time(embedder, true, &reference_decodes)(a.id, b.path, 0)));
    QCOMPARE(other_decodes, std::size_t(2));
}

void TestCalibrationDecode::unreadable_file_is_tried_once_and_gives_no_view() {
    const std::string broken = dir_.filePath("broken.jpg").toStdString();
    std::ofstream(broken) << "not a JPEG at all";
    std::size_t decodes = 0;
    const rv::EditedView view = rv::calibration_views(lib_->embedder(), kSeed, counted(&decodes));
    QVERIFY(!view(999, broken, 0).has_value());
    QVERIFY(!view(999, broken, 1).has_value());
    QCOMPARE(decodes, std::size_t(1));
    // The next file is not held back by it.
    QVERIFY(view(files_[0].id, files_[0].path, 0).has_value());
    QCOMPARE(decodes, std::size_t(2));
}

// learn_search_calibration with the views as the library makes them and with views decoded
// afresh each time: the same whitening and curves, each sampled file decoded once (2 views each).
void TestCalibrationDecode::calibration_decodes_each_sampled_file_once_and_fits_the_same_curves() {
    rv::CatalogDb& db = lib_->catalog();
    rv::Embedder& embedder = lib_->embedder();
    // The plain space's index: the library's stored features, searched exactly.
    rv::BruteForceIndex index(embedder.dim(), lib_->model_id());
    QVERIFY(db.for_each_feature(lib_->model_id(), [&](std::int64_t id, const float* v, int) {
        return index.add(id, v).ok();
    }).ok());
    QCOMPARE(index.size(), files_.size());
    const rv::CalibrationSample sample;
    QVERIFY(sample.views >= 2);
    std::atomic<bool> cancel{false};
    std::size_t decodes = 0, reference_decodes = 0;
    const std::clock_t t0 = std::clock();
    auto learned = rv::learn_search_calibration(db, index, lib_->model_id(), 0, rv::LowRankAdapter{},
                                                std::int64_t(index.size()), sample,
                                                rv::calibration_views(embedder, kSeed, counted(&decodes)), cancel);
    QVERIFY2(learned.ok(), learned.ok() ? "" : learned.error().message.c_str());
    const std::clock_t t1 = std::clock();
    auto reference = rv::learn_search_calibration(db, index, lib_->model_id(), 0, rv::LowRankAdapter{},
                                                  std::int64_t(index.size()), sample,
                                                  decoded_every_time(embedder, false, &reference_decodes), cancel);
    QVERIFY(reference.ok());
    const std::clock_t t2 = std::clock();
    qInfo("learn_search_calibration on %zu files: %zu decodes, %.2f s of CPU; decoding every view: %zu decodes, %.2f s",
          files_.size(), decodes, double(t1 - t0) / CLOCKS_PER_SEC, reference_decodes, double(t2 - t1) / CLOCKS_PER_SEC);
    QCOMPARE(decodes, files_.size());  // every file of this small library is sampled
    QCOMPARE(reference_decodes, std::size_t(sample.views) * files_.size());
    QCOMPARE(learned->model.positives, int(sample.views * files_.size()));
    QCOMPARE(learned->model.to_json(), reference->model.to_json());
    QCOMPARE(learned->whitening.has_value(), reference->whitening.has_value());
}

// As Library::update_search_calibration runs them: the search calibration of two spaces (an
// adapter's pass asks for the views of the same files; here the plain space twice) and the region
// crops, with one CalibrationPicture shared by all the passes and with one per closure (as before
// they shared): the same curves, each sampled file decoded once instead of once per pass.
void TestCalibrationDecode::passes_of_a_calibration_share_one_decode_of_each_file() {
    rv::CatalogDb& db = lib_->catalog();
    rv::Embedder& embedder = lib_->embedder();
    const std::string model = lib_->model_id();
    rv::BruteForceIndex index(embedder.dim(), model);
    QVERIFY(db.for_each_feature(model, [&](std::int64_t id, const float* v, int) { return index.add(id, v).ok(); }).ok());
    // The region pass searches with this stand-in (Library's region search is its own): the whole
    // images nearest to the crop, the same in both runs.
    const rv::RegionSearchFn search = [&](const std::vector<float>& q) -> rv::Result<std::vector<rv::SearchResult>> {
        std::vector<rv::SearchResult> out;
        for (const rv::Hit& h : index.search(q.data(), 10)) {
            rv::SearchResult r;
            r.file_id = h.id;
            r.ranking = h.score;
            out.push_back(r);
        }
        return out;
    };
    struct Run {
        std::string curves;  // both spaces' score models and the region curves, as JSON
        std::size_t decodes = 0;
        double cpu_s = 0;
    };
    const rv::CalibrationSample sample;
    std::atomic<bool> cancel{false};
    auto calibrate = [&](bool shared, Run* out) {
        const auto one = std::make_shared<rv::CalibrationPicture>(&out->decodes, rv::kSharedPictureBytes);
        auto pictures = [&] { return shared ? one : counted(&out->decodes); };
        const std::clock_t t0 = std::clock();
        for (int space = 0; space < 2; ++space) {
            auto learned = rv::learn_search_calibration(db, index, model, 0, rv::LowRankAdapter{},
                                                        std::int64_t(index.size()), sample,
                                                        rv::calibration_views(embedder, kSeed, pictures()), cancel);
            if (!learned) return false;
            out->curves += learned->model.to_json() + "\n";
        }
        auto region = rv::learn_region_scores(db, model, sample, rv::region_crops(embedder, kSeed, pictures()), search, cancel);
        if (!region) return false;
        rv::ScoreModel m;
        m.region = *region;
        out->curves += m.to_json();
        out->cpu_s = double(std::clock() - t0) / CLOCKS_PER_SEC;
        return true;
    };
    Run apart, shared;
    QVERIFY(calibrate(false, &apart));
    QVERIFY(calibrate(true, &shared));
    qInfo("two spaces' views and the region crops of %zu files: one picture per closure %zu decodes, %.2f s of CPU; "
          "shared %zu decodes, %.2f s",
          files_.size(), apart.decodes, apart.cpu_s, shared.decodes, shared.cpu_s);
    QCOMPARE(apart.decodes, 3 * files_.size());
    QCOMPARE(shared.decodes, files_.size());
    QCOMPARE(shared.curves, apart.curves);
    QVERIFY(shared.curves.find("\"region\"") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestCalibrationDecode)
#include "test_calibration_decode.moc"
