// The kernel taps of one convolution output pixel, shared by the dense and depthwise kernels
// (reference and SIMD), so the padding geometry is written once.
#pragma once

#include "ruvision/kernels/kernels.h"

namespace rv::kernels {
namespace {  // internal linkage: each ISA's object gets its own copy (see simd_common.h)

// Calls f(ky, kx, iy, ix) for every tap (ky, kx) of output pixel (oy, ox) whose input pixel
// (iy, ix) lies inside the input; taps on the padding read zero, so they are skipped.
template <class F>
inline void for_each_tap(const ConvShape& s, int oy, int ox, F&& f) {
    for (int ky = 0; ky < s.kernel_h; ++ky) {
        const int iy = oy * s.stride_h - s.pad_top + ky;
        if (iy < 0 || iy >= s.in_h) continue;
        for (int kx = 0; kx < s.kernel_w; ++kx) {
            const int ix = ox * s.stride_w - s.pad_left + kx;
            if (ix < 0 || ix >= s.in_w) continue;
            f(ky, kx, iy, ix);
        }
    }
}

}  // namespace
}  // namespace rv::kernels
