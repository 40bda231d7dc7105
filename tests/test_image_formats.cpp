// The formats phones and cameras write: HEIC and AVIF through libheif, camera RAW through its
// embedded preview (libraw), and the pictures RuVision cannot read, counted and named. Every file
// is made in the test (libheif's own encoders, a DNG written tag by tag) and decoded by the real
// engine; pixels are compared with the source.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli_runner.h"
#include "heif_raw_test_files.h"
#include "image_test_files.h"
#include "image/Flatten.h"
#include "image/ReaderProcess.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageFormats.h"
#include "ruvision/engine/Scanner.h"

namespace itf = image_test_files;
namespace hrf = heif_raw_test_files;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Mean absolute difference per sample between a decoded picture and an 8-bit BGR source.
double mean_diff(const rv::RgbImage& img, const cv::Mat& bgr) {
    if (img.width != bgr.cols || img.height != bgr.rows) return 1e9;
    double sum = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const cv::Vec3b s = bgr.at<cv::Vec3b>(y, x);
            const std::uint8_t* p = &img.data[(static_cast<std::size_t>(y) * img.width + x) * 3];
            sum += std::abs(p[0] - s[2]) + std::abs(p[1] - s[1]) + std::abs(p[2] - s[0]);
        }
    return sum / (3.0 * img.width * img.height);
}

// A smooth picture (lossy codecs keep it well): gradients and a soft disc.
cv::Mat smooth_picture(int w, int h) {
    cv::Mat m = itf::picture(w, h, w / 3, h / 2);
    cv::GaussianBlur(m, m, cv::Size(5, 5), 0);
    return m;
}

Bytes encode_or_fail(const cv::Mat& m, heif_compression_format f, int q, heif_orientation o = heif_orientation_normal,
                     int bits = 8, const Bytes& exif = {}) {
    std::string why;
    Bytes b = hrf::heif_encode(m, f, q, why, o, bits, exif);
    if (b.empty()) qWarning("encoder failed: %s", why.c_str());
    return b;
}

void write_file(const QString& path, const Bytes& b) {
    std::ofstream(path.toStdString(), std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

QString message(const rv::Result<rv::DecodedImage>& r) {
    return r.ok() ? QString("decoded %1x%2").arg(r->image.width).arg(r->image.height)
                  : QString::fromStdString(r.error().message);
}

}  // namespace

class TestImageFormats : public QObject {
    Q_OBJECT

private slots:
    void heic_decodes_to_the_source_pixels() {
        const cv::Mat src = smooth_picture(160, 120);
        const Bytes heic = encode_or_fail(src, heif_compression_HEVC, 90);
        QVERIFY(!heic.empty());
        auto d = rv::decode_image_bytes(heic, "photo.heic");
        QVERIFY2(d.ok(), qPrintable(message(d)));
        QCOMPARE(d->image.width, 160);
        QCOMPARE(d->image.height, 120);
        QCOMPARE(d->original_width, 160);
        const double diff = mean_diff(d->image, src);
        cv::Mat mirrored;
        cv::flip(src, mirrored, 1);
        qInfo("HEIC mean abs difference to the source %.2f, to its mirror %.2f", diff, mean_diff(d->image, mirrored));
        QVERIFY2(diff < 4.0, qPrintable(QString::number(diff)));
        QVERIFY(mean_diff(d->image, mirrored) > 4 * diff);
    }

    void avif_decodes_or_says_why_not() {
        const cv::Mat src = smooth_picture(96, 64);
        const Bytes avif = encode_or_fail(src, heif_compression_AV1, 90);
        QVERIFY(!avif.empty());
        auto d = rv::decode_image_bytes(avif, "photo.avif");
        if (!rv::avif_decoding_available()) {
            QVERIFY(!d.ok());
            QCOMPARE(QString::fromStdString(d.error().message),
                     QString("photo.avif: AVIF decoding is not available (libheif has no AV1 decoder on this system)"));
            QCOMPARE(QString::fromStdString(rv::unsupported_format("x/photo.AVIF")), QString("AVIF"));
            return;
        }
        QVERIFY2(d.ok(), qPrintable(message(d)));
        const double diff = mean_diff(d->image, src);
        qInfo("AVIF mean abs difference to the source %.2f", diff);
        QVERIFY2(diff < 4.0, qPrintable(QString::number(diff)));
        QCOMPARE(QString::fromStdString(rv::unsupported_format("x/photo.avif")), QString());
    }

    // Ten bits per sample (what iPhones write for HDR photos) come out as 8-bit pixels.
    void ten_bit_heic_is_scaled_to_eight_bits() {
        const cv::Mat src = smooth_picture(128, 96);
        const Bytes heic = encode_or_fail(src, heif_compression_HEVC, 90, heif_orientation_normal, 10);
        QVERIFY(!heic.empty());
        auto d = rv::decode_image_bytes(heic, "deep.heic");
        QVERIFY2(d.ok(), qPrintable(message(d)));
        const double diff = mean_diff(d->image, src);
        qInfo("10-bit HEIC mean abs difference to the source %.2f", diff);
        QVERIFY2(diff < 4.0, qPrintable(QString::number(diff)));
    }

    // irot/imir are applied once (by libheif); the EXIF orientation that says the same turn is
    // not applied a second time.
    void rotated_heic_is_turned_once() {
        const cv::Mat src = smooth_picture(160, 96);
        const Bytes heic = encode_or_fail(src, heif_compression_HEVC, 90, heif_orientation_rotate_90_cw, 8,
                                          hrf::exif_with_orientation(6));
        QVERIFY(!heic.empty());
        auto d = rv::decode_image_bytes(heic, "turned.heic");
        QVERIFY2(d.ok(), qPrintable(message(d)));
        QCOMPARE(d->image.width, 96);
        QCOMPARE(d->image.height, 160);
        cv::Mat cw, ccw;
        cv::rotate(src, cw, cv::ROTATE_90_CLOCKWISE);
        cv::rotate(src, ccw, cv::ROTATE_90_COUNTERCLOCKWISE);
        const double diff = mean_diff(d->image, cw);
        qInfo("turned HEIC: difference to the source turned clockwise %.2f, counter-clockwise %.2f", diff,
              mean_diff(d->image, ccw));
        QVERIFY2(diff < 4.0, qPrintable(QString::number(diff)));
        QVERIFY(mean_diff(d->image, ccw) > 4 * diff);
    }

    // Transparent pixels are shown over the same grey as PNG and WebP.
    void heic_alpha_is_composited_over_the_backdrop() {
        const int w = 128, h = 96;
        const cv::Mat rgb = smooth_picture(w, h);
        cv::Mat bgra(h, w, CV_8UC4), expected(h, w, CV_8UC3);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const cv::Vec3b c = rgb.at<cv::Vec3b>(y, x);
                const std::uint8_t a = x < w / 2 ? 255 : (x < 3 * w / 4 ? 128 : 0);
                bgra.at<cv::Vec4b>(y, x) = {c[0], c[1], c[2], a};
                for (int k = 0; k < 3; ++k) expected.at<cv::Vec3b>(y, x)[k] = rv::over_backdrop(c[k], a);
            }
        const Bytes heic = encode_or_fail(bgra, heif_compression_HEVC, 95);
        QVERIFY(!heic.empty());
        auto d = rv::decode_image_bytes(heic, "alpha.heic");
        QVERIFY2(d.ok(), qPrintable(message(d)));
        const double diff = mean_diff(d->image, expected);
        qInfo("HEIC with alpha: mean abs difference to the source over grey %.2f, to the source opaque %.2f", diff,
              mean_diff(d->image, rgb));
        QVERIFY2(diff < 5.0, qPrintable(QString::number(diff)));
        QVERIFY(mean_diff(d->image, rgb) > 3 * diff);
        // The fully transparent quarter is the backdrop itself.
        const std::uint8_t* p = &d->image.data[(static_cast<std::size_t>(h / 2) * w + w - 4) * 3];
        for (int k = 0; k < 3; ++k) QVERIFY2(std::abs(p[k] - int(rv::kTransparencyBackdrop)) <= 6, qPrintable(QString::number(p[k])));
    }

    void broken_heic_is_an_error_naming_the_file() {
        QTemporaryDir dir;
        const Bytes heic = encode_or_fail(smooth_picture(160, 120), heif_compression_HEVC, 90);
        QVERIFY(!heic.empty());
        const QString truncated = dir.filePath("truncated.heic"), corrupt = dir.filePath("corrupt.heic");
        write_file(truncated, Bytes(heic.begin(), heic.begin() + long(heic.size() * 6 / 10)));
        Bytes bad = heic;
        // The 'meta' box claims more bytes than the file has.
        auto at = std::search(bad.begin(), bad.end(), std::begin("meta"), std::begin("meta") + 4);
        QVERIFY(at != bad.end() && at - bad.begin() >= 4);
        std::fill(at - 4, at, 0x7f);
        write_file(corrupt, bad);
        for (const QString& f : {truncated, corrupt}) {
            auto d = rv::decode_image(f.toStdString());
            QVERIFY2(!d.ok(), qPrintable(f + ": " + message(d)));
            const QString m = message(d);
            qInfo("%s", qPrintable(m));
            QVERIFY2(m.startsWith(f + ": cannot decode HEIF ("), qPrintable(m));
        }
    }

    // libheif 1.15 would recurse until the stack overflows on an image derived from itself (the
    // input fuzz_image_decode found, kept in its corpus).
    void heic_derived_from_itself_is_refused() {
        const QString path = QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/regression_heif_derivation_loop.heic");
        auto d = rv::decode_image(path.toStdString());
        QCOMPARE(message(d), path + ": damaged HEIF (image derivations form a loop)");
    }

    // libheif 1.15 reads an 'iref' box's references back to back, ignoring each reference box's
    // size, so a loop can hide from a reader that follows the sizes (a reference box that claims
    // the next one, or one too short for what it holds): both are refused before libheif runs.
    // Each file decoded before the check read references both ways.
    void heic_loop_hidden_from_box_sizes_is_refused() {
        for (const char* name : {"regression_heif_loop_inside_reference_box.heic",
                                 "regression_heif_loop_short_reference_box.heic"}) {
            const QString path = QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/") + name;
            auto d = rv::decode_image(path.toStdString());
            QCOMPARE(message(d), path + ": damaged HEIF (image derivations form a loop)");
        }
    }

    // libraw 0.20 reads a wild pointer in parse_tiff_ifd on this damaged TIFF-based RAW (the input
    // fuzz_image_decode found, kept in its corpus): it runs in a child process, so the crash is
    // this file's error and the caller goes on; the next RAW still decodes.
    void libraw_crash_is_this_files_error() {
        const QString path =
            QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/regression_libraw_parse_tiff_ifd_crash.tif");
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray all = file.readAll();
        const Bytes bytes(all.begin(), all.end());
        QVERIFY(!bytes.empty());
        auto d = rv::decode_image_bytes(bytes, "damaged.dng");
        QVERIFY(!d.ok());
        QVERIFY2(message(d).startsWith("damaged.dng: "), qPrintable(message(d)));
        QVERIFY2(message(d).contains("crashed"), qPrintable(message(d)));
        const QString good = QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/small_preview.dng");
        auto next = rv::decode_image(good.toStdString());
        QVERIFY2(next.ok(), qPrintable(message(next)));
    }

    // libheif 1.15 spins for minutes on this 869-byte HEIF, its memory growing (the input
    // fuzz_image_decode found): libheif runs in a child process that is stopped when it takes too
    // long or grows too much, the file is in error and the next HEIF still decodes.
    void heic_that_hangs_libheif_is_stopped() {
        const QString path = QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/regression_heif_libheif_spins.heic");
        rv::DecodeOptions o;
        o.reader_seconds = 2;
        auto d = rv::decode_image(path.toStdString(), o);
        QVERIFY(!d.ok());
        QVERIFY2(message(d) == path + ": the HEIF reader (libheif) was still reading after 2 s" ||
                     message(d).startsWith(path + ": the HEIF reader (libheif) needed more than"),
                 qPrintable(message(d)));
        const QString good = QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/small.heic");
        auto next = rv::decode_image(good.toStdString());
        QVERIFY2(next.ok(), qPrintable(message(next)));
    }

    // libheif and libraw run in ruvision-reader, a program of its own beside this one (not a fork
    // of this threaded process); one that cannot be started, or that is not of this RuVision, is
    // an error for the file that says so.
    void reader_is_a_program_of_its_own() {
        const std::string helper = rv::reader_helper_path();
        QVERIFY2(QString::fromStdString(helper).endsWith("/ruvision-reader"), helper.c_str());
        QVERIFY(QFileInfo(QString::fromStdString(helper)).isExecutable());
        const QString good = QStringLiteral(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/small.heic");
        QTemporaryDir dir;
        const QString stale = dir.filePath("stale-reader");
        {
            QFile f(stale);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\nexit 64\n");
        }
        QVERIFY(QFile::setPermissions(stale, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        for (const auto& [reader, why] : {std::pair<QString, QString>{"/nonexistent/ruvision-reader", "No such file"},
                                          {stale, "belongs to another version of RuVision"}}) {
            qputenv("RUVISION_READER", reader.toLocal8Bit());
            auto d = rv::decode_image(good.toStdString());
            qunsetenv("RUVISION_READER");
            QVERIFY(!d.ok());
            QVERIFY2(message(d).startsWith(good + ": cannot start the HEIF reader (libheif): " + reader), qPrintable(message(d)));
            QVERIFY2(message(d).contains(why), qPrintable(message(d)));
        }
        auto next = rv::decode_image(good.toStdString());
        QVERIFY2(next.ok(), qPrintable(message(next)));
        // Run by hand, it says what it is and does nothing.
        QProcess p;
        p.start(QString::fromStdString(helper), {});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 64);
        QVERIFY(p.readAllStandardError().contains("started by RuVision itself"));
    }

    void huge_heic_is_refused_before_decoding() {
        const Bytes heic = encode_or_fail(smooth_picture(160, 120), heif_compression_HEVC, 50);
        QVERIFY(!heic.empty());
        rv::DecodeOptions o;
        o.max_pixels = 160 * 120 - 1;
        auto d = rv::decode_image_bytes(heic, "big.heic", o);
        QVERIFY(!d.ok());
        QVERIFY2(message(d).startsWith("big.heic: "), qPrintable(message(d)));
        QVERIFY2(message(d).contains("too large") || message(d).contains("limit"), qPrintable(message(d)));
    }

    // A DNG's embedded JPEG preview is what is decoded, turned by the RAW's orientation.
    void raw_preview_is_decoded_and_turned() {
        QTemporaryDir dir;
        const cv::Mat preview = smooth_picture(192, 128);
        const Bytes jpeg = itf::encode(preview, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
        auto direct = rv::decode_image_bytes(jpeg, "preview.jpg");
        QVERIFY(direct.ok());
        for (std::uint16_t orientation : {1, 6, 8, 3}) {
            const QString path = dir.filePath(QString("camera_%1.dng").arg(orientation));
            write_file(path, hrf::dng(64, 48, jpeg, 192, 128, orientation));
            auto d = rv::decode_image(path.toStdString());
            QVERIFY2(d.ok(), qPrintable(message(d)));
            cv::Mat expected(direct->image.height, direct->image.width, CV_8UC3);
            for (int y = 0; y < expected.rows; ++y)
                for (int x = 0; x < expected.cols; ++x) {
                    const std::uint8_t* p = &direct->image.data[(static_cast<std::size_t>(y) * expected.cols + x) * 3];
                    expected.at<cv::Vec3b>(y, x) = {p[2], p[1], p[0]};
                }
            if (orientation == 6) cv::rotate(expected, expected, cv::ROTATE_90_CLOCKWISE);
            if (orientation == 8) cv::rotate(expected, expected, cv::ROTATE_90_COUNTERCLOCKWISE);
            if (orientation == 3) cv::rotate(expected, expected, cv::ROTATE_180);
            QCOMPARE(mean_diff(d->image, expected), 0.0);  // the same JPEG decoded by the same decoder
        }
    }

    void raw_without_preview_says_so() {
        QTemporaryDir dir;
        const QString path = dir.filePath("bare.dng");
        write_file(path, hrf::dng(64, 48, {}, 0, 0));
        auto d = rv::decode_image(path.toStdString());
        QVERIFY(!d.ok());
        QVERIFY2(message(d).startsWith(path + ": ") && message(d).contains("no embedded preview"), qPrintable(message(d)));
        // Not a RAW at all, with a RAW's name: libraw's reason.
        const QString fake = dir.filePath("fake.nef");
        write_file(fake, Bytes(4096, 0x42));
        auto f = rv::decode_image(fake.toStdString());
        QVERIFY(!f.ok());
        QVERIFY2(message(f).startsWith(fake + ": cannot read camera RAW ("), qPrintable(message(f)));
    }

    void unsupported_pictures_are_named() {
        QTemporaryDir dir;
        const QString psd = dir.filePath("layers.psd"), gif = dir.filePath("anim.GIF");
        Bytes psd_bytes = {'8', 'B', 'P', 'S', 0, 1};
        psd_bytes.resize(256, 0);
        write_file(psd, psd_bytes);
        write_file(gif, itf::gif(32, 32));
        QCOMPARE(message(rv::decode_image(psd.toStdString())), psd + ": PSD is not supported");
        QCOMPARE(message(rv::decode_image(gif.toStdString())), gif + ": GIF is not supported");
        QCOMPARE(QString::fromStdString(rv::unsupported_format("a/b.Psd")), QString("PSD"));
        QCOMPARE(QString::fromStdString(rv::unsupported_format("a/b.jpg")), QString());
        QCOMPARE(QString::fromStdString(rv::unsupported_format("a/b.heic")), QString());  // libde265 is here
        QCOMPARE(QString::fromStdString(rv::unsupported_format("a/b.dng")), QString());

        const std::vector<rv::CatalogFileError> errors = {{1, "a/x.gif", "a/x.gif: GIF is not supported"},
                                                          {2, "a/y.GIF", "a/y.GIF: GIF is not supported"},
                                                          {3, "a/z.psd", "a/z.psd: PSD is not supported"},
                                                          {4, "a/broken.jpg", "a/broken.jpg: truncated JPEG"},
                                                          {5, "a/broken.heic", "a/broken.heic: cannot decode HEIF"}};
        const auto counts = rv::count_unsupported_formats(errors);
        QCOMPARE(counts.size(), std::size_t{2});
        QCOMPARE(QString::fromStdString(counts[0].format), QString("GIF"));
        QCOMPARE(counts[0].files, std::int64_t{2});
        QCOMPARE(QString::fromStdString(counts[1].format), QString("PSD"));
        QCOMPARE(counts[1].files, std::int64_t{1});
    }

    // The scanner lists them all: by extension, and HEIF/AVIF/DNG without one by their content.
    void scanner_lists_the_new_formats() {
        QTemporaryDir dir;
        const Bytes heic = encode_or_fail(smooth_picture(64, 48), heif_compression_HEVC, 50);
        const Bytes avif = encode_or_fail(smooth_picture(64, 48), heif_compression_AV1, 50);
        const Bytes jpeg = itf::encode(smooth_picture(64, 48), ".jpg");
        write_file(dir.filePath("a.HEIC"), heic);
        write_file(dir.filePath("b.avif"), avif);
        write_file(dir.filePath("c.CR2"), Bytes(64, 0));
        write_file(dir.filePath("d.psd"), Bytes(64, 0));
        write_file(dir.filePath("heic_without_extension"), heic);
        write_file(dir.filePath("avif_without_extension"), avif);
        write_file(dir.filePath("dng_without_extension"), hrf::dng(64, 48, jpeg, 64, 48));
        write_file(dir.filePath("notes.txt"), Bytes(64, 'x'));
        write_file(dir.filePath("text_without_extension"), Bytes(64, 'x'));
        QStringList found;
        for (const auto& f : rv::scan_images(dir.path().toStdString(), {}))
            found << QString::fromStdString(f.path.filename().string());
        QCOMPARE(found, QStringList({"a.HEIC", "avif_without_extension", "b.avif", "c.CR2", "d.psd",
                                     "dng_without_extension", "heic_without_extension"}));
        // What the content sniff found is decoded like a named file.
        auto d = rv::decode_image((dir.path() + "/dng_without_extension").toStdString());
        QVERIFY2(d.ok(), qPrintable(message(d)));
        QCOMPARE(d->image.width, 64);
    }

    void index_a_phone_and_camera_folder_with_the_cli();
};

// A user's folder as a phone and a camera fill it, indexed by ruvision-cli: the HEIC, AVIF and RAW
// are embedded and found; the broken ones are errors naming the file; GIF, PSD and SVG are counted
// and named by `status`. (Under ASan this once failed twice in a row: the HEIC's reader, then a
// fork of ruvision-cli taken while its embedding threads ran, never answered. Readers are now
// programs of their own, started with posix_spawn.)
void TestImageFormats::index_a_phone_and_camera_folder_with_the_cli() {
    QTemporaryDir dir;
    const QString photos = dir.filePath("photos"), lib = dir.filePath("lib");
    QVERIFY(QDir().mkpath(photos));
    auto in = [&](const char* name) { return photos + "/" + name; };
    const Bytes heic = encode_or_fail(itf::picture(320, 240, 100, 120), heif_compression_HEVC, 90);
    const Bytes avif = encode_or_fail(itf::picture(240, 320, 60, 200), heif_compression_AV1, 90);
    QVERIFY(!heic.empty() && !avif.empty());
    write_file(in("IMG_0001.HEIC"), heic);
    write_file(in("IMG_0002.avif"), avif);
    write_file(in("DSC_0003.dng"), hrf::dng(64, 48, itf::encode(itf::picture(300, 200, 220, 60), ".jpg"), 300, 200, 6));
    write_file(in("DSC_0004.dng"), hrf::dng(64, 48, {}, 0, 0));
    write_file(in("IMG_0005.heic"), Bytes(heic.begin(), heic.begin() + long(heic.size() / 2)));
    write_file(in("anim.gif"), itf::gif(64, 48));
    write_file(in("layers.psd"), Bytes(512, 0x38));
    const std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
    write_file(in("logo.svg"), Bytes(svg.begin(), svg.end()));

    auto run = cli_test::cli({"index", "--library", lib, "--json", photos});
    QVERIFY2(run.finished && run.code == 1, run.err.constData());
    const QJsonObject r = QJsonDocument::fromJson(run.lines.last()).object();
    QMap<QString, QString> reasons;
    QString all_reasons;  // named in a failure, so that a flaky run says which file failed and why
    for (const auto& e : r["errors"].toArray()) {
        reasons[QFileInfo(e.toObject()["path"].toString()).fileName()] = e.toObject()["reason"].toString();
        all_reasons += "\n  " + e.toObject()["reason"].toString();
    }
    QCOMPARE(r["found"].toInt(), 8);
    QVERIFY2(r["embedded"].toInt() == 3 && r["failed"].toInt() == 5,
             qPrintable(QString("embedded %1, failed %2:").arg(r["embedded"].toInt()).arg(r["failed"].toInt()) +
                        all_reasons));
    QVERIFY2(reasons["DSC_0004.dng"].startsWith(in("DSC_0004.dng") + ": camera RAW with no embedded preview"),
             qPrintable(reasons["DSC_0004.dng"]));
    QVERIFY2(reasons["IMG_0005.heic"].startsWith(in("IMG_0005.heic") + ": cannot decode HEIF ("), qPrintable(reasons["IMG_0005.heic"]));
    QCOMPARE(reasons["anim.gif"], in("anim.gif") + ": GIF is not supported");
    QCOMPARE(reasons["layers.psd"], in("layers.psd") + ": PSD is not supported");
    QCOMPARE(reasons["logo.svg"], in("logo.svg") + ": SVG is not supported");

    // Each readable one is found by itself first.
    for (const char* name : {"IMG_0001.HEIC", "IMG_0002.avif", "DSC_0003.dng"}) {
        auto s = cli_test::cli({"search", "--library", lib, "--json", "-k", "1", in(name)});
        QVERIFY2(s.code == 0 && !s.lines.isEmpty(), s.err.constData());
        QCOMPARE(QJsonDocument::fromJson(s.lines.first()).object()["path"].toString(), in(name));
    }

    auto st = cli_test::cli({"status", "--library", lib});
    QCOMPARE(st.code, 0);
    QVERIFY2(st.lines.contains("3 files in formats RuVision cannot read: 1 GIF, 1 PSD, 1 SVG"),
             qPrintable(st.lines.join('\n')));
    auto js = cli_test::cli({"status", "--library", lib, "--json"});
    QCOMPARE(js.code, 0);
    const QJsonObject u = QJsonDocument::fromJson(js.lines.last()).object()["unsupported"].toObject();
    QCOMPARE(u["files"].toInt(), 3);
    QCOMPARE(u["formats"].toArray().size(), 3);
    QCOMPARE(u["formats"].toArray()[0].toObject()["format"].toString(), QString("GIF"));
    QCOMPARE(u["formats"].toArray()[0].toObject()["files"].toInt(), 1);
}

QTEST_GUILESS_MAIN(TestImageFormats)
#include "test_image_formats.moc"
