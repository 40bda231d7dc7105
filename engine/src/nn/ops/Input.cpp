// Input: the image tensor, H x W x 3 floats, already preprocessed; always node 0.
#include <algorithm>

#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

int channels(const Node&, int) { return 3; }

Result<MapShape> shape(const Node&, const std::vector<const MapShape*>&, const MapShape& image, const TensorShapes&) {
    return image;
}

void run(const Node&, const RunArgs& a) {
    const MapShape& s = a.out_shape;
    std::copy(a.in[0], a.in[0] + static_cast<std::size_t>(s.h) * s.w * s.c, a.out);
}

}  // namespace

const OpDef& input_op() {
    static const OpDef def{.type = OpType::Input, .name = "input", .arity = 0, .channels = channels, .shape = shape,
                           .run = run};
    return def;
}

}  // namespace rv::nn
