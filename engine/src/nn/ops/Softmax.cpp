// Softmax over the channels of each pixel: y_c = exp(x_c - max) / sum_k exp(x_k - max). On a
// 1 x 1 x C vector (a classifier's logits) it gives the class probabilities. A plain loop: it runs
// once per image on a few classes.
#include <algorithm>
#include <cmath>

#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

Result<MapShape> shape(const Node&, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    return *in[0];
}

void run(const Node&, const RunArgs& a) {
    const MapShape& s = a.out_shape;
    const std::size_t pixels = static_cast<std::size_t>(s.h) * s.w;
    for (std::size_t p = 0; p < pixels; ++p) {
        const float* x = a.in[0] + p * s.c;
        float* y = a.out + p * s.c;
        const float m = *std::max_element(x, x + s.c);
        double sum = 0.0;
        for (int k = 0; k < s.c; ++k) {
            y[k] = std::exp(x[k] - m);
            sum += y[k];
        }
        const float inv = static_cast<float>(1.0 / sum);
        for (int k = 0; k < s.c; ++k) y[k] *= inv;
    }
}

// softmax(k x) != k softmax(x): a pending factor cannot pass, and the output owes nothing.
bool fold_scale(int i, ScaleFold& f, float* owed, std::string* why) {
    const Node& n = f.graph.nodes[i];
    if (f.owed[n.inputs[0]] != 1.0f) {
        *why = "node " + n.name + ": a pending scale meets a softmax";
        return false;
    }
    *owed = 1.0f;
    return true;
}

}  // namespace

const OpDef& softmax_op() {
    static const OpDef def{.type = OpType::Softmax, .name = "softmax", .arity = 1, .in_place = true, .shape = shape,
                           .run = run, .fold_scale = fold_scale};
    return def;
}

}  // namespace rv::nn
