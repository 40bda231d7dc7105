// The simulated person of bench_learning and the learning curves it produces.
//
// A split (seeded): a library of pool rows, within it the "marking part" the person searches
// with (in a seeded order), and disjoint held-out queries, themselves split into a CHOOSE half
// (parameters are chosen on it) and a REPORT half (figures are reported on it).
//
// A session: the next query of the marking part, the top 10 of the library under the current
// adapters (and pattern start), a mark on each result against the query by class (alike iff same
// label). So a session is 10 marks. Checkpoints are multiples of 10.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "learning/features.h"
#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/AdapterTraining.h"
#include "ruvision/engine/Feedback.h"

namespace rvlearn {

struct Split {
    std::vector<int> library;          // pool rows
    std::vector<int> marking;          // positions in `library`, in the order the person uses them
    std::vector<int> choose, report;   // pool rows of held-out queries
};
Split make_split(const Pool& pool, std::uint64_t seed, int library_size, int heldout, double marking_fraction);

// What a curve run learns with.
struct Parts {
    bool patterns = false;  // session memory: a query starts from its pattern's refinement
    bool fast = false;      // fast adapter, updated after every mark
    bool base = false;      // base adapter, retrained on every mark so far at each checkpoint
    bool rocchio = false;   // in-session: each held-out query's own top 10 marked, then re-searched
    // Scored on the person's own queries instead of the held-out ones: the first kSeenQueries of
    // the marking part (the queries of the first 1000 marks), each left out of its own results.
    // Shows how much of what is learned is memorised rather than carried to new queries.
    bool seen = false;
};
inline constexpr int kSeenQueries = 100;

// Defaults: the engine's defaults (AdapterTraining.h, Feedback.h) and the bench's first guesses.
struct Settings {
    rv::TrainParams train;
    rv::FastUpdateParams fast;
    int fast_window = 20;  // the newest marks a fast update steps on
    rv::RocchioWeights rocchio;
    rv::PatternParams patterns;
    float pattern_radius = 0.8f;  // cosine to a pattern's centroid for its refinement to apply
};

// The library, the person's order and the held-out queries one curve is scored on.
struct World {
    rv::FeatureMatrix lib;        // raw features of the library
    std::vector<int> lib_labels;
    std::vector<int> marking;     // positions in lib
    rv::FeatureMatrix queries;    // held-out (CHOOSE or REPORT), raw
    std::vector<int> q_labels;
};
World make_world(const Pool& pool, const Split& split, const std::vector<int>& heldout);

struct Curve {
    std::vector<double> map;            // mAP@10 at each checkpoint
    std::vector<double> train_seconds;  // wall time of each base retrain (parts.base), per checkpoint > 0
    std::string error;                  // non-empty: the run stopped (a training error), reason
};

// Runs the person up to the last checkpoint (marks, ascending, multiples of 10; 0 allowed),
// scoring the held-out queries at each.
Curve run_curve(const World& w, const Parts& parts, const Settings& s, const std::vector<int>& checkpoints,
                std::uint64_t seed);

// The person's marks as pairs of `lib` positions: `sessions` sessions searched with `adapters`
// over the rows of w.lib whose position is in `allowed` (all if empty), queries from w.marking
// whose label passes `query_ok`, by class.
std::vector<rv::TrainingPair> collect_marks(const World& w, const rv::AdapterStack& adapters, int sessions,
                                            const std::vector<bool>& query_class_ok, bool restrict_to_classes);

// mAP@10 of the held-out queries with `adapters` (and patterns / in-session Rocchio if given).
double score(const World& w, const rv::AdapterStack& adapters, const std::vector<rv::Pattern>* patterns,
             float radius, const rv::RocchioWeights* rocchio);

}  // namespace rvlearn
