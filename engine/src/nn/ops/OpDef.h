// Everything one op means, in one place (ncnn's layer idea): its name in model files, its fields,
// its static checks, its shape rule, its run, and how a pending output factor passes through it.
// Each op defines one OpDef in its own file under nn/ops/; OpRegistry.cpp lists them, and the
// generic code (Graph's JSON, validate, infer_shapes, fold_output_scales, Network::run) asks the
// registry instead of switching on OpType. A new op is one file plus one registry line.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nn/Graph.h"

namespace rv {
class ModelFile;
}

namespace rv::nn {

struct Int8Prep;
struct Int8Args;

// What an op's run reads and writes. Maps are NHWC floats (batch 1) with the shapes given.
struct RunArgs {
    const kernels::KernelTable& kernels;
    const ModelFile& model;              // tensors (weights, biases) by name
    const MapShape& out_shape;
    std::span<const MapShape* const> in_shapes;
    std::span<const float* const> in;    // one per input; for the Input op: the caller's image
    float* out;                          // out_shape.h * w * c floats; may be in[0] if in_place
};

// What fold_output_scales knows while it walks the graph in order: owed[i] is the factor by which
// the stored network's output of node i exceeds what the kernels compute (after every upstream
// factor was folded into weights).
struct ScaleFold {
    Graph& graph;
    TensorMap& tensors;
    std::vector<float>& owed;
    const std::vector<std::vector<int>>& consumers;
};

// OpDef::fold_scale of an op that commutes with a positive factor on its first input (a pool, a
// channel slice or shuffle): the factor owed passes to its output unchanged.
inline bool fold_scale_passes(int i, ScaleFold& f, float* owed, std::string*) {
    *owed = f.owed[f.graph.nodes[i].inputs[0]];
    return true;
}

struct OpDef {
    OpType type;
    const char* name;  // in model files
    int arity;         // inputs

    // false: an import-time op that simplify() must fuse away; validate() refuses it.
    bool runnable = true;
    // Its run may write its output over inputs[0]'s buffer (when nothing else reads that input later).
    bool in_place = false;
    // simplify() may fuse a following Activation into it (its run applies Node::act).
    bool fuses_activation = false;

    // Fields beyond name, op, inputs, act and out_scale, to and from the model file's JSON. `read`
    // throws json_fields::FieldError for a missing or malformed field (see model/JsonFields.h).
    void (*write)(const Node& n, nlohmann::json& j) = nullptr;
    void (*read)(const nlohmann::json& j, Node& n, const std::string& where) = nullptr;

    // Static checks of its own fields against the model's tensors (geometry bounds, weights present
    // with the right shapes); the generic checks (arity, input order, names) are done already.
    Status (*check)(const Node& n, const TensorShapes& tensors) = nullptr;

    // Output channels given the first input's channels, independent of the input size.
    int (*channels)(const Node& n, int in_channels) = nullptr;  // null: the input's channels

    // Output shape from the inputs' shapes (all computed); `image` is the network input's shape.
    // The caller bounds the result (non-empty, at most kMaxMapElements).
    Result<MapShape> (*shape)(const Node& n, const std::vector<const MapShape*>& in, const MapShape& image,
                              const TensorShapes& tensors) = nullptr;

    void (*run)(const Node& n, const RunArgs& a) = nullptr;

    // The factor node `i`'s output owes, given its inputs' (folding what it can into weights);
    // false with `why` if a factor cannot pass. Null: the output owes nothing (1).
    bool (*fold_scale)(int i, ScaleFold& f, float* owed, std::string* why) = nullptr;

    // INT8 (nn/int8/Int8Plan.h). prepare_int8 quantizes what the op needs once per model and says
    // how its output is stored; false: the op runs in float here (e.g. an Add of a float map).
    // run_int8 then reads every input as uint8. Null: the op always runs in float.
    bool (*prepare_int8)(const Node& n, Int8Prep& p) = nullptr;
    void (*run_int8)(const Node& n, const Int8Args& a) = nullptr;
};

// The definition of an op; every OpType has one.
const OpDef& op_def(OpType op);
// The op named `name` in model files, or nullptr.
const OpDef* find_op(std::string_view name);

// Activation names in model files ("none", "relu", "relu6", "hard_swish", "hard_sigmoid", "sigmoid",
// "swish").
const char* activation_name(Activation act);
bool parse_activation(std::string_view name, Activation& out);

// The two convolutions' shared geometry: true for Conv2D and DepthwiseConv2D.
bool is_convolution(OpType op);
// A 1 x 1, stride-1, unpadded Conv2D: a matrix product over the pixels.
bool is_pointwise(const Node& n);

// A sliding window's geometry (convolutions, MaxPool, AvgPool; in Convolution.cpp): kernel, stride and
// padding to and from the model file's JSON ("kernel", "stride", "padding"; read throws
// json_fields::FieldError), and the output shape for an input (channels kept: c = in.c).
void write_window(const Node& n, nlohmann::json& j);
void read_window(const nlohmann::json& j, Node& n, const std::string& where);
Result<MapShape> window_shape(const Node& n, const MapShape& in, const MapShape& image);

// A pooling window's check and shape (MaxPool, AvgPool; in MaxPool.cpp): the geometry bounded, and
// pads smaller than the kernel, so that every window holds a real pixel (the max or the mean of a
// window's real pixels needs one: never a division by zero).
Status check_pool_window(const Node& n, const TensorShapes& tensors);
Result<MapShape> pool_window_shape(const Node& n, const std::vector<const MapShape*>& in, const MapShape& image,
                                   const TensorShapes& tensors);

}  // namespace rv::nn
