// update_fast_adapter (AdapterTraining.h): a few full-batch Adam steps of the pair contrastive loss
// on the recent pairs, from the current fast adapter. Pairs that name rows outside the matrix, pair
// a row with itself or touch a non-finite row are left out (a fast update has no error to report:
// the base training names such pairs). Microseconds to a few milliseconds at dim 576, rank 2,
// ~50 pairs.
#include <algorithm>
#include <cmath>
#include <vector>

#include "learning/Adam.h"
#include "learning/PairLosses.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rv {

LowRankAdapter update_fast_adapter(const LowRankAdapter& fast, const FeatureMatrix& base_adapted,
                                   const std::vector<TrainingPair>& recent, const FastUpdateParams& params) {
    const int dim = base_adapted.dim;
    if (dim <= 0 || base_adapted.rows.size() % static_cast<std::size_t>(dim) != 0) return fast;
    const std::size_t d = static_cast<std::size_t>(dim), rows = base_adapted.size();
    LowRankAdapter ad = (!fast.empty() && fast.dim == dim && fast.valid())
                            ? fast
                            : LowRankAdapter::initial(dim, std::clamp(params.rank, 1, 1024), params.alpha, params.seed);
    if (ad.empty() || params.steps <= 0 || !(params.learning_rate > 0)) return ad;

    // The step's rows (each matrix row once) and its contrastive terms.
    learning::LossBatch batch;
    std::vector<float> X;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> local;  // matrix row -> local row, sorted
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
        const std::uint32_t a = local_row(p.a), b = local_row(p.b);
        batch.pairs.push_back({a, b, p.alike});
    }
    if (batch.pairs.empty()) return ad;
    batch.rows = local.size();

    learning::LossConfig cfg;
    cfg.losses = LossSwitches{true, false, false};
    cfg.margin = params.margin;
    std::vector<float> theta = ad.a;
    theta.insert(theta.end(), ad.b.begin(), ad.b.end());
    const std::size_t half = ad.a.size();
    std::vector<float> grad(theta.size());
    learning::Adam adam(theta.size());
    learning::LossWorkspace<float> ws;
    const float scale = ad.alpha / static_cast<float>(ad.rank);
    for (int step = 0; step < params.steps; ++step) {
        const learning::AdapterParams<float> view{dim, ad.rank, scale, theta.data(), theta.data() + half};
        (void)learning::batch_loss(view, X.data(), batch, cfg, grad.data(), grad.data() + half, ws);
        learning::clip_global_norm(grad.data(), grad.size(), 1.0);
        adam.step(theta.data(), grad.data(), params.learning_rate);
    }
    std::copy(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(half), ad.a.begin());
    std::copy(theta.begin() + static_cast<std::ptrdiff_t>(half), theta.end(), ad.b.begin());
    if (!ad.valid()) return fast;  // cannot happen with finite inputs and clipping; never hand out NaN
    return ad;
}

}  // namespace rv
