// The pairs the engine is least sure of, for a person to judge side by side (the pair view), best
// first:
//   (a) near the duplicate threshold: candidate pairs (each sampled file's nearest neighbours in
//       the plain index) whose duplicate score, as Library::duplicates scores a pair, lies nearest
//       to the library's calibrated threshold (ThresholdCalibration.h, MarkedPairs.h); a verdict
//       on one moves the threshold most.
//   (b) where the active adapter and the plain features disagree: a neighbour of a sampled file
//       under one and not under the other, the largest difference between its plain and its
//       adapted cosine first. Only while an adapter version is active.
// The two kinds alternate, (a) first. A pair already marked (any verdict, either order) is never
// asked; nor one in `exclude` (what the person skipped).
//
// Work is bounded whatever the library's size: the features are streamed a few times (the
// whitening's sample, the sample, the candidates' scores), and at most `sample` files are searched
// in the index (twice with an adapter), `neighbours` each: never all pairs.
//
// Threads: uses the library's writer connection (as Marks.h): call on the thread that may call
// Library::index(), not while it runs. Reads only; works with LibraryAccess::Read.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ruvision/engine/Library.h"
#include "ruvision/engine/Result.h"

namespace rv {

enum class PairReason { NearThreshold, AdapterDisagrees };
// "near the duplicate threshold", "the adapter and the plain features disagree"
const char* to_string(PairReason r);

// The duplicate threshold and where it comes from.
struct DuplicateThresholdState {
    float threshold = 0;          // calibrated by the marks (plain features); the default when not
    float default_threshold = 0;  // the library's size default
    std::size_t verdicts = 0;     // usable verdicts it was calibrated from (same + not same)
    bool calibrated = false;      // verdicts on both sides
    // An adapter version is active: Library::duplicates then scores in the adapted space with the
    // size default (marks calibrate the plain space only), so `threshold` is not what it uses.
    bool adapter_active = false;
};

struct UncertainPair {
    std::string a, b;  // paths as the catalog has them; a has the smaller file id
    std::int64_t a_id = 0, b_id = 0;
    float score = 0;      // the pair's duplicate score (Library::duplicates' scoring, plain features)
    float threshold = 0;  // the calibrated duplicate threshold it was compared with
    PairReason why = PairReason::NearThreshold;
    float plain_cosine = 0;    // the cosine of the stored features
    float adapted_cosine = 0;  // under the active adapter; equal to plain_cosine without one
};

struct PairQueueParams {
    std::size_t count = 10;    // pairs wanted
    std::size_t sample = 500;  // files whose neighbours are looked at (all of them in a smaller library)
    int neighbours = 8;        // nearest neighbours per sampled file
    std::uint64_t seed = 1;    // which files are sampled
    std::vector<std::pair<std::int64_t, std::int64_t>> exclude;  // file id pairs not to ask (either order)
};

struct PairQueue {
    std::vector<UncertainPair> pairs;  // at most count, best first
    DuplicateThresholdState threshold;
    std::size_t sampled = 0;  // files searched
};

// The duplicate threshold calibrated by the current marks (what the pair view shows after each
// verdict). Learns the whitening (as Library::duplicates does) when the marks can calibrate.
[[nodiscard]] Result<DuplicateThresholdState> duplicate_threshold_state(Library& lib, const std::atomic<bool>& cancel);

// The next `count` unmarked pairs the engine is least sure of. Fewer (or none) when the library
// has fewer candidates; cancelled: an empty queue.
[[nodiscard]] Result<PairQueue> uncertain_pairs(Library& lib, const PairQueueParams& params,
                                                const std::atomic<bool>& cancel);

}  // namespace rv
