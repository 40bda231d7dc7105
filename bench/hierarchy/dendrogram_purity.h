// Dendrogram purity (Heller & Ghahramani 2005) of a tree against class labels: the mean, over all
// pairs of leaves of the same class, of the purity of their lowest common ancestor (the share of
// that node's leaves that have the pair's class). 1 when every class is a subtree of its own.
// Header-only, no Qt: the hierarchy bench and the hierarchy tests share it.
#pragma once

#include <cstddef>
#include <vector>

#include "ruvision/engine/Hierarchy.h"

namespace rvhier {

// A tree as children lists; leaves are the nodes without children, `label[node]` their class
// (0..classes-1; a leaf labelled -1 counts in no pair but in its ancestors' sizes). Pairs whose LCA
// is node v: per class, (sum over children of their counts)^2 minus the sum of squares, halved.
inline double dendrogram_purity(const std::vector<std::vector<int>>& children, const std::vector<int>& label,
                                int root, int classes) {
    const std::size_t n = children.size();
    std::vector<std::vector<double>> count(n);
    std::vector<double> size(n, 0.0);
    std::vector<int> order;  // post-order, iteratively
    std::vector<std::pair<int, std::size_t>> stack{{root, 0}};
    while (!stack.empty()) {
        auto& [v, i] = stack.back();
        if (i < children[static_cast<std::size_t>(v)].size()) {
            const int c = children[static_cast<std::size_t>(v)][i++];
            stack.push_back({c, 0});
        } else {
            order.push_back(v);
            stack.pop_back();
        }
    }
    double weighted = 0, pairs = 0;
    for (int v : order) {
        auto& cv = count[static_cast<std::size_t>(v)];
        cv.assign(static_cast<std::size_t>(classes), 0.0);
        const auto& kids = children[static_cast<std::size_t>(v)];
        if (kids.empty()) {
            size[static_cast<std::size_t>(v)] = 1;
            const int l = label[static_cast<std::size_t>(v)];
            if (l >= 0 && l < classes) cv[static_cast<std::size_t>(l)] = 1;
            continue;
        }
        std::vector<double> squares(static_cast<std::size_t>(classes), 0.0);
        for (int c : kids) {
            size[static_cast<std::size_t>(v)] += size[static_cast<std::size_t>(c)];
            for (std::size_t k = 0; k < static_cast<std::size_t>(classes); ++k) {
                const double x = count[static_cast<std::size_t>(c)][k];
                cv[k] += x;
                squares[k] += x * x;
            }
            std::vector<double>().swap(count[static_cast<std::size_t>(c)]);
        }
        for (std::size_t k = 0; k < static_cast<std::size_t>(classes); ++k) {
            const double p = (cv[k] * cv[k] - squares[k]) / 2;
            if (p <= 0) continue;
            pairs += p;
            weighted += p * cv[k] / size[static_cast<std::size_t>(v)];
        }
    }
    return pairs > 0 ? weighted / pairs : 1.0;
}

// The same for a hierarchy; label_of(file_id) gives an image's class.
template <class LabelOf>
double dendrogram_purity(const rv::Hierarchy& h, int classes, LabelOf&& label_of) {
    if (h.nodes.empty()) return 1.0;
    std::vector<std::vector<int>> children(h.nodes.size());
    std::vector<int> label(h.nodes.size(), -1);
    for (std::size_t i = 0; i < h.nodes.size(); ++i) {
        children[i] = h.nodes[i].children;
        if (h.nodes[i].kind == rv::HierarchyNode::Kind::Image) label[i] = label_of(h.nodes[i].file_id);
    }
    return dendrogram_purity(children, label, 0, classes);
}

}  // namespace rvhier
