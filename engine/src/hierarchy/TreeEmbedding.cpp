// embed_tree (Hierarchy.h): Sarkar's construction in the combinatorial form of Sala et al.
//
// Every node has a frame, the disk isometry that takes its local picture (the node at 0) to the
// disk. In its own frame a node sees its parent in one direction (the root has none) and places its
// k children at hyperbolic distance `scale` on the k + 1 (root: k) equally spaced directions that
// start from the parent's, so the parent edge keeps a slot of its own. A child's frame is its
// parent's composed with the translation along its direction; its position is its frame applied
// to 0. Composing frames from the parent's keeps every step as accurate as one isometry, instead
// of accumulating rounding along the path from the root.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Hyperbolic.h"

namespace rv {
namespace {

using hyperbolic::Complex;
using hyperbolic::DiskMap;

constexpr double kTwoPi = 6.28318530717958647692;

// Lays the tree out with one edge length; returns the largest distance of a node from the centre.
double lay_out(Hierarchy& h, double scale)
{
    const std::size_t n = h.nodes.size();
    std::vector<DiskMap> frame(n);
    std::vector<double> parent_angle(n, 0.0);  // direction of the parent in the node's own frame
    std::vector<int> stack{0};
    double farthest = 0;
    frame[0] = hyperbolic::identity_map();
    h.nodes[0].x = 0;
    h.nodes[0].y = 0;
    while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        const HierarchyNode& node = h.nodes[static_cast<std::size_t>(v)];
        const std::size_t k = node.children.size();
        if (k == 0)
            continue;
        const bool root = node.parent < 0;
        const double slots = static_cast<double>(root ? k : k + 1);
        const double start = root ? 0.0 : parent_angle[static_cast<std::size_t>(v)];
        for (std::size_t j = 0; j < k; ++j) {
            const int child = node.children[j];
            if (child <= 0 || static_cast<std::size_t>(child) >= n)
                continue;
            const double angle = start + kTwoPi * static_cast<double>(root ? j : j + 1) / slots;
            const Complex b = hyperbolic::disk_polar(scale, angle);
            // The translation along `angle` taking 0 to b, as a DiskMap: z -> (z + b) / (1 + conj(b) z).
            const DiskMap step{Complex(1.0, 0.0), -b};
            const auto c = static_cast<std::size_t>(child);
            frame[c] = hyperbolic::compose(frame[static_cast<std::size_t>(v)], step);
            parent_angle[c] = angle + kTwoPi / 2.0;
            const Complex p = frame[c](Complex(0.0, 0.0));
            h.nodes[c].x = p.real();
            h.nodes[c].y = p.imag();
            farthest = std::max(farthest, hyperbolic::disk_distance(Complex(0.0, 0.0), p));
            stack.push_back(child);
        }
    }
    return farthest;
}

}  // namespace

void embed_tree(Hierarchy& h, const TreeEmbeddingParams& params)
{
    h.scale = 0;
    if (h.nodes.empty())
        return;
    int max_depth = 0;
    for (const HierarchyNode& node : h.nodes)
        max_depth = std::max(max_depth, node.depth);
    for (HierarchyNode& node : h.nodes)
        node.x = node.y = 0;
    if (max_depth == 0 || h.nodes.size() == 1)
        return;
    const double limit = params.max_radius * (1.0 - 1e-9);
    // A path bends at every node, so the deepest node is at most depth * scale from the centre and
    // usually a little nearer: start from limit / depth (always within) and stretch the scale by
    // the room left while the layout stays within the limit.
    double best = limit / max_depth;
    double scale = best;
    for (int round = 0; round < 8; ++round) {
        const double farthest = lay_out(h, scale);
        if (farthest <= limit)
            best = std::max(best, scale);
        if (farthest <= 0 || std::abs(farthest - limit) < 1e-6 * limit)
            break;
        scale *= limit / farthest;
    }
    lay_out(h, best);
    h.scale = best;
}

}  // namespace rv
