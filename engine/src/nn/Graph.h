// The network description every model file carries: a list of nodes in topological order over
// NHWC maps (batch 1). Importers build it, passes simplify it, Network runs it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ruvision/engine/Result.h"
#include "ruvision/kernels/kernels.h"

namespace rv::nn {

using kernels::Activation;

enum class OpType : std::uint8_t {
    Input,            // the image tensor, H x W x 3
    Conv2D,           // weights HWIO [kh][kw][cin][cout], bias [cout]
    DepthwiseConv2D,  // weights [kh][kw][c], bias [c]
    Add,              // two maps of one shape
    ScaleChannels,    // inputs[0]: H x W x C map, inputs[1]: 1 x 1 x C gate
    Affine,           // y = x * scale + shift, scalars (import-time only; fused away where possible)
    Mul,              // elementwise product of two maps of one shape (import-time only)
    Activation,       // act
    GlobalAvgPool,    // H x W x C -> 1 x 1 x C
};

const char* op_name(OpType op);

// TF "SAME": out = ceil(in / stride), the extra pad pixel goes bottom/right. Explicit: pads as
// given (Keras ZeroPadding2D folded in), out = floor((in + pads - k) / stride) + 1.
enum class Padding : std::uint8_t { Same, Explicit };

struct Node {
    std::string name;
    OpType op = OpType::Input;
    std::vector<int> inputs;  // indices of earlier nodes
    Activation act = Activation::None;  // fused activation (convs, Add, Activation)

    // Conv2D / DepthwiseConv2D
    int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    Padding padding = Padding::Same;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
    int out_channels = 0;
    std::string weights;  // tensor names in the model file
    std::string bias;

    // Affine
    float scale = 1.0f, shift = 0.0f;

    // The stored network's output of this node is this factor times what the kernels compute.
    // Source files may round constants (TF.js float16 stores hard-swish's 1/6 as 0.1666259765625);
    // the kernels use exact constants and the difference is folded into the consumers' weights
    // at import (fold_output_scales). A factor left here is applied to maps handed out by Network.
    float out_scale = 1.0f;
};

struct Graph {
    std::vector<Node> nodes;                    // nodes[0] is the Input
    std::map<std::string, std::string> aliases; // friendly name -> node name

    int find(const std::string& name_or_alias) const;  // -1 if absent
    // Channels of a node's output (independent of the input size); 0 for a bad index.
    int channels(int node) const;

    nlohmann::json to_json() const;
    static Result<Graph> from_json(const nlohmann::json& j);
};

// Named float tensors with shapes, as importers produce them.
struct Tensor {
    std::vector<int> shape;
    std::vector<float> data;
};
using TensorMap = std::map<std::string, Tensor>;

// Checks references, shapes of weights against the nodes, and that every op is runnable.
Status validate(const Graph& g, const std::map<std::string, std::vector<int>>& tensor_shapes);

// Import-time simplification: Affine/Relu6/Mul chains into HardSigmoid / HardSwish, activations
// into the producing conv or add when it has no other consumer, dead nodes removed (keeping
// `keep`). Returns the number of nodes removed.
int simplify(Graph& g, const std::vector<std::string>& keep);

// Moves every node's out_scale into the weights of the convolutions that consume it (through
// linear ops: pooling, channel scaling, equal-scale adds), so the network computes the stored
// model exactly. Returns false with `why` if a scale meets a non-linear op and cannot move.
bool fold_output_scales(Graph& g, TensorMap& tensors, std::string* why);

}  // namespace rv::nn
