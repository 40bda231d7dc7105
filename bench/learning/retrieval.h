// Exact (brute-force) cosine search and mAP@10 for bench_learning. Rows are unit vectors, the
// score is the dot product, ties rank the lower row first.
#pragma once

#include <cstdint>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"

namespace rvlearn {

// Rows `rows` of m, in that order.
rv::FeatureMatrix select(const rv::FeatureMatrix& m, const std::vector<int>& rows);

// The k best rows of `lib` for the query q (dim floats), best first, skipping row `exclude` (-1: none).
std::vector<int> top_k(const rv::FeatureMatrix& lib, const float* q, int k, int exclude = -1);

// Top k for every row of `queries` at once (one matrix product); query i skips library row
// exclude[i] when `exclude` is given (a query that is itself in the library).
std::vector<std::vector<int>> top_k_all(const rv::FeatureMatrix& lib, const rv::FeatureMatrix& queries, int k,
                                        const std::vector<int>* exclude = nullptr);

// AP@10 of one ranked list (lib labels), against `relevant_total` items of the query's class in the
// library: (1 / min(10, R)) * sum_{k<=10} P@k * rel_k (as in bench/retrieval/metrics.h).
double ap10(const std::vector<int>& ranked, const std::vector<int>& lib_labels, int query_label, int relevant_total);

// Mean AP@10 of the queries (rows of `queries`, labels q_labels) against the library; with
// `exclude`, query i is library row exclude[i], left out of its results and of its class count.
double map10(const rv::FeatureMatrix& lib, const std::vector<int>& lib_labels, const rv::FeatureMatrix& queries,
             const std::vector<int>& q_labels, const std::vector<int>* exclude = nullptr);

// Deterministic seeded random numbers (raw mt19937_64 draws, identical on every standard library).
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    std::size_t below(std::size_t n);  // [0, n)
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

private:
    std::uint64_t s_[4];
};

}  // namespace rvlearn
