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

#include "hierarchy/ParallelFor.h"
#include "hierarchy/SphericalKMeans.h"
#include "hierarchy/TreeOps.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

using Kind = HierarchyNode::Kind;

struct Work {
    std::vector<float> x;            // n x dim, unit, permuted as groups are split
    std::vector<std::size_t> orig;   // the input row of each working row
    std::size_t dim = 0;
    float* row(std::size_t i) { return x.data() + i * dim; }
    const float* row(std::size_t i) const { return x.data() + i * dim; }
};

struct Range {
    std::size_t begin = 0, end = 0;
    std::size_t size() const { return end - begin; }
};

// One group's plan, computed on its own range only.
struct Plan {
    enum class Type { Split, Leaf, AllDuplicates } type = Type::Leaf;
    std::vector<float> centroid;
    std::size_t rep = 0;                        // working row of the representative
    std::vector<Range> parts;                   // Split: the clusters, in child order
    std::vector<std::vector<std::size_t>> items;  // Leaf: rows; one row an image, more a Duplicates (centre first)
    bool cancelled = false;
};

void centroid_and_rep(const Work& w, Range r, Plan& p, float* min_cos) {
    std::vector<double> sum(w.dim, 0.0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float* v = w.row(i);
        for (std::size_t d = 0; d < w.dim; ++d) sum[d] += v[d];
    }
    if (!hierarchy_ops::normalise(sum)) {  // members cancel out: any member stands for them
        const float* v = w.row(r.begin);
        sum.assign(v, v + w.dim);
    }
    p.centroid.assign(sum.begin(), sum.end());
    const auto& K = kernels::kernels();
    float best = -2.0f, lowest = 2.0f;
    p.rep = r.begin;
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float c = K.dot(w.row(i), p.centroid.data(), w.dim);
        if (c > best) {
            best = c;
            p.rep = i;
        }
        lowest = std::min(lowest, c);
    }
    *min_cos = lowest;
}

// Near-duplicate stars among a small group's rows (see the file comment).
std::vector<std::vector<std::size_t>> leaf_items(const Work& w, Range r, float threshold) {
    const std::size_t m = r.size();
    const auto& K = kernels::kernels();
    std::vector<float> cs(m * m, 1.0f);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            cs[i * m + j] = cs[j * m + i] = K.dot(w.row(r.begin + i), w.row(r.begin + j), w.dim);
    std::vector<char> taken(m, 0);
    std::vector<std::vector<std::size_t>> items;
    for (;;) {
        std::size_t best = m, best_count = 0;
        double best_sum = 0;
        for (std::size_t i = 0; i < m; ++i) {
            if (taken[i]) continue;
            std::size_t count = 0;
            double sum = 0;
            for (std::size_t j = 0; j < m; ++j)
                if (j != i && !taken[j] && cs[i * m + j] >= threshold) {
                    ++count;
                    sum += cs[i * m + j];
                }
            if (count > best_count || (count == best_count && count > 0 && sum > best_sum)) {
                best = i;
                best_count = count;
                best_sum = sum;
            }
        }
        if (best == m) break;
        std::vector<std::size_t> star{r.begin + best};
        taken[best] = 1;
        for (std::size_t j = 0; j < m; ++j)
            if (!taken[j] && cs[best * m + j] >= threshold) {
                star.push_back(r.begin + j);
                taken[j] = 1;
            }
        items.push_back(std::move(star));
    }
    for (std::size_t i = 0; i < m; ++i)
        if (!taken[i]) items.push_back({r.begin + i});
    std::vector<const float*> heads;
    for (const auto& it : items) heads.push_back(w.row(it[0]));
    const auto order = hierarchy_ops::chain_order(heads, w.dim);
    std::vector<std::vector<std::size_t>> ordered;
    ordered.reserve(items.size());
    for (std::size_t o : order) ordered.push_back(std::move(items[o]));
    return ordered;
}

// Moves the range's rows so that cluster `rank[assign[i]]` comes first, keeping their order
// within a cluster; returns the clusters' ranges in rank order.
std::vector<Range> permute(Work& w, Range r, const std::vector<std::uint32_t>& assign,
                           const std::vector<std::size_t>& rank, std::size_t k) {
    std::vector<std::size_t> count(k, 0);
    for (auto a : assign) ++count[rank[a]];
    std::vector<Range> parts(k);
    std::size_t at = r.begin;
    for (std::size_t c = 0; c < k; ++c) {
        parts[c] = {at, at + count[c]};
        at += count[c];
    }
    std::vector<std::size_t> next(k), dest(r.size());
    for (std::size_t c = 0; c < k; ++c) next[c] = parts[c].begin - r.begin;
    for (std::size_t i = 0; i < r.size(); ++i) dest[i] = next[rank[assign[i]]]++;
    std::vector<float> tmp(w.dim);
    for (std::size_t i = 0; i < dest.size(); ++i) {
        while (dest[i] != i) {
            const std::size_t j = dest[i];
            float* a = w.row(r.begin + i);
            float* b = w.row(r.begin + j);
            std::copy_n(a, w.dim, tmp.data());
            std::copy_n(b, w.dim, a);
            std::copy_n(tmp.data(), w.dim, b);
            std::swap(w.orig[r.begin + i], w.orig[r.begin + j]);
            std::swap(dest[i], dest[j]);
        }
    }
    return parts;
}

Plan plan_group(Work& w, Range r, const HierarchyParams& params, int threads, const std::atomic<bool>& cancel) {
    Plan p;
    float min_cos = 1;
    centroid_and_rep(w, r, p, &min_cos);
    const double t = params.duplicate_cosine;
    if (r.size() >= 2 && 2.0 * min_cos * min_cos - 1.0 >= t && min_cos > 0) {
        p.type = Plan::Type::AllDuplicates;
        return p;
    }
    if (r.size() <= static_cast<std::size_t>(std::max(1, params.leaf_group))) {
        p.items = leaf_items(w, r, params.duplicate_cosine);
        if (p.items.size() == 1 && p.items[0].size() >= 2) {
            p.type = Plan::Type::AllDuplicates;
            p.rep = p.items[0][0];
        }
        return p;
    }
    p.type = Plan::Type::Split;
    cluster::SphericalKMeansParams kp;
    kp.k = static_cast<std::size_t>(std::max(2, params.branching));
    kp.iterations = params.iterations;
    kp.seed = hierarchy_ops::mix_seed(params.seed, r.begin, r.end);
    kp.threads = threads;
    const auto km = cluster::spherical_kmeans(w.row(r.begin), r.size(), w.dim, kp, &cancel);
    if (km.cancelled) {
        p.cancelled = true;
        return p;
    }
    std::vector<const float*> centres;
    for (std::size_t c = 0; c < km.k; ++c) centres.push_back(km.centres.data() + c * w.dim);
    const auto order = hierarchy_ops::chain_order(centres, w.dim);
    std::vector<std::size_t> rank(km.k);
    for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    p.parts = permute(w, r, km.assign, rank, km.k);
    p.parts.erase(std::remove_if(p.parts.begin(), p.parts.end(), [](const Range& x) { return x.size() == 0; }),
                  p.parts.end());
    // Keep the representative pointing at the same image after the permutation.
    float unused = 0;
    centroid_and_rep(w, r, p, &unused);
    return p;
}

Status check_input(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim) {
    const std::size_t n = file_ids.size();
    if (n > 0 && dim <= 0) return Error{"hierarchy: feature dimension " + std::to_string(dim) + " is not positive"};
    if (n > 0 && features.size() != n * static_cast<std::size_t>(dim))
        return Error{"hierarchy: " + std::to_string(features.size()) + " feature values for " + std::to_string(n) +
                     " files of dimension " + std::to_string(dim)};
    std::unordered_set<std::int64_t> seen;
    seen.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!seen.insert(file_ids[i]).second)
            return Error{"hierarchy: file id " + std::to_string(file_ids[i]) + " is given twice"};
        double n2 = 0;
        for (std::size_t d = 0; d < static_cast<std::size_t>(dim); ++d) {
            const double v = features[i * static_cast<std::size_t>(dim) + d];
            n2 += v * v;
        }
        if (!std::isfinite(n2) || n2 < 1e-24)
            return Error{"hierarchy: the feature of file id " + std::to_string(file_ids[i]) +
                         (std::isfinite(n2) ? " has no length" : " is not finite")};
    }
    return Status::success();
}

}  // namespace

Result<Hierarchy> build_hierarchy(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim,
                                  const HierarchyParams& params, const std::atomic<bool>& cancel,
                                  const HierarchyProgress& progress) {
    if (auto st = check_input(features, file_ids, dim); !st) return st.error();
    const std::size_t n = file_ids.size();
    Hierarchy h;
    h.dim = dim;
    h.built = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    HierarchyNode root;
    root.kind = Kind::Root;
    h.nodes.push_back(root);
    if (n == 0) {
        h.nodes[0].id = 1;
        h.next_id = 2;
        return h;
    }
    Work w;
    w.dim = static_cast<std::size_t>(dim);
    w.x.assign(features.begin(), features.end());
    w.orig.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.orig[i] = i;
        const auto& K = kernels::kernels();
        K.l2_normalize(w.row(i), w.dim);
    }
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

}  // namespace rv
