// Agglomerative clustering by the nearest-neighbour chain (Agglomerative.h).
#include "hierarchy/Agglomerative.h"

#include <algorithm>
#include <limits>

#include "hierarchy/ParallelFor.h"
#include "ruvision/kernels/kernels.h"

namespace rv::cluster {

namespace {

struct State {
    std::size_t m;
    std::vector<double> g;  // m x m Gram matrix of the current clusters' sums (slot-indexed)
    std::vector<double> n;  // count per slot
    Linkage linkage;

    double dist(std::size_t a, std::size_t b) const {
        const double gab = g[a * m + b];
        if (linkage == Linkage::Average) return 1.0 - gab / (n[a] * n[b]);
        const double d2 = g[a * m + a] / (n[a] * n[a]) + g[b * m + b] / (n[b] * n[b]) - 2.0 * gab / (n[a] * n[b]);
        return n[a] * n[b] / (n[a] + n[b]) * std::max(0.0, d2);
    }
};

}  // namespace

Dendrogram agglomerate(const float* sums, const std::int64_t* counts, std::size_t m, std::size_t dim, Linkage linkage,
                       int threads) {
    Dendrogram d;
    d.leaves = m;
    d.size.assign(counts, counts + m);
    if (m <= 1) return d;
    State s{m, std::vector<double>(m * m), std::vector<double>(m), linkage};
    {
        // G = S S' with the kernels' gemm, in row blocks.
        std::vector<float> st(dim * m);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t k = 0; k < dim; ++k) st[k * m + i] = sums[i * dim + k];
        constexpr std::size_t kBlock = 256;
        const std::size_t blocks = (m + kBlock - 1) / kBlock;
        parallel_for(blocks, threads, [&](std::size_t b) {
            const std::size_t lo = b * kBlock, rows = std::min(m, lo + kBlock) - lo;
            std::vector<float> out(rows * m);
            kernels::kernels().gemm(static_cast<int>(rows), static_cast<int>(m), static_cast<int>(dim), sums + lo * dim,
                                    st.data(), nullptr, out.data(), kernels::Activation::None);
            for (std::size_t i = 0; i < rows * m; ++i) s.g[lo * m + i] = out[i];
        });
        for (std::size_t i = 0; i < m; ++i)  // exactly symmetric, whatever the gemm's rounding
            for (std::size_t j = i + 1; j < m; ++j) s.g[j * m + i] = s.g[i * m + j];
    }
    for (std::size_t i = 0; i < m; ++i) s.n[i] = static_cast<double>(counts[i]);
    std::vector<char> active(m, 1);
    std::vector<int> node(m);  // the dendrogram node in each slot
    for (std::size_t i = 0; i < m; ++i) node[i] = static_cast<int>(i);
    std::vector<std::size_t> chain;
    std::size_t remaining = m, first_active = 0;
    while (remaining > 1) {
        if (chain.empty()) {
            while (!active[first_active]) ++first_active;
            chain.push_back(first_active);
        }
        const std::size_t a = chain.back();
        const std::size_t prev = chain.size() >= 2 ? chain[chain.size() - 2] : m;
        std::size_t b = m;
        double best = std::numeric_limits<double>::infinity();
        if (prev != m) {  // the previous one wins ties, so the chain ends
            b = prev;
            best = s.dist(a, prev);
        }
        for (std::size_t c = 0; c < m; ++c) {
            if (!active[c] || c == a || c == prev) continue;
            const double dc = s.dist(a, c);
            if (dc < best) {
                best = dc;
                b = c;
            }
        }
        if (b != prev) {
            chain.push_back(b);
            continue;
        }
        // a and b are reciprocal nearest neighbours: merge b into a's slot.
        chain.pop_back();
        chain.pop_back();
        d.left.push_back(node[b]);
        d.right.push_back(node[a]);
        d.height.push_back(best);
        d.size.push_back(d.size[static_cast<std::size_t>(node[a])] + d.size[static_cast<std::size_t>(node[b])]);
        const double gaa = s.g[a * m + a] + s.g[b * m + b] + 2.0 * s.g[a * m + b];
        for (std::size_t c = 0; c < m; ++c) {
            if (!active[c]) continue;
            const double v = s.g[a * m + c] + s.g[b * m + c];
            s.g[a * m + c] = v;
            s.g[c * m + a] = v;
        }
        s.g[a * m + a] = gaa;
        s.n[a] += s.n[b];
        active[b] = 0;
        node[a] = static_cast<int>(d.leaves + d.left.size() - 1);
        --remaining;
    }
    return d;
}

}  // namespace rv::cluster
