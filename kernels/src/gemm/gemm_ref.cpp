// Scalar reference GEMM: C = act(A * B + bias), row-major, one dot product per output.
#include "common/reference.h"

namespace rv::kernels::ref {

void gemm(int M, int N, int K, const float* A, const float* B, const float* bias, float* C,
          Activation act) {
    for (int i = 0; i < M; ++i) {
        for (int j = 0; j < N; ++j) {
            float acc = bias ? bias[j] : 0.0f;
            for (int k = 0; k < K; ++k) {
                acc += A[std::size_t(i) * K + k] * B[std::size_t(k) * N + j];
            }
            C[std::size_t(i) * N + j] = activate(acc, act);
        }
    }
}

}  // namespace rv::kernels::ref
