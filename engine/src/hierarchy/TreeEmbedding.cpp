// embed_tree (Hierarchy.h): Sarkar's construction in the combinatorial form of Sala et al.
//
// Every node has a frame, the disk isometry that takes its local picture (the node at 0) to the
// disk. In its own frame a node sees its parent in one direction (the root has none) and fans its
// k children, in the order given, at hyperbolic distance `scale` over equal sectors of an arc
// centred opposite the parent (the root: the whole circle), squeezed where needed so that every
// child is farther from the centre than its parent. A child's frame is its parent's composed with
// the translation along its direction; its position is its frame applied to 0. Composing frames
// from the parent's keeps every step as accurate as one isometry, instead of accumulating
// rounding along the path from the root. Iterative (no recursion): any depth.
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
// Angle (radians) kept between a child and the directions that would bring it nearer the centre.
constexpr double kMargin = 0.02;

// The share of the k / (k + 1) turn beside the parent edge that a node's k children fan over,
// centred opposite the parent: below 1 the paths through a node bend less (the distortion of long
// pairs falls) and siblings sit closer (MAP falls). Chosen on validation trees (random, 10k leaves,
// branching 4, 8, 16, seeds 101..103; bench_tree_embedding --choose) as the lowest mean
// distortion with MAP at least 0.9: 0.8 (mean distortion 0.149, MAP 0.920; Sarkar's full circle:
// 0.213, 0.936). Sectors grown with subtree size (size^0.5) lowered the distortion a little more
// and MAP by 0.03 to 0.04, so they are not used. The root's children take the whole circle.
constexpr double kCone = 0.8;

// The depth of the deepest node reached from the root (by the children lists, each node once; the
// stored depth fields are not trusted).
int reached_depth(const Hierarchy& h)
{
    const std::size_t n = h.nodes.size();
    std::vector<int> depth(n, -1);
    std::vector<int> stack{0};
    depth[0] = 0;
    int deepest = 0;
    while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        for (int c : h.nodes[static_cast<std::size_t>(v)].children) {
            if (c <= 0 || static_cast<std::size_t>(c) >= n || depth[static_cast<std::size_t>(c)] >= 0)
                continue;
            depth[static_cast<std::size_t>(c)] = depth[static_cast<std::size_t>(v)] + 1;
            deepest = std::max(deepest, depth[static_cast<std::size_t>(c)]);
            stack.push_back(c);
        }
    }
    return deepest;
}

// Lays the tree out with one edge length; returns the largest distance of a node from the centre.
double lay_out(Hierarchy& h, double scale)
{
    const std::size_t n = h.nodes.size();
    std::vector<DiskMap> frame(n);
    std::vector<double> parent_angle(n, 0.0);  // direction of the parent in the node's own frame
    std::vector<int> stack{0};
    std::vector<double> offsets;
    std::vector<char> placed(n, 0);
    placed[0] = 1;
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
        // The children share an arc centred opposite the parent (the root: the whole circle), each
        // in the middle of an equal sector.
        const double kd = static_cast<double>(k);
        const double width = root ? kTwoPi : kCone * kTwoPi * kd / (kd + 1.0);
        const double first = root ? 0.0 : parent_angle[static_cast<std::size_t>(v)] + kTwoPi / 2.0 - width / 2.0;
        // Offsets of the children from the arc's middle; then, off the root, squeezed toward the
        // middle where needed so that every child is farther from the centre than this node: in
        // this node's frame the centre sits at a = frame.a, at distance r, and a child at distance
        // `scale` in a direction at angle D from it is farther than r exactly when
        // cos D < tanh(scale / 2) / tanh(r).
        offsets.assign(k, 0.0);
        double widest = 0;
        for (std::size_t j = 0; j < k; ++j) {
            offsets[j] = width * (static_cast<double>(j) + 0.5) / kd - width / 2.0;
            widest = std::max(widest, std::abs(offsets[j]));
        }
        const double middle = first + width / 2.0;
        if (!root && widest > 0) {
            const Complex a = frame[static_cast<std::size_t>(v)].a;
            const double na = std::abs(a);
            const double tanh_r = 2.0 * na / (1.0 + na * na);
            const double forbidden = std::acos(std::min(1.0, std::tanh(scale / 2.0) / tanh_r)) + kMargin;
            const double gap = std::abs(std::remainder(middle - std::arg(a), kTwoPi));  // middle to the centre's direction
            const double room = std::max(0.0, gap - forbidden);
            if (widest > room)
                for (double& o : offsets)
                    o *= room / widest;
        }
        for (std::size_t j = 0; j < k; ++j) {
            const int child = node.children[j];
            // a malformed tree (an index out of range, a node listed twice, a cycle) is laid out as
            // far as it is a tree: a node is placed once, from the first parent that lists it
            if (child <= 0 || static_cast<std::size_t>(child) >= n || placed[static_cast<std::size_t>(child)])
                continue;
            placed[static_cast<std::size_t>(child)] = 1;
            const double angle = middle + offsets[j];
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
    const int max_depth = reached_depth(h);
    for (HierarchyNode& node : h.nodes)
        node.x = node.y = 0;
    if (max_depth == 0 || h.nodes.size() == 1)
        return;
    const double limit = params.max_radius * (1.0 - 1e-9);
    // A path bends at every node, so the deepest node is at most depth * scale from the centre and
    // usually a little nearer: start from limit / depth and stretch or shrink the scale by the room
    // left, keeping the largest that stays within the limit as computed from the points (rounding
    // at distance 30 can put a straight path's end 1e-4 past depth * scale).
    double best = 0;
    double scale = limit / max_depth;
    for (int round = 0; round < 40; ++round) {
        const double farthest = lay_out(h, scale);
        if (!(farthest > 0))
            break;
        if (farthest <= limit) {
            best = std::max(best, scale);
            if (farthest > limit * (1.0 - 1e-5) || (round >= 8 && best > 0))
                break;
            scale *= limit / farthest;
        } else {
            scale *= limit / farthest * (1.0 - 1e-7 * (1 << std::min(round, 20)));
        }
    }
    if (!(best > 0))
        best = scale;
    lay_out(h, best);
    h.scale = best;
}

}  // namespace rv
