// The x86 element-wise int8 kernels (quantize, quantize_channels, dequantize, add_u8,
// global_avg_pool_u8, scale_channels_u8), written once over the traits of int8_x86.h, L values per step with the tail
// through a stack copy. Same float operations in the same order as the scalar reference (no FMA:
// the int8 sources build with -ffp-contract=off), so uint8 results are bit-exact. Included only by
// src/dispatch/int8_<path>.cpp.
#pragma once

#include "int8/int8_x86.h"
#include "ruvision/kernels/int8.h"

#include <cstring>

namespace rv::kernels::int8 {
namespace {

// Calls f(offset, count) over [0, n) in steps of L; count < L only for the last step.
template <class T, class F>
inline void for_blocks(std::size_t n, F&& f) {
    std::size_t i = 0;
    for (; i + T::L <= n; i += T::L) f(i, T::L);
    if (i < n) f(i, int(n - i));
}

template <class T>
inline typename T::F load_f(const float* p, int nv) {
    if (nv == T::L) return T::fload(p);
    alignas(64) float b[T::L] = {};
    std::memcpy(b, p, sizeof(float) * std::size_t(nv));
    return T::fload(b);
}
template <class T>
inline void store_f(float* p, typename T::F v, int nv) {
    if (nv == T::L) return T::fstore(p, v);
    alignas(64) float b[T::L];
    T::fstore(b, v);
    std::memcpy(p, b, sizeof(float) * std::size_t(nv));
}
template <class T>
inline typename T::I load_u8(const std::uint8_t* p, int nv) {
    if (nv == T::L) return T::load_u8(p);
    alignas(64) std::uint8_t b[T::L] = {};
    std::memcpy(b, p, std::size_t(nv));
    return T::load_u8(b);
}
template <class T>
inline void store_u8(std::uint8_t* p, typename T::I v, int nv) {
    if (nv == T::L) return T::store_u8(p, v);
    alignas(64) std::uint8_t b[T::L];
    T::store_u8(b, v);
    std::memcpy(p, b, std::size_t(nv));
}

// zp + round_half_even(clamp(v, lo, hi)), lo/hi already relative to zp.
template <class T>
inline typename T::I requant(typename T::F v, typename T::F lo, typename T::F hi, typename T::I zp) {
    return T::iadd(T::round(T::fmin(T::fmax(v, lo), hi)), zp);
}

template <class T>
void quantize(const float* x, std::uint8_t* y, std::size_t n, QuantParams q) {
    const typename T::F inv = T::fset1(1.0f / q.scale);
    const typename T::F lo = T::fset1(float(-q.zero_point)), hi = T::fset1(float(255 - q.zero_point));
    const typename T::I zp = T::iset1(q.zero_point);
    for_blocks<T>(n, [&](std::size_t i, int nv) {
        // fmax(v, lo) returns lo when v is NaN, as the reference does.
        store_u8<T>(y + i, requant<T>(T::fmul(load_f<T>(x + i, nv), inv), lo, hi, zp), nv);
    });
}

template <class T>
void quantize_channels(const float* x, std::uint8_t* y, std::size_t pixels, std::size_t channels,
                       const float* inv_scale, int zero_point) {
    const typename T::F lo = T::fset1(float(-zero_point)), hi = T::fset1(float(255 - zero_point));
    const typename T::I zp = T::iset1(zero_point);
    for (std::size_t p = 0; p < pixels; ++p) {
        const float* xp = x + p * channels;
        std::uint8_t* yp = y + p * channels;
        for_blocks<T>(channels, [&](std::size_t c, int nv) {
            const typename T::F v = T::fmul(load_f<T>(xp + c, nv), load_f<T>(inv_scale + c, nv));
            store_u8<T>(yp + c, requant<T>(v, lo, hi, zp), nv);
        });
    }
}

template <class T>
void dequantize(const std::uint8_t* x, float* y, std::size_t n, QuantParams q) {
    const typename T::I zp = T::iset1(q.zero_point);
    const typename T::F s = T::fset1(q.scale);
    for_blocks<T>(n, [&](std::size_t i, int nv) {
        store_f<T>(y + i, T::fmul(T::cvt(T::isub(load_u8<T>(x + i, nv), zp)), s), nv);
    });
}

template <class T>
void add_u8(const std::uint8_t* a, QuantParams qa, const std::uint8_t* b, QuantParams qb,
            std::uint8_t* y, QuantParams qy, std::uint8_t min, std::uint8_t max, std::size_t n) {
    const typename T::F ma = T::fset1(qa.scale / qy.scale), mb = T::fset1(qb.scale / qy.scale);
    const typename T::I za = T::iset1(qa.zero_point), zb = T::iset1(qb.zero_point);
    const typename T::I zy = T::iset1(qy.zero_point);
    const typename T::F lo = T::fset1(float(int(min) - qy.zero_point));
    const typename T::F hi = T::fset1(float(int(max) - qy.zero_point));
    for_blocks<T>(n, [&](std::size_t i, int nv) {
        const typename T::F pa = T::fmul(T::cvt(T::isub(load_u8<T>(a + i, nv), za)), ma);
        const typename T::F pb = T::fmul(T::cvt(T::isub(load_u8<T>(b + i, nv), zb)), mb);
        store_u8<T>(y + i, requant<T>(T::fadd(pa, pb), lo, hi, zy), nv);
    });
}

template <class T>
void global_avg_pool_u8(const std::uint8_t* x, QuantParams q, float* y, std::size_t pixels,
                        std::size_t channels) {
    if (pixels == 0) {
        for_blocks<T>(channels, [&](std::size_t c, int nv) { store_f<T>(y + c, T::fset1(0.0f), nv); });
        return;
    }
    const typename T::I off = T::iset1(std::int32_t(pixels) * q.zero_point);
    const typename T::F m = T::fset1(q.scale / float(pixels));
    for_blocks<T>(channels, [&](std::size_t c, int nv) {
        typename T::I sum = T::izero();
        for (std::size_t p = 0; p < pixels; ++p) sum = T::iadd(sum, load_u8<T>(x + p * channels + c, nv));
        store_f<T>(y + c, T::fmul(T::cvt(T::isub(sum, off)), m), nv);
    });
}

template <class T>
void scale_channels_u8(const std::uint8_t* x, int xz, const float* mult, std::uint8_t* y, int yz,
                       std::size_t pixels, std::size_t channels) {
    const typename T::I zx = T::iset1(xz), zy = T::iset1(yz);
    const typename T::F lo = T::fset1(float(-yz)), hi = T::fset1(float(255 - yz));
    for (std::size_t p = 0; p < pixels; ++p) {
        const std::uint8_t* xp = x + p * channels;
        std::uint8_t* yp = y + p * channels;
        for_blocks<T>(channels, [&](std::size_t c, int nv) {
            const typename T::F v = T::fmul(T::cvt(T::isub(load_u8<T>(xp + c, nv), zx)), load_f<T>(mult + c, nv));
            store_u8<T>(yp + c, requant<T>(v, lo, hi, zy), nv);
        });
    }
}

}  // namespace
}  // namespace rv::kernels::int8
