#include "ruvision/engine/Whitening.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <Eigen/Dense>

namespace rv {

Whitening Whitening::learn(const float* rows, std::size_t n_rows, int d, double shrink, int keep_dims,
                           int max_corrected) {
    using RowMajorF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Whitening w;
    const auto n = static_cast<Eigen::Index>(n_rows);
    w.d_ = d;
    w.full_ = keep_dims <= 0;
    const Eigen::MatrixXd x = Eigen::Map<const RowMajorF>(rows, n, d).cast<double>();
    const Eigen::RowVectorXd mu = x.colwise().mean();
    const Eigen::MatrixXd xc = x.rowwise() - mu;
    w.mean_.assign(mu.data(), mu.data() + d);
    w.mean_norm2_ = mu.squaredNorm();

    // Non-zero eigenpairs of C = xc^T xc / n: from the n x n Gram matrix when n < d (the basis is
    // then xc^T v / sqrt(n lambda)), else from C itself. Eigen returns them ascending.
    Eigen::VectorXd lambda;
    Eigen::MatrixXd u;
    if (n < d) {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(xc * xc.transpose() / static_cast<double>(n));
        lambda = es.eigenvalues();
        u = xc.transpose() * es.eigenvectors();
        for (Eigen::Index j = 0; j < n; ++j) u.col(j) /= std::sqrt(std::max(lambda(j), 1e-300) * static_cast<double>(n));
    } else {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(xc.transpose() * xc / static_cast<double>(n));
        lambda = es.eigenvalues();
        u = es.eigenvectors();
    }
    const double trace = std::max(0.0, lambda.sum());
    const double alpha = std::max(shrink * trace / d, 1e-12);
    const double lmax = lambda.maxCoeff();
    std::vector<Eigen::Index> order;
    for (Eigen::Index j = lambda.size() - 1; j >= 0; --j)
        if (lambda(j) > 1e-9 * lmax) order.push_back(j);
    const int cap = w.full_ ? max_corrected : keep_dims;
    if (cap > 0 && static_cast<int>(order.size()) > cap) order.resize(cap);
    w.k_ = static_cast<int>(order.size());
    w.basis_.resize(static_cast<std::size_t>(d) * w.k_);
    w.scale_.resize(w.k_);
    w.lambda_.resize(w.k_);
    w.trace_ = trace;
    for (int j = 0; j < w.k_; ++j) {
        const Eigen::Index e = order[j];
        std::copy_n(u.col(e).data(), d, w.basis_.data() + static_cast<std::size_t>(j) * d);
        w.lambda_[j] = lambda(e);
        // full: (C + alpha I)^(-1/2) scaled by sqrt(alpha), written as x + U (s - 1) U^T x so the
        // directions outside the basis (lambda = 0) keep factor 1.
        w.scale_[j] = w.full_ ? std::sqrt(alpha / (lambda(e) + alpha)) - 1.0 : 1.0 / std::sqrt(lambda(e) + alpha);
    }
    return w;
}

void Whitening::apply(const float* x, float* out) const {
    std::vector<double> xc(d_);
    for (int i = 0; i < d_; ++i) xc[i] = x[i] - mean_[i];
    std::vector<double> y(full_ ? xc : std::vector<double>(k_, 0.0));
    for (int j = 0; j < k_; ++j) {
        const double* b = &basis_[static_cast<std::size_t>(j) * d_];
        double p = 0;
        for (int i = 0; i < d_; ++i) p += xc[i] * b[i];
        p *= scale_[j];
        if (full_)
            for (int i = 0; i < d_; ++i) y[i] += p * b[i];
        else
            y[j] = p;
    }
    double norm = 0;
    for (double v : y) norm += v * v;
    const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) out[i] = static_cast<float>(y[i] * inv);
}

void Whitening::encode(const float* x, float* code) const {
    // With c = x - mu and p = U^T c: |W c|^2 = |c|^2 + sum_j p_j^2 ((1 + scale_j)^2 - 1), where
    // |c|^2 = 1 - 2 x.mu + mu.mu for a unit x.
    double xm = 0;
    for (int i = 0; i < d_; ++i) xm += x[i] * mean_[i];
    double norm2 = 1.0 - 2.0 * xm + mean_norm2_;
    for (int j = 0; j < k_; ++j) {
        const double* b = &basis_[static_cast<std::size_t>(j) * d_];
        double p = 0;
        for (int i = 0; i < d_; ++i) p += (x[i] - mean_[i]) * b[i];
        const double s = 1.0 + scale_[j];
        norm2 += p * p * (s * s - 1.0);
        code[j + 2] = static_cast<float>(p);
    }
    code[0] = static_cast<float>(xm);
    code[1] = static_cast<float>(std::max(norm2, 0.0));
}

float Whitening::similarity(float xy, const float* cx, const float* cy) const {
    // (W cx).(W cy) = cx.cy + sum_j px_j py_j ((1 + scale_j)^2 - 1), cx.cy = x.y - x.mu - y.mu + mu.mu.
    double dot = static_cast<double>(xy) - cx[0] - cy[0] + mean_norm2_;
    for (int j = 0; j < k_; ++j) {
        const double s = 1.0 + scale_[j];
        dot += static_cast<double>(cx[j + 2]) * cy[j + 2] * (s * s - 1.0);
    }
    const double n = std::sqrt(static_cast<double>(cx[1]) * cy[1]);
    return n > 0 ? static_cast<float>(dot / n) : 0.0f;
}

Whitening Whitening::derived(double shrink, int max_corrected) const {
    Whitening w = *this;
    if (max_corrected > 0 && max_corrected < w.k_) {
        w.k_ = max_corrected;
        w.basis_.resize(static_cast<std::size_t>(d_) * w.k_);
        w.scale_.resize(w.k_);
        w.lambda_.resize(w.k_);
    }
    const double alpha = std::max(shrink * trace_ / std::max(d_, 1), 1e-12);
    for (int j = 0; j < w.k_; ++j)
        w.scale_[j] = full_ ? std::sqrt(alpha / (w.lambda_[j] + alpha)) - 1.0 : 1.0 / std::sqrt(w.lambda_[j] + alpha);
    return w;
}

namespace {

constexpr char kMagic[4] = {'R', 'V', 'W', '2'};

template <class T>
void put(std::string& out, const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

}  // namespace

std::string Whitening::serialize() const {
    std::string out(kMagic, sizeof kMagic);
    put(out, static_cast<std::int32_t>(d_));
    put(out, static_cast<std::int32_t>(k_));
    put(out, static_cast<std::int32_t>(full_ ? 1 : 0));
    put(out, mean_norm2_);
    put(out, trace_);
    for (const auto* v : {&mean_, &scale_, &lambda_, &basis_})
        out.append(reinterpret_cast<const char*>(v->data()), v->size() * sizeof(double));
    return out;
}

Result<Whitening> Whitening::deserialize(std::string_view bytes) {
    constexpr std::size_t head = sizeof kMagic + 3 * sizeof(std::int32_t) + 2 * sizeof(double);
    if (bytes.size() < head || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return Error{"the stored whitening is damaged (no RVW2 header)"};
    std::int32_t d = 0, k = 0, full = 0;
    const char* p = bytes.data() + sizeof kMagic;
    std::memcpy(&d, p, 4);
    std::memcpy(&k, p + 4, 4);
    std::memcpy(&full, p + 8, 4);
    Whitening w;
    std::memcpy(&w.mean_norm2_, p + 12, sizeof(double));
    std::memcpy(&w.trace_, p + 12 + sizeof(double), sizeof(double));
    if (d < 1 || d > 65536 || k < 0 || k > d || (full != 0 && full != 1))
        return Error{"the stored whitening is damaged (dimensions " + std::to_string(d) + " x " + std::to_string(k) + ")"};
    const std::size_t values = static_cast<std::size_t>(d) + 2 * static_cast<std::size_t>(k) + static_cast<std::size_t>(d) * k;
    if (bytes.size() != head + values * sizeof(double))
        return Error{"the stored whitening is damaged (" + std::to_string(bytes.size()) + " bytes, expected " +
                     std::to_string(head + values * sizeof(double)) + ")"};
    w.d_ = d;
    w.k_ = k;
    w.full_ = full == 1;
    w.mean_.resize(d);
    w.scale_.resize(k);
    w.lambda_.resize(k);
    w.basis_.resize(static_cast<std::size_t>(d) * k);
    p += 12 + 2 * sizeof(double);
    for (auto* v : {&w.mean_, &w.scale_, &w.lambda_, &w.basis_}) {
        std::memcpy(v->data(), p, v->size() * sizeof(double));
        p += v->size() * sizeof(double);
        for (double x : *v)
            if (!std::isfinite(x)) return Error{"the stored whitening is damaged (a value that is not finite)"};
    }
    if (!std::isfinite(w.mean_norm2_) || !std::isfinite(w.trace_)) return Error{"the stored whitening is damaged (a value that is not finite)"};
    return w;
}

}  // namespace rv
