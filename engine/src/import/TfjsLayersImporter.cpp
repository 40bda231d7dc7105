#include <cmath>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "import/Importers.h"
#include "import/TfjsWeights.h"

namespace rv::import {

namespace {

using nlohmann::json;

// Where a Keras layer's output lives in our graph: a node, plus padding still to be absorbed
// by the next convolution (Keras ZeroPadding2D).
struct Slot {
    int node = -1;
    int pad[4] = {0, 0, 0, 0};  // top, left, bottom, right
    bool padded() const { return pad[0] || pad[1] || pad[2] || pad[3]; }
    std::string unsupported;    // why this layer cannot be imported (empty if it can)
};

Result<nn::Activation> keras_activation(const std::string& a) {
    if (a == "linear") return nn::Activation::None;
    if (a == "relu") return nn::Activation::Relu;
    if (a == "relu6") return nn::Activation::Relu6;
    if (a == "hard_sigmoid") return nn::Activation::HardSigmoid;
    if (a == "sigmoid") return nn::Activation::Sigmoid;
    if (a == "swish") return nn::Activation::Swish;
    return Error{"unsupported activation " + a};
}

}  // namespace

void fold_batch_norm(nn::Node& conv, nn::TensorMap& tensors, const std::vector<float>& gamma,
                     const std::vector<float>& beta, const std::vector<float>& mean, const std::vector<float>& var,
                     float eps) {
    auto& w = tensors[conv.weights].data;
    const std::size_t c = gamma.size();
    std::vector<float> bias(c, 0.0f);
    if (!conv.bias.empty()) bias = tensors[conv.bias].data;
    std::vector<float> k(c);
    for (std::size_t i = 0; i < c; ++i) k[i] = gamma[i] / std::sqrt(var[i] + eps);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] *= k[i % c];
    for (std::size_t i = 0; i < c; ++i) bias[i] = (bias[i] - mean[i]) * k[i] + beta[i];
    if (conv.bias.empty()) conv.bias = conv.weights + "/folded_bias";
    tensors[conv.bias] = nn::Tensor{{static_cast<int>(c)}, std::move(bias)};
}

Result<Imported> import_tfjs_layers(const std::filesystem::path& model_json, const std::vector<std::string>& outputs) {
    std::ifstream f(model_json);
    if (!f) return Error{"cannot open " + model_json.string()};
    json mj = json::parse(f, nullptr, false);
    if (mj.is_discarded()) return Error{model_json.string() + ": not valid JSON"};
    auto weights = tfjs::read_weights(mj.value("weightsManifest", json::array()), model_json.parent_path());
    if (!weights) return weights.error();

    Imported out;
    std::map<std::string, Slot> slots;
    const std::string where = model_json.string() + ": ";
    try {
        const json& topo = mj.at("modelTopology");
        const json& cfg = topo.contains("model_config") ? topo["model_config"].at("config") : topo.at("config");
        for (const auto& layer : cfg.at("layers")) {
            const std::string cls = layer.at("class_name");
            const std::string name = layer.at("name");
            const json& c = layer.at("config");
            std::vector<Slot> ins;
            std::string why;
            if (layer.contains("inbound_nodes") && !layer["inbound_nodes"].empty())
                for (const auto& in : layer["inbound_nodes"][0]) {
                    const Slot& s = slots[in[0].get<std::string>()];
                    if (!s.unsupported.empty()) why = s.unsupported;
                    ins.push_back(s);
                }
            Slot slot;
            auto add_node = [&](nn::Node n) {
                n.name = name;
                for (const auto& s : ins) n.inputs.push_back(s.node);
                out.graph.nodes.push_back(std::move(n));
                slot.node = static_cast<int>(out.graph.nodes.size()) - 1;
            };
            auto need_unpadded = [&]() {
                for (const auto& s : ins)
                    if (s.padded()) why = "layer " + name + " (" + cls + ") follows a ZeroPadding2D";
            };
            if (!why.empty()) {
                slot.unsupported = why;
            } else if (cls == "InputLayer") {
                if (!out.graph.nodes.empty()) return Error{where + "more than one input layer"};
                nn::Node n;
                n.op = nn::OpType::Input;
                add_node(n);
            } else if (cls == "ZeroPadding2D") {
                slot = ins.at(0);
                const auto& p = c.at("padding");
                slot.pad[0] += p[0][0].get<int>();
                slot.pad[2] += p[0][1].get<int>();
                slot.pad[1] += p[1][0].get<int>();
                slot.pad[3] += p[1][1].get<int>();
            } else if (cls == "Conv2D" || cls == "DepthwiseConv2D") {
                const bool dw = cls == "DepthwiseConv2D";
                nn::Node n;
                n.op = dw ? nn::OpType::DepthwiseConv2D : nn::OpType::Conv2D;
                n.kernel_h = c.at("kernel_size")[0];
                n.kernel_w = c.at("kernel_size")[1];
                n.stride_h = c.at("strides")[0];
                n.stride_w = c.at("strides")[1];
                if (c.value("dilation_rate", json::array({1, 1})) != json::array({1, 1}))
                    return Error{where + name + ": dilated convolutions are not supported"};
                if (dw && c.value("depth_multiplier", 1) != 1)
                    return Error{where + name + ": depth multiplier other than 1 is not supported"};
                const std::string pad = c.at("padding");
                const Slot& in = ins.at(0);
                if (pad == "same") {
                    if (in.padded()) return Error{where + name + ": ZeroPadding2D before a 'same' convolution"};
                    n.padding = nn::Padding::Same;
                } else {
                    n.padding = nn::Padding::Explicit;
                    n.pad_top = in.pad[0];
                    n.pad_left = in.pad[1];
                    n.pad_bottom = in.pad[2];
                    n.pad_right = in.pad[3];
                }
                auto act = keras_activation(c.value("activation", "linear"));
                if (!act) return Error{where + name + ": " + act.error().message};
                n.act = *act;
                n.weights = name + (dw ? "/depthwise_kernel" : "/kernel");
                auto wt = weights->find(n.weights);
                if (wt == weights->end()) return Error{where + "missing weight " + n.weights};
                nn::Tensor w = wt->second;
                if (dw) {  // [kh][kw][c][1] -> [kh][kw][c]
                    w.shape.pop_back();
                    n.out_channels = w.shape.at(2);
                } else {
                    n.out_channels = c.at("filters");
                }
                out.tensors[n.weights] = std::move(w);
                if (c.value("use_bias", true)) {
                    n.bias = name + "/bias";
                    auto b = weights->find(n.bias);
                    if (b == weights->end()) return Error{where + "missing weight " + n.bias};
                    out.tensors[n.bias] = b->second;
                }
                add_node(n);
            } else if (cls == "BatchNormalization") {
                need_unpadded();
                if (!why.empty()) return Error{where + why};
                nn::Node& conv = out.graph.nodes.at(ins.at(0).node);
                if ((conv.op != nn::OpType::Conv2D && conv.op != nn::OpType::DepthwiseConv2D) ||
                    conv.act != nn::Activation::None) {
                    slot.unsupported = "batch-norm " + name + " does not follow a linear convolution";
                } else {
                    auto get = [&](const char* what) -> const std::vector<float>& {
                        return weights->at(name + "/" + what).data;
                    };
                    std::vector<float> gamma = c.value("scale", true) ? get("gamma")
                                                                      : std::vector<float>(conv.out_channels, 1.0f);
                    std::vector<float> beta = c.value("center", true) ? get("beta")
                                                                      : std::vector<float>(conv.out_channels, 0.0f);
                    fold_batch_norm(conv, out.tensors, gamma, beta, get("moving_mean"), get("moving_variance"),
                                    c.value("epsilon", 1e-3f));
                    conv.name = name;
                    slot.node = ins.at(0).node;
                }
            } else if (cls == "ReLU" || cls == "Activation") {
                need_unpadded();
                nn::Node n;
                n.op = nn::OpType::Activation;
                if (cls == "ReLU") {
                    if (c.value("negative_slope", 0.0f) != 0.0f || c.value("threshold", 0.0f) != 0.0f)
                        slot.unsupported = "leaky/thresholded ReLU " + name;
                    auto mv = c.value("max_value", json());
                    n.act = mv.is_null() ? nn::Activation::Relu
                                         : (mv.get<float>() == 6.0f ? nn::Activation::Relu6 : nn::Activation::None);
                    if (n.act == nn::Activation::None) slot.unsupported = "ReLU with max_value other than 6: " + name;
                } else {
                    auto act = keras_activation(c.at("activation"));
                    if (!act) slot.unsupported = name + ": " + act.error().message;
                    else n.act = *act;
                }
                if (why.empty() && slot.unsupported.empty()) add_node(n);
            } else if (cls == "Add") {
                need_unpadded();
                nn::Node n;
                n.op = nn::OpType::Add;
                if (ins.size() != 2) slot.unsupported = "Add of " + std::to_string(ins.size()) + " inputs: " + name;
                else if (why.empty()) add_node(n);
            } else {
                slot.unsupported = "layer " + name + " of class " + cls + " is not supported";
            }
            if (!why.empty() && slot.unsupported.empty()) slot.unsupported = why;
            slots[name] = slot;
        }
    } catch (const json::exception& e) {
        return Error{where + "malformed layers model: " + e.what()};
    } catch (const std::out_of_range& e) {
        return Error{where + "missing weight or input: " + e.what()};
    }
    for (const auto& o : outputs) {
        auto it = slots.find(o);
        if (it == slots.end()) return Error{where + "no layer named " + o};
        if (!it->second.unsupported.empty()) return Error{where + "cannot import " + o + ": " + it->second.unsupported};
    }
    return out;
}

}  // namespace rv::import
