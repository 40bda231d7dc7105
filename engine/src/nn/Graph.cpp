#include "nn/Graph.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"

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
    // Channels pass unchanged through every op but the input and the convolutions; walking back
    // along first inputs ends because validated inputs always precede their node.
    while (node >= 0 && node < static_cast<int>(nodes.size())) {
        const Node& n = nodes[node];
        if (n.op == OpType::Input) return 3;
        if (is_conv(n.op)) return n.out_channels;
        if (n.inputs.empty() || n.inputs[0] >= node) return 0;
        node = n.inputs[0];
    }
    return 0;
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
    namespace jf = json_fields;
    Graph g;
    try {
        const auto& jnodes = jf::array_value(jf::member(j, "nodes", "network"), "network.nodes", kMaxNodes);
        for (std::size_t i = 0; i < jnodes.size(); ++i) {
            const auto& jn = jnodes[i];
            const std::string at = "node " + std::to_string(i);
            Node n;
            n.name = jf::string_value(jf::member(jn, "name", at), at + " name", 1024);
            const std::string where = "node " + n.name;
            const std::string op = jf::string_value(jf::member(jn, "op", where), where + " op", 64);
            if (!parse_op(op, n.op)) return Error{"unknown op '" + op + "' at node " + n.name};
            for (const auto& in : jf::array_value(jf::member(jn, "inputs", where), where + " inputs", 2))
                // Only earlier nodes: the list is in topological order, so no input can make a cycle.
                n.inputs.push_back(static_cast<int>(jf::int_value(in, where + " input", 0, std::int64_t(i) - 1)));
            if (jf::has(jn, "act") && !parse_act(jf::string_value(jn["act"], where + " act", 64), n.act))
                return Error{"unknown activation at node " + n.name};
            if (is_conv(n.op)) {
                auto pair = [&](const char* key, int lo, int hi, int& a, int& b) {
                    const auto& v = jf::array_value(jf::member(jn, key, where), where + " " + key, 2);
                    if (v.size() != 2) throw jf::FieldError(where + " " + key + " needs 2 values");
                    a = static_cast<int>(jf::int_value(v[0], where + " " + key, lo, hi));
                    b = static_cast<int>(jf::int_value(v[1], where + " " + key, lo, hi));
                };
                pair("kernel", 1, kMaxKernel, n.kernel_h, n.kernel_w);
                pair("stride", 1, kMaxStride, n.stride_h, n.stride_w);
                const auto& p = jf::member(jn, "padding", where);
                if (p.is_string()) {
                    if (p.get_ref<const std::string&>() != "same") return Error{"unknown padding at node " + n.name};
                    n.padding = Padding::Same;
                } else {
                    const auto& pads = jf::array_value(p, where + " padding", 4);
                    if (pads.size() != 4) throw jf::FieldError(where + " padding needs 4 values or \"same\"");
                    n.padding = Padding::Explicit;
                    int* dst[4] = {&n.pad_top, &n.pad_left, &n.pad_bottom, &n.pad_right};
                    for (int k = 0; k < 4; ++k)
                        *dst[k] = static_cast<int>(jf::int_value(pads[k], where + " padding", 0, kMaxPad));
                }
                n.out_channels = static_cast<int>(
                    jf::int_value(jf::member(jn, "out_channels", where), where + " out_channels", 1, kMaxChannels));
                n.weights = jf::string_value(jf::member(jn, "weights", where), where + " weights", 1024);
                if (jf::has(jn, "bias")) n.bias = jf::string_value(jn["bias"], where + " bias", 1024);
            }
            if (n.op == OpType::Affine) {
                n.scale = static_cast<float>(jf::number_value(jf::member(jn, "scale", where), where + " scale", -1e30, 1e30));
                n.shift = static_cast<float>(jf::number_value(jf::member(jn, "shift", where), where + " shift", -1e30, 1e30));
            }
            if (jf::has(jn, "out_scale"))
                n.out_scale = static_cast<float>(jf::number_value(jn["out_scale"], where + " out_scale", 1e-30, 1e30));
            g.nodes.push_back(std::move(n));
        }
        if (jf::has(j, "aliases")) {
            const auto& a = jf::member(j, "aliases", "network");
            if (!a.is_object()) throw jf::FieldError("network.aliases is " + std::string(a.type_name()) + ", expected an object");
            if (a.size() > kMaxNodes) throw jf::FieldError("network.aliases has too many entries");
            for (const auto& [alias, name] : a.items())
                g.aliases[alias] = jf::string_value(name, "alias " + alias, 1024);
        }
    } catch (const jf::FieldError& e) {
        return Error{std::string("malformed network description: ") + e.what()};
    }
    return g;
}

Result<std::vector<MapShape>> infer_shapes(const Graph& g, const TensorShapes& tensors, int h, int w,
                                           const std::vector<bool>& needed) {
    const int count = static_cast<int>(g.nodes.size());
    std::vector<MapShape> shapes(count);
    auto tensor_shape = [&](const std::string& name) -> const std::vector<int>* {
        auto it = tensors.find(name);
        return it == tensors.end() ? nullptr : &it->second;
    };
    for (int i = 0; i < count; ++i) {
        if (!needed.empty() && !needed[i]) continue;
        const Node& n = g.nodes[i];
        const MapShape in = n.inputs.empty() ? MapShape{} : shapes[n.inputs[0]];
        MapShape s;
        switch (n.op) {
            case OpType::Input:
                s = {h, w, 3};
                break;
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D: {
                // Dense HWIO and depthwise [kh][kw][c] weights both keep the input channels at [2].
                const auto* wt = tensor_shape(n.weights);
                if (!wt || wt->size() < 3) return Error{"node " + n.name + ": missing weights " + n.weights};
                if ((*wt)[2] != in.c)
                    return Error{"node " + n.name + ": expects " + std::to_string((*wt)[2]) + " input channels, gets " +
                                 std::to_string(in.c)};
                s.c = n.out_channels;
                if (n.padding == Padding::Same) {
                    s.h = (in.h + n.stride_h - 1) / n.stride_h;
                    s.w = (in.w + n.stride_w - 1) / n.stride_w;
                    s.pad_top = std::max((s.h - 1) * n.stride_h + n.kernel_h - in.h, 0) / 2;
                    s.pad_left = std::max((s.w - 1) * n.stride_w + n.kernel_w - in.w, 0) / 2;
                } else {
                    const int eh = in.h + n.pad_top + n.pad_bottom - n.kernel_h;
                    const int ew = in.w + n.pad_left + n.pad_right - n.kernel_w;
                    if (eh < 0 || ew < 0)
                        return Error{"input " + std::to_string(w) + "x" + std::to_string(h) +
                                     " is too small for the network (at node " + n.name + ")"};
                    s.h = eh / n.stride_h + 1;
                    s.w = ew / n.stride_w + 1;
                    s.pad_top = n.pad_top;
                    s.pad_left = n.pad_left;
                }
                // A 1 x 1 input at every size gives one output shape at every size.
                s.vector = in.vector && s.h == 1 && s.w == 1;
                break;
            }
            case OpType::Add: {
                const MapShape& b = shapes[n.inputs[1]];
                if (b.h != in.h || b.w != in.w || b.c != in.c || b.vector != in.vector)
                    return Error{"node " + n.name + ": adds maps of different shapes (" + std::to_string(in.h) + "x" +
                                 std::to_string(in.w) + "x" + std::to_string(in.c) + " and " + std::to_string(b.h) +
                                 "x" + std::to_string(b.w) + "x" + std::to_string(b.c) + ")"};
                s = in;
                break;
            }
            case OpType::ScaleChannels: {
                const MapShape& gate = shapes[n.inputs[1]];
                if (!gate.vector || gate.c != in.c)
                    return Error{"node " + n.name + ": the gate is not a 1 x 1 x " + std::to_string(in.c) + " vector"};
                s = in;
                break;
            }
            case OpType::Activation:
                s = in;
                break;
            case OpType::GlobalAvgPool:
                s = {1, 1, in.c};
                s.vector = true;
                break;
            default:
                return Error{"node " + n.name + ": op " + op_name(n.op) + " cannot run"};
        }
        if (s.h < 1 || s.w < 1 || s.c < 1 ||
            static_cast<std::int64_t>(s.h) * s.w * s.c > kMaxMapElements)
            return Error{"node " + n.name + ": output of " + std::to_string(s.h) + "x" + std::to_string(s.w) + "x" +
                         std::to_string(s.c) + " is empty or too large"};
        shapes[i] = s;
    }
    return shapes;
}

Status validate(const Graph& g, const TensorShapes& shapes, int h, int w) {
    if (g.nodes.empty() || g.nodes[0].op != OpType::Input) return Error{"network has no input node"};
    if (g.nodes.size() > static_cast<std::size_t>(kMaxNodes)) return Error{"network has too many nodes"};
    auto arity = [](OpType op) {
        switch (op) {
            case OpType::Input: return 0;
            case OpType::Add:
            case OpType::ScaleChannels:
            case OpType::Mul: return 2;
            default: return 1;
        }
    };
    std::set<std::string> names;
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
        const Node& n = g.nodes[i];
        if (!names.insert(n.name).second) return Error{"two nodes are named " + n.name};
        if (static_cast<int>(n.inputs.size()) != arity(n.op))
            return Error{"node " + n.name + " (" + op_name(n.op) + ") has " + std::to_string(n.inputs.size()) +
                         " inputs"};
        for (int in : n.inputs)
            if (in < 0 || in >= i) return Error{"node " + n.name + " refers to a node that does not precede it"};
        if (n.op == OpType::Affine || n.op == OpType::Mul)
            return Error{"node " + n.name + ": op " + op_name(n.op) + " is not runnable (unfused import pattern)"};
        if (n.op == OpType::Input && i != 0) return Error{"second input node " + n.name};
        if (!(n.out_scale > 0.0f) || !std::isfinite(n.out_scale)) return Error{"node " + n.name + ": bad out_scale"};
        if (is_conv(n.op)) {
            auto wt = shapes.find(n.weights);
            if (wt == shapes.end()) return Error{"node " + n.name + ": missing tensor " + n.weights};
            if (n.kernel_h < 1 || n.kernel_w < 1 || n.stride_h < 1 || n.stride_w < 1 || n.out_channels < 1 ||
                n.pad_top < 0 || n.pad_left < 0 || n.pad_bottom < 0 || n.pad_right < 0 || n.kernel_h > kMaxKernel ||
                n.kernel_w > kMaxKernel || n.stride_h > kMaxStride || n.stride_w > kMaxStride ||
                n.out_channels > kMaxChannels || n.pad_top > kMaxPad || n.pad_left > kMaxPad ||
                n.pad_bottom > kMaxPad || n.pad_right > kMaxPad)
                return Error{"node " + n.name + ": invalid convolution geometry"};
            const auto& s = wt->second;
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
    auto s = infer_shapes(g, shapes, h, w);
    if (!s) return Error{"at the native input size " + std::to_string(w) + "x" + std::to_string(h) + ": " +
                         s.error().message};
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
