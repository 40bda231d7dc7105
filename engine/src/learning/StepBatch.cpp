// MiningSnapshot and StepBuilder (StepBatch.h).
#include "learning/StepBatch.h"

#include <algorithm>
#include <cstring>

#include "learning/LinAlg.h"

namespace rv::learning {

void MiningSnapshot::refresh(const LowRankAdapter& adapter, const FeatureMatrix& features,
                             const PairRelations& relations) {
    dim_ = features.dim;
    rows_ = relations.involved();
    const std::size_t d = static_cast<std::size_t>(dim_);
    std::vector<float> x(rows_.size() * d);
    for (std::size_t i = 0; i < rows_.size(); ++i) std::memcpy(x.data() + i * d, features.row(rows_[i]), d * sizeof(float));
    adapted_.resize(x.size());
    adapter.apply_rows(x.data(), adapted_.data(), rows_.size());
}

const float* MiningSnapshot::adapted(std::uint32_t row) const {
    const auto it = std::lower_bound(rows_.begin(), rows_.end(), row);
    return adapted_.data() + static_cast<std::size_t>(it - rows_.begin()) * static_cast<std::size_t>(dim_);
}

void MiningSnapshot::hardest(std::uint32_t u, const std::vector<std::uint32_t>& candidates, int k,
                             std::vector<std::uint32_t>& out, SplitMix64& rng) const {
    out.clear();
    if (k <= 0 || candidates.empty()) return;
    const std::vector<std::uint32_t>* pool = &candidates;
    if (candidates.size() > kScoredCandidates) {  // partial Fisher-Yates: a uniform draw without repeats
        sample_ = candidates;
        for (std::size_t i = 0; i < kScoredCandidates; ++i)
            std::swap(sample_[i], sample_[i + rng.below(sample_.size() - i)]);
        sample_.resize(kScoredCandidates);
        pool = &sample_;
    }
    const float* yu = adapted(u);
    std::vector<std::pair<float, std::uint32_t>> scored;
    scored.reserve(pool->size());
    for (std::uint32_t c : *pool) scored.emplace_back(-dot(yu, adapted(c), static_cast<std::size_t>(dim_)), c);
    const std::size_t take = std::min(static_cast<std::size_t>(k), scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(take), scored.end());
    for (std::size_t i = 0; i < take; ++i) out.push_back(scored[i].second);
}

StepBuilder::StepBuilder(const FeatureMatrix& features, const PairRelations& relations, const MiningSnapshot& mining,
                         int hard_negatives, bool want_triplets, bool want_nce, SplitMix64& rng)
    : features_(features), relations_(relations), mining_(mining), rng_(rng), hard_negatives_(hard_negatives),
      want_triplets_(want_triplets), want_nce_(want_nce), local_of_(features.size(), -1) {}

std::uint32_t StepBuilder::local_row(std::uint32_t row, std::vector<float>& X) {
    if (local_of_[row] >= 0) return static_cast<std::uint32_t>(local_of_[row]);
    const std::uint32_t local = static_cast<std::uint32_t>(matrix_row_.size());
    local_of_[row] = local;
    touched_.push_back(row);
    matrix_row_.push_back(row);
    const float* v = features_.row(row);
    X.insert(X.end(), v, v + features_.dim);
    return local;
}

std::uint32_t StepBuilder::copied_row(const float* v, std::vector<float>& X) {
    const std::uint32_t local = static_cast<std::uint32_t>(matrix_row_.size());
    matrix_row_.push_back(-1);
    X.insert(X.end(), v, v + features_.dim);
    return local;
}

void StepBuilder::build(const TrainingPair* first, std::size_t count, const ReplayReservoir& reservoir,
                        const std::vector<std::size_t>& replayed, LossBatch& batch, std::vector<float>& X) {
    for (std::uint32_t row : touched_) local_of_[row] = -1;
    touched_.clear();
    matrix_row_.clear();
    X.clear();
    batch.pairs.clear();
    batch.triplets.clear();
    batch.nce.clear();

    for (std::size_t i = 0; i < count; ++i) {
        const TrainingPair& p = first[i];
        const std::uint32_t a = local_row(p.a, X), b = local_row(p.b, X);
        batch.pairs.push_back({a, b, p.alike});
        if (!p.alike || !want_triplets_) continue;
        for (int dir = 0; dir < 2; ++dir) {
            const std::uint32_t anchor = dir == 0 ? p.a : p.b, positive = dir == 0 ? p.b : p.a;
            mining_.hardest(anchor, relations_.negative_candidates(anchor), hard_negatives_, negatives_, rng_);
            const std::uint32_t la = local_row(anchor, X), lp = local_row(positive, X);
            for (std::uint32_t n : negatives_) batch.triplets.push_back({la, lp, local_row(n, X)});
        }
    }
    for (std::size_t slot : replayed) {
        const std::uint32_t a = copied_row(reservoir.a(slot), X), b = copied_row(reservoir.b(slot), X);
        batch.pairs.push_back({a, b, reservoir.alike(slot)});
    }

    if (want_nce_) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> alike;
        for (const auto& p : batch.pairs)
            if (p.alike) alike.emplace_back(p.i, p.j);
        auto related = [&](std::uint32_t anchor, std::uint32_t other) {
            const std::int64_t ra = matrix_row_[anchor], ro = matrix_row_[other];
            return ra >= 0 && ro >= 0 &&
                   relations_.known_alike(static_cast<std::uint32_t>(ra), static_cast<std::uint32_t>(ro));
        };
        for (std::size_t i = 0; i < alike.size(); ++i)
            for (int dir = 0; dir < 2; ++dir) {
                LossBatch::Nce e;
                e.anchor = dir == 0 ? alike[i].first : alike[i].second;
                e.positive = dir == 0 ? alike[i].second : alike[i].first;
                for (std::size_t j = 0; j < alike.size(); ++j) {
                    if (j == i) continue;
                    const std::uint32_t n = dir == 0 ? alike[j].second : alike[j].first;
                    if (n == e.anchor || n == e.positive || related(e.anchor, n)) continue;
                    e.negatives.push_back(n);
                }
                std::sort(e.negatives.begin(), e.negatives.end());
                e.negatives.erase(std::unique(e.negatives.begin(), e.negatives.end()), e.negatives.end());
                if (!e.negatives.empty()) batch.nce.push_back(std::move(e));
            }
    }
    batch.rows = matrix_row_.size();
}

}  // namespace rv::learning
