// Thumbnails and the preview of the pictures Qt cannot read (HEIC, AVIF, camera RAW), decoded
// through the engine (EngineImageReader) by the real ThumbnailLoader and PreviewWidget,
// offscreen; and the formats nobody reads say so.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QTableWidget>

#include "EngineImageReader.h"
#include "IndexingPanel.h"
#include "LibraryService.h"
#include "PreviewWidget.h"
#include "ThumbnailLoader.h"
#include "heif_raw_test_files.h"
#include "image_test_files.h"

using rv::ui::EngineImageReader::handles;
using rv::ui::IndexingPanel;
using rv::ui::IndexSummary;
using rv::ui::LibraryService;
using rv::ui::PreviewWidget;
using rv::ui::ThumbnailLoader;
using rv::ui::ThumbnailResult;
namespace hrf = heif_raw_test_files;
namespace itf = image_test_files;
using Bytes = std::vector<std::uint8_t>;

class TestEngineFormats : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString heic_, heicNoExt_, dngTurned_, dngBare_, psd_, jpeg_, garbageJpeg_;
    cv::Mat source_;  // the HEIC's picture, BGR

    QString write(const QString& name, const Bytes& b) {
        const QString path = dir_.filePath(name);
        std::ofstream(path.toStdString(), std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
        return path;
    }

    // Mean absolute difference between `image` and the source scaled to its size.
    double diffToSource(const QImage& image, const cv::Mat& source) {
        cv::Mat scaled;
        cv::resize(source, scaled, cv::Size(image.width(), image.height()), 0, 0, cv::INTER_AREA);
        double sum = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QRgb p = image.pixel(x, y);
                const cv::Vec3b s = scaled.at<cv::Vec3b>(y, x);
                sum += std::abs(qRed(p) - s[2]) + std::abs(qGreen(p) - s[1]) + std::abs(qBlue(p) - s[0]);
            }
        return sum / (3.0 * image.width() * image.height());
    }

    ThumbnailResult thumbnail(const QString& path) {
        ThumbnailLoader loader;
        QSignalSpy finished(&loader, &ThumbnailLoader::finished);
        loader.request(path, 128);
        if (!finished.wait(20000)) return {};
        return finished.first().first().value<ThumbnailResult>();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("XDG_CACHE_HOME", dir_.filePath("cache").toUtf8());  // no writes to the user's cache
        source_ = itf::picture(320, 240, 100, 120);
        cv::GaussianBlur(source_, source_, cv::Size(5, 5), 0);
        std::string why;
        const Bytes heic = hrf::heif_encode(source_, heif_compression_HEVC, 90, why);
        QVERIFY2(!heic.empty(), why.c_str());
        heic_ = write("IMG_0001.HEIC", heic);
        heicNoExt_ = write("IMG_0001", heic);
        const Bytes jpeg = itf::encode(source_, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
        dngTurned_ = write("DSC_0002.dng", hrf::dng(64, 48, jpeg, 320, 240, 6));
        dngBare_ = write("DSC_0003.DNG", hrf::dng(64, 48, {}, 0, 0));
        Bytes psd(256, 0);  // a Photoshop signature, then nothing RuVision reads
        psd[0] = '8', psd[1] = 'B', psd[2] = 'P', psd[3] = 'S', psd[5] = 1;
        psd_ = write("layers.psd", psd);
        jpeg_ = write("photo.jpg", jpeg);
        garbageJpeg_ = write("garbage.jpg", Bytes(300, 0x42));
    }

    void theEngineReadsWhatQtCannot() {
        QVERIFY(handles(heic_));
        QVERIFY(handles(heicNoExt_));
        QVERIFY(handles(dngTurned_));  // Qt's TIFF reader would show the wrong IFD
        QVERIFY(handles(dngBare_));
        QVERIFY(handles(psd_));
        QVERIFY(!handles(jpeg_));
        QVERIFY(!handles(garbageJpeg_));  // Qt's JPEG reader keeps its own error
    }

    void heicThumbnailShowsThePicture() {
        for (const QString& path : {heic_, heicNoExt_}) {
            const ThumbnailResult r = thumbnail(path);
            QVERIFY2(r.error.isEmpty() && !r.image.isNull(), qPrintable(path + ": " + r.error));
            QCOMPARE(r.image.size(), QSize(128, 96));
            const double diff = diffToSource(r.image, source_);
            qInfo("HEIC thumbnail: mean abs difference to the source scaled %.2f", diff);
            QVERIFY2(diff < 6.0, qPrintable(QString::number(diff)));
        }
    }

    void rawThumbnailIsThePreviewTurned() {
        const ThumbnailResult r = thumbnail(dngTurned_);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.image.size(), QSize(96, 128));
        cv::Mat turned;
        cv::rotate(source_, turned, cv::ROTATE_90_CLOCKWISE);
        const double diff = diffToSource(r.image, turned);
        QVERIFY2(diff < 6.0, qPrintable(QString::number(diff)));
    }

    void unreadableFilesSayWhy() {
        const ThumbnailResult bare = thumbnail(dngBare_);
        QVERIFY(bare.image.isNull());
        QVERIFY2(bare.error.startsWith("DSC_0003.DNG: ") && bare.error.contains("no embedded preview"), qPrintable(bare.error));
        const ThumbnailResult psd = thumbnail(psd_);
        QCOMPARE(psd.error, QString("layers.psd: PSD is not supported"));
    }

    void previewShowsHeicAndRaw() {
        PreviewWidget preview;
        preview.resize(400, 300);
        QSignalSpy loaded(&preview, &PreviewWidget::loaded);
        preview.setImage(heic_);
        QVERIFY(loaded.wait(20000));
        QVERIFY2(loaded.last().at(0).toBool(), qPrintable(loaded.last().at(1).toString()));
        QCOMPARE(preview.imageSize(), QSize(320, 240));

        preview.setImage(dngTurned_);
        QVERIFY(loaded.wait(20000));
        QVERIFY2(loaded.last().at(0).toBool(), qPrintable(loaded.last().at(1).toString()));
        QCOMPARE(preview.imageSize(), QSize(240, 320));

        preview.setImage(dngBare_);
        QVERIFY(loaded.wait(20000));
        QVERIFY(!loaded.last().at(0).toBool());
        const QString error = loaded.last().at(1).toString();
        QVERIFY2(error.contains("DSC_0003.DNG") && error.contains("no embedded preview"), qPrintable(error));
    }

    // A folder indexed by the window's service: the HEIC and the RAW are indexed, the GIFs and the
    // PSD are counted per format in the indexing summary and at the head of the errors list.
    void indexingPanelCountsUnsupportedFormats() {
        const QString folder = dir_.filePath("photos");
        QVERIFY(QDir().mkpath(folder));
        for (const QString& f : {heic_, dngTurned_, dngBare_, psd_})
            QVERIFY(QFile::copy(f, folder + "/" + QFileInfo(f).fileName()));
        write("photos/party.gif", itf::gif(64, 48));
        write("photos/cat.GIF", itf::gif(48, 64));

        LibraryService service;
        QList<IndexSummary> finished;
        connect(&service, &LibraryService::indexFinished, this,
                [&finished](bool, const QString&, const IndexSummary& s) { finished << s; });
        QSignalSpy opened(&service, &LibraryService::opened);
        service.open(dir_.filePath("library"));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        QVERIFY2(opened[0][0].toBool(), qPrintable(opened[0][1].toString()));
        service.addRoot(folder);
        QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && !finished.isEmpty() && finished.last().found == 6, 120000);
        QCOMPARE(finished.last().embedded, qint64(2));
        QCOMPARE(finished.last().failed, qint64(4));

        IndexingPanel panel;
        panel.finished(true, {}, finished.last(), service.fileErrors());
        const QString expected = "3 files in formats RuVision cannot read: 2 GIF, 1 PSD";
        QCOMPARE(panel.unsupportedText(), expected);
        QVERIFY2(panel.text().endsWith(" · " + expected), qPrintable(panel.text()));
        QCOMPARE(panel.errorCount(), 4);  // + the RAW without a preview

        panel.showErrors();
        QDialog* dialog = nullptr;
        for (QWidget* w : QApplication::topLevelWidgets())
            if (auto* d = qobject_cast<QDialog*>(w); d && d->isVisible()) dialog = d;
        QVERIFY(dialog);
        auto* label = dialog->findChild<QLabel*>("unsupportedFormats");
        QVERIFY(label);
        QVERIFY2(label->text().startsWith(expected + ". "), qPrintable(label->text()));
        QCOMPARE(dialog->findChild<QTableWidget*>()->rowCount(), 4);
        dialog->close();
    }
};

QTEST_MAIN(TestEngineFormats)
#include "test_engine_formats.moc"
