#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "import/Importers.h"
#include "import/TfjsWeights.h"

namespace rv::import {

namespace {

using nlohmann::json;

std::string strip_port(std::string s) {
    if (auto c = s.find(':'); c != std::string::npos) s.resize(c);
    return s;
}

std::string attr_string(const json& node, const char* key) {
    if (!node.contains("attr") || !node["attr"].contains(key)) return {};
    return tfjs::base64_decode(node["attr"][key].value("s", ""));
}

std::vector<int> attr_ints(const json& node, const char* key) {
    std::vector<int> v;
    if (node.contains("attr") && node["attr"].contains(key))
        for (const auto& x : node["attr"][key]["list"].value("i", json::array())) v.push_back(std::stoi(x.get<std::string>()));
    return v;
}

std::vector<std::string> attr_strings(const json& node, const char* key) {
    std::vector<std::string> v;
    if (node.contains("attr") && node["attr"].contains(key))
        for (const auto& x : node["attr"][key]["list"].value("s", json::array()))
            v.push_back(tfjs::base64_decode(x.get<std::string>()));
    return v;
}

}  // namespace

Result<Imported> import_tfjs_graph(const std::filesystem::path& model_json, const std::string& input,
                                   const std::vector<std::string>& outputs) {
    const std::string where = model_json.string() + ": ";
    std::ifstream f(model_json);
    if (!f) return Error{"cannot open " + model_json.string()};
    json mj = json::parse(f, nullptr, false);
    if (mj.is_discarded()) return Error{where + "not valid JSON"};
    if (mj.value("format", "") != "graph-model") return Error{where + "not a TF.js graph model"};
    auto weights = tfjs::read_weights(mj.value("weightsManifest", json::array()), model_json.parent_path());
    if (!weights) return weights.error();

    std::map<std::string, const json*> by_name;
    try {
        for (const auto& n : mj.at("modelTopology").at("node")) by_name[n.at("name").get<std::string>()] = &n;
    } catch (const json::exception& e) {
        return Error{where + "malformed graph: " + e.what()};
    }

    Imported out;
    std::map<std::string, int> node_of;  // TF node -> our node index
    std::set<std::string> visiting;
    auto is_const = [&](const std::string& n) {
        auto it = by_name.find(n);
        return it != by_name.end() && (*it->second)["op"] == "Const";
    };
    auto scalar = [&](const std::string& n, float* v) {
        auto it = weights->find(n);
        if (!is_const(n) || it == weights->end() || it->second.data.size() != 1) return false;
        *v = it->second.data[0];
        return true;
    };
    auto copy_tensor = [&](const std::string& n) -> Status {
        auto it = weights->find(n);
        if (!is_const(n) || it == weights->end()) return Error{where + "missing constant " + n};
        out.tensors[n] = it->second;
        return Status::success();
    };

    std::function<Result<int>(const std::string&)> visit = [&](const std::string& name) -> Result<int> {
        if (auto it = node_of.find(name); it != node_of.end()) return it->second;
        auto found = by_name.find(name);
        if (found == by_name.end()) return Error{where + "no node named " + name};
        if (!visiting.insert(name).second) return Error{where + "cycle at node " + name};
        const json& tf = *found->second;
        const std::string op = tf.at("op");
        std::vector<std::string> ins;
        for (const auto& i : tf.value("input", json::array()))
            if (i.get<std::string>()[0] != '^') ins.push_back(strip_port(i));

        nn::Node n;
        n.name = name;
        auto map_input = [&](std::size_t k) -> Status {
            auto r = visit(ins.at(k));
            if (!r) return r.error();
            n.inputs.push_back(*r);
            return Status::success();
        };
        Status st;
        if (op == "Placeholder") {
            if (name != input) return Error{where + "subgraph needs placeholder " + name + ", expected " + input};
            if (!out.graph.nodes.empty()) return Error{where + "the input must be visited first"};
            n.op = nn::OpType::Input;
        } else if (op == "Identity") {
            auto r = visit(ins.at(0));
            visiting.erase(name);
            if (r) node_of[name] = *r;
            return r;
        } else if (op == "_FusedConv2D" || op == "Conv2D" || op == "FusedDepthwiseConv2dNative" ||
                   op == "DepthwiseConv2dNative") {
            const bool dw = op.find("Depthwise") != std::string::npos;
            n.op = dw ? nn::OpType::DepthwiseConv2D : nn::OpType::Conv2D;
            if (!(st = map_input(0))) return st.error();
            auto strides = attr_ints(tf, "strides");
            auto dil = attr_ints(tf, "dilations");
            if (strides.size() != 4 || strides[0] != 1 || strides[3] != 1)
                return Error{where + name + ": unsupported strides"};
            for (int d : dil)
                if (d != 1) return Error{where + name + ": dilated convolutions are not supported"};
            if (auto fmt = attr_string(tf, "data_format"); !fmt.empty() && fmt != "NHWC")
                return Error{where + name + ": data format " + fmt + " is not supported"};
            n.stride_h = strides[1];
            n.stride_w = strides[2];
            const std::string pad = attr_string(tf, "padding");
            if (pad == "SAME")
                n.padding = nn::Padding::Same;
            else if (pad == "VALID")
                n.padding = nn::Padding::Explicit;
            else
                return Error{where + name + ": padding " + pad + " is not supported"};
            n.weights = ins.at(1);
            if (!(st = copy_tensor(n.weights))) return st.error();
            auto& w = out.tensors[n.weights];
            if (w.shape.size() != 4) return Error{where + name + ": weights are not 4-D"};
            n.kernel_h = w.shape[0];
            n.kernel_w = w.shape[1];
            if (dw) {
                if (w.shape[3] != 1) return Error{where + name + ": depth multiplier other than 1"};
                w.shape.pop_back();
                n.out_channels = w.shape[2];
            } else {
                n.out_channels = w.shape[3];
            }
            auto fused = attr_strings(tf, "fused_ops");
            if (op.rfind("Fused", 0) == 0 || op == "_FusedConv2D") {
                if (fused.empty() || fused[0] != "BiasAdd")
                    return Error{where + name + ": fused ops other than BiasAdd[+activation] are not supported"};
                n.bias = ins.at(2);
                if (!(st = copy_tensor(n.bias))) return st.error();
                if (fused.size() > 1) {
                    if (fused[1] == "Relu") n.act = nn::Activation::Relu;
                    else if (fused[1] == "Relu6") n.act = nn::Activation::Relu6;
                    else return Error{where + name + ": fused activation " + fused[1] + " is not supported"};
                }
            }
        } else if (op == "Add" || op == "AddV2" || op == "Mul") {
            float c;
            const bool add = op != "Mul";
            int ci = scalar(ins.at(0), &c) ? 0 : (scalar(ins.at(1), &c) ? 1 : -1);
            if (ci >= 0) {
                n.op = nn::OpType::Affine;
                if (add) n.shift = c;
                else n.scale = c;
                if (!(st = map_input(1 - ci))) return st.error();
            } else {
                n.op = add ? nn::OpType::Add : nn::OpType::Mul;
                if (!(st = map_input(0)) || !(st = map_input(1))) return st.error();
            }
        } else if (op == "Relu" || op == "Relu6") {
            n.op = nn::OpType::Activation;
            n.act = op == "Relu" ? nn::Activation::Relu : nn::Activation::Relu6;
            if (!(st = map_input(0))) return st.error();
        } else if (op == "Mean") {
            auto axes = weights->find(ins.at(1));
            bool keep = tf.contains("attr") && tf["attr"].contains("keep_dims") && tf["attr"]["keep_dims"].value("b", false);
            if (axes == weights->end() || axes->second.data != std::vector<float>{1, 2} || !keep)
                return Error{where + name + ": only a spatial mean with keep_dims is supported"};
            n.op = nn::OpType::GlobalAvgPool;
            if (!(st = map_input(0))) return st.error();
        } else {
            return Error{where + "node " + name + ": op " + op + " is not supported"};
        }
        visiting.erase(name);
        out.graph.nodes.push_back(std::move(n));
        int idx = static_cast<int>(out.graph.nodes.size()) - 1;
        node_of[name] = idx;
        return idx;
    };

    if (auto r = visit(input); !r) return r.error();
    for (const auto& o : outputs)
        if (auto r = visit(o); !r) return r.error();
    return out;
}

}  // namespace rv::import
