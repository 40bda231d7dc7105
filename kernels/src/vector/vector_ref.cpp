// Scalar reference vector kernels.
#include "common/reference.h"

#include <cmath>

namespace rv::kernels::ref {

float dot(const float* a, const float* b, std::size_t n) {
    float sum = 0.0f;
    for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

// The sum of squares is taken in double: squares of any finite float neither overflow nor
// underflow there, so tiny and huge vectors normalise too.
void l2_normalize(float* x, std::size_t n) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += double(x[i]) * double(x[i]);
    if (!(sum > 0.0)) return;
    const double inv = 1.0 / std::sqrt(sum);
    for (std::size_t i = 0; i < n; ++i) x[i] = float(double(x[i]) * inv);
}

}  // namespace rv::kernels::ref
