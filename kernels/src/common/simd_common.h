// Shared building blocks of the xsimd kernels, written once over the xsimd architecture `Arch`.
//
// Only the per-ISA sources (src/dispatch/table_<isa>.cpp) may include this header or any
// <family>_simd.h: they are compiled with that ISA's flags.
//
// The multi-ISA ODR trap: an inline function or template instance that two sources both emit (a
// weak symbol) is merged by the linker into one copy, possibly the AVX-512 one, which a baseline
// CPU then executes. Hence: (1) everything these headers define lives in an unnamed namespace;
// (2) the kernels are instantiated with LocalArch<xsimd arch>, a type with internal linkage, so
// every xsimd template instantiated with it is private to its source too; (3) the per-ISA sources
// are always optimised (kernels/CMakeLists.txt), because at -O0 they would still emit shared
// copies of scalar helpers such as std::sqrt(float) or xsimd's constants. The test
// kernels_isa_symbols checks with nm that a per-ISA object exports only its table function.
#pragma once

#if !defined(RUVISION_KERNELS_ISA_SOURCE)
#error "SIMD kernel templates may only be included by src/dispatch/table_<isa>.cpp"
#endif

#include "ruvision/kernels/kernels.h"

#include <xsimd/xsimd.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace rv::kernels::simd {
namespace {  // internal linkage, see above

// An xsimd architecture under a name private to this source (see above). xsimd picks kernels by
// overload on the architecture's base classes, so LocalArch<B> behaves exactly like B.
template <class Base>
struct LocalArch : Base {};

}  // namespace
}  // namespace rv::kernels::simd

namespace xsimd::types {
template <class T, class Base>
struct simd_register<T, rv::kernels::simd::LocalArch<Base>> : simd_register<T, Base> {
    using register_type = typename simd_register<T, Base>::register_type;
    simd_register(register_type reg) noexcept : simd_register<T, Base>{reg} {}
    simd_register() = default;
};
template <class T, class Base>
struct has_simd_register<T, rv::kernels::simd::LocalArch<Base>> : has_simd_register<T, Base> {};
template <class T, class Base>
struct get_bool_simd_register<T, rv::kernels::simd::LocalArch<Base>> {
    using type = typename get_bool_simd_register<T, Base>::type;
};
}  // namespace xsimd::types

#if XSIMD_WITH_NEON64
// xsimd 8.1's neon64 broadcast of a non-double lane type forwards to broadcast<neon64>(val, neon{}),
// naming neon64 where it means its own architecture A: the batch<T, neon64> that comes back does
// not convert to batch<T, LocalArch<neon64>>, so `batch<T, LocalArch<neon64>>(scalar)` (every
// V(0.0f) in the kernels, and the integer batches inside xsimd's exp and log) did not compile.
// These explicit specialisations of that template, one per lane type, call the neon kernel with
// A itself; they name LocalArch, so like everything here they stay private to table_neon.cpp.
namespace xsimd::kernel {
#define RUVISION_NEON64_BROADCAST(T)                                                               \
    template <>                                                                                    \
    inline batch<T, rv::kernels::simd::LocalArch<neon64>>                                          \
    broadcast<rv::kernels::simd::LocalArch<neon64>, T>(T val, requires_arch<neon64>) noexcept {    \
        return broadcast<rv::kernels::simd::LocalArch<neon64>>(val, neon{});                       \
    }
RUVISION_NEON64_BROADCAST(float)
RUVISION_NEON64_BROADCAST(std::int8_t)
RUVISION_NEON64_BROADCAST(std::uint8_t)
RUVISION_NEON64_BROADCAST(std::int16_t)
RUVISION_NEON64_BROADCAST(std::uint16_t)
RUVISION_NEON64_BROADCAST(std::int32_t)
RUVISION_NEON64_BROADCAST(std::uint32_t)
RUVISION_NEON64_BROADCAST(std::int64_t)
RUVISION_NEON64_BROADCAST(std::uint64_t)
#undef RUVISION_NEON64_BROADCAST
}  // namespace xsimd::kernel
#endif

namespace rv::kernels::simd {
namespace {  // internal linkage, see above

template <class Arch>
using vfloat = xsimd::batch<float, Arch>;

// Floats per register.
template <class Arch>
inline constexpr int kLanes = int(vfloat<Arch>::size);

template <class Arch>
inline constexpr bool kIsAvx512 = std::is_base_of_v<xsimd::avx512f, Arch>;
template <class Arch>
inline constexpr bool kIsAvx2 = std::is_base_of_v<xsimd::avx2, Arch>;
template <class Arch>
inline constexpr bool kIsNeon = std::is_base_of_v<xsimd::neon, Arch>;

template <class T>
constexpr T min_of(T a, T b) {
    return b < a ? b : a;
}
template <class T>
constexpr T max_of(T a, T b) {
    return a < b ? b : a;
}

// a * b + c, one fused instruction where the ISA has FMA. (xsimd 8.1 has no fma kernel for
// avx512f and falls back to a*b+c, which only some compilers contract.)
template <class Arch>
inline vfloat<Arch> madd(const vfloat<Arch>& a, const vfloat<Arch>& b, const vfloat<Arch>& c) {
#if XSIMD_WITH_AVX512F
    if constexpr (kIsAvx512<Arch>) return vfloat<Arch>(_mm512_fmadd_ps(a, b, c));
#endif
    return xsimd::fma(a, b, c);
}

// Loads p[0..n), 0 < n <= lanes; the other lanes are zero. Reads no memory beyond p + n.
template <class Arch>
inline vfloat<Arch> load_n(const float* p, int n) {
#if XSIMD_WITH_AVX512F
    if constexpr (kIsAvx512<Arch>) {
        return vfloat<Arch>(_mm512_maskz_loadu_ps(__mmask16((1u << n) - 1u), p));
    }
#endif
#if XSIMD_WITH_AVX2
    if constexpr (kIsAvx2<Arch>) {
        const __m256i mask =
            _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        return vfloat<Arch>(_mm256_maskload_ps(p, mask));
    }
#endif
    alignas(64) float buf[kLanes<Arch>] = {};
    for (int i = 0; i < n; ++i) buf[i] = p[i];
    return vfloat<Arch>::load_aligned(buf);
}

// Stores the first n lanes of v to p[0..n), 0 < n <= lanes. Writes no memory beyond p + n.
template <class Arch>
inline void store_n(float* p, const vfloat<Arch>& v, int n) {
#if XSIMD_WITH_AVX512F
    if constexpr (kIsAvx512<Arch>) {
        _mm512_mask_storeu_ps(p, __mmask16((1u << n) - 1u), v);
        return;
    }
#endif
#if XSIMD_WITH_AVX2
    if constexpr (kIsAvx2<Arch>) {
        const __m256i mask =
            _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        _mm256_maskstore_ps(p, mask, v);
        return;
    }
#endif
    alignas(64) float buf[kLanes<Arch>];
    v.store_aligned(buf);
    for (int i = 0; i < n; ++i) p[i] = buf[i];
}

// Sum of all lanes. (xsimd 8.1's avx512f hadd goes through batch<float, avx2>, an instance shared
// with the AVX2 source; the intrinsic keeps it private.)
template <class Arch>
inline float reduce_add(const vfloat<Arch>& v) {
#if XSIMD_WITH_AVX512F
    if constexpr (kIsAvx512<Arch>) return _mm512_reduce_add_ps(v);
#endif
    return xsimd::hadd(v);
}

template <Activation A>
using ActTag = std::integral_constant<Activation, A>;

// The activation as a compile-time choice, for use inside hot loops.
template <Activation A, class Arch>
inline vfloat<Arch> apply(const vfloat<Arch>& x) {
    using V = vfloat<Arch>;
    if constexpr (A == Activation::Relu) {
        return xsimd::max(x, V(0.0f));
    } else if constexpr (A == Activation::Relu6) {
        return xsimd::min(xsimd::max(x, V(0.0f)), V(6.0f));
    } else if constexpr (A == Activation::HardSwish) {
        return x * (xsimd::min(xsimd::max(x + V(3.0f), V(0.0f)), V(6.0f)) * V(1.0f / 6.0f));
    } else if constexpr (A == Activation::HardSigmoid) {
        return xsimd::min(xsimd::max(x + V(3.0f), V(0.0f)), V(6.0f)) * V(1.0f / 6.0f);
    } else if constexpr (A == Activation::Sigmoid) {
        return V(1.0f) / (V(1.0f) + xsimd::exp(-x));
    } else if constexpr (A == Activation::Swish) {
        return x / (V(1.0f) + xsimd::exp(-x));
    } else {
        return x;
    }
}

// Calls f(ActTag<act>{}) so that a loop can be instantiated once per activation and test none.
template <class F>
inline void with_activation(Activation act, F&& f) {
    switch (act) {
    case Activation::Relu: f(ActTag<Activation::Relu>{}); return;
    case Activation::Relu6: f(ActTag<Activation::Relu6>{}); return;
    case Activation::HardSwish: f(ActTag<Activation::HardSwish>{}); return;
    case Activation::HardSigmoid: f(ActTag<Activation::HardSigmoid>{}); return;
    case Activation::Sigmoid: f(ActTag<Activation::Sigmoid>{}); return;
    case Activation::Swish: f(ActTag<Activation::Swish>{}); return;
    case Activation::None: break;
    }
    f(ActTag<Activation::None>{});
}

}  // namespace
}  // namespace rv::kernels::simd
