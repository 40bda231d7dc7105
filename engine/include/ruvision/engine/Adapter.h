// A low-rank adapter on stored features (the design's "Learning from pairs"):
//
//   y = normalize(x + (alpha / r) B A x)      A: r x d, B: d x r, row-major float32
//
// It re-shapes the feature space the person's marks describe without re-running the CNN: stored
// features go in, adapted unit vectors come out (search and duplicates rank those). With B = 0 it
// is the identity on unit vectors, which is how training starts. The library stacks two: a base
// adapter (rank 8-32, a stored version, trained in the background on all marks) and a fast one
// (rank 1-2, updated within milliseconds of each mark) applied after it.
//
// Threads: const methods may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

struct LowRankAdapter {
    int dim = 0;   // d: floats per feature
    int rank = 0;  // r; 0 (with dim 0) is "no adapter": apply() copies x
    float alpha = 1;
    std::vector<float> a;  // r x d
    std::vector<float> b;  // d x r

    // A ready to train: A with N(0, 1/d) entries drawn from `seed`, B zero (the identity map).
    static LowRankAdapter initial(int dim, int rank, float alpha, std::uint64_t seed);

    bool empty() const { return rank == 0; }
    // Sizes agree with dim and rank, alpha and every parameter finite.
    bool valid() const;
    std::size_t parameter_count() const { return a.size() + b.size(); }

    // y = normalize(x + (alpha/r) B A x) for one vector of dim floats; a result of norm 0 stays 0.
    // y must not overlap x. An empty adapter copies x (dim floats; none when dim is 0). Expects
    // valid() (initial(), parse_adapter() and the trainer only make valid ones); an adapter whose
    // sizes disagree with dim and rank copies x rather than read out of range.
    void apply(const float* x, float* y) const;
    // The same for n rows (row-major n x dim).
    void apply_rows(const float* x, float* y, std::size_t n) const;
};

// What search applies: the base adapter, then the fast one; either may be empty.
struct AdapterStack {
    LowRankAdapter base;
    LowRankAdapter fast;

    bool empty() const { return base.empty() && fast.empty(); }
    // x, y: dim floats per row. An adapter of another dim than `dim` is not applied (callers
    // check dims when loading adapters; this only keeps a mismatch from reading out of range).
    void apply(const float* x, float* y, int dim) const;
    void apply_rows(const float* x, float* y, std::size_t n, int dim) const;
};

// The adapter as bytes (catalog rows, exported files): a magic, format version, dim, rank, alpha,
// A, B, and a checksum (layout in engine/src/learning/AdapterBytes.cpp; limits dim <= 65536,
// rank <= 1024, |alpha| and every entry <= 1e4). parse_adapter checks every field (sizes,
// checksum, finiteness, magnitude) before trusting any; a damaged or foreign blob is an Error
// saying what is wrong (fuzzed: tests/fuzz/fuzz_adapter.cpp).
std::vector<std::uint8_t> serialize_adapter(const LowRankAdapter& adapter);
[[nodiscard]] Result<LowRankAdapter> parse_adapter(const std::uint8_t* data, std::size_t size);

}  // namespace rv
