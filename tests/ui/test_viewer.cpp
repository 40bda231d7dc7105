// The full-window view and the file information, offscreen, on real photos (Debian's wallpapers)
// shown in a real ImageGrid: double-click opens the view (Enter still asks for similar images),
// the view covers the window, steps through the grid's images with the keys, zooms, shows name,
// position and file information (EXIF from a real camera file), draws transparency over the
// engine's grey, follows the grid when an image leaves it, and Escape returns to the grid as it
// was. RUVISION_SCREENSHOTS=DIR keeps PNGs of the view and the information panel.
#include <QApplication>
#include <QDirIterator>
#include <QImageReader>
#include <QMainWindow>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QWheelEvent>
#include <QtTest>

#include "ImageGrid.h"
#include "PreviewWidget.h"
#include "ThumbnailCache.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageInfo.h"
#include "viewer/ImageViewer.h"
#include "viewer/InfoPanel.h"
#include "viewer/PreviewPane.h"

using namespace rv::ui;

namespace {

constexpr int kWait = 30000;  // ms

QString olympusPhoto() {
    const QString p = QStringLiteral("/usr/share/wallpapers/DarkestHour/contents/screenshot.jpg");
    return QFileInfo::exists(p) ? p : QString();
}

void saveShot(QWidget* w, const QString& name) {
    const QString dir = qEnvironmentVariable("RUVISION_SCREENSHOTS");
    if (!dir.isEmpty()) QVERIFY(w->grab().save(QDir(dir).filePath(name), "PNG"));
}

}  // namespace

class TestViewer : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void double_click_opens_the_view_and_enter_still_queries();
    void the_view_covers_the_window_and_steps_through_the_grid();
    void the_view_zooms_with_wheel_and_keys();
    void escape_returns_to_the_grid_as_it_was();
    void escape_after_stepping_selects_the_image_reached();
    void find_similar_from_the_view();
    void the_view_follows_the_grid_when_an_image_leaves();
    void file_information_in_the_view_and_the_dock();
    void information_rows_name_the_date_source();
    void transparency_is_drawn_over_the_grey();

private:
    static bool waitLoaded(PreviewWidget* p) {
        QDeadlineTimer deadline(kWait);
        while (p->isLoading() && !deadline.hasExpired()) QTest::qWait(20);
        return p->hasImage();
    }

    QTemporaryDir dir_;
    QStringList photos_;
    std::unique_ptr<ThumbnailCache> thumbs_;
    std::unique_ptr<QMainWindow> window_;
    ImageGrid* grid_ = nullptr;
    ImageViewer* viewer_ = nullptr;
};

void TestViewer::initTestCase() {
    QVERIFY(dir_.isValid());
    QStringList sources;
    QDirIterator it(QStringLiteral("/usr/share/backgrounds/mate/nature"), {QStringLiteral("*.jpg")}, QDir::Files);
    while (it.hasNext()) sources << it.next();
    std::sort(sources.begin(), sources.end());
    if (sources.size() < 5) QSKIP("mate-backgrounds is not installed");
    for (int i = 0; i < 5; ++i) {
        const QString target = dir_.filePath(QStringLiteral("p%1.jpg").arg(i));
        QVERIFY(QFile::copy(sources[i], target));
        photos_ << target;
    }
    // A picture with a transparent half.
    QImage alpha(400, 300, QImage::Format_ARGB32);
    alpha.fill(Qt::transparent);
    for (int y = 0; y < 300; ++y)
        for (int x = 200; x < 400; ++x) alpha.setPixel(x, y, qRgb(200, 30, 30));
    const QString png = dir_.filePath(QStringLiteral("p5-alpha.png"));
    QVERIFY(alpha.save(png));
    photos_ << png;
    thumbs_ = std::make_unique<ThumbnailCache>();
}

void TestViewer::init() {
    window_ = std::make_unique<QMainWindow>();
    window_->resize(1100, 760);
    grid_ = new ImageGrid(thumbs_.get(), window_.get());
    window_->setCentralWidget(grid_);
    grid_->setThumbnailSide(200);
    grid_->gridModel()->setFolderFiles(photos_);
    viewer_ = new ImageViewer(window_.get());
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestViewer::cleanup() {
    window_.reset();
    QThreadPool::globalInstance()->waitForDone();
}

void TestViewer::cleanupTestCase() {
    thumbs_.reset();
    QThreadPool::globalInstance()->waitForDone();
}

void TestViewer::double_click_opens_the_view_and_enter_still_queries() {
    QSignalSpy view(grid_, &ImageGrid::viewRequested), query(grid_, &ImageGrid::queryRequested);
    connect(grid_, &ImageGrid::viewRequested, viewer_, [this](const QString& p) { viewer_->open(grid_, p); });
    const QRect cell = grid_->visualRect(grid_->gridModel()->index(2));
    QVERIFY(cell.isValid());
    QTest::mouseDClick(grid_->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(view.count(), 1);
    QCOMPARE(view[0][0].toString(), photos_[2]);
    QCOMPARE(query.count(), 0);
    QVERIFY(viewer_->isOpen());
    QCOMPARE(viewer_->currentPath(), photos_[2]);
    QTest::keyClick(viewer_->preview(), Qt::Key_Escape);
    QVERIFY(!viewer_->isOpen());

    grid_->setFocus();
    QTest::keyClick(grid_, Qt::Key_Return);
    QCOMPARE(query.count(), 1);
    QCOMPARE(query[0][0].toString(), photos_[2]);
    QCOMPARE(view.count(), 1);
}

void TestViewer::the_view_covers_the_window_and_steps_through_the_grid() {
    viewer_->open(grid_, photos_[1]);
    QVERIFY(viewer_->isVisible());
    QCOMPARE(viewer_->geometry(), window_->rect());
    QCOMPARE(viewer_->positionText(), QStringLiteral("2 / 6"));
    QVERIFY(waitLoaded(viewer_->preview()));
    QCOMPARE(viewer_->preview()->path(), photos_[1]);
    QVERIFY(viewer_->preview()->isFitMode());
    // The image fills the window: one side meets the view's edge (fit, never above 100 %).
    const QSize shown = viewer_->preview()->imageSize() * viewer_->preview()->zoomFactor();
    const QSize room = viewer_->preview()->viewport()->size();
    QVERIFY2(qAbs(shown.width() - room.width()) <= 1 || qAbs(shown.height() - room.height()) <= 1,
             qPrintable(QStringLiteral("%1x%2 in %3x%4").arg(shown.width()).arg(shown.height()).arg(room.width()).arg(room.height())));
    QVERIFY(viewer_->preview()->viewport()->width() > 1000);
    saveShot(window_.get(), QStringLiteral("viewer.png"));

    QWidget* keys = viewer_->preview();
    QTest::keyClick(keys, Qt::Key_Right);
    QCOMPARE(viewer_->currentPath(), photos_[2]);
    QTest::keyClick(keys, Qt::Key_Space);
    QCOMPARE(viewer_->currentPath(), photos_[3]);
    QCOMPARE(viewer_->positionText(), QStringLiteral("4 / 6"));
    QTest::keyClick(keys, Qt::Key_Backspace);
    QCOMPARE(viewer_->currentPath(), photos_[2]);
    QTest::keyClick(keys, Qt::Key_Left);
    QCOMPARE(viewer_->currentPath(), photos_[1]);
    QTest::keyClick(keys, Qt::Key_End);
    QCOMPARE(viewer_->currentPath(), photos_[5]);
    QTest::keyClick(keys, Qt::Key_Right);  // the last one stays
    QCOMPARE(viewer_->currentPath(), photos_[5]);
    QTest::keyClick(keys, Qt::Key_Home);
    QTest::keyClick(keys, Qt::Key_Left);  // the first one stays
    QCOMPARE(viewer_->currentPath(), photos_[0]);
    QVERIFY(waitLoaded(viewer_->preview()));
    QCOMPARE(viewer_->preview()->path(), photos_[0]);

    // The view follows the window's size.
    window_->resize(900, 640);
    QTRY_COMPARE(viewer_->geometry(), window_->rect());
}

void TestViewer::the_view_zooms_with_wheel_and_keys() {
    viewer_->open(grid_, photos_[0]);
    PreviewWidget* p = viewer_->preview();
    QVERIFY(waitLoaded(p));
    const double fit = p->zoomFactor();
    QVERIFY(fit < 1.0);  // the photos are larger than the window
    const QPointF centre = QRectF(p->viewport()->rect()).center();
    QWheelEvent wheel(centre, p->viewport()->mapToGlobal(centre), {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(p->viewport(), &wheel);
    QVERIFY(p->zoomFactor() > fit);
    QVERIFY(!p->isFitMode());
    QTest::keyClick(p, Qt::Key_1);
    QCOMPARE(p->zoomFactor(), 1.0);
    QTest::keyClick(p, Qt::Key_Minus);
    QVERIFY(p->zoomFactor() < 1.0);
    QTest::keyClick(p, Qt::Key_0);
    QVERIFY(p->isFitMode());
    // Space still steps while zoomed (arrows pan then).
    QTest::keyClick(p, Qt::Key_1);
    QTest::keyClick(p, Qt::Key_Space);
    QCOMPARE(viewer_->currentPath(), photos_[1]);
}

void TestViewer::escape_returns_to_the_grid_as_it_was() {
    window_->resize(700, 500);  // the grid scrolls
    QApplication::processEvents();
    grid_->setThumbnailSide(260);
    const QModelIndex fourth = grid_->gridModel()->index(4);
    grid_->setCurrentIndex(fourth);
    QTRY_VERIFY(grid_->verticalScrollBar()->maximum() > 0);
    grid_->scrollTo(fourth, QAbstractItemView::PositionAtTop);
    grid_->setFocus();
    QTRY_VERIFY(grid_->verticalScrollBar()->value() > 0);
    const int scroll = grid_->verticalScrollBar()->value();
    const QModelIndexList selected = grid_->selectionModel()->selectedIndexes();

    viewer_->open(grid_, photos_[4]);
    QVERIFY(waitLoaded(viewer_->preview()));
    QTest::keyClick(viewer_->preview(), Qt::Key_F11);  // F11 also returns
    QVERIFY(!viewer_->isOpen());
    QCOMPARE(grid_->currentPath(), photos_[4]);
    QCOMPARE(grid_->verticalScrollBar()->value(), scroll);
    QCOMPARE(grid_->selectionModel()->selectedIndexes(), selected);
    QCOMPARE(window_->focusWidget(), static_cast<QWidget*>(grid_));  // the keys go back to the grid
    QVERIFY(viewer_->preview()->path().isEmpty());  // the decoded image is let go
}

void TestViewer::escape_after_stepping_selects_the_image_reached() {
    grid_->setCurrentIndex(grid_->gridModel()->index(0));
    viewer_->open(grid_, photos_[0]);
    QSignalSpy closed(viewer_, &ImageViewer::closed);
    QTest::keyClick(viewer_->preview(), Qt::Key_Right);
    QTest::keyClick(viewer_->preview(), Qt::Key_Right);
    QTest::keyClick(viewer_->preview(), Qt::Key_Escape);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed[0][0].toString(), photos_[2]);
    QCOMPARE(grid_->currentPath(), photos_[2]);
    QVERIFY(grid_->viewport()->rect().intersects(grid_->visualRect(grid_->gridModel()->index(2))));
}

void TestViewer::find_similar_from_the_view() {
    viewer_->open(grid_, photos_[3]);
    QSignalSpy similar(viewer_, &ImageViewer::findSimilarRequested);
    QTest::keyClick(viewer_->preview(), Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(similar.count(), 1);
    QCOMPARE(similar[0][0].toString(), photos_[3]);
}

void TestViewer::the_view_follows_the_grid_when_an_image_leaves() {
    viewer_->open(grid_, photos_[2]);
    grid_->removePath(photos_[2]);  // as after Move to Trash
    QCOMPARE(viewer_->currentPath(), photos_[3]);
    QCOMPARE(viewer_->positionText(), QStringLiteral("3 / 5"));
    grid_->restorePath(photos_[2]);  // Undo: back at its row
    QCOMPARE(grid_->gridModel()->pathAt(2), photos_[2]);
    QCOMPARE(viewer_->positionText(), QStringLiteral("4 / 6"));
    grid_->gridModel()->clear();  // another folder without images
    QVERIFY(!viewer_->isOpen());
}

void TestViewer::file_information_in_the_view_and_the_dock() {
    const QString camera = olympusPhoto();
    if (camera.isEmpty()) QSKIP("plasma-workspace-wallpapers is not installed");
    const QString copy = dir_.filePath(QStringLiteral("olympus.jpg"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(camera, copy));
    viewer_->open(nullptr, copy);  // a lone image: position 1 / 1
    QCOMPARE(viewer_->positionText(), QStringLiteral("1 / 1"));
    QSignalSpy updated(viewer_->info(), &InfoPanel::updated);
    QTest::keyClick(viewer_->preview(), Qt::Key_I);
    QVERIFY(viewer_->isInfoVisible());
    QVERIFY(updated.wait(kWait));
    const QString text = viewer_->info()->plainText();
    const QSize size = QImageReader(copy).size();
    QVERIFY2(text.contains(QStringLiteral("Camera: OLYMPUS IMAGING CORP. E-M1")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Dimensions: %1 × %2 px").arg(size.width()).arg(size.height())), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("(EXIF date)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Path: ") + copy), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("File size: ")), qPrintable(text));
    QVERIFY(waitLoaded(viewer_->preview()));
    saveShot(window_.get(), QStringLiteral("viewer-info.png"));
    QTest::keyClick(viewer_->preview(), Qt::Key_I);
    QVERIFY(!viewer_->isInfoVisible());
    viewer_->close();

    // The dock: the information follows the previewed file, read only while shown.
    PreviewPane pane;
    pane.resize(360, 700);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    pane.preview()->setImage(photos_[0]);
    QCOMPARE(pane.info()->path(), photos_[0]);
    QVERIFY(!pane.info()->isLoading());  // hidden: nothing read
    QSignalSpy dockUpdated(pane.info(), &InfoPanel::updated);
    pane.setInfoVisible(true);
    QVERIFY(dockUpdated.wait(kWait));
    QVERIFY2(pane.info()->plainText().contains(QStringLiteral("(file date; no EXIF date)")) ||
                 pane.info()->plainText().contains(QStringLiteral("(EXIF date)")),
             qPrintable(pane.info()->plainText()));
    pane.preview()->setImage(copy);
    QVERIFY(dockUpdated.wait(kWait));
    QVERIFY(pane.info()->plainText().contains(QStringLiteral("E-M1")));
    QVERIFY(waitLoaded(pane.preview()));
    saveShot(&pane, QStringLiteral("dock-info.png"));
}

void TestViewer::information_rows_name_the_date_source() {
    rv::ImageInfo info;
    info.width = 6000, info.height = 4000;
    info.file_size = 3456789;
    info.modified_unix = 1700000000;
    info.format = "JPEG";
    auto text = [](const QList<QPair<QString, QString>>& rows) {
        QStringList out;
        for (const auto& r : rows) out << r.first + QStringLiteral(": ") + r.second;
        return out.join(QLatin1Char('\n'));
    };
    QString t = text(describeImage(QStringLiteral("/photos/a.jpg"), info, {}));
    QVERIFY2(t.contains(QStringLiteral("Dimensions: 6000 × 4000 px (24 MP)")), qPrintable(t));
    QVERIFY2(t.contains(QStringLiteral("(file date; no EXIF date)")), qPrintable(t));
    QVERIFY(!t.contains(QStringLiteral("Camera")));
    QVERIFY(t.contains(QStringLiteral("Folder: /photos")));

    info.exif.make = "Canon";
    info.exif.model = "Canon EOS 80D";
    info.exif.lens = "EF-S18-135mm";
    info.exif.date_original = "2021:07:14 18:03:55";
    info.exif.f_number = 5.6, info.exif.exposure_time = 0.004, info.exif.iso = 400, info.exif.focal_length = 50;
    info.exif.orientation = 6;  // shown turned: 4000 x 6000
    t = text(describeImage(QStringLiteral("/photos/a.jpg"), info, {}));
    QVERIFY2(t.contains(QStringLiteral("Taken: 2021-07-14 18:03:55 (EXIF date)")), qPrintable(t));
    QVERIFY2(t.contains(QStringLiteral("Camera: Canon EOS 80D\n")), qPrintable(t));
    QVERIFY2(t.contains(QStringLiteral("Exposure: f/5.6 · 1/250 s · ISO 400 · 50 mm")), qPrintable(t));
    QVERIFY2(t.contains(QStringLiteral("Dimensions: 4000 × 6000 px")), qPrintable(t));
    QVERIFY(!t.contains(QStringLiteral("Modified")));
}

void TestViewer::transparency_is_drawn_over_the_grey() {
    viewer_->open(grid_, photos_[5]);
    PreviewWidget* p = viewer_->preview();
    QVERIFY(waitLoaded(p));
    const QImage shot = p->viewport()->grab().toImage();
    const QPointF leftHalf = QRectF(p->viewport()->rect()).center() - QPointF(60, 0);
    const QPointF rightHalf = QRectF(p->viewport()->rect()).center() + QPointF(60, 0);
    const QColor grey = shot.pixelColor((leftHalf * shot.devicePixelRatio()).toPoint());
    QCOMPARE(grey, QColor(rv::kTransparencyBackdrop, rv::kTransparencyBackdrop, rv::kTransparencyBackdrop));
    QCOMPARE(shot.pixelColor((rightHalf * shot.devicePixelRatio()).toPoint()), QColor(200, 30, 30));
}

int main(int argc, char** argv) {
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;  // the thumbnail cache's disk folder
    qputenv("XDG_CACHE_HOME", QFile::encodeName(home.path()));
    QApplication app(argc, argv);
    TestViewer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_viewer.moc"
