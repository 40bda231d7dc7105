// Scalar reference dense convolution: the textbook seven nested loops over NHWC input and HWIO
// weights, out-of-range taps skipped (they read zero).
#include "common/conv_taps.h"
#include "common/reference.h"

namespace rv::kernels::ref {

void conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
            float* out, Activation act) {
    for (int oy = 0; oy < s.out_h; ++oy) {
        for (int ox = 0; ox < s.out_w; ++ox) {
            for (int co = 0; co < s.out_c; ++co) {
                float acc = bias ? bias[co] : 0.0f;
                for_each_tap(s, oy, ox, [&](int ky, int kx, int iy, int ix) {
                    const float* px = in + (std::size_t(iy) * s.in_w + ix) * s.in_c;
                    const float* w = weights + ((std::size_t(ky) * s.kernel_w + kx) * s.in_c) * s.out_c + co;
                    for (int ci = 0; ci < s.in_c; ++ci) acc += px[ci] * w[std::size_t(ci) * s.out_c];
                });
                out[(std::size_t(oy) * s.out_w + ox) * s.out_c + co] = activate(acc, act);
            }
        }
    }
}

}  // namespace rv::kernels::ref
