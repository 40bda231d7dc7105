// Teaching RuVision through the window, end to end, as a person does (issue 11): a real library of
// MATE's three collections (nature, desktop, abstract: a person's "alike" is "the same
// collection"), a real window offscreen. The person searches with every photo but one, marks each
// of the top 10 results alike or different with the A / D keys on the result grid, then presses
// Learn Now on the Learning tab; the next search, with the photo never searched with, ranks that
// photo's collection higher than before any mark. Ctrl+Z on the results then takes the last mark
// back out of the catalog. Offscreen; nothing is timed.
#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>
#include <memory>

#include "ImageGrid.h"
#include "ImageGridModel.h"
#include "LibraryService.h"
#include "learning/LearningPanel.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/ui/MainWindow.h"
#include "ui_test_util.h"

using namespace rv::ui;
using ui_test::kWait;

class TestTeachEndToEnd : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { window_.reset(); }
    void marks_in_the_window_then_learn_rank_the_collection_higher();

private:
    ImageGrid* grid() const { return window_->resultsGrid(); }
    ImageGridModel* results() const { return grid()->gridModel(); }
    void query(const QString& path) {
        window_->queryFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(results()->pathAt(0), path, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    }
    // Mean rank (1 = first) of `query`'s collection among its results shown now.
    double meanCollectionRank(const ui_test::MatePhoto& query) const {
        double sum = 0;
        int n = 0;
        for (int row = 0; row < results()->rowCount(); ++row) {
            const QString path = results()->pathAt(row);
            if (path == query.path) continue;
            for (const auto& p : photos_)
                if (p.path == path && p.group == query.group) sum += row + 1, ++n;
        }
        return n ? sum / n : 1e9;
    }
    QString groupOf(const QString& path) const {
        for (const auto& p : photos_)
            if (p.path == path) return p.group;
        return {};
    }
    std::int64_t catalogMarks() const {
        auto lib = rv::Library::open(QFile::encodeName(library_).toStdString(), rv::LibraryAccess::Read);
        if (!lib) return -1;
        auto n = rv::count_marks(**lib);
        return n ? *n : -1;
    }

    QTemporaryDir tmp_;
    QString library_;
    QVector<ui_test::MatePhoto> photos_;
    std::unique_ptr<MainWindow> window_;
};

void TestTeachEndToEnd::initTestCase() {
    QVERIFY(tmp_.isValid());
    photos_ = ui_test::writeMateCollections(tmp_.filePath(QStringLiteral("photos")));
    if (photos_.size() < 20) QSKIP("MATE's wallpapers (mate-backgrounds) are needed");
    library_ = tmp_.filePath(QStringLiteral("library"));
    window_ = std::make_unique<MainWindow>(library_);
    window_->resize(1300, 860);
    QSignalSpy opened(window_->service(), &LibraryService::opened);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY2(opened[0][0].toBool(), qPrintable(opened[0][1].toString()));
    window_->service()->setAutoLearn(false);  // this test says when to learn
    window_->service()->addRoot(tmp_.filePath(QStringLiteral("photos")));
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, qint64(photos_.size()), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!window_->service()->isIndexing(), kWait);
}

void TestTeachEndToEnd::marks_in_the_window_then_learn_rank_the_collection_higher() {
    const ui_test::MatePhoto held = photos_[0];  // never searched with
    query(held.path);
    const double before = meanCollectionRank(held);

    // The person: every other photo as a query, a mark on each of its top 10 by collection (those
    // not marked yet).
    QSignalSpy stored(window_->service(), &LibraryService::markStored);
    int marks = 0;
    std::set<std::pair<QString, QString>> pairs;  // unordered pairs marked (a later mark replaces an earlier one)
    QString lastQuery, lastMarked;
    bool lastWasNew = false;
    for (int q = 1; q < photos_.size(); ++q) {
        query(photos_[q].path);
        QStringList top;
        for (int row = 0; row < results()->rowCount() && top.size() < 10; ++row)
            if (results()->pathAt(row) != photos_[q].path) top << results()->pathAt(row);
        for (const QString& path : top) {
            // A card already marked (the pair was judged from its other side) is left as it is:
            // the same key again would take the mark back.
            if (results()->index(results()->rowOf(path)).data(ImageGridModel::MarkRole).toInt() != int(MarkState::None))
                continue;
            grid()->setFocus();
            grid()->setCurrentIndex(results()->index(results()->rowOf(path)));  // rows move after each mark
            const int seen = stored.count();
            QTest::keyClick(grid(), groupOf(path) == photos_[q].group ? Qt::Key_A : Qt::Key_D);
            QTRY_VERIFY_WITH_TIMEOUT(stored.count() > seen, kWait);
            QVERIFY2(stored.last().at(3).toString().isEmpty(), qPrintable(stored.last().at(3).toString()));
            ++marks;
            lastWasNew = pairs.insert(std::minmax(photos_[q].path, path)).second;
            lastQuery = photos_[q].path;
            lastMarked = path;
            QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
        }
    }
    QCOMPARE(catalogMarks(), std::int64_t(pairs.size()));

    // Learn Now on the Learning tab.
    window_->showLearning();
    LearningPanel* panel = window_->learningPanel();
    QTRY_VERIFY_WITH_TIMEOUT(panel->learnButton()->isEnabled(), kWait);
    QSignalSpy learned(window_->service(), &LibraryService::learnFinished);
    panel->learnButton()->click();
    QVERIFY(learned.wait(kWait));
    const auto outcome = learned.at(0).at(0).value<LearnOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    QVERIFY2(outcome.activated, qPrintable(outcome.reason));

    // The next search, with the photo no one searched with.
    query(held.path);
    const double after = meanCollectionRank(held);
    qInfo("%d marks given in the window; mean rank of %s's collection for %s: %.2f before, %.2f after learning",
          marks, qPrintable(held.group), qPrintable(QFileInfo(held.path).fileName()), before, after);
    QVERIFY(after < before);

    // Ctrl+Z on the results takes the last mark back out of the catalog (or, for a pair marked
    // before, gives back that earlier verdict).
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    grid()->setFocus();
    const int seen = stored.count();
    QTest::keyClick(grid(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(stored.count() > seen, kWait);
    QCOMPARE(catalogMarks(), std::int64_t(pairs.size()) - (lastWasNew ? 1 : 0));
    auto lib = rv::Library::open(QFile::encodeName(library_).toStdString(), rv::LibraryAccess::Read);
    QVERIFY(lib);
    auto all = rv::list_marks(**lib);
    QVERIFY(all);
    const std::string a = QFile::encodeName(lastQuery).toStdString(), b = QFile::encodeName(lastMarked).toStdString();
    bool present = false;
    for (const auto& m : *all) present = present || (m.a == a && m.b == b) || (m.a == b && m.b == a);
    QCOMPARE(present, !lastWasNew);
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestTeachEndToEnd test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_teach_end_to_end.moc"
