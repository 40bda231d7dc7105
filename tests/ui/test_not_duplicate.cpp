// "Not a duplicate" in the duplicates view, end to end: a real library of real photos with
// edited copies (half size, re-encoded; turned 90 degrees), a real window offscreen and the real
// duplicates search. The Not a Duplicate button on a focused member and the group's menu entry
// store the verdict in the catalog (read back with rv::list_marks from the library folder: today
// "alike" from "duplicates", LibraryService::markNotDuplicate) and the groups update at once: the
// member leaves its group, a group of two dissolves.
#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTransform>
#include <QtTest>

#include <memory>

#include "DuplicatesView.h"
#include "LibraryService.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/ui/MainWindow.h"
#include "ui_test_util.h"

using rv::ui::DuplicatesView;
using rv::ui::LibraryService;
using rv::ui::MainWindow;

namespace {

using ui_test::kWait;

QString withSuffix(const QString& path, const QString& suffix) {
    const QFileInfo fi(path);
    return fi.absolutePath() + QLatin1Char('/') + fi.completeBaseName() + suffix + QStringLiteral(".jpg");
}

}  // namespace

class TestNotDuplicate : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void a_member_leaves_its_group_and_the_verdict_is_stored();
    void a_group_of_two_dissolves();
    void groups_computed_again_keep_them_apart();

private:
    // The (a, b, verdict, source) of every mark in the catalog, a and b sorted.
    QList<QStringList> catalogMarks() const {
        QList<QStringList> out;
        auto lib = rv::Library::open(QFile::encodeName(library_).toStdString(), rv::LibraryAccess::Read);
        if (!lib) return out;
        auto marks = rv::list_marks(**lib);
        if (!marks) return out;
        for (const rv::Mark& m : *marks) {
            QStringList pair{QFile::decodeName(QByteArray::fromStdString(m.a)), QFile::decodeName(QByteArray::fromStdString(m.b))};
            pair.sort();
            out.append(pair + QStringList{QString::fromLatin1(rv::to_string(m.verdict)), QString::fromLatin1(rv::to_string(m.source))});
        }
        return out;
    }
    static QStringList sortedPair(const QString& a, const QString& b) {
        QStringList p{a, b};
        p.sort();
        return p;
    }
    int groupOf(const QString& path) const {
        DuplicatesView* view = window_->duplicatesView();
        for (int g = 0; g < view->groupCount(); ++g)
            if (view->groupPaths(g).contains(path)) return g;
        return -1;
    }

    QTemporaryDir tmp_;
    QString library_;
    QStringList photos_;
    QString small0_, turned0_, small1_;
    std::unique_ptr<MainWindow> window_;
};

void TestNotDuplicate::initTestCase() {
    QVERIFY(tmp_.isValid());
    const QString folder = tmp_.filePath(QStringLiteral("photos"));
    photos_ = ui_test::writeScaledPhotos(folder, 4, 800);
    if (photos_.size() < 4) QSKIP("mate-backgrounds (/usr/share/backgrounds/mate/nature) is not installed");
    const QImage first(photos_[0]), second(photos_[1]);
    small0_ = withSuffix(photos_[0], QStringLiteral(" small"));
    turned0_ = withSuffix(photos_[0], QStringLiteral(" turned"));
    small1_ = withSuffix(photos_[1], QStringLiteral(" small"));
    QVERIFY(first.scaled(first.size() / 2, Qt::KeepAspectRatio, Qt::SmoothTransformation).save(small0_, "JPEG", 80));
    QVERIFY(first.transformed(QTransform().rotate(90)).save(turned0_, "JPEG", 90));
    QVERIFY(second.scaled(second.size() / 2, Qt::KeepAspectRatio, Qt::SmoothTransformation).save(small1_, "JPEG", 80));
    library_ = tmp_.filePath(QStringLiteral("library"));
    window_ = std::make_unique<MainWindow>(library_);
    QSignalSpy opened(window_->service(), &LibraryService::opened);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    window_->service()->addRoot(folder);
    QTRY_COMPARE_WITH_TIMEOUT(window_->service()->snapshot().indexed, qint64(photos_.size() + 3), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!window_->service()->isIndexing(), kWait);
    window_->findDuplicates();
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    QVERIFY(window_->duplicatesView()->groupCount() >= 2);
}

void TestNotDuplicate::cleanupTestCase() {
    window_.reset();
    QThreadPool::globalInstance()->waitForDone();
}

void TestNotDuplicate::a_member_leaves_its_group_and_the_verdict_is_stored() {
    if (!window_ || window_->duplicatesView()->groupCount() < 2) QSKIP("no groups");
    DuplicatesView* view = window_->duplicatesView();
    const int g = groupOf(small0_);
    QVERIFY(g >= 0);
    const QStringList before = view->groupPaths(g);
    QCOMPARE(before.size(), 3);  // the photo, its small copy, its turned copy
    const QString reference = before.first();
    QVERIFY(reference != small0_);
    const int groups = view->groupCount();

    // No card chosen: the button waits for one. Focus the small copy's card with a click, then the button.
    auto* button = view->findChild<QPushButton*>(QStringLiteral("notDuplicateButton"));
    QVERIFY(button);
    QVERIFY(view->currentPath().isEmpty() && !button->isEnabled());
    QTest::mouseClick(view->cardArea(), Qt::LeftButton, {}, view->cardRect(small0_).center());
    QCOMPARE(view->currentPath(), small0_);
    QSignalSpy stored(window_->service(), &LibraryService::notDuplicateStored);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);

    // At once: the card left its group, the other two stay together.
    QCOMPARE(view->groupCount(), groups);
    QCOMPARE(groupOf(small0_), -1);
    const int after = groupOf(reference);
    QVERIFY(after >= 0);
    QCOMPARE(view->groupPaths(after).size(), 2);
    QVERIFY(stored.wait(kWait));
    QVERIFY2(stored.last()[2].toString().isEmpty(), qPrintable(stored.last()[2].toString()));
    QVERIFY(catalogMarks().contains(sortedPair(small0_, reference) + QStringList{"alike", "duplicates"}));
}

void TestNotDuplicate::a_group_of_two_dissolves() {
    if (!window_ || window_->duplicatesView()->groupCount() < 2) QSKIP("no groups");
    DuplicatesView* view = window_->duplicatesView();
    const int g = groupOf(small1_);
    QVERIFY(g >= 0);
    const QStringList members = view->groupPaths(g);
    QCOMPARE(members.size(), 2);
    const int groups = view->groupCount();
    QSignalSpy stored(window_->service(), &LibraryService::notDuplicateStored);
    QVERIFY(view->markGroupNotDuplicates(small1_));  // the card menu's "None of This Group Are Duplicates"
    QCOMPARE(view->groupCount(), groups - 1);
    QCOMPARE(groupOf(small1_), -1);
    QCOMPARE(groupOf(members.first()), -1);
    QVERIFY(stored.wait(kWait));
    QVERIFY(catalogMarks().contains(sortedPair(members[0], members[1]) + QStringList{"alike", "duplicates"}));
}

void TestNotDuplicate::groups_computed_again_keep_them_apart() {
    if (!window_ || window_->duplicatesView()->groupCount() < 1) QSKIP("no groups");
    DuplicatesView* view = window_->duplicatesView();
    QSignalSpy computed(window_->service(), &LibraryService::duplicatesFinished);
    window_->findDuplicates();
    QVERIFY(computed.wait(kWait));
    // The engine still groups them (its answer); the view keeps the person's verdicts.
    bool engineGroupsSmall0 = false;
    for (const rv::DuplicateGroup& g : computed.last()[0].value<std::vector<rv::DuplicateGroup>>())
        for (const rv::DuplicateMember& m : g.members)
            if (QFile::decodeName(QByteArray::fromStdString(m.path)) == small0_) engineGroupsSmall0 = true;
    QVERIFY(engineGroupsSmall0);
    QTRY_VERIFY_WITH_TIMEOUT(window_->isSettled(), kWait);
    QCOMPARE(groupOf(small0_), -1);
    QCOMPARE(groupOf(small1_), -1);
    QVERIFY(groupOf(turned0_) >= 0);
    QCOMPARE(view->groupPaths(groupOf(turned0_)).size(), 2);
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestNotDuplicate test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_not_duplicate.moc"
