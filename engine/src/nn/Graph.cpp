#include "nn/Graph.h"

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

namespace rv::nn {

namespace {

struct OpInfo {
    OpType op;
    const char* name;
};
constexpr OpInfo kOps[] = {
    {OpType::Input, "input"},         {OpType::Conv2D, "conv2d"}, {OpType::DepthwiseConv2D, "depthwise_conv2d"},
    {OpType::Add, "add"},             {OpType::ScaleChannels, "scale_channels"},
    {OpType::Affine, "affine"},       {OpType::Mul, "mul"},       {OpType::Activation, "activation"},
    {OpType::GlobalAvgPool, "global_avg_pool"},
};

constexpr const char* kActs[] = {"none", "relu", "relu6", "hard_swish", "hard_sigmoid"};

bool parse_op(const std::string& s, OpType& out) {
    for (const auto& o : kOps)
        if (s == o.name) {
            out = o.op;
            return true;
        }
    return false;
}

bool parse_act(const std::string& s, Activation& out) {
    for (int i = 0; i < 5; ++i)
        if (s == kActs[i]) {
            out = static_cast<Activation>(i);
            return true;
        }
    return false;
}

bool near(float a, float b) { return std::fabs(a - b) <= 1e-3f * std::max(1.0f, std::fabs(b)); }

bool is_conv(OpType op) { return op == OpType::Conv2D || op == OpType::DepthwiseConv2D; }

std::vector<std::vector<int>> consumers_of(const Graph& g) {
    std::vector<std::vector<int>> c(g.nodes.size());
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i)
        for (int in : g.nodes[i].inputs) c[in].push_back(i);
    return c;
}

// Replaces every use of node `from` by node `to`.
void redirect(Graph& g, int from, int to) {
    for (auto& n : g.nodes)
        for (int& in : n.inputs)
            if (in == from) in = to;
}

}  // namespace

const char* op_name(OpType op) {
    for (const auto& o : kOps)
        if (o.op == op) return o.name;
    return "?";
}

int Graph::find(const std::string& name_or_alias) const {
    std::string name = name_or_alias;
    if (auto it = aliases.find(name); it != aliases.end()) name = it->second;
    for (int i = 0; i < static_cast<int>(nodes.size()); ++i)
        if (nodes[i].name == name) return i;
    return -1;
}

int Graph::channels(int node) const {
    if (node < 0 || node >= static_cast<int>(nodes.size())) return 0;
    const Node& n = nodes[node];
    if (n.op == OpType::Input) return 3;
    if (is_conv(n.op)) return n.out_channels;
    return n.inputs.empty() ? 0 : channels(n.inputs[0]);
}

nlohmann::json Graph::to_json() const {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& n : nodes) {
        nlohmann::json j;
        j["name"] = n.name;
        j["op"] = op_name(n.op);
        j["inputs"] = n.inputs;
        if (n.act != Activation::None) j["act"] = kActs[static_cast<int>(n.act)];
        if (is_conv(n.op)) {
            j["kernel"] = {n.kernel_h, n.kernel_w};
            j["stride"] = {n.stride_h, n.stride_w};
            if (n.padding == Padding::Same)
                j["padding"] = "same";
            else
                j["padding"] = {n.pad_top, n.pad_left, n.pad_bottom, n.pad_right};
            j["out_channels"] = n.out_channels;
            j["weights"] = n.weights;
            if (!n.bias.empty()) j["bias"] = n.bias;
        }
        if (n.op == OpType::Affine) {
            j["scale"] = n.scale;
            j["shift"] = n.shift;
        }
        if (n.out_scale != 1.0f) j["out_scale"] = n.out_scale;
        arr.push_back(std::move(j));
    }
    return {{"nodes", arr}, {"aliases", aliases}};
}

Result<Graph> Graph::from_json(const nlohmann::json& j) {
    Graph g;
    try {
        for (const auto& jn : j.at("nodes")) {
            Node n;
            n.name = jn.at("name").get<std::string>();
            if (!parse_op(jn.at("op").get<std::string>(), n.op))
                return Error{"unknown op '" + jn.at("op").get<std::string>() + "' at node " + n.name};
            n.inputs = jn.at("inputs").get<std::vector<int>>();
            if (jn.contains("act") && !parse_act(jn["act"].get<std::string>(), n.act))
                return Error{"unknown activation at node " + n.name};
            if (is_conv(n.op)) {
                n.kernel_h = jn.at("kernel")[0];
                n.kernel_w = jn.at("kernel")[1];
                n.stride_h = jn.at("stride")[0];
                n.stride_w = jn.at("stride")[1];
                const auto& p = jn.at("padding");
                if (p.is_string()) {
                    if (p.get<std::string>() != "same") return Error{"unknown padding at node " + n.name};
                    n.padding = Padding::Same;
                } else {
                    n.padding = Padding::Explicit;
                    n.pad_top = p.at(0);
                    n.pad_left = p.at(1);
                    n.pad_bottom = p.at(2);
                    n.pad_right = p.at(3);
                }
                n.out_channels = jn.at("out_channels");
                n.weights = jn.at("weights").get<std::string>();
                if (jn.contains("bias")) n.bias = jn["bias"].get<std::string>();
            }
            if (n.op == OpType::Affine) {
                n.scale = jn.at("scale");
                n.shift = jn.at("shift");
            }
            n.out_scale = jn.value("out_scale", 1.0f);
            if (!(n.out_scale > 0.0f)) return Error{"node " + n.name + ": out_scale must be positive"};
            g.nodes.push_back(std::move(n));
        }
        if (j.contains("aliases")) g.aliases = j["aliases"].get<std::map<std::string, std::string>>();
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("malformed network description: ") + e.what()};
    }
    return g;
}

Status validate(const Graph& g, const std::map<std::string, std::vector<int>>& shapes) {
    if (g.nodes.empty() || g.nodes[0].op != OpType::Input) return Error{"network has no input node"};
    auto arity = [](OpType op) {
        switch (op) {
            case OpType::Input: return 0;
            case OpType::Add:
            case OpType::ScaleChannels:
            case OpType::Mul: return 2;
            default: return 1;
        }
    };
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
        const Node& n = g.nodes[i];
        if (static_cast<int>(n.inputs.size()) != arity(n.op))
            return Error{"node " + n.name + " (" + op_name(n.op) + ") has " + std::to_string(n.inputs.size()) +
                         " inputs"};
        for (int in : n.inputs)
            if (in < 0 || in >= i) return Error{"node " + n.name + " refers to a node that does not precede it"};
        if (n.op == OpType::Affine || n.op == OpType::Mul)
            return Error{"node " + n.name + ": op " + op_name(n.op) + " is not runnable (unfused import pattern)"};
        if (n.op == OpType::Input && i != 0) return Error{"second input node " + n.name};
        if (is_conv(n.op)) {
            auto w = shapes.find(n.weights);
            if (w == shapes.end()) return Error{"node " + n.name + ": missing tensor " + n.weights};
            if (n.kernel_h < 1 || n.kernel_w < 1 || n.stride_h < 1 || n.stride_w < 1 || n.out_channels < 1 ||
                n.pad_top < 0 || n.pad_left < 0 || n.pad_bottom < 0 || n.pad_right < 0)
                return Error{"node " + n.name + ": invalid convolution geometry"};
            const auto& s = w->second;
            bool ok = n.op == OpType::Conv2D
                          ? (s.size() == 4 && s[0] == n.kernel_h && s[1] == n.kernel_w && s[3] == n.out_channels)
                          : (s.size() == 3 && s[0] == n.kernel_h && s[1] == n.kernel_w && s[2] == n.out_channels);
            if (!ok) return Error{"node " + n.name + ": tensor " + n.weights + " has the wrong shape"};
            if (!n.bias.empty()) {
                auto b = shapes.find(n.bias);
                if (b == shapes.end() || b->second.size() != 1 || b->second[0] != n.out_channels)
                    return Error{"node " + n.name + ": bias " + n.bias + " missing or of the wrong shape"};
            }
        }
    }
    for (const auto& [alias, name] : g.aliases)
        if (g.find(name) < 0) return Error{"alias " + alias + " names a missing node " + name};
    return Status::success();
}

int simplify(Graph& g, const std::vector<std::string>& keep) {
    const int before = static_cast<int>(g.nodes.size());
    auto node_at = [&](int i) -> Node& { return g.nodes[i]; };
    auto is_affine = [&](int i, float scale, float shift) {
        const Node& n = node_at(i);
        return n.op == OpType::Affine && near(n.scale, scale) && near(n.shift, shift);
    };
    auto is_relu6_of_plus3 = [&](int i, int* x) {
        const Node& n = node_at(i);
        if (n.op != OpType::Activation || n.act != Activation::Relu6) return false;
        if (!is_affine(n.inputs[0], 1.0f, 3.0f)) return false;
        *x = node_at(n.inputs[0]).inputs[0];
        return true;
    };

    // x * relu6(x + 3) / 6 -> HardSwish(x); relu6(x + 3) / 6 -> HardSigmoid(x).
    for (auto& n : g.nodes) {
        if (n.op == OpType::Mul) {
            for (int k = 0; k < 2; ++k) {
                int a = n.inputs[k], b = n.inputs[1 - k], x = -1;
                if (is_affine(a, 1.0f / 6.0f, 0.0f) && is_relu6_of_plus3(b, &x) && node_at(a).inputs[0] == x) {
                    n.out_scale = node_at(a).scale * 6.0f;
                    n.op = OpType::Activation;
                    n.act = Activation::HardSwish;
                    n.inputs = {x};
                    break;
                }
            }
        } else if (n.op == OpType::Affine && near(n.scale, 1.0f / 6.0f) && n.shift == 0.0f) {
            int x = -1;
            if (is_relu6_of_plus3(n.inputs[0], &x)) {
                n.out_scale = n.scale * 6.0f;
                n.op = OpType::Activation;
                n.act = Activation::HardSigmoid;
                n.inputs = {x};
            }
        }
    }

    // Remaining Mul of a map by a 1 x 1 x C vector (squeeze-excite) -> ScaleChannels(map, gate).
    std::vector<bool> is_vector(g.nodes.size(), false);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        Node& n = g.nodes[i];
        if (n.op == OpType::GlobalAvgPool)
            is_vector[i] = true;
        else if (!n.inputs.empty() && n.op != OpType::ScaleChannels && n.op != OpType::Mul)
            is_vector[i] = is_vector[n.inputs[0]];
        if (n.op == OpType::Mul) {
            if (is_vector[n.inputs[0]] && !is_vector[n.inputs[1]]) std::swap(n.inputs[0], n.inputs[1]);
            if (is_vector[n.inputs[1]] && !is_vector[n.inputs[0]]) n.op = OpType::ScaleChannels;
        }
    }

    auto remove_dead = [&]() {
        std::set<int> live;
        std::vector<int> stack;
        for (const auto& k : keep)
            if (int i = g.find(k); i >= 0) stack.push_back(i);
        stack.push_back(0);
        while (!stack.empty()) {
            int i = stack.back();
            stack.pop_back();
            if (!live.insert(i).second) continue;
            for (int in : g.nodes[i].inputs) stack.push_back(in);
        }
        std::vector<int> remap(g.nodes.size(), -1);
        std::vector<Node> kept;
        for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i)
            if (live.count(i)) {
                remap[i] = static_cast<int>(kept.size());
                kept.push_back(std::move(g.nodes[i]));
            }
        for (auto& n : kept)
            for (int& in : n.inputs) in = remap[in];
        g.nodes = std::move(kept);
    };
    remove_dead();

    // Fold a standalone activation into its producer when nothing else reads the producer.
    std::set<std::string> keep_names;
    for (const auto& k : keep) {
        int i = g.find(k);
        if (i >= 0) keep_names.insert(g.nodes[i].name);
    }
    auto consumers = consumers_of(g);
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
        Node& n = g.nodes[i];
        if (n.op != OpType::Activation) continue;
        int p = n.inputs[0];
        Node& prod = g.nodes[p];
        bool fusable_op = is_conv(prod.op) || prod.op == OpType::Add;
        if (!fusable_op || prod.act != Activation::None || prod.out_scale != 1.0f || consumers[p].size() != 1 || keep_names.count(prod.name))
            continue;
        prod.act = n.act;
        prod.out_scale = n.out_scale;
        // The producer takes the activation's name so that aliases and outputs keep meaning.
        std::string name = n.name;
        n.op = OpType::Affine;  // now dead; removed below
        redirect(g, i, p);
        n.inputs = {p};
        prod.name = name;
        n.name += "/fused_away";
    }
    remove_dead();
    return before - static_cast<int>(g.nodes.size());
}

bool fold_output_scales(Graph& g, TensorMap& tensors, std::string* why) {
    // owed[i]: the stored network's output of node i = owed[i] x what the kernels compute,
    // after folding every upstream factor into weights.
    std::vector<float> owed(g.nodes.size(), 1.0f);
    const auto consumers = consumers_of(g);
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        Node& n = g.nodes[i];
        const float in = n.inputs.empty() ? 1.0f : owed[n.inputs[0]];
        float out = 1.0f;
        switch (n.op) {
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D:
                if (in != 1.0f) {
                    // conv(k x) = k conv(x) for the weights part; the bias stays.
                    auto& w = tensors.at(n.weights).data;
                    for (float& v : w) v *= in;
                }
                break;
            case OpType::GlobalAvgPool:
                out = in;
                break;
            case OpType::ScaleChannels:
                out = in * owed[n.inputs[1]];
                break;
            case OpType::Add: {
                // Unequal factors: rescale a linear convolution feeding only this add (weights
                // and bias) so that both sides owe the same factor.
                for (int side = 0; side < 2 && owed[n.inputs[0]] != owed[n.inputs[1]]; ++side) {
                    const int p = n.inputs[side];
                    Node& prod = g.nodes[p];
                    if (!is_conv(prod.op) || prod.act != Activation::None || consumers[p].size() != 1) continue;
                    const float r = owed[p] / owed[n.inputs[1 - side]];
                    for (float& v : tensors.at(prod.weights).data) v *= r;
                    if (!prod.bias.empty())
                        for (float& v : tensors.at(prod.bias).data) v *= r;
                    owed[p] = owed[n.inputs[1 - side]];
                }
                if (owed[n.inputs[0]] != owed[n.inputs[1]] || (owed[n.inputs[0]] != 1.0f && n.act != Activation::None)) {
                    *why = "node " + n.name + " adds maps with different pending scales";
                    return false;
                }
                out = owed[n.inputs[0]];
                break;
            }
            case OpType::Activation:
                if (in != 1.0f && !(n.act == Activation::Relu)) {
                    *why = "node " + n.name + ": a pending scale meets a non-linear activation";
                    return false;
                }
                out = in;
                break;
            default:
                break;
        }
        owed[i] = out * n.out_scale;
    }
    for (std::size_t i = 0; i < g.nodes.size(); ++i) g.nodes[i].out_scale = owed[i];
    return true;
}

}  // namespace rv::nn
