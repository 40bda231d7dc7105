// Adam (Kingma & Ba) over one flat parameter vector, with bias correction, and the global-norm
// gradient clip used before each step. Owned by one thread.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace rv::learning {

class Adam {
public:
    explicit Adam(std::size_t n, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : m_(n, 0.0f), v_(n, 0.0f), beta1_(beta1), beta2_(beta2), eps_(eps) {}

    // theta -= lr * mhat / (sqrt(vhat) + eps), for n == size() parameters.
    void step(float* theta, const float* grad, double lr) {
        ++t_;
        const double c1 = 1.0 - std::pow(beta1_, t_), c2 = 1.0 - std::pow(beta2_, t_);
        const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
        const float step = static_cast<float>(lr / c1), inv_c2 = static_cast<float>(1.0 / c2);
        const float eps = static_cast<float>(eps_);
        for (std::size_t i = 0; i < m_.size(); ++i) {
            m_[i] = b1 * m_[i] + (1 - b1) * grad[i];
            v_[i] = b2 * v_[i] + (1 - b2) * grad[i] * grad[i];
            theta[i] -= step * m_[i] / (std::sqrt(v_[i] * inv_c2) + eps);
        }
    }
    std::size_t size() const { return m_.size(); }

private:
    std::vector<float> m_, v_;
    double beta1_, beta2_, eps_;
    int t_ = 0;
};

// Scales grad so that its L2 norm is at most max_norm (max_norm <= 0: no clip). Returns the norm
// before clipping.
inline double clip_global_norm(float* grad, std::size_t n, double max_norm) {
    double sq = 0;
    for (std::size_t i = 0; i < n; ++i) sq += static_cast<double>(grad[i]) * grad[i];
    const double norm = std::sqrt(sq);
    if (max_norm > 0 && norm > max_norm) {
        const float f = static_cast<float>(max_norm / norm);
        for (std::size_t i = 0; i < n; ++i) grad[i] *= f;
    }
    return norm;
}

}  // namespace rv::learning
