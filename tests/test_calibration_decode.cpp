// The score calibration's edited views decode each sampled file once (CalibrationPicture), not
// once per view, and stay bit-identical to views decoded afresh each time (the code before it,
// written out here as the reference): the same vectors for every view and crop, in a row or
// interleaved, and the same fitted curves from learn_search_calibration on a real library of
// Debian wallpapers.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <fstream>

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
    const rv::EditedView view = region ? rv::region_crops(embedder, kSeed, &decodes)
                                       : rv::calibration_views(embedder, kSeed, &decodes);
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
    const rv::EditedView view = rv::calibration_views(embedder, kSeed, &decodes);
    const rv::EditedView reference = decoded_every_time(embedder, false, &reference_decodes);
    const LibraryFile& a = files_[0];
    const LibraryFile& b = files_[1];
    const std::pair<const LibraryFile*, int> order[] = {{&a, 0}, {&b, 0}, {&a, 1}, {&a, 2}, {&b, 1}};
    for (const auto& [f, v] : order) QVERIFY(same_bits(view(f->id, f->path, v), reference(f->id, f->path, v)));
    QCOMPARE(decodes, std::size_t(4));  // a, b, a (then a's second view kept), b
    // The same id under another path is another file.
    std::size_t other_decodes = 0;
    const rv::EditedView other = rv::region_crops(embedder, kSeed, &other_decodes);
    QVERIFY(other(a.id, a.path, 0).has_value());
    QVERIFY(same_bits(other(a.id, b.path, 0), decoded_every_time(embedder, true, &reference_decodes)(a.id, b.path, 0)));
    QCOMPARE(other_decodes, std::size_t(2));
}

void TestCalibrationDecode::unreadable_file_is_tried_once_and_gives_no_view() {
    const std::string broken = dir_.filePath("broken.jpg").toStdString();
    std::ofstream(broken) << "not a JPEG at all";
    std::size_t decodes = 0;
    const rv::EditedView view = rv::calibration_views(lib_->embedder(), kSeed, &decodes);
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
                                                rv::calibration_views(embedder, kSeed, &decodes), cancel);
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

QTEST_GUILESS_MAIN(TestCalibrationDecode)
#include "test_calibration_decode.moc"
