// Alike / different marks on the Similar tab, end to end with the real engine: a real library of
// real photos (Debian's mate-backgrounds) and a crop of each (its "class"), a real window
// offscreen. A click on a card's alike button and the D key reach the catalog (read back with
// rv::list_marks from the library folder); a second click removes the mark; the re-rank moves the
// marked photo's crop up and shows the move; Ctrl+Z / Ctrl+Shift+Z undo and redo a mark in the
// catalog; marks stored earlier show as badges when the query comes back; a pasted query cannot
// be marked. Offscreen; nothing is timed.
#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QStyleOptionViewItem>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <memory>

#include "FileCommands.h"
#include "ImageGrid.h"
#include "LibraryService.h"
#include "marks/ResultMarks.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/ui/MainWindow.h"
#include "ui_test_util.h"

using rv::ui::ImageGridModel;
using rv::ui::LibraryService;
using rv::ui::MainWindow;
using rv::ui::MarkState;

namespace {

using ui_test::kWait;

struct StoredMark {
    QString a, b, verdict, source;
    qint64 session = 0;
};

}  // namespace

class TestResultMarks : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    // In order, on one window and library.
    void a_click_marks_alike_and_the_class_moves_up();
    void a_second_click_removes_the_mark();
    void the_key_marks_different();
    void undo_and_redo_reach_the_catalog();
    void stored_marks_show_when_the_query_comes_back();
    void ctrl_z_undoes_a_newer_trash_first();
    void a_pasted_query_cannot_be_marked();
    void the_menus_name_the_keys();

private:
    rv::ui::ImageGrid* grid() const { return window_->resultsGrid(); }
    ImageGridModel* results() const { return grid()->gridModel(); }
    int rankOf(const QString& path) const {
        const int row = results()->rowOf(path);
        return row < 0 ? -1 : results()->index(row).data(ImageGridModel::RankRole).toInt();
    }
    // Every mark in the library's catalog, read through the engine from the library folder.
    QList<StoredMark> catalogMarks() const;
    std::optional<StoredMark> catalogMark(const QString& a, const QString& b) const {
        for (const StoredMark& m : catalogMarks())
            if ((m.a == a && m.b == b) || (m.a == b && m.b == a)) return m;
        return std::nullopt;
    }
    void query(const QString& path) {
        window_->queryFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), path, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    }
    // Clicks the `which` button of the card of `path` (scrolled into view first).
    void clickMark(const QString& path, MarkState which) {
        const QModelIndex index = results()->index(results()->rowOf(path));
        QVERIFY(index.isValid());
        grid()->scrollTo(index);
        QCoreApplication::processEvents();
        const QRect button = grid()->delegate()->markButtonRect(grid()->visualRect(index), index, which, grid()->font());
        QVERIFY(!button.isEmpty());
        QTest::mouseMove(grid()->viewport(), button.center());
        QTest::mouseClick(grid()->viewport(), Qt::LeftButton, {}, button.center());
    }
    bool ready() const { return window_ && window_->service()->snapshot().indexed == expectedIndexed_; }

    QTemporaryDir tmp_;
    QString library_;
    QStringList photos_, crops_;  // crops_[i]: the middle of photos_[i], a picture of its own
    qint64 expectedIndexed_ = 0;
    std::unique_ptr<MainWindow> window_;
    QString marked_;   // the photo marked alike
    QString other_;    // the photo marked different
};

QList<StoredMark> TestResultMarks::catalogMarks() const {
    QList<StoredMark> out;
    auto lib = rv::Library::open(QFile::encodeName(library_).toStdString(), rv::LibraryAccess::Read);
    if (!lib) return out;
    auto marks = rv::list_marks(**lib);
    if (!marks) return out;
    for (const rv::Mark& m : *marks)
        out.push_back({QFile::decodeName(QByteArray::fromStdString(m.a)), QFile::decodeName(QByteArray::fromStdString(m.b)),
                       QString::fromLatin1(rv::to_string(m.verdict)), QString::fromLatin1(rv::to_string(m.source)),
                       m.session});
    return out;
}

void TestResultMarks::initTestCase() {
    QVERIFY(tmp_.isValid());
    const QString folder = tmp_.filePath(QStringLiteral("photos"));
    photos_ = ui_test::writeScaledPhotos(folder, 8, 640);
    if (photos_.size() < 8) QSKIP("mate-backgrounds (/usr/share/backgrounds/mate/nature) is not installed");
    for (const QString& p : photos_) {
        const QImage image(p);
        QVERIFY(!image.isNull());
        const QRect middle(image.width() / 8, image.height() / 8, image.width() * 3 / 4, image.height() * 3 / 4);
        const QString crop = QFileInfo(p).absolutePath() + QStringLiteral("/crop of ") + QFileInfo(p).fileName();
        QVERIFY(image.copy(middle).save(crop, "JPEG", 88));
        crops_ << crop;
    }
    expectedIndexed_ = photos_.size() + crops_.size();
    library_ = tmp_.filePath(QStringLiteral("library"));
    window_ = std::make_unique<MainWindow>(library_);
    window_->resize(1300, 860);
    QSignalSpy opened(window_->service(), &LibraryService::opened);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY2(opened[0][0].toBool(), qPrintable(opened[0][1].toString()));
    window_->service()->addRoot(folder);
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, expectedIndexed_, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!window_->service()->isIndexing(), kWait);
}

void TestResultMarks::cleanupTestCase() {
    window_.reset();
    QThreadPool::globalInstance()->waitForDone();
}

void TestResultMarks::a_click_marks_alike_and_the_class_moves_up() {
    if (!ready()) QSKIP("the library was not indexed");
    query(photos_[0]);
    QCOMPARE(results()->rowCount(), int(expectedIndexed_));  // every file is a picture of its own
    QVERIFY(results()->index(0).data(ImageGridModel::MarkableRole).toBool());
    // The photo whose crop ranks lowest: its class has the most room to move up.
    int worst = -1;
    for (int i = 1; i < photos_.size(); ++i)
        if (worst < 0 || rankOf(crops_[i]) > rankOf(crops_[worst])) worst = i;
    marked_ = photos_[worst];
    const int cropBefore = rankOf(crops_[worst]);
    QVERIFY2(cropBefore > 3, "the crop ranks near the top already: nothing to show");

    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    clickMark(marked_, MarkState::Alike);
    // The badge shows at once, before the catalog answers.
    QCOMPARE(results()->index(results()->rowOf(marked_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::Alike));
    QVERIFY(stored.wait(kWait));
    QVERIFY2(stored.last()[3].toString().isEmpty(), qPrintable(stored.last()[3].toString()));
    const auto mark = catalogMark(photos_[0], marked_);
    QVERIFY(mark);
    QCOMPARE(mark->verdict, QStringLiteral("alike"));
    QCOMPARE(mark->source, QStringLiteral("search"));
    QVERIFY(mark->session > 0);  // the search it was given in is recorded

    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    const int cropAfter = rankOf(crops_[worst]);
    qInfo("crop of the photo marked alike: #%d before the mark, #%d after (of %d)", cropBefore, cropAfter, results()->rowCount());
    QVERIFY2(cropAfter < cropBefore, qPrintable(QStringLiteral("crop #%1 -> #%2").arg(cropBefore).arg(cropAfter)));
    // The move is shown on the card, and the marked card stays marked, current and in view.
    QCOMPARE(results()->index(results()->rowOf(crops_[worst])).data(ImageGridModel::MoveRole).toInt(),
             cropBefore - cropAfter);
    QCOMPARE(results()->index(results()->rowOf(marked_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::Alike));
    QCOMPARE(grid()->currentPath(), marked_);
    QVERIFY(grid()->viewport()->rect().intersects(grid()->visualRect(grid()->currentIndex())));
    // For a person to look at: RUVISION_TEST_SHOTS=DIR keeps the window as it is now.
    if (const QString shots = qEnvironmentVariable("RUVISION_TEST_SHOTS"); !shots.isEmpty()) {
        QTest::mouseMove(grid()->viewport(), grid()->visualRect(grid()->currentIndex()).center());
        QCoreApplication::processEvents();
        QVERIFY(window_->grab().save(shots + QStringLiteral("/result-marks-rerank.png")));
        // The hover state cannot be grabbed offscreen: the card painted as under the pointer.
        QImage card(grid()->visualRect(grid()->currentIndex()).size(), QImage::Format_ARGB32_Premultiplied);
        card.fill(Qt::white);
        QPainter painter(&card);
        QStyleOptionViewItem option;
        option.initFrom(grid());
        option.rect = card.rect();
        option.state |= QStyle::State_MouseOver;
        grid()->delegate()->paint(&painter, option, grid()->currentIndex());
        painter.end();
        QVERIFY(card.save(shots + QStringLiteral("/result-marks-hover.png")));
    }
}

void TestResultMarks::a_second_click_removes_the_mark() {
    if (marked_.isEmpty()) QSKIP("no mark");
    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    clickMark(marked_, MarkState::Alike);
    QVERIFY(stored.wait(kWait));
    QCOMPARE(results()->index(results()->rowOf(marked_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::None));
    QVERIFY(!catalogMark(photos_[0], marked_));
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestResultMarks::the_key_marks_different() {
    if (marked_.isEmpty()) QSKIP("no mark");
    other_ = results()->pathAt(1) == marked_ ? results()->pathAt(2) : results()->pathAt(1);
    grid()->setFocus();
    grid()->setCurrentIndex(results()->index(results()->rowOf(other_)));
    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    QTest::keyClick(grid(), Qt::Key_D);
    QVERIFY(stored.wait(kWait));
    const auto mark = catalogMark(photos_[0], other_);
    QVERIFY(mark);
    QCOMPARE(mark->verdict, QStringLiteral("different"));
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    QCOMPARE(results()->index(results()->rowOf(other_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::Different));
    QCOMPARE(grid()->currentPath(), other_);
}

void TestResultMarks::undo_and_redo_reach_the_catalog() {
    if (other_.isEmpty()) QSKIP("no mark");
    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    grid()->setFocus();
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(stored.wait(kWait));
    QVERIFY(!catalogMark(photos_[0], other_));
    QCOMPARE(results()->index(results()->rowOf(other_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::None));
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);

    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(stored.wait(kWait));
    const auto mark = catalogMark(photos_[0], other_);
    QVERIFY(mark);
    QCOMPARE(mark->verdict, QStringLiteral("different"));
    QCOMPARE(results()->index(results()->rowOf(other_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::Different));
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    // Undo twice more: back past the removal to the alike mark, as the person gave it.
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(stored.wait(kWait));
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(stored.wait(kWait));
    QVERIFY(!catalogMark(photos_[0], other_));
    const auto again = catalogMark(photos_[0], marked_);
    QVERIFY(again);
    QCOMPARE(again->verdict, QStringLiteral("alike"));
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestResultMarks::stored_marks_show_when_the_query_comes_back() {
    if (marked_.isEmpty()) QSKIP("no mark");
    query(photos_[1]);
    QCOMPARE(results()->index(results()->rowOf(marked_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::None));
    query(photos_[0]);  // a new query of the same file: its marks come from the catalog
    QCOMPARE(results()->index(results()->rowOf(marked_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::Alike));
    QCOMPARE(results()->index(results()->rowOf(other_)).data(ImageGridModel::MarkRole).toInt(), int(MarkState::None));
}

void TestResultMarks::ctrl_z_undoes_a_newer_trash_first() {
    if (marked_.isEmpty()) QSKIP("no mark");
    rv::ui::FileCommands* files = window_->fileCommands();
    files->confirmTrash = [](const QString&) { return true; };
    const QString victim = crops_[1] == results()->pathAt(0) ? crops_[2] : crops_[1];
    QSignalSpy trashed(files, &rv::ui::FileCommands::trashed);
    files->moveToTrash(victim);
    QVERIFY(trashed.wait(kWait));
    QVERIFY(!QFileInfo::exists(victim));
    QCOMPARE(window_->resultMarks()->undoAction()->text(), QStringLiteral("Undo Trash"));

    QSignalSpy restored(files, &rv::ui::FileCommands::restored);
    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    grid()->setFocus();
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(restored.wait(kWait));
    QVERIFY(QFileInfo::exists(victim));
    QCOMPARE(stored.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, expectedIndexed_, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    // The next Ctrl+Z is the marks' again: the first mark (alike) goes.
    QVERIFY(window_->resultMarks()->undoAction()->text().startsWith(QStringLiteral("Undo Mark")));
    QVERIFY(catalogMark(photos_[0], marked_));
    grid()->setFocus();
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(stored.wait(kWait));
    QVERIFY(!catalogMark(photos_[0], marked_));
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
}

void TestResultMarks::a_pasted_query_cannot_be_marked() {
    if (!ready()) QSKIP("the library was not indexed");
    const int before = int(catalogMarks().size());
    window_->queryImage(QImage(photos_[2]), QStringLiteral("Pasted image"));
    QTRY_VERIFY_WITH_TIMEOUT(results()->rowCount() > 0 && window_->isSettled(), kWait);
    const QModelIndex first = results()->index(0);
    QCOMPARE(first.data(ImageGridModel::MarkableRole).toBool(), false);
    QVERIFY(first.data(ImageGridModel::MarkableRole).isValid());  // shown, disabled
    QVERIFY2(results()->markingReason().contains(QStringLiteral("pasted image")), qPrintable(results()->markingReason()));
    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    clickMark(results()->pathAt(0), MarkState::Alike);
    grid()->setFocus();
    grid()->setCurrentIndex(first);
    QTest::keyClick(grid(), Qt::Key_A);
    QVERIFY(!stored.wait(2000));
    QCOMPARE(first.data(ImageGridModel::MarkRole).toInt(), int(MarkState::None));
    QCOMPARE(int(catalogMarks().size()), before);
}

void TestResultMarks::the_menus_name_the_keys() {
    if (!window_) QSKIP("no window");
    rv::ui::ResultMarks* marks = window_->resultMarks();
    QCOMPARE(marks->alikeAction()->shortcut(), QKeySequence(Qt::Key_A));
    QCOMPARE(marks->differentAction()->shortcut(), QKeySequence(Qt::Key_D));
    bool inMenu = false;
    for (QAction* menu : window_->menuBar()->actions())
        if (menu->menu() && menu->menu()->actions().contains(marks->alikeAction()) &&
            menu->menu()->actions().contains(marks->differentAction()))
            inMenu = true;
    QVERIFY(inMenu);
    QVERIFY(marks->undoAction()->shortcuts().contains(QKeySequence(QKeySequence::Undo)));
    QVERIFY(marks->redoAction()->shortcuts().contains(QKeySequence(QStringLiteral("Ctrl+Shift+Z"))));
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestResultMarks test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_result_marks.moc"
