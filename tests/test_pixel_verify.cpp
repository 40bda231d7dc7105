// rv::verify_same_picture: real wallpapers and their copies (resized, re-encoded, turned, mirrored)
// are the same picture; different photos, colour variants, icons, flat tiles of slightly different
// greys, transparent images and 8x8 images never are. Files are written into a temporary folder
// and decoded by the engine, as the library does.
#include <QDirIterator>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTransform>
#include <QtTest>

#include <random>

#include "ruvision/engine/PixelVerify.h"

namespace {

// JPEG photos of the wallpaper packages, sorted (at least a few are on every Debian desktop).
QStringList wallpaperPhotos() {
    QStringList out;
    for (const char* root : {"/usr/share/backgrounds/mate/nature", "/usr/share/wallpapers"}) {
        QDirIterator it(QString::fromLatin1(root), {QStringLiteral("*.jpg")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) out.append(it.next());
    }
    out.sort();
    return out;
}

// Icons of one size from the installed themes (the hostile set for descriptors).
QStringList icons(const QString& size, int count) {
    QStringList out;
    QDirIterator it(QStringLiteral("/usr/share/icons"), {QStringLiteral("*.png")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (p.contains(QLatin1Char('/') + size + QLatin1Char('/'))) out.append(p);
    }
    out.sort();
    return out.mid(0, count);
}

}  // namespace

class TestPixelVerify : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void copies_of_a_wallpaper_are_the_same_picture_data();
    void copies_of_a_wallpaper_are_the_same_picture();
    void different_photos_are_different();
    void a_colour_variant_is_a_different_picture();
    void flat_tiles_are_never_the_same_picture();
    void icons_are_never_the_same_picture();
    void transparent_images_are_never_the_same_picture();
    void tiny_images_are_never_the_same_picture();
    void an_undecodable_file_cannot_be_verified();
    void orientations_are_reported();

private:
    QString write(const QImage& image, const QString& name, int quality = 92);
    QTemporaryDir dir_;
    QStringList photos_;
    QImage photo_;  // the first photo, at a working size
};

QString TestPixelVerify::write(const QImage& image, const QString& name, int quality) {
    const QString path = dir_.filePath(name);
    if (!image.save(path, nullptr, quality)) return {};
    return path;
}

void TestPixelVerify::initTestCase() {
    QVERIFY(dir_.isValid());
    photos_ = wallpaperPhotos();
    if (photos_.size() < 4) QSKIP("fewer than 4 JPEG wallpapers installed");
    photo_ = QImage(photos_[0]).scaled(1200, 1200, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QVERIFY(!photo_.isNull());
}

void TestPixelVerify::copies_of_a_wallpaper_are_the_same_picture_data() {
    QTest::addColumn<int>("photo");
    QTest::addColumn<QString>("edit");
    for (int p : {0, 1, 2})
        for (const char* e : {"resized", "re-encoded", "rot90", "rot270", "mirror", "rot90 + mirror + resized + jpeg 60"})
            QTest::newRow(qPrintable(QStringLiteral("photo %1, %2").arg(p).arg(QLatin1String(e)))) << p << QString::fromLatin1(e);
}

void TestPixelVerify::copies_of_a_wallpaper_are_the_same_picture() {
    QFETCH(int, photo);
    QFETCH(QString, edit);
    const QImage original = QImage(photos_[photo]).scaled(1600, 1600, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const QString a = write(original, QStringLiteral("orig%1.png").arg(photo));
    QImage copy = original;
    int quality = 92;
    if (edit.contains(QLatin1String("rot90"))) copy = copy.transformed(QTransform().rotate(90));
    if (edit == QLatin1String("rot270")) copy = copy.transformed(QTransform().rotate(270));
    if (edit.contains(QLatin1String("mirror"))) copy = copy.mirrored(true, false);
    if (edit.contains(QLatin1String("resized")))
        copy = copy.scaled(copy.width() * 37 / 100, copy.height() * 37 / 100, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    if (edit == QLatin1String("re-encoded")) quality = 55;
    if (edit.contains(QLatin1String("jpeg 60"))) quality = 60;
    const QString b = write(copy, QStringLiteral("copy%1.jpg").arg(photo), quality);
    const rv::PixelVerdict v = rv::verify_same_picture(a.toStdString(), b.toStdString());
    QVERIFY2(v.same(), v.reason.c_str());
    QVERIFY(v.structure >= rv::PixelVerifyParams{}.min_structure);
    // And the other way round.
    QVERIFY(rv::verify_same_picture(b.toStdString(), a.toStdString()).same());
}

void TestPixelVerify::different_photos_are_different() {
    int compared = 0;
    for (int i = 0; i < photos_.size() && i < 8; ++i)
        for (int j = i + 1; j < photos_.size() && j < 8; ++j) {
            const rv::PixelVerdict v = rv::verify_same_picture(photos_[i].toStdString(), photos_[j].toStdString());
            QVERIFY2(!v.same(), qPrintable(photos_[i] + QLatin1String(" | ") + photos_[j]));
            compared += v.match == rv::PixelMatch::different;
        }
    QVERIFY(compared > 0);  // they were compared, not just refused
}

// The same design in other colours (as GNOME's -l/-d and MATE's Cold/Warm wallpapers): different.
void TestPixelVerify::a_colour_variant_is_a_different_picture() {
    const QString a = write(photo_, QStringLiteral("light.png"));
    QImage dark = photo_.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < dark.height(); ++y) {
        auto* row = reinterpret_cast<QRgb*>(dark.scanLine(y));
        for (int x = 0; x < dark.width(); ++x)
            row[x] = qRgb(qRed(row[x]) * 3 / 4, qGreen(row[x]) * 3 / 4, qBlue(row[x]) * 3 / 4);
    }
    const QString b = write(dark, QStringLiteral("dark.png"));
    const rv::PixelVerdict v = rv::verify_same_picture(a.toStdString(), b.toStdString());
    QVERIFY2(v.match == rv::PixelMatch::different, v.reason.c_str());
    QVERIFY(v.structure > 0.9f);  // the structure alone would have passed: colour decides
}

void TestPixelVerify::flat_tiles_are_never_the_same_picture() {
    QStringList tiles;
    for (int grey : {120, 121, 123, 128}) {
        QImage tile(256, 256, QImage::Format_RGB32);
        tile.fill(QColor(grey, grey, grey));
        tiles << write(tile, QStringLiteral("tile%1.png").arg(grey));
    }
    tiles << write(QImage(tiles[0]), QStringLiteral("tile120-copy.jpg"), 90);  // even a copy of a flat tile
    // A near-flat tile: faint noise around one grey.
    QImage noisy(256, 256, QImage::Format_RGB32);
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> d(-1, 1);
    for (int y = 0; y < 256; ++y)
        for (int x = 0; x < 256; ++x) {
            const int g = 121 + d(rng);
            noisy.setPixel(x, y, qRgb(g, g, g));
        }
    tiles << write(noisy, QStringLiteral("noisy.png"));
    for (int i = 0; i < tiles.size(); ++i)
        for (int j = i + 1; j < tiles.size(); ++j) {
            const rv::PixelVerdict v = rv::verify_same_picture(tiles[i].toStdString(), tiles[j].toStdString());
            QCOMPARE(v.match, rv::PixelMatch::cannot_tell);
            QVERIFY2(QString::fromStdString(v.reason).contains(QLatin1String("flat")), v.reason.c_str());
        }
}

void TestPixelVerify::icons_are_never_the_same_picture() {
    for (const char* size : {"48x48", "64x64", "96x96"}) {
        const QStringList list = icons(QString::fromLatin1(size), 24);
        if (list.size() < 2) continue;
        for (int i = 0; i < list.size(); ++i)
            for (int j = i + 1; j < list.size(); ++j) {
                const rv::PixelVerdict v = rv::verify_same_picture(list[i].toStdString(), list[j].toStdString());
                QVERIFY2(!v.same(), qPrintable(list[i] + QLatin1String(" | ") + list[j]));
            }
    }
}

// Mostly transparent images with different content (as MATE's Silk, Spring, Waves), however the
// decoder composites them.
void TestPixelVerify::transparent_images_are_never_the_same_picture() {
    QStringList files;
    for (int k = 0; k < 4; ++k) {
        QImage im(800, 600, QImage::Format_ARGB32);
        im.fill(Qt::transparent);
        QPainter p(&im);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(QColor(255, 255, 255, 60 + 30 * k), 6));
        for (int line = 0; line < 12; ++line)
            p.drawLine(0, 50 * line + 20 * k, 800, 600 - 40 * line * (k + 1) % 600);
        p.end();
        files << write(im, QStringLiteral("transparent%1.png").arg(k));
    }
    for (const char* mate : {"Silk.png", "Spring.png", "Waves.png", "Flow.png", "Gulp.png"}) {
        const QString p = QStringLiteral("/usr/share/backgrounds/mate/abstract/") + QLatin1String(mate);
        if (QFile::exists(p)) files << p;
    }
    for (int i = 0; i < files.size(); ++i)
        for (int j = i + 1; j < files.size(); ++j) {
            const rv::PixelVerdict v = rv::verify_same_picture(files[i].toStdString(), files[j].toStdString());
            QVERIFY2(!v.same(), qPrintable(files[i] + QLatin1String(" | ") + files[j] + QLatin1String(": ") +
                                           QString::fromStdString(v.reason)));
        }
}

void TestPixelVerify::tiny_images_are_never_the_same_picture() {
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> byte(0, 255);
    QStringList files;
    for (int k = 0; k < 6; ++k) {
        QImage im(8, 8, QImage::Format_RGB32);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) im.setPixel(x, y, qRgb(byte(rng), byte(rng), byte(rng)));
        files << write(im, QStringLiteral("tiny%1.png").arg(k));
    }
    files << write(QImage(files[0]), QStringLiteral("tiny0-copy.png"));  // not even an exact copy
    for (int i = 0; i < files.size(); ++i)
        for (int j = i + 1; j < files.size(); ++j) {
            const rv::PixelVerdict v = rv::verify_same_picture(files[i].toStdString(), files[j].toStdString());
            QCOMPARE(v.match, rv::PixelMatch::cannot_tell);
            QVERIFY2(QString::fromStdString(v.reason).contains(QLatin1String("tiny")), v.reason.c_str());
        }
}

void TestPixelVerify::an_undecodable_file_cannot_be_verified() {
    const QString good = write(photo_, QStringLiteral("good.jpg"));
    QFile bad(dir_.filePath(QStringLiteral("bad.jpg")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("\xFF\xD8\xFF\xE0 not really a JPEG");
    bad.close();
    for (const auto& [a, b] : {std::pair{good, bad.fileName()}, std::pair{bad.fileName(), good}}) {
        const rv::PixelVerdict v = rv::verify_same_picture(a.toStdString(), b.toStdString());
        QCOMPARE(v.match, rv::PixelMatch::cannot_tell);
        QVERIFY2(QString::fromStdString(v.reason).contains(QLatin1String("bad.jpg")), v.reason.c_str());
    }
    const rv::PixelVerdict gone = rv::verify_same_picture(good.toStdString(), dir_.filePath("missing.jpg").toStdString());
    QCOMPARE(gone.match, rv::PixelMatch::cannot_tell);
}

void TestPixelVerify::orientations_are_reported() {
    const QImage base = photo_.scaled(400, 400, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    auto sig = [](const QImage& im) {
        const QImage rgb = im.convertToFormat(QImage::Format_RGB888);
        rv::RgbImage out{rgb.width(), rgb.height(), {}};
        for (int y = 0; y < rgb.height(); ++y)
            out.data.insert(out.data.end(), rgb.constScanLine(y), rgb.constScanLine(y) + rgb.width() * 3);
        return rv::pixel_signature(out, std::min(rgb.width(), rgb.height()));
    };
    const auto a = sig(base);
    QCOMPARE(rv::compare_pixels(a, sig(base)).orientation, 0);
    QCOMPARE(rv::compare_pixels(a, sig(base)).structure, 1.0f);
    // b turned 90 degrees clockwise needs a turn of 270 degrees to line up; mirrored: a mirror.
    const rv::PixelVerdict turned = rv::compare_pixels(a, sig(base.transformed(QTransform().rotate(90))));
    QVERIFY2(turned.same() && turned.orientation == 3, turned.reason.c_str());
    const rv::PixelVerdict mirrored = rv::compare_pixels(a, sig(base.mirrored(true, false)));
    QVERIFY2(mirrored.same() && mirrored.orientation == 4, mirrored.reason.c_str());
}

QTEST_MAIN(TestPixelVerify)
#include "test_pixel_verify.moc"
