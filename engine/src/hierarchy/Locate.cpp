// Locating a feature in a hierarchy (Locate.h), and locate_in_hierarchy (Hierarchy.h).
#include "hierarchy/Locate.h"

#include <algorithm>
#include <limits>

#include "hierarchy/TreeOps.h"
#include "ruvision/kernels/kernels.h"

namespace rv::hierarchy_ops {

namespace {

using Kind = HierarchyNode::Kind;

std::vector<int> path_to(const Hierarchy& h, int node) {
    std::vector<int> path;
    for (int u = node; u >= 0; u = h.nodes[static_cast<std::size_t>(u)].parent) path.push_back(u);
    std::reverse(path.begin(), path.end());
    return path;
}

}  // namespace

float cosine(std::span<const float> a, const std::vector<float>& b) {
    if (b.size() != a.size() || a.empty()) return -std::numeric_limits<float>::infinity();
    return kernels::kernels().dot(a.data(), b.data(), a.size());
}

std::vector<float> rep_feature(const Hierarchy& h, int node, const FeatureOf& feature_of) {
    const int r = h.nodes[static_cast<std::size_t>(node)].representative;
    if (r < 0 || static_cast<std::size_t>(r) >= h.nodes.size() || !feature_of) return {};
    auto f = feature_of(h.nodes[static_cast<std::size_t>(r)].file_id);
    if (!normalise(f)) return {};
    return f;
}

Located locate(const Hierarchy& h, std::span<const float> q, const FeatureOf& feature_of,
               const HierarchyParams& params, bool find_twin) {
    Located out;
    if (h.nodes.empty()) return out;
    const float t = params.duplicate_cosine;
    // Everything is compared mean_free (TreeOps.h) with the root's centroid as the mean direction.
    const std::vector<float>& u = h.nodes[0].centroid;
    const std::vector<float> qm = mean_free(q, u);
    auto near = [&](const std::vector<float>& v) {
        if (v.size() != qm.size()) return -std::numeric_limits<float>::infinity();
        return mean_free_cos(qm.data(), mean_free(v, u).data(), qm.size());
    };
    int dup = -1;
    float dup_cos = -std::numeric_limits<float>::infinity();
    std::vector<std::pair<float, int>> ends;  // (score, node)
    std::vector<int> beam{0}, visited;
    while (!beam.empty()) {
        std::vector<std::pair<float, int>> next;
        for (int b : beam) {
            visited.push_back(b);
            bool has_group = false;
            for (int c : h.nodes[static_cast<std::size_t>(b)].children) {
                const auto& child = h.nodes[static_cast<std::size_t>(c)];
                if (child.kind == Kind::Group) {
                    next.emplace_back(near(child.centroid), c);
                    has_group = true;
                } else if (child.kind == Kind::Duplicates) {
                    const float s = near(rep_feature(h, c, feature_of));
                    if (s >= t && s > dup_cos) {
                        dup_cos = s;
                        dup = c;
                    }
                }
            }
            if (!has_group) ends.emplace_back(near(h.nodes[static_cast<std::size_t>(b)].centroid), b);
        }
        std::stable_sort(next.begin(), next.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (next.size() > kBeam) next.resize(kBeam);
        beam.clear();
        for (const auto& e : next) beam.push_back(e.second);
    }
    if (dup >= 0) {
        out.path = path_to(h, dup);
        return out;
    }
    std::stable_sort(ends.begin(), ends.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    int end = ends.empty() ? 0 : ends.front().second;
    if (find_twin) {
        float twin_cos = t;
        for (int v : visited)
            for (int c : h.nodes[static_cast<std::size_t>(v)].children) {
                if (h.nodes[static_cast<std::size_t>(c)].kind != Kind::Image) continue;
                const float s = near(rep_feature(h, c, feature_of));
                if (s >= twin_cos) {
                    twin_cos = s;
                    out.twin = c;
                    end = v;
                }
            }
    }
    out.path = path_to(h, end);
    return out;
}

}  // namespace rv::hierarchy_ops

namespace rv {

std::vector<int> locate_in_hierarchy(const Hierarchy& h, std::span<const float> feature,
                                     const std::function<std::vector<float>(std::int64_t file_id)>& feature_of,
                                     const HierarchyParams& params) {
    if (h.nodes.empty()) return {};
    std::vector<float> q(feature.begin(), feature.end());
    if (!hierarchy_ops::normalise(q)) return {0};
    return hierarchy_ops::locate(h, q, feature_of, params, false).path;
}

}  // namespace rv
