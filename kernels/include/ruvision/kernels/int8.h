// RuVision int8 kernels: quantized GEMM, depthwise convolution and the element-wise steps that keep
// a MobileNetV2/V3 block in uint8 between layers (expand 1x1 -> depthwise -> project 1x1 -> add).
//
// Quantization contract (stated once, holds for every function here):
//  - activations are uint8 with a per-tensor (scale, zero_point): real = scale * (q - zero_point),
//    zero_point in 0..255, scale > 0;
//  - weights are int8, symmetric, per output channel: real = w_scale[n] * q, zero point 0, range
//    -127..127 (quantize_weights_per_channel makes them; -128 also computes exactly but breaks the
//    symmetry);
//  - a layer accumulates in int32, exactly: acc[m][n] = sum_k (a[m][k] - a_zero_point) * w[k][n].
//    No intermediate saturates (AVX2/SSE widen to 16 bits and use pmaddwd; VNNI's vpdpbusd sums 4
//    products of at most 255*128 into int32; NEON widens), so every path equals the scalar
//    reference bit for bit as long as |acc| < 2^31 (K * 255 * 128 < 2^31: K < 65793). The
//    zero-point correction uses the per-column weight sums that the packing step precomputes;
//  - the int32 accumulators become outputs per output channel n (bias[n] in accumulator units,
//    i.e. real bias / (a_scale * w_scale[n]), rounded; may be null = 0):
//      float output (Int8ToF32): y = act(float(acc + bias[n]) * scale[n]), scale[n] = a_scale *
//        w_scale[n];
//      uint8 output (Int8ToU8):  y = clamp(zero_point + round_half_even(clamp(float(acc + bias[n])
//        * scale[n], min - zero_point, max - zero_point)), min, max), scale[n] = a_scale *
//        w_scale[n] / out_scale. Binary32 IEEE arithmetic, one rounding per operation, no fused
//        multiply-add (the int8 sources are built with -ffp-contract=off), round half to even
//        (the default rounding mode, which callers must not change): every path meets this
//        exactly, so uint8 outputs are compared bit for bit. Relu and Relu6 fuse as min/max
//        (u8_clamp_for); HardSwish/HardSigmoid on uint8 maps go through lut_u8.
//  - maps are NHWC with N = 1 ([H][W][C]), matrices row-major, as in kernels.h; depthwise weights
//    are [KH][KW][C] int8. Out-of-range (padding) taps read the input's zero point, i.e. real 0.
//  - no kernel allocates in its hot loop (the GEMM packs A rows into a per-thread scratch buffer
//    that grows to the largest request), none spawns threads, none keeps state between calls;
//    outputs never alias inputs unless a function says so; any alignment is correct.
//
// Paths and dispatch: each kernel has a scalar reference (the truth in tests) and fast paths, and
// each kernel is chosen ONE BY ONE from the CPU's features at the first call of int8_kernels():
//   GEMM:       avx512vnni (vpdpbusd zmm) > avxvnni (vpdpbusd ymm) > avx2 (vpmaddwd ymm) >
//               sse41 (pmaddwd xmm) > scalar
//   depthwise:  avx512vnni (AVX-512BW, 16-bit products) > avx2 > sse41 > scalar
//   element-wise (quantize, quantize_channels, dequantize, add_u8, global_avg_pool_u8, scale_channels_u8): avx2 > scalar;
//   lut_u8: scalar.
// NEON / NEON dot-product paths are not built yet: on arm64 every kernel runs its scalar reference.
// The environment variable RUVISION_INT8_ISA (scalar | sse41 | avx2 | avxvnni | avx512vnni) caps
// every kernel at that path, like RUVISION_ISA for the float table; int8_kernels_for() does the
// same explicitly.
#pragma once

#include "ruvision/kernels/kernels.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rv::kernels {

// CPU features that int8 paths need, detected once (x86: CPUID + XCR0, i.e. the OS saves the
// register state; arm64: getauxval).
enum CpuFeature : std::uint32_t {
    kFeatureSse41 = 1u << 0,
    kFeatureAvx2 = 1u << 1,
    kFeatureAvxVnni = 1u << 2,     // VEX vpdpbusd ymm (Alder Lake+, Zen 5)
    kFeatureAvx512Vnni = 1u << 3,  // AVX-512 F+BW+VL+DQ+CD with VNNI (Ice Lake+, Zen 4)
    kFeatureNeon = 1u << 4,
    kFeatureNeonDotprod = 1u << 5,  // armv8.2-a sdot/udot (HWCAP_ASIMDDP)
};
using CpuFeatures = std::uint32_t;

// This CPU's features (detected once, thread-safe); e.g. "sse41 avx2 avx512vnni" as text.
CpuFeatures cpu_features();
std::string cpu_features_string(CpuFeatures f);

// One int8 implementation level, slowest first within each architecture.
enum class Int8Path : std::uint8_t { Scalar, Sse41, Avx2, AvxVnni, Avx512Vnni, Neon, NeonDotprod };

std::string_view int8_path_name(Int8Path p);
// "scalar", "sse41", "avx2", "avxvnni", "avx512vnni", "neon", "neondotprod" (any case, blanks
// around ignored); false if unknown.
bool parse_int8_path(std::string_view name, Int8Path& out);

// A uint8 tensor's quantization: real = scale * (q - zero_point).
struct QuantParams {
    float scale = 1.0f;
    int zero_point = 0;  // 0..255
};

// Int32 accumulators -> float outputs (see the contract above). scale: [channels], required.
struct Int8ToF32 {
    const std::int32_t* bias = nullptr;  // [channels] or null
    const float* scale = nullptr;        // [channels]: a_scale * w_scale[n]
    Activation act = Activation::None;
};

// Int32 accumulators -> uint8 outputs (see the contract above). scale: [channels], required.
struct Int8ToU8 {
    const std::int32_t* bias = nullptr;  // [channels] or null
    const float* scale = nullptr;        // [channels]: a_scale * w_scale[n] / out_scale
    int zero_point = 0;                  // of the output, 0..255
    std::uint8_t min = 0, max = 255;     // the fused clamp, min <= max
};

// The [min, max] that fuses `act` into a uint8 output with `out`'s quantization: None -> 0..255,
// Relu -> zero_point..255, Relu6 -> zero_point..q(6). false for HardSwish/HardSigmoid, which are
// not clamps (use lut_u8 after a None output).
bool u8_clamp_for(Activation act, QuantParams out, std::uint8_t& min, std::uint8_t& max);

// Symmetric per-output-channel weight quantization of a K x N row-major float matrix (column n is
// output channel n; HWIO conv weights flattened to (KH*KW*Cin) x Cout, or depthwise [KH][KW][C]
// as (KH*KW) x C): scale[n] = max_k |w[k][n]| / 127 (1 if the column is all zero), q = round(w /
// scale[n]) in -127..127.
void quantize_weights_per_channel(const float* w, int K, int N, std::int8_t* q, float* scale);

// A uint8 -> uint8 lookup table applying `act` to a map quantized as `in`, giving `out`'s
// quantization: table[q] = clamp(out.zp + round_half_even(act(real(q)) / out.scale), 0, 255).
void make_activation_lut(Activation act, QuantParams in, QuantParams out, std::uint8_t table[256]);

// One table of int8 kernels; every pointer is non-null. The packed-weight buffer of a GEMM must be
// made by the same table's gemm_pack (each path packs in its own layout).
struct Int8Kernels {
    // Which path each group of entries came from.
    Int8Path gemm_path, depthwise_path, elementwise_path;

    // GEMM weights: B is K x N row-major int8 (N = output channels). gemm_packed_size(K, N) bytes
    // (a multiple of 64) are owned by the caller, made once at model load by gemm_pack, read-only
    // afterwards (any number of threads may share them). The buffer holds B in the path's layout
    // (VNNI: 4 consecutive k per int32 lane; AVX2/SSE: 2 consecutive k widened to int16) and the
    // column sums for the zero-point correction. Alignment: any; 64 bytes is fastest.
    std::size_t (*gemm_packed_size)(int K, int N);
    void (*gemm_pack)(int K, int N, const std::int8_t* B, void* packed);

    // C = out(A * B), A: M x K uint8 row-major with zero point a_zero_point, C: M x N row-major.
    // M, N, K >= 1.
    void (*gemm_f32)(int M, int N, int K, const std::uint8_t* A, int a_zero_point,
                     const void* packed, const Int8ToF32& out, float* C);
    void (*gemm_u8)(int M, int N, int K, const std::uint8_t* A, int a_zero_point,
                    const void* packed, const Int8ToU8& out, std::uint8_t* C);

    // Depthwise convolution (channel multiplier 1), NHWC, weights [KH][KW][C] int8, any kernel
    // size and stride (3x3 / 5x5, stride 1 / 2 are the hot ones), padding as in ConvShape
    // (padding reads in_zero_point). s.out_c == s.in_c.
    void (*depthwise_f32)(const ConvShape& s, const std::uint8_t* in, int in_zero_point,
                          const std::int8_t* weights, const Int8ToF32& out, float* y);
    void (*depthwise_u8)(const ConvShape& s, const std::uint8_t* in, int in_zero_point,
                         const std::int8_t* weights, const Int8ToU8& out, std::uint8_t* y);

    // y = clamp(q.zero_point + round_half_even(x * (1 / q.scale)), 0, 255) (1/scale computed in
    // float; NaN gives 0).
    void (*quantize)(const float* x, std::uint8_t* y, std::size_t n, QuantParams q);
    // A map quantized per channel, pixels x channels row-major: y[p][c] = clamp(zero_point +
    // round_half_even(x[p][c] * inv_scale[c]), 0, 255) (NaN gives 0); inv_scale: channels floats.
    void (*quantize_channels)(const float* x, std::uint8_t* y, std::size_t pixels, std::size_t channels,
                              const float* inv_scale, int zero_point);
    // y = float(x - q.zero_point) * q.scale.
    void (*dequantize)(const std::uint8_t* x, float* y, std::size_t n, QuantParams q);
    // Residual add: y = clamp(qy.zp + round_half_even(clamp(float(a - qa.zp) * (qa.scale /
    // qy.scale) + float(b - qb.zp) * (qb.scale / qy.scale), min - qy.zp, max - qy.zp)), min, max).
    // y may equal a or b.
    void (*add_u8)(const std::uint8_t* a, QuantParams qa, const std::uint8_t* b, QuantParams qb,
                   std::uint8_t* y, QuantParams qy, std::uint8_t min, std::uint8_t max,
                   std::size_t n);
    // y[c] = float(sum_p x[p][c] - pixels * q.zero_point) * (q.scale / float(pixels)); pixels == 0
    // gives y = 0. Exact integer sums (pixels * 255 < 2^31).
    void (*global_avg_pool_u8)(const std::uint8_t* x, QuantParams q, float* y, std::size_t pixels,
                               std::size_t channels);
    // Squeeze-excite gate on a uint8 map: y[p][c] = clamp(y_zp + round_half_even(clamp(float(x[p][c]
    // - x_zp) * mult[c], -y_zp, 255 - y_zp)), 0, 255), mult[c] = x_scale * gate[c] / y_scale.
    // y may equal x.
    void (*scale_channels_u8)(const std::uint8_t* x, int x_zero_point, const float* mult,
                              std::uint8_t* y, int y_zero_point, std::size_t pixels,
                              std::size_t channels);
    // y[i] = table[x[i]]; y may equal x.
    void (*lut_u8)(const std::uint8_t* x, std::uint8_t* y, std::size_t n,
                   const std::uint8_t table[256]);
};

// The table in use: the best path per kernel, unless RUVISION_INT8_ISA caps them. Chosen once,
// thread-safe. An unknown or unavailable RUVISION_INT8_ISA is reported on stderr once and the best
// paths are used.
const Int8Kernels& int8_kernels();

// Every kernel at `cap` or the best path below it this build and CPU have; nullptr if the CPU
// cannot run `cap` or this build does not contain it. int8_kernels_for(p)->gemm_path == p.
const Int8Kernels* int8_kernels_for(Int8Path cap);

// Every path this build contains and this CPU runs, scalar first.
std::vector<Int8Path> available_int8_paths();

// "gemm=avx512vnni depthwise=avx512vnni elementwise=avx2", for bench --json and status lines.
std::string int8_paths_string(const Int8Kernels& k);

}  // namespace rv::kernels
