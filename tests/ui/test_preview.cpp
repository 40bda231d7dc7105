// The preview: decoding off the GUI thread, fit, zoom and pan, errors, stale results, EXIF
// orientation and the decode cap, on real photos (copied from the desktop packages) offscreen.
#include <cstdlib>

#include <QBuffer>
#include <QDirIterator>
#include <QImageReader>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QWheelEvent>
#include <QtTest>

#include <algorithm>

#include "PreviewWidget.h"

using rv::ui::PreviewWidget;

namespace {

// A real photo (JPEG) at least `minSide` wide from the desktop packages; empty if none.
QString findPhoto(int minSide, int maxSide = 1 << 30) {
    for (const char* root : {"/usr/share/backgrounds", "/usr/share/wallpapers"}) {
        QDirIterator it(QString::fromLatin1(root), {QStringLiteral("*.jpg")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QSize size = QImageReader(path).size();
            if (size.width() >= minSide && size.width() <= maxSide) return path;
        }
    }
    return {};
}

QString copyInto(const QTemporaryDir& dir, const QString& source, const QString& name) {
    const QString target = dir.filePath(name);
    QFile::remove(target);
    return QFile::copy(source, target) ? target : QString();
}

QColor meanColor(const QImage& image, const QRect& rect) {
    qint64 r = 0, g = 0, b = 0, n = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            r += qRed(p), g += qGreen(p), b += qBlue(p), ++n;
        }
    return QColor(int(r / n), int(g / n), int(b / n));
}

// A JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6).
QByteArray jpegWithOrientation(const QImage& image, quint16 orientation) {
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 95);
    QByteArray tiff("MM\x00\x2a\x00\x00\x00\x08", 8);       // big-endian, IFD0 at 8
    tiff += QByteArray("\x00\x01", 2);                      // one entry
    tiff += QByteArray("\x01\x12\x00\x03\x00\x00\x00\x01", 8);  // Orientation, SHORT, count 1
    tiff += char(orientation >> 8), tiff += char(orientation & 0xff), tiff += QByteArray(2, '\0');
    tiff += QByteArray(4, '\0');  // no next IFD
    const QByteArray app1 = QByteArray("Exif\0\0", 6) + tiff;
    const int length = int(app1.size()) + 2;
    jpeg.insert(2, QByteArray("\xff\xe1", 2) + char(length >> 8) + char(length & 0xff) + app1);
    return jpeg;
}

quint32 crc32(const QByteArray& data) {
    quint32 crc = 0xffffffffu;
    for (char ch : data) {
        crc ^= quint8(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray be32(quint32 v) {
    return QByteArray(1, char(v >> 24)) + char((v >> 16) & 0xff) + char((v >> 8) & 0xff) + char(v & 0xff);
}

// A valid PNG header claiming width x height RGB pixels, with one row of data.
QByteArray pngClaiming(quint32 width, quint32 height) {
    auto chunk = [](const char* type, const QByteArray& body) {
        const QByteArray typed = QByteArray(type) + body;
        return be32(quint32(body.size())) + typed + be32(crc32(typed));
    };
    const QByteArray ihdr = be32(width) + be32(height) + QByteArray("\x08\x02\x00\x00\x00", 5);
    const QByteArray row = qCompress(QByteArray(int(width) * 3 + 1, '\0')).mid(4);  // zlib stream
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", row) + chunk("IEND", {});
}

}  // namespace

class TestPreview : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void preview_loads_a_photo_in_fit_mode();
    void preview_zooms_and_pans();
    void preview_wheel_zooms_around_the_cursor();
    void preview_reports_corrupt_and_missing_files();
    void preview_drops_a_stale_result();
    void preview_applies_exif_orientation();
    void preview_draws_transparency_over_grey();
    void preview_caps_the_decode_size();
    void preview_keeps_a_big_square_jpeg_under_the_allocation_limit();
    void preview_survives_a_huge_png();
    void preview_double_click_opens_when_asked();


private:
    // Loads `path` in a shown 640x480 preview and waits for the result.
    bool load(PreviewWidget& w, const QString& path);

    QTemporaryDir dir_;
    QString photo_;  // a copy of a real photo in dir_
    QSize photoSize_;
};

void TestPreview::initTestCase() {
    QVERIFY(dir_.isValid());
    const QString source = findPhoto(1600, 6000);
    if (source.isEmpty()) QSKIP("no JPEG photo in /usr/share/backgrounds or /usr/share/wallpapers");
    photo_ = copyInto(dir_, source, QStringLiteral("photo.jpg"));
    QVERIFY(!photo_.isEmpty());
    photoSize_ = QImageReader(photo_).size();
}

void TestPreview::cleanupTestCase() {
    QThreadPool::globalInstance()->waitForDone();  // no worker outlives the temporary folders
}

bool TestPreview::load(PreviewWidget& w, const QString& path) {
    w.resize(640, 480);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return false;
    QSignalSpy spy(&w, &PreviewWidget::loaded);
    w.setImage(path);
    return spy.wait(20000) && spy.count() == 1;
}

void TestPreview::preview_loads_a_photo_in_fit_mode() {
    PreviewWidget w;
    w.resize(640, 480);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy spy(&w, &PreviewWidget::loaded);
    w.setImage(photo_);
    QVERIFY(w.isLoading());
    QVERIFY(spy.wait(20000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toBool(), true);
    QVERIFY(spy.at(0).at(1).toString().isEmpty());
    QVERIFY(w.hasImage());
    QCOMPARE(w.imageSize(), photoSize_);
    QVERIFY(w.isFitMode());

    // Fit: the whole photo inside the viewport, touching it on one axis (the photo is larger).
    const QSize vp = w.viewport()->size();
    const double expected = std::min(double(vp.width()) / photoSize_.width(), double(vp.height()) / photoSize_.height());
    QVERIFY(expected < 1.0);
    QVERIFY2(qAbs(w.zoomFactor() - expected) < 1e-9, qPrintable(QString::number(w.zoomFactor())));

    // What is painted at the centre is the photo's centre.
    const QImage shot = w.viewport()->grab().toImage();
    const QImage reference = QImage(photo_).scaled((QSizeF(photoSize_) * expected).toSize(), Qt::IgnoreAspectRatio,
                                                   Qt::SmoothTransformation);
    const QColor painted = meanColor(shot, QRect(shot.rect().center() - QPoint(8, 8), QSize(16, 16)));
    const QColor truth = meanColor(reference, QRect(reference.rect().center() - QPoint(8, 8), QSize(16, 16)));
    QVERIFY2(qAbs(painted.red() - truth.red()) + qAbs(painted.green() - truth.green()) +
                     qAbs(painted.blue() - truth.blue()) < 40,
             qPrintable(painted.name() + QStringLiteral(" vs ") + truth.name()));

    // Fit follows the window.
    w.resize(320, 480);
    QTRY_VERIFY(qAbs(w.zoomFactor() - std::min(double(w.viewport()->width()) / photoSize_.width(),
                                               double(w.viewport()->height()) / photoSize_.height())) < 1e-9);
}

void TestPreview::preview_zooms_and_pans() {
    PreviewWidget w;
    QVERIFY(load(w, photo_));
    const double fit = w.zoomFactor();
    QSignalSpy zoomSpy(&w, &PreviewWidget::zoomChanged);
    w.zoomIn();
    QVERIFY(qAbs(w.zoomFactor() - fit * 1.25) < 1e-9);
    QVERIFY(!w.isFitMode());
    QCOMPARE(zoomSpy.count(), 1);
    w.zoomOut();
    QVERIFY(w.isFitMode());  // zooming out lands back on fit
    QVERIFY(qAbs(w.zoomFactor() - fit) < 1e-9);

    QTest::keyClick(&w, Qt::Key_1);
    QCOMPARE(w.zoomFactor(), 1.0);
    QTest::keyClick(&w, Qt::Key_Plus);
    QCOMPARE(w.zoomFactor(), 1.25);
    QTest::keyClick(&w, Qt::Key_Minus);
    QCOMPARE(w.zoomFactor(), 1.0);

    // Arrow keys and dragging pan when zoomed.
    const QPointF centre = QRectF(w.viewport()->rect()).center();
    const QPointF before = w.mapToImage(centre);
    QTest::keyClick(&w, Qt::Key_Right);
    QVERIFY(w.mapToImage(centre).x() > before.x());
    const QPointF beforeDrag = w.mapToImage(centre);
    QTest::mousePress(w.viewport(), Qt::LeftButton, {}, QPoint(300, 200));
    QTest::mouseMove(w.viewport(), QPoint(250, 170));
    QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, QPoint(250, 170));
    QCOMPARE(w.mapToImage(centre), beforeDrag + QPointF(50, 30));  // 100%: one pixel per pixel

    QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
    QVERIFY(w.isFitMode());
    QVERIFY(qAbs(w.zoomFactor() - fit) < 1e-9);
    // Not zoomed: arrows are left to the window (next/previous picture).
    QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::NoModifier);
    QApplication::sendEvent(&w, &right);
    QVERIFY(!right.isAccepted());
}

void TestPreview::preview_wheel_zooms_around_the_cursor() {
    PreviewWidget w;
    QVERIFY(load(w, photo_));
    const double fit = w.zoomFactor();
    const QPointF at(w.viewport()->width() / 2 + 40, w.viewport()->height() / 2 + 25);
    const QPointF before = w.mapToImage(at);
    QWheelEvent wheel(at, w.viewport()->mapToGlobal(at), QPoint(), QPoint(0, 3 * 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(w.viewport(), &wheel);
    QVERIFY(qAbs(w.zoomFactor() - fit * 1.25 * 1.25 * 1.25) < 1e-9);
    const QPointF after = w.mapToImage(at);
    const double tolerance = 1.0 / w.zoomFactor() + 1.0;  // scroll offsets are whole pixels
    QVERIFY2(qAbs(after.x() - before.x()) < tolerance && qAbs(after.y() - before.y()) < tolerance,
             qPrintable(QStringLiteral("%1,%2 -> %3,%4").arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
}

void TestPreview::preview_reports_corrupt_and_missing_files() {
    QFile broken(dir_.filePath(QStringLiteral("broken.jpg")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(QByteArray("\xff\xd8\xff\xe0", 4) + QByteArray(4000, '\x5a'));
    broken.close();

    PreviewWidget w;
    w.resize(640, 480);
    w.show();
    QSignalSpy spy(&w, &PreviewWidget::loaded);
    w.setImage(broken.fileName());
    QVERIFY(spy.wait(20000));
    QCOMPARE(spy.at(0).at(0).toBool(), false);
    const QString error = spy.at(0).at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("broken.jpg")), qPrintable(error));
    QCOMPARE(w.errorString(), error);
    QVERIFY(!w.hasImage());
    QVERIFY(!w.grab().isNull());  // paints the error without crashing

    spy.clear();
    w.setImage(dir_.filePath(QStringLiteral("nothere.jpg")));
    QVERIFY(spy.wait(20000));
    QCOMPARE(spy.at(0).at(0).toBool(), false);
    QVERIFY(spy.at(0).at(1).toString().contains(QStringLiteral("nothere.jpg")));
    QVERIFY(spy.at(0).at(1).toString().contains(QStringLiteral("not found")));
}

void TestPreview::preview_drops_a_stale_result() {
    // The big photo decodes far slower than the small one, so its result arrives last.
    const QString bigSource = findPhoto(5000);
    if (bigSource.isEmpty()) QSKIP("no photo 5000 px wide");
    const QString big = copyInto(dir_, bigSource, QStringLiteral("big.jpg"));
    const QString small = dir_.filePath(QStringLiteral("small.png"));
    QImage tiny(64, 48, QImage::Format_RGB32);
    tiny.fill(Qt::darkCyan);
    QVERIFY(tiny.save(small));

    PreviewWidget w;
    w.resize(640, 480);
    w.show();
    QSignalSpy spy(&w, &PreviewWidget::loaded);
    w.setImage(big);
    QTest::qWait(20);  // let the big decode start: a queued one would just be cancelled
    w.setImage(small);
    QVERIFY(spy.wait(20000));
    QThreadPool::globalInstance()->waitForDone();  // the big decode has ended too
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toBool(), true);
    QCOMPARE(w.path(), small);
    QCOMPARE(w.imageSize(), QSize(64, 48));
}

void TestPreview::preview_applies_exif_orientation() {
    QImage landscape(200, 100, QImage::Format_RGB32);
    landscape.fill(Qt::darkGreen);
    QFile file(dir_.filePath(QStringLiteral("turned.jpg")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(jpegWithOrientation(landscape, 6));
    file.close();

    PreviewWidget w;
    QVERIFY(load(w, file.fileName()));
    QVERIFY(w.hasImage());
    QCOMPARE(w.imageSize(), QSize(100, 200));
    QCOMPARE(w.decodedSize(), QSize(100, 200));
}

void TestPreview::preview_draws_transparency_over_grey() {
    // MATE's abstract wallpapers: white colour channels, the picture only in alpha. Shown flat
    // white they looked blank (and alike); the preview shows what the network sees: grey.
    QImage clear(200, 100, QImage::Format_ARGB32);
    clear.fill(QColor(255, 255, 255, 0));
    const QString path = dir_.filePath(QStringLiteral("clear.png"));
    QVERIFY(clear.save(path));
    PreviewWidget w;
    QVERIFY(load(w, path));
    const QImage shown = w.grab().toImage();
    const QColor c = shown.pixelColor(shown.width() / 2, shown.height() / 2);
    QVERIFY2(std::abs(c.red() - 128) <= 2 && std::abs(c.green() - 128) <= 2 && std::abs(c.blue() - 128) <= 2,
             qPrintable(c.name()));
}

void TestPreview::preview_caps_the_decode_size() {
    QImage wide(10000, 600, QImage::Format_RGB32);
    for (int y = 0; y < wide.height(); ++y)
        for (int x = 0; x < wide.width(); ++x) wide.setPixel(x, y, qRgb(x % 256, y % 256, 128));
    const QString path = dir_.filePath(QStringLiteral("wide.jpg"));
    QVERIFY(wide.save(path, "JPEG", 90));

    PreviewWidget w;
    QVERIFY(load(w, path));
    QVERIFY(w.hasImage());
    QCOMPARE(w.imageSize(), QSize(10000, 600));
    QVERIFY(w.decodedSize().width() <= PreviewWidget::kMaxDecodeSide);
    QVERIFY(w.decodedSize().width() >= PreviewWidget::kMaxDecodeSide / 2);
    // Zoom is measured against the original size.
    QVERIFY(qAbs(w.zoomFactor() - double(w.viewport()->width()) / 10000) < 1e-9);
}

void TestPreview::preview_keeps_a_big_square_jpeg_under_the_allocation_limit() {
    // 6000 x 6000 = 36 MP: within the side cap, but 144 MB of pixels, over Qt 6.4's 128 MB limit.
    const QString path = dir_.filePath(QStringLiteral("square.jpg"));
    {
        QImage square(6000, 6000, QImage::Format_RGB32);
        QVERIFY(!square.isNull());
        square.fill(QColor(90, 120, 150));
        QVERIFY(square.save(path, "JPEG", 80));
    }
    PreviewWidget w;
    QVERIFY(load(w, path));
    QVERIFY2(w.hasImage(), qPrintable(w.errorString()));
    QCOMPARE(w.imageSize(), QSize(6000, 6000));
    const qint64 decodedBytes = qint64(w.decodedSize().width()) * w.decodedSize().height() * 4;
    QVERIFY(w.decodedSize().width() < 6000);
    if (QImageReader::allocationLimit() > 0)
        QVERIFY(decodedBytes <= qint64(QImageReader::allocationLimit()) * 1024 * 1024);
}

void TestPreview::preview_survives_a_huge_png() {
    QFile file(dir_.filePath(QStringLiteral("huge.png")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(pngClaiming(30000, 30000));
    file.close();
    QCOMPARE(QImageReader(file.fileName()).size(), QSize(30000, 30000));

    PreviewWidget w;
    QVERIFY(load(w, file.fileName()));
    QVERIFY(!w.hasImage());
    QVERIFY2(w.errorString().contains(QStringLiteral("huge.png")), qPrintable(w.errorString()));
    QVERIFY(!w.grab().isNull());
}

// In the dock, double-click opens the full-window view instead of toggling 100 %; pathChanged
// tells the information panel which file to read.
void TestPreview::preview_double_click_opens_when_asked() {
    if (photo_.isEmpty()) QSKIP("no photo");
    PreviewWidget w;
    QSignalSpy paths(&w, &PreviewWidget::pathChanged);
    QVERIFY(load(w, photo_));
    QCOMPARE(paths.count(), 1);
    QCOMPARE(paths[0][0].toString(), photo_);
    w.setImage(photo_);  // the same file again: no change to report
    QCOMPARE(paths.count(), 1);
    QTRY_VERIFY(w.hasImage());

    const QPoint centre = w.viewport()->rect().center();
    QSignalSpy open(&w, &PreviewWidget::openRequested);
    QTest::mouseDClick(w.viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(open.count(), 0);  // default: zoom toggle
    QCOMPARE(w.zoomFactor(), 1.0);
    w.fit();
    w.setDoubleClickOpens(true);
    const double fitted = w.zoomFactor();
    QTest::mouseDClick(w.viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(open.count(), 1);
    QCOMPARE(open[0][0].toString(), photo_);
    QCOMPARE(w.zoomFactor(), fitted);  // no zoom change
    w.clear();
    QCOMPARE(paths.count(), 2);
    QCOMPARE(paths[1][0].toString(), QString());
}

QTEST_MAIN(TestPreview)
#include "test_preview.moc"
