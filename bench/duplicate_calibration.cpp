// bench_duplicates --calibration (duplicate_calibration.h).
#include "duplicate_calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <tuple>

#include "ruvision/engine/ThresholdCalibration.h"

namespace rvbench {

namespace {

struct Part {
    std::vector<float> s;  // m x m
    std::vector<int> label;
};

// The images whose original is kept, their scores (rows and columns) and labels.
Part subset(const std::vector<float>& s, const std::vector<int>& label, const std::vector<bool>& keep) {
    const int n = static_cast<int>(label.size());
    std::vector<int> rows;
    for (int i = 0; i < n; ++i)
        if (keep[label[i]]) rows.push_back(i);
    Part p;
    p.s.resize(rows.size() * rows.size());
    for (std::size_t a = 0; a < rows.size(); ++a) {
        p.label.push_back(label[rows[a]]);
        for (std::size_t b = 0; b < rows.size(); ++b) p.s[a * rows.size() + b] = s[std::size_t(rows[a]) * n + rows[b]];
    }
    return p;
}

struct Pair {
    float score;
    bool same;
};

// Each image's k nearest in the part, once per unordered pair, by score.
std::vector<Pair> candidates(const Part& p, int k) {
    const int m = static_cast<int>(p.label.size());
    std::vector<std::tuple<float, int, int>> found;
    for (int i = 0; i < m; ++i) {
        std::vector<int> nb;
        for (int j = 0; j < m; ++j)
            if (j != i) nb.push_back(j);
        const int kk = std::min<int>(k, static_cast<int>(nb.size()));
        std::partial_sort(nb.begin(), nb.begin() + kk, nb.end(),
                          [&](int x, int y) { return p.s[std::size_t(i) * m + x] > p.s[std::size_t(i) * m + y]; });
        for (int q = 0; q < kk; ++q) {
            const int a = std::min(i, nb[q]), b = std::max(i, nb[q]);
            found.emplace_back(p.s[std::size_t(a) * m + b], a, b);
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::vector<Pair> out;
    for (const auto& f : found) out.push_back({std::get<0>(f), p.label[std::get<1>(f)] == p.label[std::get<2>(f)]});
    return out;  // ascending score
}

enum class Policy { Nearest, Spread, Bisect };
const char* policy_name(Policy p) { return p == Policy::Nearest ? "nearest" : p == Policy::Spread ? "spread" : "bisect"; }

std::vector<rv::ThresholdVerdict> ask(const std::vector<Pair>& cand, Policy policy, int n, float size_default) {
    std::vector<rv::ThresholdVerdict> out;
    const int total = static_cast<int>(cand.size());
    n = std::min(n, total);
    if (n <= 0) return out;
    if (policy == Policy::Nearest) {
        std::vector<int> idx(total);
        for (int i = 0; i < total; ++i) idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
            return std::abs(cand[a].score - size_default) < std::abs(cand[b].score - size_default);
        });
        for (int i = 0; i < n; ++i) out.push_back({cand[idx[i]].score, cand[idx[i]].same});
    } else if (policy == Policy::Spread) {
        for (int i = 0; i < n; ++i) {
            const auto& c = cand[n > 1 ? std::size_t(i) * (total - 1) / (n - 1) : total / 2];
            out.push_back({c.score, c.same});
        }
    } else {
        std::vector<bool> asked(total, false);
        double lo = cand.front().score, hi = cand.back().score;
        for (int q = 0; q < n; ++q) {
            const double target = (lo + hi) / 2;
            int best = -1;
            for (int i = 0; i < total; ++i)
                if (!asked[i] && (best < 0 || std::abs(cand[i].score - target) < std::abs(cand[best].score - target)))
                    best = i;
            asked[best] = true;
            out.push_back({cand[best].score, cand[best].same});
            if (cand[best].same) hi = std::min<double>(hi, cand[best].score);
            else lo = std::max<double>(lo, cand[best].score);
        }
    }
    return out;
}

}  // namespace

void print_calibration_header() {
    std::printf("### Threshold calibrated from a person's verdicts (5 splits: verdicts on half A, scored on half B; "
                "means)\n\n| variant | pairs asked | verdicts | of them same | threshold | P | R | F1 |\n"
                "|---|---|--:|--:|--:|--:|--:|--:|\n");
}

void calibration_check(const std::string& name, const std::vector<float>& s, const std::vector<int>& label,
                       int originals, int k, float size_default, const GroupScorer& score) {
    constexpr int kSplits = 5;
    constexpr int kCounts[] = {10, 20, 50};
    constexpr Policy kPolicies[] = {Policy::Nearest, Policy::Spread, Policy::Bisect};
    struct Sum {
        double p = 0, r = 0, t = 0, same = 0;
    };
    Sum before, after[3][3];
    for (int split = 1; split <= kSplits; ++split) {
        std::vector<int> order(originals);
        for (int o = 0; o < originals; ++o) order[o] = o;
        std::mt19937_64 rng(split);
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<bool> in_a(originals, false), in_b(originals, false);
        for (int o = 0; o < originals; ++o) (o < originals / 2 ? in_a : in_b)[order[o]] = true;
        const Part a = subset(s, label, in_a), b = subset(s, label, in_b);
        const std::vector<Pair> cand = candidates(a, k);
        const auto [p0, r0] = score(b.s, b.label, k, size_default);
        before.p += p0, before.r += r0, before.t += size_default;
        for (int pi = 0; pi < 3; ++pi)
            for (int c = 0; c < 3; ++c) {
                const auto verdicts = ask(cand, kPolicies[pi], kCounts[c], size_default);
                for (const auto& v : verdicts) after[pi][c].same += v.same;
                const float t = rv::calibrate_duplicate_threshold(verdicts, size_default).threshold;
                const auto [p, r] = score(b.s, b.label, k, t);
                after[pi][c].p += p, after[pi][c].r += r, after[pi][c].t += t;
            }
    }
    auto row = [&](const char* policy, const std::string& count, const Sum& x, const std::string& same) {
        const double p = x.p / kSplits, r = x.r / kSplits;
        std::printf("| %s | %s | %s | %s | %.3f | %.3f | %.3f | %.3f |\n", name.c_str(), policy, count.c_str(),
                    same.c_str(), x.t / kSplits, p, r, p + r > 0 ? 2 * p * r / (p + r) : 0.0);
    };
    row("-", "0", before, "");
    for (int pi = 0; pi < 3; ++pi)
        for (int c = 0; c < 3; ++c) {
            char same[32];
            std::snprintf(same, sizeof same, "%.1f", after[pi][c].same / kSplits);
            row(policy_name(kPolicies[pi]), std::to_string(kCounts[c]), after[pi][c], same);
        }
}

}  // namespace rvbench
