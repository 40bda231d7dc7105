// Search at a level of the library's hierarchy: the hyperbolic index against the exact scan on
// every level of a planted 6,000-image hierarchy (recall@10 at least 0.95 per level); the
// cancellation-free distance against a long double reference up to 30 from the centre; on a real library of
// photos, every indexed photo as a query falls in its own branch, on its own image node, its own
// group first at that group's level; hits belong to the level asked, nearest first; a level deeper
// than every branch gives images; a negative level and a query of another size are Errors.
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "hierarchy/HyperbolicIndex.h"
#include "library_hierarchy_test_util.h"
#include "ruvision/engine/Hyperbolic.h"

namespace fs = std::filesystem;
using namespace library_hierarchy_test;
using rv::hierarchy::DiskPoint;
using rv::HierarchyNode;

namespace {

const std::atomic<bool> kNever{false};

// The Poincaré closed form in 80-bit long double from the exact input doubles (1 - |a|^2 to 11
// more bits than double): a reference independent of the code under test.
double reference_distance(DiskPoint a, DiskPoint b) {
    const long double ax = a.real(), ay = a.imag(), bx = b.real(), by = b.imag();
    const long double na = 1.0L - ax * ax - ay * ay, nb = 1.0L - bx * bx - by * by;
    const long double dx = ax - bx, dy = ay - by;
    return static_cast<double>(acoshl(1.0L + 2.0L * (dx * dx + dy * dy) / (na * nb)));
}

// Level L's nodes as search_at_level defines them: depth L + 1, and images at depth <= L.
std::vector<int> level_members(const rv::Hierarchy& h, int level) {
    std::vector<int> out;
    for (std::size_t i = 0; i < h.nodes.size(); ++i) {
        const auto& n = h.nodes[i];
        if (n.depth == level + 1 || (n.kind == HierarchyNode::Kind::Image && n.depth > 0 && n.depth <= level))
            out.push_back(static_cast<int>(i));
    }
    return out;
}

}  // namespace

class TestLevelSearch : public QObject {
    Q_OBJECT
private slots:
    void stable_distance_against_a_reference();
    void index_against_exact_scan_per_level();
    void indexed_photos_fall_in_their_own_branch();
    void bad_queries();
};

void TestLevelSearch::stable_distance_against_a_reference() {
    // A pair near the rim (28.5 and 35 from the centre) whose distance mpmath gives at 60 digits
    // from these exact doubles (acosh(1 + 2|a - b|^2 / ((1 - |a|^2)(1 - |b|^2)))): 6.68076082739083661...
    const DiskPoint p(0.027550192270365727, -0.99962042141212426), q(0.027550192270073812, -0.9996204214129879);
    QVERIFY2(std::fabs(rv::hierarchy::stable_distance(p, q) - 6.68076082739083661) < 1e-6,
             qPrintable(QString::number(rv::hierarchy::stable_distance(p, q), 'g', 17)));
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> r(0.0, 29.0), angle(0.0, 6.283185307179586), step(-1.0, 1.0);
    for (int i = 0; i < 2000; ++i) {
        const DiskPoint a = rv::hyperbolic::disk_polar(r(rng), angle(rng));
        // Far pairs, and near ones (a step of hyperbolic length up to ~1.4 from a), within 30 of the
        // centre. (Hyperbolic.h's disk_distance was measured off by up to 1.3e-5 relative there:
        // the reference is the long double form.)
        DiskPoint b = rv::hyperbolic::disk_polar(r(rng), angle(rng));
        if (i % 2 == 0) {
            const double to_euclid = 1.0 / rv::hyperbolic::disk_conformal_factor(a);
            const auto p2 = rv::hyperbolic::expmap(std::vector<double>{a.real(), a.imag()},
                                                   std::vector<double>{step(rng) * to_euclid, step(rng) * to_euclid}, 1.0);
            b = DiskPoint(p2[0], p2[1]);
        }
        const double want = reference_distance(a, b);
        const double got = rv::hierarchy::stable_distance(a, b);
        QVERIFY2(std::fabs(got - want) <= 2e-6 * want + 1e-9,
                 qPrintable(QString("%1 vs %2 for (%3, %4) (%5, %6)")
                                .arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)
                                .arg(a.real(), 0, 'g', 17).arg(a.imag(), 0, 'g', 17)
                                .arg(b.real(), 0, 'g', 17).arg(b.imag(), 0, 'g', 17)));
        QCOMPARE(rv::hierarchy::stable_distance(b, a), got);  // symmetric, bit for bit
    }
}

void TestLevelSearch::index_against_exact_scan_per_level() {
    const auto planted = rvtest::make_planted(12, 10, 50, 32, 11);  // 6,000 images
    auto built = rv::build_hierarchy(planted.x, planted.ids, planted.dim, rv::HierarchyParams{}, kNever);
    QVERIFY(built.ok());
    rv::Hierarchy h = std::move(*built);
    rv::embed_tree(h);
    int deepest = 0;
    for (const auto& n : h.nodes) deepest = std::max(deepest, n.depth);
    QVERIFY(deepest >= 3);
    std::mt19937_64 rng(3);
    for (int level = 0; level < deepest; ++level) {
        const auto members = level_members(h, level);
        std::vector<DiskPoint> points;
        for (int i : members) points.emplace_back(h.nodes[static_cast<std::size_t>(i)].x, h.nodes[static_cast<std::size_t>(i)].y);
        auto index = rv::hierarchy::HyperbolicIndex::build(points, {});
        QCOMPARE(index->size(), points.size());
        // Queries where search_at_level puts them: on nodes of the tree, any depth.
        std::size_t found = 0, total = 0;
        for (int q = 0; q < 200; ++q) {
            const auto& node = h.nodes[rng() % h.nodes.size()];
            const DiskPoint at(node.x, node.y);
            const auto exact = rv::hierarchy::exact_nearest(points, at, 10);
            const auto got = index->search(at, 10);
            QCOMPARE(got.size(), exact.size());
            for (std::size_t i = 1; i < got.size(); ++i) QVERIFY(got[i - 1].distance <= got[i].distance);
            // A hit counts when it is as near as the exact 10th (ties are equally right).
            const double bar = exact.back().distance * (1 + 1e-12);
            for (const auto& g : got) found += g.distance <= bar ? 1 : 0;
            total += exact.size();
        }
        const double recall = double(found) / double(total);
        QVERIFY2(recall >= 0.95, qPrintable(QString("level %1 (%2 nodes): recall@10 %3")
                                                .arg(level).arg(points.size()).arg(recall)));
    }
}

void TestLevelSearch::indexed_photos_fall_in_their_own_branch() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    auto [copies, lib] = library_with_hierarchy(base);
    QVERIFY(lib);
    auto loaded = rv::load_hierarchy(*lib, false);
    QVERIFY(loaded.ok() && loaded->has_value());
    const rv::Hierarchy& h = **loaded;
    int deepest = 0;
    for (const auto& n : h.nodes) deepest = std::max(deepest, n.depth);
    for (const auto& photo : copies) {
        auto f = lib->catalog().find_by_path(photo.string());
        QVERIFY(f.ok() && f->has_value());
        int own = -1;
        for (std::size_t i = 0; i < h.nodes.size(); ++i)
            if (h.nodes[i].kind == HierarchyNode::Kind::Image && h.nodes[i].file_id == (*f)->id) own = static_cast<int>(i);
        QVERIFY(own > 0);
        const int group = h.nodes[static_cast<std::size_t>(own)].parent;
        for (int level = 0; level <= deepest; ++level) {
            auto found = rv::search_at_level(*lib, photo, level, 5);
            QVERIFY2(found.ok(), found.ok() ? "" : found.error().message.c_str());
            // Its own branch: the path ends at its image's parent and runs through its ancestors.
            QVERIFY(!found->path.empty());
            QCOMPARE(found->path.front(), 0);
            QCOMPARE(found->path.back(), group);
            // It falls on its own image node.
            QCOMPARE(found->qx, h.nodes[static_cast<std::size_t>(own)].x);
            QCOMPARE(found->qy, h.nodes[static_cast<std::size_t>(own)].y);
            const auto members = level_members(h, level);
            QVERIFY(!found->hits.empty());
            QVERIFY(found->hits.size() <= std::min<std::size_t>(5, members.size()));
            for (std::size_t i = 0; i < found->hits.size(); ++i) {
                const auto& hit = found->hits[i];
                QVERIFY(std::find(members.begin(), members.end(), hit.node) != members.end());
                QCOMPARE(hit.id, h.nodes[static_cast<std::size_t>(hit.node)].id);
                QVERIFY(!hit.representative_path.empty());
                if (i > 0) QVERIFY(found->hits[i - 1].distance <= hit.distance);
            }
            // The first hit is its own ancestor at that level (its image when the level is deeper).
            int expect = own;
            while (expect > 0 && h.nodes[static_cast<std::size_t>(expect)].depth > level + 1)
                expect = h.nodes[static_cast<std::size_t>(expect)].parent;
            QCOMPARE(found->hits.front().node, expect);
            if (level + 1 == h.nodes[static_cast<std::size_t>(group)].depth) QCOMPARE(found->hits.front().node, group);
        }
    }
}

void TestLevelSearch::bad_queries() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    const auto all = mate_photos();
    const auto copies = copy_photos(std::vector<fs::path>(all.begin(), all.begin() + 6), base / "photos");
    auto lib = indexed_library(base / "lib", base / "photos");
    QVERIFY(lib);
    // None stored yet: an Error that says how to build one.
    auto none = rv::search_at_level(*lib, copies[0], 0, 3);
    QVERIFY(!none.ok());
    QVERIFY2(none.error().message.find("no hierarchy") != std::string::npos, none.error().message.c_str());
    QVERIFY(rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever).ok());
    QVERIFY(!rv::search_at_level(*lib, copies[0], -1, 3).ok());
    QVERIFY(!rv::search_at_level(*lib, copies[0], 0, 0).ok());
    QVERIFY(!rv::search_at_level(*lib, std::vector<float>(3, 0.577f), 0, 3).ok());
    auto missing = rv::search_at_level(*lib, base / "no-such.jpg", 0, 3);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.find("no-such.jpg") != std::string::npos, missing.error().message.c_str());
    // Deeper than every branch: images only.
    auto deep = rv::search_at_level(*lib, copies[0], 1000, 10);
    QVERIFY(deep.ok());
    QCOMPARE(deep->hits.size(), copies.size());
    for (const auto& hit : deep->hits) QCOMPARE(hit.size, std::int64_t(1));
}

QTEST_GUILESS_MAIN(TestLevelSearch)
#include "test_level_search.moc"
