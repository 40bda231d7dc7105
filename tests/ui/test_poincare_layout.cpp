// The Map tab's layout (MapLayout.h) on trees laid out for display (MapEmbedding.h), without a
// window: the focus at the centre and largest, children farther out and smaller, collapsed levels
// as markers carrying the number of images beyond them, nodes too small to see culled (but the
// focus's ancestors kept toward the rim), and picking a node by its place.
#include <QtTest>

#include <cmath>
#include <set>

#include "poincare/MapEmbedding.h"
#include "poincare/MapLayout.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Hyperbolic.h"

using rv::Hierarchy;
using rv::HierarchyNode;
using rv::ui::layoutMap;
using rv::ui::MapLayout;
using rv::ui::MapParams;
namespace hyp = rv::hyperbolic;

namespace {

int addNode(Hierarchy& h, HierarchyNode::Kind kind, int parent) {
    HierarchyNode n;
    n.kind = kind;
    n.id = h.next_id++;
    n.parent = parent;
    n.depth = parent < 0 ? 0 : h.nodes[static_cast<std::size_t>(parent)].depth + 1;
    const int index = static_cast<int>(h.nodes.size());
    if (kind == HierarchyNode::Kind::Image) n.file_id = 1000 + index;
    h.nodes.push_back(n);
    if (parent >= 0) h.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
    return index;
}

// Sizes and representatives bottom-up (children have larger indices than their parents here).
void finish(Hierarchy& h, double edge) {
    for (int i = static_cast<int>(h.nodes.size()) - 1; i >= 0; --i) {
        HierarchyNode& n = h.nodes[static_cast<std::size_t>(i)];
        if (n.kind == HierarchyNode::Kind::Image) {
            n.size = 1;
            n.representative = i;
            continue;
        }
        n.size = 0;
        for (int c : n.children) n.size += h.nodes[static_cast<std::size_t>(c)].size;
        n.representative = n.children.empty() ? -1 : h.nodes[static_cast<std::size_t>(n.children.front())].representative;
    }
    rv::ui::MapEmbeddingParams params;
    params.edge = edge;
    rv::ui::embedForDisplay(h, params);
}

// A regular tree: `fanout[d]` children per node at depth d, images at the last level.
Hierarchy regularTree(const std::vector<int>& fanout, double edge = 1.25) {
    Hierarchy h;
    addNode(h, HierarchyNode::Kind::Root, -1);
    std::vector<int> level{0};
    for (std::size_t d = 0; d < fanout.size(); ++d) {
        std::vector<int> next;
        const bool last = d + 1 == fanout.size();
        for (int p : level)
            for (int i = 0; i < fanout[d]; ++i)
                next.push_back(addNode(h, last ? HierarchyNode::Kind::Image : HierarchyNode::Kind::Group, p));
        level = next;
    }
    finish(h, edge);
    return h;
}

hyp::Complex pointOf(const Hierarchy& h, int node) {
    const auto& n = h.nodes[static_cast<std::size_t>(node)];
    return {n.x, n.y};
}

const rv::ui::MapNode* find(const MapLayout& l, int node) {
    for (const auto& m : l.nodes)
        if (m.node == node) return &m;
    return nullptr;
}

int deepestFirstLeaf(const Hierarchy& h) {
    int at = 0;
    while (!h.nodes[static_cast<std::size_t>(at)].children.empty()) at = h.nodes[static_cast<std::size_t>(at)].children.front();
    return at;
}

}  // namespace

class TestPoincareLayout : public QObject {
    Q_OBJECT
private slots:
    void focus_is_at_the_centre_and_largest();
    void children_lie_farther_out_and_smaller();
    void collapsed_levels_are_markers_with_their_counts();
    void small_nodes_are_culled_but_the_focus_ancestors_stay();
    void every_drawn_node_is_inside_the_disk_and_hangs_from_a_drawn_node();
    void node_at_a_point_picks_the_disc_under_it();
    void nearest_to_centre_walks_from_any_hint();
    void empty_hierarchy_gives_empty_layout();
};

void TestPoincareLayout::focus_is_at_the_centre_and_largest() {
    const Hierarchy h = regularTree({6, 5, 8});
    for (int focus : {0, 3, h.nodes[3].children[2], deepestFirstLeaf(h)}) {
        const hyp::DiskMap view = hyp::recentre(pointOf(h, focus));
        const MapLayout l = layoutMap(h, view, 0, focus, MapParams{});
        QCOMPARE(l.start, focus);
        QVERIFY(!l.nodes.empty());
        QCOMPARE(l.nodes.front().node, focus);
        QVERIFY(std::abs(l.nodes.front().w) < 1e-9);
        for (const auto& m : l.nodes) QVERIFY2(m.radiusPx <= l.nodes.front().radiusPx + 1e-9, qPrintable(QString::number(m.node)));
    }
}

void TestPoincareLayout::children_lie_farther_out_and_smaller() {
    const Hierarchy h = regularTree({6, 5, 8});
    const int focus = 2;
    const MapLayout l = layoutMap(h, hyp::recentre(pointOf(h, focus)), focus, focus, MapParams{});
    int checked = 0;
    for (const auto& m : l.nodes) {
        if (m.from < 0) continue;
        const auto& from = l.nodes[static_cast<std::size_t>(m.from)];
        // Walking away from the focus (down to children, or up to the parent), each step is
        // farther from the centre and drawn smaller.
        QVERIFY2(std::abs(m.w) > std::abs(from.w), qPrintable(QStringLiteral("node %1").arg(m.node)));
        QVERIFY(m.radiusPx <= from.radiusPx + 1e-9);
        ++checked;
    }
    QVERIFY(checked >= 5 + 1);  // the focus's five children and its parent at least
    for (int c : h.nodes[focus].children) QVERIFY(find(l, c) != nullptr);
}

void TestPoincareLayout::collapsed_levels_are_markers_with_their_counts() {
    const Hierarchy h = regularTree({8, 8, 12});  // 768 images
    MapParams small;
    small.radiusPx = 150;
    const MapLayout l = layoutMap(h, hyp::identity_map(), 0, 0, small);
    MapParams noCollapse = small;
    noCollapse.collapsePx = 0;
    noCollapse.cullPx = 0;
    const MapLayout all = layoutMap(h, hyp::identity_map(), 0, 0, noCollapse);
    int markers = 0;
    std::int64_t shown = 0;
    for (const auto& m : l.nodes) {
        const auto& node = h.nodes[static_cast<std::size_t>(m.node)];
        if (node.kind == HierarchyNode::Kind::Image) ++shown;
        if (!m.marker) continue;
        ++markers;
        const int fromNode = m.from >= 0 ? l.nodes[static_cast<std::size_t>(m.from)].node : -1;
        std::int64_t expected = 0;
        for (int c : node.children) {
            if (c == fromNode) continue;
            expected += h.nodes[static_cast<std::size_t>(c)].size;
            // Its children are not drawn, and would have been smaller than collapsePx.
            QVERIFY(find(l, c) == nullptr);
            const auto* uncollapsed = find(all, c);
            QVERIFY(uncollapsed != nullptr);
            QVERIFY2(uncollapsed->radiusPx < small.collapsePx, qPrintable(QString::number(uncollapsed->radiusPx)));
        }
        QCOMPARE(m.count, expected);
        shown += m.count;
    }
    QVERIFY(markers > 0);
    // From the root, every image is either drawn or counted by exactly one marker.
    QCOMPARE(shown, h.nodes[0].size);
}

void TestPoincareLayout::small_nodes_are_culled_but_the_focus_ancestors_stay() {
    const Hierarchy h = regularTree({4, 4, 4, 4, 4, 6});
    const int leaf = deepestFirstLeaf(h);
    const MapParams params;
    const MapLayout l = layoutMap(h, hyp::recentre(pointOf(h, leaf)), leaf, leaf, params);
    QVERIFY(l.nodes.size() < h.nodes.size() / 4);
    std::set<int> ancestors;
    for (int a = h.nodes[static_cast<std::size_t>(leaf)].parent; a >= 0; a = h.nodes[static_cast<std::size_t>(a)].parent) {
        ancestors.insert(a);
        QVERIFY2(find(l, a) != nullptr, qPrintable(QStringLiteral("ancestor %1 of the focus is not drawn").arg(a)));
    }
    for (const auto& m : l.nodes)
        if (!ancestors.count(m.node)) QVERIFY2(m.radiusPx >= params.cullPx, qPrintable(QString::number(m.radiusPx)));
    // The root, far toward the rim from a deep focus, is tiny.
    QVERIFY(find(l, 0)->radiusPx < 0.1 * l.nodes.front().radiusPx);
    // A leaf of another top-level branch is out of sight.
    QVERIFY(find(l, static_cast<int>(h.nodes.size()) - 1) == nullptr);
}

void TestPoincareLayout::every_drawn_node_is_inside_the_disk_and_hangs_from_a_drawn_node() {
    const Hierarchy h = regularTree({7, 6, 5, 4});
    const hyp::DiskMap view = hyp::recentre(hyp::geodesic_point(pointOf(h, 0), pointOf(h, h.nodes[0].children[3]), 0.6));
    const MapLayout l = layoutMap(h, view, 0, 0, MapParams{});
    std::set<int> seen;
    for (std::size_t i = 0; i < l.nodes.size(); ++i) {
        const auto& m = l.nodes[i];
        QVERIFY(std::abs(m.w) < 1.0);
        QVERIFY(seen.insert(m.node).second);  // each node once
        if (i == 0) {
            QCOMPARE(m.from, -1);
            continue;
        }
        QVERIFY(m.from >= 0 && m.from < static_cast<int>(i));
        const int f = l.nodes[static_cast<std::size_t>(m.from)].node;
        const auto& node = h.nodes[static_cast<std::size_t>(m.node)];
        QVERIFY(node.parent == f || h.nodes[static_cast<std::size_t>(f)].parent == m.node);  // a tree edge
    }
}

void TestPoincareLayout::node_at_a_point_picks_the_disc_under_it() {
    const Hierarchy h = regularTree({6, 5});
    const MapParams params;
    const MapLayout l = layoutMap(h, hyp::identity_map(), 0, 0, params);
    QCOMPARE(l.nodes[static_cast<std::size_t>(rv::ui::nodeAt(l, {0, 0}, params.radiusPx))].node, 0);
    for (int c : h.nodes[0].children) {
        const auto* m = find(l, c);
        QVERIFY(m);
        const int at = rv::ui::nodeAt(l, m->w + std::complex<double>(0.3 * m->radiusPx / params.radiusPx, 0), params.radiusPx);
        QVERIFY(at >= 0);
        QCOMPARE(l.nodes[static_cast<std::size_t>(at)].node, c);
    }
    QCOMPARE(rv::ui::nodeAt(l, {0.999, 0}, params.radiusPx, 0), -1);
}

void TestPoincareLayout::nearest_to_centre_walks_from_any_hint() {
    const Hierarchy h = regularTree({5, 5, 5});
    const int target = h.nodes[h.nodes[4].children[1]].children[3];
    const hyp::DiskMap view = hyp::recentre(pointOf(h, target));
    for (int hint : {0, 1, target, static_cast<int>(h.nodes.size()) - 1, -5, 100000})
        QCOMPARE(rv::ui::nearestToCentre(h, view, hint), target);
}

void TestPoincareLayout::empty_hierarchy_gives_empty_layout() {
    const Hierarchy h;
    const MapLayout l = layoutMap(h, hyp::identity_map(), 0, -1, MapParams{});
    QVERIFY(l.nodes.empty());
    QCOMPARE(l.start, -1);
    QCOMPARE(rv::ui::nodeAt(l, {0, 0}, 300), -1);
}

QTEST_APPLESS_MAIN(TestPoincareLayout)
#include "test_poincare_layout.moc"
