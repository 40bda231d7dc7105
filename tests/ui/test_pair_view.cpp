// The pair view on a real library (real photos and edited copies, indexed by the real engine
// through LibraryService), offscreen: a key stores its verdict in the catalog with source pairs
// and the next pair shows at once; a marked pair is never asked again (nor after the library is
// opened afresh); Back takes the verdict back; the threshold label follows the verdicts.
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <optional>
#include <set>

#include "LibraryService.h"
#include "pairs/PairView.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ui_test_util.h"

using rv::ui::LibraryService;
using rv::ui::PairItem;
using rv::ui::PairView;
using ui_test::kWait;

namespace {

using Key = std::pair<qint64, qint64>;
Key keyOf(const PairItem& p) { return {p.aId, p.bId}; }

}  // namespace

class TestPairView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void shows_a_pair_with_names_sizes_and_reason();
    void key_stores_the_verdict_and_shows_the_next_pair();
    void threshold_label_follows_the_verdicts();
    void back_takes_the_verdict_back();
    void marked_pairs_are_not_asked_again();
    void cleanupTestCase();

private:
    // The catalog's marks, read through a second, read-only opening of the library.
    std::vector<rv::Mark> catalogMarks();
    std::optional<rv::Mark> markOn(const PairItem& p);
    void waitShown();

    QTemporaryDir dir_;
    LibraryService* service_ = nullptr;
    PairView* view_ = nullptr;
    QString library_;
    int photos_ = 0;
};

void TestPairView::initTestCase() {
    const QString folder = dir_.filePath("photos");
    const QStringList photos = ui_test::writeScaledPhotos(folder, 8, 900);
    QVERIFY(photos.size() == 8);
    // Edited copies of three: smaller and recompressed, cropped, mirrored.
    for (int i = 0; i < 3; ++i) {
        QImage im(photos[i]);
        QVERIFY(!im.isNull());
        if (i == 1) im = im.copy(im.width() / 8, im.height() / 8, im.width() * 3 / 4, im.height() * 3 / 4);
        if (i == 2) im = im.mirrored(true, false);
        QVERIFY(im.scaledToWidth(im.width() * (50 + 10 * i) / 100, Qt::SmoothTransformation)
                    .save(folder + QStringLiteral("/edit%1.jpg").arg(i), "JPEG", 60 + 10 * i));
    }
    photos_ = 11;
    library_ = dir_.filePath("library");
    service_ = new LibraryService;
    QSignalSpy opened(service_, &LibraryService::opened);
    service_->open(library_);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY(opened.first().at(0).toBool());
    service_->addRoot(folder);
    QTRY_VERIFY_WITH_TIMEOUT(!service_->isIndexing() && service_->snapshot().indexed == photos_, kWait);

    view_ = new PairView(service_);
    view_->resize(1100, 700);
    view_->show();  // shown: it asks the engine by itself
    QVERIFY(QTest::qWaitForWindowExposed(view_));
    QVERIFY(view_->hasStarted());
    waitShown();
}

void TestPairView::cleanupTestCase() {
    delete view_;
    delete service_;
}

void TestPairView::waitShown() {
    QTRY_VERIFY_WITH_TIMEOUT(view_->current() && view_->isSettled(), kWait);
}

std::vector<rv::Mark> TestPairView::catalogMarks() {
    auto lib = rv::Library::open(QFile::encodeName(library_).toStdString(), rv::LibraryAccess::Read);
    if (!lib) qWarning("%s", lib.error().message.c_str());
    if (!lib) return {};
    auto marks = rv::list_marks(**lib);
    return marks ? *marks : std::vector<rv::Mark>{};
}

std::optional<rv::Mark> TestPairView::markOn(const PairItem& p) {
    for (const auto& m : catalogMarks())
        if (m.a_id == p.aId && m.b_id == p.bId) return m;
    return std::nullopt;
}

void TestPairView::shows_a_pair_with_names_sizes_and_reason() {
    const PairItem p = *view_->current();
    QVERIFY(p.aId < p.bId);
    QVERIFY(QFileInfo::exists(p.a) && QFileInfo::exists(p.b));
    const QString left = view_->captionText(0);
    QVERIFY2(left.startsWith(QFileInfo(p.a).fileName()), qPrintable(left));
    QVERIFY2(left.contains(QStringLiteral(" px · ")), qPrintable(left));  // pixel and file sizes
    const QSize real = QImageReader(p.a).size();
    QVERIFY2(left.contains(QStringLiteral("%1 × %2").arg(real.width()).arg(real.height())), qPrintable(left));
    QVERIFY(view_->captionText(1).startsWith(QFileInfo(p.b).fileName()));
    QVERIFY2(view_->reasonText().contains(QString::number(double(p.score), 'f', 3)), qPrintable(view_->reasonText()));
    QVERIFY(view_->reasonText().contains(QStringLiteral("nearest the duplicate threshold")));
    QVERIFY2(view_->thresholdText().startsWith(QStringLiteral("Duplicate threshold ")), qPrintable(view_->thresholdText()));
    QVERIFY(view_->thresholdText().contains(QStringLiteral("the default")));  // no verdicts yet
}

void TestPairView::key_stores_the_verdict_and_shows_the_next_pair() {
    const PairItem first = *view_->current();
    QSignalSpy stored(service_, &LibraryService::pairMarkStored);
    QTest::keyClick(view_, Qt::Key_S);
    // The next pair at once (the queue holds it), before the mark is even written.
    QVERIFY(view_->current());
    QVERIFY(!(*view_->current() == first));
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, kWait);
    QVERIFY(stored.first().at(1).toBool());
    const auto m = markOn(first);
    QVERIFY(m.has_value());
    QCOMPARE(m->verdict, rv::MarkVerdict::Same);
    QCOMPARE(m->source, rv::MarkSource::Pairs);
    waitShown();  // the next pair's pictures: prefetched, or decoding
}

void TestPairView::threshold_label_follows_the_verdicts() {
    // One "same" is in; a "different" gives verdicts on both sides: the threshold is calibrated.
    const QString before = view_->thresholdText();
    const PairItem p = *view_->current();
    QSignalSpy shown(view_, &PairView::thresholdShown);
    QTest::keyClick(view_, Qt::Key_D);
    QTRY_VERIFY_WITH_TIMEOUT(view_->thresholdText().contains(QStringLiteral("calibrated from 2 verdicts")), kWait);
    QVERIFY(view_->thresholdText() != before);
    QVERIFY(shown.count() >= 1);
    QCOMPARE(markOn(p)->verdict, rv::MarkVerdict::Different);
    QCOMPARE(markOn(p)->source, rv::MarkSource::Pairs);
    waitShown();
}

void TestPairView::back_takes_the_verdict_back() {
    const PairItem p = *view_->current();
    QTest::keyClick(view_, Qt::Key_A);
    QTRY_VERIFY_WITH_TIMEOUT(markOn(p).has_value(), kWait);
    QCOMPARE(markOn(p)->verdict, rv::MarkVerdict::Alike);
    QTest::keyClick(view_, Qt::Key_Backspace);
    QVERIFY(view_->current());
    QVERIFY(*view_->current() == p);  // shown again at once
    QTRY_VERIFY_WITH_TIMEOUT(!markOn(p).has_value(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(view_->thresholdText().contains(QStringLiteral("calibrated from 2 verdicts")), kWait);
    // Back over a skip only shows the pair again.
    QTest::keyClick(view_, Qt::Key_Space);
    QVERIFY(!(*view_->current() == p));
    QTest::keyClick(view_, Qt::Key_Backspace);
    QVERIFY(*view_->current() == p);
    waitShown();
}

void TestPairView::marked_pairs_are_not_asked_again() {
    std::set<Key> marked;
    for (const auto& m : catalogMarks()) marked.insert({m.a_id, m.b_id});
    QCOMPARE(marked.size(), std::size_t(2));
    // Through every pair the engine offers in this session: never a marked one, never one twice.
    std::set<Key> shown;
    int presses = 0;
    while (view_->current() && presses < 60) {
        const Key k = keyOf(*view_->current());
        QVERIFY2(!marked.count(k), "a marked pair was asked again");
        QVERIFY2(shown.insert(k).second, "a pair was asked twice in one session");
        QTest::keyClick(view_, Qt::Key_Space);
        ++presses;
        QTRY_VERIFY_WITH_TIMEOUT(view_->isSettled(), kWait);
    }
    QVERIFY(presses >= 3);
    QVERIFY(!view_->current());  // ran dry: all candidates asked
    // The library opened afresh: a new session, the skipped pairs come back, the marked ones do not.
    QSignalSpy opened(service_, &LibraryService::opened);
    service_->open(library_);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service_->isIndexing(), kWait);
    waitShown();
    std::set<Key> again;
    for (presses = 0; view_->current() && presses < 60; ++presses) {
        const Key k = keyOf(*view_->current());
        QVERIFY2(!marked.count(k), "a marked pair was asked again after reopening");
        again.insert(k);
        QTest::keyClick(view_, Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(view_->isSettled(), kWait);
    }
    QCOMPARE(again, shown);
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-test-pair-view"));
    TestPairView test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_pair_view.moc"
