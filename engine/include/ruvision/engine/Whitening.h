// PCA whitening of embeddings, learned on a collection of them.
//
// With mean mu, covariance C = U diag(lambda) U^T of the learning rows and
// alpha = shrink * trace(C) / d:
//   keep_dims <= 0: x -> (C + alpha I)^(-1/2) (x - mu), scaled by sqrt(alpha)   (same dimension)
//   keep_dims  > 0: x -> diag(lambda_i + alpha)^(-1/2) U_k^T (x - mu)       (top keep_dims components)
// then L2-normalised. alpha keeps directions with (near-)zero variance from being blown up. In the
// same-dimension form only the top `max_corrected` components are rescaled (0: all); the others,
// whose variance is small next to alpha, keep factor 1.
// Whitening evens out the directions in which a collection's photos all vary alike, so cosine
// similarity afterwards measures what is specific to each photo (used for near-duplicates).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

class Whitening {
public:
    // Learns from n rows of d floats (row-major). n >= 2; components with no variance are dropped,
    // so out_dim() may be smaller than keep_dims.
    static Whitening learn(const float* rows, std::size_t n, int d, double shrink, int keep_dims,
                           int max_corrected = 0);

    int in_dim() const { return d_; }
    int out_dim() const { return full_ ? d_ : k_; }
    // Writes out_dim() floats (L2-normalised; all zero if x equals the mean).
    void apply(const float* x, float* out) const;

    // Same-dimension form only: a compact code of a unit vector x (code_dim() floats: x.mu, the
    // squared norm of its whitened vector, its top components), from which similarity() gives
    // the cosine of two whitened vectors exactly, given the plain dot product of x and y.
    int code_dim() const { return k_ + 2; }
    void encode(const float* x, float* code) const;
    float similarity(float xy, const float* code_x, const float* code_y) const;

    // The same decomposition with another shrinkage and at most `max_corrected` components
    // (0: all it has), without learning again: what learn() would give on the same rows (the
    // components kept are those learn() kept, so max_corrected can only lower their number).
    Whitening derived(double shrink, int max_corrected) const;

    // Bytes that restore this whitening exactly (doubles as stored, little-endian on the machines
    // we build for; the catalog's search_calibration.whitening). deserialize checks the header,
    // the sizes and that every value is finite: damaged bytes are an Error, never a whitening.
    std::string serialize() const;
    static Result<Whitening> deserialize(std::string_view bytes);

private:
    std::vector<double> mean_;   // d
    double mean_norm2_ = 0;      // mu.mu
    std::vector<double> basis_;  // d x k, column-major: component j is basis_[j*d .. j*d+d)
    std::vector<double> scale_;  // k
    std::vector<double> lambda_;  // k: the components' variances (descending)
    double trace_ = 0;            // of the covariance
    int d_ = 0, k_ = 0;
    bool full_ = true;  // keep the dimension (add back the part outside the basis)
};

}  // namespace rv
