// bench_region --scores (i13-scores): region search's shown scores through a real rv::Library.
#pragma once

#include "retrieval/honest_set.h"

namespace rvbench {

// Indexes the honest set's original files in a temporary library (regions stored, the search
// calibration learned as `ruvision-cli index` does), searches 3 crops of 10-30 % of each original
// of the half with Library::search_region and prints, per half: R@1, the AUC of right vs best
// wrong shown scores (and of the plain cosines), the median shown score of a right top result and
// of the best wrong one, and how often each says "same picture". `half`: "choose", "report" or
// "both". With `dump` not empty, each query's results go there as bench_search_quality --dump
// writes them (one JSON object per line, for bench/score_models). Returns 0, or 1 on an error.
int region_scores(const HonestSet& set, const std::string& half, int threads, const std::string& dump);

}  // namespace rvbench
