// locate_in_hierarchy, hierarchy_add, hierarchy_remove (Hierarchy.h).
//
// Locating: from the root, at each node the Duplicates child whose representative's feature is
// within params.duplicate_cosine of the feature (the best of them) is entered and ends the path;
// otherwise the Group child of highest centroid cosine (ties: the first); the path ends at a node
// with no Group child.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "hierarchy/TreeOps.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

using Kind = HierarchyNode::Kind;
using FeatureOf = std::function<std::vector<float>(std::int64_t file_id)>;

float cosine(std::span<const float> a, const std::vector<float>& b) {
    if (b.size() != a.size() || a.empty()) return -std::numeric_limits<float>::infinity();
    return kernels::kernels().dot(a.data(), b.data(), a.size());
}

std::vector<float> rep_feature(const Hierarchy& h, int node, const FeatureOf& feature_of) {
    const int r = h.nodes[static_cast<std::size_t>(node)].representative;
    if (r < 0 || static_cast<std::size_t>(r) >= h.nodes.size() || !feature_of) return {};
    auto f = feature_of(h.nodes[static_cast<std::size_t>(r)].file_id);
    if (!hierarchy_ops::normalise(f)) return {};
    return f;
}

}  // namespace

std::vector<int> locate_in_hierarchy(const Hierarchy& h, std::span<const float> feature, const FeatureOf& feature_of,
                                     const HierarchyParams& params) {
    std::vector<int> path;
    if (h.nodes.empty()) return path;
    std::vector<float> q(feature.begin(), feature.end());
    path.push_back(0);
    if (!hierarchy_ops::normalise(q)) return path;
    int cur = 0;
    for (;;) {
        const auto& node = h.nodes[static_cast<std::size_t>(cur)];
        if (node.kind == Kind::Duplicates) break;
        int best_group = -1, best_dup = -1;
        float group_cos = -std::numeric_limits<float>::infinity();
        float dup_cos = -std::numeric_limits<float>::infinity();
        for (int c : node.children) {
            const auto& child = h.nodes[static_cast<std::size_t>(c)];
            if (child.kind == Kind::Group) {
                const float s = cosine(q, child.centroid);
                if (s > group_cos) {
                    group_cos = s;
                    best_group = c;
                }
            } else if (child.kind == Kind::Duplicates) {
                const float s = cosine(q, rep_feature(h, c, feature_of));
                if (s >= params.duplicate_cosine && s > dup_cos) {
                    dup_cos = s;
                    best_dup = c;
                }
            }
        }
        const int next = best_dup >= 0 ? best_dup : best_group;
        if (next < 0) break;
        path.push_back(next);
        cur = next;
    }
    return path;
}

}  // namespace rv
