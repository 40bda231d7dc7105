// Statistics of the scores a search shows: medians, the AUC of right against wrong scores and
// text histograms (bench_search_quality).
#pragma once

#include <string>
#include <vector>

namespace rvbench {

double median(std::vector<double> v);  // -1 when empty

// P(a right score > a wrong score) over all pairs, ties counting one half; -1 when a side is empty.
double auc(const std::vector<double>& right, const std::vector<double>& wrong);

// Bars of `values` in `bins` equal bins over [lo, hi] (values outside go to the end bins), each
// line "  0.90-0.95 | ####### 123"; the longest bar is `width` characters.
std::string text_histogram(const std::vector<double>& values, double lo, double hi, int bins, int width = 50);

// Counts per bin, as text_histogram bins them (for --json).
std::vector<int> histogram_counts(const std::vector<double>& values, double lo, double hi, int bins);

}  // namespace rvbench
