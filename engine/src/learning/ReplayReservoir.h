// The replay reservoir: a uniform sample (reservoir sampling, Vitter's algorithm R) of every pair
// ever offered, each stored with copies of its two feature vectors so that it outlives the
// FeatureMatrix it came from. Owned by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "learning/Random.h"

namespace rv::learning {

class ReplayReservoir {
public:
    ReplayReservoir(int dim, std::size_t capacity) : dim_(static_cast<std::size_t>(dim > 0 ? dim : 0)), capacity_(capacity) {}

    // Offers one pair (dim floats each): kept while there is room, afterwards it replaces a random
    // slot with probability capacity / seen.
    void offer(const float* a, const float* b, bool alike, SplitMix64& rng) {
        if (capacity_ == 0 || dim_ == 0) return;
        ++seen_;
        std::size_t slot;
        if (alike_.size() < capacity_) {
            slot = alike_.size();
            alike_.push_back(alike);
            vectors_.resize(vectors_.size() + 2 * dim_);
        } else {
            const std::uint64_t j = rng.below(seen_);
            if (j >= capacity_) return;
            slot = static_cast<std::size_t>(j);
            alike_[slot] = alike;
        }
        std::memcpy(vectors_.data() + slot * 2 * dim_, a, dim_ * sizeof(float));
        std::memcpy(vectors_.data() + slot * 2 * dim_ + dim_, b, dim_ * sizeof(float));
    }

    std::size_t size() const { return alike_.size(); }
    std::uint64_t seen() const { return seen_; }
    const float* a(std::size_t i) const { return vectors_.data() + i * 2 * dim_; }
    const float* b(std::size_t i) const { return vectors_.data() + i * 2 * dim_ + dim_; }
    bool alike(std::size_t i) const { return alike_[i]; }

private:
    std::size_t dim_, capacity_;
    std::uint64_t seen_ = 0;
    std::vector<float> vectors_;  // per slot: a then b
    std::vector<bool> alike_;
};

}  // namespace rv::learning
