// Concat: two maps of one H x W side by side along the channels: C = C_a + C_b (out_channels,
// set at import so that a node's channels are known without its inputs' shapes). ShuffleNetV2's
// units join their two branches with it. A plain loop: it copies.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

void write(const Node& n, nlohmann::json& j) { j["out_channels"] = n.out_channels; }

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    n.out_channels =
        static_cast<int>(jf::int_value(jf::member(jn, "out_channels", where), where + " out_channels", 2, kMaxChannels));
}

int channels(const Node& n, int) { return n.out_channels; }

Result<MapShape> shape(const Node& n, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    const MapShape &a = *in[0], &b = *in[1];
    if (a.h != b.h || a.w != b.w || a.vector != b.vector || a.c + b.c != n.out_channels)
        return Error{"node " + n.name + ": concatenates maps of different sizes or not into " +
                     std::to_string(n.out_channels) + " channels"};
    MapShape s = a;
    s.c = n.out_channels;
    return s;
}

void run(const Node&, const RunArgs& a) {
    const MapShape &sa = *a.in_shapes[0], &sb = *a.in_shapes[1];
    const std::size_t pixels = static_cast<std::size_t>(sa.h) * sa.w;
    for (std::size_t p = 0; p < pixels; ++p) {
        float* o = a.out + p * (sa.c + sb.c);
        std::copy(a.in[0] + p * sa.c, a.in[0] + (p + 1) * sa.c, o);
        std::copy(a.in[1] + p * sb.c, a.in[1] + (p + 1) * sb.c, o + sa.c);
    }
}

// One factor for the whole output: both sides must owe the same.
bool fold_scale(int i, ScaleFold& f, float* owed, std::string* why) {
    const Node& n = f.graph.nodes[i];
    if (f.owed[n.inputs[0]] != f.owed[n.inputs[1]]) {
        *why = "node " + n.name + " concatenates maps with different pending scales";
        return false;
    }
    *owed = f.owed[n.inputs[0]];
    return true;
}

}  // namespace

const OpDef& concat_op() {
    static const OpDef def{.type = OpType::Concat, .name = "concat", .arity = 2, .write = write, .read = read,
                           .channels = channels, .shape = shape, .run = run, .fold_scale = fold_scale};
    return def;
}

}  // namespace rv::nn
