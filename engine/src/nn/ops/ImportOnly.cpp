// Ops that importers produce and simplify() fuses away (into HardSwish / HardSigmoid activations,
// ScaleChannels, or nothing); a model file holding one is refused by validate().
//   Affine: y = x * scale + shift, scalars;  Mul: the elementwise product of two maps.
#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

namespace jf = json_fields;

void affine_write(const Node& n, nlohmann::json& j) {
    j["scale"] = n.scale;
    j["shift"] = n.shift;
}

void affine_read(const nlohmann::json& jn, Node& n, const std::string& where) {
    n.scale = static_cast<float>(jf::number_value(jf::member(jn, "scale", where), where + " scale", -1e30, 1e30));
    n.shift = static_cast<float>(jf::number_value(jf::member(jn, "shift", where), where + " shift", -1e30, 1e30));
}

}  // namespace

const OpDef& affine_op() {
    static const OpDef def{.type = OpType::Affine, .name = "affine", .arity = 1, .runnable = false,
                           .write = affine_write, .read = affine_read};
    return def;
}

const OpDef& mul_op() {
    static const OpDef def{.type = OpType::Mul, .name = "mul", .arity = 2, .runnable = false};
    return def;
}

}  // namespace rv::nn
