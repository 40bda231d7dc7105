// The rows of retrieval_quality's tables: scores of one descriptor (and its whitened variants)
// on Fashion-MNIST and on both halves of the honest set.
#pragma once

#include <string>
#include <vector>

#include "retrieval/evaluate.h"
#include "retrieval/honest_set.h"
#include "retrieval/metrics.h"

namespace rvbench {

// One table row; negative scores / ms mean "not measured". For whitened rows dim is the output
// dimension, which for pcawK is at most the rank of the learning set (its size - 1).
struct Row {
    std::string model, descriptor, post;
    int dim = 0;
    double ms = -1.0, fashion = -1.0;
    HonestScore hs;
    bool has_hs = false;
};

// How an embedding matrix is laid out: [fashion rows | honest originals | honest queries].
struct Layout {
    int fashion = 0, originals = 0, queries = 0;
    std::vector<int> labels;            // one per fashion row
    const HonestSet* honest = nullptr;  // scores the originals and queries (their rows in set order)
};

// Fills row.dim, row.fashion (if L.fashion > 0) and row.hs (if there are originals and queries).
void score(const Matrix& e, const Layout& L, Row& row);

// `row` re-scored after PCA whitening (metrics.h; keep_dims 0 = full dimension), learned per set
// on that set's own embeddings: Fashion on the evaluated Fashion images (transductive: read it
// as an upper bound), the honest set on its gallery (the originals, as a library would learn it
// on its own images; the queries are never seen).
Row whitened(const Matrix& e, const Layout& L, const std::string& name, int keep_dims, double shrink, Row row);

// Markdown table on stdout of one half of the honest set (with or without the ms/img column;
// Fashion mAP@10 has no halves and is the same in both) / one line per row on stderr.
void print_table(const std::vector<Row>& rows, bool with_ms, Half half);
void log_row(const Row& r);

}  // namespace rvbench
