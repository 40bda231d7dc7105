// Vector kernels over xsimd: dot product and L2 normalisation.
#pragma once

#include "common/simd_common.h"

#include <cfloat>
#include <cmath>

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

// Four independent accumulators hide the FMA latency; the tail is a masked load (zeros beyond n).
template <class Arch>
float dot(const float* a, const float* b, std::size_t n) {
    using V = vfloat<Arch>;
    constexpr std::size_t W = kLanes<Arch>;
    V s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
    std::size_t i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        s0 = madd(V::load_unaligned(a + i), V::load_unaligned(b + i), s0);
        s1 = madd(V::load_unaligned(a + i + W), V::load_unaligned(b + i + W), s1);
        s2 = madd(V::load_unaligned(a + i + 2 * W), V::load_unaligned(b + i + 2 * W), s2);
        s3 = madd(V::load_unaligned(a + i + 3 * W), V::load_unaligned(b + i + 3 * W), s3);
    }
    for (; i + W <= n; i += W) s0 = madd(V::load_unaligned(a + i), V::load_unaligned(b + i), s0);
    if (i < n) s1 = madd(load_n<Arch>(a + i, int(n - i)), load_n<Arch>(b + i, int(n - i)), s1);
    return reduce_add<Arch>((s0 + s1) + (s2 + s3));
}

template <class Arch>
void l2_normalize(float* x, std::size_t n) {
    using V = vfloat<Arch>;
    constexpr std::size_t W = kLanes<Arch>;
    const float sum = dot<Arch>(x, x, n);
    float inv;
    if (sum >= FLT_MIN && sum <= FLT_MAX) {
        inv = 1.0f / std::sqrt(sum);
    } else {
        // Squares underflowed or overflowed in float (or x holds NaN): redo the sum in double.
        double wide = 0.0;
        for (std::size_t i = 0; i < n; ++i) wide += double(x[i]) * double(x[i]);
        if (!(wide > 0.0)) return;  // zero vector (or NaN) stays as it is
        inv = float(1.0 / std::sqrt(wide));
        if (!(inv <= FLT_MAX)) {
            // 1/norm itself overflows float: divide instead.
            for (std::size_t i = 0; i < n; ++i) x[i] = float(double(x[i]) / std::sqrt(wide));
            return;
        }
    }
    const V v(inv);
    std::size_t i = 0;
    for (; i + W <= n; i += W) (V::load_unaligned(x + i) * v).store_unaligned(x + i);
    if (i < n) store_n<Arch>(x + i, load_n<Arch>(x + i, int(n - i)) * v, int(n - i));
}

}  // namespace
}  // namespace rv::kernels::simd
