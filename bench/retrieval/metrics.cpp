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

NearDupScore neardup_recall1(const Matrix& originals, const Matrix& queries) {
    NearDupScore s;
    if (originals.rows == 0 || queries.rows == 0) return s;
    const RowMajorF sim = view(queries) * view(originals).transpose();
    std::array<int, kAugCount> hits{}, total{};
    std::vector<int> idx;
    for (int q = 0; q < queries.rows; ++q) {
        top_k(sim.row(q).data(), originals.rows, -1, 1, idx);
        ++total[q % kAugCount];
        if (idx[0] == q / kAugCount) ++hits[q % kAugCount];
    }
    for (int a = 0; a < kAugCount; ++a) {
        s.per_aug[a] = total[a] ? static_cast<double>(hits[a]) / total[a] : 0.0;
        s.mean += s.per_aug[a] / kAugCount;
    }
    return s;
}

Whitening Whitening::learn(const Matrix& library, double shrink, int keep_dims) {
    Whitening w;
    const int n = library.rows, d = library.cols;
    w.d_ = d;
    w.full_ = keep_dims <= 0;
    const Eigen::MatrixXd x = view(library).cast<double>();
    const Eigen::RowVectorXd mu = x.colwise().mean();
    const Eigen::MatrixXd xc = x.rowwise() - mu;
    w.mean_.assign(mu.data(), mu.data() + d);

    // Non-zero eigenpairs of C = xc^T xc / n: from the n x n Gram matrix when n < d (the basis is
    // then xc^T v / sqrt(n lambda)), else from C itself. Eigen returns them ascending.
    Eigen::VectorXd lambda;
    Eigen::MatrixXd u;
    if (n < d) {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(xc * xc.transpose() / n);
        lambda = es.eigenvalues();
        u = xc.transpose() * es.eigenvectors();
        for (int j = 0; j < n; ++j) u.col(j) /= std::sqrt(std::max(lambda(j), 1e-300) * n);
    } else {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(xc.transpose() * xc / n);
        lambda = es.eigenvalues();
        u = es.eigenvectors();
    }
    const double trace = std::max(0.0, lambda.sum());
    const double alpha = std::max(shrink * trace / d, 1e-12);
    const double lmax = lambda.maxCoeff();
    std::vector<int> order;
    for (int j = static_cast<int>(lambda.size()) - 1; j >= 0; --j)
        if (lambda(j) > 1e-9 * lmax) order.push_back(j);
    if (!w.full_ && static_cast<int>(order.size()) > keep_dims) order.resize(keep_dims);
    w.k_ = static_cast<int>(order.size());
    w.basis_.resize(static_cast<std::size_t>(d) * w.k_);
    w.scale_.resize(w.k_);
    for (int j = 0; j < w.k_; ++j) {
        const int e = order[j];
        std::copy_n(u.col(e).data(), d, w.basis_.data() + static_cast<std::size_t>(j) * d);
        // full: (C + alpha I)^(-1/2) scaled by sqrt(alpha), written as x + U (s - 1) U^T x so the
        // directions outside the basis (lambda = 0) keep factor 1.
        w.scale_[j] = w.full_ ? std::sqrt(alpha / (lambda(e) + alpha)) - 1.0 : 1.0 / std::sqrt(lambda(e) + alpha);
    }
    return w;
}

int Whitening::out_dim() const { return full_ ? d_ : k_; }

Matrix Whitening::apply(const Matrix& in) const {
    const Eigen::MatrixXd x = view(in).cast<double>();
    const Eigen::Map<const Eigen::RowVectorXd> mu(mean_.data(), d_);
    const Eigen::MatrixXd xc = x.rowwise() - mu;
    const Eigen::Map<const Eigen::MatrixXd> basis(basis_.data(), d_, k_);
    const Eigen::Map<const Eigen::VectorXd> scale(scale_.data(), k_);
    const Eigen::MatrixXd proj = (xc * basis) * scale.asDiagonal();  // n x k
    const Eigen::MatrixXd y = full_ ? Eigen::MatrixXd(xc + proj * basis.transpose()) : proj;
    Matrix out(in.rows, static_cast<int>(y.cols()));
    for (int i = 0; i < in.rows; ++i)
        for (int j = 0; j < out.cols; ++j) out.row(i)[j] = static_cast<float>(y(i, j));
    l2_normalize_rows(out);
    return out;
}

}  // namespace rvbench
