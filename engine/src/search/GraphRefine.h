// Refining a search on the kNN graph of its candidates (issue 13, the design's "CNN + graph"):
// alpha query expansion (Radenovic et al.), database-side augmentation (DBA) and diffusion
// (Iscen et al. 2017, conjugate gradient on the truncated graph).
//
// Pure functions: vectors in, a new order out. No Library, no index, no catalog; thread-safe.
// Vectors are unit length (the engine's features), row-major, `dim` floats each; the score of two
// vectors is their dot product. Orders are best first; ties rank the lower candidate index first,
// so every result is deterministic.
//
// What each function costs: the candidates' Gram matrix is O(R^2 d) for R candidates (R = 200,
// d = 576: 23 M multiply-adds); diffusion then runs `iterations` sparse products of R x graph_k;
// the database functions (knn_graph, augment_database) are O(n^2 d), for benches and libraries of
// a few thousand images (a large library gets its neighbours from its HNSW index instead).
#pragma once

#include <cstdint>
#include <vector>

namespace rv::graph {

// A view on unit vectors: row i is data[i * dim, (i + 1) * dim). Not owned.
struct Rows {
    const float* data = nullptr;
    int count = 0;
    int dim = 0;
    const float* row(int i) const { return data + static_cast<std::size_t>(i) * static_cast<std::size_t>(dim); }
};

// One candidate of a refined order: `index` into the candidate rows, `score` the method's own
// ranking score (see each function); the order is the contract, a caller shows its own score.
struct Ranked {
    int index = 0;
    float score = 0;
};

float dot(const float* a, const float* b, int dim);

// The candidates by their dot product with q, best first (the plain search's order).
std::vector<Ranked> rank_plain(const float* q, Rows cand);

// The candidates' pairwise dot products, count x count, row-major.
std::vector<float> gram(Rows cand);

// --- alpha query expansion -------------------------------------------------------------------
struct ExpansionParams {
    int neighbours = 2;  // the best `neighbours` candidates are added to the query (0: none)
    double alpha = 3;    // each with weight max(score, 0)^alpha; the query itself weighs 1
};

// q' = normalise(q + sum over the `neighbours` best candidates of max(s, 0)^alpha * v), dim floats.
// With 0 neighbours q' = q.
std::vector<float> expand_query(const float* q, Rows cand, const ExpansionParams& p);

// The candidates re-ranked by q' (score: the dot product with q'). A full query expansion searches
// the index again with q'; this re-ranks the shortlist it was given.
std::vector<Ranked> expand_and_rank(const float* q, Rows cand, const ExpansionParams& p);

// --- the database's kNN graph and DBA ---------------------------------------------------------
// Row i: the k rows nearest to row i (itself excluded), best first, and their scores.
struct KnnGraph {
    int k = 0;
    std::vector<int> neighbour;  // count x k
    std::vector<float> score;    // count x k
};

// Brute force, O(n^2 d); k is clamped to count - 1.
KnnGraph knn_graph(Rows db, int k);

// DBA: row i becomes normalise(v_i + sum over its `k` nearest (g's first k) of max(s, 0)^alpha * v_j),
// count x dim floats. k 0 returns the rows unchanged. Requires k <= g.k.
std::vector<float> augment_database(Rows db, const KnnGraph& g, int k, double alpha);

// --- diffusion on the candidates' own graph -------------------------------------------------
struct DiffusionParams {
    int graph_k = 10;      // each candidate linked to its graph_k nearest candidates, kept when mutual
    int seeds = 5;         // the query's best `seeds` candidates start the diffusion
    double gamma = 3;      // affinity of a link or a seed: max(score, 0)^gamma
    double alpha = 0.99;   // f = (I - alpha S)^-1 y, S = D^-1/2 W D^-1/2
    int iterations = 20;   // conjugate-gradient steps at most (stops earlier at 1e-6 relative residual)
};

// Iscen et al.'s diffusion, truncated to the candidates (the shortlist a search already has): the
// graph among them is built here from their vectors, so nothing needs storing. Score: the diffused
// mass, divided by the largest (1 for the best); candidates it does not reach (0) follow in plain
// order.
std::vector<Ranked> diffuse(const float* q, Rows cand, const DiffusionParams& p);

// The same from the query's scores (count) and the candidates' Gram matrix (count x count, row
// stride `stride` >= count): a bench sweeping parameters computes both once.
std::vector<Ranked> diffuse_scores(const float* query_scores, const float* gram, int count, int stride,
                                   const DiffusionParams& p);

// --- keeping copies in front ------------------------------------------------------------------
// The order a search shows: candidates whose plain score reaches `copy_score` (copies of the query:
// refinement must not move a copy down) first, in plain order, then the others in `refined` order.
// `plain` and `refined` hold the same candidates.
std::vector<Ranked> keep_copies_first(const std::vector<Ranked>& plain, const std::vector<Ranked>& refined,
                                      float copy_score);

// The same for scores that crowd near 1 (a CNN descriptor's plain cosine: look-alikes reach 0.98
// too): the plain leaders stay first when they stand out from the rest. Among the first
// `max_leaders` + 1 plain scores, the largest drop between neighbours s_i - s_(i+1), divided by the
// spread of all plain scores (s_0 - s_last), must reach `min_share`; the candidates before that
// drop stay first in plain order, the others follow in `refined` order. Otherwise: `refined`.
std::vector<Ranked> keep_leaders_first(const std::vector<Ranked>& plain, const std::vector<Ranked>& refined,
                                       double min_share, int max_leaders = 8);

// --- what Library::search calls --------------------------------------------------------------
// The refinement the figures support (bench_graph; README, "Refining on the library's graph"):
// alpha query expansion with the two best candidates at alpha 1, over the candidates a search
// already holds. It gained Fashion-MNIST mAP@10 (0.582 -> 0.596) and lost no query of the honest
// near-duplicate set (it cannot swap the first two: q'.v1 - q'.v2 = (s1 - s2)(2 - v1.v2) >= 0);
// diffusion gained more on Fashion (0.616) but put the edited photo's original down (R@1 0.815 ->
// 0.503), DBA too (0.726), and no copy rule chosen on CHOOSE kept both.
inline constexpr ExpansionParams kSearchExpansion{2, 1.0};

// The candidates of a search in the order to show them: `q` the query and `cand` the candidates'
// vectors, both in the space the search ranks in (the active adapter's when one is active), the
// candidates in any order. Returns every candidate once (indices into cand), best first; the score
// is the cosine with the expanded query (for ordering: a caller shows each result's own score).
std::vector<Ranked> refine_search(const float* q, Rows cand);

}  // namespace rv::graph
