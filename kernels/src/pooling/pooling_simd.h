// Global pooling over xsimd: [pixels][channels] -> [channels], vectorised over channels. Blocks of
// up to four channel registers are accumulated over all pixels (pixel order, like the reference).
#pragma once

#include "common/simd_common.h"

#include <cmath>

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

// Raises max(x, eps) to the power p; integer p in 1..4 by multiplication, else exp(p * log x).
enum class PowKind { One, Two, Three, Four, General };

template <PowKind P, class Arch>
inline vfloat<Arch> gem_power(const vfloat<Arch>& x, const vfloat<Arch>& p) {
    if constexpr (P == PowKind::One) {
        return x;
    } else if constexpr (P == PowKind::Two) {
        return x * x;
    } else if constexpr (P == PowKind::Three) {
        return x * x * x;
    } else if constexpr (P == PowKind::Four) {
        const vfloat<Arch> x2 = x * x;
        return x2 * x2;
    } else {
        return xsimd::exp(p * xsimd::log(x));
    }
}

// Sums f(x[p][c]) over pixels for channels [c0, c0 + n), n <= 4 * lanes, into sums[0..n).
// `Clamp` applies max(x, eps) before `P`.
template <class Arch, bool Clamp, PowKind P>
inline void channel_sums(const float* x, std::size_t pixels, std::size_t channels, std::size_t c0,
                         int n, float eps, float p, float* sums) {
    using V = vfloat<Arch>;
    constexpr int W = kLanes<Arch>;
    const V veps(eps), vp(p);
    const int regs = (n + W - 1) / W;
    V acc[4] = {V(0.0f), V(0.0f), V(0.0f), V(0.0f)};
    for (std::size_t q = 0; q < pixels; ++q) {
        const float* row = x + q * channels + c0;
        for (int r = 0; r < regs; ++r) {
            const int m = min_of(W, n - r * W);
            V v = m == W ? V::load_unaligned(row + r * W) : load_n<Arch>(row + r * W, m);
            if constexpr (Clamp) v = gem_power<P, Arch>(xsimd::max(v, veps), vp);
            acc[r] += v;
        }
    }
    for (int r = 0; r < regs; ++r) {
        const int m = min_of(W, n - r * W);
        if (m == W)
            acc[r].store_unaligned(sums + r * W);
        else
            store_n<Arch>(sums + r * W, acc[r], m);
    }
}

template <class Arch, bool Clamp, PowKind P>
void pool_sums(const float* x, std::size_t pixels, std::size_t channels, float eps, float p,
               float* y) {
    constexpr std::size_t block = 4 * kLanes<Arch>;
    for (std::size_t c0 = 0; c0 < channels; c0 += block) {
        const int n = int(min_of(block, channels - c0));
        channel_sums<Arch, Clamp, P>(x, pixels, channels, c0, n, eps, p, y + c0);
    }
}

template <class Arch>
void global_avg_pool(const float* x, float* y, std::size_t pixels, std::size_t channels) {
    pool_sums<Arch, false, PowKind::One>(x, pixels, channels, 0.0f, 1.0f, y);
    const float inv = pixels ? 1.0f / float(pixels) : 0.0f;
    for (std::size_t c = 0; c < channels; ++c) y[c] *= inv;
}

template <class Arch>
void gem_pool(const float* x, float* y, std::size_t pixels, std::size_t channels, float p) {
    const float eps = 1e-6f;
    if (p == 1.0f)
        pool_sums<Arch, true, PowKind::One>(x, pixels, channels, eps, p, y);
    else if (p == 2.0f)
        pool_sums<Arch, true, PowKind::Two>(x, pixels, channels, eps, p, y);
    else if (p == 3.0f)
        pool_sums<Arch, true, PowKind::Three>(x, pixels, channels, eps, p, y);
    else if (p == 4.0f)
        pool_sums<Arch, true, PowKind::Four>(x, pixels, channels, eps, p, y);
    else
        pool_sums<Arch, true, PowKind::General>(x, pixels, channels, eps, p, y);
    if (!pixels) {
        for (std::size_t c = 0; c < channels; ++c) y[c] = 0.0f;
        return;
    }
    const float inv = 1.0f / float(pixels), root = 1.0f / p;
    for (std::size_t c = 0; c < channels; ++c) y[c] = std::pow(y[c] * inv, root);
}

}  // namespace
}  // namespace rv::kernels::simd
