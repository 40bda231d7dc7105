// The Map tab on a real library (MATE's three wallpaper collections, indexed by the real engine
// through LibraryService, whose hierarchy the service builds and stores after indexing), offscreen:
// the map is drawn; a click re-centres on the clicked node (at the centre once the animation
// ends); a drag keeps the grabbed point under the pointer; a double-click drills down and
// Backspace goes up; the hover tooltip names the group; the level slider searches at a level and
// highlights the hits; the query and its neighbours are highlighted; after files are added and
// indexed the map reloads and keeps its focus on the same node id.
#include <QApplication>
#include <QListWidget>
#include <QMouseEvent>
#include <QPainter>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QToolTip>
#include <QtTest>

#include <cmath>
#include <set>

#include "LibraryService.h"
#include "ThumbnailCache.h"
#include "poincare/MapPanel.h"
#include "poincare/PoincareView.h"
#include "ui_test_util.h"

using rv::HierarchyNode;
using rv::ui::LibraryService;
using rv::ui::MapPanel;
using rv::ui::PoincareView;
using ui_test::kWait;

class TestPoincareView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void map_is_drawn_with_thumbnails();
    void click_recentres_on_the_node();
    void drag_keeps_the_grabbed_point_under_the_pointer();
    void double_click_drills_down_and_backspace_goes_up();
    void hover_tooltip_names_the_group();
    void level_slider_finds_and_highlights_hits();
    void query_and_neighbours_are_highlighted();
    void map_reloads_after_indexing_and_keeps_the_focus();
    void reopened_library_shows_its_stored_map();
    void cleanupTestCase();

private:
    // A drawn group (not the focus) with a thumbnail-sized disc, or -1.
    int drawnGroup(bool image = false) const;
    void settle() { QTRY_VERIFY_WITH_TIMEOUT(panel_->isSettled() && panel_->hasMap(), kWait); }

    QTemporaryDir dir_;
    QString folder_;
    QVector<ui_test::MatePhoto> photos_;
    LibraryService* service_ = nullptr;
    rv::ui::ThumbnailCache* thumbnails_ = nullptr;
    MapPanel* panel_ = nullptr;
    PoincareView* view_ = nullptr;
};

void TestPoincareView::initTestCase() {
    folder_ = dir_.filePath(QStringLiteral("photos"));
    photos_ = ui_test::writeMateCollections(folder_);
    QVERIFY2(photos_.size() >= 20, "mate-backgrounds is needed");
    service_ = new LibraryService;
    thumbnails_ = new rv::ui::ThumbnailCache;
    panel_ = new MapPanel(service_, thumbnails_);
    panel_->resize(1100, 760);
    panel_->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel_));
    view_ = panel_->view();
    QSignalSpy opened(service_, &LibraryService::opened);
    service_->open(dir_.filePath(QStringLiteral("library")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY(opened.first().at(0).toBool());
    QSignalSpy updated(service_, &LibraryService::hierarchyUpdated);
    service_->addRoot(folder_);
    // The service builds the map by itself once the photos are indexed.
    QTRY_VERIFY_WITH_TIMEOUT(panel_->hasMap() && panel_->mapData()->hierarchy.nodes.front().size == photos_.size(), kWait);
    settle();
    QVERIFY(!updated.isEmpty());
    QCOMPARE(updated.last().at(1).toString(), QString());
    QCOMPARE(panel_->mapData()->hierarchy.nodes.front().size, static_cast<qint64>(photos_.size()));
}

void TestPoincareView::cleanupTestCase() {
    delete panel_;
    delete thumbnails_;
    delete service_;
}

int TestPoincareView::drawnGroup(bool image) const {
    const auto& nodes = panel_->mapData()->hierarchy.nodes;
    int best = -1;
    double bestRadius = 0;
    for (const auto& m : view_->layout().nodes) {
        const bool isImage = nodes[static_cast<std::size_t>(m.node)].kind == HierarchyNode::Kind::Image;
        if (m.node == view_->focus() || isImage != image || m.marker || m.radiusPx < 12) continue;
        if (m.radiusPx > bestRadius) best = m.node, bestRadius = m.radiusPx;
    }
    return best;
}

void TestPoincareView::map_is_drawn_with_thumbnails() {
    QVERIFY2(panel_->statusText().contains(QStringLiteral("%1 images").arg(photos_.size())), qPrintable(panel_->statusText()));
    QVERIFY2(panel_->statusText().contains(QStringLiteral("distortion")), qPrintable(panel_->statusText()));
    QVERIFY(view_->layout().nodes.size() > 3);
    QCOMPARE(view_->layout().nodes.front().node, view_->focus());
    // The focus's thumbnail is loaded and painted: many colours at the centre, not the disk's grey.
    const QString rep = panel_->mapData()->pathOf(view_->focus());
    QVERIFY(!rep.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!thumbnails_->thumbnail(rep, 192).isNull(), kWait);
    QImage frame(view_->size(), QImage::Format_RGB32);
    {
        QPainter p(&frame);
        view_->render(p, view_->size());
    }
    const QPoint c = view_->diskRect().center().toPoint();
    std::set<QRgb> colours;
    for (int y = -20; y <= 20; y += 2)
        for (int x = -20; x <= 20; x += 2) colours.insert(frame.pixel(c + QPoint(x, y)));
    QVERIFY2(colours.size() > 40, qPrintable(QString::number(colours.size())));
}

void TestPoincareView::click_recentres_on_the_node() {
    const int node = drawnGroup();
    QVERIFY(node >= 0);
    QVERIFY(std::abs(view_->viewPoint(node)) > 0.1);
    QTest::mouseClick(view_, Qt::LeftButton, {}, view_->screenPos(node).toPoint());
    QVERIFY(view_->isAnimating());
    QTRY_VERIFY(!view_->isAnimating());
    QVERIFY2(std::abs(view_->viewPoint(node)) < 1e-9, qPrintable(QString::number(std::abs(view_->viewPoint(node)))));
    QCOMPARE(view_->layout().start, node);
    QCOMPARE(view_->nodeAtPos(view_->diskRect().center()), node);
}

void TestPoincareView::drag_keeps_the_grabbed_point_under_the_pointer() {
    const int node = drawnGroup();
    QVERIFY(node >= 0);
    const QPointF from = view_->screenPos(node);
    const QPointF to = view_->diskRect().center() + QPointF(25, -15);
    auto send = [this](QEvent::Type type, QPointF at, Qt::MouseButtons buttons) {
        QMouseEvent e(type, at, view_->mapToGlobal(at), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons, {});
        QApplication::sendEvent(view_, &e);
    };
    send(QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int i = 1; i <= 10; ++i) send(QEvent::MouseMove, from + (to - from) * (i / 10.0), Qt::LeftButton);
    send(QEvent::MouseButtonRelease, to, Qt::NoButton);
    QVERIFY(!view_->isAnimating());  // a drag is not a click
    const QPointF now = view_->screenPos(node);
    QVERIFY2(std::hypot(now.x() - to.x(), now.y() - to.y()) < 0.5,
             qPrintable(QStringLiteral("%1,%2 vs %3,%4").arg(now.x()).arg(now.y()).arg(to.x()).arg(to.y())));
}

void TestPoincareView::double_click_drills_down_and_backspace_goes_up() {
    view_->drillDown(0);
    QTRY_VERIFY(!view_->isAnimating());
    const int group = drawnGroup();
    QVERIFY(group >= 0);
    QCOMPARE(panel_->mapData()->hierarchy.nodes[static_cast<std::size_t>(group)].parent, 0);
    QSignalSpy focus(view_, &PoincareView::focusChanged);
    QTest::mouseDClick(view_, Qt::LeftButton, {}, view_->screenPos(group).toPoint());
    QCOMPARE(view_->focus(), group);
    QTRY_VERIFY(!view_->isAnimating());
    QVERIFY(std::abs(view_->viewPoint(group)) < 1e-9);
    // Its children spread around it, drawn.
    for (int c : panel_->mapData()->hierarchy.nodes[static_cast<std::size_t>(group)].children)
        QVERIFY2(view_->screenPos(c).x() >= 0, qPrintable(QString::number(c)));
    QTest::keyClick(view_, Qt::Key_Backspace);
    QCOMPARE(view_->focus(), 0);
    QTRY_VERIFY(!view_->isAnimating());
    QVERIFY(std::abs(view_->viewPoint(0)) < 1e-9);
    QVERIFY(focus.count() >= 2);
    QVERIFY(!view_->goUp());  // at the root
}

void TestPoincareView::hover_tooltip_names_the_group() {
    view_->drillDown(0);
    QTRY_VERIFY(!view_->isAnimating());
    const int group = drawnGroup();
    QVERIFY(group >= 0);
    const auto& map = *panel_->mapData();
    const auto& node = map.hierarchy.nodes[static_cast<std::size_t>(group)];
    const QString text = view_->tooltipFor(group);
    QVERIFY2(text.contains(QStringLiteral("%1 images").arg(node.size)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("level %1").arg(node.depth - 1)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Representative: ") + QFileInfo(map.pathOf(group)).fileName()), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Also: ")), qPrintable(text));
    // The tooltip the pointer gets is that text.
    const QPoint at = view_->screenPos(group).toPoint();
    QHelpEvent help(QEvent::ToolTip, at, view_->mapToGlobal(at));
    QApplication::sendEvent(view_, &help);
    QTRY_COMPARE(QToolTip::text(), text);
    QToolTip::hideText();
}

void TestPoincareView::level_slider_finds_and_highlights_hits() {
    const QString query = photos_.front().path;
    panel_->setQuery(query, {});
    QTRY_VERIFY_WITH_TIMEOUT(panel_->isSettled(), kWait);
    QSignalSpy shown(panel_, &MapPanel::levelHitsShown);
    panel_->levelSlider()->setValue(1);  // debounced: the search follows
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kWait);
    QVERIFY(shown.last().at(0).toInt() > 0);
    const auto& map = *panel_->mapData();
    QCOMPARE(panel_->hitList()->count(), shown.last().at(0).toInt());
    const QSet<int> hits = view_->highlights().hits;
    QCOMPARE(hits.size(), panel_->hitList()->count());
    for (int i = 0; i < panel_->hitList()->count(); ++i) {
        const int node = panel_->hitList()->item(i)->data(Qt::UserRole).toInt();
        QVERIFY(hits.contains(node));
        const auto& n = map.hierarchy.nodes[static_cast<std::size_t>(node)];
        // Level 1 is depth 2, or a shallower branch's deepest node (an image).
        QVERIFY2(n.depth == 2 || (n.depth < 2 && n.kind == HierarchyNode::Kind::Image), qPrintable(QString::number(n.depth)));
    }
    // The nearest hit holds the query's own image.
    int at = map.imageByPath.value(query, -1);
    QVERIFY(at >= 0);
    const int first = panel_->hitList()->item(0)->data(Qt::UserRole).toInt();
    while (at >= 0 && at != first) at = map.hierarchy.nodes[static_cast<std::size_t>(at)].parent;
    QCOMPARE(at, first);
    // Clicking a hit in the list centres the map on it.
    panel_->hitList()->itemClicked(panel_->hitList()->item(0));
    QTRY_VERIFY(!view_->isAnimating());
    QVERIFY(std::abs(view_->viewPoint(first)) < 1e-9);
}

void TestPoincareView::query_and_neighbours_are_highlighted() {
    const QString query = photos_[1].path;
    const QStringList neighbours{photos_[2].path, photos_[3].path};
    panel_->setQuery(query, neighbours);
    const auto& map = *panel_->mapData();
    QCOMPARE(view_->highlights().query, map.imageByPath.value(query));
    QCOMPARE(view_->highlights().neighbours,
             (QSet<int>{map.imageByPath.value(neighbours[0]), map.imageByPath.value(neighbours[1])}));
    QTRY_VERIFY_WITH_TIMEOUT(panel_->isSettled(), kWait);
    panel_->setQuery({}, {});
    QCOMPARE(view_->highlights().query, -1);
    QVERIFY(view_->highlights().neighbours.isEmpty());
}

void TestPoincareView::map_reloads_after_indexing_and_keeps_the_focus() {
    QTRY_VERIFY_WITH_TIMEOUT(panel_->isSettled(), kWait);
    view_->drillDown(0);
    QTRY_VERIFY(!view_->isAnimating());
    const int group = drawnGroup();
    QVERIFY(group >= 0);
    view_->drillDown(group);
    QTRY_VERIFY(!view_->isAnimating());
    const qint64 id = panel_->mapData()->hierarchy.nodes[static_cast<std::size_t>(group)].id;
    const auto before = panel_->mapData();
    // Two more photos: mirrored copies of two of the library's.
    for (int i = 0; i < 2; ++i)
        QVERIFY(QImage(photos_[i].path).mirrored(true, false).save(folder_ + QStringLiteral("/added%1.jpg").arg(i), "JPEG", 85));
    QSignalSpy loaded(service_, &LibraryService::hierarchyLoaded);
    service_->rescan();
    QTRY_VERIFY_WITH_TIMEOUT(panel_->mapData() != before && panel_->isSettled(), kWait);
    QCOMPARE(panel_->mapData()->hierarchy.nodes.front().size, static_cast<qint64>(photos_.size() + 2));
    QVERIFY(panel_->mapData()->imageByPath.contains(folder_ + QStringLiteral("/added0.jpg")));
    const int now = panel_->mapData()->indexOfId(id);
    QVERIFY2(now >= 0, "the focused group's id is gone after adding two files");
    QCOMPARE(view_->focus(), now);
    QVERIFY(std::abs(view_->viewPoint(now)) < 1e-9);
}

void TestPoincareView::reopened_library_shows_its_stored_map() {
    QTRY_VERIFY_WITH_TIMEOUT(panel_->isSettled() && !service_->isBuildingHierarchy(), kWait);
    const auto stored = panel_->mapData();
    // A second window on the library: the stored map (read from the catalog while the library
    // opens, then the library's own load), node for node.
    LibraryService other;
    MapPanel panel(&other, thumbnails_);
    panel.resize(800, 600);
    panel.show();
    QSignalSpy loaded(&other, &LibraryService::hierarchyLoaded);
    other.open(dir_.filePath(QStringLiteral("library")));
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kWait);
    const auto first = loaded.first().at(0).value<std::shared_ptr<const rv::ui::MapData>>();
    QVERIFY(first);
    QCOMPARE(first->hierarchy.nodes.size(), stored->hierarchy.nodes.size());
    for (std::size_t i = 0; i < first->hierarchy.nodes.size(); ++i) {
        QCOMPARE(first->hierarchy.nodes[i].id, stored->hierarchy.nodes[i].id);
        QCOMPARE(first->hierarchy.nodes[i].x, stored->hierarchy.nodes[i].x);  // the same display layout
    }
    QCOMPARE(first->paths.size(), stored->paths.size());
    QTRY_VERIFY_WITH_TIMEOUT(panel.isSettled() && panel.hasMap(), kWait);
    QVERIFY2(panel.statusText().contains(QStringLiteral("%1 images").arg(photos_.size() + 2)), qPrintable(panel.statusText()));
    // When the early map was shown before the library opened, the library's own load only said
    // whether it is stale: the same map (it is up to date), not the tree read and laid out again.
    QTRY_VERIFY_WITH_TIMEOUT(other.isOpen() && !other.isLoadingHierarchy(), kWait);
    qInfo("maps loaded on reopening: %d (2: the early one, then the library's)", int(loaded.size()));
    if (loaded.size() >= 2) {
        const auto second = loaded.at(1).at(0).value<std::shared_ptr<const rv::ui::MapData>>();
        QCOMPARE(second.get(), first.get());
        QVERIFY(!second->stale);
    }
    other.cancelIndexing();
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-test-poincare-view"));
    TestPoincareView test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_poincare_view.moc"
