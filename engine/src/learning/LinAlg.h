// The few dense operations the adapter's training needs, on row-major buffers, templated on the
// scalar so the loss code runs in double for gradient checks and in float for training. The float
// versions go to the run-time chosen SIMD kernels; the generic ones are plain loops.
// No allocation, no state: safe on any thread.
#pragma once

#include <cstddef>

#include "ruvision/kernels/kernels.h"

namespace rv::learning {

// C[M x N] = A[M x K] * B[K x N]; C must not alias A or B.
template <class T>
void gemm(int M, int N, int K, const T* A, const T* B, T* C) {
    const std::size_t n = static_cast<std::size_t>(N), k = static_cast<std::size_t>(K);
    for (std::size_t i = 0; i < static_cast<std::size_t>(M); ++i) {
        T* c = C + i * n;
        for (std::size_t j = 0; j < n; ++j) c[j] = T(0);
        for (std::size_t p = 0; p < k; ++p) {
            const T aip = A[i * k + p];
            const T* b = B + p * n;
            for (std::size_t j = 0; j < n; ++j) c[j] += aip * b[j];
        }
    }
}
inline void gemm(int M, int N, int K, const float* A, const float* B, float* C) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        for (std::size_t i = 0; i < static_cast<std::size_t>(M) * static_cast<std::size_t>(N); ++i) C[i] = 0;
        return;
    }
    kernels::kernels().gemm(M, N, K, A, B, nullptr, C, kernels::Activation::None);
}

template <class T>
T dot(const T* a, const T* b, std::size_t n) {
    T s = 0;
    for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
    return s;
}
inline float dot(const float* a, const float* b, std::size_t n) { return kernels::kernels().dot(a, b, n); }

// out[cols x rows] = in[rows x cols]^T.
template <class T>
void transpose(const T* in, std::size_t rows, std::size_t cols, T* out) {
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = in[i * cols + j];
}

}  // namespace rv::learning
