// Depthwise convolution over xsimd, vectorised over channels (NHWC keeps a pixel's channels
// contiguous).
//
// Fast path (3x3 and 5x5, equal strides 1 or 2, C >= lanes): per output row, input rows outside
// the map are replaced by a row of zeros, so vertical padding costs no test; per register of
// channels the KH*KW weight registers are loaded once and swept along the row. Only the few
// left/right border pixels test their taps; the interior has no bounds checks (and for 3x3
// stride 1 computes blocks of neighbouring pixels that share their loaded input columns). When C is
// not a multiple of the register width the last register starts at C - lanes and overlaps the
// previous one (it recomputes identical values; out never aliases in). Every other shape takes the
// generic path, still vectorised over channels, with masked tails.
#pragma once

#include "common/conv_taps.h"
#include "common/scratch.h"
#include "common/simd_common.h"

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

// Loads n <= lanes floats; a full register when n == lanes.
template <class Arch>
inline vfloat<Arch> load_upto(const float* p, int n) {
    return n == kLanes<Arch> ? vfloat<Arch>::load_unaligned(p) : load_n<Arch>(p, n);
}

template <class Arch, Activation A>
void depthwise_generic(const ConvShape& s, const float* in, const float* w, const float* bias,
                       float* out) {
    using V = vfloat<Arch>;
    constexpr int W = kLanes<Arch>;
    const int C = s.in_c;
    for (int oy = 0; oy < s.out_h; ++oy) {
        for (int ox = 0; ox < s.out_w; ++ox) {
            float* o = out + (std::size_t(oy) * s.out_w + ox) * C;
            for (int c0 = 0; c0 < C; c0 += W) {
                const int n = min_of(W, C - c0);
                V acc = bias ? load_upto<Arch>(bias + c0, n) : V(0.0f);
                for_each_tap(s, oy, ox, [&](int ky, int kx, int iy, int ix) {
                    const V x = load_upto<Arch>(in + (std::size_t(iy) * s.in_w + ix) * C + c0, n);
                    const V k = load_upto<Arch>(w + (std::size_t(ky) * s.kernel_w + kx) * C + c0, n);
                    acc = madd(x, k, acc);
                });
                acc = apply<A, Arch>(acc);
                if (n == W) {
                    acc.store_unaligned(o + c0);
                } else {
                    store_n<Arch>(o + c0, acc, n);
                }
            }
        }
    }
}

// Output pixels [x0, x1) of one output row, one register of channels at c0, all taps checked
// horizontally. rows[ky] points at input row (or the zero row) for tap row ky.
template <class Arch, int KH, int KW, int S, Activation A>
inline void depthwise_border(const float* const* rows, int C, int c0, int in_w, int pad_left,
                             int x0, int x1, const vfloat<Arch> (&k)[KH][KW], const vfloat<Arch>& b,
                             float* out_row) {
    using V = vfloat<Arch>;
    for (int ox = x0; ox < x1; ++ox) {
        const int ix0 = ox * S - pad_left;
        V acc = b;
#pragma GCC unroll 5
        for (int ky = 0; ky < KH; ++ky) {
#pragma GCC unroll 5
            for (int kx = 0; kx < KW; ++kx) {
                const int ix = ix0 + kx;
                if (ix < 0 || ix >= in_w) continue;
                acc = madd(V::load_unaligned(rows[ky] + std::size_t(ix) * C + c0), k[ky][kx], acc);
            }
        }
        apply<A, Arch>(acc).store_unaligned(out_row + std::size_t(ox) * C + c0);
    }
}

// Output pixels per step of the fast path's interior. For 3x3 stride 1 neighbouring pixels share
// two of their three input columns, so a block of TX pixels loads TX + 2 columns per kernel row
// instead of 3 * TX (measured: +10..15% on AVX-512 with TX = 4). Larger kernels and stride 2 gain
// nothing from it (their single-pixel path keeps one partial sum per kernel row instead).
template <class Arch, int K, int S>
inline constexpr int kDepthwiseBlock = K == 3 && S == 1 ? (kLanes<Arch> >= 16 ? 4 : 2) : 1;

// Interior output pixels [x0, x1) of one output row, one register of channels at c0: every tap
// is inside the input, so nothing is tested. Blocks of TX pixels first, then single pixels.
template <class Arch, int KH, int KW, int S, Activation A>
inline void depthwise_interior(const float* const* rows, int C, int c0, int pad_left, int x0,
                               int x1, const vfloat<Arch> (&k)[KH][KW], const vfloat<Arch>& b,
                               float* out_row) {
    using V = vfloat<Arch>;
    constexpr int TX = kDepthwiseBlock<Arch, KW, S>;
    constexpr int NCOL = (TX - 1) * S + KW;  // input columns a block of TX pixels reads
    int ox = x0;
    for (; TX > 1 && ox + TX <= x1; ox += TX) {
        const std::size_t first = std::size_t(ox * S - pad_left) * C + c0;
        V acc[TX];
#pragma GCC unroll 8
        for (int t = 0; t < TX; ++t) acc[t] = b;
#pragma GCC unroll 5
        for (int ky = 0; ky < KH; ++ky) {
            V col[NCOL];
#pragma GCC unroll 16
            for (int j = 0; j < NCOL; ++j)
                col[j] = V::load_unaligned(rows[ky] + first + std::size_t(j) * C);
#pragma GCC unroll 8
            for (int t = 0; t < TX; ++t) {
#pragma GCC unroll 5
                for (int kx = 0; kx < KW; ++kx) acc[t] = madd(col[t * S + kx], k[ky][kx], acc[t]);
            }
        }
#pragma GCC unroll 8
        for (int t = 0; t < TX; ++t)
            apply<A, Arch>(acc[t]).store_unaligned(out_row + std::size_t(ox + t) * C + c0);
    }
    for (; ox < x1; ++ox) {
        const std::size_t first = std::size_t(ox * S - pad_left) * C + c0;
        // One partial sum per kernel row keeps the FMA dependency chains short.
        V part[KH];
#pragma GCC unroll 5
        for (int ky = 0; ky < KH; ++ky) {
            const float* r = rows[ky] + first;
            V acc = ky == 0 ? b : V(0.0f);
#pragma GCC unroll 5
            for (int kx = 0; kx < KW; ++kx)
                acc = madd(V::load_unaligned(r + kx * C), k[ky][kx], acc);
            part[ky] = acc;
        }
#pragma GCC unroll 5
        for (int ky = 1; ky < KH; ++ky) part[0] += part[ky];
        apply<A, Arch>(part[0]).store_unaligned(out_row + std::size_t(ox) * C + c0);
    }
}

template <class Arch, int KH, int KW, int S, Activation A>
void depthwise_fixed(const ConvShape& s, const float* in, const float* w, const float* bias,
                     float* out) {
    using V = vfloat<Arch>;
    constexpr int W = kLanes<Arch>;
    const int C = s.in_c;
    const std::size_t row_floats = std::size_t(s.in_w) * C;
    const float* zero_row = detail::zeros(row_floats);

    // Interior output columns [lo, hi): every horizontal tap inside the input.
    const int pl = s.pad_left;
    const int lo = min_of(s.out_w, (pl + S - 1) / S);
    int hi = s.in_w - KW + pl >= 0 ? min_of(s.out_w, (s.in_w - KW + pl) / S + 1) : 0;
    hi = max_of(hi, lo);

    for (int oy = 0; oy < s.out_h; ++oy) {
        const float* rows[KH];
        for (int ky = 0; ky < KH; ++ky) {
            const int iy = oy * S - s.pad_top + ky;
            rows[ky] = iy >= 0 && iy < s.in_h ? in + std::size_t(iy) * row_floats : zero_row;
        }
        float* out_row = out + std::size_t(oy) * s.out_w * C;
        for (int c = 0; c < C; c += W) {
            const int c0 = min_of(c, C - W);
            V k[KH][KW];
#pragma GCC unroll 5
            for (int ky = 0; ky < KH; ++ky) {
#pragma GCC unroll 5
                for (int kx = 0; kx < KW; ++kx)
                    k[ky][kx] = V::load_unaligned(w + (ky * KW + kx) * C + c0);
            }
            const V b = bias ? V::load_unaligned(bias + c0) : V(0.0f);
            depthwise_border<Arch, KH, KW, S, A>(rows, C, c0, s.in_w, pl, 0, lo, k, b, out_row);
            depthwise_interior<Arch, KH, KW, S, A>(rows, C, c0, pl, lo, hi, k, b, out_row);
            depthwise_border<Arch, KH, KW, S, A>(rows, C, c0, s.in_w, pl, hi, s.out_w, k, b,
                                                 out_row);
        }
    }
}

template <class Arch>
void depthwise_conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
                      float* out, Activation act) {
    if (s.out_h <= 0 || s.out_w <= 0 || s.in_c <= 0) return;
    const bool fast = s.in_c >= kLanes<Arch> && s.stride_h == s.stride_w &&
                      (s.stride_h == 1 || s.stride_h == 2) && s.kernel_h == s.kernel_w &&
                      (s.kernel_h == 3 || s.kernel_h == 5);
    with_activation(act, [&](auto tag) {
        constexpr Activation A = decltype(tag)::value;
        if (!fast) {
            depthwise_generic<Arch, A>(s, in, weights, bias, out);
        } else if (s.kernel_h == 3) {
            if (s.stride_h == 1)
                depthwise_fixed<Arch, 3, 3, 1, A>(s, in, weights, bias, out);
            else
                depthwise_fixed<Arch, 3, 3, 2, A>(s, in, weights, bias, out);
        } else {
            if (s.stride_h == 1)
                depthwise_fixed<Arch, 5, 5, 1, A>(s, in, weights, bias, out);
            else
                depthwise_fixed<Arch, 5, 5, 2, A>(s, in, weights, bias, out);
        }
    });
}

}  // namespace
}  // namespace rv::kernels::simd
