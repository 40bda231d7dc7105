// The near-duplicate threshold (ThresholdCalibration.h): the size default and its calibration.
#include "ruvision/engine/ThresholdCalibration.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rv {

// On the seeded near-duplicate set (bench_duplicates, 42 photos x 10 edits, 462 images) 0.56 is
// the lowest with a pairwise precision of 1.000 (recall 0.64) when learned on all 462; learned on
// 40 of them, as in a small library, the precision first reaches 1.000 at 0.70 (recall 0.42): a
// whitening learned on fewer photos lifts unrelated pairs. Between the two, linear in log n.
float size_duplicate_threshold(std::size_t n) {
    constexpr double kSmall = 40, kLarge = 462, kAtSmall = 0.70, kAtLarge = 0.56;
    const double t = std::clamp((std::log(static_cast<double>(std::max<std::size_t>(n, 1))) - std::log(kSmall)) /
                                    (std::log(kLarge) - std::log(kSmall)),
                                0.0, 1.0);
    return static_cast<float>(kAtSmall + t * (kAtLarge - kAtSmall));
}

namespace {

struct Range {
    double lo, hi;  // thresholds t with lo < t <= hi classify alike (lo may be -inf, hi +inf)
};

double distance(const Range& r, double d) {
    if (d <= r.lo) return r.lo - d;
    if (d > r.hi) return d - r.hi;
    return 0.0;
}

// A point of r: d itself when inside, else the middle, or the inner end of an unbounded range.
double point_of(const Range& r, double d) {
    if (distance(r, d) == 0.0) return d;
    if (std::isinf(r.lo)) return r.hi;
    if (std::isinf(r.hi)) return std::nextafter(r.lo, std::numeric_limits<double>::infinity());
    return (r.lo + r.hi) / 2;
}

}  // namespace

ThresholdCalibration calibrate_duplicate_threshold(const std::vector<ThresholdVerdict>& verdicts,
                                                   float default_threshold, const ThresholdCalibrationParams& params) {
    ThresholdCalibration out;
    out.threshold = out.fitted = default_threshold;
    std::vector<ThresholdVerdict> v;
    for (const auto& x : verdicts)
        if (std::isfinite(x.score)) v.push_back(x);
    for (const auto& x : v) (x.same ? out.same : out.different) += 1;
    if (out.same == 0 || out.different == 0) return out;
    std::sort(v.begin(), v.end(), [](const ThresholdVerdict& a, const ThresholdVerdict& b) { return a.score < b.score; });

    // Sweep the thresholds from below every score upwards: at the start all are "same".
    const double ns = static_cast<double>(out.same), nd = static_cast<double>(out.different);
    std::size_t same_above = out.same, diff_below = 0;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    std::vector<std::pair<Range, double>> ranges;  // each range and its balanced accuracy
    double lo = -kInf;
    for (std::size_t i = 0; i <= v.size();) {
        const double hi = i < v.size() ? static_cast<double>(v[i].score) : kInf;
        ranges.push_back({{lo, hi}, (same_above / ns + diff_below / nd) / 2});
        if (i == v.size()) break;
        // Raising the threshold past this score turns every verdict of the score to "not same".
        for (; i < v.size() && static_cast<double>(v[i].score) == hi; ++i) (v[i].same ? same_above -= 1 : diff_below += 1);
        lo = hi;
    }
    double best = -1;
    for (const auto& r : ranges) best = std::max(best, r.second);
    const double d = default_threshold;
    const Range* chosen = nullptr;
    for (const auto& r : ranges) {
        if (r.second < best - 1e-12) continue;
        if (!chosen || distance(r.first, d) < distance(*chosen, d)) chosen = &r.first;
    }
    out.fitted = static_cast<float>(point_of(*chosen, d));
    out.calibrated = true;
    const double n = 2.0 * static_cast<double>(std::min(out.same, out.different));
    const double w = n / (n + std::max(0.0, params.prior));
    const double t = d + w * (static_cast<double>(out.fitted) - d);
    out.threshold = static_cast<float>(std::clamp(t, static_cast<double>(params.lowest), static_cast<double>(params.highest)));
    return out;
}

}  // namespace rv
