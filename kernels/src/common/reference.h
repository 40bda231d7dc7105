// Scalar reference kernels: plain loops, no SIMD, the truth the optimised tables are tested
// against. Same contracts as the KernelTable entries in ruvision/kernels/kernels.h.
#pragma once

#include "ruvision/kernels/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace rv::kernels::ref {

inline float activate(float x, Activation act) {
    switch (act) {
    case Activation::None: return x;
    case Activation::Relu: return std::max(x, 0.0f);
    case Activation::Relu6: return std::min(std::max(x, 0.0f), 6.0f);
    case Activation::HardSwish: return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
    case Activation::HardSigmoid: return std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
    case Activation::Sigmoid: return 1.0f / (1.0f + std::exp(-x));
    case Activation::Swish: return x / (1.0f + std::exp(-x));
    }
    return x;
}

void gemm(int M, int N, int K, const float* A, const float* B, const float* bias, float* C,
          Activation act);
void conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
            float* out, Activation act);
void depthwise_conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
                      float* out, Activation act);
void activate(const float* x, float* y, std::size_t n, Activation act);
void add(const float* a, const float* b, float* y, std::size_t n, Activation act);
void scale_channels(const float* x, const float* scale, float* y, std::size_t pixels,
                    std::size_t channels);
void global_avg_pool(const float* x, float* y, std::size_t pixels, std::size_t channels);
void gem_pool(const float* x, float* y, std::size_t pixels, std::size_t channels, float p);
float dot(const float* a, const float* b, std::size_t n);
void l2_normalize(float* x, std::size_t n);

}  // namespace rv::kernels::ref
