// Scalar reference depthwise convolution (channel multiplier 1): NHWC input, [KH][KW][C] weights,
// out-of-range taps skipped (they read zero).
#include "common/reference.h"

namespace rv::kernels::ref {

void depthwise_conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
                      float* out, Activation act) {
    const int C = s.in_c;
    for (int oy = 0; oy < s.out_h; ++oy) {
        for (int ox = 0; ox < s.out_w; ++ox) {
            for (int c = 0; c < C; ++c) {
                float acc = bias ? bias[c] : 0.0f;
                for (int ky = 0; ky < s.kernel_h; ++ky) {
                    const int iy = oy * s.stride_h - s.pad_top + ky;
                    if (iy < 0 || iy >= s.in_h) continue;
                    for (int kx = 0; kx < s.kernel_w; ++kx) {
                        const int ix = ox * s.stride_w - s.pad_left + kx;
                        if (ix < 0 || ix >= s.in_w) continue;
                        acc += in[(std::size_t(iy) * s.in_w + ix) * C + c] *
                               weights[(std::size_t(ky) * s.kernel_w + kx) * C + c];
                    }
                }
                out[(std::size_t(oy) * s.out_w + ox) * C + c] = activate(acc, act);
            }
        }
    }
}

}  // namespace rv::kernels::ref
