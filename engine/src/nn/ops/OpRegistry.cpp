// The list of ops: one line per op, in OpType order.
#include <array>
#include <cstdlib>

#include "nn/ops/OpDef.h"

namespace rv::nn {

const OpDef& input_op();
const OpDef& conv2d_op();
const OpDef& depthwise_conv2d_op();
const OpDef& add_op();
const OpDef& scale_channels_op();
const OpDef& affine_op();
const OpDef& mul_op();
const OpDef& activation_op();
const OpDef& global_avg_pool_op();
const OpDef& max_pool_op();
const OpDef& softmax_op();
const OpDef& concat_op();
const OpDef& channel_slice_op();
const OpDef& channel_shuffle_op();
const OpDef& avg_pool_op();

namespace {

using OpList = std::array<const OpDef*, 15>;

const OpList& ops() {
    static const OpList list = [] {
        OpList l{&input_op(),  &conv2d_op(), &depthwise_conv2d_op(), &add_op(),           &scale_channels_op(),
                 &affine_op(), &mul_op(),    &activation_op(),       &global_avg_pool_op(),
                 &max_pool_op(), &softmax_op(), &concat_op(), &channel_slice_op(), &channel_shuffle_op(),
                 &avg_pool_op()};
        // The list is indexed by OpType: each entry must sit at its own type's place.
        for (std::size_t i = 0; i < l.size(); ++i)
            if (static_cast<std::size_t>(l[i]->type) != i) std::abort();
        return l;
    }();
    return list;
}

constexpr const char* kActivations[] = {"none", "relu", "relu6", "hard_swish", "hard_sigmoid", "sigmoid", "swish"};

}  // namespace

const OpDef& op_def(OpType op) { return *ops().at(static_cast<std::size_t>(op)); }

const OpDef* find_op(std::string_view name) {
    for (const OpDef* d : ops())
        if (name == d->name) return d;
    return nullptr;
}

const char* op_name(OpType op) {
    const auto i = static_cast<std::size_t>(op);
    return i < ops().size() ? ops()[i]->name : "?";
}

const char* activation_name(Activation act) {
    const auto i = static_cast<std::size_t>(act);
    return i < std::size(kActivations) ? kActivations[i] : "?";
}

bool parse_activation(std::string_view name, Activation& out) {
    for (std::size_t i = 0; i < std::size(kActivations); ++i)
        if (name == kActivations[i]) {
            out = static_cast<Activation>(i);
            return true;
        }
    return false;
}

}  // namespace rv::nn
