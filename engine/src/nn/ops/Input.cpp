// Input: the network's input map, H x W x C floats (C = 3 for images: the default), already
// preprocessed; always node 0. Imported ONNX graphs may take other channel counts ("channels").
#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

int channels(const Node& n, int) { return input_channels(n); }

// Files of 3-channel networks carry no field, as before the field existed.
void write(const Node& n, nlohmann::json& j) {
    if (input_channels(n) != 3) j["channels"] = n.out_channels;
}

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    if (jf::has(jn, "channels"))
        n.out_channels = static_cast<int>(jf::int_value(jn["channels"], where + " channels", 1, kMaxChannels));
}

Result<MapShape> shape(const Node&, const std::vector<const MapShape*>&, const MapShape& image, const TensorShapes&) {
    return image;
}

void run(const Node&, const RunArgs& a) {
    const MapShape& s = a.out_shape;
    std::copy(a.in[0], a.in[0] + static_cast<std::size_t>(s.h) * s.w * s.c, a.out);
}

}  // namespace

const OpDef& input_op() {
    static const OpDef def{.type = OpType::Input, .name = "input", .arity = 0, .write = write, .read = read,
                           .channels = channels, .shape = shape, .run = run};
    return def;
}

}  // namespace rv::nn
