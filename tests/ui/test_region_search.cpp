// Search by region in the window: a rectangle dragged on the preview's image (offscreen, QTest
// mouse events), "Search This Region" by its button carrying the rectangle in image fractions,
// Esc and a new image clearing it, Shift+drag when the image is zoomed in (a plain drag pans), and
// the service answering that request from a real indexed library with the photo it was drawn on.
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "LibraryService.h"
#include "PreviewWidget.h"
#include "ui_test_util.h"

using rv::ui::LibraryService;
using rv::ui::PreviewWidget;
using rv::ui::SearchHit;

namespace {

constexpr int kWait = 120000;

// The viewport point at image fraction (fx, fy) of a preview in fit mode.
QPoint at(const PreviewWidget& p, double fx, double fy) {
    const QSize shown = (QSizeF(p.imageSize()) * p.zoomFactor() / p.devicePixelRatioF()).toSize();
    const QSize vp = p.viewport()->size();
    const double x0 = std::floor((vp.width() - shown.width()) / 2.0), y0 = std::floor((vp.height() - shown.height()) / 2.0);
    return QPoint(int(x0 + fx * shown.width()), int(y0 + fy * shown.height()));
}

void drag(QWidget* w, QPoint from, QPoint to, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QTest::mousePress(w, Qt::LeftButton, mods, from);
    QTest::mouseMove(w, (from + to) / 2);
    QTest::mouseMove(w, to);
    QTest::mouseRelease(w, Qt::LeftButton, mods, to);
}

}  // namespace

class TestRegionSearch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void drag_draws_a_rectangle_and_the_request_carries_it();
    void zoomed_in_a_shift_drag_draws_and_a_drag_pans();
    void the_service_finds_the_photo_of_the_region();

private:
    QTemporaryDir dir_;
    QStringList photos_;
    QRectF requested_;
};

void TestRegionSearch::initTestCase() {
    QVERIFY(dir_.isValid());
    QDir().mkpath(dir_.filePath(QStringLiteral("photos")));
    photos_ = ui_test::writeScaledPhotos(dir_.filePath(QStringLiteral("photos")), 8, 1024);
    QVERIFY(photos_.size() >= 8);
}

void TestRegionSearch::drag_draws_a_rectangle_and_the_request_carries_it() {
    PreviewWidget preview;
    preview.resize(800, 600);
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    QSignalSpy loaded(&preview, &PreviewWidget::loaded);
    preview.setImage(photos_[2]);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kWait);
    QVERIFY(preview.hasImage() && preview.isFitMode());
    QVERIFY(preview.selectedRegion().isNull());

    QSignalSpy asked(&preview, &PreviewWidget::regionSearchRequested);
    drag(preview.viewport(), at(preview, 0.25, 0.30), at(preview, 0.65, 0.80));
    const QRectF r = preview.selectedRegion();
    QVERIFY(!r.isNull());
    QVERIFY2(std::abs(r.x() - 0.25) < 0.01 && std::abs(r.y() - 0.30) < 0.01, qPrintable(QString("%1 %2").arg(r.x()).arg(r.y())));
    QVERIFY(std::abs(r.width() - 0.40) < 0.01 && std::abs(r.height() - 0.50) < 0.01);
    auto* button = preview.viewport()->findChild<QToolButton*>(QStringLiteral("searchRegionButton"));
    QVERIFY(button);
    QTRY_VERIFY(button->isVisible());
    QCOMPARE(preview.regionImage(r).size().width(), int(0.40 * preview.decodedSize().width()));
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked[0][0].toString(), photos_[2]);
    QCOMPARE(asked[0][1].toRectF(), r);

    // Esc clears it (and the button goes).
    preview.setFocus();
    QTest::keyClick(&preview, Qt::Key_Escape);
    QVERIFY(preview.selectedRegion().isNull());
    QTRY_VERIFY(!button->isVisible());
    // A click is not a rectangle; a drag from outside the image draws none.
    QTest::mouseClick(preview.viewport(), Qt::LeftButton, Qt::NoModifier, at(preview, 0.5, 0.5));
    QVERIFY(preview.selectedRegion().isNull());
    // A new image clears a rectangle.
    drag(preview.viewport(), at(preview, 0.1, 0.1), at(preview, 0.5, 0.5));
    QVERIFY(!preview.selectedRegion().isNull());
    preview.setImage(photos_[3]);
    QVERIFY(preview.selectedRegion().isNull());
}

void TestRegionSearch::zoomed_in_a_shift_drag_draws_and_a_drag_pans() {
    PreviewWidget preview;
    preview.resize(400, 300);
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    QSignalSpy loaded(&preview, &PreviewWidget::loaded);
    preview.setImage(photos_[1]);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kWait);
    preview.actualSize();  // 100 %: larger than the viewport, a drag pans
    QVERIFY(!preview.isFitMode());
    const QPoint c(200, 150);
    drag(preview.viewport(), c, c + QPoint(-80, -60));
    QVERIFY(preview.selectedRegion().isNull());
    drag(preview.viewport(), c, c + QPoint(100, 80), Qt::ShiftModifier);
    const QRectF r = preview.selectedRegion();
    QVERIFY(!r.isNull());
    // 100 x 80 screen pixels at 100 % are that many image pixels.
    QVERIFY(std::abs(r.width() * preview.imageSize().width() - 100) <= 2);
    QVERIFY(std::abs(r.height() * preview.imageSize().height() - 80) <= 2);
}

void TestRegionSearch::the_service_finds_the_photo_of_the_region() {
    LibraryService service;
    QSignalSpy opened(&service, &LibraryService::opened);
    QSignalSpy finished(&service, &LibraryService::indexFinished);
    service.open(dir_.filePath(QStringLiteral("library")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY(opened[0][0].toBool());
    service.addRoot(dir_.filePath(QStringLiteral("photos")));
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && finished.count() >= 1, kWait);

    QSignalSpy searched(&service, &LibraryService::searchFinished);
    const QRectF region(0.3, 0.35, 0.45, 0.45);  // 20 % of the picture
    const quint64 id = service.searchRegion(photos_[5], region, QStringLiteral("Region of photo 5"), 5);
    QTRY_VERIFY_WITH_TIMEOUT(searched.count() >= 1, kWait);
    QCOMPARE(searched.last()[0].toULongLong(), id);
    QCOMPARE(searched.last()[1].toString(), QStringLiteral("Region of photo 5"));
    QVERIFY2(searched.last()[3].toString().isEmpty(), qPrintable(searched.last()[3].toString()));
    const auto hits = searched.last()[2].value<QVector<SearchHit>>();
    QVERIFY(!hits.isEmpty());
    QCOMPARE(hits[0].path, photos_[5]);

    // A bad rectangle is the search's error, in words.
    const quint64 bad = service.searchRegion(photos_[5], QRectF(0.8, 0.1, 0.5, 0.5), QStringLiteral("bad"), 5);
    QTRY_VERIFY_WITH_TIMEOUT(searched.count() >= 2, kWait);
    QCOMPARE(searched.last()[0].toULongLong(), bad);
    QVERIFY(searched.last()[3].toString().contains(QStringLiteral("region")));
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestRegionSearch test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_region_search.moc"
