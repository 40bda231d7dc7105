// Retrieval metrics and the PCA-whitening post-processing of retrieval_quality.
// All searches are brute force on cosine similarity: rows are L2-normalised first, the score is
// the dot product, ties rank the lower index first.
#pragma once

#include <array>
#include <vector>

#include "retrieval/dataset.h"
#include "ruvision/engine/Whitening.h"

namespace rvbench {

// Row-major n x d float matrix: one embedding per row.
struct Matrix {
    int rows = 0, cols = 0;
    std::vector<float> v;
    Matrix() = default;
    Matrix(int r, int c) : rows(r), cols(c), v(static_cast<std::size_t>(r) * c, 0.0f) {}
    float* row(int i) { return v.data() + static_cast<std::size_t>(i) * cols; }
    const float* row(int i) const { return v.data() + static_cast<std::size_t>(i) * cols; }
};

void l2_normalize_rows(Matrix& m);  // zero rows stay zero
// Rows `rows` of m, in that order.
Matrix select_rows(const Matrix& m, const std::vector<int>& rows);
// Columns [begin, end) of m, each row re-normalised (one part of a concatenated descriptor).
Matrix slice_cols(const Matrix& m, int begin, int end);

// Fashion mAP@10. Every row is a query against all the other rows (the query itself is not in
// its own result list); an item is relevant when its label equals the query's. For one query,
// with rel_k = 1 if the k-th result is relevant and P@k = (relevant results among the first k)/k:
//   AP@10 = (1 / min(10, R)) * sum_{k=1..10} P@k * rel_k,   R = relevant items in the database.
// mAP@10 is the mean over all queries (rows whose label occurs only once are not queries). (1.0 = the 10 nearest are all of the query's class.)
double fashion_map10(const Matrix& emb, const std::vector<int>& labels);

// PCA whitening (rv::Whitening, Whitening.h) learned on the rows of `library`, applied to the
// rows of x.
class Whitening {
public:
    static Whitening learn(const Matrix& library, double shrink, int keep_dims, int max_corrected = 0);
    Matrix apply(const Matrix& x) const;
    int out_dim() const { return w_.out_dim(); }

private:
    rv::Whitening w_;
};

}  // namespace rvbench
