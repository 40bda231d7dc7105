// Rocchio query refinement (Feedback.h): q' = normalize(q + a * mean(alike) - b * mean(different)).
#include <cmath>
#include <cstddef>
#include <vector>

#include "ruvision/engine/Feedback.h"

namespace rv {

namespace {

// Adds weight * mean(vectors) into acc (dim doubles). No-op for an empty list.
void add_mean(std::vector<double>& acc, const std::vector<const float*>& vectors, double weight) {
    if (vectors.empty()) return;
    const double scale = weight / static_cast<double>(vectors.size());
    for (const float* v : vectors)
        for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += scale * static_cast<double>(v[i]);
}

}  // namespace

// Contract (beyond Feedback.h): accumulated in double; when the refined vector has no length (or is
// not finite, e.g. q = mean(different) with a = 0 and b = 1), the result is q unchanged, so that a
// search always has a usable query. dim <= 0 or q == nullptr gives an empty vector.
std::vector<float> rocchio(const float* q, int dim, const std::vector<const float*>& alike,
                           const std::vector<const float*>& different, const RocchioWeights& w) {
    if (q == nullptr || dim <= 0) return {};
    const auto n = static_cast<std::size_t>(dim);
    std::vector<double> acc(q, q + n);
    add_mean(acc, alike, w.alike);
    add_mean(acc, different, -static_cast<double>(w.different));
    double norm2 = 0.0;
    for (double x : acc) norm2 += x * x;
    const double norm = std::sqrt(norm2);
    // Below this the direction is rounding noise of cancelled unit vectors.
    constexpr double kTiny = 1e-6;
    if (!std::isfinite(norm) || norm < kTiny) return std::vector<float>(q, q + n);
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(acc[i] / norm);
    return out;
}

}  // namespace rv
