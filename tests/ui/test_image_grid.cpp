// ImageGridModel (roles, 100k rows, per-row updates), listImagesAsync, and ThumbnailDelegate
// (geometry, badges, placeholder / broken mark, palette) with a QListView in IconMode.
#include <QApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QListView>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "DisplayName.h"
#include "ImageGridModel.h"
#include "ThumbnailCache.h"
#include "ThumbnailDelegate.h"

using namespace rv::ui;

namespace {

// A ThumbnailSource that records what it is asked and answers from a table.
class FakeThumbnails : public ThumbnailSource {
public:
    QPixmap thumbnail(const QString& path, int side) override {
        requests.push_back({path, side});
        return pixmaps.value(path);
    }
    bool failed(const QString& path) const override { return failures.contains(path); }

    QList<std::pair<QString, int>> requests;
    QHash<QString, QPixmap> pixmaps;
    QSet<QString> failures;
};

QStringList fakePaths(int count) {
    QStringList paths;
    paths.reserve(count);
    for (int i = 0; i < count; ++i)
        paths << QStringLiteral("/nonexistent/photos/img_%1.jpg").arg(i, 6, 10, QLatin1Char('0'));
    return paths;
}

QPixmap solid(QSize size, QColor color) {
    QPixmap pixmap(size);
    pixmap.fill(color);
    return pixmap;
}

// Paints row `row` of `model` as one cell, on white, and returns the picture.
QImage paintCell(const ThumbnailDelegate& delegate, const QAbstractItemModel& model, int row,
                 QStyle::State state = QStyle::State_Enabled | QStyle::State_Active,
                 const QPalette& palette = QApplication::palette()) {
    QStyleOptionViewItem option;
    option.state = state;
    option.palette = palette;
    option.font = QApplication::font();
    option.fontMetrics = QFontMetrics(option.font);
    const QSize size = delegate.sizeHint(option, model.index(row, 0));
    option.rect = QRect(QPoint(0, 0), size);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    delegate.paint(&painter, option, model.index(row, 0));
    return image;
}

int differingPixels(const QImage& a, const QImage& b, const QRect& region) {
    int count = 0;
    for (int y = region.top(); y <= region.bottom(); ++y)
        for (int x = region.left(); x <= region.right(); ++x) count += a.pixel(x, y) != b.pixel(x, y);
    return count;
}

bool near(QRgb pixel, QColor color) {
    return qAbs(qRed(pixel) - color.red()) < 8 && qAbs(qGreen(pixel) - color.green()) < 8 &&
           qAbs(qBlue(pixel) - color.blue()) < 8;
}

}  // namespace

class TestImageGrid : public QObject {
    Q_OBJECT
private slots:
    void hundredThousandRows() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        const QStringList paths = fakePaths(100000);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QElapsedTimer timer;
        timer.start();
        model.setFolderFiles(paths);
        qInfo() << "setFolderFiles(100000):" << timer.elapsed() << "ms";  // informative only
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 100000);
        QVERIFY(thumbnails.requests.isEmpty());  // setting rows asks for no thumbnail
        const QModelIndex row = model.index(12345);
        QCOMPARE(row.data(Qt::DisplayRole).toString(), QStringLiteral("img_012345.jpg"));
        QCOMPARE(row.data(ImageGridModel::PathRole).toString(), paths[12345]);
        QVERIFY(!row.data(ImageGridModel::ScoreRole).isValid());
        QVERIFY(!row.data(ImageGridModel::RankRole).isValid());
        QCOMPARE(row.data(Qt::ToolTipRole).toString(), paths[12345]);
        QCOMPARE(model.rowOf(paths[99999]), 99999);
        QCOMPARE(model.rowOf(QStringLiteral("/elsewhere.jpg")), -1);
    }

    void decorationAsksOnceAndIsNullUntilLoaded() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setFolderFiles(fakePaths(100));
        model.setThumbnailSide(200);
        const QVariant decoration = model.index(5).data(Qt::DecorationRole);
        QVERIFY(decoration.value<QPixmap>().isNull());
        QCOMPARE(thumbnails.requests.size(), 1);
        QCOMPARE(thumbnails.requests.first(), std::make_pair(model.pathAt(5), 200));
        thumbnails.pixmaps.insert(model.pathAt(5), solid({200, 100}, Qt::green));
        QCOMPARE(model.index(5).data(Qt::DecorationRole).value<QPixmap>().size(), QSize(200, 100));
    }

    void readyRefreshesOnlyThatRow() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setFolderFiles(fakePaths(100000));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        emit thumbnails.thumbnailReady(model.pathAt(77777));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed[0][0].toModelIndex().row(), 77777);
        QCOMPARE(changed[0][1].toModelIndex().row(), 77777);
        QVERIFY(changed[0][2].value<QList<int>>().contains(Qt::DecorationRole));
        emit thumbnails.thumbnailReady(QStringLiteral("/not/in/this/grid.jpg"));
        QCOMPARE(changed.count(), 1);
    }

    void resultsCarryScoreAndRank() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setResults({{QStringLiteral("/p/best.jpg"), 0.931f}, {QStringLiteral("/p/second.png"), 0.5f}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(ImageGridModel::RankRole).toInt(), 1);
        QCOMPARE(model.index(1).data(ImageGridModel::RankRole).toInt(), 2);
        QCOMPARE(model.index(0).data(ImageGridModel::ScoreRole).toFloat(), 0.931f);
        const QString tip = model.index(0).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("/p/best.jpg")) && tip.contains(QStringLiteral("0.931")), qPrintable(tip));
        thumbnails.failures.insert(QStringLiteral("/p/second.png"));
        QVERIFY(model.index(1).data(ImageGridModel::ThumbnailFailedRole).toBool());
        QVERIFY(!model.index(0).data(ImageGridModel::ThumbnailFailedRole).toBool());
    }

    void listsImagesOfOneFolder() {
        QTemporaryDir dir;
        for (const char* name : {"b.JPG", "a10.png", "a2.png", ".hidden.jpg", "notes.txt", "d.webp", "e.tiff"}) {
            QFile file(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sub")));
        QFile nested(dir.filePath(QStringLiteral("sub/c.jpg")));
        QVERIFY(nested.open(QIODevice::WriteOnly));
        QFuture<QStringList> future = listImagesAsync(dir.path());
        const QStringList expected{dir.filePath("a2.png"), dir.filePath("a10.png"), dir.filePath("b.JPG"),
                                   dir.filePath("d.webp"), dir.filePath("e.tiff")};
        QCOMPARE(future.result(), expected);
        QCOMPARE(listImagesAsync(dir.filePath("missing")).result(), QStringList());
    }

    // End to end with the real cache and a real photo: the row updates and gets its pixmap.
    void realThumbnailReachesItsRow() {
        QString photo;
        QDirIterator it(QStringLiteral("/usr/share/backgrounds"), {QStringLiteral("*.jpg")}, QDir::Files,
                        QDirIterator::Subdirectories);
        if (it.hasNext()) photo = it.next();
        if (photo.isEmpty()) QSKIP("no JPEG wallpaper installed");
        ThumbnailCache cache;
        ImageGridModel model(&cache);
        QStringList paths = fakePaths(1000);
        paths[500] = photo;
        model.setFolderFiles(paths);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.index(500).data(Qt::DecorationRole).value<QPixmap>().isNull());
        QVERIFY(changed.wait(10000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed[0][0].toModelIndex().row(), 500);
        QVERIFY(!model.index(500).data(Qt::DecorationRole).value<QPixmap>().isNull());
    }

    void sideIsClampedAndSizesTheCell() {
        ThumbnailDelegate delegate;
        QSignalSpy sizeHintChanged(&delegate, &QAbstractItemDelegate::sizeHintChanged);
        delegate.setThumbnailSide(10);
        QCOMPARE(delegate.thumbnailSide(), ThumbnailDelegate::kMinSide);
        delegate.setThumbnailSide(5000);
        QCOMPARE(delegate.thumbnailSide(), ThumbnailDelegate::kMaxSide);
        QCOMPARE(sizeHintChanged.count(), 2);
        delegate.setThumbnailSide(200);
        QStyleOptionViewItem option;
        option.fontMetrics = QFontMetrics(QApplication::font());
        const QSize hint = delegate.sizeHint(option, {});
        QVERIFY(hint.width() >= 200 && hint.width() < 240);
        QVERIFY(hint.height() >= 200 + option.fontMetrics.height());
        const QRect area = delegate.thumbnailRect(QRect(QPoint(0, 0), hint));
        QCOMPARE(area.size(), QSize(200, 200));
        QVERIFY(QRect(QPoint(0, 0), hint).contains(area));
    }

    void scoreAndRankBadgesArePainted() {
        FakeThumbnails thumbnails;
        ImageGridModel ranked(&thumbnails), plain(&thumbnails);
        const QString path = QStringLiteral("/p/a.jpg");
        thumbnails.pixmaps.insert(path, solid({128, 128}, QColor(120, 160, 90)));
        ranked.setResults({{path, 0.93f}});
        plain.setFolderFiles({path});
        ThumbnailDelegate delegate;
        delegate.setThumbnailSide(128);
        ranked.setThumbnailSide(128);
        plain.setThumbnailSide(128);
        const QImage withBadges = paintCell(delegate, ranked, 0);
        const QImage without = paintCell(delegate, plain, 0);
        const QRect area = delegate.thumbnailRect(withBadges.rect());
        const QRect topRight(area.center().x() + 1, area.top(), area.width() / 2, area.height() / 4);
        const QRect topLeft(area.left(), area.top(), area.width() / 2, area.height() / 4);
        const QRect bottom(area.left(), area.center().y(), area.width(), area.height() / 2);
        QVERIFY2(differingPixels(withBadges, without, topRight) > 100, "no score badge");
        QVERIFY2(differingPixels(withBadges, without, topLeft) > 50, "no rank badge");
        QCOMPARE(differingPixels(withBadges, without, bottom), 0);
        // The photo itself is drawn where no badge is.
        QVERIFY(near(without.pixel(area.center()), QColor(120, 160, 90)));
    }

    void scoresShowThreeDecimals() {
        // 0.973 and 0.971 both read "0.97" with two decimals: the badges must differ.
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setResults({{QStringLiteral("/p/a.jpg"), 0.973f}, {QStringLiteral("/p/b.jpg"), 0.971f}});
        ThumbnailDelegate delegate;
        delegate.setThumbnailSide(128);
        const QImage a = paintCell(delegate, model, 0), b = paintCell(delegate, model, 1);
        const QRect area = delegate.thumbnailRect(a.rect());
        const QRect topRight(area.center().x() + 1, area.top(), area.width() / 2, area.height() / 4);
        QVERIFY2(differingPixels(a, b, topRight) > 0, "the score badges read the same");
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("0.973")));
    }

    void copiesFoldUnderTheirPicture() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        const QString big = QStringLiteral("/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg");
        ImageGridModel::Result kite{big, 0.951f, {}};
        kite.copies = {{QStringLiteral("/usr/share/wallpapers/Kite/contents/screenshot.jpg"), 0.96f,
                        QStringLiteral("same picture on pixels (structure 1.000)")},
                       {QStringLiteral("/home/u/kite-copy.jpg"), 0.95f, QStringLiteral("same content")}};
        model.setResults({kite, {QStringLiteral("/p/other.jpg"), 0.9f, {}}});
        // Collapsed: one row per picture, the count on the picture's row.
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(ImageGridModel::CopiesRole).toInt(), 2);
        QCOMPARE(model.index(1).data(ImageGridModel::CopiesRole).toInt(), 0);
        QCOMPARE(ThumbnailDelegate::copiesBadgeText(model.index(0)), QStringLiteral("+2 copies"));
        QVERIFY(ThumbnailDelegate::copiesBadgeText(model.index(1)).isEmpty());
        QCOMPARE(model.rowOf(QStringLiteral("/home/u/kite-copy.jpg")), -1);
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("2 more files are copies")));
        // Expanded: the copies right under it, marked as copies of #1, without a rank of their own.
        QVERIFY(model.toggleCopies(0));
        QCOMPARE(model.rowCount(), 4);
        QVERIFY(model.index(0).data(ImageGridModel::CopiesShownRole).toBool());
        QCOMPARE(ThumbnailDelegate::copiesBadgeText(model.index(0)), QStringLiteral("Hide 2 copies"));
        for (int row : {1, 2}) {
            QCOMPARE(model.index(row).data(ImageGridModel::CopyOfRole).toInt(), 1);
            QVERIFY(!model.index(row).data(ImageGridModel::RankRole).isValid());
            QCOMPARE(model.index(row).data(ImageGridModel::CopiesRole).toInt(), 0);
            QCOMPARE(model.resultRowOf(row), 0);
        }
        QCOMPARE(model.pathAt(2), QStringLiteral("/home/u/kite-copy.jpg"));
        QCOMPARE(model.index(1).data(ImageGridModel::ScoreRole).toFloat(), 0.96f);
        QVERIFY(model.index(2).data(Qt::ToolTipRole).toString().contains(QStringLiteral("A copy of #1: same content")));
        QCOMPARE(model.index(3).data(ImageGridModel::RankRole).toInt(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("/p/other.jpg")), 3);
        // Collapsed again, also from a copy's row; a row without copies has nothing to toggle.
        QVERIFY(model.toggleCopies(2));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("/p/other.jpg")), 1);
        QVERIFY(!model.toggleCopies(1));
        QVERIFY(!model.toggleCopies(7));
        QCOMPARE(model.rowCount(), 2);
    }

    void clickOnTheBadgeTogglesCopies() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        ImageGridModel::Result dune{QStringLiteral("/p/Dune.jpg"), 0.9f, {}};
        dune.copies = {{QStringLiteral("/p/Dune-small.jpg"), 0.89f, QStringLiteral("same content")}};
        model.setResults({dune, {QStringLiteral("/p/b.jpg"), 0.8f, {}}});
        QListView view;
        view.setViewMode(QListView::IconMode);
        view.setUniformItemSizes(true);
        auto* delegate = new ThumbnailDelegate(&view);
        delegate->setThumbnailSide(128);
        view.setItemDelegate(delegate);
        view.setModel(&model);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QModelIndex first = model.index(0);
        const QRect badge = delegate->copiesBadgeRect(view.visualRect(first), first, view.font());
        QVERIFY(!badge.isEmpty());
        QCOMPARE(ThumbnailDelegate::copiesBadgeText(first), QStringLiteral("+1 copy"));
        // A click elsewhere on the cell only selects it.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.visualRect(first).topLeft() + QPoint(20, 20));
        QCOMPARE(model.rowCount(), 2);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, badge.center());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.pathAt(1), QStringLiteral("/p/Dune-small.jpg"));
        const QRect hide = delegate->copiesBadgeRect(view.visualRect(model.index(0)), model.index(0), view.font());
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, hide.center());
        QCOMPARE(model.rowCount(), 2);
    }

    void namesArePersonsNames() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        const QString kite = QStringLiteral("/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg");
        model.setFolderFiles({kite, QStringLiteral("/home/u/DCIM/IMG_1234.JPG")});
        QCOMPARE(model.index(0).data(Qt::DisplayRole).toString(), displayName(kite));
        QCOMPARE(model.index(0).data(Qt::DisplayRole).toString(), QStringLiteral("Kite · 2560x1600.jpg"));
        QCOMPARE(model.index(1).data(Qt::DisplayRole).toString(), QStringLiteral("IMG_1234.JPG"));
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().startsWith(kite));
    }

    void thumbnailCentredWithAspectKept() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setFolderFiles({QStringLiteral("/p/wide.jpg")});
        thumbnails.pixmaps.insert(QStringLiteral("/p/wide.jpg"), solid({256, 128}, Qt::green));
        ThumbnailDelegate delegate;
        delegate.setThumbnailSide(128);
        const QImage cell = paintCell(delegate, model, 0);
        const QRect area = delegate.thumbnailRect(cell.rect());
        QVERIFY(near(cell.pixel(area.center()), Qt::green));
        QVERIFY(near(cell.pixel(area.left() + 2, area.center().y()), Qt::green));   // full width
        QVERIFY(!near(cell.pixel(area.center().x(), area.top() + 10), Qt::green));  // 64 px high, centred
        QVERIFY(!near(cell.pixel(area.center().x(), area.bottom() - 10), Qt::green));
    }

    void placeholderAndBrokenMarkDiffer() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setFolderFiles({QStringLiteral("/p/loading.jpg"), QStringLiteral("/p/broken.jpg")});
        thumbnails.failures.insert(QStringLiteral("/p/broken.jpg"));
        ThumbnailDelegate delegate;
        const QImage loading = paintCell(delegate, model, 0);
        const QImage broken = paintCell(delegate, model, 1);
        const QRect area = delegate.thumbnailRect(loading.rect());
        QVERIFY(loading.pixel(area.center()) != qRgb(255, 255, 255));  // a placeholder is drawn
        QVERIFY(differingPixels(loading, broken, area) > 100);        // and the mark on top of it
    }

    void selectionUsesPaletteHighlight() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setFolderFiles({QStringLiteral("/p/a.jpg")});
        ThumbnailDelegate delegate;
        for (const QColor& highlight : {QColor(200, 30, 30), QColor(20, 60, 200)}) {
            QPalette palette = QApplication::palette();
            palette.setColor(QPalette::Highlight, highlight);
            const QImage cell = paintCell(delegate, model, 0,
                                          QStyle::State_Enabled | QStyle::State_Active | QStyle::State_Selected, palette);
            // Below the thumbnail square, beside the name: selection background only.
            QVERIFY(near(cell.pixel(3, cell.height() - 4), highlight));
        }
        const QImage unselected = paintCell(delegate, model, 0);
        QCOMPARE(unselected.pixel(3, unselected.height() - 4), qRgb(255, 255, 255));
    }

    // The recommended view: only the visible cells ask for thumbnails; the side relayouts.
    void iconViewAsksOnlyForVisibleCells() {
        FakeThumbnails thumbnails;
        ImageGridModel model(&thumbnails);
        model.setFolderFiles(fakePaths(100000));
        ThumbnailDelegate delegate;
        QListView view;
        view.setViewMode(QListView::IconMode);
        view.setUniformItemSizes(true);
        view.setLayoutMode(QListView::Batched);
        view.setResizeMode(QListView::Adjust);
        view.setMovement(QListView::Static);
        view.setItemDelegate(&delegate);
        view.setModel(&model);
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(!thumbnails.requests.isEmpty());
        QTest::qWait(50);
        qInfo() << "thumbnails asked for at first paint:" << thumbnails.requests.size();
        QVERIFY(thumbnails.requests.size() < 100);
        QStyleOptionViewItem option;
        option.fontMetrics = view.fontMetrics();
        QCOMPARE(view.visualRect(model.index(0)).size(), delegate.sizeHint(option, model.index(0)));

        delegate.setThumbnailSide(300);
        model.setThumbnailSide(300);
        QTRY_COMPARE(view.visualRect(model.index(0)).size(), delegate.sizeHint(option, model.index(0)));
        QTRY_VERIFY(thumbnails.requests.last().second == 300);
    }
};

int main(int argc, char** argv) {
    QTemporaryDir cacheHome;  // realThumbnailReachesItsRow writes thumbnails
    qputenv("XDG_CACHE_HOME", QFile::encodeName(cacheHome.path()));
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestImageGrid test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_image_grid.moc"
