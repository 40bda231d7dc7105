// ChannelShuffle (ShuffleNet): C channels seen as `groups` x (C / groups), transposed. Output
// channel j * groups + g is input channel g * (C / groups) + j: ONNX's Reshape [N, g, C/g, H, W],
// Transpose [0, 2, 1, 3, 4], Reshape [N, C, H, W]. A plain loop: it copies.
#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

void write(const Node& n, nlohmann::json& j) { j["groups"] = n.groups; }

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    n.groups = static_cast<int>(jf::int_value(jf::member(jn, "groups", where), where + " groups", 1, kMaxChannels));
}

Result<MapShape> shape(const Node& n, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    if (n.groups < 1 || in[0]->c % n.groups != 0)
        return Error{"node " + n.name + ": " + std::to_string(in[0]->c) + " channels do not split into " +
                     std::to_string(n.groups) + " groups"};
    return *in[0];
}

void run(const Node& n, const RunArgs& a) {
    const MapShape& s = a.out_shape;
    const int per = s.c / n.groups;
    const std::size_t pixels = static_cast<std::size_t>(s.h) * s.w;
    for (std::size_t p = 0; p < pixels; ++p) {
        const float* x = a.in[0] + p * s.c;
        float* y = a.out + p * s.c;
        for (int g = 0; g < n.groups; ++g)
            for (int j = 0; j < per; ++j) y[j * n.groups + g] = x[g * per + j];
    }
}

}  // namespace

const OpDef& channel_shuffle_op() {
    static const OpDef def{.type = OpType::ChannelShuffle, .name = "channel_shuffle", .arity = 1, .write = write,
                           .read = read, .shape = shape, .run = run, .fold_scale = fold_scale_passes};
    return def;
}

}  // namespace rv::nn
