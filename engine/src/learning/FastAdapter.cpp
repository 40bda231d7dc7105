// update_fast_adapter (AdapterTraining.h).
//
// A fast adapter learns from ~50 pairs, far too few to train a free rank-r map of 2 r d parameters:
// with A free, Adam fits the marked rows through directions that every other row also has (their
// shared mean direction, their noise), and the whole collection moves (on synthetic data, held-out
// AUC fell from 0.82 to 0.5-0.6 within 20 marks). So A is not trained here but chosen: its rows
// span the directions the verdicts are about, the (unit) difference x_a - x_b of the newest pair
// (the last valid one of `recent`) and the principal directions of the other recent pairs'
// differences. Only along those does the map act; a row with no component there stays put. B (what
// to do along them: shrink the difference of alike pairs, stretch that of different ones) takes a
// few Adam steps of the pair contrastive loss, starting from the previous fast adapter's map
// restricted to the new directions (B = (s_old / s) B_old A_old A^T), so earlier marks' effect
// carries over where the directions agree.
//
// Pairs that name rows outside the matrix, pair a row with itself or touch a non-finite row are
// left out (a fast update has no error to report: the base training names such pairs).
#include <algorithm>
#include <cmath>
#include <vector>

#include "learning/Adam.h"
#include "learning/LinAlg.h"
#include "learning/PairLosses.h"
#include "learning/Random.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rv {

namespace {

constexpr int kMaxFastRank = 8;
constexpr int kPowerIterations = 30;

// Makes v (n doubles) orthogonal to the first `count` rows of `basis` and unit; false if nothing
// is left of it (it lay in their span, up to rounding).
bool orthonormalise(std::vector<double>& v, const std::vector<double>& basis, int count) {
    const std::size_t n = v.size();
    for (int pass = 0; pass < 2; ++pass)  // twice: classical Gram-Schmidt loses orthogonality once
        for (int k = 0; k < count; ++k) {
            const double* b = basis.data() + static_cast<std::size_t>(k) * n;
            double c = 0;
            for (std::size_t j = 0; j < n; ++j) c += v[j] * b[j];
            for (std::size_t j = 0; j < n; ++j) v[j] -= c * b[j];
        }
    double norm = 0;
    for (double x : v) norm += x * x;
    norm = std::sqrt(norm);
    if (!(norm > 1e-9)) return false;
    for (double& x : v) x /= norm;
    return true;
}

// `rank` orthonormal directions (rank x d): the newest difference, then the top principal
// directions (power iteration with deflation) of the other differences; seeded random ones if the
// differences span fewer.
std::vector<double> verdict_directions(const std::vector<std::vector<double>>& diffs, int rank, std::size_t d,
                                       std::uint64_t seed) {
    std::vector<double> basis(static_cast<std::size_t>(rank) * d, 0.0);
    learning::SplitMix64 rng(seed);
    int found = 0;
    std::vector<double> v(d);
    if (!diffs.empty()) {
        v = diffs.back();
        if (orthonormalise(v, basis, 0)) std::copy(v.begin(), v.end(), basis.begin() + static_cast<std::ptrdiff_t>(d * found++));
    }
    std::vector<double> w(d);
    while (found < rank) {
        for (auto& x : v) x = rng.normal();
        bool ok = orthonormalise(v, basis, found);
        // Power iteration on C = sum over the other differences of u u^T, in the complement of the basis.
        for (int it = 0; ok && it < kPowerIterations && diffs.size() > 1; ++it) {
            std::fill(w.begin(), w.end(), 0.0);
            for (std::size_t k = 0; k + 1 < diffs.size(); ++k) {
                double c = 0;
                for (std::size_t j = 0; j < d; ++j) c += diffs[k][j] * v[j];
                for (std::size_t j = 0; j < d; ++j) w[j] += c * diffs[k][j];
            }
            if (!orthonormalise(w, basis, found)) break;  // no variance left: keep the random direction
            double agree = 0;
            for (std::size_t j = 0; j < d; ++j) agree += v[j] * w[j];
            v.swap(w);
            if (std::abs(agree) > 1 - 1e-8) break;  // converged
        }
        if (!ok) continue;  // a random draw inside the span (practically never): draw again
        std::copy(v.begin(), v.end(), basis.begin() + static_cast<std::ptrdiff_t>(d * found++));
    }
    return basis;
}

}  // namespace

LowRankAdapter update_fast_adapter(const LowRankAdapter& fast, const FeatureMatrix& base_adapted,
                                   const std::vector<TrainingPair>& recent, const FastUpdateParams& params) {
    const int dim = base_adapted.dim;
    if (dim <= 0 || base_adapted.rows.size() % static_cast<std::size_t>(dim) != 0) return fast;
    const std::size_t d = static_cast<std::size_t>(dim), rows = base_adapted.size();
    const bool continues = !fast.empty() && fast.dim == dim && fast.valid();
    const int rank = std::clamp(params.rank, 1, std::min(kMaxFastRank, dim));
    const float alpha = std::isfinite(params.alpha) && params.alpha != 0 ? params.alpha : 1.0f;

    // The valid pairs, their rows (each matrix row once) and their unit differences.
    learning::LossBatch batch;
    std::vector<float> X;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> local;  // (matrix row, local row), sorted
    std::vector<std::vector<double>> diffs;
    auto finite_row = [&](std::uint32_t r) {
        const float* v = base_adapted.row(r);
        return std::all_of(v, v + d, [](float x) { return std::isfinite(x); });
    };
    auto local_row = [&](std::uint32_t r) {
        auto it = std::lower_bound(local.begin(), local.end(), std::make_pair(r, std::uint32_t{0}));
        if (it != local.end() && it->first == r) return it->second;
        const auto l = static_cast<std::uint32_t>(local.size());
        local.insert(it, {r, l});
        X.insert(X.end(), base_adapted.row(r), base_adapted.row(r) + d);
        return l;
    };
    for (const auto& p : recent) {
        if (p.a >= rows || p.b >= rows || p.a == p.b || !finite_row(p.a) || !finite_row(p.b)) continue;
        batch.pairs.push_back({local_row(p.a), local_row(p.b), p.alike});
        std::vector<double> diff(d);
        double norm = 0;
        for (std::size_t j = 0; j < d; ++j) {
            diff[j] = double(base_adapted.row(p.a)[j]) - base_adapted.row(p.b)[j];
            norm += diff[j] * diff[j];
        }
        if (!(norm > 0)) continue;  // identical features: no direction to act along
        for (double& x : diff) x /= std::sqrt(norm);
        diffs.push_back(std::move(diff));
    }
    if (batch.pairs.empty() || params.steps <= 0 || !(params.learning_rate > 0)) {
        return continues ? fast : LowRankAdapter::initial(dim, rank, alpha, params.seed);
    }
    batch.rows = local.size();

    LowRankAdapter ad;
    ad.dim = dim;
    ad.rank = rank;
    ad.alpha = alpha;
    const std::vector<double> basis = verdict_directions(diffs, rank, d, params.seed);
    ad.a.assign(basis.begin(), basis.end());
    ad.b.assign(d * static_cast<std::size_t>(rank), 0.0f);
    const float scale = alpha / static_cast<float>(rank);
    if (continues) {  // B = (s_old / s) B_old (A_old A^T)
        const std::size_t r_old = static_cast<std::size_t>(fast.rank), r = static_cast<std::size_t>(rank);
        std::vector<double> m(r_old * r, 0.0);
        for (std::size_t i = 0; i < r_old; ++i)
            for (std::size_t k = 0; k < r; ++k) {
                double c = 0;
                for (std::size_t j = 0; j < d; ++j) c += double(fast.a[i * d + j]) * basis[k * d + j];
                m[i * r + k] = c;
            }
        const double ratio = (double(fast.alpha) / double(fast.rank)) / scale;
        for (std::size_t j = 0; j < d; ++j)
            for (std::size_t k = 0; k < r; ++k) {
                double c = 0;
                for (std::size_t i = 0; i < r_old; ++i) c += double(fast.b[j * r_old + i]) * m[i * r + k];
                ad.b[j * r + k] = static_cast<float>(ratio * c);
            }
    }

    learning::LossConfig cfg;
    cfg.losses = LossSwitches{true, false, false};
    cfg.margin = params.margin;
    const std::size_t half = ad.a.size();
    std::vector<float> grad_b(half);
    learning::Adam adam(half);
    learning::LossWorkspace<float> ws;
    for (int step = 0; step < params.steps; ++step) {
        const learning::AdapterParams<float> view{dim, rank, scale, ad.a.data(), ad.b.data()};
        (void)learning::batch_loss<float>(view, X.data(), batch, cfg, nullptr, grad_b.data(), ws);
        learning::clip_global_norm(grad_b.data(), half, 1.0);
        adam.step(ad.b.data(), grad_b.data(), params.learning_rate);
    }
    if (!ad.valid()) return continues ? fast : LowRankAdapter::initial(dim, rank, alpha, params.seed);
    return ad;
}

}  // namespace rv
