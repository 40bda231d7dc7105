// MaxPool: H x W x C -> H' x W' x C, the largest tap of each kernel window per channel. Its geometry
// (kernel, stride, "same" or explicit pads) is a convolution's; padded taps are ignored (as if
// -inf, ONNX's rule), so every window must hold a real pixel: pads are smaller than the kernel.
// A plain loop: pooling is rare in the backbones (one layer, after the last block).
#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

void write(const Node& n, nlohmann::json& j) {
    j["kernel"] = {n.kernel_h, n.kernel_w};
    j["stride"] = {n.stride_h, n.stride_w};
    if (n.padding == Padding::Same)
        j["padding"] = "same";
    else
        j["padding"] = {n.pad_top, n.pad_left, n.pad_bottom, n.pad_right};
}

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    auto pair = [&](const char* key, int hi, int& a, int& b) {
        const auto& v = jf::array_value(jf::member(jn, key, where), where + " " + key, 2);
        if (v.size() != 2) throw jf::FieldError(where + " " + key + " needs 2 values");
        a = static_cast<int>(jf::int_value(v[0], where + " " + key, 1, hi));
        b = static_cast<int>(jf::int_value(v[1], where + " " + key, 1, hi));
    };
    pair("kernel", kMaxKernel, n.kernel_h, n.kernel_w);
    pair("stride", kMaxStride, n.stride_h, n.stride_w);
    const auto& p = jf::member(jn, "padding", where);
    if (p.is_string()) {
        if (p.get_ref<const std::string&>() != "same") throw jf::FieldError("unknown padding at " + where);
        n.padding = Padding::Same;
        return;
    }
    const auto& pads = jf::array_value(p, where + " padding", 4);
    if (pads.size() != 4) throw jf::FieldError(where + " padding needs 4 values or \"same\"");
    n.padding = Padding::Explicit;
    int* dst[4] = {&n.pad_top, &n.pad_left, &n.pad_bottom, &n.pad_right};
    for (int k = 0; k < 4; ++k) *dst[k] = static_cast<int>(jf::int_value(pads[k], where + " padding", 0, kMaxPad));
}

Status check(const Node& n, const TensorShapes&) {
    if (n.kernel_h < 1 || n.kernel_w < 1 || n.stride_h < 1 || n.stride_w < 1 || n.kernel_h > kMaxKernel ||
        n.kernel_w > kMaxKernel || n.stride_h > kMaxStride || n.stride_w > kMaxStride || n.pad_top < 0 ||
        n.pad_left < 0 || n.pad_bottom < 0 || n.pad_right < 0 || n.pad_top >= n.kernel_h ||
        n.pad_bottom >= n.kernel_h || n.pad_left >= n.kernel_w || n.pad_right >= n.kernel_w)
        return Error{"node " + n.name + ": invalid pooling geometry (pads must be smaller than the kernel)"};
    return Status::success();
}

Result<MapShape> shape(const Node& n, const std::vector<const MapShape*>& ins, const MapShape& image,
                       const TensorShapes&) {
    const MapShape& in = *ins[0];
    MapShape s;
    s.c = in.c;
    if (n.padding == Padding::Same) {
        s.h = (in.h + n.stride_h - 1) / n.stride_h;
        s.w = (in.w + n.stride_w - 1) / n.stride_w;
        s.pad_top = std::max((s.h - 1) * n.stride_h + n.kernel_h - in.h, 0) / 2;
        s.pad_left = std::max((s.w - 1) * n.stride_w + n.kernel_w - in.w, 0) / 2;
    } else {
        const int eh = in.h + n.pad_top + n.pad_bottom - n.kernel_h;
        const int ew = in.w + n.pad_left + n.pad_right - n.kernel_w;
        if (eh < 0 || ew < 0)
            return Error{"input " + std::to_string(image.w) + "x" + std::to_string(image.h) +
                         " is too small for the network (at node " + n.name + ")"};
        s.h = eh / n.stride_h + 1;
        s.w = ew / n.stride_w + 1;
        s.pad_top = n.pad_top;
        s.pad_left = n.pad_left;
    }
    s.vector = in.vector && s.h == 1 && s.w == 1;
    return s;
}

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

// max(k a, k b) = k max(a, b) for the positive factors folding produces: a factor passes.
bool fold_scale(int i, ScaleFold& f, float* owed, std::string*) {
    *owed = f.owed[f.graph.nodes[i].inputs[0]];
    return true;
}

}  // namespace

const OpDef& max_pool_op() {
    static const OpDef def{.type = OpType::MaxPool, .name = "max_pool", .arity = 1, .write = write, .read = read,
                           .check = check, .shape = shape, .run = run, .fold_scale = fold_scale};
    return def;
}

}  // namespace rv::nn
