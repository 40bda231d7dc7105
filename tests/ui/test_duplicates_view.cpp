// The duplicates view: the suggested keep, the "at least one kept" guard, unverified members that
// can never be trashed, the confirmation listing the files, trashing real photo copies into a
// private XDG trash and undoing it, groups collapsing, failures, previews, and a thousand groups
// painted lazily. HOME and XDG_DATA_HOME point into a temporary folder before anything is trashed.
#include <QAbstractScrollArea>
#include <QApplication>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QImageReader>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <algorithm>

#include "DuplicateCards.h"
#include "DuplicatesView.h"
#include "FileActions.h"
#include "ThumbnailSource.h"

using rv::ui::DuplicatesView;

namespace {

// Synchronous: every thumbnail is "in memory" at once, except the broken ones. Counts requests.
class FakeThumbnails : public rv::ui::ThumbnailSource {
public:
    QPixmap thumbnail(const QString& path, int side) override {
        ++asked[path];
        if (broken.contains(path)) return {};
        QPixmap pixmap(side, side * 3 / 4);
        pixmap.fill(colour);
        return pixmap;
    }
    QColor colour = Qt::darkGray;
    bool failed(const QString& path) const override { return broken.contains(path); }
    QHash<QString, int> asked;
    QSet<QString> broken;
};

struct Photo {
    QString path;
    QSize size;
};

// Real JPEGs from the desktop packages with distinct pixel counts, fewest pixels first.
QList<Photo> findPhotos(int count) {
    QList<Photo> found;
    QSet<qint64> pixelCounts;
    for (const char* root : {"/usr/share/backgrounds", "/usr/share/wallpapers"}) {
        QDirIterator it(QString::fromLatin1(root), {QStringLiteral("*.jpg")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QSize size = QImageReader(path).size();
            const qint64 pixels = qint64(size.width()) * size.height();
            if (size.isValid() && QFileInfo(path).size() < 10'000'000 && !pixelCounts.contains(pixels)) {
                pixelCounts.insert(pixels);
                found.append({path, size});
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const Photo& a, const Photo& b) {
        return qint64(a.size.width()) * a.size.height() < qint64(b.size.width()) * b.size.height();
    });
    return found.mid(0, count);
}

rv::DuplicateMember member(const QString& path, QSize size, float score, qint64 bytes = -1, bool verified = true) {
    rv::DuplicateMember m;
    m.verified = verified;
    m.pixel_note = verified ? "same picture" : "different structure (correlation 0.412)";
    m.path = QFile::encodeName(path).toStdString();
    m.size = bytes >= 0 ? bytes : QFileInfo(path).size();
    m.width = size.width();
    m.height = size.height();
    m.score = score;
    return m;
}

// Groups of fake paths (no files needed); the last member of each is the largest.
std::vector<rv::DuplicateGroup> fakeGroups(int groups, int members) {
    std::vector<rv::DuplicateGroup> out(groups);
    for (int g = 0; g < groups; ++g)
        for (int m = 0; m < members; ++m)
            out[g].members.push_back(member(QStringLiteral("/nowhere/g%1/m%2.jpg").arg(g).arg(m),
                                            QSize(1000 + 100 * m, 800), 1.0f - 0.01f * m, 1000 * (m + 1)));
    return out;
}

}  // namespace

// Shows `view` at a size that fits a few groups, exposed, with `groups`; false if never exposed.
bool showGroups(DuplicatesView& view, const std::vector<rv::DuplicateGroup>& groups) {
    view.resize(900, 700);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) return false;
    view.setGroups(groups);
    return true;
}

class TestDuplicatesView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void suggested_keep_data();
    void suggested_keep();
    void unverified_member_cannot_be_checked_for_trash();
    void confirmation_lists_the_files();
    void undo_restores_trashed_files();
    void undo_never_overwrites_a_file();
    void restore_reads_the_trash_record();
    void trashes_unchecked_and_collapses_groups();
    void refused_confirmation_trashes_nothing();
    void last_kept_member_cannot_be_unchecked();
    void failures_are_reported_and_cards_stay();
    void double_click_and_enter_request_a_preview();
    void a_click_and_the_arrows_preview();
    void cards_for_the_trash_stay_legible();
    void the_suggestion_is_explained();
    void recomputed_groups_keep_the_choices();
    void thousand_groups_ask_only_visible_thumbnails();

private:
    // Copies photos_[indices] into dir_ as <prefix>N.jpg and makes a group of them.
    rv::DuplicateGroup realGroup(const QString& prefix, const QList<int>& indices);

    QTemporaryDir home_;
    QTemporaryDir dir_;
    QList<Photo> photos_;
};

void TestDuplicatesView::initTestCase() {
    QVERIFY(home_.isValid() && dir_.isValid());
    QVERIFY(QDir().mkpath(home_.filePath(QStringLiteral("data"))));
    qputenv("HOME", home_.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", home_.filePath(QStringLiteral("data")).toLocal8Bit());
    photos_ = findPhotos(5);
    if (photos_.size() < 5) QSKIP("fewer than 5 JPEG photos in /usr/share/backgrounds and /usr/share/wallpapers");
}

void TestDuplicatesView::cleanupTestCase() { QThreadPool::globalInstance()->waitForDone(); }

rv::DuplicateGroup TestDuplicatesView::realGroup(const QString& prefix, const QList<int>& indices) {
    rv::DuplicateGroup group;
    for (int i = 0; i < indices.size(); ++i) {
        const QString path = dir_.filePath(prefix + QString::number(i) + QStringLiteral(".jpg"));
        QFile::remove(path);
        if (!QFile::copy(photos_[indices[i]].path, path)) return {};
        group.members.push_back(member(path, photos_[indices[i]].size, i == 0 ? 1.0f : 0.9f - 0.05f * i));
    }
    return group;
}

void TestDuplicatesView::suggested_keep_data() {
    QTest::addColumn<QList<int>>("widths");
    QTest::addColumn<QList<int>>("heights");
    QTest::addColumn<QList<int>>("bytes");
    QTest::addColumn<QList<bool>>("verified");
    QTest::addColumn<int>("expected");
    QTest::newRow("most pixels") << QList<int>{1920, 3840, 5640} << QList<int>{1080, 2160, 3172}
                                 << QList<int>{1, 8, 16} << QList<bool>{true, true, true} << 2;
    QTest::newRow("pixels beat a larger file") << QList<int>{4000, 3000} << QList<int>{3000, 2000} << QList<int>{2, 9}
                                               << QList<bool>{true, true} << 0;
    QTest::newRow("pixel tie: larger file") << QList<int>{100, 100, 50} << QList<int>{100, 100, 200}
                                            << QList<int>{5, 9, 10} << QList<bool>{true, true, true} << 2;
    QTest::newRow("full tie: first") << QList<int>{10, 10, 10} << QList<int>{10, 10, 10} << QList<int>{5, 5, 5}
                                     << QList<bool>{true, true, true} << 0;
    QTest::newRow("unknown sizes: larger file") << QList<int>{0, 0} << QList<int>{0, 0} << QList<int>{3, 4}
                                                << QList<bool>{true, true} << 1;
    QTest::newRow("only verified members count") << QList<int>{100, 4000, 200} << QList<int>{100, 3000, 200}
                                                 << QList<int>{1, 9, 2} << QList<bool>{true, false, true} << 2;
    QTest::newRow("none verified") << QList<int>{10, 20} << QList<int>{10, 20} << QList<int>{1, 2}
                                   << QList<bool>{false, false} << -1;
    QTest::newRow("empty") << QList<int>{} << QList<int>{} << QList<int>{} << QList<bool>{} << -1;
    QTest::newRow("pixel tie: sizes within 5% do not decide") << QList<int>{100, 100} << QList<int>{100, 100}
                                                              << QList<int>{100, 104} << QList<bool>{true, true} << 0;
}

void TestDuplicatesView::suggested_keep() {
    QFETCH(QList<int>, widths);
    QFETCH(QList<int>, heights);
    QFETCH(QList<int>, bytes);
    QFETCH(QList<bool>, verified);
    QFETCH(int, expected);
    std::vector<rv::DuplicateMember> members;
    for (int i = 0; i < widths.size(); ++i)
        members.push_back(
            member(QStringLiteral("/x/%1.jpg").arg(i), QSize(widths[i], heights[i]), 0.9f, bytes[i], verified[i]));
    QCOMPARE(rv::ui::suggestedKeepIndex(members), expected);
}

void TestDuplicatesView::trashes_unchecked_and_collapses_groups() {
    // Group 1 offers the largest photo second; group 2 second as well.
    const std::vector<rv::DuplicateGroup> groups{realGroup(QStringLiteral("one-"), {0, 2, 1}),
                                                 realGroup(QStringLiteral("two-"), {3, 4})};
    QCOMPARE(groups[0].members.size() + groups[1].members.size(), std::size_t(5));
    auto path = [&](int g, int m) { return QFile::decodeName(QByteArray::fromStdString(groups[g].members[m].path)); };

    FakeThumbnails thumbs;
    DuplicatesView view(&thumbs);
    QVERIFY(showGroups(view, groups));
    QCOMPARE(view.groupCount(), 2);
    // By default exactly the largest of each group is kept.
    QVERIFY(!view.isKept(path(0, 0)) && view.isKept(path(0, 1)) && !view.isKept(path(0, 2)));
    QVERIFY(!view.isKept(path(1, 0)) && view.isKept(path(1, 1)));
    const qint64 unchecked = groups[0].members[0].size + groups[0].members[2].size + groups[1].members[0].size;
    QCOMPARE(view.uncheckedBytes(), unchecked);
    auto* summary = view.findChild<QLabel*>(QStringLiteral("summary"));
    QVERIFY2(summary->text().contains(QStringLiteral("2 groups")), qPrintable(summary->text()));
    QVERIFY(summary->text().contains(QStringLiteral("3 files unchecked")));
    QVERIFY2(summary->text().contains(QLocale().formattedDataSize(unchecked, 1, QLocale::DataSizeSIFormat)),
             qPrintable(summary->text()));

    // The user keeps a second file of group 1 by clicking its box.
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.keepBoxRect(path(0, 0)).center());
    QVERIFY(view.isKept(path(0, 0)));

    int askedCount = -1;
    qint64 askedBytes = -1;
    view.setConfirmer([&](const QStringList& paths, qint64 bytes) {
        askedCount = int(paths.size());
        askedBytes = bytes;
        return true;
    });
    QSignalSpy trashed(&view, &DuplicatesView::filesTrashed);
    QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("trashButton")), Qt::LeftButton);
    QCOMPARE(askedCount, 2);
    QCOMPARE(askedBytes, groups[0].members[2].size + groups[1].members[0].size);
    QVERIFY(trashed.wait(20000));
    const QStringList gone = trashed.at(0).at(0).toStringList();
    QCOMPARE(QSet<QString>(gone.begin(), gone.end()), (QSet<QString>{path(0, 2), path(1, 0)}));
    const QString trashFiles = home_.filePath(QStringLiteral("data/Trash/files/"));
    for (const QString& p : gone) {
        QVERIFY(!QFile::exists(p));
        QVERIFY2(QFile::exists(trashFiles + QFileInfo(p).fileName()), qPrintable(p));
    }
    for (const QString& kept : {path(0, 0), path(0, 1), path(1, 1)}) QVERIFY(QFile::exists(kept));
    // Group 2 has one file left: nothing to choose, gone. Group 1 keeps its two kept files.
    QCOMPARE(view.groupCount(), 1);
    QCOMPARE(view.groupPaths(0), (QStringList{path(0, 0), path(0, 1)}));
    QVERIFY(view.uncheckedPaths().isEmpty());
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("trashButton"))->isEnabled());
}

void TestDuplicatesView::refused_confirmation_trashes_nothing() {
    const std::vector<rv::DuplicateGroup> groups{realGroup(QStringLiteral("keep-"), {1, 3})};
    const QString small = QFile::decodeName(QByteArray::fromStdString(groups[0].members[0].path));
    DuplicatesView view(nullptr);
    view.setGroups(groups);
    int asked = 0;
    view.setConfirmer([&](const QStringList&, qint64) { return ++asked, false; });
    QSignalSpy trashed(&view, &DuplicatesView::filesTrashed);
    view.trashUnchecked();
    QCOMPARE(asked, 1);
    QVERIFY(!view.isTrashing());
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(trashed.count(), 0);
    QVERIFY(QFile::exists(small));
    QCOMPARE(view.groupCount(), 1);
}

// A member whose pixels were not verified (flat, tiny, another picture) is shown "similar, not
// verified" and can never be unchecked, whatever the user clicks: it is never trashed.
void TestDuplicatesView::unverified_member_cannot_be_checked_for_trash() {
    rv::DuplicateGroup group = realGroup(QStringLiteral("unv-"), {0, 1, 4});
    QCOMPARE(group.members.size(), std::size_t(3));
    group.members[2].verified = false;  // the largest photo: what "Keep Suggested" used to keep
    group.members[2].pixel_note = "cannot tell by pixels: flat image (grey deviation 0.0)";
    auto path = [&](int m) { return QFile::decodeName(QByteArray::fromStdString(group.members[m].path)); };
    DuplicatesView view(nullptr);
    QVERIFY(showGroups(view, {group}));
    QVERIFY(!view.isVerified(path(2)) && view.isVerified(path(0)) && view.isVerified(path(1)));
    // Kept, and the suggestion is the best verified member (photo 1), not the unverified largest one.
    QVERIFY(view.isKept(path(2)));
    QVERIFY(view.isKept(path(1)) && !view.isKept(path(0)));
    QVERIFY(!view.setKept(path(2), false));
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.keepBoxRect(path(2)).center());
    QVERIFY(view.isKept(path(2)));
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.cardRect(path(2)).topLeft() + QPoint(40, 40));
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Space);
    QVERIFY(view.isKept(path(2)));
    view.keepSuggested();
    QVERIFY(view.isKept(path(2)));
    QVERIFY(!view.uncheckedPaths().contains(path(2)));
    // The verified ones may change places; the last verified one kept cannot go.
    QVERIFY(view.setKept(path(0), true));
    QVERIFY(view.setKept(path(1), false));
    QVERIFY(!view.setKept(path(0), false));
    QCOMPARE(view.uncheckedPaths(), QStringList{path(1)});
    // A group whose only verified file is its reference offers nothing for the trash.
    rv::DuplicateGroup lone = realGroup(QStringLiteral("lone-"), {2, 3});
    lone.members[1].verified = false;
    view.setGroups({lone});
    QVERIFY(view.uncheckedPaths().isEmpty());
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("trashButton"))->isEnabled());
    QVERIFY(!view.grab().isNull());  // the banner paints
}

// The default confirmation is a real dialog whose text lists the files that would go.
void TestDuplicatesView::confirmation_lists_the_files() {
    const std::vector<rv::DuplicateGroup> groups{realGroup(QStringLiteral("ask-"), {0, 1, 2})};
    DuplicatesView view(nullptr);
    QVERIFY(showGroups(view, groups));
    const QStringList unchecked = view.uncheckedPaths();
    QCOMPARE(unchecked.size(), 2);
    QString shown, details;
    QTimer::singleShot(0, &view, [&] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        shown = box->text();
        details = box->detailedText();
        box->button(QMessageBox::Cancel)->click();
    });
    QSignalSpy trashed(&view, &DuplicatesView::filesTrashed);
    view.trashUnchecked();
    for (const QString& p : unchecked) {
        QVERIFY2(shown.contains(QDir::toNativeSeparators(p)), qPrintable(shown));
        QVERIFY(details.contains(QDir::toNativeSeparators(p)));
    }
    QVERIFY(!shown.contains(QDir::toNativeSeparators(view.groupPaths(0)[2])));  // the kept one is not listed
    QVERIFY(!view.isTrashing());
    QCOMPARE(trashed.count(), 0);
    for (const QString& p : unchecked) QVERIFY(QFile::exists(p));
    // Many files: the text names the first ones and says how many more.
    const QStringList many = [] {
        QStringList out;
        for (int i = 0; i < 30; ++i) out.append(QStringLiteral("/photos/p%1.jpg").arg(i));
        return out;
    }();
    const QString text = DuplicatesView::confirmationText(many, 30'000'000);
    QVERIFY(text.contains(QDir::toNativeSeparators(QStringLiteral("/photos/p19.jpg"))));
    QVERIFY(!text.contains(QDir::toNativeSeparators(QStringLiteral("/photos/p20.jpg"))));
    QVERIFY2(text.contains(QStringLiteral("10 more")), qPrintable(text));
}

namespace {
QByteArray sha(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}
}  // namespace

// Trash two copies, then Ctrl+Z: both are back at their paths with their bytes, the trash holds
// neither them nor their .trashinfo, the cards come back, and filesRestored() tells the window.
void TestDuplicatesView::undo_restores_trashed_files() {
    const std::vector<rv::DuplicateGroup> groups{realGroup(QStringLiteral("undo-"), {0, 1, 4})};
    DuplicatesView view(nullptr);
    QVERIFY(showGroups(view, groups));
    const QStringList paths = view.groupPaths(0);
    const QStringList unchecked = view.uncheckedPaths();
    QCOMPARE(unchecked.size(), 2);
    QHash<QString, QByteArray> before;
    for (const QString& p : unchecked) before[p] = sha(p);
    auto* undo = view.findChild<QPushButton*>(QStringLiteral("undoButton"));
    QVERIFY(undo && !undo->isEnabled());

    view.setConfirmer([](const QStringList&, qint64) { return true; });
    QSignalSpy trashed(&view, &DuplicatesView::filesTrashed);
    view.trashUnchecked();
    QVERIFY(trashed.wait(20000));
    QCOMPARE(view.groupCount(), 0);  // one file left: nothing to choose between
    const QString trash = home_.filePath(QStringLiteral("data/Trash/"));
    for (const QString& p : unchecked) {
        QVERIFY(!QFile::exists(p));
        QVERIFY(QFile::exists(trash + QStringLiteral("files/") + QFileInfo(p).fileName()));
        QVERIFY(QFile::exists(trash + QStringLiteral("info/") + QFileInfo(p).fileName() + QStringLiteral(".trashinfo")));
    }
    QVERIFY(undo->isEnabled());
    const QStringList undoable = view.undoablePaths();
    QCOMPARE(QSet<QString>(undoable.begin(), undoable.end()), QSet<QString>(unchecked.begin(), unchecked.end()));

    QSignalSpy restored(&view, &DuplicatesView::filesRestored);
    view.activateWindow();
    view.cardArea()->parentWidget()->setFocus();
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(view.isTrashing() || !restored.isEmpty());  // Ctrl+Z started the undo
    QVERIFY(restored.wait(20000));
    const QStringList back = restored.at(0).at(0).toStringList();
    QCOMPARE(QSet<QString>(back.begin(), back.end()), QSet<QString>(unchecked.begin(), unchecked.end()));
    for (const QString& p : unchecked) {
        QVERIFY2(QFile::exists(p), qPrintable(p));
        QCOMPARE(sha(p), before[p]);
        QVERIFY(!QFile::exists(trash + QStringLiteral("files/") + QFileInfo(p).fileName()));
        QVERIFY(!QFile::exists(trash + QStringLiteral("info/") + QFileInfo(p).fileName() + QStringLiteral(".trashinfo")));
    }
    // The group is back as it was before the trash, and there is nothing more to undo.
    QCOMPARE(view.groupCount(), 1);
    QCOMPARE(view.groupPaths(0), paths);
    const QStringList again = view.uncheckedPaths();
    QCOMPARE(QSet<QString>(again.begin(), again.end()), QSet<QString>(unchecked.begin(), unchecked.end()));
    QVERIFY(!undo->isEnabled());
}

// A new file at a trashed file's path is never overwritten: that one stays in the trash and is
// reported; the other comes back.
void TestDuplicatesView::undo_never_overwrites_a_file() {
    const std::vector<rv::DuplicateGroup> groups{realGroup(QStringLiteral("clash-"), {0, 1, 4})};
    DuplicatesView view(nullptr);
    view.setGroups(groups);
    const QStringList unchecked = view.uncheckedPaths();
    QCOMPARE(unchecked.size(), 2);
    view.setConfirmer([](const QStringList&, qint64) { return true; });
    QList<QPair<QString, QString>> reported;
    view.setFailureReporter([&](const QList<QPair<QString, QString>>& failed) { reported = failed; });
    QSignalSpy trashed(&view, &DuplicatesView::filesTrashed);
    view.trashUnchecked();
    QVERIFY(trashed.wait(20000));
    QFile blocker(unchecked[0]);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.write("a new file, not to be overwritten");
    blocker.close();
    QSignalSpy finished(&view, &DuplicatesView::undoFinished);
    view.undoTrash();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.at(0).at(0).toInt(), 1);
    QCOMPARE(finished.at(0).at(1).toInt(), 1);
    QCOMPARE(reported.size(), 1);
    QCOMPARE(reported[0].first, unchecked[0]);
    QCOMPARE(sha(unchecked[0]), QCryptographicHash::hash("a new file, not to be overwritten", QCryptographicHash::Sha256));
    QVERIFY(QFile::exists(unchecked[1]));
    QCOMPARE(view.undoablePaths(), QStringList{unchecked[0]});  // still in the trash: may be retried
}

// restoreFromTrash() goes by the .trashinfo record: a percent-encoded name with spaces and
// non-ASCII comes back; a pair the record does not name is refused and left in the trash.
void TestDuplicatesView::restore_reads_the_trash_record() {
    const QString odd = dir_.filePath(QStringLiteral("a b%20c é.jpg"));
    const QString other = dir_.filePath(QStringLiteral("other.jpg"));
    for (const QString& p : {odd, other}) {
        QFile::remove(p);
        QVERIFY(QFile::copy(photos_[0].path, p));
    }
    const QByteArray bytes = sha(odd);
    const rv::ui::TrashResult trashed = rv::ui::moveToTrash({odd, other});
    QCOMPARE(trashed.trashed, (QStringList{odd, other}));
    QCOMPARE(trashed.trashedTo.size(), 2);
    for (const QString& to : trashed.trashedTo) QVERIFY2(QFile::exists(to), qPrintable(to));
    // Wrong pairing: the record of `other` does not name `odd`.
    const rv::ui::RestoreResult wrong = rv::ui::restoreFromTrash({{odd, trashed.trashedTo[1]}});
    QVERIFY(wrong.restored.isEmpty());
    QCOMPARE(wrong.failed.size(), 1);
    QVERIFY(QFile::exists(trashed.trashedTo[1]) && !QFile::exists(odd));
    const rv::ui::RestoreResult right =
        rv::ui::restoreFromTrash({{odd, trashed.trashedTo[0]}, {other, trashed.trashedTo[1]}});
    QCOMPARE(right.restored, (QStringList{odd, other}));
    QVERIFY(right.failed.isEmpty());
    QCOMPARE(sha(odd), bytes);
    QVERIFY(!QFile::exists(trashed.trashedTo[0]) && !QFile::exists(trashed.trashedTo[1]));
}

void TestDuplicatesView::last_kept_member_cannot_be_unchecked() {
    DuplicatesView view(nullptr);
    QVERIFY(showGroups(view, fakeGroups(2, 3)));
    const QStringList paths = view.groupPaths(0);
    QCOMPARE(paths.size(), 3);
    const QString kept = paths[2];
    QVERIFY(view.isKept(kept));
    QVERIFY(!view.setKept(kept, false));
    QVERIFY(view.isKept(kept));
    // Neither by a click on its box.
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.keepBoxRect(kept).center());
    QVERIFY(view.isKept(kept));
    // Keep another (by keyboard: click the card to focus it, then Space), then the first may go.
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.cardRect(paths[0]).topLeft() + QPoint(40, 40));
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Space);
    QVERIFY(view.isKept(paths[0]));
    QVERIFY(view.setKept(kept, false));
    QVERIFY(!view.setKept(paths[0], false));  // now paths[0] is the last one
    QCOMPARE(view.uncheckedPaths().size(), 2 + 2);  // two of group 0, two of group 1
    QVERIFY(!view.uncheckedPaths().contains(paths[0]));
    // Back to the suggestion.
    view.keepSuggested();
    QVERIFY(view.isKept(kept) && !view.isKept(paths[0]) && !view.isKept(paths[1]));
}

void TestDuplicatesView::failures_are_reported_and_cards_stay() {
    const std::vector<rv::DuplicateGroup> groups{realGroup(QStringLiteral("fail-"), {0, 4}),
                                                 realGroup(QStringLiteral("ok-"), {1, 2})};
    auto path = [&](int g, int m) { return QFile::decodeName(QByteArray::fromStdString(groups[g].members[m].path)); };
    DuplicatesView view(nullptr);
    view.resize(900, 700);
    view.show();
    view.setGroups(groups);
    view.setConfirmer([](const QStringList&, qint64) { return true; });
    QVERIFY(QFile::remove(path(0, 0)));  // vanishes before the trash gets to it
    QSignalSpy trashed(&view, &DuplicatesView::filesTrashed);
    QSignalSpy finished(&view, &DuplicatesView::trashFinished);
    view.trashUnchecked();
    QVERIFY(view.isTrashing());
    QVERIFY(!view.setKept(path(1, 1), true));  // no changes while files move
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.at(0).at(0).toInt(), 1);
    QCOMPARE(finished.at(0).at(1).toInt(), 1);
    QCOMPARE(trashed.at(0).at(0).toStringList(), QStringList{path(1, 0)});
    // The failed card stays, unchecked, its group too; the default report is a (non-blocking) box.
    QCOMPARE(view.groupCount(), 1);
    QCOMPARE(view.groupPaths(0), (QStringList{path(0, 0), path(0, 1)}));
    QVERIFY(!view.isKept(path(0, 0)));
    QMessageBox* box = view.findChild<QMessageBox*>();
    QVERIFY(box);
    QVERIFY2(box->text().contains(QDir::toNativeSeparators(path(0, 0))), qPrintable(box->text()));
    box->close();
}

void TestDuplicatesView::double_click_and_enter_request_a_preview() {
    DuplicatesView view(nullptr);
    QVERIFY(showGroups(view, fakeGroups(3, 2)));
    const QString target = view.groupPaths(1)[1];
    QSignalSpy preview(&view, &DuplicatesView::previewRequested);
    const QPoint onThumbnail = view.cardRect(target).topLeft() + QPoint(40, 40);
    QTest::mouseDClick(view.cardArea(), Qt::LeftButton, {}, onThumbnail);
    QCOMPARE(preview.count(), 1);
    QCOMPARE(preview.at(0).at(0).toString(), target);
    // Enter on the focused card; Left moves the focus to the previous card.
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Left);
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Return);
    QCOMPARE(preview.count(), 2);
    QCOMPARE(preview.at(1).at(0).toString(), view.groupPaths(1)[0]);
}

void TestDuplicatesView::a_click_and_the_arrows_preview() {
    DuplicatesView view(nullptr);
    QVERIFY(showGroups(view, fakeGroups(3, 2)));
    const QString target = view.groupPaths(1)[1];
    QSignalSpy current(&view, &DuplicatesView::currentPathChanged);
    QSignalSpy preview(&view, &DuplicatesView::previewRequested);
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.cardRect(target).topLeft() + QPoint(40, 40));
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.at(0).at(0).toString(), target);
    QCOMPARE(view.currentPath(), target);
    QCOMPARE(preview.count(), 0);  // a single click previews; it does not open a hidden preview
    // A click on the Keep box moves there too, and toggles it.
    const QString first = view.groupPaths(0)[0];
    QVERIFY(!view.isKept(first));
    QTest::mouseClick(view.cardArea(), Qt::LeftButton, {}, view.keepBoxRect(first).center());
    QCOMPARE(current.count(), 2);
    QCOMPARE(current.at(1).at(0).toString(), first);
    QVERIFY(view.isKept(first));
    // The arrows: Right to the next card, then on to the next group's first; Down to the next group.
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Right);
    QCOMPARE(current.last().at(0).toString(), view.groupPaths(0)[1]);
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Right);
    QCOMPARE(current.last().at(0).toString(), view.groupPaths(1)[0]);
    QTest::keyClick(view.cardArea()->parentWidget(), Qt::Key_Down);
    QCOMPARE(current.last().at(0).toString(), view.groupPaths(2)[0]);
    QCOMPARE(current.count(), 5);
}

void TestDuplicatesView::cards_for_the_trash_stay_legible() {
    FakeThumbnails thumbs;
    thumbs.colour = QColor(18, 20, 28);  // a night sky
    DuplicatesView view(&thumbs);
    QVERIFY(showGroups(view, fakeGroups(1, 2)));
    const QString kept = view.groupPaths(0)[1], trashed = view.groupPaths(0)[0];
    QVERIFY(view.isKept(kept));
    QVERIFY(!view.isKept(trashed));  // the suggestion: the larger is kept
    const QImage shot = view.cardArea()->grab().toImage();
    const QRect card = view.cardRect(trashed);
    // The picture (160 x 120, centred in the 160 x 160 thumbnail box 8 px inside the card) keeps its
    // colours: no veil. Its centre is far from the ribbon across the top-left corner.
    const QPoint centre = card.topLeft() + QPoint(8 + 80, 8 + 80);
    const QColor seen = shot.pixelColor(centre * shot.devicePixelRatio());
    QVERIFY2(std::abs(seen.red() - 18) <= 2 && std::abs(seen.green() - 20) <= 2 && std::abs(seen.blue() - 28) <= 2,
             qPrintable(seen.name()));
    // The same spot of the kept card is the same colour.
    QCOMPARE(shot.pixelColor((view.cardRect(kept).topLeft() + QPoint(88, 88)) * shot.devicePixelRatio()), seen);
    // A red sign marks it: the ribbon across the picture's top-left corner, and the border.
    auto redPixels = [&](const QRect& r) {
        int n = 0;
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x) {
                const QColor c = shot.pixelColor(QPoint(x, y) * shot.devicePixelRatio());
                n += c.red() > 150 && c.green() < 80 && c.blue() < 80;
            }
        return n;
    };
    const QRect corner(card.left() + 8, card.top() + 8 + 20, 50, 50);  // the picture starts 20 px down
    QVERIFY2(redPixels(corner) > 300, qPrintable(QString::number(redPixels(corner))));
    QCOMPARE(redPixels(QRect(view.cardRect(kept).left() + 8, view.cardRect(kept).top() + 28, 50, 50)), 0);
}

void TestDuplicatesView::the_suggestion_is_explained() {
    // An original and its copy turned 90 degrees, same pixels and about the same size: the older
    // file is kept, and the group says why. Then a third, upright copy makes "not turned" decide.
    auto m = [](const QString& path, QSize size, qint64 bytes, int orientation, qint64 mtime) {
        rv::DuplicateMember x = member(path, size, 0.95f, bytes);
        x.orientation = orientation;
        x.mtime_ns = mtime;
        return x;
    };
    rv::DuplicateGroup g;
    g.members = {m(QStringLiteral("/p/turned.jpg"), QSize(800, 1200), 402000, 0, 2000),
                 m(QStringLiteral("/p/original.jpg"), QSize(1200, 800), 400000, 1, 1000)};
    DuplicatesView view(nullptr);
    view.setGroups({g});
    QCOMPARE(view.suggestedPath(0), QStringLiteral("/p/original.jpg"));
    QCOMPARE(view.keepReason(0), QStringLiteral("oldest file"));
    QVERIFY(view.isKept(QStringLiteral("/p/original.jpg")));
    QVERIFY(!view.isKept(QStringLiteral("/p/turned.jpg")));
    g.members.push_back(m(QStringLiteral("/p/original copy.jpg"), QSize(1200, 800), 400000, 1, 500));
    view.setGroups({g});
    QCOMPARE(view.suggestedPath(0), QStringLiteral("/p/original copy.jpg"));
    QCOMPARE(view.keepReason(0), QStringLiteral("not turned, oldest file"));
    auto* cards = view.findChild<rv::ui::DuplicateCards*>();
    QVERIFY(cards);
    QVERIFY2(cards->groupTitle(0).contains(QStringLiteral("Suggested keep: original copy.jpg (not turned, oldest file)")),
             qPrintable(cards->groupTitle(0)));

    // Only the centre verified (flat or faint pictures that are merely similar): nothing to
    // choose, every file kept, and the group says so instead of "Suggested keep: x ()".
    rv::DuplicateGroup similar;
    similar.members = {member(QStringLiteral("/p/grey.webp"), QSize(256, 256), 1.0f, 178),
                       member(QStringLiteral("/p/dark.webp"), QSize(256, 256), 0.97f, 184, false)};
    view.setGroups({similar});
    QVERIFY(view.isKept(QStringLiteral("/p/grey.webp")) && view.isKept(QStringLiteral("/p/dark.webp")));
    QVERIFY2(!cards->groupTitle(0).contains(QStringLiteral("Suggested")), qPrintable(cards->groupTitle(0)));
    QVERIFY2(cards->groupTitle(0).contains(QStringLiteral("every file is kept")), qPrintable(cards->groupTitle(0)));
}

void TestDuplicatesView::recomputed_groups_keep_the_choices() {
    const auto groups = fakeGroups(2, 3);
    DuplicatesView view(nullptr);
    view.setGroups(groups);
    const QStringList g0 = view.groupPaths(0), g1 = view.groupPaths(1);
    QVERIFY(view.isKept(g0[2]) && !view.isKept(g0[0]));
    QVERIFY(view.setKept(g0[0], true));
    QVERIFY(view.setKept(g0[2], false));
    QVERIFY(view.setKept(g1[1], true));
    // The same groups computed again after a change: the choices stay.
    view.setGroups(groups, true);
    QVERIFY(view.isKept(g0[0]) && !view.isKept(g0[2]) && view.isKept(g1[1]));
    // A group whose files changed gets the suggestion; the other keeps its choice.
    auto changed = groups;
    changed[1].members.pop_back();
    view.setGroups(changed, true);
    QVERIFY(view.isKept(g0[0]) && !view.isKept(g0[2]));
    QVERIFY(view.isKept(g1[1]) && !view.isKept(g1[0]));
    // A new request starts from the suggestion.
    view.setGroups(groups);
    QVERIFY(!view.isKept(g0[0]) && view.isKept(g0[2]));
}

void TestDuplicatesView::thousand_groups_ask_only_visible_thumbnails() {
    FakeThumbnails thumbs;
    DuplicatesView view(&thumbs);
    QVERIFY(showGroups(view, fakeGroups(1000, 3)));
    QCOMPARE(view.groupCount(), 1000);
    const QString first = view.groupPaths(0)[0], last = view.groupPaths(999)[2];
    QTRY_VERIFY(thumbs.asked.contains(first));
    QVERIFY2(thumbs.asked.size() < 60, qPrintable(QString::number(thumbs.asked.size())));
    QVERIFY(!thumbs.asked.contains(last));

    // A thumbnail that arrives repaints its card, if shown.
    const int before = thumbs.asked.value(first);
    emit thumbs.thumbnailReady(first);
    QTRY_VERIFY(thumbs.asked.value(first) > before);
    emit thumbs.thumbnailReady(last);
    QCoreApplication::processEvents();
    QVERIFY(!thumbs.asked.contains(last));

    auto* area = qobject_cast<QAbstractScrollArea*>(view.cardArea()->parentWidget());
    QVERIFY(area);
    area->verticalScrollBar()->setValue(area->verticalScrollBar()->maximum());
    QTRY_VERIFY(thumbs.asked.contains(last));
    QVERIFY(thumbs.asked.size() < 120);
    QVERIFY(view.cardArea()->rect().contains(view.cardRect(last)));

    // A broken thumbnail is painted as such, without crashing.
    thumbs.broken.insert(last);
    emit thumbs.thumbnailReady(last);
    QVERIFY(!view.grab().isNull());
}

QTEST_MAIN(TestDuplicatesView)
#include "test_duplicates_view.moc"
