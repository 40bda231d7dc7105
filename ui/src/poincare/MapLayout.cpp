#include "poincare/MapLayout.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace rv::ui {

namespace {

using hyperbolic::Complex;

Complex pointOf(const HierarchyNode& n) { return {n.x, n.y}; }

// R tanh(r/2) (1 - |w|^2): the disc's Euclidean radius at the centre, shrunk by the conformal
// factor at w (first order, exact at the centre).
double discPx(Complex w, double discRadius, double radiusPx) {
    const double m = std::abs(w);
    const double shrink = std::max(0.0, (1.0 - m) * (1.0 + m));
    return radiusPx * std::tanh(discRadius / 2) * shrink;
}

struct Pending {
    double radius;
    int node;
    int from;  // layout index
    Complex w;
    bool operator<(const Pending& o) const { return radius < o.radius; }
};

}  // namespace

double nodeDiscRadius(const Hierarchy& h, const MapParams& params) {
    const double edge = h.scale > 0 ? h.scale : 1.0;
    return std::min(params.nodeRadius, 0.45 * edge);
}

int nearestToCentre(const Hierarchy& h, const hyperbolic::DiskMap& view, int hint) {
    const int n = static_cast<int>(h.nodes.size());
    if (n == 0) return -1;
    int at = hint >= 0 && hint < n ? hint : 0;
    double best = std::abs(view(pointOf(h.nodes[static_cast<std::size_t>(at)])));
    for (int steps = 0; steps < n; ++steps) {
        const HierarchyNode& node = h.nodes[static_cast<std::size_t>(at)];
        int next = -1;
        auto consider = [&](int i) {
            const double d = std::abs(view(pointOf(h.nodes[static_cast<std::size_t>(i)])));
            if (d < best) best = d, next = i;
        };
        if (node.parent >= 0) consider(node.parent);
        for (int c : node.children) consider(c);
        if (next < 0) break;
        at = next;
    }
    return at;
}

MapLayout layoutMap(const Hierarchy& h, const hyperbolic::DiskMap& view, int hint, int keep, const MapParams& params) {
    MapLayout out;
    const int n = static_cast<int>(h.nodes.size());
    if (n == 0) return out;
    out.start = nearestToCentre(h, view, hint);
    const double disc = nodeDiscRadius(h, params);
    const double R = params.radiusPx;

    std::vector<char> ancestor(static_cast<std::size_t>(n), 0);
    if (keep >= 0 && keep < n)
        for (int a = h.nodes[static_cast<std::size_t>(keep)].parent; a >= 0; a = h.nodes[static_cast<std::size_t>(a)].parent)
            ancestor[static_cast<std::size_t>(a)] = 1;
    std::vector<char> seen(static_cast<std::size_t>(n), 0);

    std::priority_queue<Pending> queue;
    const Complex startW = view(pointOf(h.nodes[static_cast<std::size_t>(out.start)]));
    queue.push({discPx(startW, disc, R), out.start, -1, startW});
    seen[static_cast<std::size_t>(out.start)] = 1;

    std::vector<Complex> childW;
    std::vector<double> childR;
    while (!queue.empty() && out.nodes.size() < params.maxNodes) {
        const Pending p = queue.top();
        queue.pop();
        const HierarchyNode& node = h.nodes[static_cast<std::size_t>(p.node)];
        MapNode m;
        m.node = p.node;
        m.w = p.w;
        m.radiusPx = p.radius;
        m.from = p.from;
        const int self = static_cast<int>(out.nodes.size());
        const int fromNode = p.from >= 0 ? out.nodes[static_cast<std::size_t>(p.from)].node : -1;

        // Children: their places and radii, capped by their siblings and their parent.
        const std::size_t k = node.children.size();
        childW.resize(k);
        childR.resize(k);
        double nearestChild = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < k; ++i) {
            childW[i] = view(pointOf(h.nodes[static_cast<std::size_t>(node.children[i])]));
            const double d = std::abs(childW[i] - p.w) * R;
            nearestChild = std::min(nearestChild, d);
            childR[i] = std::min(discPx(childW[i], disc, R), 0.45 * d);
        }
        if (k > 1) {
            // Neighbours in embed_tree's order sit next to each other: cap by those, and by all
            // when there are few.
            for (std::size_t i = 0; i < k; ++i) {
                double nearest = std::numeric_limits<double>::infinity();
                if (k <= 24) {
                    for (std::size_t j = 0; j < k; ++j)
                        if (j != i) nearest = std::min(nearest, std::abs(childW[i] - childW[j]));
                } else {
                    nearest = std::min(std::abs(childW[i] - childW[(i + 1) % k]), std::abs(childW[i] - childW[(i + k - 1) % k]));
                }
                childR[i] = std::min(childR[i], 0.45 * nearest * R);
            }
        }
        if (k > 0) m.radiusPx = std::min(m.radiusPx, 0.55 * nearestChild);

        // Collapse: every child away from the walk's start too small to draw.
        double largest = 0;
        std::int64_t beyond = 0;
        int away = 0;
        for (std::size_t i = 0; i < k; ++i) {
            if (node.children[i] == fromNode) continue;
            ++away;
            largest = std::max(largest, childR[i]);
            beyond += h.nodes[static_cast<std::size_t>(node.children[i])].size;
        }
        if (away > 0 && largest < params.collapsePx) {
            m.marker = true;
            m.count = beyond;
        } else {
            for (std::size_t i = 0; i < k; ++i) {
                const int c = node.children[i];
                if (seen[static_cast<std::size_t>(c)] || childR[i] < params.cullPx) continue;
                seen[static_cast<std::size_t>(c)] = 1;
                queue.push({childR[i], c, self, childW[i]});
            }
        }
        if (node.parent >= 0 && !seen[static_cast<std::size_t>(node.parent)]) {
            const Complex pw = view(pointOf(h.nodes[static_cast<std::size_t>(node.parent)]));
            double r = std::min(discPx(pw, disc, R), 0.55 * std::abs(pw - p.w) * R);
            const bool kept = ancestor[static_cast<std::size_t>(node.parent)] != 0;
            if (kept) r = std::max(r, 2.0);
            if (r >= params.cullPx || kept) {
                seen[static_cast<std::size_t>(node.parent)] = 1;
                queue.push({r, node.parent, self, pw});
            }
        }
        out.nodes.push_back(m);
    }
    return out;
}

int nodeAt(const MapLayout& layout, std::complex<double> w, double radiusPx, double slackPx) {
    int best = -1;
    double bestRadius = std::numeric_limits<double>::infinity();
    int near = -1;
    double nearGap = slackPx;
    for (std::size_t i = 0; i < layout.nodes.size(); ++i) {
        const MapNode& m = layout.nodes[i];
        const double d = std::abs(m.w - w) * radiusPx;
        const double r = std::max(m.radiusPx, m.marker ? 7.0 : 2.0);
        if (d <= r && r < bestRadius) best = static_cast<int>(i), bestRadius = r;
        if (d - r < nearGap) near = static_cast<int>(i), nearGap = d - r;
    }
    return best >= 0 ? best : near;
}

}  // namespace rv::ui
