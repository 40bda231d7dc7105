// A small seeded random source for the learning code: the same seed gives the same numbers on every
// platform and standard library (std::*_distribution do not promise that), so "same seed, same
// adapter" holds everywhere. Not for cryptography. One instance per thread.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace rv::learning {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1), 53 bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [0, n) for n > 0 (multiply-shift; the bias is below 2^-32 for n < 2^32).
    std::size_t below(std::size_t n) {
        return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }
    // Standard normal (Box-Muller, one value per call).
    double normal() {
        const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    std::uint64_t state_;
};

// Fisher-Yates with a SplitMix64: a permutation that depends only on the seed.
template <class Vec>
void shuffle(Vec& v, SplitMix64& rng) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = rng.below(i);
        using std::swap;
        swap(v[i - 1], v[j]);
    }
}

}  // namespace rv::learning
