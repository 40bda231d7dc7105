// Synthetic features with hidden classes for the adapter tests: each class is a shared "common"
// direction plus a weak class signal along its own axis, buried under strong nuisance noise, so the
// plain cosine barely tells the classes of one family apart while a low-rank map that amplifies
// the signal axis does. Deterministic for a seed (own generator: same numbers everywhere).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"

namespace adapter_test {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)); }
    double normal() {
        const double u1 = 1.0 - uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    std::uint64_t s_;
};

// A family of two classes told apart only along one axis: class 2k+0 has +signal, 2k+1 -signal on
// axis `1 + k`. Axis 0 is shared by all; the remaining axes (from 1 + families) carry noise.
struct Synthetic {
    rv::FeatureMatrix features;
    std::vector<int> label;
};

// distractor: rows of families >= 1 also carry +-distractor (random sign) on family 0's axis, so a
// map that learns their classes learns to ignore the axis family 0 needs (two conflicting tasks).
inline Synthetic make_features(int dim, const std::vector<int>& labels, std::uint64_t seed, int families = 2,
                               double signal = 0.25, double noise = 0.3, double distractor = 0) {
    Rng rng(seed);
    Synthetic out;
    out.features.dim = dim;
    out.label = labels;
    std::vector<double> v(static_cast<std::size_t>(dim));
    for (int c : labels) {
        for (auto& x : v) x = 0;
        v[0] = 1.0;
        const int family = c / 2;
        v[static_cast<std::size_t>(1 + family)] = (c % 2 == 0 ? signal : -signal);
        if (family >= 1 && distractor != 0) v[1] = rng.uniform() < 0.5 ? distractor : -distractor;
        for (int j = 1 + families; j < dim; ++j) v[static_cast<std::size_t>(j)] = noise * rng.normal();
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = std::sqrt(norm);
        for (double x : v) out.features.rows.push_back(static_cast<float>(x / norm));
    }
    return out;
}

// `count` random pairs of distinct rows within [begin, end), alike when their labels agree.
inline std::vector<rv::TrainingPair> random_pairs(const Synthetic& s, std::uint32_t begin, std::uint32_t end,
                                                  std::size_t count, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<rv::TrainingPair> out;
    while (out.size() < count) {
        const auto a = static_cast<std::uint32_t>(begin + rng.below(end - begin));
        const auto b = static_cast<std::uint32_t>(begin + rng.below(end - begin));
        if (a == b) continue;
        out.push_back({a, b, s.label[a] == s.label[b]});
    }
    return out;
}

// Mean adapted cosine of the alike (or different) pairs.
inline double mean_cosine(const rv::AdapterStack& stack, const rv::FeatureMatrix& f,
                          const std::vector<rv::TrainingPair>& pairs, bool alike) {
    const int d = f.dim;
    std::vector<float> ya(static_cast<std::size_t>(d)), yb(static_cast<std::size_t>(d));
    double sum = 0;
    int n = 0;
    for (const auto& p : pairs) {
        if (p.alike != alike) continue;
        stack.apply(f.row(p.a), ya.data(), d);
        stack.apply(f.row(p.b), yb.data(), d);
        double c = 0;
        for (int j = 0; j < d; ++j) c += double(ya[j]) * yb[j];
        sum += c;
        ++n;
    }
    return n > 0 ? sum / n : 0;
}

}  // namespace adapter_test
