#include "learning/lda.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <map>

namespace rvlearn {

Lda Lda::learn(const rv::FeatureMatrix& x, const std::vector<int>& labels, double shrink) {
    const int d = x.dim;
    const auto n = static_cast<Eigen::Index>(x.size());
    Eigen::MatrixXd X(n, d);
    for (Eigen::Index i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) X(i, j) = x.row(static_cast<std::size_t>(i))[j];
    const Eigen::RowVectorXd mean = X.colwise().mean();
    std::map<int, std::vector<Eigen::Index>> by_class;
    for (Eigen::Index i = 0; i < n; ++i) by_class[labels[static_cast<std::size_t>(i)]].push_back(i);

    Eigen::MatrixXd sw = Eigen::MatrixXd::Zero(d, d), sb = Eigen::MatrixXd::Zero(d, d);
    for (const auto& [cls, rows] : by_class) {
        Eigen::MatrixXd xc(static_cast<Eigen::Index>(rows.size()), d);
        for (std::size_t k = 0; k < rows.size(); ++k) xc.row(static_cast<Eigen::Index>(k)) = X.row(rows[k]);
        const Eigen::RowVectorXd mc = xc.colwise().mean();
        xc.rowwise() -= mc;
        sw.noalias() += xc.transpose() * xc;
        const Eigen::RowVectorXd dm = mc - mean;
        sb.noalias() += static_cast<double>(rows.size()) * dm.transpose() * dm;
    }
    sw /= static_cast<double>(n);
    sb /= static_cast<double>(n);
    const double avg = sw.trace() / d;
    Eigen::MatrixXd reg = (1.0 - shrink) * sw;
    reg.diagonal().array() += shrink * avg;
    Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> es(sb, reg);

    Lda lda;
    lda.dim_ = d;
    lda.out_ = std::max(1, static_cast<int>(by_class.size()) - 1);
    lda.mean_.assign(mean.data(), mean.data() + d);
    lda.w_.resize(static_cast<std::size_t>(d) * lda.out_);
    // Eigenvalues ascending: the last ones discriminate most.
    for (int k = 0; k < lda.out_; ++k) {
        const Eigen::VectorXd v = es.eigenvectors().col(d - 1 - k);
        for (int j = 0; j < d; ++j) lda.w_[static_cast<std::size_t>(j) * lda.out_ + k] = v(j);
    }
    return lda;
}

rv::FeatureMatrix Lda::apply(const rv::FeatureMatrix& x) const {
    rv::FeatureMatrix y;
    y.dim = out_;
    y.rows.assign(x.size() * static_cast<std::size_t>(out_), 0.0f);
    std::vector<double> acc(static_cast<std::size_t>(out_));
    for (std::size_t i = 0; i < x.size(); ++i) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int j = 0; j < dim_; ++j) {
            const double v = x.row(i)[j] - mean_[static_cast<std::size_t>(j)];
            const double* w = w_.data() + static_cast<std::size_t>(j) * out_;
            for (int k = 0; k < out_; ++k) acc[static_cast<std::size_t>(k)] += v * w[k];
        }
        double norm = 0;
        for (double a : acc) norm += a * a;
        norm = std::sqrt(norm);
        for (int k = 0; k < out_; ++k)
            y.rows[i * static_cast<std::size_t>(out_) + static_cast<std::size_t>(k)] =
                norm > 0 ? static_cast<float>(acc[static_cast<std::size_t>(k)] / norm) : 0.0f;
    }
    return y;
}

}  // namespace rvlearn
