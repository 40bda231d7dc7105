// The ops that work pixel by pixel: Add (two maps of one shape, fused activation), ScaleChannels
// (a map times a 1 x 1 x C gate: squeeze-excite), Activation (alone, when it could not be fused).
#include "nn/int8/Int8Plan.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

std::size_t elements(const MapShape& s) { return static_cast<std::size_t>(s.h) * s.w * s.c; }

Result<MapShape> add_shape(const Node& n, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    const MapShape &a = *in[0], &b = *in[1];
    if (b.h != a.h || b.w != a.w || b.c != a.c || b.vector != a.vector)
        return Error{"node " + n.name + ": adds maps of different shapes (" + std::to_string(a.h) + "x" +
                     std::to_string(a.w) + "x" + std::to_string(a.c) + " and " + std::to_string(b.h) + "x" +
                     std::to_string(b.w) + "x" + std::to_string(b.c) + ")"};
    return a;
}

void add_run(const Node& n, const RunArgs& a) { a.kernels.add(a.in[0], a.in[1], a.out, elements(a.out_shape), n.act); }

// Unequal factors on the two sides: rescale a linear convolution feeding only this add (weights and
// bias) so that both sides owe the same factor; a factor may pass an add only without activation.
bool add_fold(int i, ScaleFold& f, float* owed, std::string* why) {
    const Node& n = f.graph.nodes[i];
    for (int side = 0; side < 2 && f.owed[n.inputs[0]] != f.owed[n.inputs[1]]; ++side) {
        const int p = n.inputs[side];
        const Node& prod = f.graph.nodes[p];
        if (!is_convolution(prod.op) || prod.act != Activation::None || f.consumers[p].size() != 1) continue;
        const float r = f.owed[p] / f.owed[n.inputs[1 - side]];
        for (float& v : f.tensors.at(prod.weights).data) v *= r;
        if (!prod.bias.empty())
            for (float& v : f.tensors.at(prod.bias).data) v *= r;
        f.owed[p] = f.owed[n.inputs[1 - side]];
    }
    const float a = f.owed[n.inputs[0]], b = f.owed[n.inputs[1]];
    if (a != b || (a != 1.0f && n.act != Activation::None)) {
        *why = "node " + n.name + " adds maps with different pending scales";
        return false;
    }
    *owed = a;
    return true;
}

// INT8: two uint8 maps (a residual connection) into uint8, ReLU / ReLU6 as a clamp. A float side or
// another activation keeps the add in float.
bool add_prepare_int8(const Node& n, Int8Prep& p) {
    if (!p.in[0].u8 || !p.in[1].u8 || !p.in[0].channel_scale.empty() || !p.in[1].channel_scale.empty()) return false;
    if (!kernels::u8_clamp_for(n.act, p.calibrated, p.prepared.min, p.prepared.max)) return false;
    p.out = MapQuant{true, p.calibrated, {}, {}};
    return true;
}

void add_run_int8(const Node&, const Int8Args& a) {
    a.k8.add_u8(a.in[0], a.in_q[0], a.in[1], a.in_q[1], static_cast<std::uint8_t*>(a.out), a.out_q.q, a.prepared.min,
                a.prepared.max, elements(a.out_shape));
}

Result<MapShape> scale_shape(const Node& n, const std::vector<const MapShape*>& in, const MapShape&,
                             const TensorShapes&) {
    const MapShape& gate = *in[1];
    if (!gate.vector || gate.c != in[0]->c)
        return Error{"node " + n.name + ": the gate is not a 1 x 1 x " + std::to_string(in[0]->c) + " vector"};
    return *in[0];
}

void scale_run(const Node&, const RunArgs& a) {
    const MapShape& s = a.out_shape;
    a.kernels.scale_channels(a.in[0], a.in[1], a.out, static_cast<std::size_t>(s.h) * s.w, s.c);
}

bool scale_fold(int i, ScaleFold& f, float* owed, std::string*) {
    const Node& n = f.graph.nodes[i];
    *owed = f.owed[n.inputs[0]] * f.owed[n.inputs[1]];
    return true;
}

Result<MapShape> same_shape(const Node&, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    return *in[0];
}

void activation_run(const Node& n, const RunArgs& a) { a.kernels.activate(a.in[0], a.out, elements(a.out_shape), n.act); }

// Only ReLU commutes with a positive factor.
bool activation_fold(int i, ScaleFold& f, float* owed, std::string* why) {
    const Node& n = f.graph.nodes[i];
    const float in = f.owed[n.inputs[0]];
    if (in != 1.0f && n.act != Activation::Relu) {
        *why = "node " + n.name + ": a pending scale meets a non-linear activation";
        return false;
    }
    *owed = in;
    return true;
}

}  // namespace

const OpDef& add_op() {
    static const OpDef def{.type = OpType::Add, .name = "add", .arity = 2, .in_place = true, .fuses_activation = true,
                           .shape = add_shape, .run = add_run, .fold_scale = add_fold,
                           .prepare_int8 = add_prepare_int8, .run_int8 = add_run_int8};
    return def;
}

const OpDef& scale_channels_op() {
    static const OpDef def{.type = OpType::ScaleChannels, .name = "scale_channels", .arity = 2, .in_place = true,
                           .shape = scale_shape, .run = scale_run, .fold_scale = scale_fold};
    return def;
}

const OpDef& activation_op() {
    static const OpDef def{.type = OpType::Activation, .name = "activation", .arity = 1, .in_place = true,
                           .shape = same_shape, .run = activation_run, .fold_scale = activation_fold};
    return def;
}

}  // namespace rv::nn
