// Embedding runs and the rows of retrieval_quality's tables.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "retrieval/metrics.h"
#include "ruvision/engine/Embedder.h"

namespace rvbench {

// One table row; negative scores / ms mean "not measured". For whitened rows dim is the output
// dimension, which for pcawK is at most the rank of the learning set (its size - 1).
struct Row {
    std::string model, descriptor, post;
    int dim = 0;
    double ms = -1.0, fashion = -1.0;
    NearDupScore nd;
    bool has_nd = false;
};

// How an embedding matrix is laid out: [fashion rows | near-dup originals | near-dup queries].
struct Layout {
    int fashion = 0, originals = 0, queries = 0;
    std::vector<int> labels;  // one per fashion row
};

double now_s();  // steady clock, seconds

// Embeds `images` with `threads` workers (worker 0 uses `proto`, the others clone() it). Row i
// of the result is image i; ms[i] is the wall time of that embed() call.
Matrix embed_all(rv::Embedder& proto, const std::vector<const rv::RgbImage*>& images, int threads,
                 std::vector<double>& ms);

double mean_of(const std::vector<double>& v, std::size_t begin, std::size_t end);  // -1 if empty

// Fills row.dim, row.fashion (if L.fashion > 0) and row.nd (if there are originals and queries).
void score(const Matrix& e, const Layout& L, Row& row);

// `row` re-scored after PCA whitening (metrics.h; keep_dims 0 = full dimension), learned per set
// on that set's own embeddings: Fashion on the evaluated Fashion images, near-dup on originals +
// queries, as a library would learn it on its own images. Transductive: it flatters the
// numbers, read them as an upper bound of what whitening can give.
Row whitened(const Matrix& e, const Layout& L, const std::string& name, int keep_dims, double shrink, Row row);

// Cosine between row i of a and row i of b (both L2-normalised): mean and minimum over rows.
std::pair<double, double> row_agreement(const Matrix& a, const Matrix& b);

// Markdown table on stdout (with or without the ms/img column) / one line per row on stderr.
void print_table(const std::vector<Row>& rows, bool with_ms);
void log_row(const Row& r);

}  // namespace rvbench
