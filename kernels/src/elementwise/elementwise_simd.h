// Element-wise kernels over xsimd. Each output register depends only on the input registers at the
// same offset and the tail uses masked loads/stores, so y may alias x, a or b.
#pragma once

#include "common/simd_common.h"

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

template <class Arch>
void activate(const float* x, float* y, std::size_t n, Activation act) {
    using V = vfloat<Arch>;
    constexpr std::size_t W = kLanes<Arch>;
    with_activation(act, [&](auto tag) {
        constexpr Activation A = decltype(tag)::value;
        std::size_t i = 0;
        for (; i + 4 * W <= n; i += 4 * W) {
            const V v0 = V::load_unaligned(x + i), v1 = V::load_unaligned(x + i + W);
            const V v2 = V::load_unaligned(x + i + 2 * W), v3 = V::load_unaligned(x + i + 3 * W);
            apply<A, Arch>(v0).store_unaligned(y + i);
            apply<A, Arch>(v1).store_unaligned(y + i + W);
            apply<A, Arch>(v2).store_unaligned(y + i + 2 * W);
            apply<A, Arch>(v3).store_unaligned(y + i + 3 * W);
        }
        for (; i + W <= n; i += W) apply<A, Arch>(V::load_unaligned(x + i)).store_unaligned(y + i);
        if (i < n)
            store_n<Arch>(y + i, apply<A, Arch>(load_n<Arch>(x + i, int(n - i))), int(n - i));
    });
}

template <class Arch>
void add(const float* a, const float* b, float* y, std::size_t n, Activation act) {
    using V = vfloat<Arch>;
    constexpr std::size_t W = kLanes<Arch>;
    with_activation(act, [&](auto tag) {
        constexpr Activation A = decltype(tag)::value;
        std::size_t i = 0;
        for (; i + 2 * W <= n; i += 2 * W) {
            const V s0 = V::load_unaligned(a + i) + V::load_unaligned(b + i);
            const V s1 = V::load_unaligned(a + i + W) + V::load_unaligned(b + i + W);
            apply<A, Arch>(s0).store_unaligned(y + i);
            apply<A, Arch>(s1).store_unaligned(y + i + W);
        }
        for (; i + W <= n; i += W) {
            apply<A, Arch>(V::load_unaligned(a + i) + V::load_unaligned(b + i))
                .store_unaligned(y + i);
        }
        if (i < n) {
            const int r = int(n - i);
            store_n<Arch>(y + i, apply<A, Arch>(load_n<Arch>(a + i, r) + load_n<Arch>(b + i, r)),
                          r);
        }
    });
}

template <class Arch>
void scale_channels(const float* x, const float* scale, float* y, std::size_t pixels,
                    std::size_t channels) {
    using V = vfloat<Arch>;
    constexpr std::size_t W = kLanes<Arch>;
    const std::size_t full = channels / W * W;
    const int rest = int(channels - full);
    for (std::size_t p = 0; p < pixels; ++p) {
        const float* xp = x + p * channels;
        float* yp = y + p * channels;
        for (std::size_t c = 0; c < full; c += W) {
            (V::load_unaligned(xp + c) * V::load_unaligned(scale + c)).store_unaligned(yp + c);
        }
        if (rest)
            store_n<Arch>(yp + full,
                          load_n<Arch>(xp + full, rest) * load_n<Arch>(scale + full, rest), rest);
    }
}

}  // namespace
}  // namespace rv::kernels::simd
