// Scalar reference int8 kernels: plain loops, the truth the fast paths are tested against, and the
// helpers that make quantized parameters. Contracts in ruvision/kernels/int8.h. Compiled with
// -ffp-contract=off (kernels/CMakeLists.txt) so that no multiply-add is fused, as in the fast
// paths.
#include "int8/int8_layout.h"
#include "int8/int8_parts.h"
#include "common/reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

namespace rv::kernels {
namespace {

using namespace int8;

// The uint8 output rule of the contract, one value.
inline std::uint8_t requant(std::int32_t acc, float scale, int zp, std::uint8_t lo, std::uint8_t hi) {
    float v = float(acc) * scale;
    v = std::min(std::max(v, float(int(lo) - zp)), float(int(hi) - zp));
    return static_cast<std::uint8_t>(int(std::nearbyint(v)) + zp);
}

inline float to_f32(std::int32_t acc, float scale, Activation act) {
    return ref::activate(float(acc) * scale, act);
}

std::size_t ref_packed_size(int K, int N) {
    return kHeaderBytes + colsum_bytes(std::size_t(N)) + round_up(std::size_t(K) * N, 64);
}

// Plain layout: B copied as is (K x N row-major) after the header and the column sums.
void ref_pack(int K, int N, const std::int8_t* B, void* packed) {
    write_header(packed, PackLayout::Plain, K, N);
    std::int32_t* sums = colsums(packed);
    std::memset(sums, 0, colsum_bytes(std::size_t(N)));
    for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n) sums[n] += B[std::size_t(k) * N + n];
    auto* panel = static_cast<unsigned char*>(packed) + kHeaderBytes + colsum_bytes(std::size_t(N));
    std::memset(panel, 0, round_up(std::size_t(K) * N, 64));
    std::memcpy(panel, B, std::size_t(K) * N);
}

// acc[n] for row m, zero-point corrected, bias added.
template <class Emit>
void ref_gemm(int M, int N, int K, const std::uint8_t* A, int za, const void* packed,
              const std::int32_t* bias, Emit emit) {
    assert(header_matches(packed, PackLayout::Plain, K, N));
    const std::int32_t* sums = colsums(packed);
    const auto* B = reinterpret_cast<const std::int8_t*>(static_cast<const unsigned char*>(packed) +
                                                        kHeaderBytes + colsum_bytes(std::size_t(N)));
    for (int m = 0; m < M; ++m) {
        const std::uint8_t* a = A + std::size_t(m) * K;
        for (int n = 0; n < N; ++n) {
            std::int32_t acc = 0;
            for (int k = 0; k < K; ++k) acc += std::int32_t(a[k]) * B[std::size_t(k) * N + n];
            acc -= za * sums[n];
            if (bias) acc += bias[n];
            emit(std::size_t(m) * N + n, n, acc);
        }
    }
}

void ref_gemm_f32(int M, int N, int K, const std::uint8_t* A, int za, const void* packed,
                  const Int8ToF32& out, float* C) {
    ref_gemm(M, N, K, A, za, packed, out.bias, [&](std::size_t i, int n, std::int32_t acc) {
        C[i] = to_f32(acc, out.scale[n], out.act);
    });
}

void ref_gemm_u8(int M, int N, int K, const std::uint8_t* A, int za, const void* packed,
                 const Int8ToU8& out, std::uint8_t* C) {
    ref_gemm(M, N, K, A, za, packed, out.bias, [&](std::size_t i, int n, std::int32_t acc) {
        C[i] = requant(acc, out.scale[n], out.zero_point, out.min, out.max);
    });
}

template <class Emit>
void ref_depthwise(const ConvShape& s, const std::uint8_t* in, int zp, const std::int8_t* w,
                   const std::int32_t* bias, Emit emit) {
    const int C = s.in_c;
    for (int oy = 0; oy < s.out_h; ++oy)
        for (int ox = 0; ox < s.out_w; ++ox)
            for (int c = 0; c < C; ++c) {
                std::int32_t acc = bias ? bias[c] : 0;
                for (int ky = 0; ky < s.kernel_h; ++ky) {
                    const int iy = oy * s.stride_h - s.pad_top + ky;
                    if (iy < 0 || iy >= s.in_h) continue;  // padding: (zp - zp) * w = 0
                    for (int kx = 0; kx < s.kernel_w; ++kx) {
                        const int ix = ox * s.stride_w - s.pad_left + kx;
                        if (ix < 0 || ix >= s.in_w) continue;
                        const int a = in[(std::size_t(iy) * s.in_w + ix) * C + c];
                        acc += (a - zp) * w[(std::size_t(ky) * s.kernel_w + kx) * C + c];
                    }
                }
                emit((std::size_t(oy) * s.out_w + ox) * C + c, c, acc);
            }
}

void ref_depthwise_f32(const ConvShape& s, const std::uint8_t* in, int zp, const std::int8_t* w,
                       const Int8ToF32& out, float* y) {
    ref_depthwise(s, in, zp, w, out.bias, [&](std::size_t i, int c, std::int32_t acc) {
        y[i] = to_f32(acc, out.scale[c], out.act);
    });
}

void ref_depthwise_u8(const ConvShape& s, const std::uint8_t* in, int zp, const std::int8_t* w,
                      const Int8ToU8& out, std::uint8_t* y) {
    ref_depthwise(s, in, zp, w, out.bias, [&](std::size_t i, int c, std::int32_t acc) {
        y[i] = requant(acc, out.scale[c], out.zero_point, out.min, out.max);
    });
}

void ref_quantize(const float* x, std::uint8_t* y, std::size_t n, QuantParams q) {
    const float inv = 1.0f / q.scale;
    const float lo = float(-q.zero_point), hi = float(255 - q.zero_point);
    for (std::size_t i = 0; i < n; ++i) {
        // std::max(lo, NaN) is lo: NaN gives 0, as _mm_max_ps(v, lo) does.
        const float v = std::min(std::max(lo, x[i] * inv), hi);
        y[i] = static_cast<std::uint8_t>(int(std::nearbyint(v)) + q.zero_point);
    }
}

void ref_quantize_channels(const float* x, std::uint8_t* y, std::size_t pixels, std::size_t channels,
                           const float* inv_scale, int zero_point) {
    const float lo = float(-zero_point), hi = float(255 - zero_point);
    for (std::size_t p = 0; p < pixels; ++p)
        for (std::size_t c = 0; c < channels; ++c) {
            const std::size_t i = p * channels + c;
            const float v = std::min(std::max(lo, x[i] * inv_scale[c]), hi);  // NaN gives lo, as ref_quantize
            y[i] = static_cast<std::uint8_t>(int(std::nearbyint(v)) + zero_point);
        }
}

void ref_dequantize(const std::uint8_t* x, float* y, std::size_t n, QuantParams q) {
    for (std::size_t i = 0; i < n; ++i) y[i] = float(int(x[i]) - q.zero_point) * q.scale;
}

void ref_add_u8(const std::uint8_t* a, QuantParams qa, const std::uint8_t* b, QuantParams qb,
                std::uint8_t* y, QuantParams qy, std::uint8_t lo, std::uint8_t hi, std::size_t n) {
    const float ma = qa.scale / qy.scale, mb = qb.scale / qy.scale;
    const float flo = float(int(lo) - qy.zero_point), fhi = float(int(hi) - qy.zero_point);
    for (std::size_t i = 0; i < n; ++i) {
        const float pa = float(int(a[i]) - qa.zero_point) * ma;
        const float pb = float(int(b[i]) - qb.zero_point) * mb;
        const float v = std::min(std::max(pa + pb, flo), fhi);
        y[i] = static_cast<std::uint8_t>(int(std::nearbyint(v)) + qy.zero_point);
    }
}

void ref_global_avg_pool_u8(const std::uint8_t* x, QuantParams q, float* y, std::size_t pixels,
                            std::size_t channels) {
    if (pixels == 0) {
        std::fill(y, y + channels, 0.0f);
        return;
    }
    const float m = q.scale / float(pixels);
    for (std::size_t c = 0; c < channels; ++c) {
        std::int32_t sum = 0;
        for (std::size_t p = 0; p < pixels; ++p) sum += x[p * channels + c];
        y[c] = float(sum - std::int32_t(pixels) * q.zero_point) * m;
    }
}

void ref_scale_channels_u8(const std::uint8_t* x, int xz, const float* mult, std::uint8_t* y, int yz,
                           std::size_t pixels, std::size_t channels) {
    const float lo = float(-yz), hi = float(255 - yz);
    for (std::size_t p = 0; p < pixels; ++p)
        for (std::size_t c = 0; c < channels; ++c) {
            const std::size_t i = p * channels + c;
            const float v = std::min(std::max(float(int(x[i]) - xz) * mult[c], lo), hi);
            y[i] = static_cast<std::uint8_t>(int(std::nearbyint(v)) + yz);
        }
}

void ref_lut_u8(const std::uint8_t* x, std::uint8_t* y, std::size_t n, const std::uint8_t table[256]) {
    for (std::size_t i = 0; i < n; ++i) y[i] = table[x[i]];
}

}  // namespace

bool u8_clamp_for(Activation act, QuantParams out, std::uint8_t& min, std::uint8_t& max) {
    auto q = [&](float real) {
        const float v = std::nearbyint(real / out.scale) + float(out.zero_point);
        return static_cast<std::uint8_t>(std::min(std::max(v, 0.0f), 255.0f));
    };
    switch (act) {
    case Activation::None: min = 0, max = 255; return true;
    case Activation::Relu: min = q(0.0f), max = 255; return true;
    case Activation::Relu6: min = q(0.0f), max = q(6.0f); return true;
    case Activation::HardSwish:
    case Activation::HardSigmoid:
    case Activation::Sigmoid:
    case Activation::Swish: return false;
    }
    return false;
}

void quantize_weights_per_channel(const float* w, int K, int N, std::int8_t* q, float* scale) {
    for (int n = 0; n < N; ++n) {
        float amax = 0.0f;
        for (int k = 0; k < K; ++k) amax = std::max(amax, std::fabs(w[std::size_t(k) * N + n]));
        const float s = amax > 0.0f ? amax / 127.0f : 1.0f;
        scale[n] = s;
        for (int k = 0; k < K; ++k) {
            const float v = std::nearbyint(w[std::size_t(k) * N + n] / s);
            q[std::size_t(k) * N + n] = static_cast<std::int8_t>(std::min(std::max(v, -127.0f), 127.0f));
        }
    }
}

void make_activation_lut(Activation act, QuantParams in, QuantParams out, std::uint8_t table[256]) {
    for (int i = 0; i < 256; ++i) {
        const float real = ref::activate(float(i - in.zero_point) * in.scale, act);
        const float v = std::nearbyint(real / out.scale) + float(out.zero_point);
        table[i] = static_cast<std::uint8_t>(std::min(std::max(v, 0.0f), 255.0f));
    }
}

namespace detail {

const Int8Parts& int8_scalar_table() {
    static const Int8Parts parts{
        &ref_packed_size,   &ref_pack,           &ref_gemm_f32,       &ref_gemm_u8,
        &ref_depthwise_f32, &ref_depthwise_u8,   &ref_quantize,       &ref_quantize_channels, &ref_dequantize,
        &ref_add_u8,        &ref_global_avg_pool_u8, &ref_scale_channels_u8, &ref_lut_u8,
    };
    return parts;
}

}  // namespace detail
}  // namespace rv::kernels
