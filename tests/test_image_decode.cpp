// Decoding real and broken image files: what a user's folders contain.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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
    out.insert(out.end(), {0xFF, 0xE1, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len & 0xff)});
    out.insert(out.end(), app1.begin(), app1.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

}  // namespace

class TestImageDecode : public QObject {
    Q_OBJECT
private slots:
    void formats_data();
    void formats();
    void exif_orientation();
    void dct_reduction();
    void broken_data();
    void broken();
    void missing_file();
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
                                   << "cannot decode PNG";
    QTest::newRow("header only") << QByteArray(reinterpret_cast<const char*>(jpeg.data()), 20) << "truncated JPEG";
    // A PNG header claiming 30000 x 30000 pixels: refused before any allocation.
    auto bomb = png;
    const std::uint8_t side[4] = {0, 0, 0x75, 0x30};  // 30000, big-endian
    std::copy(side, side + 4, bomb.begin() + 16);
    std::copy(side, side + 4, bomb.begin() + 20);
    QTest::newRow("30000x30000 png") << QByteArray(reinterpret_cast<const char*>(bomb.data()), int(bomb.size()))
                                     << "image too large (30000x30000";
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

QTEST_APPLESS_MAIN(TestImageDecode)
#include "test_image_decode.moc"
