// AvgPool: H x W x C -> H' x W' x C, the mean of each kernel window per channel (ONNX AveragePool).
// MaxPool's geometry, checks and shape (every window holds a real pixel). The sum is over the real
// pixels; it is divided by their count, or by kernel_h * kernel_w with count_include_pad (padded
// taps are zeros). In the model file that flag is "count_include_pad": true, written only when set:
// absent, it is ONNX's default (0). The format version stays: a reader that predates the op refuses
// "avg_pool" by name. A plain loop, as MaxPool's.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

void write(const Node& n, nlohmann::json& j) {
    write_window(n, j);
    if (n.count_include_pad) j["count_include_pad"] = true;
}

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    read_window(jn, n, where);
    if (jf::has(jn, "count_include_pad"))
        n.count_include_pad = jf::bool_value(jn["count_include_pad"], where + " count_include_pad");
}

void run(const Node& n, const RunArgs& a) {
    const MapShape& in = *a.in_shapes[0];
    const MapShape& s = a.out_shape;
    const int c = s.c;
    for (int oy = 0; oy < s.h; ++oy)
        for (int ox = 0; ox < s.w; ++ox) {
            float* o = a.out + (static_cast<std::size_t>(oy) * s.w + ox) * c;
            std::fill(o, o + c, 0.0f);
            const int y0 = oy * n.stride_h - s.pad_top, x0 = ox * n.stride_w - s.pad_left;
            const int ya = std::max(y0, 0), yb = std::min(y0 + n.kernel_h, in.h);
            const int xa = std::max(x0, 0), xb = std::min(x0 + n.kernel_w, in.w);
            for (int y = ya; y < yb; ++y)
                for (int x = xa; x < xb; ++x) {
                    const float* p = a.in[0] + (static_cast<std::size_t>(y) * in.w + x) * c;
                    for (int k = 0; k < c; ++k) o[k] += p[k];
                }
            // At least one real pixel (check_pool_window), so never 0.
            const int count = n.count_include_pad ? n.kernel_h * n.kernel_w : (yb - ya) * (xb - xa);
            for (int k = 0; k < c; ++k) o[k] /= static_cast<float>(count);
        }
}

}  // namespace

const OpDef& avg_pool_op() {
    static const OpDef def{.type = OpType::AvgPool, .name = "avg_pool", .arity = 1, .write = write, .read = read,
                           .check = check_pool_window, .shape = pool_window_shape, .run = run,
                           .fold_scale = fold_scale_passes};
    return def;
}

}  // namespace rv::nn
