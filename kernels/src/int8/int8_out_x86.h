// Int32 accumulators -> outputs, L channels at a time, for the x86 int8 kernels (the rules of
// ruvision/kernels/int8.h: Int8ToF32 / Int8ToU8). Written over the traits of int8_x86.h; included
// only by src/dispatch/int8_<path>.cpp (internal linkage, see common/simd_common.h).
#pragma once

#include "int8/int8_x86.h"
#include "ruvision/kernels/int8.h"

#include <cmath>
#include <cstring>

namespace rv::kernels::int8 {
namespace {

template <class T>
inline typename T::F activate_f(typename T::F x, Activation act) {
    using F = typename T::F;
    const F zero = T::fset1(0.0f), six = T::fset1(6.0f);
    switch (act) {
    case Activation::None: return x;
    case Activation::Relu: return T::fmax(x, zero);
    case Activation::Relu6: return T::fmin(T::fmax(x, zero), six);
    case Activation::HardSwish:
        return T::fmul(x, T::fmul(T::fmin(T::fmax(T::fadd(x, T::fset1(3.0f)), zero), six),
                                  T::fset1(1.0f / 6.0f)));
    case Activation::HardSigmoid:
        return T::fmul(T::fmin(T::fmax(T::fadd(x, T::fset1(3.0f)), zero), six),
                       T::fset1(1.0f / 6.0f));
    case Activation::Sigmoid:
    case Activation::Swish: {
        // Lane by lane with the reference's formula (common/reference.h, not called: an inline
        // function emitted here with ISA flags could be handed to baseline callers): correct, not
        // fast. The int8 network keeps convolutions with these activations in float.
        constexpr int lanes = sizeof(F) / sizeof(float);
        alignas(64) float v[lanes];
        T::fstore(v, x);
        for (float& e : v) e = (act == Activation::Swish ? e : 1.0f) / (1.0f + std::exp(-e));
        return T::fload(v);
    }
    }
    return x;
}

// Per-channel bias and scale of L channels starting at n; nv < L reads only nv of them.
template <class T>
struct ChannelBlock {
    typename T::I bias;
    typename T::F scale;
};

template <class T>
inline ChannelBlock<T> load_channels(const std::int32_t* bias, const float* scale, int n, int nv) {
    if (nv == T::L) {
        return {bias ? T::iload(bias + n) : T::izero(), T::fload(scale + n)};
    }
    alignas(64) std::int32_t b[T::L] = {};
    alignas(64) float s[T::L] = {};
    if (bias) std::memcpy(b, bias + n, sizeof(std::int32_t) * std::size_t(nv));
    std::memcpy(s, scale + n, sizeof(float) * std::size_t(nv));
    return {T::iload(b), T::fload(s)};
}

// Float output: y = act(float(acc + bias) * scale).
template <class T>
struct OutF32 {
    const Int8ToF32& p;

    ChannelBlock<T> channels(int n, int nv) const { return load_channels<T>(p.bias, p.scale, n, nv); }

    // Writes nv (<= L) outputs at dst.
    void store(float* dst, typename T::I acc, const ChannelBlock<T>& c, int nv) const {
        const typename T::F y =
            activate_f<T>(T::fmul(T::cvt(T::iadd(acc, c.bias)), c.scale), p.act);
        if (nv == T::L) {
            T::fstore(dst, y);
        } else {
            alignas(64) float buf[T::L];
            T::fstore(buf, y);
            std::memcpy(dst, buf, sizeof(float) * std::size_t(nv));
        }
    }
};

// Uint8 output: y = zp + round_half_even(clamp(float(acc + bias) * scale, min - zp, max - zp)).
template <class T>
struct OutU8 {
    const Int8ToU8& p;
    typename T::F lo = T::fset1(float(int(p.min) - p.zero_point));
    typename T::F hi = T::fset1(float(int(p.max) - p.zero_point));
    typename T::I zp = T::iset1(p.zero_point);

    ChannelBlock<T> channels(int n, int nv) const { return load_channels<T>(p.bias, p.scale, n, nv); }

    void store(std::uint8_t* dst, typename T::I acc, const ChannelBlock<T>& c, int nv) const {
        typename T::F y = T::fmul(T::cvt(T::iadd(acc, c.bias)), c.scale);
        y = T::fmin(T::fmax(y, lo), hi);
        const typename T::I q = T::iadd(T::round(y), zp);
        if (nv == T::L) {
            T::store_u8(dst, q);
        } else {
            alignas(64) std::uint8_t buf[T::L];
            T::store_u8(buf, q);
            std::memcpy(dst, buf, std::size_t(nv));
        }
    }
};

}  // namespace
}  // namespace rv::kernels::int8
