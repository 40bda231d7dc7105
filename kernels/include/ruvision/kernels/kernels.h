// RuVision compute kernels: plain functions on raw float buffers.
//
// Data contract (stated once, holds for every kernel here):
//  - feature maps are NHWC with N = 1: a map of H x W x C floats is row-major [H][W][C];
//  - matrices are row-major; GEMM is C[M x N] = A[M x K] * B[K x N] (+ bias[N]);
//  - convolution weights are HWIO: [KH][KW][Cin][Cout]; depthwise weights are [KH][KW][C];
//  - no kernel allocates on the heap in its hot loop, none spawns threads (callers parallelise
//    across images), none keeps state between calls; gemm (when N is not a multiple of the vector
//    width), conv2d (im2col) and depthwise_conv2d (a zero row for vertical padding) use a
//    per-thread scratch buffer that grows to the largest request and is reused, so kernels may run
//    concurrently on different threads;
//  - outputs never alias inputs unless a function says so;
//  - any float alignment is correct; 64-byte aligned buffers are fastest (with AVX-512 a channel
//    run starting on a multiple of 16 floats then never straddles two cache lines).
//
// Every function exists as a scalar reference (the truth in tests) and as xsimd versions for
// AVX-512, AVX2+FMA and SSE2 on x86-64 (NEON on arm64). The best one is chosen once, at the first
// call of kernels(), or forced with the environment variable RUVISION_ISA
// (scalar | sse2 | avx2 | avx512 | neon).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace rv::kernels {

enum class Activation : std::uint8_t {
    None,
    Relu,         // max(x, 0)
    Relu6,        // min(max(x, 0), 6)
    HardSwish,    // x * relu6(x + 3) / 6
    HardSigmoid,  // relu6(x + 3) / 6
    Sigmoid,      // 1 / (1 + exp(-x))
    Swish,        // x * sigmoid(x) (SiLU)
};

enum class Isa : std::uint8_t { Scalar, Sse2, Avx2, Avx512, Neon };

std::string_view isa_name(Isa isa);
// Parses "scalar", "sse2", "avx2", "avx512", "neon" (any letter case, surrounding blanks
// ignored); false if unknown.
bool parse_isa(std::string_view name, Isa& out);

// Geometry of a 2-D convolution over one NHWC map. Padding may be asymmetric: the caller gives
// the top/left pads; bottom/right follow from out_h/out_w. Out-of-range taps read zero.
struct ConvShape {
    int in_h = 0, in_w = 0, in_c = 0;
    int out_h = 0, out_w = 0, out_c = 0;   // out_c == in_c for depthwise
    int kernel_h = 1, kernel_w = 1;
    int stride_h = 1, stride_w = 1;
    int pad_top = 0, pad_left = 0;
};

// One ISA's implementations. All pointers are non-null in every table.
struct KernelTable {
    Isa isa;

    // C = act(A * B + bias). bias may be null (zero). A: M x K, B: K x N, C: M x N, row-major.
    void (*gemm)(int M, int N, int K, const float* A, const float* B, const float* bias, float* C,
                 Activation act);

    // Dense convolution, NHWC in/out, HWIO weights, bias[out_c] (may be null), fused activation.
    // A 1x1, stride 1, unpadded convolution is exactly gemm(in_h*in_w, out_c, in_c, ...).
    void (*conv2d)(const ConvShape& s, const float* in, const float* weights, const float* bias,
                   float* out, Activation act);

    // Depthwise convolution (channel multiplier 1), NHWC, weights [KH][KW][C], bias[C] (may be
    // null), fused activation. Any kernel size (3x3 and 5x5 are the hot ones), stride 1 or 2.
    void (*depthwise_conv2d)(const ConvShape& s, const float* in, const float* weights,
                             const float* bias, float* out, Activation act);

    // y[i] = act(x[i]); y may equal x (in place).
    void (*activate)(const float* x, float* y, std::size_t n, Activation act);

    // y[i] = act(a[i] + b[i]); y may equal a or b.
    void (*add)(const float* a, const float* b, float* y, std::size_t n, Activation act);

    // Per-channel scale (squeeze-excite gate): y[p][c] = x[p][c] * scale[c], p < pixels.
    // y may equal x.
    void (*scale_channels)(const float* x, const float* scale, float* y, std::size_t pixels,
                           std::size_t channels);

    // Global average pooling: y[c] = mean over p of x[p][c]; pixels == 0 gives y = 0.
    void (*global_avg_pool)(const float* x, float* y, std::size_t pixels, std::size_t channels);

    // Generalised-mean pooling: y[c] = (mean over p of max(x[p][c], eps)^p)^(1/p), p > 0,
    // eps = 1e-6; pixels == 0 gives y = 0. p = 1 is average pooling (of inputs clamped to eps, so
    // equal to it for non-negative features such as post-ReLU ones); large p tends to max pooling.
    void (*gem_pool)(const float* x, float* y, std::size_t pixels, std::size_t channels, float p);

    // Inner product of two n-vectors.
    float (*dot)(const float* a, const float* b, std::size_t n);

    // x /= ||x||_2 in place; a zero vector stays zero (as does one holding a NaN). Vectors whose
    // squares underflow or overflow float still come out with unit norm.
    void (*l2_normalize)(float* x, std::size_t n);
};

// The table in use: the best ISA this CPU supports, unless RUVISION_ISA forces one. Chosen once,
// thread-safe. An RUVISION_ISA naming an ISA this CPU lacks or this build does not contain is
// reported on stderr once and the best supported ISA is used instead.
const KernelTable& kernels();

// The table for one ISA, or nullptr if this build does not contain it or the CPU cannot run it.
const KernelTable* kernels_for(Isa isa);

// Every ISA this build contains and this CPU can run, scalar first.
std::vector<Isa> available_isas();

}  // namespace rv::kernels
