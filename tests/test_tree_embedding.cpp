// embed_tree and measure_embedding (Hierarchy.h) on trees of several shapes: a path, a star of 50,
// a complete 4-ary tree of depth 6, random seeded trees, one with 3000 leaves, a root alone. Every
// point is inside the disk, the deepest within max_radius, children farther from the centre than
// their parents, every edge of hyperbolic length `scale`, children around their parent in the
// order given; distortion and MAP as the header defines them, checked against a direct count.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Hyperbolic.h"
#include "tree_test_util.h"

using rv::Hierarchy;
using rv::HierarchyNode;
namespace hb = rv::hyperbolic;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A root (parent -1) or a group; mark_leaves makes the childless ones images.
int add_node(Hierarchy& h, int parent)
{
    return rvtest::add_node(h, parent, parent < 0 ? HierarchyNode::Kind::Root : HierarchyNode::Kind::Group);
}

void mark_leaves(Hierarchy& h)
{
    for (HierarchyNode& n : h.nodes)
        if (n.children.empty() && n.parent >= 0)
            n.kind = HierarchyNode::Kind::Image;
}

Hierarchy path(int length)
{
    Hierarchy h;
    int last = add_node(h, -1);
    for (int i = 0; i < length; ++i)
        last = add_node(h, last);
    mark_leaves(h);
    return h;
}

Hierarchy star(int leaves)
{
    Hierarchy h;
    add_node(h, -1);
    for (int i = 0; i < leaves; ++i)
        add_node(h, 0);
    mark_leaves(h);
    return h;
}

Hierarchy complete(int branching, int depth)
{
    Hierarchy h;
    add_node(h, -1);
    std::vector<int> level{0};
    for (int d = 1; d <= depth; ++d) {
        std::vector<int> next;
        for (int p : level)
            for (int j = 0; j < branching; ++j)
                next.push_back(add_node(h, p));
        level.swap(next);
    }
    mark_leaves(h);
    return h;
}

// Random recursive splits (2..branching parts, random sizes) down to groups of at most 12 leaves.
Hierarchy random_tree(int leaves, int branching, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Hierarchy h;
    add_node(h, -1);
    std::vector<std::pair<int, int>> todo{{0, leaves}};
    while (!todo.empty()) {
        const auto [node, count] = todo.back();
        todo.pop_back();
        if (count <= 12) {
            for (int i = 0; i < count; ++i)
                add_node(h, node);
            continue;
        }
        const int k = std::min(std::uniform_int_distribution<int>(2, branching)(rng), count);
        int left = count;
        for (int j = 0; j < k; ++j) {
            const int part = j + 1 == k ? left : std::uniform_int_distribution<int>(1, left - (k - 1 - j))(rng);
            const int rest = std::min(part, left - (k - 1 - j));
            left -= rest;
            todo.push_back({add_node(h, node), rest});
        }
    }
    mark_leaves(h);
    return h;
}

hb::Complex at(const Hierarchy& h, int i)
{
    return {h.nodes[static_cast<std::size_t>(i)].x, h.nodes[static_cast<std::size_t>(i)].y};
}

int max_depth(const Hierarchy& h)
{
    int d = 0;
    for (const HierarchyNode& n : h.nodes)
        d = std::max(d, n.depth);
    return d;
}

// Checks what holds for every tree; returns an empty string or what went wrong.
QString check_layout(const Hierarchy& h, double max_radius)
{
    if (h.nodes[0].x != 0 || h.nodes[0].y != 0)
        return "the root is not at the centre";
    if (!(h.scale > 0))
        return "no edge length";
    for (std::size_t i = 0; i < h.nodes.size(); ++i) {
        const hb::Complex z = at(h, static_cast<int>(i));
        if (!std::isfinite(z.real()) || !std::isfinite(z.imag()) || std::abs(z) >= 1.0)
            return QString("node %1 is outside the disk (|z| %2)").arg(i).arg(std::abs(z), 0, 'g', 17);
        const double r = hb::disk_distance(0, z);
        if (r > max_radius * (1 + 1e-9))
            return QString("node %1 is %2 from the centre, more than %3").arg(i).arg(r).arg(max_radius);
        const int p = h.nodes[i].parent;
        if (p < 0)
            continue;
        const double rp = hb::disk_distance(0, at(h, p));
        if (!(r > rp))
            return QString("node %1 (depth %2) is no farther from the centre than its parent: %3 vs %4").arg(i).arg(h.nodes[i].depth).arg(r).arg(rp);
        // what float64 holds of a distance between points this far out
        const double tol = 1e-9 + 4e-15 * std::exp(r);
        const double edge = hb::disk_distance(at(h, p), z);
        if (std::abs(edge - h.scale) > tol * h.scale + tol)
            return QString("edge %1-%2 has length %3, scale %4").arg(p).arg(i).arg(edge, 0, 'g', 12).arg(h.scale, 0, 'g', 12);
    }
    // Children around each node in the order given: seen from the node, turning one way from the
    // direction of its parent (the root: from the first child), their angles increase.
    for (std::size_t v = 0; v < h.nodes.size(); ++v) {
        const HierarchyNode& node = h.nodes[v];
        if (node.children.size() < 2)
            continue;
        const hb::DiskMap m = hb::recentre(at(h, static_cast<int>(v)));
        const double from = std::arg(m(at(h, node.parent >= 0 ? node.parent : node.children[0])));
        double last = -1;
        for (std::size_t j = node.parent >= 0 ? 0 : 1; j < node.children.size(); ++j) {
            double a = std::fmod(std::arg(m(at(h, node.children[j]))) - from + 4 * kPi, 2 * kPi);
            if (!(a > last))
                return QString("node %1's child %2 is out of order (%3 after %4)").arg(v).arg(j).arg(a).arg(last);
            last = a;
        }
    }
    return {};
}

}  // namespace

class TestTreeEmbedding : public QObject {
    Q_OBJECT
private slots:
    void rootAloneSitsAtTheCentre()
    {
        Hierarchy h;
        add_node(h, -1);
        h.nodes[0].x = 0.5;  // whatever was there before
        rv::embed_tree(h);
        QCOMPARE(h.nodes[0].x, 0.0);
        QCOMPARE(h.nodes[0].y, 0.0);
        const rv::EmbeddingQuality q = rv::measure_embedding(h);
        QCOMPARE(q.pairs, std::size_t{0});
        Hierarchy empty;
        rv::embed_tree(empty);  // nothing to do, no crash
        QCOMPARE(empty.nodes.size(), std::size_t{0});
    }

    void pathRunsStraightOut()
    {
        for (int length : {1, 2, 10, 300}) {
            Hierarchy h = path(length);
            rv::embed_tree(h);
            const QString bad = check_layout(h, 30);
            QVERIFY2(bad.isEmpty(), qPrintable(bad));
            // a path has no turn: the deepest node is exactly max_radius out and nothing is distorted
            QVERIFY2(std::abs(hb::disk_distance(0, at(h, length)) - 30) < 3e-3, qPrintable(QString("path %1: end at %2, scale %3").arg(length).arg(hb::disk_distance(0, at(h, length)), 0, 'g', 12).arg(h.scale, 0, 'g', 12)));
            QVERIFY(std::abs(h.scale - 30.0 / length) < 1e-4 * h.scale);
            const rv::EmbeddingQuality q = rv::measure_embedding(h, 5000, 3);
            QVERIFY2(q.mean_distortion < 1e-3, qPrintable(QString("path %1: mean distortion %2").arg(length).arg(q.mean_distortion)));
            QVERIFY2(q.map > 0.999, qPrintable(QString("path %1: MAP %2").arg(length).arg(q.map)));
        }
    }

    void starSpreadsItsLeavesEvenlyInOrder()
    {
        Hierarchy h = star(50);
        rv::TreeEmbeddingParams params;
        params.max_radius = 12;
        rv::embed_tree(h, params);
        const QString bad = check_layout(h, 12);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        QVERIFY(std::abs(h.scale - 12) < 1e-5);  // one edge: the whole radius
        // children around the root in the order given, equally spaced
        for (int j = 1; j < 50; ++j) {
            const double step = std::remainder(std::arg(at(h, j + 1)) - std::arg(at(h, j)), 2 * kPi);
            QVERIFY2(std::abs(step - 2 * kPi / 50) < 1e-9, qPrintable(QString("step %1: %2").arg(j).arg(step)));
        }
        const rv::EmbeddingQuality q = rv::measure_embedding(h);
        QCOMPARE(q.pairs, std::size_t{51 * 50 / 2});  // fewer pairs than asked: every pair
        QCOMPARE(q.nodes, std::size_t{51});
        QVERIFY2(q.mean_distortion < 0.05, qPrintable(QString("star: mean distortion %1").arg(q.mean_distortion)));
        QVERIFY2(q.map > 0.98, qPrintable(QString("star: MAP %1").arg(q.map)));
    }

    void completeTreeKeepsItsDistances()
    {
        Hierarchy h = complete(4, 6);
        rv::embed_tree(h);
        QCOMPARE(max_depth(h), 6);
        const QString bad = check_layout(h, 30);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        const rv::EmbeddingQuality q = rv::measure_embedding(h, 20000, 1);
        QCOMPARE(q.pairs, std::size_t{20000});
        QVERIFY2(q.map > 0.99, qPrintable(QString("4-ary depth 6: MAP %1").arg(q.map)));
        QVERIFY2(q.mean_distortion < 0.2, qPrintable(QString("4-ary depth 6: mean distortion %1").arg(q.mean_distortion)));
        QVERIFY(q.max_distortion >= q.mean_distortion);
        QVERIFY(q.max_distortion < 1.0);
        // a shallow tree has room for long edges: under the goal
        Hierarchy shallow = complete(3, 2);
        rv::embed_tree(shallow);
        const rv::EmbeddingQuality qs = rv::measure_embedding(shallow);
        QVERIFY2(qs.mean_distortion < 0.05, qPrintable(QString("3-ary depth 2: mean distortion %1").arg(qs.mean_distortion)));
        QVERIFY2(qs.map > 0.99, qPrintable(QString("3-ary depth 2: MAP %1").arg(qs.map)));
    }

    void randomTreesStayInsideWithEveryEdgeOneScale()
    {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            Hierarchy h = random_tree(400, 6, seed);
            rv::embed_tree(h);
            const QString bad = check_layout(h, 30);
            QVERIFY2(bad.isEmpty(), qPrintable(QString("seed %1: %2").arg(seed).arg(bad)));
            const rv::EmbeddingQuality q = rv::measure_embedding(h, 20000, seed);
            QVERIFY2(q.map > 0.75, qPrintable(QString("seed %1: MAP %2").arg(seed).arg(q.map)));
            // a smaller radius gives shorter edges and keeps every node within it
            rv::TreeEmbeddingParams small;
            small.max_radius = 8;
            Hierarchy h2 = h;
            rv::embed_tree(h2, small);
            QVERIFY(h2.scale < h.scale);
            const QString bad2 = check_layout(h2, 8);
            QVERIFY2(bad2.isEmpty(), qPrintable(bad2));
        }
    }

    void threeThousandLeaves()
    {
        Hierarchy h = random_tree(3000, 8, 42);
        std::size_t leaves = 0;
        for (const HierarchyNode& n : h.nodes)
            leaves += n.children.empty() ? 1 : 0;
        QCOMPARE(leaves, std::size_t{3000});
        rv::embed_tree(h);
        const QString bad = check_layout(h, 30);
        QVERIFY2(bad.isEmpty(), qPrintable(bad));
        // the deepest node uses the room: scale is the largest that fits (within 1 %)
        double farthest = 0;
        for (std::size_t i = 0; i < h.nodes.size(); ++i)
            farthest = std::max(farthest, hb::disk_distance(0, at(h, static_cast<int>(i))));
        QVERIFY2(farthest > 29.7, qPrintable(QString("deepest node only %1 from the centre").arg(farthest)));
        const rv::EmbeddingQuality q = rv::measure_embedding(h, 20000, 5);
        QVERIFY2(q.map > 0.75, qPrintable(QString("MAP %1").arg(q.map)));
        // the same seed gives the same figures; another seed samples other pairs
        const rv::EmbeddingQuality again = rv::measure_embedding(h, 20000, 5);
        QCOMPARE(again.mean_distortion, q.mean_distortion);
        QCOMPARE(again.map, q.map);
        const rv::EmbeddingQuality other = rv::measure_embedding(h, 20000, 6);
        QVERIFY(other.mean_distortion != q.mean_distortion);
        QVERIFY(std::abs(other.mean_distortion - q.mean_distortion) < 0.2 * q.mean_distortion + 1e-3);
    }

    void malformedTreesNeitherHangNorCrash()
    {
        // A tree as a corrupt catalog could give it: a child index out of range, a node listed under
        // two parents, a cycle back to an ancestor, depth fields all wrong.
        Hierarchy h = complete(3, 3);
        h.nodes[1].children.push_back(99);
        h.nodes[1].children.push_back(-4);
        h.nodes[2].children.push_back(h.nodes[1].children[0]);  // listed twice
        const int leaf = h.nodes[1].children[0];
        h.nodes[static_cast<std::size_t>(leaf)].children.push_back(1);  // back to an ancestor
        h.nodes[static_cast<std::size_t>(leaf)].children.push_back(0);
        h.nodes[5].parent = 5;  // its own parent
        for (HierarchyNode& n : h.nodes)
            n.depth = 0;
        rv::embed_tree(h);
        QVERIFY(h.scale > 0);
        for (std::size_t i = 0; i < h.nodes.size(); ++i) {
            const hb::Complex z = at(h, static_cast<int>(i));
            QVERIFY(std::isfinite(z.real()) && std::isfinite(z.imag()));
            QVERIFY(std::abs(z) < 1.0);
            QVERIFY(hb::disk_distance(0, z) <= 30 * (1 + 1e-9));
        }
        const rv::EmbeddingQuality q = rv::measure_embedding(h, 500, 1);
        QVERIFY(std::isfinite(q.mean_distortion) && std::isfinite(q.max_distortion) && std::isfinite(q.map));
        QVERIFY(q.map >= 0 && q.map <= 1);
    }

    void measureMatchesADirectCount()
    {
        // A small tree, every pair: the distortion recomputed here from the definition.
        Hierarchy h = random_tree(60, 4, 9);
        rv::embed_tree(h);
        const std::size_t n = h.nodes.size();
        auto tree_distance = [&](int a, int b) {
            std::vector<int> up;
            for (int x = a; x >= 0; x = h.nodes[static_cast<std::size_t>(x)].parent)
                up.push_back(x);
            int steps = 0;
            for (int y = b; y >= 0; y = h.nodes[static_cast<std::size_t>(y)].parent, ++steps) {
                const auto it = std::find(up.begin(), up.end(), y);
                if (it != up.end())
                    return steps + static_cast<int>(it - up.begin());
            }
            return -1;
        };
        double sum = 0, worst = 0;
        std::size_t pairs = 0;
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = a + 1; b < n; ++b) {
                const int td = tree_distance(static_cast<int>(a), static_cast<int>(b));
                const double rel = std::abs(hb::disk_distance(at(h, static_cast<int>(a)), at(h, static_cast<int>(b))) / h.scale - td) / td;
                sum += rel;
                worst = std::max(worst, rel);
                ++pairs;
            }
        // MAP: for each node, its parent and children among all nodes ranked by disk distance
        double ap_sum = 0;
        for (std::size_t u = 0; u < n; ++u) {
            std::vector<int> nb = h.nodes[u].children;
            if (h.nodes[u].parent >= 0)
                nb.push_back(h.nodes[u].parent);
            double ap = 0;
            for (int v : nb) {
                const double dv = hb::disk_distance(at(h, static_cast<int>(u)), at(h, v));
                int rank = 0, hits = 0;
                for (std::size_t w = 0; w < n; ++w) {
                    if (w == u)
                        continue;
                    const double dw = hb::disk_distance(at(h, static_cast<int>(u)), at(h, static_cast<int>(w)));
                    if (dw <= dv) {
                        ++rank;
                        if (std::find(nb.begin(), nb.end(), static_cast<int>(w)) != nb.end())
                            ++hits;
                    }
                }
                ap += static_cast<double>(hits) / rank;
            }
            ap_sum += ap / static_cast<double>(nb.size());
        }
        const rv::EmbeddingQuality q = rv::measure_embedding(h, n * n, 1);
        QCOMPARE(q.pairs, pairs);
        QVERIFY(std::abs(q.mean_distortion - sum / static_cast<double>(pairs)) < 1e-12);
        QVERIFY(std::abs(q.max_distortion - worst) < 1e-12);
        QCOMPARE(q.nodes, n);
        QVERIFY2(std::abs(q.map - ap_sum / static_cast<double>(n)) < 1e-12,
                 qPrintable(QString("MAP %1, direct %2").arg(q.map).arg(ap_sum / static_cast<double>(n))));
        QVERIFY(q.map > 0.5 && q.map <= 1.0);
    }
};

QTEST_APPLESS_MAIN(TestTreeEmbedding)
#include "test_tree_embedding.moc"
