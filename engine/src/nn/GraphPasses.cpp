#include "nn/GraphPasses.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

bool near(float a, float b) { return std::fabs(a - b) <= 1e-3f * std::max(1.0f, std::fabs(b)); }

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

    // x * relu6(x + 3) / 6 (either order) and x * hard_sigmoid(x) -> HardSwish(x); relu6(x + 3) / 6 -> HardSigmoid(x);
    // x * sigmoid(x) -> Swish(x).
    for (auto& n : g.nodes) {
        if (n.op == OpType::Mul) {
            for (int k = 0; k < 2; ++k) {
                int a = n.inputs[k], b = n.inputs[1 - k], x = -1;
                // x * hard_sigmoid(x) (ONNX's HardSwish expanded), x * sigmoid(x) (Swish, SiLU).
                if (const Node& s = node_at(b);
                    s.op == OpType::Activation &&
                    (s.act == Activation::HardSigmoid || s.act == Activation::Sigmoid) && s.out_scale == 1.0f &&
                    s.inputs[0] == a) {
                    n.act = s.act == Activation::Sigmoid ? Activation::Swish : Activation::HardSwish;
                    n.op = OpType::Activation;
                    n.inputs = {a};
                    break;
                }
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
            } else if (const Node& m = node_at(n.inputs[0]); m.op == OpType::Mul) {
                // (x * relu6(x + 3)) / 6, the order of ONNX exporters (PaddlePaddle's).
                for (int k = 0; k < 2; ++k)
                    if (is_relu6_of_plus3(m.inputs[1 - k], &x) && x == m.inputs[k]) {
                        n.out_scale = n.scale * 6.0f;
                        n.op = OpType::Activation;
                        n.act = Activation::HardSwish;
                        n.inputs = {x};
                        break;
                    }
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
        const bool fusable_op = op_def(prod.op).fuses_activation;
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
    std::vector<float> owed(g.nodes.size(), 1.0f);
    const auto consumers = consumers_of(g);
    ScaleFold fold{g, tensors, owed, consumers};
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const OpDef& def = op_def(g.nodes[i].op);
        float out = 1.0f;
        if (def.fold_scale && !def.fold_scale(static_cast<int>(i), fold, &out, why)) return false;
        owed[i] = out * g.nodes[i].out_scale;
    }
    for (std::size_t i = 0; i < g.nodes.size(); ++i) g.nodes[i].out_scale = owed[i];
    return true;
}

}  // namespace rv::nn
