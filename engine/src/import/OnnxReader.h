// The ONNX reader's state, shared by OnnxImporter.cpp (the graph walk, convolutions, elementwise
// ops) and OnnxLayoutOps.cpp (softmax, reshapes, concat, split): internal to the importer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "import/Importers.h"
#include "import/OnnxProto.h"
#include "nn/ops/OpDef.h"

namespace rv::import::onnx_import {

namespace op = onnx_proto;

struct Value {
    // Grouped: a map reshaped to N x g x C/g x H x W; Shuffled: that transposed to N x C/g x g x H x W
    // (a channel shuffle once reshaped back to 4-D).
    enum Kind { Map, Const, ShapeMath, Grouped, Shuffled } kind = Map;
    int node = -1;      // Map, Grouped, Shuffled
    nn::Tensor tensor;  // Const
    int groups = 0;     // Grouped, Shuffled
};

class Reader {
public:
    Reader(const onnx::ModelProto& m, std::string where) : model_(m), where_(std::move(where)) {
        for (const auto& o : m.opset_import())
            if (o.domain().empty() || o.domain() == "ai.onnx") opset_ = o.version();
    }

    Result<Imported> run(const std::vector<std::string>& outputs);

private:
    Error fail(const onnx::NodeProto& n, const std::string& what) const {
        const std::string name = !n.name().empty() ? n.name() : n.output_size() > 0 ? n.output(0) : "?";
        return Error{where_ + ": node '" + name + "' (" + n.op_type() + "): " + what};
    }
    const Value* value(const std::string& name) const {
        auto it = values_.find(name);
        return it == values_.end() ? nullptr : &it->second;
    }
    // The map input k of n, or -1.
    int map_input(const onnx::NodeProto& n, int k) const {
        if (k >= n.input_size()) return -1;
        const Value* v = value(n.input(k));
        return v && v->kind == Value::Map ? v->node : -1;
    }
    const nn::Tensor* const_input(const onnx::NodeProto& n, int k) const {
        if (k >= n.input_size() || n.input(k).empty()) return nullptr;
        const Value* v = value(n.input(k));
        return v && v->kind == Value::Const ? &v->tensor : nullptr;
    }
    int add_node(nn::Node node, const std::string& out, bool vec) {
        node.name = out;
        out_.graph.nodes.push_back(std::move(node));
        const int i = static_cast<int>(out_.graph.nodes.size()) - 1;
        vector_.push_back(vec);
        const nn::Node& n = out_.graph.nodes[i];
        const int in_c = n.inputs.empty() ? 0 : channels_[n.inputs[0]];
        const auto ch = nn::op_def(n.op).channels;
        channels_.push_back(ch ? ch(n, in_c) : in_c);
        values_[out] = Value{Value::Map, i, {}};
        return i;
    }
    // Makes `out` another name of node i (the node takes the new name: outputs refer to the last one).
    void rename(int i, const std::string& out) {
        out_.graph.nodes[i].name = out;
        values_[out] = Value{Value::Map, i, {}};
    }
    // A convolution producing `map` that nothing else reads, so that an affine step may fold into it.
    nn::Node* sole_conv(const std::string& value_name, int node) {
        nn::Node& c = out_.graph.nodes[node];
        if (!nn::is_convolution(c.op) || c.act != nn::Activation::None || uses_[value_name] != 1) return nullptr;
        return &c;
    }
    // y = x * scale[c] + shift[c] folded into the convolution: per channel (size C) or scalars (size 1).
    void fold_affine(nn::Node& c, const std::vector<float>& scale, const std::vector<float>& shift) {
        const std::size_t cout = static_cast<std::size_t>(c.out_channels);
        auto at = [](const std::vector<float>& v, std::size_t i) { return v.size() == 1 ? v[0] : v[i]; };
        auto& w = out_.tensors[c.weights].data;
        for (std::size_t i = 0; i < w.size(); ++i) w[i] *= at(scale, i % cout);
        if (c.bias.empty()) {
            c.bias = c.name + "/bias";
            out_.tensors[c.bias] = nn::Tensor{{c.out_channels}, std::vector<float>(cout, 0.0f)};
        }
        auto& b = out_.tensors[c.bias].data;
        for (std::size_t i = 0; i < cout; ++i) b[i] = b[i] * at(scale, i) + at(shift, i);
    }

    Status conv(const onnx::NodeProto& n);
    Status batch_norm(const onnx::NodeProto& n);
    Status clip(const onnx::NodeProto& n);
    Status hard_sigmoid(const onnx::NodeProto& n);
    Status binary(const onnx::NodeProto& n);
    Status pool(const onnx::NodeProto& n);
    Status dense(const onnx::NodeProto& n);
    Status softmax(const onnx::NodeProto& n);
    Status concat(const onnx::NodeProto& n);
    Status split(const onnx::NodeProto& n);
    Status reshape(const onnx::NodeProto& n);
    Status node(const onnx::NodeProto& n);

    const onnx::ModelProto& model_;
    std::string where_;
    std::int64_t opset_ = 1;
    Imported out_;
    std::map<std::string, Value> values_;
    std::map<std::string, int> uses_;  // readers of each value (nodes and graph outputs)
    std::vector<bool> vector_;          // per node: 1 x 1 x C at every input size
    std::vector<int> channels_;         // per node: output channels
};

}  // namespace rv::import::onnx_import
