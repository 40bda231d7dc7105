// The near-duplicate threshold: the default for a library's size, and its calibration from a
// person's verdicts on candidate pairs.
//
// Scores are Library::duplicates' pair scores (whitened cosine, a match through the turned
// feature 0.10 less, a plain cosine >= 0.99 counting as itself); a pair is grouped when its score
// reaches the threshold.
//
// The verdicts are the person's marks (MarkedPairs.h, schema version 6): "same" says the same
// picture; "different", and "alike" given where "same" was on offer (the duplicates and pair
// views), say not the same picture; "alike" from a search or an import says nothing about it and
// is not a verdict here.
//
// Calibration, as computed:
//  1. Verdicts with a non-finite score are ignored. Fewer than one verdict on either side (same
//     picture / not): not calibrated, the threshold is the default.
//  2. fitted: the threshold of highest balanced accuracy, (share of "same" verdicts at or above
//     it + share of "not same" below it) / 2, so that the more numerous side does not drown the
//     other. Thresholds between two consecutive verdict scores all classify alike; among the
//     best of these ranges, the default itself when it lies in one, else the middle of the range
//     nearest to the default (the widest margin on both sides), or the inner end of an
//     unbounded range.
//  3. Shrinkage: threshold = default + w * (fitted - default), w = n / (n + prior), where
//     n = 2 * min(same, not same) counts the evidence on the boundary (one-sided verdicts say
//     little about where it lies). A few verdicts move the threshold part of the way; many move
//     it to where they say.
//  4. Kept within [lowest, highest].
// Pure functions; callable from any thread.
#pragma once

#include <cstddef>
#include <vector>

namespace rv {

// The size-dependent default (whitened cosine) for a whitening learned on `learned_on` features,
// chosen with bench/bench_duplicates (see ThresholdCalibration.cpp).
float size_duplicate_threshold(std::size_t learned_on);

struct ThresholdVerdict {
    float score = 0;    // the pair's duplicate score
    bool same = false;  // the person says: the same picture (a "same" mark); false: not the same
};

struct ThresholdCalibrationParams {
    double prior = 10;      // weight of the default, in verdicts on the boundary
    float lowest = 0.30f;   // the calibrated threshold stays within [lowest, highest]
    float highest = 0.99f;
};

struct ThresholdCalibration {
    float threshold = 0;  // the one to use
    float fitted = 0;     // the verdicts' own best threshold (step 2); the default when not calibrated
    std::size_t same = 0, different = 0;  // usable verdicts on each side
    bool calibrated = false;              // false: verdicts on one side or none; threshold = default
};

ThresholdCalibration calibrate_duplicate_threshold(const std::vector<ThresholdVerdict>& verdicts,
                                                   float default_threshold,
                                                   const ThresholdCalibrationParams& params = {});

}  // namespace rv
