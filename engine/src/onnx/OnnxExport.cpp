#include "onnx/OnnxExport.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "onnx/OnnxCommon.h"

namespace rv::onnx_io {

namespace {

using nn::Activation;
using nn::OpType;

struct Output {
    std::string name;  // graph output name
    int node = -1;
};

// The graph outputs: the default descriptor's nodes and "last" (if `with_default`), then those asked for.
Result<std::vector<Output>> choose_outputs(const ModelHeader& h, const std::vector<std::string>& asked,
                                           bool with_default) {
    const nn::Graph& g = h.graph;
    auto alias_of = [&](int node) -> std::string {
        for (const auto& [alias, target] : g.aliases)
            if (target == g.nodes[node].name) return alias;
        return g.nodes[node].name;
    };
    std::vector<Output> out;
    auto add = [&](const std::string& name, int node) {
        for (const auto& o : out)
            if (o.node == node) return;
        out.push_back({name, node});
    };
    if (with_default) {
        auto d = resolve_descriptor(h, "");
        if (!d) return d.error();
        for (int node : d->part_nodes) add(alias_of(node), node);
        if (int last = g.find("last"); last >= 0) add("last", last);
    }
    for (const auto& name : asked) {
        const int node = g.find(name);
        if (node < 0) return Error{"model " + h.name + " has no node or alias '" + name + "' (see ruvision-cli models --nodes " + h.name + ")"};
        if (node == 0) return Error{"node '" + name + "' is the input, not an output"};
        add(g.aliases.count(name) ? name : g.nodes[node].name, node);
    }
    if (out.empty()) return Error{"no outputs asked for"};
    return out;
}

// Builds the ONNX nodes of one graph: keeps track of value names and initialisers.
class Writer {
public:
    Writer(const ModelFile& model, onnx::GraphProto& g) : model_(model), g_(g) {}

    onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                          const std::string& output) {
        auto* n = g_.add_node();
        n->set_op_type(op);
        n->set_name(name);
        for (const auto& i : inputs) n->add_input(i);
        n->add_output(output);
        ++count_;
        return *n;
    }

    // A scalar constant, added once per value.
    std::string scalar(const std::string& name, float value) {
        if (added_.insert(name).second) add_float_initializer(g_, name, {}, &value, 1);
        return name;
    }

    // An int64 vector constant, added once per name.
    std::string int64s(const std::string& name, const std::vector<std::int64_t>& values) {
        if (added_.insert(name).second) add_int64_initializer(g_, name, values);
        return name;
    }

    // A model tensor in ONNX's convolution layout; `depthwise` selects [c][1][kh][kw].
    Result<std::string> conv_weights(const std::string& tensor, bool depthwise) {
        const std::string name = depthwise ? tensor + "#c1hw" : tensor;
        if (added_.count(name)) return name;
        const auto* t = model_.tensor(tensor);
        if (!t) return Error{"tensor " + tensor + " is missing"};
        std::vector<float> buf(t->size);
        const auto& s = t->shape;
        if (depthwise) {
            if (s.size() != 3) return Error{"depthwise weights " + tensor + " are not [kh][kw][c]"};
            depthwise_hwc_to_c1hw(t->data, s[0], s[1], s[2], buf.data());
            add_float_initializer(g_, name, {s[2], 1, s[0], s[1]}, buf.data(), buf.size());
        } else {
            if (s.size() != 4) return Error{"convolution weights " + tensor + " are not HWIO"};
            hwio_to_oihw(t->data, s[0], s[1], s[2], s[3], buf.data());
            add_float_initializer(g_, name, {s[3], s[2], s[0], s[1]}, buf.data(), buf.size());
        }
        added_.insert(name);
        return name;
    }

    Result<std::string> bias(const std::string& tensor) {
        if (added_.count(tensor)) return tensor;
        const auto* t = model_.tensor(tensor);
        if (!t) return Error{"tensor " + tensor + " is missing"};
        add_float_initializer(g_, tensor, {static_cast<std::int64_t>(t->size)}, t->data, t->size);
        added_.insert(tensor);
        return tensor;
    }

    // One node computing `act` of `in` into `out`.
    Status activation(Activation act, const std::string& node_name, const std::string& in, const std::string& out) {
        switch (act) {
            case Activation::None:
                node("Identity", node_name, {in}, out);
                return Status::success();
            case Activation::Relu:
                node("Relu", node_name, {in}, out);
                return Status::success();
            case Activation::Relu6:
                node("Clip", node_name, {in, scalar("clip#min0", 0.0f), scalar("clip#max6", 6.0f)}, out);
                return Status::success();
            case Activation::HardSwish:
                node("HardSwish", node_name, {in}, out);
                return Status::success();
            case Activation::HardSigmoid: {
                // relu6(x + 3) / 6 = max(0, min(1, x / 6 + 0.5))
                auto& n = node("HardSigmoid", node_name, {in}, out);
                set_attr(n, "alpha", 1.0f / 6.0f);
                set_attr(n, "beta", 0.5f);
                return Status::success();
            }
            case Activation::Sigmoid:
                node("Sigmoid", node_name, {in}, out);
                return Status::success();
            case Activation::Swish:  // opset 14 has no Swish (SiLU): x * sigmoid(x)
                node("Sigmoid", node_name + "#sigmoid", {in}, node_name + "#sigmoid");
                node("Mul", node_name, {in, node_name + "#sigmoid"}, out);
                return Status::success();
        }
        return Error{"node " + node_name + ": activation " + std::to_string(static_cast<int>(act)) + " has no ONNX form"};
    }

    int count() const { return count_; }

private:
    const ModelFile& model_;
    onnx::GraphProto& g_;
    std::set<std::string> added_;
    int count_ = 0;
};

// ONNX pads (top, left, bottom, right) that give exactly our output size for this input size.
Result<std::vector<std::int64_t>> explicit_pads(const nn::Node& n, const nn::MapShape& in, const nn::MapShape& out) {
    const int bottom = std::max(0, (out.h - 1) * n.stride_h + n.kernel_h - in.h - out.pad_top);
    const int right = std::max(0, (out.w - 1) * n.stride_w + n.kernel_w - in.w - out.pad_left);
    const int oh = (in.h + out.pad_top + bottom - n.kernel_h) / n.stride_h + 1;
    const int ow = (in.w + out.pad_left + right - n.kernel_w) / n.stride_w + 1;
    if (oh != out.h || ow != out.w) return Error{"node " + n.name + ": no ONNX padding gives its output size"};
    return std::vector<std::int64_t>{out.pad_top, out.pad_left, bottom, right};
}

// A convolution's or pooling's window: kernel, strides and padding, so that ONNX computes our
// output size (TF SAME: SAME_UPPER where the size is symbolic, explicit pads otherwise).
Status set_window(onnx::NodeProto& node, const nn::Node& n, const nn::MapShape& in, const nn::MapShape& out,
                  bool dynamic) {
    set_attr(node, "kernel_shape", std::vector<std::int64_t>{n.kernel_h, n.kernel_w});
    set_attr(node, "strides", std::vector<std::int64_t>{n.stride_h, n.stride_w});
    if (n.padding == nn::Padding::Same && dynamic) {
        // TF SAME = ONNX SAME_UPPER: out = ceil(in / stride), the odd pad pixel at the end.
        set_attr(node, "auto_pad", std::string("SAME_UPPER"));
    } else if (n.padding == nn::Padding::Explicit) {
        set_attr(node, "pads", std::vector<std::int64_t>{n.pad_top, n.pad_left, n.pad_bottom, n.pad_right});
    } else {
        auto pads = explicit_pads(n, in, out);
        if (!pads) return pads.error();
        set_attr(node, "pads", *pads);
    }
    return Status::success();
}

}  // namespace

Result<onnx::ModelProto> build_onnx(const ModelFile& model, const OnnxExportOptions& opt, const std::string& label,
                                    OnnxExportSummary* summary) {
    const ModelHeader& h = model.header();
    const nn::Graph& graph = h.graph;
    const Preprocess& pre = h.preprocess;
    auto fail = [&](const std::string& why) { return Error{"cannot export " + label + " to ONNX: " + why}; };

    if ((opt.height > 0) != (opt.width > 0) || opt.height < 0 || opt.width < 0)
        return fail("give both the input height and width, or neither");
    if (opt.height > 0 && !pre.any_size && (opt.height != pre.height || opt.width != pre.width))
        return fail("model " + h.name + " runs only at its native size " + std::to_string(pre.width) + "x" +
                    std::to_string(pre.height));
    const bool dynamic = pre.any_size && opt.height == 0;
    const int in_h = opt.height > 0 ? opt.height : pre.height;
    const int in_w = opt.width > 0 ? opt.width : pre.width;

    auto outputs = choose_outputs(h, opt.outputs, opt.default_outputs);
    if (!outputs) return fail(outputs.error().message);

    const int count = static_cast<int>(graph.nodes.size());
    std::vector<bool> needed(count, false);
    for (const auto& o : *outputs) needed[o.node] = true;
    for (int i = count - 1; i >= 0; --i)
        if (needed[i])
            for (int in : graph.nodes[i].inputs) needed[in] = true;
    // Shapes at the exported size (a symbolic export is checked at the native size).
    auto shapes = nn::infer_shapes(graph, h.tensor_shapes, in_h, in_w, needed);
    if (!shapes) return fail("at " + std::to_string(in_w) + "x" + std::to_string(in_h) + ": " + shapes.error().message);

    onnx::ModelProto m;
    m.set_ir_version(kIrVersion);
    m.set_producer_name(kProducerName);
    m.set_model_version(1);
    m.set_doc_string(h.architecture + "; weights: " + h.source);
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpsetVersion);
    auto* meta = m.add_metadata_props();
    meta->set_key(kPreprocessKey);
    meta->set_value(nlohmann::json{{"scale", pre.scale}, {"offset", pre.offset}, {"resize", pre.resize},
                                   {"width", pre.width}, {"height", pre.height}, {"any_size", pre.any_size},
                                   {"channels", "RGB"}, {"layout", "NCHW"}}
                        .dump());
    onnx::GraphProto& g = *m.mutable_graph();
    g.set_name(h.name);

    std::set<std::string> output_names;
    for (const auto& o : *outputs) output_names.insert(o.name);
    // Each node's output value; renamed where a graph output takes its name but not its value.
    std::vector<std::string> value(count);
    for (int i = 0; i < count; ++i) {
        value[i] = i == 0 ? kInputName : graph.nodes[i].name;
        const bool is_output_as_is = std::any_of(outputs->begin(), outputs->end(), [&](const Output& o) {
            return o.node == i && o.name == value[i] && graph.nodes[i].out_scale == 1.0f;
        });
        if (output_names.count(value[i]) && !is_output_as_is) value[i] += "#value";
    }

    auto* input = g.add_input();
    input->set_name(kInputName);
    if (dynamic) set_float_type(*input, {1, 3, -1, -1}, {"", "", kHeightParam, kWidthParam});
    else set_float_type(*input, {1, 3, in_h, in_w});

    Writer w(model, g);
    for (int i = 1; i < count; ++i) {
        if (!needed[i]) continue;
        const nn::Node& n = graph.nodes[i];
        const nn::MapShape& s = (*shapes)[i];
        const std::string& x = value[n.inputs.empty() ? 0 : n.inputs[0]];
        // A fused activation becomes the next node: the op writes a pre-activation value.
        const bool fused = n.act != Activation::None && n.op != OpType::Activation;
        const std::string out = fused ? n.name + "#pre_act" : value[i];
        switch (n.op) {
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D: {
                const bool dw = n.op == OpType::DepthwiseConv2D;
                auto wt = w.conv_weights(n.weights, dw);
                if (!wt) return fail("node " + n.name + ": " + wt.error().message);
                std::vector<std::string> ins{x, *wt};
                if (!n.bias.empty()) {
                    auto b = w.bias(n.bias);
                    if (!b) return fail("node " + n.name + ": " + b.error().message);
                    ins.push_back(*b);
                }
                auto& c = w.node("Conv", n.name, ins, out);
                set_attr(c, "dilations", std::vector<std::int64_t>{1, 1});
                set_attr(c, "group", static_cast<std::int64_t>(dw ? s.c : 1));
                if (auto st = set_window(c, n, (*shapes)[n.inputs[0]], s, dynamic); !st) return fail(st.error().message);
                break;
            }
            case OpType::MaxPool:
            case OpType::AvgPool: {
                // Padded taps are ignored in both (ONNX pads MaxPool with -infinity), or count as
                // zeros in an average with count_include_pad (pads from auto_pad too).
                const bool avg = n.op == OpType::AvgPool;
                auto& p = w.node(avg ? "AveragePool" : "MaxPool", n.name, {x}, out);
                if (avg) set_attr(p, "count_include_pad", std::int64_t{n.count_include_pad});
                if (auto st = set_window(p, n, (*shapes)[n.inputs[0]], s, dynamic); !st) return fail(st.error().message);
                break;
            }
            case OpType::Concat:
                set_attr(w.node("Concat", n.name, {x, value[n.inputs[1]]}, out), "axis", std::int64_t{1});
                break;
            case OpType::ChannelSlice:
                w.node("Slice", n.name,
                       {x, w.int64s(n.name + "#starts", {n.channel_start}),
                        w.int64s(n.name + "#ends", {n.channel_start + n.out_channels}), w.int64s("axes#channels", {1})},
                       out);
                break;
            case OpType::ChannelShuffle: {
                // C = g x (C / g) channels read as a g x (C / g) matrix, transposed: the groups'
                // channels interleaved. At a fixed size in the form PyTorch writes (and our
                // importer reads): Reshape to 1 x g x C/g x H x W, Transpose 0,2,1,3,4, Reshape
                // back. At a symbolic size H x W is one axis and the last Reshape takes the
                // input's own shape.
                const std::int64_t g = n.groups, c = s.c, h = s.h, wd = s.w;
                const std::string grouped = n.name + "#grouped", interleaved = n.name + "#interleaved";
                if (!dynamic) {
                    w.node("Reshape", n.name + "#groups", {x, w.int64s(n.name + "#group_shape", {1, g, c / g, h, wd})},
                           grouped);
                    set_attr(w.node("Transpose", n.name + "#transpose", {grouped}, interleaved), "perm",
                             std::vector<std::int64_t>{0, 2, 1, 3, 4});
                    w.node("Reshape", n.name, {interleaved, w.int64s(n.name + "#shape", {1, c, h, wd})}, out);
                } else {
                    w.node("Reshape", n.name + "#groups", {x, w.int64s(n.name + "#group_shape", {1, g, c / g, -1})},
                           grouped);
                    set_attr(w.node("Transpose", n.name + "#transpose", {grouped}, interleaved), "perm",
                             std::vector<std::int64_t>{0, 2, 1, 3});
                    w.node("Shape", n.name + "#shape", {x}, n.name + "#input_shape");
                    w.node("Reshape", n.name, {interleaved, n.name + "#input_shape"}, out);
                }
                break;
            }
            case OpType::Add:
                w.node("Add", n.name, {x, value[n.inputs[1]]}, out);
                break;
            case OpType::ScaleChannels:
                // A 1 x C x 1 x 1 gate times the 1 x C x H x W map: ONNX broadcasting. The gate
                // goes first: OpenCV 4.6 reads a broadcast Mul of two computed values right only
                // this way round (the other gives it a 1 x C x 1 x 1 result).
                w.node("Mul", n.name, {value[n.inputs[1]], x}, out);
                break;
            case OpType::Mul:
                w.node("Mul", n.name, {x, value[n.inputs[1]]}, out);
                break;
            case OpType::Affine:
                w.node("Mul", n.name + "#scale", {x, w.scalar(n.name + "#scale_value", n.scale)}, n.name + "#scaled");
                w.node("Add", n.name, {n.name + "#scaled", w.scalar(n.name + "#shift_value", n.shift)}, out);
                break;
            case OpType::Activation:
                if (auto st = w.activation(n.act, n.name, x, out); !st) return fail(st.error().message);
                break;
            case OpType::GlobalAvgPool:
                w.node("GlobalAveragePool", n.name, {x}, out);
                break;
            default:
                return fail("node " + n.name + ": op " + nn::op_name(n.op) + " has no ONNX form");
        }
        if (fused)
            if (auto st = w.activation(n.act, n.name + "#act", out, value[i]); !st) return fail(st.error().message);
    }

    if (summary) {
        summary->input = kInputName;
        summary->input_shape = {1, 3, dynamic ? -1 : in_h, dynamic ? -1 : in_w};
        summary->outputs.clear();
        summary->output_nodes.clear();
        summary->opset = static_cast<int>(kOpsetVersion);
    }
    for (const auto& o : *outputs) {
        const nn::Node& n = graph.nodes[o.node];
        if (value[o.node] != o.name) {
            if (n.out_scale != 1.0f)  // a factor the import could not fold (see nn::Node::out_scale)
                w.node("Mul", o.name + "#out_scale", {value[o.node], w.scalar(o.name + "#out_scale_value", n.out_scale)},
                       o.name);
            else
                w.node("Identity", o.name + "#output", {value[o.node]}, o.name);
        }
        const nn::MapShape& s = (*shapes)[o.node];
        auto* v = g.add_output();
        v->set_name(o.name);
        if (dynamic && !s.vector) set_float_type(*v, {1, s.c, -1, -1});
        else set_float_type(*v, {1, s.c, s.h, s.w});
        if (summary) {
            summary->outputs.push_back(o.name);
            summary->output_nodes.push_back(n.name);
        }
    }
    if (summary) summary->onnx_nodes = w.count();
    return m;
}

}  // namespace rv::onnx_io

namespace rv {

Result<OnnxExportSummary> export_onnx(const std::filesystem::path& model_file, const std::filesystem::path& out,
                                      const OnnxExportOptions& options) {
    auto model = ModelFile::load(model_file);
    if (!model) return model.error();
    OnnxExportSummary summary;
    auto proto = onnx_io::build_onnx(**model, options, "model file " + model_file.string(), &summary);
    if (!proto) return proto.error();
    if (auto st = onnx_io::check_model(*proto); !st)
        return Error{"the ONNX export of " + model_file.string() + " fails " + st.error().message};
    if (auto st = onnx_io::write_model(*proto, out); !st) return st.error();
    return summary;
}

}  // namespace rv
