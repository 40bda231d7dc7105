// bench_adapter_swap's data and quality measures: synthetic clustered features, an adapter trained
// on cluster marks (realistic strength) and a random strong one, recall@10 of an index against an
// exact scan in the adapted space.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/VectorIndex.h"

namespace swapbench {

// Clustered unit vectors sharing a mean direction (as CNN features do); vector i depends on seed
// and i only. 1000 clusters.
class Synthetic {
public:
    Synthetic(int dim, std::uint64_t seed);
    // Writes vector i (dim floats) to out; returns its cluster.
    int vector(std::uint64_t i, float* out) const;

private:
    int dim_;
    std::uint64_t seed_;
    std::vector<float> mean_, centres_;
};

// An adapter trained (rv::AdapterTrainer, the engine's defaults) on 1000 marks a person could
// make on the first `rows` vectors of gen: alike within a cluster, different across.
rv::LowRankAdapter trained_adapter(const Synthetic& gen, int dim, std::size_t rows, std::uint64_t seed);

// Rank 16, alpha 16, A as initial(), B ~ N(0, sigma^2): a random map that moves vectors far.
rv::LowRankAdapter random_adapter(int dim, float sigma, std::uint64_t seed);

// Vectors first..first+n-1 of gen through `adapter`, row-major n x dim.
std::vector<float> adapted_rows(const Synthetic& gen, int dim, std::size_t n, const rv::LowRankAdapter& adapter,
                                std::size_t first = 0);

// Mean cosine between the first n vectors of gen and their images (how far the adapter moves them).
double mean_cosine(const Synthetic& gen, int dim, std::size_t n, const rv::LowRankAdapter& adapter);

// Recall@10 of `index` for the queries (row-major, dim floats each) against `exact`.
double recall_at_10(const rv::VectorIndex& index, const rv::VectorIndex& exact, const std::vector<float>& queries,
                    int dim);

// An HNSW index as the engine builds an adapted one (M 16, ef_construction 200, ef_search 128,
// 2 threads) of `rows` (ids 0..n-1); seconds taken to *seconds.
std::unique_ptr<rv::HnswIndex> full_build(const std::vector<float>& rows, int dim, const std::string& model_id,
                                          double* seconds);

// The parameter sweep for choosing reuse_graph's settings: a plain index of n vectors of gen,
// then for each (rounds, fanout) the reused graph's time, self-check and recall against the exact
// scan, for both adapters, and the full build's for comparison; queries: 200 more vectors of gen
// (held-out, not in the index) and 200 of far_gen (other cluster centres, far from the data).
// Prints a Markdown table.
void sweep(const Synthetic& gen, const Synthetic& far_gen, int dim, std::size_t n, const rv::LowRankAdapter& trained,
           const rv::LowRankAdapter& strong);

}  // namespace swapbench
