// measure_embedding (Hierarchy.h): how well the disk keeps the tree's distances.
//
// Distortion over sampled node pairs (seeded; every pair when there are fewer than asked): the
// disk distance divided by the edge length against the tree distance (edges on the path). MAP
// (Sala et al.): for each sampled node u with tree neighbours N(u) (parent and children), every
// other node is ranked by disk distance from u; the average precision of N(u) in that ranking
// (ties counted against u), averaged over the sampled nodes.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Hyperbolic.h"

namespace rv {
namespace {

// splitmix64: a small seeded generator whose sequence is the same on every platform.
struct Rng {
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

// Edges between a and b by their parent links and depth fields; -1 when the links do not meet
// within the tree's size (a malformed tree: an index out of range, a cycle).
int tree_distance(const Hierarchy& h, int a, int b)
{
    const auto n = static_cast<int>(h.nodes.size());
    int d = 0;
    while (a != b) {
        if (a < 0 || b < 0 || a >= n || b >= n || d > 2 * n)
            return -1;
        const HierarchyNode& na = h.nodes[static_cast<std::size_t>(a)];
        const HierarchyNode& nb = h.nodes[static_cast<std::size_t>(b)];
        if (na.depth >= nb.depth)
            a = na.parent;
        else
            b = nb.parent;
        ++d;
    }
    return d;
}

hyperbolic::Complex point(const HierarchyNode& n)
{
    return {n.x, n.y};
}

double average_precision(const Hierarchy& h, int u, const std::vector<double>& room, std::vector<double>& dist)
{
    const HierarchyNode& node = h.nodes[static_cast<std::size_t>(u)];
    const std::size_t n = h.nodes.size();
    std::vector<int> neighbours;
    for (int c : node.children)
        if (c >= 0 && static_cast<std::size_t>(c) < n && c != u)
            neighbours.push_back(c);
    if (node.parent >= 0 && static_cast<std::size_t>(node.parent) < n && node.parent != u)
        neighbours.push_back(node.parent);
    std::sort(neighbours.begin(), neighbours.end());
    neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
    if (neighbours.empty())
        return -1;
    const hyperbolic::Complex pu = point(node);
    // From u, d(u, w) = 2 asinh(|u - w| / sqrt((1 - |u|^2)(1 - |w|^2))) grows with
    // |u - w|^2 / (1 - |w|^2): rank by that (room[w] = 1 - |w|^2, computed once by the caller).
    for (std::size_t i = 0; i < n; ++i)
        dist[i] = std::norm(pu - point(h.nodes[i])) / room[i];
    std::vector<double> nd;
    nd.reserve(neighbours.size());
    for (int v : neighbours)
        nd.push_back(dist[static_cast<std::size_t>(v)]);
    std::sort(nd.begin(), nd.end());
    // rank of the k-th nearest neighbour = nodes (other than u) at most as far as it.
    std::vector<std::size_t> hist(nd.size() + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (static_cast<int>(i) == u)
            continue;
        const auto at = std::lower_bound(nd.begin(), nd.end(), dist[i]) - nd.begin();
        ++hist[static_cast<std::size_t>(at)];
    }
    double sum = 0;
    std::size_t rank = 0;
    for (std::size_t k = 0; k < nd.size(); ++k) {
        rank += hist[k];
        // neighbours at most as far as this one (more than k + 1 when neighbours tie; nodes at a tied
        // distance all went to the first of them, so rank already counts them)
        const auto hits = static_cast<std::size_t>(std::upper_bound(nd.begin(), nd.end(), nd[k]) - nd.begin());
        sum += static_cast<double>(hits) / static_cast<double>(std::max(rank, hits));
    }
    return sum / static_cast<double>(nd.size());
}

}  // namespace

EmbeddingQuality measure_embedding(const Hierarchy& h, std::size_t pairs, std::uint64_t seed)
{
    EmbeddingQuality q;
    const std::size_t n = h.nodes.size();
    if (n < 2 || !(h.scale > 0))
        return q;
    Rng rng{seed};
    double sum = 0;
    auto add_pair = [&](int a, int b) {
        const int td = tree_distance(h, a, b);
        if (td <= 0)
            return;
        const double dd = hyperbolic::disk_distance(point(h.nodes[static_cast<std::size_t>(a)]),
                                                    point(h.nodes[static_cast<std::size_t>(b)])) / h.scale;
        const double rel = std::abs(dd - td) / td;
        sum += rel;
        q.max_distortion = std::max(q.max_distortion, rel);
        ++q.pairs;
    };
    if (n * (n - 1) / 2 <= pairs) {
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = a + 1; b < n; ++b)
                add_pair(static_cast<int>(a), static_cast<int>(b));
    } else {
        for (std::size_t i = 0; i < pairs; ++i) {
            const std::size_t a = rng.below(n);
            std::size_t b = rng.below(n - 1);
            if (b >= a)
                ++b;
            add_pair(static_cast<int>(a), static_cast<int>(b));
        }
    }
    if (q.pairs > 0)
        q.mean_distortion = sum / static_cast<double>(q.pairs);

    // MAP over up to max(200, pairs / 20) nodes (each costs a pass over all nodes).
    const std::size_t want = std::min(n, std::max<std::size_t>(200, pairs / 20));
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (want < n)
        for (std::size_t i = 0; i < want; ++i)
            std::swap(order[i], order[i + rng.below(n - i)]);
    std::vector<double> dist(n), room(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double r = std::min(std::abs(point(h.nodes[i])), 1.0);
        room[i] = std::max((1.0 - r) * (1.0 + r), 1e-300);
    }
    double ap_sum = 0;
    for (std::size_t i = 0; i < want; ++i) {
        const double ap = average_precision(h, static_cast<int>(order[i]), room, dist);
        if (ap < 0)
            continue;
        ap_sum += ap;
        ++q.nodes;
    }
    if (q.nodes > 0)
        q.map = ap_sum / static_cast<double>(q.nodes);
    return q;
}

}  // namespace rv
