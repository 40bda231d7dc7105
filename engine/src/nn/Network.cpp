#include "nn/Network.h"

#include <algorithm>
#include <limits>

namespace rv {

using nn::OpType;

Network::Network(std::shared_ptr<const ModelFile> model) : model_(std::move(model)) {}

Result<std::vector<Network::Map>> Network::run(const float* input, int h, int w, const std::vector<int>& wanted) {
    const auto& nodes = model_->graph().nodes;
    const int count = static_cast<int>(nodes.size());
    if (h < 1 || w < 1) return Error{"empty input"};

    // Which nodes are needed, and the last node that reads each one.
    std::vector<bool> needed(count, false);
    for (int i : wanted) {
        if (i < 0 || i >= count) return Error{"unknown output node"};
        needed[i] = true;
    }
    for (int i = count - 1; i >= 0; --i)
        if (needed[i])
            for (int in : nodes[i].inputs) needed[in] = true;
    std::vector<int> last_use(count, -1);
    for (int i = 0; i < count; ++i)
        if (needed[i])
            for (int in : nodes[i].inputs) last_use[in] = i;
    for (int i : wanted) last_use[i] = std::numeric_limits<int>::max();

    auto shapes = nn::infer_shapes(model_->graph(), model_->tensor_shapes(), h, w, needed);
    if (!shapes) return shapes.error();
    shapes_ = std::move(*shapes);

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

    for (int i = 0; i < count; ++i) {
        if (!needed[i]) continue;
        const nn::Node& n = nodes[i];
        const nn::MapShape& s = shapes_[i];
        const std::size_t out_size = static_cast<std::size_t>(s.h) * s.w * s.c;
        // In-place where the kernel allows it and the input dies here.
        int reuse = -1;
        if ((n.op == OpType::Activation || n.op == OpType::Add || n.op == OpType::ScaleChannels) &&
            last_use[n.inputs[0]] == i && n.inputs[0] != 0)
            reuse = buffer_of_[n.inputs[0]];
        buffer_of_[i] = reuse >= 0 ? reuse : acquire(out_size);
        float* out = data(i);
        const nn::MapShape in = n.inputs.empty() ? nn::MapShape{} : shapes_[n.inputs[0]];
        switch (n.op) {
            case OpType::Input:
                std::copy(input, input + out_size, out);
                break;
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D: {
                const float* wt = model_->tensor(n.weights)->data;
                const float* bias = n.bias.empty() ? nullptr : model_->tensor(n.bias)->data;
                kernels::ConvShape cs;
                cs.in_h = in.h, cs.in_w = in.w, cs.in_c = in.c;
                cs.out_h = s.h, cs.out_w = s.w, cs.out_c = s.c;
                cs.kernel_h = n.kernel_h, cs.kernel_w = n.kernel_w;
                cs.stride_h = n.stride_h, cs.stride_w = n.stride_w;
                cs.pad_top = s.pad_top, cs.pad_left = s.pad_left;
                if (n.op == OpType::DepthwiseConv2D)
                    k.depthwise_conv2d(cs, data(n.inputs[0]), wt, bias, out, n.act);
                else if (n.kernel_h == 1 && n.kernel_w == 1 && n.stride_h == 1 && n.stride_w == 1 && s.h == in.h &&
                         s.w == in.w)
                    k.gemm(in.h * in.w, s.c, in.c, data(n.inputs[0]), wt, bias, out, n.act);
                else
                    k.conv2d(cs, data(n.inputs[0]), wt, bias, out, n.act);
                break;
            }
            case OpType::Add:
                k.add(data(n.inputs[0]), data(n.inputs[1]), out, out_size, n.act);
                break;
            case OpType::ScaleChannels:
                k.scale_channels(data(n.inputs[0]), data(n.inputs[1]), out, static_cast<std::size_t>(s.h) * s.w, s.c);
                break;
            case OpType::Activation:
                k.activate(data(n.inputs[0]), out, out_size, n.act);
                break;
            case OpType::GlobalAvgPool:
                k.global_avg_pool(data(n.inputs[0]), out, static_cast<std::size_t>(in.h) * in.w, in.c);
                break;
            default:
                return Error{"node " + n.name + " cannot run"};
        }
        for (int in_node : n.inputs)
            if (last_use[in_node] == i && buffer_of_[in_node] != buffer_of_[i]) {
                // Release once: a node may appear twice among the inputs.
                int b = buffer_of_[in_node];
                if (std::find(free_list.begin(), free_list.end(), b) == free_list.end()) free_list.push_back(b);
            }
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
