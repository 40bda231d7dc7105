// The x86 int8 depthwise convolution, written once over the traits of int8_x86.h. Included only by
// src/dispatch/int8_<path>.cpp.
//
// 2L channels per step. Interior pixels pair two taps per pmaddwd, a row's run of them at a time
// (depthwise_interior_run).
// A channel tail (C not a multiple of 2L, C >= 2L) is one more full step ending at C: it overlaps
// the step before, whose channels it computes again to the same values (exact integer sums, each
// channel's own output rule) and writes again; outputs are plain writes, never read back. Only
// maps of fewer than 2L channels take the narrow path, through a zero-padded copy of each tap.
// Border pixels: inputs widened to int16 minus the zero point (-255..255)
// times the int16 weight (-128..127) fit int16 exactly (|product| <= 32640), sign-extended into two
// int32 accumulators of L lanes; taps outside the map are skipped: they would read the zero point
// and add (zp - zp) * w = 0, exactly as the reference does.
#pragma once

#include "common/scratch.h"
#include "int8/int8_out_x86.h"

#include <algorithm>

namespace rv::kernels::int8 {
namespace {

template <class T, bool Full, class Out, class Dst>
inline void depthwise_pixel(const ConvShape& s, const std::uint8_t* in, const std::int8_t* w,
                            typename T::I zp16, int ky0, int ky1, int kx0, int kx1, int iy0, int ix0,
                            int c0, int nc, const Out& out, Dst* dst) {
    using I = typename T::I;
    constexpr int kStep = 2 * T::L;
    const int C = s.in_c;
    I lo = T::izero(), hi = T::izero();
    for (int ky = ky0; ky < ky1; ++ky) {
        const std::uint8_t* row = in + std::size_t(iy0 + ky) * s.in_w * C + c0;  // input row
        const std::int8_t* wrow = w + std::size_t(ky) * s.kernel_w * C + c0;
        for (int kx = kx0; kx < kx1; ++kx) {
            const std::uint8_t* px = row + std::size_t(ix0 + kx) * C;  // ix0 + kx >= 0
            I x, k;
            if constexpr (Full) {
                x = T::u8x2L(px);
                k = T::s8x2L(wrow + std::size_t(kx) * C);
            } else {
                alignas(64) std::uint8_t xb[kStep] = {};
                alignas(64) std::int8_t kb[kStep] = {};
                std::memcpy(xb, px, std::size_t(nc));
                std::memcpy(kb, wrow + std::size_t(kx) * C, std::size_t(nc));
                x = T::u8x2L(xb);
                k = T::s8x2L(kb);
            }
            const I p = T::mullo16(T::sub16(x, zp16), k);
            lo = T::iadd(lo, T::lo32(p));
            hi = T::iadd(hi, T::hi32(p));
        }
    }
    const int nlo = nc < T::L ? nc : T::L;
    out.store(dst + c0, lo, out.channels(c0, nlo), nlo);
    if (nc > T::L) out.store(dst + c0 + T::L, hi, out.channels(c0 + T::L, nc - T::L), nc - T::L);
}

// Interior pixels (every tap inside the map), one chunk of 2L channels, along a run of `count`
// output pixels of a row: two taps per pmaddwd. Unsigned inputs (0..255) times int16 weights, two
// products per lane: |sum| <= 2 * 255 * 128, and sum (x - zp) * w = sum x * w - zp * sum w, with
// zp * sum w per channel precomputed (zw). wpair: the chunk's tap pairs, unpacklo16 / unpackhi16
// of the two taps' weights (a missing second tap is zero); window: the first pixel's first tap at
// channel c0, `next` bytes on to the next pixel's; rel: each tap's offset from it, in bytes.
// kTaps > 0: the kernel's taps known here (3x3, 5x5), so that the loop over taps unrolls and the
// chunk's weights stay in registers along the run; 0: `taps` at run time.
template <class T, int kTaps, class Out, class Dst>
inline void depthwise_interior_run(const std::uint8_t* window, std::size_t next, int count,
                                   const std::size_t* rel, int taps, const std::int16_t* wpair,
                                   const std::int32_t* zw, int c0, int C, const Out& out, Dst* dst) {
    using I = typename T::I;
    constexpr int kStep = 2 * T::L;
    const int n = kTaps > 0 ? kTaps : taps;
    const auto lo_channels = out.channels(c0, T::L), hi_channels = out.channels(c0 + T::L, T::L);
    const I zlo = T::iload(zw + c0), zhi = T::iload(zw + c0 + T::L);
    for (int i = 0; i < count; ++i, window += next, dst += C) {
        I a = T::izero(), b = T::izero();
        const std::int16_t* wp = wpair;
        int t = 0;
        for (; t + 1 < n; t += 2, wp += 2 * kStep) {
            const I x0 = T::u8x2L(window + rel[t]), x1 = T::u8x2L(window + rel[t + 1]);
            a = T::iadd(a, T::madd16(T::unpacklo16(x0, x1), T::iload(wp)));
            b = T::iadd(b, T::madd16(T::unpackhi16(x0, x1), T::iload(wp + kStep)));
        }
        if (t < n) {
            const I x0 = T::u8x2L(window + rel[t]), x1 = T::izero();
            a = T::iadd(a, T::madd16(T::unpacklo16(x0, x1), T::iload(wp)));
            b = T::iadd(b, T::madd16(T::unpackhi16(x0, x1), T::iload(wp + kStep)));
        }
        I lo, hi;
        T::channel_order(a, b, lo, hi);
        out.store(dst + c0, T::isub(lo, zlo), lo_channels, T::L);
        out.store(dst + c0 + T::L, T::isub(hi, zhi), hi_channels, T::L);
    }
}

template <class T, class Out, class Dst>
void depthwise_run(const ConvShape& s, const std::uint8_t* in, int zp, const std::int8_t* w,
                   const Out& out, Dst* y) {
    constexpr int kStep = 2 * T::L;
    constexpr int kMaxTaps = 64;
    const int C = s.in_c, taps = s.kernel_h * s.kernel_w, pairs = (taps + 1) / 2;
    // Full steps of 2L channels: chunks of them from channel 0, and one more ending at C when C
    // leaves a tail.
    const int chunks = C < kStep ? 0 : C / kStep + (C % kStep != 0 ? 1 : 0);
    const auto chunk_c0 = [&](int q) { return q * kStep + kStep <= C ? q * kStep : C - kStep; };
    const typename T::I zp16 = T::set1_16(zp);

    // The interior's paired weights (per chunk) and zero-point sums (per channel), in the
    // per-thread scratch.
    const bool paired = chunks > 0 && taps <= kMaxTaps;
    std::int16_t* wpair = nullptr;
    std::int32_t* zw = nullptr;
    std::size_t rel[kMaxTaps];
    if (paired) {
        const std::size_t pair_elems = std::size_t(chunks) * pairs * 2 * kStep;  // int16
        auto* base = reinterpret_cast<unsigned char*>(detail::scratch(
            detail::ScratchSlot::Int8W, (pair_elems * 2 + std::size_t(C) * 4) / 4 + 16));
        wpair = reinterpret_cast<std::int16_t*>(base);
        zw = reinterpret_cast<std::int32_t*>(base + pair_elems * 2);
        std::int16_t* wp = wpair;
        for (int q = 0; q < chunks; ++q)
            for (int t = 0; t < taps; t += 2, wp += 2 * kStep) {
                const std::int8_t* w0 = w + std::size_t(t) * C + chunk_c0(q);
                const typename T::I k0 = T::s8x2L(w0);
                const typename T::I k1 = t + 1 < taps ? T::s8x2L(w0 + C) : T::izero();
                T::istore(wp, T::unpacklo16(k0, k1));
                T::istore(wp + kStep, T::unpackhi16(k0, k1));
            }
        for (int c = 0; c < C; ++c) {
            std::int32_t sum = 0;
            for (int t = 0; t < taps; ++t) sum += w[std::size_t(t) * C + c];
            zw[c] = zp * sum;
        }
        for (int ky = 0; ky < s.kernel_h; ++ky)
            for (int kx = 0; kx < s.kernel_w; ++kx)
                rel[ky * s.kernel_w + kx] = (std::size_t(ky) * s.in_w + kx) * C;
    }

    // The output columns whose taps all lie inside the map's width: [ox_lo, ox_hi).
    const int ox_lo = std::min(s.out_w, (s.pad_left + s.stride_w - 1) / s.stride_w);
    const int last = s.in_w - s.kernel_w + s.pad_left;  // ox * stride_w may reach this
    const int ox_hi = std::max(ox_lo, last < 0 ? 0 : std::min(s.out_w, last / s.stride_w + 1));
    const auto interior = [&](const std::uint8_t* window, int count, Dst* dst) {
        const std::size_t next = std::size_t(s.stride_w) * C;
        for (int q = 0; q < chunks; ++q) {
            const int c0 = chunk_c0(q);
            const std::int16_t* wq = wpair + std::size_t(q) * pairs * 2 * kStep;
            if (taps == 9)
                depthwise_interior_run<T, 9>(window + c0, next, count, rel, taps, wq, zw, c0, C, out, dst);
            else if (taps == 25)
                depthwise_interior_run<T, 25>(window + c0, next, count, rel, taps, wq, zw, c0, C, out, dst);
            else
                depthwise_interior_run<T, 0>(window + c0, next, count, rel, taps, wq, zw, c0, C, out, dst);
        }
    };
    const auto border = [&](int iy0, int ky0, int ky1, int ox, Dst* dst) {
        const int ix0 = ox * s.stride_w - s.pad_left;
        const int kx0 = ix0 < 0 ? -ix0 : 0;
        const int kx1 = s.in_w - ix0 < s.kernel_w ? s.in_w - ix0 : s.kernel_w;
        if (chunks == 0)
            depthwise_pixel<T, false>(s, in, w, zp16, ky0, ky1, kx0, kx1, iy0, ix0, 0, C, out, dst);
        else
            for (int q = 0; q < chunks; ++q)
                depthwise_pixel<T, true>(s, in, w, zp16, ky0, ky1, kx0, kx1, iy0, ix0, chunk_c0(q), kStep,
                                         out, dst);
    };

    for (int oy = 0; oy < s.out_h; ++oy) {
        const int iy0 = oy * s.stride_h - s.pad_top;
        const int ky0 = iy0 < 0 ? -iy0 : 0;
        const int ky1 = s.in_h - iy0 < s.kernel_h ? s.in_h - iy0 : s.kernel_h;
        Dst* row = y + std::size_t(oy) * s.out_w * C;
        if (paired && ky0 == 0 && ky1 == s.kernel_h && ox_lo < ox_hi) {
            for (int ox = 0; ox < ox_lo; ++ox) border(iy0, ky0, ky1, ox, row + std::size_t(ox) * C);
            const int ix0 = ox_lo * s.stride_w - s.pad_left;
            interior(in + (std::size_t(iy0) * s.in_w + ix0) * C, ox_hi - ox_lo, row + std::size_t(ox_lo) * C);
            for (int ox = ox_hi; ox < s.out_w; ++ox) border(iy0, ky0, ky1, ox, row + std::size_t(ox) * C);
        } else {
            for (int ox = 0; ox < s.out_w; ++ox) border(iy0, ky0, ky1, ox, row + std::size_t(ox) * C);
        }
    }
}

template <class T>
void depthwise_f32(const ConvShape& s, const std::uint8_t* in, int zp, const std::int8_t* w,
                   const Int8ToF32& out, float* y) {
    depthwise_run<T>(s, in, zp, w, OutF32<T>{out}, y);
}

template <class T>
void depthwise_u8(const ConvShape& s, const std::uint8_t* in, int zp, const std::int8_t* w,
                  const Int8ToU8& out, std::uint8_t* y) {
    depthwise_run<T>(s, in, zp, w, OutU8<T>{out}, y);
}

}  // namespace
}  // namespace rv::kernels::int8
