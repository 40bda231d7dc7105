// Feedback without training: in-session query refinement (Rocchio) and the memory of past search
// sessions (the design's trajectories and pattern bank).
//
// Rocchio: q' = normalize(q + a * mean(alike) - b * mean(different)); a term whose list is empty
// is left out. All vectors are unit floats of one dimension. When the sum has no length (the marks
// cancel the query, e.g. q = mean(different) with a = 0, b = 1) q is returned unchanged, so a
// search always has a query.
//
// Sessions and patterns: a session is one search (its query, what was shown, the marks, the
// refined query). Patterns cluster the sessions' queries with spherical k-means (k-means++ D^2
// seeding from a seeded RNG, empty clusters re-seeded with the point farthest from its centroid);
// each pattern keeps the mean refinement (refined - query) of its sessions. Re-clustering replaces
// every pattern. A new query whose cosine to the nearest pattern's centroid reaches `radius`
// starts from q + refinement (normalised).
//
// Pure functions of their arguments; callable from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rv {

struct RocchioWeights {
    float alike = 1.5f;      // a; chosen with bench_learning (CHOOSE half)
    float different = 1.2f;  // b
};

// q (dim floats) refined by the alike and different vectors (each dim floats).
std::vector<float> rocchio(const float* q, int dim, const std::vector<const float*>& alike,
                           const std::vector<const float*>& different, const RocchioWeights& w = {});

struct SessionRecord {
    std::vector<float> query;    // unit, as searched
    std::vector<float> refined;  // unit, after the marks; empty: no refinement
};

struct Pattern {
    std::vector<float> centroid;    // unit
    std::vector<float> refinement;  // mean of (refined - query) over its refined sessions
    std::size_t sessions = 0;       // sessions in the cluster
};

struct PatternParams {
    int clusters = 0;         // k; <= 0: about sqrt(sessions / 2), at least 1
    int iterations = 25;
    std::uint64_t seed = 1;
};

// Clusters the sessions' queries (all of one dimension); sessions without a refinement count for
// the centroids but not the refinements. No sessions: no patterns. A session whose query is empty,
// has no length or another dimension than the first session's is left out; at most one pattern
// per session. Deterministic for a seed (SessionClusters.cpp has the algorithm step by step).
std::vector<Pattern> cluster_sessions(const std::vector<SessionRecord>& sessions, const PatternParams& params);

// The query a new search starts from (see above); q itself when no pattern is close enough.
std::vector<float> start_from_patterns(const std::vector<Pattern>& patterns, const float* q, int dim, float radius);

}  // namespace rv
