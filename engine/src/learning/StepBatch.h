// Assembling one training step: the rows it touches (copied into a block X) and its loss terms.
//
// - every pair (new or replayed) is a contrastive term;
// - every new alike pair (u, v) gives triplets in both directions: anchor u, positive v, and the
//   `hard_negatives` candidates of u (PairRelations) nearest to u in the adapted space of the
//   mining snapshot (the adapter as it was at the start of the epoch), and the same from v; a row
//   with more than kScoredCandidates candidates has that many of them, drawn by the seeded
//   generator, scored (so one densely marked group cannot make every step slow);
//   replayed pairs give none (their rows are no longer rows of the matrix);
// - every alike pair of the step (new or replayed) gives two InfoNCE terms, a against its b and
//   b against its a; the negatives are the other alike pairs' opposite sides in the step, except
//   rows equal to the anchor or the positive and rows marked alike with the anchor.
// Owned by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "learning/PairLosses.h"
#include "learning/PairRelations.h"
#include "learning/ReplayReservoir.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rv::learning {

// Adapted vectors of the involved rows, for choosing hard negatives.
class MiningSnapshot {
public:
    // Applies `adapter` to every row of `relations.involved()`.
    void refresh(const LowRankAdapter& adapter, const FeatureMatrix& features, const PairRelations& relations);
    static constexpr std::size_t kScoredCandidates = 64;
    // The `k` candidates of u with the highest adapted cosine to u (ties: lower row first), among
    // at most kScoredCandidates of them (a random draw from rng when there are more).
    void hardest(std::uint32_t u, const std::vector<std::uint32_t>& candidates, int k,
                 std::vector<std::uint32_t>& out, SplitMix64& rng) const;

private:
    const float* adapted(std::uint32_t row) const;
    int dim_ = 0;
    std::vector<std::uint32_t> rows_;  // sorted (involved rows)
    std::vector<float> adapted_;       // rows_.size() x dim
    mutable std::vector<std::uint32_t> sample_;  // scratch (one thread)
};

class StepBuilder {
public:
    // rng draws the scored candidates; it must outlive the builder.
    StepBuilder(const FeatureMatrix& features, const PairRelations& relations, const MiningSnapshot& mining,
                int hard_negatives, bool want_triplets, bool want_nce, SplitMix64& rng);

    // Fills batch and X (batch.rows x dim) from new pairs [first, first + count) and the replayed
    // reservoir slots `replayed`.
    void build(const TrainingPair* first, std::size_t count, const ReplayReservoir& reservoir,
               const std::vector<std::size_t>& replayed, LossBatch& batch, std::vector<float>& X);

private:
    std::uint32_t local_row(std::uint32_t row, std::vector<float>& X);
    std::uint32_t copied_row(const float* v, std::vector<float>& X);

    const FeatureMatrix& features_;
    const PairRelations& relations_;
    const MiningSnapshot& mining_;
    SplitMix64& rng_;
    int hard_negatives_;
    bool want_triplets_, want_nce_;
    std::vector<std::int64_t> local_of_;     // matrix row -> local row of this step, -1 if none
    std::vector<std::uint32_t> touched_;     // matrix rows whose local_of_ is set
    std::vector<std::int64_t> matrix_row_;   // local row -> matrix row, -1 for replayed copies
    std::vector<std::uint32_t> negatives_;  // scratch
};

}  // namespace rv::learning
