// Thumbnail layer: freedesktop disk cache (names, keys, validity, permissions, failures), the
// background loader (decode limits, EXIF orientation, dedup, LIFO, cancel) and the memory cache.
// Photos are Debian's wallpapers (/usr/share/backgrounds, /usr/share/wallpapers), copied into a
// temporary folder per test; XDG_CACHE_HOME points into a temporary folder before QApplication.
#include <QApplication>
#include <QCryptographicHash>
#include <QImageReader>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>

#include "ThumbnailCache.h"
#include "ThumbnailDiskCache.h"
#include "ThumbnailLoader.h"
#include "ruvision/engine/Image.h"
#include "thumbnail_test_images.h"

using namespace rv::ui;
using namespace rv::ui::test;

namespace {

QByteArray uriOf(const QString& path) { return QUrl::fromLocalFile(path).toEncoded(); }

qint64 mtimeOf(const QString& path) { return QFileInfo(path).lastModified().toSecsSinceEpoch(); }

bool isMagenta(QRgb pixel) { return qRed(pixel) > 240 && qGreen(pixel) < 16 && qBlue(pixel) > 240; }

}  // namespace

class TestThumbnails : public QObject {
    Q_OBJECT
public:
    explicit TestThumbnails(QString cacheHome) : cacheHome_(std::move(cacheHome)) {}

private:
    QString root() const { return cacheHome_ + QStringLiteral("/thumbnails"); }
    // A fresh copy of `source` (new URI, so nothing is cached for it yet).
    QString copyOf(const QString& source, const QString& name) {
        auto* dir = new QTemporaryDir();
        dirs_.emplace_back(dir);
        const QString path = dir->filePath(name);
        return QFile::copy(source, path) ? path : QString();
    }
    // Asks `cache` for `path`, waits until it reports that path ready, returns what it gives then.
    // For a path not loaded at this size yet (else the first answer may be a stand-in).
    static QPixmap load(ThumbnailCache& cache, const QString& path, int side) {
        QSignalSpy ready(&cache, &ThumbnailSource::thumbnailReady);
        const auto delivered = [&] {
            return std::any_of(ready.cbegin(), ready.cend(),
                               [&](const QList<QVariant>& args) { return args.at(0).toString() == path; });
        };
        cache.thumbnail(path, side);
        for (int i = 0; i < 100 && !delivered(); ++i) ready.wait(200);
        return cache.thumbnail(path, side);
    }

    QString cacheHome_;
    QString jpeg_, png_, bigPng_;
    std::vector<std::unique_ptr<QTemporaryDir>> dirs_;

private slots:
    void initTestCase() {
        QCOMPARE(ThumbnailDiskCache::defaultRoot(), root());
        const QStringList jpegs = wallpapers(QStringLiteral("jpg"), 600);
        const QStringList pngs = wallpapers(QStringLiteral("png"), 600);
        if (jpegs.isEmpty() || pngs.isEmpty()) QSKIP("no JPEG/PNG wallpapers installed");
        jpeg_ = jpegs.first();
        png_ = pngs.first();
        bigPng_ = pngs.last();
        qInfo() << "photos:" << jpeg_ << png_ << bigPng_;
    }

    void standardSizes_data() {
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("standard");
        QTest::addColumn<QString>("folder");
        QTest::newRow("1") << 1 << 128 << "normal";
        QTest::newRow("128") << 128 << 128 << "normal";
        QTest::newRow("129") << 129 << 256 << "large";
        QTest::newRow("256") << 256 << 256 << "large";
        QTest::newRow("257") << 257 << 512 << "x-large";
        QTest::newRow("1000") << 1000 << 1024 << "xx-large";
        QTest::newRow("5000") << 5000 << 1024 << "xx-large";
    }
    void standardSizes() {
        QFETCH(int, side);
        QFETCH(int, standard);
        QFETCH(QString, folder);
        QCOMPARE(ThumbnailDiskCache::standardSizeFor(side), standard);
        QCOMPARE(ThumbnailDiskCache::folderName(standard), folder);
    }

    void fileNameIsMd5OfUri() {
        // The example of the Thumbnail Managing Standard.
        QCOMPARE(ThumbnailDiskCache::fileNameFor("file:///home/jens/photos/me.png"),
                 QStringLiteral("c6ee772d9e49320e97ec29a7eb5b1697.png"));
        QCOMPARE(ThumbnailSourceFile::stat(QStringLiteral("/tmp/a b/ü.jpg")).uri,
                 QByteArray("file:///tmp/a%20b/%C3%BC.jpg"));
    }

    void writesStandardThumbnail_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("standard");
        QTest::newRow("jpeg normal") << "jpg" << 100 << 128;
        QTest::newRow("jpeg large") << "jpg" << 200 << 256;
        QTest::newRow("png normal") << "png" << 128 << 128;
        QTest::newRow("png x-large") << "png" << 400 << 512;
    }
    void writesStandardThumbnail() {
        QFETCH(QString, kind);
        QFETCH(int, side);
        QFETCH(int, standard);
        const QString path = copyOf(kind == "jpg" ? jpeg_ : png_, QStringLiteral("photo one.") + kind);
        ThumbnailCache cache;
        cache.setDevicePixelRatio(1.0);
        QVERIFY(cache.thumbnail(path, side).isNull());  // never synchronous
        const QPixmap pixmap = load(cache, path, side);
        QVERIFY2(!pixmap.isNull(), qPrintable(cache.failureReason(path)));
        QCOMPARE(std::max(pixmap.width(), pixmap.height()), side);  // source is larger
        QCOMPARE(cache.loader()->stats().decoded, 1);

        const QString file = root() + u'/' + ThumbnailDiskCache::folderName(standard) + u'/' +
                             QString::fromLatin1(QCryptographicHash::hash(uriOf(path), QCryptographicHash::Md5).toHex()) +
                             QStringLiteral(".png");
        QVERIFY2(QFileInfo::exists(file), qPrintable(file));
        const QImage stored(file);
        QCOMPARE(std::max(stored.width(), stored.height()), standard);
        QCOMPARE(stored.text(QStringLiteral("Thumb::URI")).toUtf8(), uriOf(path));
        QCOMPARE(stored.text(QStringLiteral("Thumb::MTime")).toLongLong(), mtimeOf(path));
        QCOMPARE(stored.text(QStringLiteral("Thumb::Size")).toLongLong(), QFileInfo(path).size());
        const QSize original = QImageReader(path).size();
        QCOMPARE(stored.text(QStringLiteral("Thumb::Image::Width")).toInt(), original.width());
        QCOMPARE(stored.text(QStringLiteral("Thumb::Image::Height")).toInt(), original.height());
        // Aspect kept (within rounding).
        QVERIFY(qAbs(double(stored.width()) / stored.height() - double(original.width()) / original.height()) < 0.02);

        const auto ownerOnly = [](QFile::Permissions p, QFile::Permissions allowed) {
            const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                              QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
            return !(p & others) && (p & allowed) == allowed;
        };
        QVERIFY(ownerOnly(QFile::permissions(file), QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(ownerOnly(QFile::permissions(QFileInfo(file).path()),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QVERIFY(ownerOnly(QFile::permissions(root()), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        // No temporary file left behind.
        QCOMPARE(QDir(QFileInfo(file).path()).entryList({QStringLiteral("*.part")}, QDir::Files | QDir::Hidden),
                 QStringList());
    }

    void devicePixelRatioChoosesLargerStandard() {
        const QString path = copyOf(jpeg_, QStringLiteral("hidpi.jpg"));
        ThumbnailCache cache;
        cache.setDevicePixelRatio(2.0);
        const QPixmap pixmap = load(cache, path, 100);
        QVERIFY(!pixmap.isNull());
        QCOMPARE(pixmap.devicePixelRatio(), 2.0);
        QCOMPARE(std::max(pixmap.width(), pixmap.height()), 200);
        QVERIFY(pixmap.deviceIndependentSize().width() <= 100.0);
        const ThumbnailDiskCache disk;
        QVERIFY(QFileInfo::exists(disk.thumbnailPath(uriOf(path), 256)));
        QVERIFY(!QFileInfo::exists(disk.thumbnailPath(uriOf(path), 128)));
    }

    // A thumbnail another program stored: reused if its keys match the file, else regenerated.
    void foreignThumbnail_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<bool>("reused");
        QTest::newRow("matching keys") << "" << true;
        QTest::newRow("file touched since") << "mtime" << false;
        QTest::newRow("other uri") << "uri" << false;
        QTest::newRow("other size") << "size" << false;
    }
    void foreignThumbnail() {
        QFETCH(QString, change);
        QFETCH(bool, reused);
        const QString path = copyOf(jpeg_, QStringLiteral("foreign.jpg"));
        QImage foreign(128, 80, QImage::Format_RGB32);
        foreign.fill(QColor(255, 0, 255));
        foreign.setText(QStringLiteral("Thumb::URI"), QString::fromLatin1(change == "uri" ? "file:///elsewhere.jpg" : uriOf(path)));
        foreign.setText(QStringLiteral("Thumb::MTime"), QString::number(mtimeOf(path)));
        if (change == "size") foreign.setText(QStringLiteral("Thumb::Size"), QStringLiteral("12"));
        const ThumbnailDiskCache disk;
        const QString file = disk.thumbnailPath(uriOf(path), 128);
        QVERIFY(QDir().mkpath(QFileInfo(file).path()));
        QVERIFY(foreign.save(file, "png"));
        if (change == "mtime") {
            QFile source(path);
            QVERIFY(source.open(QIODevice::ReadWrite));
            QVERIFY(source.setFileTime(QDateTime::currentDateTime().addSecs(3600), QFileDevice::FileModificationTime));
        }

        ThumbnailCache cache;
        cache.setDevicePixelRatio(1.0);
        const QPixmap pixmap = load(cache, path, 128);
        QVERIFY(!pixmap.isNull());
        const QImage shown = pixmap.toImage();
        QCOMPARE(isMagenta(shown.pixel(shown.width() / 2, shown.height() / 2)), reused);
        QCOMPARE(cache.loader()->stats().decoded, reused ? 0 : 1);
        QCOMPARE(cache.loader()->stats().diskHits, reused ? 1 : 0);
        // A regenerated thumbnail replaces the stale one on disk.
        const QImage stored(file);
        QCOMPARE(isMagenta(stored.pixel(stored.width() / 2, stored.height() / 2)), reused);
        QCOMPARE(stored.text(QStringLiteral("Thumb::MTime")).toLongLong(), mtimeOf(path));
    }

    void largerForeignThumbnailIsScaledDown() {
        const QString path = copyOf(jpeg_, QStringLiteral("large-only.jpg"));
        QImage foreign(256, 160, QImage::Format_RGB32);
        foreign.fill(QColor(255, 0, 255));
        foreign.setText(QStringLiteral("Thumb::URI"), QString::fromLatin1(uriOf(path)));
        foreign.setText(QStringLiteral("Thumb::MTime"), QString::number(mtimeOf(path)));
        const ThumbnailDiskCache disk;
        QVERIFY(QDir().mkpath(root() + QStringLiteral("/large")));
        QVERIFY(foreign.save(disk.thumbnailPath(uriOf(path), 256), "png"));
        ThumbnailCache cache;
        cache.setDevicePixelRatio(1.0);
        const QImage shown = load(cache, path, 100).toImage();
        QCOMPARE(shown.width(), 100);
        QVERIFY(isMagenta(shown.pixel(50, shown.height() / 2)));
        QCOMPARE(cache.loader()->stats().decoded, 0);
        QVERIFY(isMagenta(QImage(disk.thumbnailPath(uriOf(path), 128)).pixel(10, 10)));  // kept as normal/
    }

    void brokenFileFailsAndIsRecorded_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("name");
        QTest::newRow("zero bytes") << QByteArray() << "empty.jpg";
        QTest::newRow("garbage") << QByteArray(4096, '\x5a') << "garbage.png";
        QTest::newRow("jpeg magic only") << QByteArray("\xff\xd8\xff\xe0", 4) << "cut.jpg";
    }
    void brokenFileFailsAndIsRecorded() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        QVERIFY(writeFile(path, bytes));
        {
            ThumbnailCache cache;
            QVERIFY(load(cache, path, 128).isNull());
            QVERIFY(cache.failed(path));
            QVERIFY(!cache.failureReason(path).isEmpty());
            QCOMPARE(cache.loader()->stats().decoded, 1);
            QVERIFY(cache.thumbnail(path, 128).isNull());  // no retry while it is known failed
            QCOMPARE(cache.loader()->queuedCount(), 0);
        }
        const ThumbnailDiskCache disk;
        QVERIFY(ThumbnailDiskCache::defaultFailDirName().startsWith(QStringLiteral("ruvision-")));
        const QString record = root() + QStringLiteral("/fail/") + ThumbnailDiskCache::defaultFailDirName() +
                               u'/' + ThumbnailDiskCache::fileNameFor(uriOf(path));
        QCOMPARE(disk.failurePath(uriOf(path)), record);
        const QImage marker(record);
        QVERIFY2(!marker.isNull(), qPrintable(record));
        QCOMPARE(marker.text(QStringLiteral("Thumb::URI")).toUtf8(), uriOf(path));
        QCOMPARE(marker.text(QStringLiteral("Thumb::MTime")).toLongLong(), mtimeOf(path));
        QVERIFY(!QFileInfo::exists(disk.thumbnailPath(uriOf(path), 128)));
        {   // Next run: answered by the record, without decoding.
            ThumbnailCache cache;
            QVERIFY(load(cache, path, 128).isNull());
            QVERIFY(cache.failed(path));
            QCOMPARE(cache.loader()->stats().decoded, 0);
            QCOMPARE(cache.loader()->stats().failureHits, 1);
        }
        {   // The file was replaced by a readable image: the stale record no longer applies.
            QFile::remove(path);
            QVERIFY(QFile::copy(jpeg_, path));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(7200), QFileDevice::FileModificationTime));
            file.close();
            ThumbnailCache cache;
            QVERIFY2(!load(cache, path, 128).isNull(), qPrintable(cache.failureReason(path)));
            QVERIFY(!cache.failed(path));
        }
    }

    void missingFileFailsWithoutRecord() {
        const QString path = QStringLiteral("/nonexistent/ruvision/none.jpg");
        ThumbnailCache cache;
        QVERIFY(load(cache, path, 128).isNull());
        QVERIFY(cache.failed(path));
        QCOMPARE(cache.loader()->stats().decoded, 0);
        QVERIFY(!QFileInfo::exists(ThumbnailDiskCache().failurePath(uriOf(path))));
    }

    // A transparent PNG stored as MATE's Silk.png is (white in every colour sample, the picture
    // in alpha): its thumbnail showed a blank white page. Drawn over the engine's grey, decoded
    // and again from the disk cache (which keeps the alpha).
    void transparentImageIsDrawnOverGrey() {
        QImage picture(300, 200, QImage::Format_ARGB32);
        for (int y = 0; y < picture.height(); ++y)
            for (int x = 0; x < picture.width(); ++x)
                picture.setPixel(x, y, x < 150 ? qRgba(255, 255, 255, 0) : qRgba(255, 255, 255, 255));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("Silk.png"));
        QVERIFY(picture.save(path, "png"));
        const int grey = rv::kTransparencyBackdrop;
        auto isGrey = [grey](QRgb p) {
            return qAbs(qRed(p) - grey) <= 1 && qAbs(qGreen(p) - grey) <= 1 && qAbs(qBlue(p) - grey) <= 1;
        };
        for (int run = 0; run < 2; ++run) {  // 0: decoded, 1: from the disk cache
            ThumbnailCache cache;
            cache.setDevicePixelRatio(1.0);
            const QImage shown = load(cache, path, 128).toImage();
            QVERIFY2(!shown.isNull(), qPrintable(cache.failureReason(path)));
            QCOMPARE(cache.loader()->stats().diskHits, run);
            QVERIFY(!shown.hasAlphaChannel());
            QVERIFY2(isGrey(shown.pixel(10, shown.height() / 2)),
                     qPrintable(QString::number(shown.pixel(10, shown.height() / 2), 16)));
            QCOMPARE(shown.pixel(shown.width() - 10, shown.height() / 2), qRgb(255, 255, 255));
        }
    }

    void hugeImageFailsWithoutDecoding() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.png"));
        QVERIFY(writeFile(path, hugePngHeader(30000, 30000)));
        QCOMPARE(QImageReader(path).size(), QSize(30000, 30000));  // a believable header
        ThumbnailCache cache;
        QVERIFY(load(cache, path, 128).isNull());
        QVERIFY(cache.failed(path));
        QVERIFY2(cache.failureReason(path).contains(QStringLiteral("too large")), qPrintable(cache.failureReason(path)));
        QVERIFY(QFileInfo::exists(ThumbnailDiskCache().failurePath(uriOf(path))));
    }

    void exifOrientationIsApplied_data() {
        QTest::addColumn<QSize>("stored");
        QTest::addColumn<int>("side");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("small, not scaled") << QSize(64, 32) << 128 << QSize(32, 64);
        QTest::newRow("scaled while decoding") << QSize(800, 400) << 128 << QSize(64, 128);
    }
    void exifOrientationIsApplied() {
        QFETCH(QSize, stored);
        QFETCH(int, side);
        QFETCH(QSize, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rotated.jpg"));
        QVERIFY(writeFile(path, jpegWithOrientation(stored, 6)));
        {   // Our JPEG is understood by Qt as "rotate 90 degrees clockwise".
            QImageReader reader(path);
            QCOMPARE(int(reader.transformation()), int(QImageIOHandler::TransformationRotate90));
        }
        ThumbnailCache cache;
        cache.setDevicePixelRatio(1.0);
        const QImage shown = load(cache, path, side).toImage();
        QCOMPARE(shown.size(), expected);
        // Turned clockwise, the red left half is on top.
        const QRgb top = shown.pixel(shown.width() / 2, shown.height() / 5);
        const QRgb bottom = shown.pixel(shown.width() / 2, shown.height() * 4 / 5);
        QVERIFY2(qRed(top) > 200 && qBlue(top) < 60, qPrintable(QString::number(top, 16)));
        QVERIFY2(qBlue(bottom) > 200 && qRed(bottom) < 60, qPrintable(QString::number(bottom, 16)));
        const QImage onDisk(ThumbnailDiskCache().thumbnailPath(uriOf(path), 128));
        QCOMPARE(onDisk.width() < onDisk.height(), true);
        QCOMPARE(onDisk.text(QStringLiteral("Thumb::Image::Width")).toInt(), stored.height());
    }

    void requestsAreMerged() {
        const QString path = copyOf(jpeg_, QStringLiteral("merged.jpg"));
        ThumbnailCache cache;
        QSignalSpy finished(cache.loader(), &ThumbnailLoader::finished);
        for (int i = 0; i < 5; ++i) QVERIFY(cache.thumbnail(path, 128).isNull());
        QVERIFY(!load(cache, path, 128).isNull());
        QTest::qWait(100);  // a duplicate job would have finished by now
        QCOMPARE(finished.count(), 1);
        QCOMPARE(cache.loader()->stats().decoded, 1);
    }

    void requestsForARunningJobAreMerged() {
        const QString path = copyOf(bigPng_, QStringLiteral("running.png"));  // a slow decode
        ThumbnailLoader loader;
        QSignalSpy finished(&loader, &ThumbnailLoader::finished);
        loader.request(path, 128);
        QTRY_COMPARE(loader.queuedCount(), 0);  // taken by a worker
        QVERIFY(finished.isEmpty());            // and still decoding
        for (int i = 0; i < 3; ++i) loader.request(path, 128);
        QCOMPARE(loader.queuedCount(), 0);
        QVERIFY(finished.wait(20000));
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(loader.stats().decoded, 1);
    }

    // Two slow jobs occupy both threads; five jobs queued behind them run newest first.
    void newestRequestRunsFirst() {
        ThumbnailDiskCache disk;
        ThumbnailLoader loader(disk);
        QSignalSpy finished(&loader, &ThumbnailLoader::finished);
        loader.request(copyOf(bigPng_, QStringLiteral("slow1.png")), 128);
        loader.request(copyOf(bigPng_, QStringLiteral("slow2.png")), 128);
        QStringList queued;
        for (int i = 0; i < 5; ++i) queued << copyOf(jpeg_, QStringLiteral("q%1.jpg").arg(i));
        for (const QString& path : queued) loader.request(path, 128);
        QVERIFY(finished.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 7, 30000);
        QStringList order;
        for (const auto& args : finished) {
            const auto result = args.at(0).value<ThumbnailResult>();
            QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
            if (queued.contains(result.path)) order << result.path;
        }
        qInfo() << "finish order of q0..q4:" << order;
        QVERIFY(order.indexOf(queued.last()) <= 1);   // newest among the first two
        QVERIFY(order.indexOf(queued.first()) >= 3);  // oldest among the last two
    }

    void cancelDropsQueuedJobs() {
        ThumbnailLoader loader;
        QSignalSpy finished(&loader, &ThumbnailLoader::finished);
        for (int i = 0; i < 12; ++i) loader.request(copyOf(jpeg_, QStringLiteral("c%1.jpg").arg(i)), 128);
        QVERIFY(loader.queuedCount() > 0);
        const int dropped = loader.cancelPending();
        QVERIFY(dropped > 0);
        QCOMPARE(loader.queuedCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 12 - dropped, 20000);
        QTest::qWait(200);
        QCOMPARE(finished.count(), 12 - dropped);
        QCOMPARE(loader.stats().decoded, 12 - dropped);
    }

    void memoryIsBoundedInBytes() {
        ThumbnailCache cache;
        cache.setDevicePixelRatio(1.0);
        cache.setMemoryLimit(2 * 128 * 128 * 4);  // two square 128 px thumbnails
        QStringList paths;
        for (int i = 0; i < 4; ++i) {
            paths << copyOf(jpeg_, QStringLiteral("m%1.jpg").arg(i));
            QVERIFY(!load(cache, paths.last(), 128).isNull());
            QVERIFY(cache.memoryUsed() <= cache.memoryLimit());
        }
        QVERIFY(cache.memoryUsed() > 0);
        QSignalSpy ready(&cache, &ThumbnailSource::thumbnailReady);
        QVERIFY(cache.thumbnail(paths.first(), 128).isNull());  // evicted: loads again (from disk)
        QVERIFY(ready.wait(5000));
        QCOMPARE(cache.loader()->stats().diskHits, 1);
    }

    void otherSizeStandsInWhileLoading() {
        const QString path = copyOf(jpeg_, QStringLiteral("resize.jpg"));
        ThumbnailCache cache;
        cache.setDevicePixelRatio(1.0);
        QVERIFY(!load(cache, path, 200).isNull());
        const QPixmap standIn = cache.thumbnail(path, 90);  // 90 is not loaded yet
        QVERIFY(!standIn.isNull());
        QVERIFY(standIn.deviceIndependentSize().width() <= 90.0);
        const QPixmap exact = load(cache, path, 90);
        QCOMPARE(std::max(exact.width(), exact.height()), 90);
        QCOMPARE(exact.devicePixelRatio(), 1.0);
    }
};

int main(int argc, char** argv) {
    // Before QApplication, so nothing (fontconfig included) ever sees the real cache folder.
    QTemporaryDir cacheHome;
    qputenv("XDG_CACHE_HOME", QFile::encodeName(cacheHome.path()));
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestThumbnails test(cacheHome.path());
    return QTest::qExec(&test, argc, argv);
}

#include "test_thumbnails.moc"
