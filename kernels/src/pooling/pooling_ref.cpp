// Scalar reference global pooling over an NHWC map viewed as [pixels][channels].
#include "common/reference.h"

#include <cmath>

namespace rv::kernels::ref {

void global_avg_pool(const float* x, float* y, std::size_t pixels, std::size_t channels) {
    for (std::size_t c = 0; c < channels; ++c) {
        float sum = 0.0f;
        for (std::size_t p = 0; p < pixels; ++p) sum += x[p * channels + c];
        y[c] = pixels ? sum / float(pixels) : 0.0f;
    }
}

void gem_pool(const float* x, float* y, std::size_t pixels, std::size_t channels, float p) {
    const float eps = 1e-6f;
    for (std::size_t c = 0; c < channels; ++c) {
        float sum = 0.0f;
        for (std::size_t i = 0; i < pixels; ++i)
            sum += std::pow(std::max(x[i * channels + c], eps), p);
        y[c] = pixels ? std::pow(sum / float(pixels), 1.0f / p) : 0.0f;
    }
}

}  // namespace rv::kernels::ref
