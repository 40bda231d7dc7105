#include "nn/Network.h"

#include <algorithm>
#include <limits>

#include "nn/ops/OpDef.h"

namespace rv {

Network::Network(std::shared_ptr<const ModelFile> model) : model_(std::move(model)) {}

Result<std::vector<Network::Map>> Network::run(const float* input, int h, int w, const std::vector<int>& wanted) {
    const nn::Graph& graph = model_->graph();
    const auto& nodes = graph.nodes;
    const int count = static_cast<int>(nodes.size());
    auto plan = nn::plan_run(graph, model_->tensor_shapes(), h, w, wanted);
    if (!plan) return plan.error();
    const std::vector<bool>& needed = plan->needed;
    shapes_ = std::move(plan->shapes);

    // The steps: single nodes, and fused blocks run at their last node (their inner nodes get no
    // map). step_at[i] is the step that computes node i; a map is freed after the last step that
    // reads it.
    std::vector<nn::FusedBlock> blocks;
    if (fuse_) blocks = nn::find_fused_blocks(graph, needed, wanted);
    std::vector<int> block_at(count, -1);  // node -> its block, for the block's nodes
    std::vector<int> step_at(count);
    for (int i = 0; i < count; ++i) step_at[i] = i;
    for (int b = 0; b < static_cast<int>(blocks.size()); ++b)
        for (int n : {blocks[b].expand, blocks[b].depthwise, blocks[b].project, blocks[b].add})
            if (n >= 0) block_at[n] = b, step_at[n] = blocks[b].last();
    std::vector<int> last_use(count, -1);
    for (int i = 0; i < count; ++i)
        if (needed[i])
            for (int in : nodes[i].inputs) last_use[in] = std::max(last_use[in], step_at[i]);
    for (int i : wanted) last_use[i] = std::numeric_limits<int>::max();

    const auto& k = kernels_ ? *kernels_ : kernels::kernels();
    buffer_of_.assign(count, -1);
    std::vector<int> free_list;
    for (int b = 0; b < static_cast<int>(buffers_.size()); ++b) free_list.push_back(b);
    auto acquire = [&](std::size_t size) {
        // Smallest free buffer that already fits, else the largest (grown), else a new one.
        int best = -1;
        for (int b : free_list) {
            const auto cap = buffers_[b].capacity();
            if (best < 0) { best = b; continue; }
            const auto bc = buffers_[best].capacity();
            if ((cap >= size && (bc < size || cap < bc)) || (bc < size && cap > bc)) best = b;
        }
        if (best < 0) {
            buffers_.emplace_back();
            best = static_cast<int>(buffers_.size()) - 1;
        } else {
            free_list.erase(std::find(free_list.begin(), free_list.end(), best));
        }
        buffers_[best].resize(size);
        return best;
    };
    auto data = [&](int node) { return buffers_[buffer_of_[node]].data(); };
    auto release_after = [&](int node, int step) {
        // Release once: a node may be read twice by one step.
        if (node < 0 || last_use[node] != step || buffer_of_[node] == buffer_of_[step]) return;
        const int b = buffer_of_[node];
        if (std::find(free_list.begin(), free_list.end(), b) == free_list.end()) free_list.push_back(b);
    };

    std::vector<const nn::MapShape*> in_shapes;
    std::vector<const float*> in_data;
    for (int i = 0; i < count; ++i) {
        if (!needed[i] || step_at[i] != i) continue;  // not needed, or inside a block ending later
        const nn::Node& n = nodes[i];
        const nn::MapShape& s = shapes_[i];
        const std::size_t size = static_cast<std::size_t>(s.h) * s.w * s.c;
        if (block_at[i] >= 0) {
            // A block reads its input and residual band by band while writing: never in place.
            const nn::FusedBlock& b = blocks[block_at[i]];
            const int input_node = b.input(graph), residual = b.residual(graph);
            buffer_of_[i] = acquire(size);
            nn::run_fused_block(b, graph, *model_, k, shapes_, data(input_node),
                                residual >= 0 ? data(residual) : nullptr, data(i), bands_);
            release_after(input_node, i);
            release_after(residual, i);
            continue;
        }
        const nn::OpDef& def = nn::op_def(n.op);
        // In place where the op allows it and the input dies here (never the caller's image).
        int reuse = -1;
        if (def.in_place && last_use[n.inputs[0]] == i && n.inputs[0] != 0) reuse = buffer_of_[n.inputs[0]];
        buffer_of_[i] = reuse >= 0 ? reuse : acquire(size);
        in_shapes.clear();
        in_data.clear();
        if (n.inputs.empty()) in_data.push_back(input);
        for (int in_node : n.inputs) {
            in_shapes.push_back(&shapes_[in_node]);
            in_data.push_back(data(in_node));
        }
        def.run(n, nn::RunArgs{k, *model_, s, in_shapes, in_data, data(i)});
        for (int in_node : n.inputs) release_after(in_node, i);
    }
    std::vector<Map> maps;
    std::vector<int> scaled;
    for (int i : wanted) {
        // Factors the import could not fold into later weights (outputs have no later weights).
        const float f = nodes[i].out_scale;
        if (f != 1.0f && std::find(scaled.begin(), scaled.end(), i) == scaled.end()) {
            float* p = data(i);
            const std::size_t n = static_cast<std::size_t>(shapes_[i].h) * shapes_[i].w * shapes_[i].c;
            for (std::size_t e = 0; e < n; ++e) p[e] *= f;
            scaled.push_back(i);
        }
        maps.push_back({shapes_[i].h, shapes_[i].w, shapes_[i].c, data(i)});
    }
    return maps;
}

}  // namespace rv
