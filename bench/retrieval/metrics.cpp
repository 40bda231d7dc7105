#include "retrieval/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>

namespace rvbench {

namespace {

using RowMajorF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Eigen::Map<const RowMajorF> view(const Matrix& m) { return {m.v.data(), m.rows, m.cols}; }

// Indices of the `k` best scores (descending; ties: lower index first), skipping `skip`.
void top_k(const float* scores, int n, int skip, int k, std::vector<int>& idx) {
    idx.resize(n);
    std::iota(idx.begin(), idx.end(), 0);
    if (skip >= 0) idx.erase(idx.begin() + skip);
    k = std::min<int>(k, static_cast<int>(idx.size()));
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    });
    idx.resize(k);
}

}  // namespace

void l2_normalize_rows(Matrix& m) {
    for (int i = 0; i < m.rows; ++i) {
        float* r = m.row(i);
        double s = 0.0;
        for (int j = 0; j < m.cols; ++j) s += static_cast<double>(r[j]) * r[j];
        if (s <= 0.0) continue;
        const float inv = static_cast<float>(1.0 / std::sqrt(s));
        for (int j = 0; j < m.cols; ++j) r[j] *= inv;
    }
}

Matrix select_rows(const Matrix& m, const std::vector<int>& rows) {
    Matrix out(static_cast<int>(rows.size()), m.cols);
    for (std::size_t i = 0; i < rows.size(); ++i) std::copy_n(m.row(rows[i]), m.cols, out.row(static_cast<int>(i)));
    return out;
}

Matrix slice_cols(const Matrix& m, int begin, int end) {
    Matrix out(m.rows, end - begin);
    for (int i = 0; i < m.rows; ++i) std::copy(m.row(i) + begin, m.row(i) + end, out.row(i));
    l2_normalize_rows(out);
    return out;
}

double fashion_map10(const Matrix& emb, const std::vector<int>& labels) {
    const int n = emb.rows;
    if (n < 2) return 0.0;
    const RowMajorF sim = view(emb) * view(emb).transpose();
    std::vector<int> count(*std::max_element(labels.begin(), labels.end()) + 1, 0);
    for (int l : labels) ++count[l];
    std::vector<int> idx;
    double sum = 0.0;
    int queries = 0;
    for (int q = 0; q < n; ++q) {
        const int relevant = count[labels[q]] - 1;  // the query is not in its own database
        if (relevant <= 0) continue;                // no relevant item: AP undefined, not a query
        ++queries;
        top_k(sim.row(q).data(), n, q, 10, idx);
        int hits = 0;
        double ap = 0.0;
        for (int k = 0; k < static_cast<int>(idx.size()); ++k)
            if (labels[idx[k]] == labels[q]) ap += static_cast<double>(++hits) / (k + 1);
        sum += ap / std::min(10, relevant);
    }
    return queries ? sum / queries : 0.0;
}

Whitening Whitening::learn(const Matrix& library, double shrink, int keep_dims, int max_corrected) {
    Whitening w;
    w.w_ = rv::Whitening::learn(library.v.data(), static_cast<std::size_t>(library.rows), library.cols, shrink,
                                keep_dims, max_corrected);
    return w;
}

Matrix Whitening::apply(const Matrix& in) const {
    Matrix out(in.rows, w_.out_dim());
    for (int i = 0; i < in.rows; ++i) w_.apply(in.row(i), out.row(i));
    return out;
}

}  // namespace rvbench
