// The graph's generic parts: lookup, the model file's JSON, shapes and validation. What each op
// means is in its OpDef (nn/ops/); nothing here switches on an op.
#include "nn/Graph.h"

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {

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
    const OpDef& def = op_def(n.op);
    if (def.channels && n.inputs.empty()) return def.channels(n, 0);
    // Validated inputs precede their node, so the recursion ends.
    if (n.inputs.empty() || n.inputs[0] >= node) return 0;
    const int in = channels(n.inputs[0]);
    return def.channels ? def.channels(n, in) : in;
}

nlohmann::json Graph::to_json() const {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& n : nodes) {
        const OpDef& def = op_def(n.op);
        nlohmann::json j;
        j["name"] = n.name;
        j["op"] = def.name;
        j["inputs"] = n.inputs;
        if (n.act != Activation::None) j["act"] = activation_name(n.act);
        if (def.write) def.write(n, j);
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
            const OpDef* def = find_op(op);
            if (!def) return Error{"unknown op '" + op + "' at node " + n.name};
            n.op = def->type;
            for (const auto& in : jf::array_value(jf::member(jn, "inputs", where), where + " inputs", kMaxInputs))
                // Only earlier nodes: the list is in topological order, so no input can make a cycle.
                n.inputs.push_back(static_cast<int>(jf::int_value(in, where + " input", 0, std::int64_t(i) - 1)));
            if (jf::has(jn, "act") && !parse_activation(jf::string_value(jn["act"], where + " act", 64), n.act))
                return Error{"unknown activation at node " + n.name};
            if (def->read) def->read(jn, n, where);
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
    MapShape image{h, w, g.nodes.empty() ? 3 : input_channels(g.nodes[0])};
    std::vector<const MapShape*> ins;
    for (int i = 0; i < count; ++i) {
        if (!needed.empty() && !needed[i]) continue;
        const Node& n = g.nodes[i];
        const OpDef& def = op_def(n.op);
        if (!def.runnable) return Error{"node " + n.name + ": op " + def.name + " cannot run"};
        ins.clear();
        for (int in : n.inputs) ins.push_back(&shapes[in]);
        auto s = def.shape(n, ins, image, tensors);
        if (!s) return s.error();
        if (s->h < 1 || s->w < 1 || s->c < 1 || static_cast<std::int64_t>(s->h) * s->w * s->c > kMaxMapElements)
            return Error{"node " + n.name + ": output of " + std::to_string(s->h) + "x" + std::to_string(s->w) + "x" +
                         std::to_string(s->c) + " is empty or too large"};
        shapes[i] = *s;
    }
    return shapes;
}

Result<RunPlan> plan_run(const Graph& g, const TensorShapes& tensors, int h, int w, const std::vector<int>& wanted) {
    const int count = static_cast<int>(g.nodes.size());
    if (h < 1 || w < 1) return Error{"empty input"};
    RunPlan plan;
    plan.needed.assign(count, false);
    for (int i : wanted) {
        if (i < 0 || i >= count) return Error{"unknown output node"};
        plan.needed[i] = true;
    }
    for (int i = count - 1; i >= 0; --i)
        if (plan.needed[i])
            for (int in : g.nodes[i].inputs) plan.needed[in] = true;
    auto shapes = infer_shapes(g, tensors, h, w, plan.needed);
    if (!shapes) return shapes.error();
    plan.shapes = std::move(*shapes);
    return plan;
}

Status validate(const Graph& g, const TensorShapes& shapes, int h, int w) {
    if (g.nodes.empty() || g.nodes[0].op != OpType::Input) return Error{"network has no input node"};
    if (g.nodes.size() > static_cast<std::size_t>(kMaxNodes)) return Error{"network has too many nodes"};
    std::set<std::string> names;
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
        const Node& n = g.nodes[i];
        const OpDef& def = op_def(n.op);
        if (!names.insert(n.name).second) return Error{"two nodes are named " + n.name};
        if (static_cast<int>(n.inputs.size()) != def.arity)
            return Error{"node " + n.name + " (" + def.name + ") has " + std::to_string(n.inputs.size()) + " inputs"};
        for (int in : n.inputs)
            if (in < 0 || in >= i) return Error{"node " + n.name + " refers to a node that does not precede it"};
        if (!def.runnable)
            return Error{"node " + n.name + ": op " + def.name + " is not runnable (unfused import pattern)"};
        if (n.op == OpType::Input && i != 0) return Error{"second input node " + n.name};
        if (!(n.out_scale > 0.0f) || !std::isfinite(n.out_scale)) return Error{"node " + n.name + ": bad out_scale"};
        if (def.check)
            if (Status st = def.check(n, shapes); !st) return st;
    }
    for (const auto& [alias, name] : g.aliases)
        if (g.find(name) < 0) return Error{"alias " + alias + " names a missing node " + name};
    auto s = infer_shapes(g, shapes, h, w);
    if (!s) return Error{"at the native input size " + std::to_string(w) + "x" + std::to_string(h) + ": " +
                         s.error().message};
    return Status::success();
}

}  // namespace rv::nn
