// Spherical k-means (SphericalKMeans.h has the algorithm step by step).
#include "hierarchy/SphericalKMeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "hierarchy/ParallelFor.h"
#include "ruvision/kernels/kernels.h"

namespace rv::cluster {

namespace {

constexpr std::size_t kBlock = 2048;  // rows per gemm block and per partial sum

// Uniform in [0, 1) from the top 53 bits of one draw.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform index in [0, n), n > 0.
std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n)));
}

bool cancelled(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }

struct Data {
    const float* x;
    std::size_t n, dim;
    const float* row(std::size_t i) const { return x + i * dim; }
};

// k-means++: centre indices into the rows.
std::vector<std::size_t> seed_centres(const Data& p, std::size_t k, std::mt19937_64& rng) {
    const auto& K = kernels::kernels();
    std::vector<std::size_t> picks{uniform_index(rng, p.n)};
    std::vector<double> d2(p.n);
    auto refresh = [&](std::size_t c, bool first) {
        const float* cr = p.row(c);
        for (std::size_t i = 0; i < p.n; ++i) {
            const double d = std::max(0.0, 2.0 - 2.0 * static_cast<double>(K.dot(p.row(i), cr, p.dim)));
            d2[i] = first ? d : std::min(d2[i], d);
        }
    };
    refresh(picks[0], true);
    while (picks.size() < k) {
        double total = 0.0;
        for (double d : d2) total += d;
        std::size_t pick = 0;
        if (total <= 0.0) {
            pick = uniform_index(rng, p.n);
        } else {
            const double target = uniform01(rng) * total;
            double run = 0.0;
            pick = p.n - 1;
            for (std::size_t i = 0; i < p.n; ++i) {
                run += d2[i];
                if (d2[i] > 0.0 && run > target) {
                    pick = i;
                    break;
                }
            }
            while (d2[pick] <= 0.0 && pick > 0) --pick;  // rounding at the end of the run
        }
        picks.push_back(pick);
        refresh(pick, false);
    }
    return picks;
}

// Assigns every row to the centre of highest cosine (ties: lower index); returns whether any
// assignment changed. cos_out[i]: the row's cosine to its centre.
bool assign_rows(const Data& p, const std::vector<float>& centres, std::size_t k, int threads,
                 std::vector<std::uint32_t>& assign, std::vector<float>& cos_out) {
    const auto& K = kernels::kernels();
    std::vector<float> ct(p.dim * k);  // dim x k: B of the gemm
    for (std::size_t c = 0; c < k; ++c)
        for (std::size_t d = 0; d < p.dim; ++d) ct[d * k + c] = centres[c * p.dim + d];
    const std::size_t blocks = (p.n + kBlock - 1) / kBlock;
    std::vector<char> changed(blocks, 0);
    parallel_for(blocks, threads, [&](std::size_t b) {
        const std::size_t lo = b * kBlock, m = std::min(p.n, lo + kBlock) - lo;
        std::vector<float> scores(m * k);
        K.gemm(static_cast<int>(m), static_cast<int>(k), static_cast<int>(p.dim), p.row(lo), ct.data(), nullptr,
               scores.data(), kernels::Activation::None);
        for (std::size_t i = 0; i < m; ++i) {
            const float* s = scores.data() + i * k;
            std::uint32_t best = 0;
            for (std::size_t c = 1; c < k; ++c)
                if (s[c] > s[best]) best = static_cast<std::uint32_t>(c);
            if (assign[lo + i] != best) changed[b] = 1;
            assign[lo + i] = best;
            cos_out[lo + i] = s[best];
        }
    });
    return std::any_of(changed.begin(), changed.end(), [](char c) { return c != 0; });
}

// Gives every empty cluster the point farthest from its own centre among clusters of >= 2
// members. Returns whether it moved any point.
bool reseed_empty(const Data& p, std::size_t k, std::vector<std::uint32_t>& assign, std::vector<float>& cosines) {
    std::vector<std::size_t> count(k, 0);
    for (auto a : assign) ++count[a];
    bool moved = false;
    for (std::size_t c = 0; c < k; ++c) {
        if (count[c] != 0) continue;
        std::size_t far = p.n;
        float far_cos = std::numeric_limits<float>::infinity();
        for (std::size_t i = 0; i < p.n; ++i) {
            if (count[assign[i]] < 2) continue;
            if (cosines[i] < far_cos) {
                far_cos = cosines[i];
                far = i;
            }
        }
        if (far == p.n) break;  // k <= n makes this unreachable; kept for safety
        --count[assign[far]];
        assign[far] = static_cast<std::uint32_t>(c);
        cosines[far] = 1.0f;  // it is its cluster's only member: not taken again
        ++count[c];
        moved = true;
    }
    return moved;
}

void update_centres(const Data& p, std::size_t k, int threads, const std::vector<std::uint32_t>& assign,
                    std::vector<float>& centres) {
    const std::size_t blocks = (p.n + kBlock - 1) / kBlock;
    std::vector<std::vector<double>> partial(blocks);
    parallel_for(blocks, threads, [&](std::size_t b) {
        auto& s = partial[b];
        s.assign(k * p.dim, 0.0);
        const std::size_t hi = std::min(p.n, (b + 1) * kBlock);
        for (std::size_t i = b * kBlock; i < hi; ++i) {
            double* dst = s.data() + assign[i] * p.dim;
            const float* src = p.row(i);
            for (std::size_t d = 0; d < p.dim; ++d) dst[d] += src[d];
        }
    });
    std::vector<double> sum(k * p.dim, 0.0);
    for (const auto& s : partial)
        for (std::size_t j = 0; j < sum.size(); ++j) sum[j] += s[j];
    for (std::size_t c = 0; c < k; ++c) {
        double n2 = 0.0;
        for (std::size_t d = 0; d < p.dim; ++d) n2 += sum[c * p.dim + d] * sum[c * p.dim + d];
        const double len = std::sqrt(n2);
        if (!std::isfinite(len) || len < 1e-12) continue;  // keeps the old centre
        for (std::size_t d = 0; d < p.dim; ++d) centres[c * p.dim + d] = static_cast<float>(sum[c * p.dim + d] / len);
    }
}

}  // namespace

SphericalKMeansResult spherical_kmeans(const float* rows, std::size_t n, std::size_t dim,
                                       const SphericalKMeansParams& params, const std::atomic<bool>* cancel) {
    SphericalKMeansResult r;
    if (n == 0 || dim == 0 || rows == nullptr) return r;
    const Data p{rows, n, dim};
    r.k = std::clamp<std::size_t>(params.k, 1, n);
    std::mt19937_64 rng(params.seed);
    const auto picks = seed_centres(p, r.k, rng);
    r.centres.resize(r.k * dim);
    for (std::size_t c = 0; c < r.k; ++c) std::copy_n(p.row(picks[c]), dim, r.centres.begin() + c * dim);
    r.assign.assign(n, static_cast<std::uint32_t>(r.k));  // k: not yet assigned
    std::vector<float> cosines(n, 0.0f);
    const int iterations = std::max(1, params.iterations);
    for (int it = 0; it < iterations; ++it) {
        if (cancelled(cancel)) {
            r.cancelled = true;
            break;
        }
        ++r.iterations;
        bool changed = assign_rows(p, r.centres, r.k, params.threads, r.assign, cosines);
        changed = reseed_empty(p, r.k, r.assign, cosines) || changed;
        if (!changed) break;
        update_centres(p, r.k, params.threads, r.assign, r.centres);
    }
    if (r.assign[0] == r.k) std::fill(r.assign.begin(), r.assign.end(), 0u);  // cancelled before any pass
    return r;
}

}  // namespace rv::cluster
