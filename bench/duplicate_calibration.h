// bench_duplicates --calibration: the duplicate threshold calibrated from a simulated person's
// verdicts (ThresholdCalibration.h), measured on images the verdicts never saw.
//
// For each of 5 seeded splits of the originals into halves A and B (std::mt19937_64(split),
// std::shuffle), a person who knows which images show one picture gives verdicts on N = 10, 20,
// 50 candidate pairs of A (each image's K nearest in A by the pair score), chosen by one of:
//   nearest  the N pairs whose scores lie nearest the size default;
//   spread   N pairs at evenly spaced ranks of all candidates by score;
//   bisect   asked one at a time, each the unasked pair nearest the middle of what is still
//            unknown: between the highest "not the same" and the lowest "same" score so far
//            (at first the lowest and highest candidate scores) -- what a window asking
//            "the same picture?" would do.
// calibrate_duplicate_threshold turns them into a threshold; that threshold and the size default
// are then scored on B alone (its images' K nearest in B): group pairwise precision / recall,
// means over the splits. Nothing is chosen on B.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace rvbench {

// (precision, recall) of the groups of n x n scores `s` with labels, K nearest, threshold t.
using GroupScorer =
    std::function<std::pair<double, double>(const std::vector<float>& s, const std::vector<int>& label, int k, float t)>;

void print_calibration_header();
// s: n x n pair scores of the images, label[i]: the original of image i (0 .. originals-1).
void calibration_check(const std::string& name, const std::vector<float>& s, const std::vector<int>& label,
                       int originals, int k, float size_default, const GroupScorer& score);

}  // namespace rvbench
