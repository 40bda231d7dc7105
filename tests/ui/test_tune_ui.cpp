// Self-supervised tuning in the window (LibraryService's tuning block, the Learning tab's tuning
// line) on a real MainWindow and a real library of MATE's wallpapers: a folder added to an empty
// library is indexed, then a tune starts by itself, its progress and outcome show under the adapter
// versions, and its 'tune' version appears in the versions table as in the catalog; a search made
// while it runs is answered; a rescan that starts while an automatic tune runs cancels it (nothing
// stored) and the tune runs again after the rescan; with tuning after indexing off, indexing starts
// no tune; Tune Now stores another version; a library with enough tunes is not tuned again.
//
// Offscreen; XDG_* in a temporary folder; models from RUVISION_MODELS. Nothing is timed; waits are
// generous.
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "LibraryService.h"
#include "learning/LearningPanel.h"
#include "learning/TuneStatus.h"
#include "learning/VersionsView.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/ui/MainWindow.h"
#include "ui_test_util.h"

using namespace rv::ui;
using ui_test::kWait;

namespace {

bool waitFor(const std::function<bool()>& pred, int ms = kWait) { return QTest::qWaitFor(pred, ms); }

// The catalog's versions, from a read-only opening as another process would see them.
std::vector<rv::AdapterVersion> catalogVersions(const QString& dir) {
    auto lib = rv::Library::open(dir.toStdString(), rv::LibraryAccess::Read);
    if (!lib) return {};
    auto v = rv::list_adapter_versions(**lib);
    return v ? *v : std::vector<rv::AdapterVersion>{};
}

}  // namespace

class TestTuneUi : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void a_tune_runs_after_indexing_and_its_version_appears();
    void a_rescan_overtakes_an_automatic_tune_which_runs_again();
    void no_tune_when_off_and_tune_now_stores_one();

private:
    std::unique_ptr<QTemporaryDir> home_, tmp_;
    std::unique_ptr<MainWindow> window_;
    LibraryService* service_ = nullptr;
    TuneStatus* status_ = nullptr;
    QString lib_;
    int photos_ = 0;
};

void TestTuneUi::initTestCase() {
    home_ = std::make_unique<QTemporaryDir>();
    tmp_ = std::make_unique<QTemporaryDir>();
    QVERIFY(home_->isValid() && tmp_->isValid());
    photos_ = ui_test::writeMateCollections(tmp_->filePath("photos")).size();
    QVERIFY2(photos_ >= 20, "MATE's wallpapers (mate-backgrounds) are needed");
    lib_ = tmp_->filePath("library");
    window_ = std::make_unique<MainWindow>(lib_);
    window_->resize(1300, 850);
    window_->show();
    service_ = window_->service();
    QVERIFY(waitFor([&] { return window_->isSettled() && service_->isOpen(); }));
    window_->showLearning();
    status_ = window_->learningPanel()->tuneStatus();
    QVERIFY(status_);
    QVERIFY(status_->autoBox()->isChecked());  // on by default
    QVERIFY(service_->autoTune());
    service_->setAutoTune(true, 20);  // the default bar is 50 images; this library has fewer
}

void TestTuneUi::cleanupTestCase() {
    window_.reset();
    tmp_.reset();
    home_.reset();
}

void TestTuneUi::a_tune_runs_after_indexing_and_its_version_appears() {
    QSignalSpy started(service_, &LibraryService::tuneStarted), finished(service_, &LibraryService::tuneFinished);
    QSignalSpy searched(service_, &LibraryService::searchFinished);
    service_->addRoot(tmp_->filePath("photos"));
    QVERIFY(waitFor([&] { return started.count() == 1; }));
    QCOMPARE(started.first().at(0).toBool(), true);  // automatic
    QVERIFY(!service_->isIndexing());
    // A search while it runs is answered (the reader pool is not the tune's).
    service_->search(tmp_->filePath("photos/nature_Garden.jpg"), 10);
    QVERIFY(waitFor([&] { return searched.count() == 1; }));
    QVERIFY2(searched.first().at(3).toString().isEmpty(), qPrintable(searched.first().at(3).toString()));
    QVERIFY(!searched.first().at(2).value<QVector<SearchHit>>().isEmpty());

    QVERIFY(waitFor([&] { return finished.count() == 1; }));
    const auto outcome = finished.first().at(0).value<TuneOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.error));
    QCOMPARE(outcome.images, qint64(photos_));
    QCOMPARE(outcome.views, qint64(4 * photos_));
    QVERIFY(outcome.version >= 1);
    QVERIFY2(status_->stateLabel()->text().startsWith(QStringLiteral("In the background: Version %1 tuned on %2 images (%3 views)")
                                                          .arg(outcome.version)
                                                          .arg(photos_)
                                                          .arg(4 * photos_)),
             qPrintable(status_->stateLabel()->text()));
    // The versions table shows it as the catalog has it.
    VersionsModel* model = window_->learningPanel()->versionsModel();
    QVERIFY(waitFor([&] { return model->rowCount() == 1; }));
    const auto rows = model->versions();
    QCOMPARE(rows.first().source, QStringLiteral("tune"));
    QCOMPARE(rows.first().version, outcome.version);
    QCOMPARE(model->data(model->index(0, VersionsModel::SourceColumn), Qt::DisplayRole).toString(), QStringLiteral("tune"));
    const auto stored = catalogVersions(lib_);
    QCOMPARE(stored.size(), std::size_t(1));
    QCOMPARE(stored.front().source, std::string("tune"));
    QCOMPARE(stored.front().active, outcome.activated);
    QCOMPARE(rows.first().active, outcome.activated);
    QVERIFY(status_->tuneButton()->isEnabled());
    QVERIFY(!status_->cancelButton()->isEnabled());
}

void TestTuneUi::a_rescan_overtakes_an_automatic_tune_which_runs_again() {
    QSignalSpy started(service_, &LibraryService::tuneStarted), finished(service_, &LibraryService::tuneFinished);
    QSignalSpy progress(service_, &LibraryService::tuneProgress);
    // 12 more files: version 1 was tuned when the library had 28 of its 40 (most): none is due.
    int files = photos_ + static_cast<int>(ui_test::writeScaledPhotos(tmp_->filePath("photos/more"), 12, 500).size());
    QCOMPARE(files, photos_ + 12);
    service_->rescan();
    QVERIFY(waitFor([&] { return !service_->isIndexing() && window_->isSettled(); }));
    QTest::qWait(500);
    QCOMPARE(started.count(), 0);
    // 36 more (resized copies of the nature photos): 28 of 76 is not most of them, a tune starts.
    for (int i = 0; i < 3; ++i)
        files += static_cast<int>(
            ui_test::writeScaledPhotos(tmp_->filePath(QStringLiteral("photos/copies%1").arg(i)), 12, 400 + 20 * i).size());
    QCOMPARE(files, photos_ + 48);
    service_->rescan();
    // At least once: on a loaded machine the folder watcher's own rescans, started while the
    // files are written, may already have started (and overtaken) a tune.
    QVERIFY(waitFor([&] { return started.count() >= 1; }));
    // While it makes views, a rescan overtakes it.
    QVERIFY(waitFor([&] {
        for (const auto& p : progress)
            if (p.at(0).toString() == QLatin1String("views")) return true;
        return finished.count() > 0;
    }));
    const int before = static_cast<int>(finished.count());
    service_->rescan();
    QVERIFY(waitFor([&] { return finished.count() > before; }));
    const auto cancelled = finished.at(before).at(0).value<TuneOutcome>();
    QVERIFY2(cancelled.cancelled, qPrintable(QStringLiteral("outcome %1 of %2: ok %3, error %4")
                                                 .arg(before).arg(finished.count()).arg(cancelled.ok).arg(cancelled.error)));
    QVERIFY(!cancelled.ok);
    QVERIFY2(status_->stateLabel()->text().startsWith(QStringLiteral("Tuning gave way")), qPrintable(status_->stateLabel()->text()));
    QCOMPARE(catalogVersions(lib_).size(), std::size_t(1));  // nothing stored
    // After the rescan (which found nothing new) the tune runs again (once more for each rescan
    // the folder watcher starts meanwhile) and stores version 2.
    auto stored = [&] {
        for (const auto& f : finished)
            if (f.at(0).value<TuneOutcome>().ok) return true;
        return false;
    };
    QVERIFY(waitFor(stored));
    QVERIFY(started.count() >= 2);
    const auto again = finished.last().at(0).value<TuneOutcome>();
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(again.images, qint64(files));
    QVERIFY(waitFor([&] { return window_->learningPanel()->versionsModel()->rowCount() == 2; }));
    QCOMPARE(catalogVersions(lib_).size(), std::size_t(2));
}

void TestTuneUi::no_tune_when_off_and_tune_now_stores_one() {
    status_->autoBox()->setChecked(false);
    QVERIFY(!service_->autoTune());
    QSignalSpy started(service_, &LibraryService::tuneStarted), finished(service_, &LibraryService::tuneFinished);
    QVERIFY(ui_test::writeScaledPhotos(tmp_->filePath("photos/last"), 12, 300).size() >= 10);
    service_->rescan();
    QVERIFY(waitFor([&] { return !service_->isIndexing() && window_->isSettled(); }));
    QTest::qWait(500);
    QCOMPARE(started.count(), 0);
    status_->tuneButton()->click();
    QVERIFY(waitFor([&] { return finished.count() == 1; }));
    QCOMPARE(started.first().at(0).toBool(), false);
    const auto o = finished.first().at(0).value<TuneOutcome>();
    QVERIFY2(o.ok, qPrintable(o.error));
    QVERIFY(waitFor([&] { return window_->learningPanel()->versionsModel()->rowCount() == 3; }));
    QVERIFY2(status_->stateLabel()->text().startsWith(QStringLiteral("Version %1 tuned on").arg(o.version)),
             qPrintable(status_->stateLabel()->text()));
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestTuneUi test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_tune_ui.moc"
