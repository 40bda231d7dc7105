// The Learning tab of a real MainWindow on a real library of MATE's wallpapers (three collections:
// nature photos, desktop designs, abstract art; "alike" = the same collection), with marks stored
// through the engine before the window opens (the results grid's mark controls are another
// branch's): the panel lists the catalog's marks with both thumbnails and filters them; remove
// removes from the catalog; export then import round-trips and a bad line is named; a cancelled
// learn stores nothing; Learn Now stores and activates a version that the table and the chart
// show; the next search through the window ranks the query's alike files higher than before;
// Roll Back and Use No Adapter change the active version in the catalog, and the results shown
// follow; Compare shows both
// rankings; background learning starts by itself after new marks; a learn overtaken by opening
// another library does not keep the new one from learning.
//
// Offscreen; XDG_* in a temporary folder; models from RUVISION_MODELS. The checks of the catalog
// open a second, read-only rv::Library on the same folder (as another process would). Nothing is
// timed; waits are generous.
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>

#include "ImageGrid.h"
#include "LibraryService.h"
#include "ThumbnailSource.h"
#include "learning/CompareDialog.h"
#include "learning/LearningPanel.h"
#include "learning/MarksTable.h"
#include "learning/VersionsView.h"
#include "ui_test_util.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/ui/MainWindow.h"

using namespace rv::ui;
using ui_test::kWait;

namespace {

using Photo = ui_test::MatePhoto;

std::string markLine(const Photo& a, const Photo& b, bool alike) {
    return R"({"a":")" + a.path.toStdString() + R"(","b":")" + b.path.toStdString() + R"(","verdict":")" +
           (alike ? "alike" : "different") + "\"}\n";
}

bool waitFor(const std::function<bool()>& pred, int ms = kWait) { return QTest::qWaitFor(pred, ms); }

// A read-only look at the catalog, as another process would have it.
std::unique_ptr<rv::Library> peek(const QString& dir) {
    auto lib = rv::Library::open(dir.toStdString(), rv::LibraryAccess::Read);
    return lib ? std::move(*lib) : nullptr;
}

}  // namespace

class TestLearningPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    // In order, on one window and library.
    void panel_lists_the_catalogs_marks();
    void filter_by_name_and_verdict();
    void export_remove_import_round_trips();
    void import_names_the_lines_it_cannot_place();
    void cancel_stops_a_learn_and_stores_nothing();
    void learn_now_stores_a_version_the_table_and_chart_show();
    void next_search_ranks_alike_files_higher();
    void roll_back_and_no_adapter_change_the_active_version();
    void compare_shows_both_rankings();
    void background_learning_starts_after_new_marks();
    void another_library_opened_mid_learn_can_learn_again();

private:
    // Ranks (1 = first) of every result of a search through the window for `query`.
    std::map<QString, int> searchRanks(const QString& query);
    // Mean rank of the query's alike files (same collection) in `ranks`.
    double meanAlikeRank(const Photo& query, const std::map<QString, int>& ranks) const;
    LearnOutcome waitLearn(const std::function<void()>& start);
    qint64 catalogActive();

    std::unique_ptr<QTemporaryDir> home_, tmp_;
    std::unique_ptr<MainWindow> window_;
    LearningPanel* panel_ = nullptr;
    QString lib_, marksFile_, laterFile_;
    QVector<Photo> photos_;
    int marks_ = 0, different_ = 0, later_ = 0;
    std::map<QString, int> before_;  // ranks for photos_[0] before any learning
};

void TestLearningPanel::initTestCase() {
    home_ = std::make_unique<QTemporaryDir>();
    tmp_ = std::make_unique<QTemporaryDir>();
    QVERIFY(home_->isValid() && tmp_->isValid());
    photos_ = ui_test::writeMateCollections(tmp_->filePath("photos"));
    QVERIFY2(photos_.size() >= 20, "MATE's wallpapers (mate-backgrounds) are needed");
    lib_ = tmp_->filePath("library");
    {
        auto lib = rv::Library::open(lib_.toStdString());
        QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
        QVERIFY((*lib)->add_root(tmp_->filePath("photos").toStdString()));
        std::atomic<bool> cancel{false};
        auto r = (*lib)->index({}, cancel);
        QVERIFY(r && r->failed == 0);
        // Every alike pair and as many different ones (every other cross pair); 15 of the other
        // cross pairs are kept for the background-learning test.
        std::ofstream now(tmp_->filePath("marks.jsonl").toStdString()), later(tmp_->filePath("later.jsonl").toStdString());
        int alike = 0;
        QVector<std::pair<int, int>> cross;
        for (int i = 0; i < photos_.size(); ++i)
            for (int j = i + 1; j < photos_.size(); ++j) {
                if (photos_[i].group == photos_[j].group) now << markLine(photos_[i], photos_[j], true), ++alike;
                else cross.push_back({i, j});
            }
        for (int c = 0; c < cross.size() && different_ < alike; c += 2, ++different_)
            now << markLine(photos_[cross[c].first], photos_[cross[c].second], false);
        for (int c = 1; c < cross.size() && later_ < 15; c += 2, ++later_)
            later << markLine(photos_[cross[c].first], photos_[cross[c].second], false);
        now.close();
        std::ifstream in(tmp_->filePath("marks.jsonl").toStdString());
        auto imported = rv::import_marks(**lib, in);
        QVERIFY(imported && imported->problems.empty());
        marks_ = static_cast<int>(imported->imported);
        QCOMPARE(marks_, alike + different_);
        QCOMPARE(later_, 15);
    }
    marksFile_ = tmp_->filePath("export.jsonl");
    laterFile_ = tmp_->filePath("later.jsonl");

    window_ = std::make_unique<MainWindow>(lib_);
    window_->resize(1300, 850);
    window_->show();
    panel_ = window_->learningPanel();
    QVERIFY(panel_);
    panel_->autoLearnBox()->setChecked(false);  // on by default; the last test turns it on
    QVERIFY(waitFor([&] { return window_->isSettled() && window_->service()->isOpen(); }));
}

void TestLearningPanel::cleanupTestCase() {
    window_.reset();
    tmp_.reset();
    home_.reset();
}

void TestLearningPanel::panel_lists_the_catalogs_marks() {
    window_->showLearning();
    QVERIFY(panel_->isVisible());
    QVERIFY(waitFor([&] { return panel_->isSettled() && panel_->marksModel()->rowCount() == marks_; }));
    QCOMPARE(panel_->marksModel()->alikeCount(), marks_ - different_);
    QVERIFY2(panel_->countsLabel()->text().contains(QString::number(marks_)), qPrintable(panel_->countsLabel()->text()));
    // The catalog's marks, pair for pair.
    auto lib = peek(lib_);
    auto listed = rv::list_marks(*lib);
    QVERIFY(listed);
    QSet<QString> catalog, shown;
    for (const auto& m : *listed) catalog << QString::fromStdString(m.a + "|" + m.b + "|" + rv::to_string(m.verdict));
    for (const auto& m : panel_->marksModel()->marks()) shown << m.a + "|" + m.b + (m.alike ? "|alike" : "|different");
    QCOMPARE(shown, catalog);
    // Both thumbnails of the first row arrive (the delegate asked for them while painting).
    ThumbnailSource* thumbs = panel_->marksModel()->thumbnails();
    const MarkRow first = panel_->marksModel()->mark(0);
    QVERIFY(waitFor([&] {
        return !thumbs->thumbnail(first.a, MarksModel::kThumbSide).isNull() &&
               !thumbs->thumbnail(first.b, MarksModel::kThumbSide).isNull();
    }));
}

void TestLearningPanel::filter_by_name_and_verdict() {
    MarksFilter* f = panel_->marksFilter();
    panel_->verdictBox()->setCurrentIndex(MarksFilter::Different);
    QCOMPARE(f->rowCount(), different_);
    panel_->verdictBox()->setCurrentIndex(MarksFilter::Alike);
    QCOMPARE(f->rowCount(), marks_ - different_);
    panel_->verdictBox()->setCurrentIndex(MarksFilter::Any);
    const QString name = QFileInfo(photos_[0].path).completeBaseName();
    panel_->filterEdit()->setText(name.toUpper());  // case-insensitive
    int expected = 0;
    for (const auto& m : panel_->marksModel()->marks()) expected += m.a == photos_[0].path || m.b == photos_[0].path;
    QVERIFY(expected > 0);
    QCOMPARE(f->rowCount(), expected);
    panel_->filterEdit()->clear();
    QCOMPARE(f->rowCount(), marks_);
}

void TestLearningPanel::export_remove_import_round_trips() {
    QSignalSpy exported(window_->service(), &LibraryService::marksExported);
    panel_->exportMarksTo(marksFile_);
    QVERIFY(exported.wait(kWait));
    QCOMPARE(exported.at(0).at(1).toLongLong(), qint64(marks_));
    QVERIFY(exported.at(0).at(2).toString().isEmpty());
    QFile file(marksFile_);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), marks_);
    const QVector<MarkRow> before = panel_->marksModel()->marks();

    // Remove every alike mark (selected through the filter) ...
    panel_->verdictBox()->setCurrentIndex(MarksFilter::Alike);
    panel_->marksView()->selectAll();
    panel_->marksView()->setFocus();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    QTest::keyClick(panel_->marksView(), Qt::Key_Delete);  // Del in the list
    QVERIFY(waitFor([&] { return panel_->isSettled() && panel_->marksModel()->rowCount() == different_; }));
    panel_->verdictBox()->setCurrentIndex(MarksFilter::Any);
    {
        auto lib = peek(lib_);
        auto n = rv::count_marks(*lib);
        QVERIFY(n);
        QCOMPARE(*n, qint64(different_));  // gone from the catalog
    }
    // ... and import the export: every mark is back, with its verdict.
    panel_->importMarksFrom(marksFile_);
    QVERIFY(waitFor([&] { return panel_->isSettled() && panel_->marksModel()->rowCount() == marks_; }));
    QVERIFY2(panel_->reportView()->toPlainText().contains(QString::number(marks_)), qPrintable(panel_->reportView()->toPlainText()));
    QSet<QString> was, now;
    for (const auto& m : before) was << m.a + m.b + (m.alike ? "=" : "!");
    for (const auto& m : panel_->marksModel()->marks()) now << m.a + m.b + (m.alike ? "=" : "!");
    QCOMPARE(now, was);
}

void TestLearningPanel::import_names_the_lines_it_cannot_place() {
    const QString bad = tmp_->filePath("bad.jsonl");
    {
        std::ofstream f(bad.toStdString());
        f << markLine(photos_[0], photos_[1], photos_[0].group == photos_[1].group);
        f << R"({"a":"/nowhere/x.jpg","b":")" << photos_[1].path.toStdString() << R"(","verdict":"alike"})" << "\n";
        f << "not json\n";
    }
    QSignalSpy imported(window_->service(), &LibraryService::marksImported);
    panel_->importMarksFrom(bad);
    QVERIFY(imported.wait(kWait));
    const auto report = imported.at(0).at(0).value<MarkImportReport>();
    QCOMPARE(report.imported, qint64(1));
    QCOMPARE(report.problems.size(), 2);
    const QString text = panel_->reportView()->toPlainText();
    QVERIFY2(text.contains("line 2") && text.contains("/nowhere/x.jpg") && text.contains("line 3"), qPrintable(text));
    QVERIFY(waitFor([&] { return panel_->isSettled(); }));
    QCOMPARE(panel_->marksModel()->rowCount(), marks_);  // the placed line replaced an existing mark
}

LearnOutcome TestLearningPanel::waitLearn(const std::function<void()>& start) {
    QSignalSpy done(window_->service(), &LibraryService::learnFinished);
    start();
    if (!done.wait(kWait)) return {};
    const auto o = done.at(0).at(0).value<LearnOutcome>();
    waitFor([&] { return panel_->isSettled(); });
    return o;
}

qint64 TestLearningPanel::catalogActive() {
    auto lib = peek(lib_);
    auto versions = rv::list_adapter_versions(*lib);
    if (!versions) return -1;
    for (const auto& v : *versions)
        if (v.active) return v.version;
    return 0;
}

void TestLearningPanel::cancel_stops_a_learn_and_stores_nothing() {
    const auto o = waitLearn([&] {
        QVERIFY(window_->service()->learnNow());
        QVERIFY(panel_->cancelButton()->isEnabled());
        panel_->cancelButton()->click();
    });
    QVERIFY(o.cancelled);
    QVERIFY(!o.ok);
    QVERIFY2(panel_->outcomeLabel()->text().contains("cancelled"), qPrintable(panel_->outcomeLabel()->text()));
    auto lib = peek(lib_);
    auto versions = rv::list_adapter_versions(*lib);
    QVERIFY(versions && versions->empty());
    QCOMPARE(panel_->versionsModel()->rowCount(), 0);
}

std::map<QString, int> TestLearningPanel::searchRanks(const QString& query) {
    QSignalSpy found(window_->service(), &LibraryService::searchFinished);
    window_->queryFile(query);
    waitFor([&] { return found.count() > 0 && window_->isSettled(); });
    std::map<QString, int> ranks;
    ImageGridModel* m = window_->resultsGrid()->gridModel();
    for (int r = 0; r < m->rowCount(); ++r) ranks[m->pathAt(r)] = r + 1;
    return ranks;
}

double TestLearningPanel::meanAlikeRank(const Photo& query, const std::map<QString, int>& ranks) const {
    double sum = 0;
    int n = 0;
    for (const auto& p : photos_)
        if (p.group == query.group && p.path != query.path && ranks.count(p.path)) sum += ranks.at(p.path), ++n;
    return n ? sum / n : 1e9;
}

void TestLearningPanel::learn_now_stores_a_version_the_table_and_chart_show() {
    before_ = searchRanks(photos_[0].path);
    QVERIFY(before_.size() >= 20);
    window_->showLearning();
    QSignalSpy progress(window_->service(), &LibraryService::learnProgress);
    QVERIFY(panel_->learnButton()->isEnabled());
    const auto o = waitLearn([&] { panel_->learnButton()->click(); });
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(o.version, qint64(1));
    QVERIFY2(o.activated, qPrintable(o.reason));
    QVERIFY(o.after > o.before);
    bool trained = false;
    for (const auto& args : progress) trained = trained || args.at(0).toString() == "training";
    QVERIFY(trained);
    const QString words = panel_->outcomeLabel()->text();
    QVERIFY2(words.contains("Version 1") && words.contains("active") && words.contains(QString::number(marks_)), qPrintable(words));
    QCOMPARE(panel_->versionsModel()->rowCount(), 1);
    QCOMPARE(panel_->versionsModel()->activeVersion(), qint64(1));
    QCOMPARE(panel_->chart()->points().size(), 1);
    QCOMPARE(panel_->chart()->activePoints().size(), 1);
    QCOMPARE(panel_->chart()->activePoints()[0].x(), 1.0);
    QVERIFY(qAbs(panel_->chart()->activePoints()[0].y() - o.after) < 1e-9);
    QCOMPARE(catalogActive(), qint64(1));
    QVERIFY(!panel_->progressBar()->isVisible());
}

void TestLearningPanel::next_search_ranks_alike_files_higher() {
    const auto after = searchRanks(photos_[0].path);
    const double was = meanAlikeRank(photos_[0], before_), now = meanAlikeRank(photos_[0], after);
    qInfo("mean rank of %s's alike files: %.2f before learning, %.2f after", qPrintable(photos_[0].group), was, now);
    QVERIFY2(now < was, qPrintable(QString("%1 -> %2").arg(was).arg(now)));
}

void TestLearningPanel::roll_back_and_no_adapter_change_the_active_version() {
    window_->showLearning();
    // A second version (the guard decides whether it becomes active), then activate it by hand.
    auto o = waitLearn([&] { panel_->learnButton()->click(); });
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(o.version, qint64(2));
    QCOMPARE(panel_->versionsModel()->rowCount(), 2);
    QCOMPARE(panel_->chart()->points().size(), 2);
    auto selectVersion = [&](qint64 v) {
        for (int r = 0; r < panel_->versionsModel()->rowCount(); ++r)
            if (panel_->versionsModel()->index(r, 0).data(VersionsModel::VersionRole).toLongLong() == v)
                panel_->versionsView()->selectRow(r);
    };
    if (!o.activated) {
        selectVersion(2);
        o = waitLearn([&] { panel_->activateSelectedVersion(); });
        QVERIFY2(o.ok, qPrintable(o.error));
    }
    QCOMPARE(catalogActive(), qint64(2));
    selectVersion(1);
    QCOMPARE(panel_->activateButton()->text(), QString("Roll Back to Version 1"));
    o = waitLearn([&] { panel_->activateButton()->click(); });
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(catalogActive(), qint64(1));
    QCOMPARE(panel_->versionsModel()->activeVersion(), qint64(1));
    QCOMPARE(panel_->chart()->activePoints().size(), 1);
    QCOMPARE(panel_->chart()->activePoints()[0].x(), 1.0);

    o = waitLearn([&] { panel_->useNoAdapter(); });
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(catalogActive(), qint64(0));
    QVERIFY(panel_->chart()->activePoints().isEmpty());
    QVERIFY2(panel_->outcomeLabel()->text().contains("No adapter"), qPrintable(panel_->outcomeLabel()->text()));
    // The Similar results follow: the current query (photos_[0]) ranks as before any learning.
    QVERIFY(waitFor([&] { return window_->isSettled(); }));
    std::map<QString, int> shown;
    ImageGridModel* results = window_->resultsGrid()->gridModel();
    for (int r = 0; r < results->rowCount(); ++r) shown[results->pathAt(r)] = r + 1;
    QCOMPARE(shown, before_);
    // Back to version 1 for what follows.
    selectVersion(1);
    o = waitLearn([&] { panel_->activateSelectedVersion(); });
    QVERIFY(o.ok);
    QCOMPARE(catalogActive(), qint64(1));
}

void TestLearningPanel::compare_shows_both_rankings() {
    searchRanks(photos_[0].path);  // the current query
    window_->showLearning();
    panel_->compare();
    CompareDialog* d = panel_->compareDialog();
    QVERIFY(d->isVisible());
    QVERIFY(waitFor([&] { return !d->isPending(); }));
    const auto* with = d->withAdapter()->gridModel();
    const auto* without = d->withoutAdapter()->gridModel();
    QVERIFY(with->rowCount() >= 20 && without->rowCount() >= 20);
    QStringList a, b;
    for (int r = 0; r < with->rowCount(); ++r) a << with->pathAt(r);
    for (int r = 0; r < without->rowCount(); ++r) b << without->pathAt(r);
    QVERIFY(a != b);  // version 1 is active: the rankings differ
    // Without the adapter: the ranking before any learning.
    std::map<QString, int> plain;
    for (int r = 0; r < b.size(); ++r) plain[b[r]] = r + 1;
    QCOMPARE(plain, before_);
    d->close();
}

void TestLearningPanel::background_learning_starts_after_new_marks() {
    QSignalSpy started(window_->service(), &LibraryService::learnStarted);
    QSignalSpy done(window_->service(), &LibraryService::learnFinished);
    window_->service()->setAutoLearn(true, 10, 0, 200);
    QTest::qWait(1000);
    QCOMPARE(started.count(), 0);  // no new marks since version 2 learned from all of them
    panel_->importMarksFrom(laterFile_);  // 15 new different marks
    QVERIFY(waitFor([&] { return done.count() > 0; }));
    QVERIFY(started.at(0).at(1).toBool());  // automatic
    const auto o = done.at(0).at(0).value<LearnOutcome>();
    QVERIFY(o.automatic);
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(o.version, qint64(3));
    QCOMPARE(o.marks, qint64(marks_ + later_));
    QVERIFY(waitFor([&] { return panel_->isSettled() && panel_->versionsModel()->rowCount() == 3; }));
    QVERIFY2(panel_->outcomeLabel()->text().startsWith("In the background"), qPrintable(panel_->outcomeLabel()->text()));
    // And not again without new marks.
    QTest::qWait(1500);
    QCOMPARE(started.count(), 1);
    window_->service()->setAutoLearn(false);
}

void TestLearningPanel::another_library_opened_mid_learn_can_learn_again() {
    QSignalSpy opened(window_->service(), &LibraryService::opened);
    QVERIFY(window_->service()->learnNow());
    window_->openLibrary(tmp_->filePath("empty-library"));  // the learn's answer is for the old one
    QVERIFY(opened.wait(kWait));
    QVERIFY(opened.at(0).at(0).toBool());
    QVERIFY(waitFor([&] { return !window_->service()->isLearning(); }));
    QCOMPARE(panel_->marksModel()->rowCount(), 0);
    QCOMPARE(panel_->versionsModel()->rowCount(), 0);
    // A learn on the new library runs, and says why it cannot learn: it has no marks.
    const auto o = waitLearn([&] { QVERIFY(window_->service()->learnNow()); });
    QVERIFY(!o.ok && !o.cancelled);
    QVERIFY2(panel_->outcomeLabel()->text().startsWith("Learning failed"), qPrintable(panel_->outcomeLabel()->text()));
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestLearningPanel test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_learning_panel.moc"
