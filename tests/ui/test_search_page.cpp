// The Similar page (SearchPage + QueryCard) in a real window offscreen, with the real thumbnail
// cache: the query comes first, set apart, with its name, pixel size and folder, whatever it came
// from (a file, pixels); results never pick one by themselves; Space shows and hides copies; a
// late answer about an older query is dropped; an unreadable query file says why.
#include <QApplication>
#include <QFile>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

#include "DisplayName.h"
#include "ImageGrid.h"
#include "ThumbnailCache.h"
#include "search/QueryCard.h"
#include "search/SearchPage.h"
#include "ui_test_util.h"

using namespace rv::ui;

class TestSearchPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        photos_ = ui_test::writeScaledPhotos(dir_.filePath(QStringLiteral("photos")), 3, 640);
        if (photos_.size() < 3) QSKIP("needs MATE's nature wallpapers (/usr/share/backgrounds/mate/nature)");
    }

    void fileQueryComesFirstWithNameSizeAndFolder() {
        ThumbnailCache thumbnails;
        SearchPage page(&thumbnails);
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QString query = photos_[0];
        page.setQuery({query, {}, query});
        QueryCard* card = page.queryCard();
        QVERIFY(card->isVisible());
        QCOMPARE(card->name(), displayName(query));
        QVERIFY(page.headerLabel()->text().contains(displayName(query).toHtmlEscaped()));
        QTRY_VERIFY_WITH_TIMEOUT(card->isSettled(), 30000);
        const QSize size = QImageReader(query).size();
        QVERIFY(card->details().contains(QStringLiteral("%1 × %2 px").arg(size.width()).arg(size.height())));
        QVERIFY2(card->details().contains(dir_.filePath(QStringLiteral("photos"))), qPrintable(card->details()));
        QTRY_VERIFY_WITH_TIMEOUT(card->hasThumbnail(), 30000);
        // First: above the ranked results, apart from them.
        const QPoint cardAt = card->mapTo(&page, QPoint(0, 0)), gridAt = page.grid()->mapTo(&page, QPoint(0, 0));
        QVERIFY(cardAt.y() + card->height() <= gridAt.y());
        QCOMPARE(page.grid()->gridModel()->rowCount(), 0);
    }

    void pastedPixelsHaveACardToo() {
        ThumbnailCache thumbnails;
        SearchPage page(&thumbnails);
        page.show();
        QImage pixels(300, 200, QImage::Format_RGB32);
        pixels.fill(QColor(30, 90, 160));
        page.setQuery({{}, pixels, QStringLiteral("Pasted image")});
        QueryCard* card = page.queryCard();
        QVERIFY(card->isVisible());
        QCOMPARE(card->name(), QStringLiteral("Pasted image"));
        QCOMPARE(card->details(), QStringLiteral("300 × 200 px"));
        QVERIFY(card->hasThumbnail());
        QVERIFY(card->path().isEmpty());
        QVERIFY(card->isSettled());
    }

    void anOlderQuerysSizeIsDropped() {
        ThumbnailCache thumbnails;
        SearchPage page(&thumbnails);
        page.show();
        page.setQuery({photos_[1], {}, photos_[1]});
        QImage pixels(64, 48, QImage::Format_RGB32);
        pixels.fill(Qt::gray);
        page.setQuery({{}, pixels, QStringLiteral("Dropped image")});
        // Give the file's header read every chance to come back late.
        QThreadPool::globalInstance()->waitForDone(10000);
        QCoreApplication::processEvents();
        QTest::qWait(50);
        QCOMPARE(page.queryCard()->name(), QStringLiteral("Dropped image"));
        QCOMPARE(page.queryCard()->details(), QStringLiteral("64 × 48 px"));
    }

    void unreadableQuerySaysWhy() {
        const QString broken = dir_.filePath(QStringLiteral("notes.jpg"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not an image at all");
        f.close();
        ThumbnailCache thumbnails;
        SearchPage page(&thumbnails);
        page.show();
        page.setQuery({broken, {}, broken});
        QTRY_VERIFY_WITH_TIMEOUT(page.queryCard()->isSettled(), 30000);
        QVERIFY2(page.queryCard()->details().startsWith(QStringLiteral("size unknown: ")),
                 qPrintable(page.queryCard()->details()));
        QCOMPARE(page.queryCard()->name(), QStringLiteral("notes.jpg"));
    }

    void resultsPickNothingAndSpaceShowsCopies() {
        ThumbnailCache thumbnails;
        SearchPage page(&thumbnails);
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setQuery({photos_[0], {}, photos_[0]});
        SearchHit first{photos_[1], 0.973f, {{photos_[2], 0.971f, QStringLiteral("same content")}}};
        SearchHit second{photos_[0], 0.9f, {}};
        page.setResults({first, second});
        ImageGrid* grid = page.grid();
        QCOMPARE(grid->gridModel()->rowCount(), 2);
        QVERIFY(!grid->currentIndex().isValid());  // the preview keeps the query
        QVERIFY2(page.summary().startsWith(QStringLiteral("2 pictures")), qPrintable(page.summary()));
        QVERIFY2(page.summary().contains(QStringLiteral("1 more file is a copy")), qPrintable(page.summary()));
        grid->setFocus();
        grid->setCurrentIndex(grid->gridModel()->index(0));
        QTest::keyClick(grid, Qt::Key_Space);
        QCOMPARE(grid->gridModel()->rowCount(), 3);
        QCOMPARE(grid->gridModel()->pathAt(1), photos_[2]);
        grid->setCurrentIndex(grid->gridModel()->index(1));  // on the copy: Space folds its picture
        QTest::keyClick(grid, Qt::Key_Space);
        QCOMPARE(grid->gridModel()->rowCount(), 2);
        QCOMPARE(grid->currentIndex().row(), 0);
        // A result without copies: Space does nothing to the rows.
        grid->setCurrentIndex(grid->gridModel()->index(1));
        QTest::keyClick(grid, Qt::Key_Space);
        QCOMPARE(grid->gridModel()->rowCount(), 2);
    }

private:
    QTemporaryDir dir_;
    QStringList photos_;
};

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestSearchPage test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_search_page.moc"
