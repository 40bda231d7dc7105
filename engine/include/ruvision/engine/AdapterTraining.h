// Training a LowRankAdapter (Adapter.h) from a person's verdicts on pairs of features.
//
// Losses (each can be switched off, for the bench): pair contrastive (an alike pair's adapted
// cosine pulled towards 1, a different pair's pushed below a margin), triplet with hard negatives
// (for an anchor and its alike partner, the anchor's nearest rows in the adapted space among those
// known different from it), and InfoNCE (each alike pair against the other rows of its batch).
// Gradients are analytic, through the normalisation (checked against finite differences in
// test_adapter_gradients), optimised with Adam and clipped by global norm.
//
// Against forgetting (when training continues on new pairs from an earlier adapter): a replay
// reservoir of earlier pairs (their vectors copied, so they outlive the matrix they came from),
// mixed into each batch, and online EWC: at consolidate(), a diagonal Fisher estimate from squared
// gradients is accumulated (decayed) and the parameters remembered as theta*; later training adds
// the penalty lambda/2 * sum F (theta - theta*)^2.
//
// Jobs never throw; cancel stops between steps (the adapter so far is kept, the report says so).
// An AdapterTrainer is used by one thread at a time.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/Result.h"

namespace rv {

// Unit feature vectors, row-major n x dim (stored features, not adapted ones).
struct FeatureMatrix {
    int dim = 0;
    std::vector<float> rows;
    std::size_t size() const { return dim > 0 ? rows.size() / static_cast<std::size_t>(dim) : 0; }
    const float* row(std::size_t i) const { return rows.data() + i * static_cast<std::size_t>(dim); }
};

// A verdict on rows a and b of a FeatureMatrix.
struct TrainingPair {
    std::uint32_t a = 0, b = 0;
    bool alike = true;
};

struct LossSwitches {
    bool contrastive = true;
    bool triplet = true;
    bool infonce = true;
};

struct TrainParams {
    int rank = 16;
    float alpha = 16;        // the update is scaled by alpha / rank
    int epochs = 40;         // passes over the pairs (plus replay)
    int batch = 64;          // pairs per step
    float learning_rate = 5e-3f;
    float clip = 1.0f;       // global gradient-norm clip; <= 0: none
    float weight_decay = 0;  // L2 on A and B
    float margin = 0.5f;     // contrastive: a different pair's cosine is pushed below this
    float triplet_margin = 0.1f;
    float temperature = 0.1f;  // InfoNCE
    int hard_negatives = 4;    // triplet negatives mined per anchor
    LossSwitches losses;
    bool replay = true;
    std::size_t replay_capacity = 4096;  // pairs kept in the reservoir
    float replay_fraction = 0.5f;        // share of each batch drawn from the reservoir (when it has any)
    bool ewc = true;
    float ewc_lambda = 100.0f;
    float ewc_decay = 0.9f;  // online EWC: F <- decay F + new F at each consolidate()
    std::uint64_t seed = 1;
};

struct TrainProgress {
    int step = 0, steps = 0;
    float loss = 0;  // mean over the last step's batch
};

struct TrainReport {
    int steps = 0;
    float first_loss = 0, last_loss = 0;
    double seconds = 0;
    bool cancelled = false;
};

class AdapterTrainer {
public:
    // Starts from `start` (an empty adapter: LowRankAdapter::initial(dim, params.rank, ...)).
    AdapterTrainer(int dim, const TrainParams& params, const LowRankAdapter& start = {});

    // Trains on `pairs` (rows of `features`; rows not in any pair may serve as mined negatives),
    // plus replayed earlier pairs; then adds these pairs to the reservoir. An Error for pairs that
    // name rows outside the matrix or a matrix of another dimension.
    [[nodiscard]] Result<TrainReport> train(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs,
                                            const std::atomic<bool>& cancel,
                                            const std::function<void(const TrainProgress&)>& progress = {});
    // An EWC boundary: Fisher from squared gradients of the losses on `pairs`, theta* = now.
    void consolidate(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs);

    const LowRankAdapter& adapter() const;
    const TrainParams& params() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

// The fast adapter's update after one new mark: a few Adam steps (milliseconds) on the new pair
// and `recent` ones (rows of `features`, already adapted by the base adapter; the newest mark is
// the last of `recent`), starting from `fast` (empty: a fresh rank-`rank` one). Returns the updated
// fast adapter. A is not trained but set to the directions the verdicts are about (the newest
// pair's difference, then the principal directions of the other pairs' differences), so rows with
// no component along them are left in place; B takes the Adam steps of the pair contrastive loss
// (engine/src/learning/FastAdapter.cpp says why). Invalid pairs are skipped; with none left,
// `fast` comes back unchanged (or the identity).
struct FastUpdateParams {
    int rank = 2;  // 1 to 8
    float alpha = 2;
    int steps = 20;
    float learning_rate = 2e-2f;
    float margin = 0.5f;
    std::uint64_t seed = 1;
};
LowRankAdapter update_fast_adapter(const LowRankAdapter& fast, const FeatureMatrix& base_adapted,
                                   const std::vector<TrainingPair>& recent, const FastUpdateParams& params);

// How well adapted features order held-out verdicts: the fraction of (alike pair, different pair)
// couples in which the alike pair has the higher adapted cosine (ties count half), i.e. the AUC of
// the cosine as a same/different score. 0.5 when either kind is missing. The guard compares it.
double pair_auc(const AdapterStack& adapters, const FeatureMatrix& features, const std::vector<TrainingPair>& pairs);

}  // namespace rv
