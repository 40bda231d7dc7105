#include "bench_forward_profile.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "nn/AlignedBuffer.h"
#include "nn/Network.h"
#include "nn/ops/OpDef.h"

namespace rv::bench {

namespace {

using nn::OpType;

struct NodeTime {
    int node = 0;
    std::vector<double> ms;  // per ISA
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

// Node `n` alone: its op's run (nn/ops/), on `in` maps, into `out`.
void run_node(const kernels::KernelTable& k, const ModelFile& model, const nn::Node& n, const nn::MapShape& s,
              const std::vector<nn::MapShape>& shapes, const std::vector<const float*>& in, float* out) {
    std::vector<const nn::MapShape*> in_shapes;
    for (int x : n.inputs) in_shapes.push_back(&shapes[x]);
    const nn::RunArgs args{k, model, s, in_shapes, in, out};
    nn::op_def(n.op).run(n, args);
}

std::string describe(const nn::Node& n) {
    if (n.op != OpType::Conv2D && n.op != OpType::DepthwiseConv2D) return nn::op_name(n.op);
    char text[96];
    std::snprintf(text, sizeof text, n.stride_h != 1 ? "%s %dx%d/%d" : "%s %dx%d", nn::op_name(n.op), n.kernel_h,
                  n.kernel_w, n.stride_h);
    return text;
}

std::string shape_text(const nn::MapShape& s) {
    return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

}  // namespace

void print_profile(const ModelFile& model, const std::vector<float>& nhwc, int h, int w, const std::string& name,
                   bool json, int repeats) {
    const nn::Graph& g = model.graph();
    const int last = g.find("last");
    const int count = static_cast<int>(g.nodes.size());
    std::vector<bool> needed(count, false);
    needed[last] = true;
    for (int i = count - 1; i >= 0; --i)
        if (needed[i])
            for (int in : g.nodes[i].inputs) needed[in] = true;
    auto shapes = nn::infer_shapes(g, model.tensor_shapes(), h, w, needed);
    if (!shapes) return;
    // Every needed node's real output map, from one forward pass.
    std::vector<int> wanted;
    for (int i = 0; i < count; ++i)
        if (needed[i]) wanted.push_back(i);
    Network net(std::shared_ptr<const ModelFile>(&model, [](const ModelFile*) {}));
    auto maps = net.run(nhwc.data(), h, w, wanted);
    if (!maps) return;
    std::vector<std::vector<float>> value(count);
    for (std::size_t k = 0; k < wanted.size(); ++k) {
        const auto& m = (*maps)[k];
        value[wanted[k]].assign(m.data, m.data + static_cast<std::size_t>(m.h) * m.w * m.c);
    }

    // Best first (available_isas() is slowest first); the scalar reference is left out.
    std::vector<kernels::Isa> isas;
    for (auto isa : kernels::available_isas())
        if (isa != kernels::Isa::Scalar) isas.insert(isas.begin(), isa);
    if (isas.empty()) return;
    std::vector<NodeTime> times;
    AlignedFloats scratch;
    for (int i = 1; i < count; ++i) {
        if (!needed[i]) continue;
        const nn::Node& n = g.nodes[i];
        const nn::MapShape& s = (*shapes)[i];
        scratch.resize(static_cast<std::size_t>(s.h) * s.w * s.c);
        std::vector<const float*> in;
        for (int x : n.inputs) in.push_back(value[x].data());
        NodeTime t{i, {}};
        for (auto isa : isas) {
            const auto& k = *kernels::kernels_for(isa);
            std::vector<double> ms;
            for (int r = 0; r <= repeats; ++r) {
                const auto t0 = std::chrono::steady_clock::now();
                run_node(k, model, n, s, *shapes, in, scratch.data());
                const double d = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                if (r > 0) ms.push_back(d);
            }
            t.ms.push_back(median(ms));
        }
        times.push_back(t);
    }

    // Totals per op kind, then the top nodes by time on the first (best) ISA.
    std::map<std::string, std::vector<double>> by_op;
    std::vector<double> total(isas.size(), 0.0);
    for (const auto& t : times) {
        auto& v = by_op[describe(g.nodes[t.node])];
        v.resize(isas.size(), 0.0);
        for (std::size_t a = 0; a < isas.size(); ++a) v[a] += t.ms[a], total[a] += t.ms[a];
    }
    std::sort(times.begin(), times.end(), [](const NodeTime& a, const NodeTime& b) { return a.ms[0] > b.ms[0]; });
    const std::size_t top = std::min<std::size_t>(15, times.size());
    if (json) {
        for (const auto& [op, v] : by_op) {
            nlohmann::json j{{"profile", name}, {"input", std::to_string(w) + "x" + std::to_string(h)}, {"op", op}};
            for (std::size_t a = 0; a < isas.size(); ++a) j["ms"][std::string(kernels::isa_name(isas[a]))] = v[a];
            std::printf("%s\n", j.dump().c_str());
        }
        for (std::size_t r = 0; r < top; ++r) {
            const auto& t = times[r];
            const auto& n = g.nodes[t.node];
            nlohmann::json j{{"profile", name},
                             {"input", std::to_string(w) + "x" + std::to_string(h)},
                             {"node", n.name},
                             {"op", describe(n)},
                             {"in", shape_text((*shapes)[n.inputs[0]])},
                             {"out", shape_text((*shapes)[t.node])}};
            for (std::size_t a = 0; a < isas.size(); ++a) j["ms"][std::string(kernels::isa_name(isas[a]))] = t.ms[a];
            std::printf("%s\n", j.dump().c_str());
        }
        return;
    }
    std::printf("\nProfile of %s at %dx%d: each node's kernel alone, median ms of %d calls\n\n| op |", name.c_str(), w,
                h, repeats);
    for (auto isa : isas) std::printf(" %s ms |", kernels::isa_name(isa).data());
    std::printf(" share |\n|---|");
    for (std::size_t a = 0; a <= isas.size(); ++a) std::printf("---|");
    std::printf("\n");
    for (const auto& [op, v] : by_op) {
        std::printf("| %s |", op.c_str());
        for (double x : v) std::printf(" %.3f |", x);
        std::printf(" %.0f%% |\n", 100.0 * v[0] / total[0]);
    }
    std::printf("| all |");
    for (double x : total) std::printf(" %.3f |", x);
    std::printf(" 100%% |\n\nTop %zu nodes on %s:\n\n| node | op | in | out |", top, kernels::isa_name(isas[0]).data());
    for (auto isa : isas) std::printf(" %s ms |", kernels::isa_name(isa).data());
    std::printf("\n|---|---|---|---|");
    for (std::size_t a = 0; a < isas.size(); ++a) std::printf("---|");
    std::printf("\n");
    for (std::size_t r = 0; r < top; ++r) {
        const auto& t = times[r];
        const auto& n = g.nodes[t.node];
        std::printf("| %s | %s | %s | %s |", n.name.c_str(), describe(n).c_str(), shape_text((*shapes)[n.inputs[0]]).c_str(),
                    shape_text((*shapes)[t.node]).c_str());
        for (double x : t.ms) std::printf(" %.3f |", x);
        std::printf("\n");
    }
    std::fflush(stdout);
}

}  // namespace rv::bench
