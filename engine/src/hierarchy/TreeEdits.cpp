// hierarchy_add, hierarchy_remove (Hierarchy.h).
//
// Adding: each image enters where locate (Locate.h) puts it: into the Duplicates node the path
// ends at; else beside the nearest image child of the beam's ends within the threshold (the two
// become a new Duplicates node, the old image its representative); else as a child of the path's last group, after its most
// alike child. Up the path sizes grow, centroids follow the running mean (centroid * old size +
// x, normalised: the stored centroid stands for the mean) and the new image becomes a group's
// representative when nearer its new centroid than the old one. A group whose children pass
// 2 * branching * leaf_group is rebuilt below itself (build_hierarchy on its images; its images
// keep their ids).
//
// Removing: each image leaves its parent; up the path sizes shrink and centroids lose it (running
// mean). Then, bottom-up: emptied groups go; a Duplicates node that lost its representative takes
// the member with the most others within the threshold (its members not within it of the new one
// move up beside it); a non-root node left with one child is replaced by that child. Last, every
// group that lost its representative takes the image below nearest its centroid (recomputed
// exactly when the running mean cancelled).
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "hierarchy/Locate.h"
#include "hierarchy/TreeOps.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

using Kind = HierarchyNode::Kind;
using hierarchy_ops::FeatureOf;

using hierarchy_ops::cosine;
using hierarchy_ops::rep_feature;

// mean_free cosine of two mean_free features; -inf when one is unknown (empty).
float mean_free_near(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.empty() || a.size() != b.size()) return -std::numeric_limits<float>::infinity();
    return hierarchy_ops::mean_free_cos(a.data(), b.data(), a.size());
}

struct Checked {
    std::size_t dim = 0;
    std::vector<std::vector<float>> x;  // normalised features, one per file
};

// Features of files to add: n x dim (dim from the tree, or from the input for an empty tree),
// finite, of some length, ids distinct and not in the tree.
Result<Checked> check_new(const Hierarchy& h, std::span<const float> features, std::span<const std::int64_t> ids) {
    Checked c;
    const std::size_t n = ids.size();
    c.dim = h.dim > 0 ? static_cast<std::size_t>(h.dim) : (n > 0 ? features.size() / n : 0);
    if (n > 0 && (c.dim == 0 || features.size() != n * c.dim))
        return Error{"hierarchy: " + std::to_string(features.size()) + " feature values for " + std::to_string(n) +
                     " files of dimension " + std::to_string(c.dim)};
    std::unordered_set<std::int64_t> present;
    for (const auto& node : h.nodes)
        if (node.kind == Kind::Image) present.insert(node.file_id);
    for (std::size_t i = 0; i < n; ++i) {
        if (!present.insert(ids[i]).second)
            return Error{"hierarchy: file id " + std::to_string(ids[i]) + " is already in the tree"};
        std::vector<float> v(features.begin() + static_cast<std::ptrdiff_t>(i * c.dim),
                             features.begin() + static_cast<std::ptrdiff_t>((i + 1) * c.dim));
        bool finite = true;
        for (float a : v) finite = finite && std::isfinite(a);
        if (!finite || !hierarchy_ops::normalise(v))
            return Error{"hierarchy: the feature of file id " + std::to_string(ids[i]) +
                         (finite ? " has no length" : " is not finite")};
        c.x.push_back(std::move(v));
    }
    return c;
}

void images_below(const Hierarchy& h, int v, std::vector<int>& out) {
    std::vector<int> stack{v};
    while (!stack.empty()) {
        const int u = stack.back();
        stack.pop_back();
        const auto& node = h.nodes[static_cast<std::size_t>(u)];
        if (node.kind == Kind::Image) out.push_back(u);
        for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) stack.push_back(*it);
    }
}

// The feature standing for a child when placing a sibling beside it.
std::vector<float> child_feature(const Hierarchy& h, int c, const FeatureOf& feature_of) {
    const auto& node = h.nodes[static_cast<std::size_t>(c)];
    if (!node.centroid.empty()) return node.centroid;
    return rep_feature(h, c, feature_of);
}

// Rebuilds group g below itself from its images' features; false (nothing changed) when a
// feature is unavailable or the build gives no split.
bool resplit(Hierarchy& h, int g, const FeatureOf& feature_of, const HierarchyParams& params) {
    std::vector<int> imgs;
    images_below(h, g, imgs);
    std::vector<float> x;
    std::vector<std::int64_t> ids;
    for (int i : imgs) {
        const auto& node = h.nodes[static_cast<std::size_t>(i)];
        auto f = feature_of(node.file_id);
        if (f.size() != static_cast<std::size_t>(h.dim)) return false;
        x.insert(x.end(), f.begin(), f.end());
        ids.push_back(node.file_id);
    }
    const std::atomic<bool> never{false};
    auto sub = build_hierarchy(x, ids, h.dim, params, never);
    if (!sub || sub->nodes[0].children.size() < 2) return false;
    // Sub-tree index -> index in h: its images are h's image nodes (so representatives above g,
    // which are image indices, stay right), the rest is appended with new ids.
    std::unordered_map<std::int64_t, int> image_at;  // file -> its image node in h
    for (int i : imgs) image_at[h.nodes[static_cast<std::size_t>(i)].file_id] = i;
    std::vector<int> to(sub->nodes.size(), g);
    for (std::size_t k = 1; k < sub->nodes.size(); ++k) {
        const auto& node = sub->nodes[k];
        if (node.kind == Kind::Image) {
            to[k] = image_at.at(node.file_id);
            continue;
        }
        to[k] = static_cast<int>(h.nodes.size());
        HierarchyNode copy;
        copy.kind = node.kind;
        copy.id = h.next_id++;
        h.nodes.push_back(std::move(copy));
    }
    for (std::size_t k = 1; k < sub->nodes.size(); ++k) {
        auto& from = sub->nodes[k];
        auto& node = h.nodes[static_cast<std::size_t>(to[k])];
        node.parent = to[static_cast<std::size_t>(from.parent)];
        node.children.clear();
        for (int c : from.children) node.children.push_back(to[static_cast<std::size_t>(c)]);
        node.representative = to[static_cast<std::size_t>(from.representative)];
        if (node.kind != Kind::Image) {
            node.size = from.size;
            node.centroid = std::move(from.centroid);
        }
    }
    auto& top = h.nodes[static_cast<std::size_t>(g)];
    top.children.clear();
    for (int c : sub->nodes[0].children) top.children.push_back(to[static_cast<std::size_t>(c)]);
    top.centroid = std::move(sub->nodes[0].centroid);
    top.representative = to[static_cast<std::size_t>(sub->nodes[0].representative)];
    return true;
}

}  // namespace

Status hierarchy_add(Hierarchy& h, std::span<const float> features, std::span<const std::int64_t> file_ids,
                     const FeatureOf& feature_of, const HierarchyParams& params) {
    auto checked = check_new(h, features, file_ids);
    if (!checked) return checked.error();
    if (file_ids.empty()) return Status::success();
    if (h.nodes.empty()) {
        HierarchyNode root;
        root.kind = Kind::Root;
        root.id = h.next_id++;
        h.nodes.push_back(std::move(root));
    }
    if (h.dim == 0) h.dim = static_cast<int>(checked->dim);
    // Files added in this call are known here before the caller knows them.
    std::unordered_map<std::int64_t, const std::vector<float>*> fresh;
    FeatureOf feat = [&](std::int64_t id) -> std::vector<float> {
        auto it = fresh.find(id);
        if (it != fresh.end()) return *it->second;
        return feature_of ? feature_of(id) : std::vector<float>{};
    };
    const std::size_t split_at = 2 * static_cast<std::size_t>(std::max(1, params.branching)) *
                                 static_cast<std::size_t>(std::max(1, params.leaf_group));
    for (std::size_t i = 0; i < file_ids.size(); ++i) {
        const std::vector<float>& x = checked->x[i];
        fresh[file_ids[i]] = &x;
        const auto where = hierarchy_ops::locate(h, x, feat, params, true);
        const std::vector<int>& path = where.path;
        const int last = path.back();
        HierarchyNode img;
        img.kind = Kind::Image;
        img.id = h.next_id++;
        img.size = 1;
        img.file_id = file_ids[i];
        img.parent = last;
        const int me = static_cast<int>(h.nodes.size());
        img.representative = me;
        h.nodes.push_back(std::move(img));
        if (h.nodes[static_cast<std::size_t>(last)].kind == Kind::Duplicates) {
            h.nodes[static_cast<std::size_t>(last)].children.push_back(me);
        } else {
            // Beside the twin the locate found, else after the most alike child.
            const int twin = where.twin;
            int beside = -1;
            float beside_cos = -std::numeric_limits<float>::infinity();
            for (int c : h.nodes[static_cast<std::size_t>(last)].children) {
                const float s = cosine(x, child_feature(h, c, feat));
                if (s > beside_cos) {
                    beside_cos = s;
                    beside = c;
                }
            }
            auto& kids = h.nodes[static_cast<std::size_t>(last)].children;
            if (twin >= 0) {
                HierarchyNode dup;
                dup.kind = Kind::Duplicates;
                dup.id = h.next_id++;
                dup.parent = last;
                dup.size = 2;
                dup.representative = twin;
                dup.children = {twin, me};
                const int d = static_cast<int>(h.nodes.size());
                *std::find(kids.begin(), kids.end(), twin) = d;
                h.nodes.push_back(std::move(dup));
                h.nodes[static_cast<std::size_t>(twin)].parent = d;
                h.nodes[static_cast<std::size_t>(me)].parent = d;
            } else {
                auto at = beside >= 0 ? std::find(kids.begin(), kids.end(), beside) + 1 : kids.end();
                kids.insert(at, me);
            }
        }
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            auto& node = h.nodes[static_cast<std::size_t>(*it)];
            const double old = static_cast<double>(node.size);
            ++node.size;
            if (node.kind == Kind::Duplicates) continue;
            if (node.centroid.size() != x.size()) node.centroid.assign(x.size(), 0.0f);
            std::vector<double> c(x.size());
            for (std::size_t d = 0; d < x.size(); ++d) c[d] = node.centroid[d] * old + x[d];
            if (hierarchy_ops::normalise(c)) node.centroid.assign(c.begin(), c.end());
            if (node.representative < 0 ||
                cosine(x, node.centroid) > cosine(rep_feature(h, *it, feat), node.centroid))
                node.representative = me;
        }
        auto& group = h.nodes[static_cast<std::size_t>(last)];
        if (group.kind != Kind::Duplicates && group.children.size() > split_at) {
            const bool split = resplit(h, last, feat, params);
            (void)split;  // no split (a feature unknown): the group stays as it is, still valid
        }
    }
    hierarchy_ops::renumber(h);
    return Status::success();
}

Status hierarchy_remove(Hierarchy& h, std::span<const std::int64_t> file_ids, const FeatureOf& feature_of,
                        const HierarchyParams& params) {
    if (file_ids.empty()) return Status::success();
    std::unordered_map<std::int64_t, int> node_of;
    for (std::size_t i = 0; i < h.nodes.size(); ++i)
        if (h.nodes[i].kind == Kind::Image) node_of[h.nodes[i].file_id] = static_cast<int>(i);
    std::unordered_set<std::int64_t> once;
    for (auto id : file_ids) {
        if (!node_of.count(id)) return Error{"hierarchy: file id " + std::to_string(id) + " is not in the tree"};
        if (!once.insert(id).second) return Error{"hierarchy: file id " + std::to_string(id) + " is given twice"};
    }
    std::unordered_set<int> lost_rep, lost_centroid;
    for (auto id : file_ids) {
        const int v = node_of[id];
        std::vector<float> x = feature_of ? feature_of(id) : std::vector<float>{};
        const bool have_x = x.size() == static_cast<std::size_t>(h.dim) && hierarchy_ops::normalise(x);
        const int p = h.nodes[static_cast<std::size_t>(v)].parent;
        auto& kids = h.nodes[static_cast<std::size_t>(p)].children;
        kids.erase(std::find(kids.begin(), kids.end(), v));
        for (int a = p; a >= 0; a = h.nodes[static_cast<std::size_t>(a)].parent) {
            auto& node = h.nodes[static_cast<std::size_t>(a)];
            const double old = static_cast<double>(node.size);
            --node.size;
            if (node.representative == v) lost_rep.insert(a);
            if (node.kind == Kind::Duplicates || node.size == 0) continue;
            std::vector<double> c(node.centroid.size());
            bool ok = have_x && c.size() == x.size();
            if (ok) {
                for (std::size_t d = 0; d < c.size(); ++d) c[d] = node.centroid[d] * old - x[d];
                ok = hierarchy_ops::normalise(c);
            }
            if (ok) node.centroid.assign(c.begin(), c.end());
            else lost_centroid.insert(a);
        }
    }
    // Bottom-up over the nodes still reachable (children before parents: reverse breadth-first).
    std::vector<int> order{0};
    for (std::size_t k = 0; k < order.size(); ++k)
        for (int c : h.nodes[static_cast<std::size_t>(order[k])].children) order.push_back(c);
    const float t = params.duplicate_cosine;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const int u = *it;
        auto& node = h.nodes[static_cast<std::size_t>(u)];
        if (u == 0 || node.kind == Kind::Image) continue;
        auto& up = h.nodes[static_cast<std::size_t>(node.parent)].children;
        auto pos = std::find(up.begin(), up.end(), u);
        if (node.children.empty()) {
            up.erase(pos);
            continue;
        }
        if (node.kind == Kind::Duplicates && lost_rep.count(u) && node.children.size() >= 2) {
            lost_rep.erase(u);
            const std::size_t m = node.children.size();
            std::vector<std::vector<float>> f(m);
            for (std::size_t i = 0; i < m; ++i) {
                f[i] = feature_of ? feature_of(h.nodes[static_cast<std::size_t>(node.children[i])].file_id)
                                  : std::vector<float>{};
                if (f[i].size() == static_cast<std::size_t>(h.dim)) f[i] = hierarchy_ops::mean_free(f[i], h.nodes[0].centroid);
                else f[i].clear();
            }
            const std::vector<int> members = node.children;
            auto node_of_child = [&members](std::size_t i) { return members[i]; };
            std::size_t centre = 0, best = 0;
            double best_sum = -1e300;
            for (std::size_t i = 0; i < m; ++i) {
                std::size_t count = 0;
                double sum = 0;
                for (std::size_t j = 0; j < m; ++j) {
                    if (i == j) continue;
                    const float s = mean_free_near(f[i], f[j]);
                    if (s >= t) ++count;
                    if (std::isfinite(s)) sum += s;
                }
                if (count > best || (count == best && sum > best_sum)) {
                    centre = i;
                    best = count;
                    best_sum = sum;
                }
            }
            std::vector<int> keep, leave;
            for (std::size_t i = 0; i < m; ++i)
                (i == centre || mean_free_near(f[i], f[centre]) >= t ? keep : leave).push_back(node.children[i]);
            node.children = keep;
            node.size = static_cast<std::int64_t>(keep.size());
            node.representative = node_of_child(centre);
            auto& up2 = h.nodes[static_cast<std::size_t>(node.parent)].children;
            auto at = std::find(up2.begin(), up2.end(), u) + 1;
            for (int c : leave) h.nodes[static_cast<std::size_t>(c)].parent = node.parent;
            up2.insert(at, leave.begin(), leave.end());
        }
        auto& self = h.nodes[static_cast<std::size_t>(u)];
        if (self.children.size() == 1) {
            const int only = self.children[0];
            auto& up3 = h.nodes[static_cast<std::size_t>(self.parent)].children;
            *std::find(up3.begin(), up3.end(), u) = only;
            h.nodes[static_cast<std::size_t>(only)].parent = self.parent;
            self.children.clear();
        }
    }
    auto& root = h.nodes[0];
    if (root.size == 0) {
        root.children.clear();
        root.centroid.clear();
        root.representative = -1;
        lost_rep.erase(0);
        lost_centroid.erase(0);
    }
    // Groups that lost their representative or their centroid, still in the tree: from the images
    // below (indices are still those of before; merged and pruned nodes are not reachable).
    std::vector<char> alive(h.nodes.size(), 0);
    for (std::vector<int> stack{0}; !stack.empty();) {
        const int u = stack.back();
        stack.pop_back();
        alive[static_cast<std::size_t>(u)] = 1;
        for (int c : h.nodes[static_cast<std::size_t>(u)].children) stack.push_back(c);
    }
    std::set<int> redo(lost_rep.begin(), lost_rep.end());
    redo.insert(lost_centroid.begin(), lost_centroid.end());
    for (int u : redo) {
        auto& node = h.nodes[static_cast<std::size_t>(u)];
        if (!alive[static_cast<std::size_t>(u)] || node.kind == Kind::Duplicates || node.size == 0) continue;
        std::vector<int> imgs;
        images_below(h, u, imgs);
        std::vector<std::vector<float>> f;
        for (int i : imgs) {
            f.push_back(feature_of ? feature_of(h.nodes[static_cast<std::size_t>(i)].file_id) : std::vector<float>{});
            if (!hierarchy_ops::normalise(f.back()) || f.back().size() != static_cast<std::size_t>(h.dim)) f.back().clear();
        }
        if (lost_centroid.count(u)) {
            std::vector<double> sum(static_cast<std::size_t>(h.dim), 0.0);
            for (const auto& v : f)
                for (std::size_t d = 0; d < v.size(); ++d) sum[d] += v[d];
            if (hierarchy_ops::normalise(sum)) node.centroid.assign(sum.begin(), sum.end());
        }
        // The image nearest the centroid (the first image below when no feature is known).
        int best = imgs.front();
        float best_cos = -std::numeric_limits<float>::infinity();
        for (std::size_t k = 0; k < imgs.size(); ++k) {
            const float s = cosine(f[k], node.centroid);
            if (s > best_cos) {
                best_cos = s;
                best = imgs[k];
            }
        }
        if (lost_rep.count(u) || !alive[static_cast<std::size_t>(node.representative)]) node.representative = best;
    }
    hierarchy_ops::renumber(h);
    return Status::success();
}

}  // namespace rv
