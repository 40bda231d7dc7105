// GlobalAvgPool: H x W x C -> 1 x 1 x C (a vector at every input size).
#include "nn/int8/Int8Plan.h"
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

// INT8: a uint8 map's exact integer sums, the mean in float.
bool prepare_int8(const Node&, Int8Prep& p) {
    if (!p.in[0].u8 || !p.in[0].channel_scale.empty()) return false;
    p.out = MapQuant{};  // float
    return true;
}

void run_int8(const Node&, const Int8Args& a) {
    const MapShape& in = *a.in_shapes[0];
    a.k8.global_avg_pool_u8(a.in[0], a.in_q[0], static_cast<float*>(a.out), static_cast<std::size_t>(in.h) * in.w, in.c);
}

}  // namespace

const OpDef& global_avg_pool_op() {
    static const OpDef def{.type = OpType::GlobalAvgPool, .name = "global_avg_pool", .arity = 1, .shape = shape,
                           .run = run, .fold_scale = fold_scale_passes, .prepare_int8 = prepare_int8, .run_int8 = run_int8};
    return def;
}

}  // namespace rv::nn
