// build_hierarchy (Hierarchy.h) on planted clustered features: every invariant (one checker,
// hierarchy_test_util.h), the planted classes recovered, copies in one Duplicates node just above
// them, the same tree for a seed on any number of threads, the small and degenerate cases, bad
// input named, cancel; locate_in_hierarchy finds where a member's feature belongs.
#include <QtTest>

#include <atomic>
#include <map>

#include "hierarchy/BuildMethods.h"
#include "hierarchy/dendrogram_purity.h"
#include "hierarchy_test_util.h"
#include "ruvision/engine/Hierarchy.h"

namespace {

using Kind = rv::HierarchyNode::Kind;

rv::Hierarchy build(const rvtest::Planted& p, const rv::HierarchyParams& params = {}) {
    std::atomic<bool> cancel{false};
    auto h = rv::build_hierarchy(p.x, p.ids, p.dim, params, cancel);
    if (!h) qFatal("build_hierarchy: %s", h.error().message.c_str());
    return std::move(h.value());
}

// The tree's shape and contents as text: equal strings, equal trees.
std::string shape(const rv::Hierarchy& h) {
    std::string s;
    for (const auto& n : h.nodes) {
        s += std::to_string(int(n.kind)) + ":" + std::to_string(n.id) + ":" + std::to_string(n.parent) + ":" +
             std::to_string(n.size) + ":" + std::to_string(n.representative) + ":" + std::to_string(n.file_id) + "[";
        for (int c : n.children) s += std::to_string(c) + ",";
        s += "]";
        for (float v : n.centroid) s += std::to_string(v) + ",";
        s += "\n";
    }
    return s;
}

int node_of_file(const rv::Hierarchy& h, std::int64_t id) {
    for (std::size_t i = 0; i < h.nodes.size(); ++i)
        if (h.nodes[i].kind == Kind::Image && h.nodes[i].file_id == id) return int(i);
    return -1;
}

}  // namespace

class TestHierarchyBuild : public QObject {
    Q_OBJECT

private slots:
    void invariantsAndPlantedClasses() {
        const auto p = rvtest::make_planted(6, 4, 30, 64, 7);
        rv::HierarchyParams params;
        const auto h = build(p, params);
        const auto err = rvtest::check_hierarchy(h, p.ids, p.feature_of(), params.duplicate_cosine);
        QVERIFY2(err.empty(), err.c_str());
        QCOMPARE(h.nodes[0].size, std::int64_t(p.size()));
        QCOMPARE(h.dim, 64);
        QCOMPARE(h.next_id, std::int64_t(h.nodes.size()) + 1);
        // Nothing is a near-duplicate here (noise keeps images apart), and groups are small.
        int max_depth = 0;
        for (const auto& n : h.nodes) {
            QVERIFY(n.kind != Kind::Duplicates);
            max_depth = std::max(max_depth, n.depth);
            if (n.kind == Kind::Group) QVERIFY(n.children.size() <= std::size_t(std::max(params.branching, params.leaf_group)));
        }
        QVERIFY(max_depth >= 3);
        const double top = rvhier::dendrogram_purity(h, 6, [&](std::int64_t id) { return p.top[p.row.at(id)]; });
        const double sub = rvhier::dendrogram_purity(h, 24, [&](std::int64_t id) { return p.sub[p.row.at(id)]; });
        qInfo("dendrogram purity: classes %.3f, sub-classes %.3f", top, sub);
        QVERIFY2(top > 0.90, qPrintable(QString::number(top)));
        QVERIFY2(sub > 0.90, qPrintable(QString::number(sub)));
    }

    // The other way to build (the bench compares them): top-down k-means alone, the same promises.
    void kmeansMethodKeepsTheInvariants() {
        const auto p = rvtest::make_planted(6, 4, 30, 64, 7);
        rv::hierarchy_build::BuildOptions kmeans;
        kmeans.method = rv::hierarchy_build::Method::KMeans;
        std::atomic<bool> cancel{false};
        for (auto linkage : {rv::cluster::Linkage::Average, rv::cluster::Linkage::Ward}) {
            rv::hierarchy_build::BuildOptions hybrid;
            hybrid.linkage = linkage;
            hybrid.block = 40;  // several blocks and the tree above them
            for (const auto& o : {kmeans, hybrid}) {
                auto h = rv::hierarchy_build::build_with(p.x, p.ids, p.dim, {}, o, cancel);
                QVERIFY(h.ok());
                const auto err = rvtest::check_hierarchy(*h, p.ids, p.feature_of());
                QVERIFY2(err.empty(), err.c_str());
                const double top = rvhier::dendrogram_purity(*h, 6, [&](std::int64_t id) { return p.top[p.row.at(id)]; });
                QVERIFY2(top > 0.8, qPrintable(QString::number(top)));
            }
        }
    }

    // The representative is the medoid: the image of highest mean cosine to the others below.
    void representativesAreMedoids() {
        const auto p = rvtest::make_planted(3, 3, 20, 32, 11);
        const auto h = build(p);
        std::function<void(int, std::vector<int>&)> images_below = [&](int v, std::vector<int>& out) {
            if (h.nodes[std::size_t(v)].kind == Kind::Image) out.push_back(v);
            for (int c : h.nodes[std::size_t(v)].children) images_below(c, out);
        };
        for (std::size_t i = 0; i < h.nodes.size(); ++i) {
            if (h.nodes[i].kind != Kind::Group && h.nodes[i].kind != Kind::Root) continue;
            std::vector<int> imgs;
            images_below(int(i), imgs);
            double best = -1e9;
            int medoid = -1;
            for (int a : imgs) {
                double s = 0;
                for (int b : imgs)
                    if (a != b) s += rvtest::cos_of(p.feature(h.nodes[std::size_t(a)].file_id), p.feature(h.nodes[std::size_t(b)].file_id));
                if (s > best + 1e-6) {
                    best = s;
                    medoid = a;
                }
            }
            double rep = 0;
            for (int b : imgs)
                if (b != h.nodes[i].representative)
                    rep += rvtest::cos_of(p.feature(h.nodes[std::size_t(h.nodes[i].representative)].file_id),
                                          p.feature(h.nodes[std::size_t(b)].file_id));
            QVERIFY2(rep >= best - 1e-3 * imgs.size(), qPrintable(QString("node %1: %2 < %3 (medoid %4)").arg(i).arg(rep).arg(best).arg(medoid)));
        }
    }

    // Copies (cosine >= 0.97 to their original) sit together in one Duplicates node just above them.
    void copiesInOneDuplicatesNode() {
        auto p = rvtest::make_planted(4, 3, 25, 64, 3);
        std::mt19937_64 rng(5);
        std::map<std::int64_t, std::vector<std::int64_t>> copies;  // original -> its copies
        const std::size_t originals = p.size();
        for (std::size_t i = 0; i < originals; i += 9) {
            const auto orig = p.feature(p.ids[i]);
            for (int c = 0; c < 2; ++c) {
                std::vector<float> v = orig;
                for (;;) {
                    v = rvtest::noisy(orig, 0.012, rng);
                    if (rvtest::cos_of(v, orig) >= 0.97 && rvtest::cos_of(v, orig) < 0.995) break;
                }
                const auto id = std::int64_t(50000 + p.size());
                p.add(v, p.top[i], p.sub[i], id);
                copies[p.ids[i]].push_back(id);
            }
        }
        const auto h = build(p);
        const auto err = rvtest::check_hierarchy(h, p.ids, p.feature_of(), 0.95f);
        QVERIFY2(err.empty(), err.c_str());
        std::size_t together = 0;
        for (const auto& [orig, cs] : copies) {
            const int o = node_of_file(h, orig);
            const int d = h.nodes[std::size_t(o)].parent;
            bool ok = h.nodes[std::size_t(d)].kind == Kind::Duplicates;
            for (auto c : cs) ok = ok && h.nodes[std::size_t(node_of_file(h, c))].parent == d;
            together += ok ? 1 : 0;
        }
        qInfo("originals with their copies in one Duplicates node: %zu of %zu", together, copies.size());
        QCOMPARE(together, copies.size());
    }

    void sameTreeForASeedOnAnyThreads() {
        const auto p = rvtest::make_planted(5, 3, 150, 48, 21);  // more than one block: k-means runs
        rv::HierarchyParams one;
        one.threads = 1;
        rv::HierarchyParams two = one;
        two.threads = 2;
        rv::HierarchyParams four = one;
        four.threads = 4;
        const auto a = shape(build(p, one));
        QCOMPARE(shape(build(p, one)), a);
        QCOMPARE(shape(build(p, two)), a);
        QCOMPARE(shape(build(p, four)), a);
        rv::HierarchyParams other = one;
        other.seed = 99;
        QVERIFY(shape(build(p, other)) != a);
    }

    void smallAndDegenerate() {
        std::atomic<bool> cancel{false};
        auto empty = rv::build_hierarchy({}, {}, 8, {}, cancel);
        QVERIFY(empty.ok());
        QCOMPARE(empty->nodes.size(), std::size_t(1));
        QVERIFY2(rvtest::check_hierarchy(*empty, {}).empty(), rvtest::check_hierarchy(*empty, {}).c_str());

        for (int n : {1, 2, 3}) {
            const auto p = rvtest::make_planted(1, 1, n, 16, 4, 0.5, 3.0);
            const auto h = build(p);
            const auto err = rvtest::check_hierarchy(h, p.ids, p.feature_of());
            QVERIFY2(err.empty(), err.c_str());
            QCOMPARE(h.nodes[0].size, std::int64_t(n));
        }

        // 40 identical features: one Duplicates node holding them all, under the root.
        rvtest::Planted same;
        same.dim = 16;
        std::vector<float> v(16, 0.0f);
        v[3] = 1;
        for (int i = 0; i < 40; ++i) same.add(v, 0, 0, 7 + i);
        const auto h = build(same);
        const auto err = rvtest::check_hierarchy(h, same.ids, same.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        QCOMPARE(h.nodes[0].children.size(), std::size_t(1));
        const auto& dup = h.nodes[std::size_t(h.nodes[0].children[0])];
        QCOMPARE(int(dup.kind), int(Kind::Duplicates));
        QCOMPARE(dup.size, std::int64_t(40));

        // More identical features than a block (k-means cannot split them) among planted ones.
        auto mixed = rvtest::make_planted(3, 2, 20, 16, 12);
        for (int i = 0; i < 1500; ++i) mixed.add(v, 9, 9, 50000 + i);
        const auto m = build(mixed);
        const auto err2 = rvtest::check_hierarchy(m, mixed.ids, mixed.feature_of());
        QVERIFY2(err2.empty(), err2.c_str());
        std::int64_t largest = 0;
        for (const auto& n : m.nodes)
            if (n.kind == Kind::Duplicates) largest = std::max(largest, n.size);
        QVERIFY2(largest >= 1000, qPrintable(QString::number(largest)));
    }

    void badInputNamed() {
        std::atomic<bool> cancel{false};
        const std::vector<float> x{1, 0, 0, 1};
        const std::vector<std::int64_t> twice{5, 5};
        auto a = rv::build_hierarchy(x, twice, 2, {}, cancel);
        QVERIFY(!a.ok());
        QVERIFY2(a.error().message.find("file id 5") != std::string::npos, a.error().message.c_str());
        const std::vector<std::int64_t> ids{5, 6};
        auto b = rv::build_hierarchy(std::span<const float>(x).first(3), ids, 2, {}, cancel);
        QVERIFY(!b.ok());
        const std::vector<float> zero{1, 0, 0, 0};
        auto c = rv::build_hierarchy(zero, ids, 2, {}, cancel);
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.find("file id 6") != std::string::npos, c.error().message.c_str());
        const std::vector<float> nan{1, 0, std::nanf(""), 1};
        auto d = rv::build_hierarchy(nan, ids, 2, {}, cancel);
        QVERIFY(!d.ok());
        QVERIFY2(d.error().message.find("not finite") != std::string::npos, d.error().message.c_str());
    }

    void cancelStops() {
        const auto p = rvtest::make_planted(4, 4, 50, 32, 8);
        std::atomic<bool> cancel{true};
        auto h = rv::build_hierarchy(p.x, p.ids, p.dim, {}, cancel);
        QVERIFY(!h.ok());
        QCOMPARE(QString::fromStdString(h.error().message), QString("cancelled"));
        // Cancelled while running (from the progress callback): stops with the same error.
        std::atomic<bool> later{false};
        std::size_t calls = 0;
        auto g = rv::build_hierarchy(p.x, p.ids, p.dim, {}, later, [&](std::size_t done, std::size_t total) {
            QVERIFY(done <= total);
            if (++calls == 1) later = true;
        });
        QVERIFY(!g.ok());
        QCOMPARE(calls, std::size_t(1));
    }

    // A member's own feature is located through (at or below) the group that holds it.
    void locateFindsTheMembersGroup() {
        const auto p = rvtest::make_planted(6, 4, 30, 64, 7);
        const auto h = build(p);
        std::size_t exact = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            const auto path = rv::locate_in_hierarchy(h, p.feature(p.ids[i]), p.feature_of(), {});
            QVERIFY(!path.empty());
            QCOMPARE(path[0], 0);
            for (std::size_t k = 1; k < path.size(); ++k) QCOMPARE(h.nodes[std::size_t(path[k])].parent, path[k - 1]);
            QVERIFY(h.nodes[std::size_t(path.back())].kind != Kind::Image);
            const int parent = h.nodes[std::size_t(node_of_file(h, p.ids[i]))].parent;
            if (std::find(path.begin(), path.end(), parent) != path.end()) ++exact;
        }
        qInfo("located through the group that holds them: %zu of %zu", exact, p.size());
        QVERIFY(exact >= p.size() * 8 / 10);
        // An empty tree: the root alone; a feature of no length stays at the root.
        QCOMPARE(rv::locate_in_hierarchy(rv::Hierarchy{}, p.feature(p.ids[0]), p.feature_of(), {}).size(), std::size_t(0));
        const std::vector<float> zero(64, 0.0f);
        QCOMPARE(rv::locate_in_hierarchy(h, zero, p.feature_of(), {}), std::vector<int>{0});
    }
};

QTEST_GUILESS_MAIN(TestHierarchyBuild)
#include "test_hierarchy_build.moc"
