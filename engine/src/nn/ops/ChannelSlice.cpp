// ChannelSlice: channels [channel_start, channel_start + out_channels) of a map (ONNX Split and
// Slice on the channel axis: ShuffleNetV2's units split their input in two). A plain loop: it copies.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

void write(const Node& n, nlohmann::json& j) {
    j["channel_start"] = n.channel_start;
    j["out_channels"] = n.out_channels;
}

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    n.channel_start = static_cast<int>(
        jf::int_value(jf::member(jn, "channel_start", where), where + " channel_start", 0, kMaxChannels - 1));
    n.out_channels =
        static_cast<int>(jf::int_value(jf::member(jn, "out_channels", where), where + " out_channels", 1, kMaxChannels));
}

int channels(const Node& n, int) { return n.out_channels; }

Result<MapShape> shape(const Node& n, const std::vector<const MapShape*>& in, const MapShape&, const TensorShapes&) {
    if (n.channel_start < 0 || n.out_channels < 1 || n.channel_start + n.out_channels > in[0]->c)
        return Error{"node " + n.name + ": channels " + std::to_string(n.channel_start) + ".." +
                     std::to_string(n.channel_start + n.out_channels) + " of a map of " + std::to_string(in[0]->c)};
    MapShape s = *in[0];
    s.c = n.out_channels;
    return s;
}

void run(const Node& n, const RunArgs& a) {
    const MapShape& in = *a.in_shapes[0];
    const std::size_t pixels = static_cast<std::size_t>(in.h) * in.w;
    for (std::size_t p = 0; p < pixels; ++p) {
        const float* x = a.in[0] + p * in.c + n.channel_start;
        std::copy(x, x + n.out_channels, a.out + p * n.out_channels);
    }
}

}  // namespace

const OpDef& channel_slice_op() {
    static const OpDef def{.type = OpType::ChannelSlice, .name = "channel_slice", .arity = 1, .write = write,
                           .read = read, .channels = channels, .shape = shape, .run = run, .fold_scale = fold_scale_passes};
    return def;
}

}  // namespace rv::nn
