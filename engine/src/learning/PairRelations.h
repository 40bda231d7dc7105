// What a list of verdicts says about rows of a FeatureMatrix: which rows are known alike, and which
// rows are known different from a row and so may serve as its mined negatives.
//
// The rule for negatives of a row u: every row marked different with u, and every row marked
// different with something marked alike with u (if u ~ p and p !~ c, then u !~ c); never u itself
// nor a row marked alike with u. At most `max_candidates` per row (the lowest row numbers, so the
// choice depends only on the pairs). Built once per train(); read-only afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"

namespace rv::learning {

class PairRelations {
public:
    PairRelations(const std::vector<TrainingPair>& pairs, std::size_t max_candidates);

    bool known_alike(std::uint32_t u, std::uint32_t v) const;
    // Sorted, unique; empty for a row with no known different rows.
    const std::vector<std::uint32_t>& negative_candidates(std::uint32_t u) const;
    // Every row named by a pair, sorted, unique.
    const std::vector<std::uint32_t>& involved() const { return involved_; }

private:
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> alike_;  // sorted lists
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> candidates_;
    std::vector<std::uint32_t> involved_;
};

}  // namespace rv::learning
