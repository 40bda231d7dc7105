// Dense convolution over xsimd, lowered to the GEMM micro-kernels.
//
// HWIO weights [KH][KW][Cin][Cout] are already a (KH*KW*Cin) x Cout row-major matrix in im2col
// order (ky, kx, ci), so they are used as B in place. Three lowerings:
//  - 1x1, stride 1, unpadded, same size: the input map is A as it is (one GEMM);
//  - 1x1 unpadded with stride: each output row is a GEMM whose A rows are stride*Cin floats apart;
//  - anything else (the 3x3/s2 stem with Cin = 3, other dense convolutions): in output rows whose
//    KH input rows all exist, the interior pixels (all KW taps inside) read their im2col rows
//    straight from the input through GemmA runs (KH runs of KW*Cin contiguous floats), with no
//    copy; the few border pixels and padded rows are copied by im2col into per-thread scratch.
#pragma once

#include "common/scratch.h"
#include "common/simd_common.h"
#include "gemm/gemm_simd.h"

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

// dst[0..n) = src[0..n), whole registers then scalars (runs are short, KW * Cin floats, and AVX2
// masked stores are slow on AMD cores).
template <class Arch>
inline void copy_run(float* dst, const float* src, int n) {
    using V = vfloat<Arch>;
    constexpr int W = kLanes<Arch>;
    int i = 0;
    for (; i + W <= n; i += W) V::load_unaligned(src + i).store_unaligned(dst + i);
    for (; i < n; ++i) dst[i] = src[i];
}

template <class Arch>
inline void zero_run(float* dst, int n) {
    using V = vfloat<Arch>;
    constexpr int W = kLanes<Arch>;
    int i = 0;
    for (; i + W <= n; i += W) V(0.0f).store_unaligned(dst + i);
    for (; i < n; ++i) dst[i] = 0.0f;
}

// Writes the im2col rows of output pixels [p0, p1) (row-major over the output map) to `rows`:
// row r holds the KH*KW*Cin input values pixel p0 + r sees, zeros for taps outside the input. In
// NHWC the KW taps of one kernel row are KW*Cin contiguous floats, so a pixel whose taps all lie
// inside horizontally copies KH runs instead of KH*KW.
template <class Arch>
void conv_im2col(const ConvShape& s, const float* in, int p0, int p1, float* rows) {
    const int cin = s.in_c;
    const int run = s.kernel_w * cin;
    int oy = p0 / s.out_w, ox = p0 % s.out_w;
    for (int p = p0; p < p1; ++p) {
        const int ix0 = ox * s.stride_w - s.pad_left;
        const bool inside_x = ix0 >= 0 && ix0 + s.kernel_w <= s.in_w;
        for (int ky = 0; ky < s.kernel_h; ++ky) {
            const int iy = oy * s.stride_h - s.pad_top + ky;
            const bool row_ok = iy >= 0 && iy < s.in_h;
            // Formed only for a row inside the input: a pointer before `in` is undefined behaviour.
            const float* src_row = row_ok ? in + std::size_t(iy) * s.in_w * cin : in;
            if (row_ok && inside_x) {
                copy_run<Arch>(rows, src_row + std::size_t(ix0) * cin, run);
            } else {
                for (int kx = 0; kx < s.kernel_w; ++kx) {
                    const int ix = ix0 + kx;
                    float* dst = rows + kx * cin;
                    if (row_ok && ix >= 0 && ix < s.in_w) {
                        copy_run<Arch>(dst, src_row + std::size_t(ix) * cin, cin);
                    } else {
                        zero_run<Arch>(dst, cin);
                    }
                }
            }
            rows += run;
        }
        if (++ox == s.out_w) ox = 0, ++oy;
    }
}

// Output pixels [p0, p1) through im2col rows in per-thread scratch, in blocks of about 256 KiB.
template <class Arch>
void conv_via_im2col(const ConvShape& s, const float* in, const GemmB& g, int p0, int p1,
                     float* out, Activation act) {
    const int K = g.K, N = g.N, MR = GemmBlocking<Arch>::kMR;
    int block = (256 * 1024 / int(sizeof(float))) / max_of(K, 1);
    block = min_of(max_of(MR * 4, block / MR * MR), p1 - p0);
    float* rows = detail::scratch(detail::ScratchSlot::Im2col, std::size_t(block) * max_of(K, 1));
    for (int q0 = p0; q0 < p1; q0 += block) {
        const int q1 = min_of(p1, q0 + block);
        conv_im2col<Arch>(s, in, q0, q1, rows);
        gemm_run<Arch>(q1 - q0, GemmA{rows, std::size_t(K), 1, K, 0}, g, out + std::size_t(q0) * N,
                       std::size_t(N), act);
    }
}

template <class Arch>
void conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
            float* out, Activation act) {
    if (s.out_h <= 0 || s.out_w <= 0 || s.out_c <= 0) return;
    const int cin = s.in_c, K = s.kernel_h * s.kernel_w * cin, N = s.out_c;
    const GemmB g = gemm_prepare_b<Arch>(K, N, weights, std::size_t(N), bias);
    const bool pointwise = s.kernel_h == 1 && s.kernel_w == 1 && s.pad_top == 0 && s.pad_left == 0;

    if (pointwise && s.stride_h == 1 && s.stride_w == 1 && s.out_h == s.in_h && s.out_w == s.in_w) {
        gemm_run<Arch>(s.out_h * s.out_w, GemmA{in, std::size_t(cin), 1, cin, 0}, g, out,
                       std::size_t(N), act);
        return;
    }
    if (pointwise && (s.out_h - 1) * s.stride_h < s.in_h && (s.out_w - 1) * s.stride_w < s.in_w) {
        for (int oy = 0; oy < s.out_h; ++oy) {
            const float* a = in + std::size_t(oy) * s.stride_h * s.in_w * cin;
            gemm_run<Arch>(s.out_w, GemmA{a, std::size_t(s.stride_w) * cin, 1, cin, 0}, g,
                           out + std::size_t(oy) * s.out_w * N, std::size_t(N), act);
        }
        return;
    }

    // Interior output columns [lo, hi): every horizontal tap inside the input. In an output row
    // whose kernel rows are all inside too, those pixels read their im2col rows straight from the
    // input (KH runs of KW*Cin floats, pixels stride*Cin floats apart); the rest goes via im2col.
    const int pl = s.pad_left, sw = s.stride_w;
    const int lo = min_of(s.out_w, (pl + sw - 1) / sw);
    const int hi = max_of(lo, s.in_w - s.kernel_w + pl >= 0
                                  ? min_of(s.out_w, (s.in_w - s.kernel_w + pl) / sw + 1)
                                  : 0);
    const std::size_t row_floats = std::size_t(s.in_w) * cin;
    int pending = 0;  // first output pixel not yet computed
    for (int oy = 0; oy < s.out_h; ++oy) {
        const int iy0 = oy * s.stride_h - s.pad_top;
        if (iy0 < 0 || iy0 + s.kernel_h > s.in_h || hi - lo < GemmBlocking<Arch>::kMR) continue;
        const int row0 = oy * s.out_w;
        if (pending < row0 + lo) conv_via_im2col<Arch>(s, in, g, pending, row0 + lo, out, act);
        const GemmA direct{in + iy0 * row_floats + std::size_t(lo * sw - pl) * cin,
                           std::size_t(sw) * cin, s.kernel_h, s.kernel_w * cin, row_floats};
        gemm_run<Arch>(hi - lo, direct, g, out + std::size_t(row0 + lo) * N, std::size_t(N), act);
        pending = row0 + hi;
    }
    if (pending < s.out_h * s.out_w)
        conv_via_im2col<Arch>(s, in, g, pending, s.out_h * s.out_w, out, act);
}

}  // namespace
}  // namespace rv::kernels::simd
