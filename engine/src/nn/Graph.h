// The network description every model file carries: a list of nodes in topological order over
// NHWC maps (batch 1). Importers build it, passes simplify it (nn/GraphPasses.h), Network runs it.
// What each op means (fields, checks, shape, run) is in its OpDef under nn/ops/.
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

// One value per op, in the order of nn/ops/OpRegistry.cpp's list.
enum class OpType : std::uint8_t {
    Input,            // the input map, H x W x C (C = out_channels, 3 if 0)
    Conv2D,           // weights HWIO [kh][kw][cin][cout], bias [cout]
    DepthwiseConv2D,  // weights [kh][kw][c], bias [c]
    Add,              // two maps of one shape
    ScaleChannels,    // inputs[0]: H x W x C map, inputs[1]: 1 x 1 x C gate
    Affine,           // y = x * scale + shift, scalars (import-time only; fused away where possible)
    Mul,              // elementwise product of two maps of one shape (import-time only)
    Activation,       // act
    GlobalAvgPool,    // H x W x C -> 1 x 1 x C
    MaxPool,          // kernel, stride, padding as a convolution's; padded taps are ignored
    Softmax,          // over the channels of each pixel (a vector's classes)
    Concat,           // two maps side by side along the channels (out_channels = the sum)
    ChannelSlice,     // channels [channel_start, channel_start + out_channels) of a map
    ChannelShuffle,   // ShuffleNet's channel shuffle in `groups`
    AvgPool,          // MaxPool's window; the mean of its real pixels (count_include_pad: over the kernel)
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
    int out_channels = 0;  // also Input's channels (0: 3)
    std::string weights;  // tensor names in the model file
    std::string bias;

    // ChannelSlice: the first channel taken; ChannelShuffle: the groups.
    int channel_start = 0;
    int groups = 1;

    // Affine
    float scale = 1.0f, shift = 0.0f;

    // AvgPool: divide by kernel_h * kernel_w, padded taps counting as zeros (ONNX count_include_pad
    // 1); false: by the window's real pixels.
    bool count_include_pad = false;

    // The stored network's output of this node is this factor times what the kernels compute.
    // Source files may round constants (TF.js float16 stores hard-swish's 1/6 as 0.1666259765625);
    // the kernels use exact constants and the difference is folded into the consumers' weights
    // at import (fold_output_scales). A factor left here is applied to maps handed out by Network.
    float out_scale = 1.0f;
};

// Channels of an Input node (3 unless an importer set out_channels).
inline int input_channels(const Node& input) { return input.out_channels > 0 ? input.out_channels : 3; }

struct Graph {
    std::vector<Node> nodes;                    // nodes[0] is the Input
    std::map<std::string, std::string> aliases; // friendly name -> node name

    int find(const std::string& name_or_alias) const;  // -1 if absent
    // Channels of a node's output (independent of the input size); 0 for a bad index or a graph
    // that did not pass validate().
    int channels(int node) const;

    nlohmann::json to_json() const;
    // Checks every field's type and range, and that each node's inputs are earlier nodes (so the
    // graph is acyclic); validate() checks the rest.
    static Result<Graph> from_json(const nlohmann::json& j);
};

// Bounds on what a model file may describe (the real models: 63 and 89 nodes, kernels up to
// 5 x 5, strides 2, 1280 channels); beyond them a file is refused rather than trusted.
inline constexpr int kMaxNodes = 4096;
inline constexpr int kMaxInputs = 8;  // inputs of one node
inline constexpr int kMaxKernel = 64, kMaxStride = 64, kMaxPad = 64;
inline constexpr int kMaxChannels = 65536;
inline constexpr std::int64_t kMaxMapElements = std::int64_t(1) << 28;  // floats in one node's output (1 GiB)

// Output shape of a node for one input size; NHWC, batch 1.
struct MapShape {
    int h = 0, w = 0, c = 0;
    int pad_top = 0, pad_left = 0;  // convolutions: padding before the first tap
    bool vector = false;            // 1 x 1 whatever the input size (after a global pool)
};

using TensorShapes = std::map<std::string, std::vector<int>>;

// Named float tensors with shapes, as importers produce them.
struct Tensor {
    std::vector<int> shape;
    std::vector<float> data;
};
using TensorMap = std::map<std::string, Tensor>;

// Shapes of the nodes marked in `needed` (every node if empty) for an h x w x 3 input, propagated
// through the graph without running it: a convolution's weights match its input channels, added
// maps have one shape, a channel gate is a 1 x 1 x C vector, an explicit padding leaves room for
// the kernel, and no map exceeds kMaxMapElements. The graph must have passed validate().
[[nodiscard]] Result<std::vector<MapShape>> infer_shapes(const Graph& g, const TensorShapes& tensors, int h, int w,
                                                         const std::vector<bool>& needed = {});

// The nodes that `wanted` (node indices) depend on, themselves included, for a run on an h x w
// input: which are needed and their shapes. Fails for an empty input, an unknown node, or an
// input size the network cannot take (see infer_shapes).
struct RunPlan {
    std::vector<bool> needed;
    std::vector<MapShape> shapes;  // of the needed nodes
};
[[nodiscard]] Result<RunPlan> plan_run(const Graph& g, const TensorShapes& tensors, int h, int w,
                                       const std::vector<int>& wanted);

// Checks a graph completely before use: node inputs precede their node (acyclic), arities, only
// runnable ops, bounded geometry, unique node names, weight and bias tensors present with the
// shapes their nodes need, aliases naming nodes, and shapes consistent through the graph for an
// input of h x w (static: no forward pass).
[[nodiscard]] Status validate(const Graph& g, const TensorShapes& tensor_shapes, int h, int w);

}  // namespace rv::nn
