// Shared tree helpers (TreeOps.h).
#include "hierarchy/TreeOps.h"

#include <cmath>
#include <deque>

#include "ruvision/kernels/kernels.h"

namespace rv::hierarchy_ops {

std::vector<std::size_t> chain_order(const std::vector<const float*>& vectors, std::size_t dim) {
    const std::size_t m = vectors.size();
    std::vector<std::size_t> order;
    if (m == 0) return order;
    const auto& K = kernels::kernels();
    std::vector<float> cs(m * m, 1.0f);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j) cs[i * m + j] = cs[j * m + i] = K.dot(vectors[i], vectors[j], dim);
    std::size_t start = 0;
    double lowest = INFINITY;
    for (std::size_t i = 0; i < m; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < m; ++j) s += cs[i * m + j];
        if (s < lowest) {
            lowest = s;
            start = i;
        }
    }
    std::vector<char> taken(m, 0);
    order.push_back(start);
    taken[start] = 1;
    while (order.size() < m) {
        const std::size_t last = order.back();
        std::size_t best = m;
        for (std::size_t j = 0; j < m; ++j)
            if (!taken[j] && (best == m || cs[last * m + j] > cs[last * m + best])) best = j;
        order.push_back(best);
        taken[best] = 1;
    }
    return order;
}

bool normalise(std::vector<double>& v) {
    double n2 = 0.0;
    for (double x : v) n2 += x * x;
    const double n = std::sqrt(n2);
    if (!std::isfinite(n) || n < 1e-12) return false;
    for (double& x : v) x /= n;
    return true;
}

bool normalise(std::vector<float>& v) {
    double n2 = 0.0;
    for (float x : v) n2 += static_cast<double>(x) * x;
    const double n = std::sqrt(n2);
    if (!std::isfinite(n) || n < 1e-12) return false;
    for (float& x : v) x = static_cast<float>(x / n);
    return true;
}

std::vector<float> mean_free(std::span<const float> x, const std::vector<float>& u) {
    std::vector<double> v(x.begin(), x.end());
    if (!normalise(v)) return std::vector<float>(x.size(), 0.0f);
    if (u.size() == v.size()) {
        double along = 0;
        for (std::size_t d = 0; d < v.size(); ++d) along += v[d] * u[d];
        for (std::size_t d = 0; d < v.size(); ++d) v[d] -= along * u[d];
        double n2 = 0;
        for (double a : v) n2 += a * a;
        if (!(n2 > 1e-10)) return std::vector<float>(x.size(), 0.0f);  // along u to float precision
        normalise(v);
    }
    return std::vector<float>(v.begin(), v.end());
}

float mean_free_cos(const float* a, const float* b, std::size_t dim) {
    double na = 0, nb = 0;
    for (std::size_t d = 0; d < dim; ++d) {
        na += static_cast<double>(a[d]) * a[d];
        nb += static_cast<double>(b[d]) * b[d];
    }
    if (na == 0 && nb == 0) return 1.0f;
    if (na == 0 || nb == 0) return 0.0f;
    return kernels::kernels().dot(a, b, dim);
}

void renumber(Hierarchy& h) {
    if (h.nodes.empty()) return;
    std::vector<int> to_new(h.nodes.size(), -1);
    std::vector<int> order;
    order.reserve(h.nodes.size());
    std::deque<int> queue{0};
    to_new[0] = 0;
    while (!queue.empty()) {
        const int i = queue.front();
        queue.pop_front();
        order.push_back(i);
        for (int c : h.nodes[static_cast<std::size_t>(i)].children) {
            if (c < 0 || static_cast<std::size_t>(c) >= h.nodes.size() || to_new[static_cast<std::size_t>(c)] >= 0)
                continue;
            to_new[static_cast<std::size_t>(c)] = static_cast<int>(order.size() + queue.size());
            queue.push_back(c);
        }
    }
    std::vector<HierarchyNode> out(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        HierarchyNode n = std::move(h.nodes[static_cast<std::size_t>(order[k])]);
        std::vector<int> kids;
        kids.reserve(n.children.size());
        for (int c : n.children)
            if (c >= 0 && static_cast<std::size_t>(c) < to_new.size() && to_new[static_cast<std::size_t>(c)] >= 0)
                kids.push_back(to_new[static_cast<std::size_t>(c)]);
        n.children = std::move(kids);
        n.representative = n.representative >= 0 && static_cast<std::size_t>(n.representative) < to_new.size()
                               ? to_new[static_cast<std::size_t>(n.representative)]
                               : -1;
        out[k] = std::move(n);
    }
    out[0].parent = -1;
    out[0].depth = 0;
    for (std::size_t k = 0; k < out.size(); ++k)
        for (int c : out[k].children) {
            out[static_cast<std::size_t>(c)].parent = static_cast<int>(k);
            out[static_cast<std::size_t>(c)].depth = out[k].depth + 1;
        }
    h.nodes = std::move(out);
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = seed ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace rv::hierarchy_ops
