// Embedding runs of the benches (many threads, one Embedder clone each).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "retrieval/metrics.h"
#include "ruvision/engine/Embedder.h"

namespace rvbench {

double now_s();  // steady clock, seconds

// Embeds `images` with `threads` workers (worker 0 uses `proto`, the others clone() it). Row i
// of the result is image i; ms[i] is the wall time of that embed() call.
Matrix embed_all(rv::Embedder& proto, const std::vector<const rv::RgbImage*>& images, int threads,
                 std::vector<double>& ms);

// The same for `count` images made on demand by make(i) (on the worker threads; make must be
// thread-safe), e.g. the honest set's queries.
Matrix embed_generated(rv::Embedder& proto, int count, const std::function<rv::RgbImage(int)>& make, int threads,
                       std::vector<double>& ms);

double mean_of(const std::vector<double>& v, std::size_t begin, std::size_t end);  // -1 if empty

// Cosine between row i of a and row i of b (both L2-normalised): mean and minimum over rows.
std::pair<double, double> row_agreement(const Matrix& a, const Matrix& b);

}  // namespace rvbench
