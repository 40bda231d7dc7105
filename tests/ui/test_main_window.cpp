// The main window end to end, with the real engine and real photos (Debian's mate-backgrounds,
// scaled to at most 1024 px): open a library, add a folder of photos, wait for indexing, ask for
// images like one of them, and find it first and its resized copy right after it, with scores and
// ranks; back / forward through the queries; a file dropped on the window runs a query; the window
// renders to a PNG.
//
// Offscreen. XDG_CACHE_HOME (thumbnails), XDG_CONFIG_HOME (QSettings) and XDG_DATA_HOME point into
// a temporary folder before the application object exists; models come from RUVISION_MODELS (set
// by CTest, else the build's). Waits are generous and nothing is timed.
#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QImageReader>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QToolButton>
#include <QTransform>
#include <QtTest>

#include <algorithm>
#include <memory>

#include "FileCommands.h"
#include "ImageGrid.h"
#include "LibraryService.h"
#include "PreviewWidget.h"
#include "viewer/ImageViewer.h"
#include "ui_test_util.h"
#include "ruvision/ui/MainWindow.h"

using rv::ui::ImageGridModel;
using rv::ui::LibraryService;
using rv::ui::MainWindow;

namespace {

using ui_test::kWait;
using ui_test::writeScaledPhotos;

QString withSuffix(const QString& path, const QString& suffix) {
    const QFileInfo fi(path);
    return fi.absolutePath() + QLatin1Char('/') + fi.completeBaseName() + suffix + QStringLiteral(".jpg");
}

QAction* actionByText(QWidget* window, const QString& text) {
    for (QAction* a : window->findChildren<QAction*>())
        if (a->text() == text) return a;
    return nullptr;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    // In order, on one window and library.
    void query_ranks_the_photo_then_its_resized_copy();
    void back_and_forward_rerun_earlier_queries();
    void dropping_a_file_runs_a_query();
    void double_click_views_and_escape_returns();
    void context_menu_offers_the_file_commands();
    void rename_is_followed_without_embedding_again();
    void trash_forgets_and_undo_brings_back();
    void window_renders_to_png();

private:
    ImageGridModel* results() const { return window_->resultsGrid()->gridModel(); }
    bool ready() const { return window_ && window_->service()->snapshot().indexed == expectedIndexed_; }

    QTemporaryDir tmp_;
    QStringList photos_;        // distinct photos in the folder
    QString resized_, resized1_;  // resized JPEG copies of photos_[0] and photos_[1]
    qint64 expectedIndexed_ = 0;
    std::unique_ptr<MainWindow> window_;
};

void TestMainWindow::initTestCase() {
    QVERIFY(tmp_.isValid());
    const QString folder = tmp_.filePath(QStringLiteral("photos"));
    photos_ = writeScaledPhotos(folder, 8, 1024);
    if (photos_.size() < 8) QSKIP("mate-backgrounds (/usr/share/backgrounds/mate/nature) is not installed");
    // Edited copies of two photos: half the size (re-encoded), and turned 90 degrees.
    for (int i : {0, 1}) {
        const QImage image(photos_[i]);
        QVERIFY(!image.isNull());
        const QString small = withSuffix(photos_[i], QStringLiteral(" small"));
        QVERIFY(image.scaled(image.size() / 2, Qt::KeepAspectRatio, Qt::SmoothTransformation).save(small, "JPEG", 80));
        QVERIFY(image.transformed(QTransform().rotate(90)).save(withSuffix(photos_[i], QStringLiteral(" rotated")), "JPEG", 90));
        (i == 0 ? resized_ : resized1_) = small;
    }
    expectedIndexed_ = photos_.size() + 4;

    window_ = std::make_unique<MainWindow>(tmp_.filePath(QStringLiteral("library")));
    QSignalSpy opened(window_->service(), &LibraryService::opened);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY2(opened[0][0].toBool(), qPrintable(opened[0][1].toString()));

    QSignalSpy finished(window_->service(), &LibraryService::indexFinished);
    window_->service()->addRoot(folder);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && !window_->service()->isIndexing(), kWait);
    QVERIFY(finished.last()[0].toBool());
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, expectedIndexed_, kWait);
}

void TestMainWindow::cleanupTestCase() {
    window_.reset();  // its service and thumbnail loader wait for their threads
    QThreadPool::globalInstance()->waitForDone();  // folder listings: none outlives the folder
}

void TestMainWindow::query_ranks_the_photo_then_its_resized_copy() {
    if (!ready()) QSKIP("the library was not indexed");
    window_->queryFile(photos_[0]);
    QTRY_VERIFY_WITH_TIMEOUT(results()->rowCount() > 0, kWait);

    // Every indexed image is ranked (fewer than the 200 asked for), best first, ranks 1..n.
    QCOMPARE(qint64(results()->rowCount()), expectedIndexed_);
    QCOMPARE(results()->pathAt(0), photos_[0]);
    const float best = results()->index(0).data(ImageGridModel::ScoreRole).toFloat();
    QVERIFY2(best > 0.99f, qPrintable(QString::number(best)));
    float previous = 2;
    for (int row = 0; row < results()->rowCount(); ++row) {
        const QModelIndex index = results()->index(row);
        QCOMPARE(index.data(ImageGridModel::RankRole).toInt(), row + 1);
        const float score = index.data(ImageGridModel::ScoreRole).toFloat();
        QVERIFY(score <= previous);
        previous = score;
    }
    for (int r = 0; r < 4; ++r)
        qInfo("%d. %s %.3f", r + 1, qPrintable(QFileInfo(results()->pathAt(r)).fileName()),
              results()->index(r).data(ImageGridModel::ScoreRole).toFloat());
    // The resized copy is the nearest neighbour after the photo itself (top 3 leaves room for
    // the rotated copy, which may score as high). Unrelated nature photos score about 0.90-0.95
    // with this model, so the rank is what tells the copy apart; a half-size re-encode of the same
    // picture is near-identical to the network (about 0.998).
    const int row = results()->rowOf(resized_);
    QVERIFY2(row >= 1 && row <= 2, qPrintable(QStringLiteral("resized copy at row %1").arg(row)));
    const float copyScore = results()->index(row).data(ImageGridModel::ScoreRole).toFloat();
    QVERIFY2(copyScore > 0.98f, qPrintable(QString::number(copyScore)));

    // Results, thumbnails in view and indexing all done.
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestMainWindow::back_and_forward_rerun_earlier_queries() {
    if (!ready()) QSKIP("the library was not indexed");
    QAction* back = actionByText(window_.get(), QStringLiteral("&Back"));
    QAction* forward = actionByText(window_.get(), QStringLiteral("&Forward"));
    QVERIFY(back && forward);

    window_->queryFile(photos_[0]);  // the history starts here, whatever ran before
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), photos_[0], kWait);
    window_->queryFile(photos_[1]);
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), photos_[1], kWait);
    QVERIFY(results()->rowOf(resized1_) >= 1 && results()->rowOf(resized1_) <= 2);
    QVERIFY(back->isEnabled());
    QVERIFY(!forward->isEnabled());

    back->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), photos_[0], kWait);
    QVERIFY(results()->rowOf(resized_) >= 1 && results()->rowOf(resized_) <= 2);
    QVERIFY(forward->isEnabled());

    forward->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), photos_[1], kWait);
    QVERIFY(!forward->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestMainWindow::dropping_a_file_runs_a_query() {
    if (!ready()) QSKIP("the library was not indexed");
    const QString dropped = photos_[5];
    QVERIFY(results()->pathAt(0) != dropped);

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(dropped)});
    const QPointF at(window_->width() / 2.0, window_->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &drop);
    QVERIFY(drop.isAccepted());

    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), dropped, kWait);
    QVERIFY(results()->index(0).data(ImageGridModel::ScoreRole).toFloat() > 0.99f);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestMainWindow::double_click_views_and_escape_returns() {
    if (!ready()) QSKIP("the library was not indexed");
    window_->queryFile(photos_[2]);
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), photos_[2], kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    rv::ui::ImageGrid* grid = window_->resultsGrid();
    QSignalSpy searches(window_->service(), &LibraryService::searchFinished);
    const QModelIndex second = results()->index(1);
    QTest::mouseDClick(grid->viewport(), Qt::LeftButton, {}, grid->visualRect(second).center());
    rv::ui::ImageViewer* viewer = window_->viewer();
    QVERIFY(viewer->isOpen());
    QCOMPARE(viewer->currentPath(), results()->pathAt(1));
    QCOMPARE(viewer->geometry(), window_->rect());
    QCOMPARE(viewer->positionText(), QStringLiteral("2 / %1").arg(results()->rowCount()));
    QTest::keyClick(viewer->preview(), Qt::Key_Right);
    QCOMPARE(viewer->currentPath(), results()->pathAt(2));
    if (const QString shots = qEnvironmentVariable("RUVISION_SCREENSHOTS"); !shots.isEmpty()) {
        QTRY_VERIFY_WITH_TIMEOUT(viewer->preview()->hasImage(), kWait);
        QVERIFY(window_->grab().save(QDir(shots).filePath(QStringLiteral("window-full-view.png")), "PNG"));
    }
    QTest::keyClick(viewer->preview(), Qt::Key_Escape);
    QVERIFY(!viewer->isOpen());
    QCOMPARE(grid->currentPath(), results()->pathAt(2));
    QTest::qWait(200);
    QCOMPARE(searches.count(), 0);  // double-click is no query any more
    QCOMPARE(results()->pathAt(0), photos_[2]);

    // F11 opens the view on the current image and closes it again.
    QAction* view = actionByText(window_.get(), QStringLiteral("&View Full Window"));
    QVERIFY(view);
    QCOMPARE(view->shortcut(), QKeySequence(Qt::Key_F11));
    view->trigger();
    QVERIFY(viewer->isOpen());
    QCOMPARE(viewer->currentPath(), results()->pathAt(2));
    view->trigger();
    QVERIFY(!viewer->isOpen());

    // Find Similar in the view: the view closes on the new results.
    view->trigger();
    QTest::keyClick(viewer->preview(), Qt::Key_Right);
    const QString reached = viewer->currentPath();
    QSignalSpy similar(viewer, &rv::ui::ImageViewer::findSimilarRequested);
    viewer->findChild<QToolButton*>(QStringLiteral("findSimilarButton"))->click();
    QCOMPARE(similar.count(), 1);
    QVERIFY(!viewer->isOpen());
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), reached, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestMainWindow::context_menu_offers_the_file_commands() {
    if (!window_) QSKIP("no window");
    for (const char* text : {"Find &Similar", "&View Full Window", "&Open With System Viewer", "Open Containing &Folder", "&Copy Path",
                             "&Rename…", "Move to &Trash…", "&Undo Move to Trash", "File &Information"})
        QVERIFY2(actionByText(window_.get(), QString::fromUtf8(text)), text);
    QVERIFY(actionByText(window_.get(), QStringLiteral("Find &Similar"))->toolTip().contains(QStringLiteral("Enter")));
    QVERIFY(!actionByText(window_.get(), QStringLiteral("Find &Similar"))->toolTip().contains(QStringLiteral("double-click")));
}

void TestMainWindow::rename_is_followed_without_embedding_again() {
    if (!ready()) QSKIP("the library was not indexed");
    window_->queryFile(photos_[6]);
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), photos_[6], kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    const QString renamed = QFileInfo(photos_[6]).absolutePath() + QStringLiteral("/renamed meadow.jpg");
    rv::ui::FileCommands* files = window_->fileCommands();
    files->askNewName = [](const QString&) { return QStringLiteral("renamed meadow.jpg"); };
    qint64 moved = 0, embedded = 0;
    int runs = 0;
    auto counting = connect(window_->service(), &LibraryService::indexFinished, this,
                            [&](bool, const QString&, const rv::ui::IndexSummary& s) {
                                moved += s.moved, embedded += s.embedded, ++runs;
                            });
    QSignalSpy done(files, &rv::ui::FileCommands::renamed);
    files->rename(photos_[6]);
    QVERIFY(done.wait(kWait));
    QCOMPARE(results()->pathAt(0), renamed);  // at once, before the library knows
    QTRY_VERIFY_WITH_TIMEOUT(runs > 0 && !window_->service()->isIndexing(), kWait);
    disconnect(counting);
    QCOMPARE(moved, qint64(1));
    QCOMPARE(embedded, qint64(0));
    QCOMPARE(window_->service()->snapshot().indexed, expectedIndexed_);
    window_->queryFile(renamed);
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), renamed, kWait);
    QCOMPARE(results()->rowOf(photos_[6]), -1);
    photos_[6] = renamed;
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestMainWindow::trash_forgets_and_undo_brings_back() {
    if (!ready()) QSKIP("the library was not indexed");
    const QString victim = photos_[7];
    window_->queryFile(victim);
    QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), victim, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    rv::ui::FileCommands* files = window_->fileCommands();
    QStringList asked;
    files->confirmTrash = [&asked](const QString& p) {
        asked << p;
        return true;
    };
    QSignalSpy trashed(files, &rv::ui::FileCommands::trashed);
    files->moveToTrash(victim);
    QVERIFY(trashed.wait(kWait));
    QCOMPARE(asked, QStringList{victim});
    QVERIFY(!QFileInfo::exists(victim));
    QCOMPARE(results()->rowOf(victim), -1);
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, expectedIndexed_ - 1, kWait);

    QSignalSpy restored(files, &rv::ui::FileCommands::restored);
    files->undoTrash();
    QVERIFY(restored.wait(kWait));
    QVERIFY(QFileInfo::exists(victim));
    QCOMPARE(results()->pathAt(0), victim);  // back in its row
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, expectedIndexed_, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestMainWindow::window_renders_to_png() {
    if (!window_) QSKIP("no window");
    const QString png = tmp_.filePath(QStringLiteral("window.png"));
    QVERIFY(window_->grab().save(png, "PNG"));
    QVERIFY(QFileInfo(png).size() > 0);
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= window_->width() && image.height() >= window_->height());
}

int main(int argc, char** argv) {
    // Before the application exists: QSettings, the thumbnail cache and the trash read these once.
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-test-main-window"));
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_main_window.moc"
