// Scalar reference element-wise kernels. Each output element is computed from the inputs at the
// same index only, which is what makes the in-place forms (y == x, y == a, y == b) valid.
#include "common/reference.h"

namespace rv::kernels::ref {

void activate(const float* x, float* y, std::size_t n, Activation act) {
    for (std::size_t i = 0; i < n; ++i) y[i] = activate(x[i], act);
}

void add(const float* a, const float* b, float* y, std::size_t n, Activation act) {
    for (std::size_t i = 0; i < n; ++i) y[i] = activate(a[i] + b[i], act);
}

void scale_channels(const float* x, const float* scale, float* y, std::size_t pixels,
                    std::size_t channels) {
    for (std::size_t p = 0; p < pixels; ++p) {
        for (std::size_t c = 0; c < channels; ++c) {
            y[p * channels + c] = x[p * channels + c] * scale[c];
        }
    }
}

}  // namespace rv::kernels::ref
