// The duplicates view: the suggested keep, the "at least one kept" guard, trashing real photo
// copies into a private XDG trash, groups collapsing, failures, previews, and a thousand groups
// painted lazily. HOME and XDG_DATA_HOME point into a temporary folder before anything is trashed.
#include <QAbstractScrollArea>
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

#include "DuplicatesView.h"
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
        pixmap.fill(Qt::darkGray);
        return pixmap;
    }
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

rv::DuplicateMember member(const QString& path, QSize size, float score, qint64 bytes = -1) {
    rv::DuplicateMember m;
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

class TestDuplicatesView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void suggested_keep_data();
    void suggested_keep();
    void trashes_unchecked_and_collapses_groups();
    void refused_confirmation_trashes_nothing();
    void last_kept_member_cannot_be_unchecked();
    void failures_are_reported_and_cards_stay();
    void double_click_and_enter_request_a_preview();
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
    QTest::addColumn<int>("expected");
    QTest::newRow("most pixels") << QList<int>{1920, 3840, 5640} << QList<int>{1080, 2160, 3172}
                                 << QList<int>{1, 8, 16} << 2;
    QTest::newRow("pixels beat a larger file") << QList<int>{4000, 3000} << QList<int>{3000, 2000} << QList<int>{2, 9} << 0;
    QTest::newRow("pixel tie: larger file") << QList<int>{100, 100, 50} << QList<int>{100, 100, 200}
                                            << QList<int>{5, 9, 10} << 2;
    QTest::newRow("full tie: first") << QList<int>{10, 10, 10} << QList<int>{10, 10, 10} << QList<int>{5, 5, 5} << 0;
    QTest::newRow("unknown sizes: larger file") << QList<int>{0, 0} << QList<int>{0, 0} << QList<int>{3, 4} << 1;
    QTest::newRow("empty") << QList<int>{} << QList<int>{} << QList<int>{} << -1;
}

void TestDuplicatesView::suggested_keep() {
    QFETCH(QList<int>, widths);
    QFETCH(QList<int>, heights);
    QFETCH(QList<int>, bytes);
    QFETCH(int, expected);
    std::vector<rv::DuplicateMember> members;
    for (int i = 0; i < widths.size(); ++i)
        members.push_back(member(QStringLiteral("/x/%1.jpg").arg(i), QSize(widths[i], heights[i]), 0.9f, bytes[i]));
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
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setGroups(groups);
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
    view.setConfirmer([&](int count, qint64 bytes) {
        askedCount = count;
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
    view.setConfirmer([&](int, qint64) { return ++asked, false; });
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

void TestDuplicatesView::last_kept_member_cannot_be_unchecked() {
    DuplicatesView view(nullptr);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setGroups(fakeGroups(2, 3));
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
    view.setConfirmer([](int, qint64) { return true; });
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
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setGroups(fakeGroups(3, 2));
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

void TestDuplicatesView::thousand_groups_ask_only_visible_thumbnails() {
    FakeThumbnails thumbs;
    DuplicatesView view(&thumbs);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setGroups(fakeGroups(1000, 3));
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
