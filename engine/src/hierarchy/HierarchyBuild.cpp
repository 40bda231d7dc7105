// build_hierarchy (Hierarchy.h): top-down spherical k-means.
//
// The algorithm, as run:
//  * The features are copied (normalised) into one working matrix; every group of the tree is a
//    contiguous range of its rows (a split permutes its range in place, its clusters in the order
//    of their children), so memory stays at one copy of the features.
//  * Level by level, every group of the level is planned independently (in parallel when there are
//    several; a level with fewer groups than threads runs each k-means on all threads):
//     - its centroid (unit mean) and representative (the member of highest cosine to the centroid,
//       which is exactly the member of highest mean cosine to the others, the medoid);
//     - when every member is within angle t of the centroid where cos 2t >= duplicate_cosine (so
//       within the threshold of each other), the group is a Duplicates node of them all;
//     - a group of at most leaf_group images gets its images as children, near-duplicates first
//       gathered into Duplicates nodes: greedily, the member with the most others (ties: highest
//       sum of cosines, then the lower row) at cosine >= duplicate_cosine, with those others, until
//       no member has one; the star's centre is the Duplicates node's representative;
//     - a larger group is split by spherical k-means (SphericalKMeans.h) into min(branching, size)
//       clusters, seeded from params.seed and the group's range; a cluster of one image becomes an
//       image child, a larger one a group of the next level.
//  * Children are ordered so similar siblings are adjacent (TreeOps.h chain_order: centroids,
//    or representatives' features).
//  * Nodes are finally numbered breadth-first from the root: ids 1.. in that order, next_id after.
// Deterministic for a seed: nothing depends on the number of threads.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "hierarchy/BuildCommon.h"
#include "hierarchy/BuildMethods.h"
#include "hierarchy/ParallelFor.h"
#include "hierarchy/SphericalKMeans.h"
#include "hierarchy/TreeOps.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

using Kind = HierarchyNode::Kind;
using namespace hierarchy_build;

// One group's plan, computed on its own range only.
struct Plan {
    enum class Type { Split, Leaf, AllDuplicates } type = Type::Leaf;
    std::vector<float> centroid;
    std::size_t rep = 0;                        // working row of the representative
    std::vector<Range> parts;                   // Split: the clusters, in child order
    std::vector<std::vector<std::size_t>> items;  // Leaf: rows; one row an image, more a Duplicates (centre first)
    bool cancelled = false;
};

Plan plan_group(Work& w, Range r, const HierarchyParams& params, int threads, const std::atomic<bool>& cancel) {
    Plan p;
    centroid_and_rep(w, r, p.centroid, p.rep);
    const double t = params.duplicate_cosine;
    const double min_cos = r.size() >= 2 ? spread(w, r) : 0.0;
    if (r.size() >= 2 && min_cos > 0 && 2.0 * min_cos * min_cos - 1.0 >= t) {
        p.type = Plan::Type::AllDuplicates;
        return p;
    }
    if (r.size() <= static_cast<std::size_t>(std::max(1, params.leaf_group))) {
        p.items = leaf_items(w, r, params.duplicate_cosine, true);
        if (p.items.size() == 1 && p.items[0].size() >= 2) {
            p.type = Plan::Type::AllDuplicates;
            p.rep = p.items[0][0];
        }
        return p;
    }
    p.type = Plan::Type::Split;
    p.parts = split_range(w, r, params, threads, cancel);
    if (p.parts.empty()) {
        p.cancelled = true;
        return p;
    }
    // Keep the representative pointing at the same image after the permutation.
    centroid_and_rep(w, r, p.centroid, p.rep);
    return p;
}

}  // namespace


namespace hierarchy_build {

BuildOptions default_build() { return {}; }

Result<Hierarchy> build_with(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim,
                             const HierarchyParams& params, const BuildOptions& options,
                             const std::atomic<bool>& cancel, const HierarchyProgress& progress) {
    if (auto st = check_input(features, file_ids, dim); !st) return st.error();
    if (file_ids.empty()) {
        Hierarchy h;
        h.dim = dim;
        h.built = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
        HierarchyNode root;
        root.kind = Kind::Root;
        root.id = 1;
        h.nodes.push_back(std::move(root));
        h.next_id = 2;
        return h;
    }
    auto h = options.method == Method::KMeans
                 ? build_kmeans(features, file_ids, dim, params, options, cancel, progress)
                 : build_hybrid(features, file_ids, dim, params, options, cancel, progress);
    if (h) {
        h->dim = dim;
        h->built = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    }
    return h;
}

Result<Hierarchy> build_kmeans(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim,
                               const HierarchyParams& params, const BuildOptions& options,
                               const std::atomic<bool>& cancel,
                               const HierarchyProgress& progress) {
    const std::size_t n = file_ids.size();
    Hierarchy h;
    HierarchyNode root;
    root.kind = Kind::Root;
    h.nodes.push_back(root);
    Work w = make_work(features, dim);
    (void)options;
    auto add_image = [&](int parent, std::size_t row) {
        HierarchyNode img;
        img.kind = Kind::Image;
        img.parent = parent;
        img.size = 1;
        img.file_id = file_ids[w.orig[row]];
        h.nodes.push_back(std::move(img));
        const int at = static_cast<int>(h.nodes.size() - 1);
        h.nodes.back().representative = at;
        h.nodes[static_cast<std::size_t>(parent)].children.push_back(at);
        return at;
    };
    // Representatives are recorded as working rows while rows still move, and resolved at the end
    // through w.orig (rows are permuted, the images they are do not change).
    std::vector<std::pair<int, std::size_t>> rep_of;  // (node, input row)

    struct Open {
        int node;
        Range range;
    };
    std::vector<Open> level{{0, {0, n}}};
    std::size_t placed = 0;
    const int threads = std::max(1, params.threads);
    while (!level.empty()) {
        if (cancel.load()) return Error{"cancelled"};
        std::vector<Plan> plans(level.size());
        const int inner = level.size() < static_cast<std::size_t>(threads) ? threads : 1;
        cluster::parallel_for(level.size(), threads, [&](std::size_t g) {
            plans[g] = plan_group(w, level[g].range, params, inner, cancel);
        });
        std::vector<Open> next;
        for (std::size_t g = 0; g < level.size(); ++g) {
            Plan& p = plans[g];
            if (p.cancelled) return Error{"cancelled"};
            int node = level[g].node;
            const Range r = level[g].range;
            if (p.type == Plan::Type::AllDuplicates && node == 0) {  // the root keeps its kind
                h.nodes[0].size = static_cast<std::int64_t>(r.size());
                h.nodes[0].centroid = p.centroid;
                rep_of.emplace_back(0, w.orig[p.rep]);
                HierarchyNode dup;
                dup.kind = Kind::Duplicates;
                dup.parent = 0;
                h.nodes.push_back(std::move(dup));
                node = static_cast<int>(h.nodes.size() - 1);
                h.nodes[0].children.push_back(node);
            }
            HierarchyNode& me = h.nodes[static_cast<std::size_t>(node)];
            me.size = static_cast<std::int64_t>(r.size());
            rep_of.emplace_back(node, w.orig[p.rep]);
            if (p.type == Plan::Type::AllDuplicates) {
                me.kind = Kind::Duplicates;
                me.centroid.clear();
                std::vector<std::size_t> rows;
                if (!p.items.empty()) {
                    rows = p.items[0];
                } else {
                    for (std::size_t i = r.begin; i < r.end; ++i) rows.push_back(i);
                }
                for (std::size_t row : rows) add_image(node, row);
                placed += r.size();
                continue;
            }
            me.centroid = std::move(p.centroid);
            if (p.type == Plan::Type::Leaf) {
                for (const auto& item : p.items) {
                    if (item.size() == 1) {
                        add_image(node, item[0]);
                        continue;
                    }
                    HierarchyNode dup;
                    dup.kind = Kind::Duplicates;
                    dup.parent = node;
                    dup.size = static_cast<std::int64_t>(item.size());
                    h.nodes.push_back(std::move(dup));
                    const int d = static_cast<int>(h.nodes.size() - 1);
                    h.nodes[static_cast<std::size_t>(node)].children.push_back(d);
                    rep_of.emplace_back(d, w.orig[item[0]]);
                    for (std::size_t row : item) add_image(d, row);
                }
                placed += r.size();
                continue;
            }
            for (const Range& part : p.parts) {
                if (part.size() == 1) {
                    add_image(node, part.begin);
                    ++placed;
                    continue;
                }
                HierarchyNode grp;
                grp.kind = Kind::Group;
                grp.parent = node;
                h.nodes.push_back(std::move(grp));
                const int c = static_cast<int>(h.nodes.size() - 1);
                h.nodes[static_cast<std::size_t>(node)].children.push_back(c);
                next.push_back({c, part});
            }
        }
        level = std::move(next);
        if (progress) progress(placed, n);
    }
    // Input row -> image node, then representatives.
    std::vector<int> node_of_input(n, -1);
    {
        std::unordered_map<std::int64_t, int> by_file;
        by_file.reserve(n);
        for (std::size_t i = 0; i < h.nodes.size(); ++i)
            if (h.nodes[i].kind == Kind::Image) by_file.emplace(h.nodes[i].file_id, static_cast<int>(i));
        for (std::size_t i = 0; i < n; ++i) node_of_input[i] = by_file.at(file_ids[i]);
    }
    for (const auto& [node, input_row] : rep_of) h.nodes[static_cast<std::size_t>(node)].representative = node_of_input[input_row];
    hierarchy_ops::renumber(h);
    for (std::size_t i = 0; i < h.nodes.size(); ++i) h.nodes[i].id = static_cast<std::int64_t>(i) + 1;
    h.next_id = static_cast<std::int64_t>(h.nodes.size()) + 1;
    return h;
}

}  // namespace hierarchy_build

Result<Hierarchy> build_hierarchy(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim,
                                  const HierarchyParams& params, const std::atomic<bool>& cancel,
                                  const HierarchyProgress& progress) {
    return hierarchy_build::build_with(features, file_ids, dim, params, hierarchy_build::default_build(), cancel,
                                       progress);
}

}  // namespace rv
