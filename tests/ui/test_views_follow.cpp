// Every view of the main window follows the library's changes without the person asking
// (LibraryService::libraryChanged): after a rescan, a renamed file shows under its new name in the
// folder grid (still selected) and under its new path in the Similar results; a new file appears
// in the folder grid; a copy of a picture joins the duplicates tab, asked for once before, and
// the person's Keep choices survive a later recomputation.
//
// Offscreen, the real engine, a real library in a temporary folder, real photos (Debian's
// mate-backgrounds at most 800 px). XDG_* point into a temporary folder before the application
// object exists. The tests run in order on one window. Waits are generous and nothing is timed.
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <memory>

#include "DuplicatesView.h"
#include "FolderTree.h"
#include "ImageGrid.h"
#include "PreviewWidget.h"
#include "LibraryService.h"
#include "ui_test_util.h"
#include "ruvision/ui/MainWindow.h"

using rv::ui::DuplicatesView;
using rv::ui::ImageGrid;
using rv::ui::LibraryService;
using rv::ui::MainWindow;
using ui_test::kWait;

class TestViewsFollow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void a_copy_joins_the_duplicates_asked_before();
    void a_new_file_appears_and_keep_choices_stay();
    void a_click_on_a_duplicate_previews_it();
    void a_renamed_file_follows_in_both_grids();

private:
    bool ready() const { return window_ && window_->service()->snapshot().indexed == indexed_; }
    // F5, then waits until the run is over and its change has reached the views.
    void rescanAndWait();
    ImageGrid* folderGrid() const { return window_->folderGrid(); }
    ImageGrid* results() const { return window_->resultsGrid(); }
    DuplicatesView* duplicates() const { return window_->findChild<DuplicatesView*>(); }

    QTemporaryDir tmp_;
    QString folder_;
    QStringList photos_;  // in folder_
    QString spare_;       // a distinct photo outside folder_, added later
    qint64 indexed_ = 0;
    std::unique_ptr<MainWindow> window_;
};

void TestViewsFollow::initTestCase() {
    QVERIFY(tmp_.isValid());
    folder_ = tmp_.filePath(QStringLiteral("photos"));
    const QStringList all = ui_test::writeScaledPhotos(tmp_.filePath(QStringLiteral("all")), 6, 800);
    if (all.size() < 6) QSKIP("mate-backgrounds (/usr/share/backgrounds/mate/nature) is not installed");
    QVERIFY(QDir().mkpath(folder_));
    for (int i = 0; i < 5; ++i) {
        photos_ << folder_ + QLatin1Char('/') + QFileInfo(all[i]).fileName();
        QVERIFY(QFile::copy(all[i], photos_.last()));
    }
    spare_ = all[5];
    indexed_ = photos_.size();

    window_ = std::make_unique<MainWindow>(tmp_.filePath(QStringLiteral("library")));
    QSignalSpy opened(window_->service(), &LibraryService::opened);
    window_->resize(1200, 800);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY2(opened[0][0].toBool(), qPrintable(opened[0][1].toString()));
    window_->service()->addRoot(folder_);
    QTRY_VERIFY_WITH_TIMEOUT(!window_->service()->isIndexing() && ready(), kWait);
    // The window selects the new root; the folder grid lists it.
    QTRY_COMPARE_WITH_TIMEOUT(folderGrid()->gridModel()->rowCount(), int(photos_.size()), kWait);
}

void TestViewsFollow::cleanupTestCase() {
    window_.reset();
    QThreadPool::globalInstance()->waitForDone();
}

void TestViewsFollow::rescanAndWait() {
    QSignalSpy changed(window_->service(), &LibraryService::libraryChanged);
    window_->service()->rescan();
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty() && !window_->service()->isIndexing(), kWait);
}

void TestViewsFollow::a_copy_joins_the_duplicates_asked_before() {
    if (!ready()) QSKIP("the library was not indexed");
    window_->findDuplicates();
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    QCOMPARE(duplicates()->groupCount(), 0);  // five different photos

    const QString copy = folder_ + QStringLiteral("/copy of first.jpg");
    QVERIFY(QFile::copy(photos_[0], copy));
    rescanAndWait();
    ++indexed_;
    // No Ctrl+D: the tab computes again by itself.
    QTRY_COMPARE_WITH_TIMEOUT(duplicates()->groupCount(), 1, kWait);
    QStringList group = duplicates()->groupPaths(0);
    group.sort();
    QStringList expected{copy, photos_[0]};
    expected.sort();
    QCOMPARE(group, expected);
    // Same bytes, same pixels: the older file, or on equal times the name without "copy".
    QCOMPARE(duplicates()->suggestedPath(0), photos_[0]);
    QVERIFY(!duplicates()->keepReason(0).isEmpty());
}

void TestViewsFollow::a_new_file_appears_and_keep_choices_stay() {
    if (!ready() || duplicates()->groupCount() != 1) QSKIP("no duplicates group");
    // The person keeps the copy and sends the original to the trash (not trashed yet).
    const QString copy = folder_ + QStringLiteral("/copy of first.jpg");
    QVERIFY(duplicates()->setKept(copy, true));
    QVERIFY(duplicates()->setKept(photos_[0], false));

    const QString added = folder_ + QStringLiteral("/added.jpg");
    QVERIFY(QFile::copy(spare_, added));
    QSignalSpy finished(window_->service(), &LibraryService::duplicatesFinished);
    rescanAndWait();
    ++indexed_;
    QTRY_VERIFY_WITH_TIMEOUT(folderGrid()->gridModel()->rowOf(added) >= 0, kWait);
    // The duplicates were computed again, and the group that stayed kept the choice.
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    QCOMPARE(duplicates()->groupCount(), 1);
    QVERIFY(duplicates()->isKept(copy));
    QVERIFY(!duplicates()->isKept(photos_[0]));
}

void TestViewsFollow::a_click_on_a_duplicate_previews_it() {
    if (!ready() || duplicates()->groupCount() != 1) QSKIP("no duplicates group");
    auto* preview = window_->findChild<rv::ui::PreviewWidget*>();
    QVERIFY(preview && preview->isVisible());
    QTRY_VERIFY(duplicates()->isVisible());
    for (const QString& path : duplicates()->groupPaths(0)) {
        QTest::mouseClick(duplicates()->cardArea(), Qt::LeftButton, {}, duplicates()->cardRect(path).topLeft() + QPoint(50, 50));
        QCOMPARE(preview->path(), path);
    }
}

void TestViewsFollow::a_renamed_file_follows_in_both_grids() {
    if (!ready()) QSKIP("the library was not indexed");
    const QString old = photos_[2];
    window_->queryFile(old);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled() && results()->gridModel()->rowOf(old) == 0, kWait);
    // The person looks at the renamed file in both grids.
    const QString other = photos_[3];
    results()->setCurrentIndex(results()->gridModel()->index(results()->gridModel()->rowOf(old)));
    folderGrid()->setCurrentIndex(folderGrid()->gridModel()->index(folderGrid()->gridModel()->rowOf(old)));
    QCOMPARE(folderGrid()->currentPath(), old);
    QCOMPARE(results()->currentPath(), old);

    const QString renamed = folder_ + QStringLiteral("/renamed.jpg");
    QVERIFY(QFile::rename(old, renamed));
    rescanAndWait();
    QTRY_VERIFY_WITH_TIMEOUT(folderGrid()->gridModel()->rowOf(renamed) >= 0, kWait);
    QCOMPARE(folderGrid()->gridModel()->rowOf(old), -1);
    QCOMPARE(folderGrid()->currentPath(), renamed);  // still selected, under its new name
    QTRY_VERIFY_WITH_TIMEOUT(results()->gridModel()->rowOf(renamed) >= 0, kWait);
    QCOMPARE(results()->gridModel()->rowOf(old), -1);
    QCOMPARE(results()->currentPath(), renamed);
    QVERIFY(results()->gridModel()->rowOf(other) >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-test-views-follow"));
    TestViewsFollow test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_views_follow.moc"
