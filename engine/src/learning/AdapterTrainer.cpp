// AdapterTrainer (AdapterTraining.h): validation, the epoch/step loop with replay, Adam, clipping,
// weight decay and the online-EWC penalty; consolidate().
#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "learning/Adam.h"
#include "learning/GroupDiscriminant.h"
#include "learning/PairLosses.h"
#include "learning/PairRelations.h"
#include "learning/Random.h"
#include "learning/ReplayReservoir.h"
#include "learning/StepBatch.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rv {

namespace {

constexpr std::size_t kMaxNegativeCandidates = 4096;

std::string num(double v) { return std::to_string(v); }

// An Error for parameters no training can use, or none.
std::optional<Error> check_params(const TrainParams& p) {
    auto bad = [](const std::string& what) { return Error{"invalid training parameters: " + what}; };
    if (p.rank < 1 || p.rank > 1024) return bad("rank " + std::to_string(p.rank) + " (1 to 1024)");
    if (!std::isfinite(p.alpha)) return bad("alpha is not finite");
    if (p.epochs < 0) return bad("epochs " + std::to_string(p.epochs));
    if (p.batch < 1) return bad("batch " + std::to_string(p.batch));
    if (!(p.learning_rate > 0) || !std::isfinite(p.learning_rate)) return bad("learning rate " + num(p.learning_rate));
    if (!std::isfinite(p.clip)) return bad("clip is not finite");
    if (!(p.weight_decay >= 0) || !std::isfinite(p.weight_decay)) return bad("weight decay " + num(p.weight_decay));
    if (!std::isfinite(p.margin) || !std::isfinite(p.triplet_margin)) return bad("margins must be finite");
    if (!(p.temperature > 0) || !std::isfinite(p.temperature)) return bad("temperature " + num(p.temperature));
    if (p.hard_negatives < 0) return bad("hard negatives " + std::to_string(p.hard_negatives));
    if (!(p.replay_fraction >= 0 && p.replay_fraction < 1)) return bad("replay fraction " + num(p.replay_fraction) + " (0 to below 1)");
    if (!(p.ewc_lambda >= 0) || !std::isfinite(p.ewc_lambda)) return bad("EWC lambda " + num(p.ewc_lambda));
    if (!(p.ewc_decay >= 0) || !std::isfinite(p.ewc_decay)) return bad("EWC decay " + num(p.ewc_decay));
    if (!(p.discriminant_strength >= 0) || !std::isfinite(p.discriminant_strength))
        return bad("discriminant strength " + num(p.discriminant_strength));
    if (!(p.discriminant_shrink >= 0 && p.discriminant_shrink <= 1))
        return bad("discriminant shrink " + num(p.discriminant_shrink) + " (0 to 1)");
    return std::nullopt;
}

// An Error for a matrix or pairs training cannot use, or none.
std::optional<Error> check_data(int dim, const FeatureMatrix& f, const std::vector<TrainingPair>& pairs) {
    if (f.dim != dim)
        return Error{"the features have dimension " + std::to_string(f.dim) + " but the adapter " + std::to_string(dim)};
    if (dim <= 0 || f.rows.size() % static_cast<std::size_t>(dim) != 0)
        return Error{"the feature matrix holds " + std::to_string(f.rows.size()) +
                     " floats, not a whole number of rows of dimension " + std::to_string(dim)};
    const std::size_t n = f.size();
    if (n > 0xFFFFFFFFull) return Error{"the feature matrix has more rows than a pair can name"};
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& p = pairs[i];
        if (p.a >= n || p.b >= n)
            return Error{"pair " + std::to_string(i) + " names row " + std::to_string(std::max(p.a, p.b)) +
                         " but the feature matrix has " + std::to_string(n) + " rows"};
        if (p.a == p.b) return Error{"pair " + std::to_string(i) + " pairs row " + std::to_string(p.a) + " with itself"};
    }
    // Only the rows the pairs name are read (mined negatives are among them): a damaged feature
    // elsewhere in the library does not stop learning.
    const std::size_t d = static_cast<std::size_t>(dim);
    for (const auto& p : pairs)
        for (std::uint32_t r : {p.a, p.b}) {
            const float* v = f.row(r);
            for (std::size_t j = 0; j < d; ++j)
                if (!std::isfinite(v[j]))
                    return Error{"row " + std::to_string(r) + " of the features holds a non-finite value"};
        }
    return std::nullopt;
}

learning::LossConfig loss_config(const TrainParams& p) {
    learning::LossConfig c;
    c.losses = p.losses;
    c.margin = p.margin;
    c.triplet_margin = p.triplet_margin;
    c.temperature = p.temperature;
    return c;
}

}  // namespace

struct AdapterTrainer::State {
    int dim = 0;
    TrainParams params;
    LowRankAdapter adapter;    // kept equal to theta after every train() and consolidate()
    std::vector<float> theta;  // A (r x d) then B (d x r)
    std::optional<Error> start_error;
    learning::SplitMix64 rng{1};
    learning::ReplayReservoir reservoir{0, 0};
    std::vector<float> fisher, star;  // online EWC; empty until the first consolidate()
    learning::LossWorkspace<float> ws;

    std::size_t half() const { return adapter.a.size(); }
    learning::AdapterParams<float> view() const {
        return {adapter.dim, adapter.rank, adapter.alpha / static_cast<float>(adapter.rank), theta.data(),
                theta.data() + half()};
    }
    // Still the identity map (B = 0): nothing learned yet, so the closed-form start applies.
    bool is_identity() const {
        return std::all_of(theta.begin() + static_cast<std::ptrdiff_t>(half()), theta.end(), [](float v) { return v == 0.0f; });
    }
    // Puts the group discriminant's directions into the first rows of A and columns of B (the
    // rest stay as they were: random A rows, zero B columns). Returns its summary.
    std::string start_from_discriminant(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs) {
        if (!(adapter.alpha > 0)) return "group discriminant: needs a positive alpha; none fitted";
        learning::DiscriminantParams dp;
        dp.rank = adapter.rank;
        dp.shrink = params.discriminant_shrink;
        dp.strength = params.discriminant_strength;
        const learning::DiscriminantFit fit = learning::fit_group_discriminant(features, pairs, dp);
        if (!fit.fitted) return fit.summary;
        const std::size_t d = static_cast<std::size_t>(dim), r = static_cast<std::size_t>(adapter.rank);
        const std::size_t k = static_cast<std::size_t>(fit.adapter.rank);
        // The fit has scale 1; this adapter's is alpha / r.
        const float f = std::sqrt(static_cast<float>(r) / adapter.alpha);
        float* a = theta.data();
        float* b = theta.data() + half();
        for (std::size_t i = 0; i < k * d; ++i) a[i] = fit.adapter.a[i] * f;  // rows 0..k-1 of A (k x d)
        for (std::size_t j = 0; j < d; ++j)
            for (std::size_t i = 0; i < k; ++i) b[j * r + i] = fit.adapter.b[j * k + i] * f;
        sync_adapter();
        return fit.summary;
    }
    void sync_adapter() {
        std::copy(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(half()), adapter.a.begin());
        std::copy(theta.begin() + static_cast<std::ptrdiff_t>(half()), theta.end(), adapter.b.begin());
    }
};

AdapterTrainer::AdapterTrainer(int dim, const TrainParams& params, const LowRankAdapter& start)
    : state_(std::make_shared<State>()) {
    State& s = *state_;
    s.dim = dim;
    s.params = params;
    s.rng = learning::SplitMix64(params.seed);
    s.reservoir = learning::ReplayReservoir(dim, params.replay ? params.replay_capacity : 0);
    if (auto e = check_params(params)) {
        s.start_error = e;
    } else if (dim <= 0) {
        s.start_error = Error{"the adapter's dimension " + std::to_string(dim) + " is not positive"};
    } else if (start.empty()) {
        s.adapter = LowRankAdapter::initial(dim, params.rank, params.alpha, params.seed);
    } else if (start.dim != dim || !start.valid()) {
        s.start_error = Error{start.dim != dim ? "the starting adapter has dimension " + std::to_string(start.dim) +
                                                     ", not " + std::to_string(dim)
                                               : std::string("the starting adapter is damaged (sizes or values)")};
    } else {
        s.adapter = start;  // continues at the start's own rank and alpha
    }
    s.theta = s.adapter.a;
    s.theta.insert(s.theta.end(), s.adapter.b.begin(), s.adapter.b.end());
}

const LowRankAdapter& AdapterTrainer::adapter() const { return state_->adapter; }
const TrainParams& AdapterTrainer::params() const { return state_->params; }

Result<TrainReport> AdapterTrainer::train(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs,
                                          const std::atomic<bool>& cancel,
                                          const std::function<void(const TrainProgress&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    State& s = *state_;
    if (s.start_error) return *s.start_error;
    if (auto e = check_data(s.dim, features, pairs)) return *e;
    const TrainParams& p = s.params;
    TrainReport report;
    // Weight decay pulls towards the closed-form start when there is one (what the gradient steps
    // refine), else towards zero.
    std::vector<float> decay_to;
    if (p.discriminant_strength > 0 && s.is_identity()) {
        report.start = s.start_from_discriminant(features, pairs);
        if (!s.is_identity()) decay_to = s.theta;
    }
    const bool replay = p.replay && s.reservoir.size() > 0 && p.replay_fraction > 0;
    const std::size_t per_step = static_cast<std::size_t>(p.batch);
    const std::size_t new_per_step =
        replay ? std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(per_step * (1.0 - p.replay_fraction))))
               : per_step;
    const std::size_t replay_per_step = replay ? per_step - std::min(per_step, new_per_step) : 0;
    const std::size_t steps_per_epoch = pairs.empty() ? 0 : (pairs.size() + new_per_step - 1) / new_per_step;
    const int steps = static_cast<int>(std::min<std::size_t>(steps_per_epoch * static_cast<std::size_t>(p.epochs), 1u << 30));

    const learning::PairRelations relations(pairs, kMaxNegativeCandidates);
    learning::MiningSnapshot mining;
    const bool triplets = p.losses.triplet && p.hard_negatives > 0;
    learning::StepBuilder builder(features, relations, mining, p.hard_negatives, triplets, p.losses.infonce, s.rng);
    const learning::LossConfig cfg = loss_config(p);
    learning::Adam adam(s.theta.size());
    const bool ewc = p.ewc && !s.fisher.empty() && p.ewc_lambda > 0;
    const std::size_t n = s.theta.size();
    std::vector<float> grad(n);
    std::vector<TrainingPair> order(pairs);
    std::vector<std::size_t> replayed;
    learning::LossBatch batch;
    std::vector<float> X;

    for (int step = 0; step < steps; ++step) {
        if (cancel.load(std::memory_order_relaxed)) {
            report.cancelled = true;
            break;
        }
        const std::size_t in_epoch = static_cast<std::size_t>(step) % steps_per_epoch;
        if (in_epoch == 0) {
            learning::shuffle(order, s.rng);
            if (triplets) {
                s.sync_adapter();
                mining.refresh(s.adapter, features, relations);
            }
        }
        const std::size_t first = in_epoch * new_per_step;
        const std::size_t count = std::min(new_per_step, order.size() - first);
        replayed.clear();
        for (std::size_t i = 0; i < replay_per_step; ++i) replayed.push_back(s.rng.below(s.reservoir.size()));
        builder.build(order.data() + first, count, s.reservoir, replayed, batch, X);

        const auto view = s.view();
        const float loss = learning::batch_loss(view, X.data(), batch, cfg, grad.data(), grad.data() + s.half(), s.ws);
        if (p.weight_decay > 0)
            for (std::size_t i = 0; i < n; ++i)
                grad[i] += p.weight_decay * (s.theta[i] - (decay_to.empty() ? 0.0f : decay_to[i]));
        if (ewc) (void)learning::ewc_penalty(s.theta.data(), s.star.data(), s.fisher.data(), n, p.ewc_lambda, grad.data());
        learning::clip_global_norm(grad.data(), n, p.clip);
        adam.step(s.theta.data(), grad.data(), p.learning_rate);

        if (report.steps == 0) report.first_loss = loss;
        report.last_loss = loss;
        ++report.steps;
        if (progress) progress(TrainProgress{step + 1, steps, loss});
    }
    s.sync_adapter();
    for (const auto& pr : pairs) s.reservoir.offer(features.row(pr.a), features.row(pr.b), pr.alike, s.rng);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

void AdapterTrainer::consolidate(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs) {
    State& s = *state_;
    if (s.start_error || s.theta.empty()) return;
    const std::size_t n = s.theta.size(), d = static_cast<std::size_t>(s.dim);
    std::vector<double> fresh(n, 0.0);
    std::vector<float> grad(n), X(2 * d);
    learning::LossConfig cfg = loss_config(s.params);
    cfg.losses = LossSwitches{true, false, false};  // the one loss defined on a pair alone
    learning::LossBatch batch;
    batch.rows = 2;
    batch.pairs.resize(1);
    std::size_t used = 0;
    const bool matrix_ok = features.dim == s.dim && features.rows.size() % d == 0;
    for (const auto& p : pairs) {
        if (!matrix_ok || p.a >= features.size() || p.b >= features.size() || p.a == p.b) continue;
        std::copy(features.row(p.a), features.row(p.a) + d, X.begin());
        std::copy(features.row(p.b), features.row(p.b) + d, X.begin() + static_cast<std::ptrdiff_t>(d));
        if (!std::all_of(X.begin(), X.end(), [](float v) { return std::isfinite(v); })) continue;
        batch.pairs[0] = {0, 1, p.alike};
        (void)learning::batch_loss(s.view(), X.data(), batch, cfg, grad.data(), grad.data() + s.half(), s.ws);
        for (std::size_t i = 0; i < n; ++i) fresh[i] += static_cast<double>(grad[i]) * grad[i];
        ++used;
    }
    if (s.fisher.empty()) s.fisher.assign(n, 0.0f);
    for (std::size_t i = 0; i < n; ++i)
        s.fisher[i] = s.params.ewc_decay * s.fisher[i] + (used > 0 ? static_cast<float>(fresh[i] / used) : 0.0f);
    s.star = s.theta;
}

}  // namespace rv
