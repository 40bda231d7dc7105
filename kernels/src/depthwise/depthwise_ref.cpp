// Scalar reference depthwise convolution (channel multiplier 1): NHWC input, [KH][KW][C] weights,
// out-of-range taps skipped (they read zero).
#include "common/conv_taps.h"
#include "common/reference.h"

namespace rv::kernels::ref {

void depthwise_conv2d(const ConvShape& s, const float* in, const float* weights, const float* bias,
                      float* out, Activation act) {
    const int C = s.in_c;
    for (int oy = 0; oy < s.out_h; ++oy) {
        for (int ox = 0; ox < s.out_w; ++ox) {
            for (int c = 0; c < C; ++c) {
                float acc = bias ? bias[c] : 0.0f;
                for_each_tap(s, oy, ox, [&](int ky, int kx, int iy, int ix) {
                    acc += in[(std::size_t(iy) * s.in_w + ix) * C + c] *
                           weights[(std::size_t(ky) * s.kernel_w + kx) * C + c];
                });
                out[(std::size_t(oy) * s.out_w + ox) * C + c] = activate(acc, act);
            }
        }
    }
}

}  // namespace rv::kernels::ref
