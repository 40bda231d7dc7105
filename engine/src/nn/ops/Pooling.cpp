// GlobalAvgPool: H x W x C -> 1 x 1 x C (a vector at every input size).
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

Result<MapShape> shape(const Node&, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    MapShape s{1, 1, in[0]->c};
    s.vector = true;
    return s;
}

void run(const Node&, const RunArgs& a) {
    const MapShape& in = *a.in_shapes[0];
    a.kernels.global_avg_pool(a.in[0], a.out, static_cast<std::size_t>(in.h) * in.w, in.c);
}

// The mean is linear: a factor passes through.
bool fold_scale(int i, ScaleFold& f, float* owed, std::string*) {
    *owed = f.owed[f.graph.nodes[i].inputs[0]];
    return true;
}

}  // namespace

const OpDef& global_avg_pool_op() {
    static const OpDef def{.type = OpType::GlobalAvgPool, .name = "global_avg_pool", .arity = 1, .shape = shape,
                           .run = run, .fold_scale = fold_scale};
    return def;
}

}  // namespace rv::nn
