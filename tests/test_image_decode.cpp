// Decoding real and broken image files: what a user's folders contain.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/wait.h>

#include "rss_bound.h"
#include "image/DecodeFailure.h"
#include "image/Flatten.h"
#include "image/ImageHeader.h"
#include "image/Preprocess.h"
#include "image_test_files.h"
#include "ruvision/engine/Image.h"

namespace {

std::vector<std::uint8_t> encode(const cv::Mat& bgr, const std::string& ext, std::vector<int> params = {}) {
    std::vector<std::uint8_t> out;
    cv::imencode(ext, bgr, out, params);
    return out;
}

void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A test picture with a distinct top-left quadrant (red) so orientation is observable.
cv::Mat picture(int w, int h) {
    cv::Mat m(h, w, CV_8UC3, cv::Scalar(40, 160, 40));
    cv::rectangle(m, cv::Rect(0, 0, w / 2, h / 2), cv::Scalar(0, 0, 255), cv::FILLED);
    return m;
}

// Inserts an EXIF APP1 segment with the given orientation right after the JPEG SOI marker.
std::vector<std::uint8_t> with_exif_orientation(const std::vector<std::uint8_t>& jpeg, int orientation) {
    const std::uint8_t tiff[] = {'I', 'I', 42, 0, 8, 0, 0, 0,                 // header, IFD0 at 8
                                 1, 0,                                         // one entry
                                 0x12, 0x01, 3, 0, 1, 0, 0, 0,                 // Orientation, SHORT, 1
                                 static_cast<std::uint8_t>(orientation), 0, 0, 0,
                                 0, 0, 0, 0};                                  // no next IFD
    std::vector<std::uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
    app1.insert(app1.end(), std::begin(tiff), std::end(tiff));
    const std::size_t len = app1.size() + 2;
    std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
    out.reserve(jpeg.size() + 4 + app1.size());  // one allocation (and no GCC 12 -Warray-bounds, PR 107852)
    out.insert(out.end(), {0xFF, 0xE1, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len & 0xff)});
    out.insert(out.end(), app1.begin(), app1.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

// Inserts an EXIF APP1 segment carrying `thumbnail` (a whole JPEG, as cameras embed their
// 160x120 preview: IFD1's JPEGInterchangeFormat) right after the JPEG SOI marker.
std::vector<std::uint8_t> with_exif_thumbnail(const std::vector<std::uint8_t>& jpeg,
                                              const std::vector<std::uint8_t>& thumbnail) {
    const auto n = static_cast<std::uint32_t>(thumbnail.size());
    const std::uint8_t tiff[] = {'I', 'I', 42, 0, 8, 0, 0, 0,                          // header, IFD0 at 8
                                 0, 0, 14, 0, 0, 0,                                    // IFD0: no entry, IFD1 at 14
                                 2, 0,                                                 // IFD1: two entries
                                 0x01, 0x02, 4, 0, 1, 0, 0, 0, 44, 0, 0, 0,            // thumbnail at 44
                                 0x02, 0x02, 4, 0, 1, 0, 0, 0,                         // its length
                                 std::uint8_t(n), std::uint8_t(n >> 8), std::uint8_t(n >> 16), 0,
                                 0, 0, 0, 0};                                          // no next IFD
    std::vector<std::uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
    app1.insert(app1.end(), std::begin(tiff), std::end(tiff));
    app1.insert(app1.end(), thumbnail.begin(), thumbnail.end());
    const std::size_t len = app1.size() + 2;
    std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
    out.reserve(jpeg.size() + 4 + app1.size());  // one allocation (and no GCC 12 -Warray-bounds, PR 107852)
    out.insert(out.end(), {0xFF, 0xE1, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len & 0xff)});
    out.insert(out.end(), app1.begin(), app1.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

// A camera-like JPEG: a w x h picture with an EXIF thumbnail of it.
std::vector<std::uint8_t> jpeg_with_thumbnail(int w, int h) {
    cv::Mat thumb;
    cv::resize(picture(w, h), thumb, cv::Size(160, 120), 0, 0, cv::INTER_AREA);
    return with_exif_thumbnail(encode(picture(w, h), ".jpg"), encode(thumb, ".jpg"));
}

QByteArray bytes_of(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<int>(v.size()));
}

}  // namespace

class TestImageDecode : public QObject {
    Q_OBJECT
private slots:
    void formats_data();
    void formats();
    void exif_orientation();
    void dct_reduction();
    void webp_reduction_data();
    void webp_reduction();
    void broken_data();
    void broken();
    void missing_file();
    void same_pixels_as_opencv_data();
    void same_pixels_as_opencv();
    void not_regular_files();
    void refused_by_header_before_reading();
    void header_reader_walks_markers_like_libjpeg();
    void failure_reason_of_a_png_with_an_empty_header();
    void bomb_behind_stray_byte_stays_small();
    void decoder_size_bounded_when_header_is_silent();
    void preprocess_same_size_data();
    void preprocess_same_size();
};

void TestImageDecode::formats_data() {
    QTest::addColumn<QString>("ext");
    for (const char* e : {".jpg", ".png", ".webp", ".tiff", ".bmp"}) QTest::newRow(e) << QString(e);
}

void TestImageDecode::formats() {
    QFETCH(QString, ext);
    QTemporaryDir dir;
    const std::string path = dir.filePath("pic" + ext).toStdString();
    write(path, encode(picture(97, 61), ext.toStdString()));
    auto d = rv::decode_image(path);
    QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
    QCOMPARE(d->image.width, 97);
    QCOMPARE(d->image.height, 61);
    QCOMPARE(d->original_width, 97);
    QCOMPARE(d->reduction, 1);
    // RGB order: the top-left quadrant is red.
    const auto* p = d->image.data.data();
    QVERIFY(p[0] > 200 && p[1] < 60 && p[2] < 60);
}

void TestImageDecode::exif_orientation() {
    // Orientation 6: the stored pixels must be rotated 90 degrees clockwise for display.
    const auto jpeg = with_exif_orientation(encode(picture(120, 80), ".jpg"), 6);
    auto d = rv::decode_image_bytes(jpeg, "rotated.jpg");
    QVERIFY(d.ok());
    QCOMPARE(d->image.width, 80);
    QCOMPARE(d->image.height, 120);
    // After a clockwise turn the red (stored top-left) quadrant is at the top-right.
    const auto& img = d->image;
    auto px = [&](int x, int y, int c) { return img.data[(y * img.width + x) * 3 + c]; };
    QVERIFY(px(img.width - 5, 5, 0) > 200);
    QVERIFY(px(5, 5, 0) < 100);
}

void TestImageDecode::dct_reduction() {
    const auto jpeg = encode(picture(2000, 1600), ".jpg");
    rv::DecodeOptions opt;
    opt.min_side = 224;  // 1600 / 4 = 400 >= 224, 1600 / 8 = 200 < 224
    auto d = rv::decode_image_bytes(jpeg, "big.jpg", opt);
    QVERIFY(d.ok());
    QCOMPARE(d->reduction, 4);
    QCOMPARE(d->image.width, 500);
    QCOMPARE(d->image.height, 400);
    QCOMPARE(d->original_width, 2000);
    opt.min_side = 0;
    d = rv::decode_image_bytes(jpeg, "big.jpg", opt);
    QCOMPARE(d->reduction, 1);
    QCOMPARE(d->image.width, 2000);
}

// WebP is decoded by libwebp, scaled while it leaves YUV: the reference is OpenCV's full-size
// decode, flattened over the backdrop by hand, brought down by area averaging (INTER_AREA).
void TestImageDecode::webp_reduction_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("min_side");
    QTest::addColumn<int>("reduction");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    // A smooth gradient (no edge a different filter would move) with the red quadrant on top.
    cv::Mat smooth(1603, 2001, CV_8UC3);
    for (int y = 0; y < smooth.rows; ++y)
        for (int x = 0; x < smooth.cols; ++x)
            smooth.at<cv::Vec3b>(y, x) = {static_cast<std::uint8_t>(x * 255 / smooth.cols),
                                          static_cast<std::uint8_t>(y * 255 / smooth.rows), 90};
    cv::rectangle(smooth, cv::Rect(0, 0, 1000, 800), cv::Scalar(0, 0, 255), cv::FILLED);
    const auto lossy = encode(smooth, ".webp", {cv::IMWRITE_WEBP_QUALITY, 90});
    QTest::newRow("lossy 2001x1603, 1/4") << bytes_of(lossy) << 224 << 4 << 501 << 401;
    QTest::newRow("lossy 2001x1603, 1/8") << bytes_of(lossy) << 200 << 8 << 251 << 201;
    QTest::newRow("lossy 2001x1603, full size") << bytes_of(lossy) << 0 << 1 << 2001 << 1603;
    QTest::newRow("lossy 2001x1603, 1/2 (asked 700)") << bytes_of(lossy) << 700 << 2 << 1001 << 802;
    // Lossless with alpha: the left half transparent, the right half half-covered.
    cv::Mat bgra;
    cv::cvtColor(smooth(cv::Rect(0, 0, 1800, 1000)), bgra, cv::COLOR_BGR2BGRA);
    for (int y = 0; y < bgra.rows; ++y)
        for (int x = 0; x < bgra.cols; ++x) bgra.at<cv::Vec4b>(y, x)[3] = x < 900 ? 0 : 128;
    QTest::newRow("lossless with alpha 1800x1000, 1/4")
        << bytes_of(encode(bgra, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101})) << 224 << 4 << 450 << 250;
}

void TestImageDecode::webp_reduction() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, min_side);
    QFETCH(int, reduction);
    QFETCH(int, width);
    QFETCH(int, height);
    const std::vector<std::uint8_t> v(bytes.begin(), bytes.end());
    rv::DecodeOptions opt;
    opt.min_side = min_side;
    auto d = rv::decode_image_bytes(v, "pic.webp", opt);
    QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
    QCOMPARE(d->reduction, reduction);
    QCOMPARE(d->image.width, width);
    QCOMPARE(d->image.height, height);
    const cv::Mat full = cv::imdecode(v, cv::IMREAD_UNCHANGED);
    QCOMPARE(d->original_width, full.cols);
    QCOMPARE(d->original_height, full.rows);
    cv::Mat rgb(full.rows, full.cols, CV_8UC3);
    for (int y = 0; y < full.rows; ++y)
        for (int x = 0; x < full.cols; ++x) {
            const std::uint8_t* p = full.ptr<std::uint8_t>(y) + x * full.channels();
            const unsigned a = full.channels() == 4 ? p[3] : 255;
            for (int c = 0; c < 3; ++c) rgb.at<cv::Vec3b>(y, x)[c] = rv::over_backdrop(p[2 - c], a);
        }
    cv::Mat ref;
    cv::resize(rgb, ref, cv::Size(width, height), 0, 0, cv::INTER_AREA);
    const cv::Mat got(height, width, CV_8UC3, d->image.data.data());
    cv::Mat diff;
    cv::absdiff(got, ref, diff);
    const double mean = cv::mean(diff.reshape(1))[0];
    if (reduction == 1) QCOMPARE(mean, 0.0);  // the same decoder at full size: the same pixels
    QVERIFY2(mean < 1.0, qPrintable(QString("mean absolute difference %1").arg(mean)));
    // The interior of the red quadrant (or of the transparent half) keeps its colour.
    const std::uint8_t* p = d->image.data.data() + ((height / 8) * width + width / 8) * 3;
    QVERIFY2(std::abs(p[0] - ref.at<cv::Vec3b>(height / 8, width / 8)[0]) <= 2, "top-left colour");
}

void TestImageDecode::broken_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    const auto jpeg = encode(picture(300, 200), ".jpg");
    const auto png = encode(picture(300, 200), ".png");
    QTest::newRow("zero bytes") << QByteArray() << "empty file";
    QTest::newRow("text") << QByteArray("hello, I am not a picture\n") << "not an image";
    QTest::newRow("truncated jpeg") << QByteArray(reinterpret_cast<const char*>(jpeg.data()), int(jpeg.size() / 2))
                                    << "truncated JPEG";
    QTest::newRow("truncated png") << QByteArray(reinterpret_cast<const char*>(png.data()), int(png.size() / 2))
                                   << "truncated PNG";
    QTest::newRow("header only") << QByteArray(reinterpret_cast<const char*>(jpeg.data()), 20) << "truncated JPEG";
    const auto webp = encode(picture(300, 200), ".webp");
    QTest::newRow("truncated webp") << QByteArray(reinterpret_cast<const char*>(webp.data()), int(webp.size() / 2))
                                    << "truncated WebP";
    {
        // An extended WebP whose flags say animation (a 64x48 canvas, one empty ANIM chunk).
        std::vector<std::uint8_t> anim{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
                                       0x02, 0, 0, 0, 63, 0, 0, 47, 0, 0, 'A', 'N', 'I', 'M', 6, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        const auto riff = static_cast<std::uint32_t>(anim.size() - 8);
        for (int i = 0; i < 4; ++i) anim[4 + i] = static_cast<std::uint8_t>(riff >> (8 * i));
        QTest::newRow("animated webp") << bytes_of(anim) << "animated WebP is not supported";
    }
    // A PNG header claiming 30000 x 30000 pixels: refused before any allocation.
    auto bomb = png;
    const std::uint8_t side[4] = {0, 0, 0x75, 0x30};  // 30000, big-endian
    std::copy(side, side + 4, bomb.begin() + 16);
    std::copy(side, side + 4, bomb.begin() + 20);
    QTest::newRow("30000x30000 png") << QByteArray(reinterpret_cast<const char*>(bomb.data()), int(bomb.size()))
                                     << "image too large (30000x30000";
    // Headers we accept but the decoders reject: each an error with its reason, never a black
    // picture (cv::imdecode leaves its output untouched when a decoder refuses a header).
    namespace itf = image_test_files;
    QTest::newRow("gif") << bytes_of(itf::gif(64, 48)) << "GIF is not supported";
    QTest::newRow("png with a bad IHDR checksum") << bytes_of(itf::png_with_bad_header_crc(40, 30))
                                                  << "damaged PNG (IHDR chunk checksum mismatch)";
    QTest::newRow("jpeg with a bogus huffman table") << bytes_of(itf::jpeg_with_bad_huffman_table(40, 30))
                                                     << "damaged JPEG (Bogus Huffman table definition)";
    QTest::newRow("7-bit bmp") << bytes_of(itf::bmp_7_bits(40, 30)) << "unsupported BMP (7 bits per pixel)";
    // Height 0 in the frame header (to come in a DNL marker): libjpeg-turbo refuses it.
    auto dnl = encode(picture(40, 30), ".jpg");
    const std::size_t sof = itf::find_marker(dnl, 0xC0);
    dnl[sof + 5] = dnl[sof + 6] = 0;
    QTest::newRow("jpeg with its height in a DNL marker") << bytes_of(dnl) << "damaged JPEG (Empty JPEG image (DNL not supported))";
    // Found by fuzz_image_decode: a RIFF/WEBP file libwebp's header check rejects, with "DICM" at
    // offset 128, went to OpenCV's DICOM reader, whose GDCM aborted the process.
    {
        std::ifstream f(RUVISION_TEST_DATA "/../fuzz/corpus/image_decode/regression_webp_dicom_abort.webp", std::ios::binary);
        const std::vector<std::uint8_t> webp{std::istreambuf_iterator<char>(f), {}};
        QVERIFY(webp.size() > 132);
        QTest::newRow("webp that OpenCV would hand to GDCM") << bytes_of(webp) << "damaged WebP (not a WebP header libwebp reads)";
        // The same with "DTED" at offset 140: OpenCV's GDAL reader would parse a temporary copy.
        auto dted = webp;
        dted.resize(200, 0);
        std::copy_n("DTED", 4, dted.begin() + 140);
        std::copy_n("XXXX", 4, dted.begin() + 128);
        QTest::newRow("webp that OpenCV would hand to GDAL") << bytes_of(dted) << "damaged WebP (not a WebP header libwebp reads)";
    }
    // A decompression bomb hidden behind a stray byte before the frame header (libjpeg skips it).
    QTest::newRow("jpeg 30000x30000 behind a stray byte")
        << bytes_of(itf::jpeg_bomb_behind_stray_byte(30000, 30000)) << "image too large (30000x30000";
    // An interrupted copy of a camera JPEG: the EXIF thumbnail's end-of-image marker is within the
    // last 64 KiB, but the main image stops halfway through its scan.
    const auto camera = jpeg_with_thumbnail(600, 400);
    const std::size_t scan = camera.size() - jpeg.size();  // the main image starts after the APP1
    QVERIFY(camera.size() < 65536);
    QTest::newRow("truncated jpeg with exif thumbnail")
        << bytes_of(std::vector<std::uint8_t>(camera.begin(), camera.begin() + scan + (camera.size() - scan) / 2))
        << "truncated JPEG";
}

void TestImageDecode::broken() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const std::string path = dir.filePath("broken.jpg").toStdString();
    write(path, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    auto d = rv::decode_image(path);
    QVERIFY(!d.ok());
    const QString msg = QString::fromStdString(d.error().message);
    QVERIFY2(msg.startsWith(QString::fromStdString(path)), qPrintable(msg));
    QVERIFY2(msg.contains(reason), qPrintable(msg));
}

void TestImageDecode::missing_file() {
    auto d = rv::decode_image("/nonexistent/dir/photo.jpg");
    QVERIFY(!d.ok());
    QVERIFY(QString::fromStdString(d.error().message).contains("no such file"));
}

// decode_image decodes into the output buffer and swaps channels in place; the reference is
// OpenCV's own decode followed by cvtColor, on odd sizes (DCT scaling rounds up), EXIF rotation
// (the decoder's own buffer) and an embedded thumbnail (the header must be the main image's).
void TestImageDecode::same_pixels_as_opencv_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("min_side");
    QTest::addColumn<int>("flags");
    QTest::addColumn<int>("reduction");
    QTest::newRow("jpeg 2001x1603, 1/4") << bytes_of(encode(picture(2001, 1603), ".jpg")) << 224
                                         << int(cv::IMREAD_REDUCED_COLOR_4) << 4;
    QTest::newRow("jpeg 1803x1795, 1/8") << bytes_of(encode(picture(1803, 1795), ".jpg")) << 224
                                         << int(cv::IMREAD_REDUCED_COLOR_8) << 8;
    QTest::newRow("jpeg 13x7 full") << bytes_of(encode(picture(13, 7), ".jpg")) << 224 << int(cv::IMREAD_COLOR) << 1;
    QTest::newRow("jpeg exif rotated, 1/2") << bytes_of(with_exif_orientation(encode(picture(1001, 601), ".jpg"), 6))
                                            << 224 << int(cv::IMREAD_REDUCED_COLOR_2) << 2;
    QTest::newRow("jpeg with thumbnail, 1/2") << bytes_of(jpeg_with_thumbnail(1124, 666)) << 224
                                              << int(cv::IMREAD_REDUCED_COLOR_2) << 2;
    QTest::newRow("png 124x13") << bytes_of(encode(picture(124, 13), ".png")) << 0 << int(cv::IMREAD_COLOR) << 1;
    QTest::newRow("webp 33x125") << bytes_of(encode(picture(33, 125), ".webp")) << 0 << int(cv::IMREAD_COLOR) << 1;
}

void TestImageDecode::same_pixels_as_opencv() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, min_side);
    QFETCH(int, flags);
    QFETCH(int, reduction);
    const std::vector<std::uint8_t> v(bytes.begin(), bytes.end());
    rv::DecodeOptions opt;
    opt.min_side = min_side;
    auto d = rv::decode_image_bytes(v, "pic", opt);
    QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
    QCOMPARE(d->reduction, reduction);
    cv::Mat ref = cv::imdecode(v, flags);
    cv::cvtColor(ref, ref, cv::COLOR_BGR2RGB);
    QCOMPARE(d->image.width, ref.cols);
    QCOMPARE(d->image.height, ref.rows);
    QCOMPARE(d->image.data.size(), ref.total() * 3);
    QVERIFY(std::equal(d->image.data.begin(), d->image.data.end(), ref.data));
}

void TestImageDecode::not_regular_files() {
    QTemporaryDir dir;
    // A FIFO must be refused without opening it for a blocking read (that would wait for a writer).
    const std::string fifo = dir.filePath("pipe.jpg").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0644), 0);
    auto d = rv::decode_image(fifo);
    QVERIFY(!d.ok());
    QVERIFY2(QString::fromStdString(d.error().message).contains("not a regular file"), d.error().message.c_str());
    d = rv::decode_image(dir.path().toStdString());
    QVERIFY(!d.ok());
    QVERIFY2(QString::fromStdString(d.error().message).contains("is a directory"), d.error().message.c_str());
    const std::string link = dir.filePath("gone.jpg").toStdString();
    QCOMPARE(::symlink(dir.filePath("nothing-here.jpg").toStdString().c_str(), link.c_str()), 0);
    d = rv::decode_image(link);
    QVERIFY(!d.ok());
    QVERIFY2(QString::fromStdString(d.error().message).contains("no such file"), d.error().message.c_str());
}

// A 24-bit BMP announcing 20000 x 20000 pixels, 1.2 GB long (a hole on disk): refused from its
// first bytes, without reading the file into memory.
void TestImageDecode::refused_by_header_before_reading() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("scan.bmp").toStdString();
    const std::uint32_t side = 20000, data = side * 3 * side;
    auto le32 = [](std::uint32_t x) {
        return std::vector<std::uint8_t>{std::uint8_t(x), std::uint8_t(x >> 8), std::uint8_t(x >> 16), std::uint8_t(x >> 24)};
    };
    std::vector<std::uint8_t> h = {'B', 'M'};
    for (auto part : {le32(54 + data), le32(0), le32(54), le32(40), le32(side), le32(side),
                      std::vector<std::uint8_t>{1, 0, 24, 0}, le32(0), le32(data), le32(2835), le32(2835), le32(0), le32(0)})
        h.insert(h.end(), part.begin(), part.end());
    write(path, h);
    QCOMPARE(::truncate(path.c_str(), 54 + static_cast<off_t>(data)), 0);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    auto d = rv::decode_image(path);
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    QVERIFY(!d.ok());
    QVERIFY2(QString::fromStdString(d.error().message).contains("image too large (20000x20000"), d.error().message.c_str());
    // Peak resident memory grew by far less than the file (KiB).
    QVERIFY2(after.ru_maxrss - before.ru_maxrss < 100 * 1024 * rv_test::kRssSlack,
             qPrintable(QString("peak RSS grew by %1 MiB").arg((after.ru_maxrss - before.ru_maxrss) / 1024)));
}

// The header reader finds the frame size libjpeg will use: stray bytes and 0xFF fill before a
// marker are skipped, the first SOFn counts, whatever kind it is.
void TestImageDecode::header_reader_walks_markers_like_libjpeg() {
    auto bomb = image_test_files::jpeg_bomb_behind_stray_byte(30000, 20000);
    auto h = rv::sniff_image_header(bomb.data(), bomb.size());
    QCOMPARE(h.format, rv::ImageFormat::Jpeg);
    QCOMPARE(h.width, 30000);
    QCOMPARE(h.height, 20000);
    QVERIFY(h.jpeg_scan_offset > 0);
    // Fill bytes (any number of 0xFF) before the SOF marker, and a progressive frame (SOF2).
    const std::size_t sof = image_test_files::find_marker(bomb, 0xC0);
    bomb.insert(bomb.begin() + static_cast<std::ptrdiff_t>(sof), {0xFF, 0xFF, 0xFF});
    bomb[image_test_files::find_marker(bomb, 0xC0) + 1] = 0xC2;
    h = rv::sniff_image_header(bomb.data(), bomb.size());
    QCOMPARE(h.width, 30000);
    QCOMPARE(h.height, 20000);
    // Every prefix and a zero segment length: no read outside the bytes, no endless loop.
    bomb[4] = 0;
    bomb[5] = 0;
    for (std::size_t n = 0; n <= bomb.size(); ++n) (void)rv::sniff_image_header(bomb.data(), n);
}

// An IHDR chunk of length 0 with a valid checksum, the file ending 4 bytes later: the diagnosis
// read the header's fields past the end (found by review, ASan in the fuzz replay; the file is
// tests/fuzz/corpus/image_header/regression_empty_ihdr.png).
void TestImageDecode::failure_reason_of_a_png_with_an_empty_header() {
    image_test_files::Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    image_test_files::png_chunk(png, "IHDR", {});
    png.resize(png.size() + 4, 0);
    QCOMPARE(png.size(), std::size_t{24});
    QCOMPARE(QString::fromStdString(rv::decode_failure_reason(rv::ImageFormat::Png, png.data(), png.size())),
             QString("damaged PNG (invalid IHDR header)"));
}

// The 634-byte JPEG of issue 8 hid 30000 x 30000 pixels behind one stray byte: decoding it took
// 2.6 GB. Decoded in a child process, so its peak resident memory is its own.
void TestImageDecode::bomb_behind_stray_byte_stays_small() {
    const auto bomb = image_test_files::jpeg_bomb_behind_stray_byte(30000, 30000);
    QVERIFY(bomb.size() < 1024);
    int pipefd[2];
    QCOMPARE(::pipe(pipefd), 0);
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        ::close(pipefd[0]);
        auto d = rv::decode_image_bytes(bomb, "bomb.jpg");
        const std::string msg = d.ok() ? "decoded" : d.error().message;
        (void)!::write(pipefd[1], msg.data(), msg.size());
        ::_exit(0);
    }
    ::close(pipefd[1]);
    std::string msg;
    char buf[512];
    for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;) msg.append(buf, static_cast<std::size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    rusage usage{};
    QCOMPARE(::wait4(child, &status, 0, &usage), child);
    QVERIFY(WIFEXITED(status));
    QVERIFY2(QString::fromStdString(msg).startsWith("bomb.jpg: image too large (30000x30000"), msg.c_str());
    QVERIFY2(usage.ru_maxrss < 200 * 1024 * rv_test::kRssSlack, qPrintable(QString("peak RSS %1 MiB").arg(usage.ru_maxrss / 1024)));
}

// A TIFF whose width is stored as a signed SHORT: the header reader does not take that type
// (size unknown), libtiff does. The limit still holds, at the decoder's own allocation.
void TestImageDecode::decoder_size_bounded_when_header_is_silent() {
    auto tiff = encode(picture(300, 200), ".tiff");
    QCOMPARE(int(tiff[0]), int('I'));
    const std::size_t ifd = tiff[4] | (tiff[5] << 8) | (tiff[6] << 16) | (std::size_t{tiff[7]} << 24);
    const std::size_t entries = tiff[ifd] | (tiff[ifd + 1] << 8);
    bool patched = false;
    for (std::size_t e = 0; e < entries; ++e) {
        const std::size_t at = ifd + 2 + 12 * e;
        if ((tiff[at] | (tiff[at + 1] << 8)) == 256 && tiff[at + 2] == 3) {  // ImageWidth, SHORT
            tiff[at + 2] = 8;                                                  // SSHORT
            patched = true;
        }
    }
    QVERIFY(patched);
    QCOMPARE(rv::sniff_image_header(tiff.data(), tiff.size()).width, 0);
    auto d = rv::decode_image_bytes(tiff, "scan.tiff");  // within the default limit: decoded
    QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
    QCOMPARE(d->image.width, 300);
    rv::DecodeOptions small;
    small.max_pixels = 50'000;
    d = rv::decode_image_bytes(tiff, "scan.tiff", small);
    QVERIFY(!d.ok());
    QVERIFY2(QString::fromStdString(d.error().message).startsWith("scan.tiff: image too large (300x200 pixels"),
             d.error().message.c_str());
}

// The preprocess skips the bilinear resize when the image already has the input size (after the
// area downscale, always): the result must be the reference resize's, bit for bit, on odd shapes
// and with and without the mirror.
void TestImageDecode::preprocess_same_size_data() {
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::addColumn<bool>("mirror");
    QTest::newRow("224x224") << 224 << 224 << false;
    QTest::newRow("224x224 mirrored") << 224 << 224 << true;
    QTest::newRow("13x7") << 13 << 7 << false;
    QTest::newRow("1x1") << 1 << 1 << false;
    QTest::newRow("124x1 mirrored") << 124 << 1 << true;
}

void TestImageDecode::preprocess_same_size() {
    QFETCH(int, w);
    QFETCH(int, h);
    QFETCH(bool, mirror);
    rv::RgbImage img{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 3)};
    for (std::size_t i = 0; i < img.data.size(); ++i) img.data[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
    rv::Preprocess p;
    p.scale = 1.0f / 127.5f;  // MobileNet's [-1, 1]
    p.offset = -1.0f;
    std::vector<float> fast;
    rv::preprocess_image(img, p, w, h, mirror, fast);
    rv::RgbImage src = img;
    if (mirror)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w / 2; ++x)
                for (int c = 0; c < 3; ++c)
                    std::swap(src.data[(y * w + x) * 3 + c], src.data[(y * w + (w - 1 - x)) * 3 + c]);
    std::vector<float> ref(fast.size());
    rv::resize_bilinear_align_corners(src, w, h, p.scale, p.offset, ref.data());
    QCOMPARE(fast.size(), static_cast<std::size_t>(w) * h * 3);
    QVERIFY(std::memcmp(fast.data(), ref.data(), ref.size() * sizeof(float)) == 0);
}

QTEST_APPLESS_MAIN(TestImageDecode)
#include "test_image_decode.moc"
