#include "retrieval/shown_scores.h"

#include <algorithm>
#include <cstdio>

namespace rvbench {

double median(std::vector<double> v) {
    if (v.empty()) return -1.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double auc(const std::vector<double>& right, const std::vector<double>& wrong) {
    if (right.empty() || wrong.empty()) return -1.0;
    // Rank-sum (Mann-Whitney U) with midranks for ties.
    std::vector<std::pair<double, int>> all;
    for (double r : right) all.emplace_back(r, 1);
    for (double w : wrong) all.emplace_back(w, 0);
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double rank_sum = 0.0;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j].first == all[i].first) ++j;
        const double mid = 0.5 * (static_cast<double>(i + 1) + static_cast<double>(j));  // ranks i+1..j
        for (std::size_t k = i; k < j; ++k)
            if (all[k].second) rank_sum += mid;
        i = j;
    }
    const double nr = static_cast<double>(right.size()), nw = static_cast<double>(wrong.size());
    return (rank_sum - nr * (nr + 1) / 2) / (nr * nw);
}

std::vector<int> histogram_counts(const std::vector<double>& values, double lo, double hi, int bins) {
    std::vector<int> c(static_cast<std::size_t>(std::max(1, bins)), 0);
    for (double v : values) {
        int b = static_cast<int>((v - lo) / (hi - lo) * bins);
        b = std::clamp(b, 0, static_cast<int>(c.size()) - 1);
        ++c[static_cast<std::size_t>(b)];
    }
    return c;
}

std::string text_histogram(const std::vector<double>& values, double lo, double hi, int bins, int width) {
    const auto c = histogram_counts(values, lo, hi, bins);
    const int top = std::max(1, *std::max_element(c.begin(), c.end()));
    std::string out;
    for (std::size_t b = 0; b < c.size(); ++b) {
        const double a = lo + (hi - lo) * static_cast<double>(b) / static_cast<double>(c.size());
        const double z = lo + (hi - lo) * static_cast<double>(b + 1) / static_cast<double>(c.size());
        char head[48];
        std::snprintf(head, sizeof head, "  %5.2f-%5.2f | ", a, z);
        out += head;
        out += std::string(static_cast<std::size_t>((c[b] * width + top - 1) / top), '#');
        out += ' ';
        out += std::to_string(c[b]);  // appended piecewise: GCC 12 warns (-Wrestrict) on " " + s + "\n"
        out += '\n';
    }
    return out;
}

}  // namespace rvbench
