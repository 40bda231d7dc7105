// Incremental edits of a hierarchy (Hierarchy.h: hierarchy_add, hierarchy_remove) on planted
// clustered features: adds land with their sub-class and their near-duplicates; removes keep every
// invariant (hierarchy_test_util.h), representatives included; add then remove gives a valid tree;
// untouched nodes keep their ids; a crowded group is split again; bad input is named and changes
// nothing; a tree after many edits stays close in purity to a rebuild of the same files.
#include <QtTest>

#include <atomic>
#include <map>
#include <set>

#include "hierarchy/dendrogram_purity.h"
#include "hierarchy_test_util.h"
#include "ruvision/engine/Hierarchy.h"

namespace {

using Kind = rv::HierarchyNode::Kind;

rv::Hierarchy build_on(const rvtest::Planted& p, const std::vector<std::size_t>& rows, const rv::HierarchyParams& params = {}) {
    std::vector<float> x;
    std::vector<std::int64_t> ids;
    for (auto r : rows) {
        const auto f = p.feature(p.ids[r]);
        x.insert(x.end(), f.begin(), f.end());
        ids.push_back(p.ids[r]);
    }
    std::atomic<bool> cancel{false};
    auto h = rv::build_hierarchy(x, ids, p.dim, params, cancel);
    if (!h) qFatal("build_hierarchy: %s", h.error().message.c_str());
    return std::move(h.value());
}

rv::Status add_rows(rv::Hierarchy& h, const rvtest::Planted& p, const std::vector<std::size_t>& rows,
                    const rv::HierarchyParams& params = {}) {
    std::vector<float> x;
    std::vector<std::int64_t> ids;
    for (auto r : rows) {
        const auto f = p.feature(p.ids[r]);
        x.insert(x.end(), f.begin(), f.end());
        ids.push_back(p.ids[r]);
    }
    return rv::hierarchy_add(h, x, ids, p.feature_of(), params);
}

std::vector<std::int64_t> files_of(const rvtest::Planted& p, const std::vector<std::size_t>& rows) {
    std::vector<std::int64_t> ids;
    for (auto r : rows) ids.push_back(p.ids[r]);
    return ids;
}

int node_of_file(const rv::Hierarchy& h, std::int64_t id) {
    for (std::size_t i = 0; i < h.nodes.size(); ++i)
        if (h.nodes[i].kind == Kind::Image && h.nodes[i].file_id == id) return int(i);
    return -1;
}

std::set<std::int64_t> ids_of(const rv::Hierarchy& h) {
    std::set<std::int64_t> s;
    for (const auto& n : h.nodes) s.insert(n.id);
    return s;
}

double sub_purity(const rv::Hierarchy& h, const rvtest::Planted& p, int subs) {
    return rvhier::dendrogram_purity(h, subs, [&](std::int64_t id) { return p.sub[p.row.at(id)]; });
}

}  // namespace

class TestHierarchyEdits : public QObject {
    Q_OBJECT

private slots:
    // Held-out images join a group of their own sub-class; no id of the tree before changes.
    void addsLandWithTheirCluster() {
        const auto p = rvtest::make_planted(6, 4, 30, 64, 7);
        std::vector<std::size_t> base, held;
        for (std::size_t i = 0; i < p.size(); ++i) (i % 20 == 3 ? held : base).push_back(i);
        auto h = build_on(p, base);
        const auto before = ids_of(h);
        const auto st = add_rows(h, p, held);
        QVERIFY2(st.ok(), st.error().message.c_str());
        std::vector<std::int64_t> all = files_of(p, base);
        for (auto id : files_of(p, held)) all.push_back(id);
        const auto err = rvtest::check_hierarchy(h, all, p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        for (auto id : before) QVERIFY(ids_of(h).count(id));
        std::size_t with_their_own = 0;
        for (auto r : held) {
            const int v = node_of_file(h, p.ids[r]);
            const auto& parent = h.nodes[std::size_t(h.nodes[std::size_t(v)].parent)];
            std::map<int, int> subs;
            for (int c : parent.children)
                if (c != v && h.nodes[std::size_t(c)].kind == Kind::Image) ++subs[p.sub[p.row.at(h.nodes[std::size_t(c)].file_id)]];
            int best = -1, count = 0;
            for (const auto& [s, k] : subs)
                if (k > count) {
                    best = s;
                    count = k;
                }
            with_their_own += best == p.sub[r] ? 1 : 0;
        }
        qInfo("added images beside their own sub-class: %zu of %zu", with_their_own, held.size());
        QVERIFY(with_their_own * 10 >= held.size() * 8);
    }

    // A copy (cosine >= 0.97) of an image joins it in a Duplicates node, new or existing.
    void addsJoinTheirDuplicates() {
        auto p = rvtest::make_planted(4, 3, 25, 64, 3);
        std::vector<std::size_t> base(p.size());
        for (std::size_t i = 0; i < base.size(); ++i) base[i] = i;
        auto h = build_on(p, base);
        std::mt19937_64 rng(9);
        std::vector<std::size_t> copies;
        std::map<std::int64_t, std::int64_t> original_of;
        for (std::size_t i = 0; i < base.size(); i += 11)
            for (int c = 0; c < 2; ++c) {  // two copies: the second meets a Duplicates node the first made
                const auto orig = p.feature(p.ids[i]);
                std::vector<float> v;
                do v = rvtest::noisy(orig, 0.01, rng);
                while (rvtest::cos_of(v, orig) < 0.975);
                const auto id = std::int64_t(90000 + p.size());
                copies.push_back(p.add(v, p.top[i], p.sub[i], id));
                original_of[id] = p.ids[i];
            }
        for (auto r : copies) {  // one at a time, as files come
            const auto st = add_rows(h, p, {r});
            QVERIFY2(st.ok(), st.error().message.c_str());
        }
        const auto err = rvtest::check_hierarchy(h, p.ids, p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        std::size_t together = 0;
        for (const auto& [copy, orig] : original_of) {
            const int a = node_of_file(h, copy), b = node_of_file(h, orig);
            const int pa = h.nodes[std::size_t(a)].parent;
            together += pa == h.nodes[std::size_t(b)].parent && h.nodes[std::size_t(pa)].kind == Kind::Duplicates;
        }
        qInfo("copies beside their original in a Duplicates node: %zu of %zu", together, original_of.size());
        QVERIFY(together * 20 >= original_of.size() * 19);
    }

    // Removing a third of the images, representatives among them, keeps every invariant; nodes whose
    // images all stay keep their ids; removing everything leaves the root alone.
    void removesKeepInvariants() {
        const auto p = rvtest::make_planted(5, 3, 30, 48, 13);
        std::vector<std::size_t> all(p.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        auto h = build_on(p, all);
        std::set<std::int64_t> gone;
        for (const auto& n : h.nodes)  // every group's representative goes
            if (n.kind != Kind::Image && gone.size() < 20) gone.insert(h.nodes[std::size_t(n.representative)].file_id);
        std::mt19937_64 rng(4);
        while (gone.size() < p.size() / 3) gone.insert(p.ids[rng() % p.size()]);
        // Ids of nodes none of whose images goes.
        std::set<std::int64_t> untouched;
        for (std::size_t i = 0; i < h.nodes.size(); ++i) {
            std::vector<int> stack{int(i)};
            bool hit = false;
            while (!stack.empty() && !hit) {
                const int u = stack.back();
                stack.pop_back();
                hit = h.nodes[std::size_t(u)].kind == Kind::Image && gone.count(h.nodes[std::size_t(u)].file_id);
                for (int c : h.nodes[std::size_t(u)].children) stack.push_back(c);
            }
            if (!hit) untouched.insert(h.nodes[i].id);
        }
        const std::vector<std::int64_t> remove(gone.begin(), gone.end());
        const auto st = rv::hierarchy_remove(h, remove, p.feature_of());
        QVERIFY2(st.ok(), st.error().message.c_str());
        std::vector<std::int64_t> kept;
        for (auto id : p.ids)
            if (!gone.count(id)) kept.push_back(id);
        const auto err = rvtest::check_hierarchy(h, kept, p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        const auto now = ids_of(h);
        for (auto id : untouched) QVERIFY2(now.count(id), qPrintable(QString("id %1 lost").arg(id)));

        const auto st2 = rv::hierarchy_remove(h, kept, p.feature_of());
        QVERIFY2(st2.ok(), st2.error().message.c_str());
        QCOMPARE(h.nodes.size(), std::size_t(1));
        const auto err2 = rvtest::check_hierarchy(h, {}, p.feature_of());
        QVERIFY2(err2.empty(), err2.c_str());
    }

    // A Duplicates node that loses its representative re-forms around another member.
    void removingADuplicatesRepresentative() {
        rvtest::Planted p = rvtest::make_planted(3, 2, 20, 32, 17);
        std::mt19937_64 rng(2);
        const auto orig = p.feature(p.ids[5]);
        for (int c = 0; c < 3; ++c) {
            std::vector<float> v;
            do v = rvtest::noisy(orig, 0.008, rng);
            while (rvtest::cos_of(v, orig) < 0.98);
            p.add(v, p.top[5], p.sub[5], 70000 + c);
        }
        std::vector<std::size_t> all(p.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        auto h = build_on(p, all);
        const int d = h.nodes[std::size_t(node_of_file(h, p.ids[5]))].parent;
        QCOMPARE(int(h.nodes[std::size_t(d)].kind), int(Kind::Duplicates));
        const auto rep = h.nodes[std::size_t(h.nodes[std::size_t(d)].representative)].file_id;
        const std::vector<std::int64_t> remove{rep};
        QVERIFY(rv::hierarchy_remove(h, remove, p.feature_of()).ok());
        std::vector<std::int64_t> kept;
        for (auto id : p.ids)
            if (id != rep) kept.push_back(id);
        const auto err = rvtest::check_hierarchy(h, kept, p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
    }

    void addThenRemoveIsValid() {
        const auto p = rvtest::make_planted(4, 3, 30, 32, 5);
        std::vector<std::size_t> base, extra;
        for (std::size_t i = 0; i < p.size(); ++i) (i % 3 == 0 ? extra : base).push_back(i);
        auto h = build_on(p, base);
        QVERIFY(add_rows(h, p, extra).ok());
        const auto ids = files_of(p, extra);
        QVERIFY(rv::hierarchy_remove(h, ids, p.feature_of()).ok());
        const auto err = rvtest::check_hierarchy(h, files_of(p, base), p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        // Into an empty tree, and out again.
        rv::Hierarchy empty;
        QVERIFY(add_rows(empty, p, {0, 1, 2}).ok());
        QVERIFY2(rvtest::check_hierarchy(empty, files_of(p, {0, 1, 2}), p.feature_of()).empty(),
                 rvtest::check_hierarchy(empty, files_of(p, {0, 1, 2}), p.feature_of()).c_str());
        QCOMPARE(empty.dim, p.dim);
    }

    // Many images added to one small group: it is split again, its groups stay bounded.
    void crowdedGroupIsSplit() {
        const auto p = rvtest::make_planted(2, 6, 60, 32, 23);
        rv::HierarchyParams params;
        params.branching = 4;
        params.leaf_group = 6;
        std::vector<std::size_t> base, extra;
        for (std::size_t i = 0; i < p.size(); ++i) (i % 60 < 2 ? base : extra).push_back(i);
        auto h = build_on(p, base, params);
        QVERIFY(add_rows(h, p, extra, params).ok());
        const auto err = rvtest::check_hierarchy(h, p.ids, p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        for (const auto& n : h.nodes)
            QVERIFY2(n.children.size() <= std::size_t(2 * params.branching * params.leaf_group + 1),
                     qPrintable(QString::number(n.children.size())));
        const double now = sub_purity(h, p, 12);
        qInfo("after adding %zu to a tree of %zu: sub-class purity %.3f", extra.size(), base.size(), now);
        QVERIFY(now > 0.5);
    }

    void badInputNamedAndNothingChanged() {
        const auto p = rvtest::make_planted(2, 2, 10, 16, 1);
        std::vector<std::size_t> all(p.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        auto h = build_on(p, all);
        const auto before = ids_of(h);
        const std::vector<std::int64_t> unknown{p.ids[0], 424242};
        auto st = rv::hierarchy_remove(h, unknown, p.feature_of());
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.find("424242") != std::string::npos, st.error().message.c_str());
        QCOMPARE(ids_of(h), before);
        QCOMPARE(h.nodes[0].size, std::int64_t(p.size()));
        auto again = add_rows(h, p, {3});
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message.find(std::to_string(p.ids[3])) != std::string::npos, again.error().message.c_str());
        const std::vector<float> zero(16, 0.0f);
        const std::vector<std::int64_t> one{5};
        auto z = rv::hierarchy_add(h, zero, one, p.feature_of(), {});
        QVERIFY(!z.ok());
        QVERIFY2(z.error().message.find("file id 5") != std::string::npos, z.error().message.c_str());
        QCOMPARE(ids_of(h), before);
        const std::vector<float> wrong(15, 1.0f);
        QVERIFY(!rv::hierarchy_add(h, wrong, one, p.feature_of(), {}).ok());
        QVERIFY(rvtest::check_hierarchy(h, p.ids, p.feature_of()).empty());
    }

    // Half built, the rest added in batches, a fifth removed: purity close to a rebuild.
    void manyEditsStayCloseToARebuild() {
        const auto p = rvtest::make_planted(6, 4, 25, 64, 31);
        std::vector<std::size_t> order(p.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::mt19937_64 rng(6);
        std::shuffle(order.begin(), order.end(), rng);
        const std::size_t half = order.size() / 2;
        auto h = build_on(p, {order.begin(), order.begin() + std::ptrdiff_t(half)});
        for (std::size_t at = half; at < order.size(); at += 50)
            QVERIFY(add_rows(h, p, {order.begin() + std::ptrdiff_t(at), order.begin() + std::ptrdiff_t(std::min(order.size(), at + 50))}).ok());
        std::vector<std::size_t> removed(order.begin(), order.begin() + std::ptrdiff_t(order.size() / 5)), kept;
        QVERIFY(rv::hierarchy_remove(h, files_of(p, removed), p.feature_of()).ok());
        kept.assign(order.begin() + std::ptrdiff_t(order.size() / 5), order.end());
        const auto err = rvtest::check_hierarchy(h, files_of(p, kept), p.feature_of());
        QVERIFY2(err.empty(), err.c_str());
        const double edited = sub_purity(h, p, 24);
        const double rebuilt = sub_purity(build_on(p, kept), p, 24);
        qInfo("sub-class purity after edits %.3f, rebuilt %.3f", edited, rebuilt);
        QVERIFY(edited >= rebuilt - 0.08);
    }
};

QTEST_GUILESS_MAIN(TestHierarchyEdits)
#include "test_hierarchy_edits.moc"
