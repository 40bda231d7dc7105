// MaxPool: H x W x C -> H' x W' x C, the largest tap of each kernel window per channel. Its geometry
// (kernel, stride, "same" or explicit pads) is a convolution's; padded taps are ignored (as if
// -inf, ONNX's rule), so every window must hold a real pixel: pads are smaller than the kernel.
// A plain loop: pooling is rare in the backbones (one layer, after the last block).
#include <algorithm>
#include <limits>

#include "nn/ops/OpDef.h"

namespace rv::nn {

Status check_pool_window(const Node& n, const TensorShapes&) {
    if (n.kernel_h < 1 || n.kernel_w < 1 || n.stride_h < 1 || n.stride_w < 1 || n.kernel_h > kMaxKernel ||
        n.kernel_w > kMaxKernel || n.stride_h > kMaxStride || n.stride_w > kMaxStride || n.pad_top < 0 ||
        n.pad_left < 0 || n.pad_bottom < 0 || n.pad_right < 0 || n.pad_top >= n.kernel_h ||
        n.pad_bottom >= n.kernel_h || n.pad_left >= n.kernel_w || n.pad_right >= n.kernel_w)
        return Error{"node " + n.name + ": invalid pooling geometry (pads must be smaller than the kernel)"};
    return Status::success();
}

Result<MapShape> pool_window_shape(const Node& n, const std::vector<const MapShape*>& ins, const MapShape& image,
                                   const TensorShapes&) {
    return window_shape(n, *ins[0], image);
}

namespace {

void run(const Node& n, const RunArgs& a) {
    const MapShape& in = *a.in_shapes[0];
    const MapShape& s = a.out_shape;
    const int c = s.c;
    for (int oy = 0; oy < s.h; ++oy)
        for (int ox = 0; ox < s.w; ++ox) {
            float* o = a.out + (static_cast<std::size_t>(oy) * s.w + ox) * c;
            std::fill(o, o + c, -std::numeric_limits<float>::infinity());
            const int y0 = oy * n.stride_h - s.pad_top, x0 = ox * n.stride_w - s.pad_left;
            for (int y = std::max(y0, 0); y < std::min(y0 + n.kernel_h, in.h); ++y)
                for (int x = std::max(x0, 0); x < std::min(x0 + n.kernel_w, in.w); ++x) {
                    const float* p = a.in[0] + (static_cast<std::size_t>(y) * in.w + x) * c;
                    for (int k = 0; k < c; ++k) o[k] = std::max(o[k], p[k]);
                }
        }
}

}  // namespace

const OpDef& max_pool_op() {
    static const OpDef def{.type = OpType::MaxPool, .name = "max_pool", .arity = 1, .write = write_window, .read = read_window,
                           .check = check_pool_window, .shape = pool_window_shape, .run = run,
                           .fold_scale = fold_scale_passes};
    return def;
}

}  // namespace rv::nn
