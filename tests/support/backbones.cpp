#include "backbones.h"

#include <cmath>
#include <random>

#include "nn/Graph.h"

namespace rv::backbones {
namespace {

using nn::Activation;
using nn::Node;
using nn::OpType;

// Appends nodes to a model, each with its weights, and keeps every node's channel count.
class Builder {
public:
    Builder(ModelData& m, std::uint32_t seed) : m_(m), rng_(seed) {
        Node in;
        in.name = "input";
        in.op = OpType::Input;
        add_node(std::move(in), 3);
    }

    int channels(int node) const { return channels_[node]; }

    // A k x k convolution with PyTorch's symmetric padding (k / 2), batch norm folded into a bias.
    int conv(int in, int cout, int k, int stride, Activation act) {
        return window(OpType::Conv2D, in, cout, k, stride, act, {k, k, channels(in), cout}, k * k * channels(in));
    }
    int depthwise(int in, int k, int stride, Activation act) {
        return window(OpType::DepthwiseConv2D, in, channels(in), k, stride, act, {k, k, channels(in)}, k * k);
    }
    int max_pool(int in, int k, int stride) {
        Node n = node(OpType::MaxPool, {in});
        set_window(n, k, stride);
        return add_node(std::move(n), channels(in));
    }
    int global_avg_pool(int in) { return add_node(node(OpType::GlobalAvgPool, {in}), channels(in)); }
    int add(int a, int b) { return add_node(node(OpType::Add, {a, b}), channels(a)); }
    int scale_channels(int map, int gate) { return add_node(node(OpType::ScaleChannels, {map, gate}), channels(map)); }
    int concat(int a, int b) {
        Node n = node(OpType::Concat, {a, b});
        n.out_channels = channels(a) + channels(b);
        return add_node(std::move(n), n.out_channels);
    }
    int slice(int in, int start, int count) {
        Node n = node(OpType::ChannelSlice, {in});
        n.channel_start = start;
        n.out_channels = count;
        return add_node(std::move(n), count);
    }
    int shuffle(int in, int groups) {
        Node n = node(OpType::ChannelShuffle, {in});
        n.groups = groups;
        return add_node(std::move(n), channels(in));
    }

private:
    Node node(OpType op, std::vector<int> inputs, Activation act = Activation::None) {
        Node n;
        n.name = std::string(nn::op_name(op)) + "_" + std::to_string(m_.graph.nodes.size());
        n.op = op;
        n.inputs = std::move(inputs);
        n.act = act;
        return n;
    }
    static void set_window(Node& n, int k, int stride) {
        n.kernel_h = n.kernel_w = k;
        n.stride_h = n.stride_w = stride;
        n.padding = nn::Padding::Explicit;
        n.pad_top = n.pad_left = n.pad_bottom = n.pad_right = k / 2;
    }
    int window(OpType op, int in, int cout, int k, int stride, Activation act, std::vector<int> shape, int fan_in) {
        Node n = node(op, {in}, act);
        set_window(n, k, stride);
        n.out_channels = cout;
        n.weights = n.name + "/weights";
        n.bias = n.name + "/bias";
        // He scaling keeps the maps' spread through ReLU layers; the bias stands for batch norm's shift.
        std::normal_distribution<float> w(0.0f, std::sqrt(2.0f / static_cast<float>(fan_in)));
        std::normal_distribution<float> b(0.0f, 0.1f);
        nn::Tensor weights{shape, {}};
        std::size_t count = 1;
        for (int d : shape) count *= static_cast<std::size_t>(d);
        weights.data.resize(count);
        for (float& v : weights.data) v = w(rng_);
        nn::Tensor bias{{cout}, std::vector<float>(static_cast<std::size_t>(cout))};
        for (float& v : bias.data) v = b(rng_);
        m_.tensors[n.weights] = std::move(weights);
        m_.tensors[n.bias] = std::move(bias);
        return add_node(std::move(n), cout);
    }
    int add_node(Node n, int channels) {
        m_.graph.nodes.push_back(std::move(n));
        channels_.push_back(channels);
        return static_cast<int>(m_.graph.nodes.size()) - 1;
    }

    ModelData& m_;
    std::mt19937 rng_;
    std::vector<int> channels_;
};

// The head both networks share: pooled features, then the classifier as 1 x 1 convolutions.
void finish(ModelData& m, Builder& b, int features, std::vector<int> hidden) {
    int x = b.global_avg_pool(features);
    const std::string pooled = m.graph.nodes[x].name;
    for (int width : hidden) x = b.conv(x, width, 1, 1, Activation::HardSwish);
    x = b.conv(x, 1000, 1, 1, Activation::None);
    m.graph.aliases["last"] = m.graph.nodes[x].name;
    m.descriptors["default"] = "avg:" + pooled;
    m.preprocess.width = m.preprocess.height = 224;
    m.preprocess.scale = 1.0f / 127.5f;
    m.preprocess.offset = -1.0f;
}

// A model's header fields; the graph, weights and preprocessing come from the builder.
ModelData described(const std::string& name, const std::string& architecture, std::uint32_t seed) {
    ModelData m;
    m.name = name;
    m.architecture = architecture + " (torchvision's layout), seeded random weights";
    m.source = "built by tests/support/backbones.cpp, seed " + std::to_string(seed);
    return m;
}

// torchvision's _make_divisible: the nearest multiple of 8, never 10 % below v.
int divisible8(float v) {
    int r = std::max(8, static_cast<int>(v + 4.0f) / 8 * 8);
    if (static_cast<float>(r) < 0.9f * v) r += 8;
    return r;
}

ModelData mobilenet_v3_small(std::uint32_t seed) {
    ModelData m = described("mobilenet_v3_small", "MobileNetV3-Small 1.0", seed);
    Builder b(m, seed);
    constexpr auto RE = Activation::Relu, HS = Activation::HardSwish;
    struct Block {
        int k, expand, out;
        bool se;
        Activation act;
        int stride;
    };
    const Block blocks[] = {{3, 16, 16, true, RE, 2},   {3, 72, 24, false, RE, 2},  {3, 88, 24, false, RE, 1},
                            {5, 96, 40, true, HS, 2},   {5, 240, 40, true, HS, 1},  {5, 240, 40, true, HS, 1},
                            {5, 120, 48, true, HS, 1},  {5, 144, 48, true, HS, 1},  {5, 288, 96, true, HS, 2},
                            {5, 576, 96, true, HS, 1},  {5, 576, 96, true, HS, 1}};
    int x = b.conv(0, 16, 3, 2, HS);
    for (const Block& blk : blocks) {
        const int in = x;
        if (blk.expand != b.channels(x)) x = b.conv(x, blk.expand, 1, 1, blk.act);
        x = b.depthwise(x, blk.k, blk.stride, blk.act);
        if (blk.se) {
            int g = b.global_avg_pool(x);
            g = b.conv(g, divisible8(static_cast<float>(blk.expand) / 4.0f), 1, 1, RE);
            g = b.conv(g, blk.expand, 1, 1, Activation::HardSigmoid);
            x = b.scale_channels(x, g);
        }
        x = b.conv(x, blk.out, 1, 1, Activation::None);
        if (blk.stride == 1 && b.channels(in) == blk.out) x = b.add(x, in);
    }
    x = b.conv(x, 576, 1, 1, HS);
    finish(m, b, x, {1024});
    return m;
}

ModelData shufflenet_v2(std::uint32_t seed) {
    ModelData m = described("shufflenet_v2", "ShuffleNetV2 1.0", seed);
    Builder b(m, seed);
    constexpr auto RE = Activation::Relu, NO = Activation::None;
    int x = b.conv(0, 24, 3, 2, RE);
    x = b.max_pool(x, 3, 2);
    const int stage_out[] = {116, 232, 464}, repeats[] = {4, 8, 4};
    for (int s = 0; s < 3; ++s) {
        const int half = stage_out[s] / 2;
        for (int r = 0; r < repeats[s]; ++r) {
            int left = 0, right = 0;
            if (r == 0) {  // the stride-2 unit: both branches see the whole input
                left = b.conv(b.depthwise(x, 3, 2, NO), half, 1, 1, RE);
                right = b.conv(b.depthwise(b.conv(x, half, 1, 1, RE), 3, 2, NO), half, 1, 1, RE);
            } else {  // the stride-1 unit: half of the channels pass, the other half is transformed
                left = b.slice(x, 0, half);
                right = b.slice(x, half, half);
                right = b.conv(b.depthwise(b.conv(right, half, 1, 1, RE), 3, 1, NO), half, 1, 1, RE);
            }
            x = b.shuffle(b.concat(left, right), 2);
        }
    }
    x = b.conv(x, 1024, 1, 1, RE);
    finish(m, b, x, {});
    return m;
}

ModelData efficientnet_b0(std::uint32_t seed) {
    ModelData m = described("efficientnet_b0", "EfficientNet-B0", seed);
    Builder b(m, seed);
    constexpr auto SW = Activation::Swish;
    struct Stage {
        int expand, k, stride, out, layers;
    };
    const Stage stages[] = {{1, 3, 1, 16, 1},  {6, 3, 2, 24, 2},  {6, 5, 2, 40, 2},  {6, 3, 2, 80, 3},
                            {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4}, {6, 3, 1, 320, 1}};
    int x = b.conv(0, 32, 3, 2, SW);
    for (const Stage& st : stages) {
        for (int l = 0; l < st.layers; ++l) {
            const int in = x, cin = b.channels(x), stride = l == 0 ? st.stride : 1;
            if (st.expand != 1) x = b.conv(x, cin * st.expand, 1, 1, SW);
            x = b.depthwise(x, st.k, stride, SW);
            // Squeeze-excite sized from the block's input channels, gated by a sigmoid.
            int g = b.global_avg_pool(x);
            g = b.conv(g, std::max(1, cin / 4), 1, 1, SW);
            g = b.conv(g, b.channels(x), 1, 1, Activation::Sigmoid);
            x = b.scale_channels(x, g);
            x = b.conv(x, st.out, 1, 1, Activation::None);
            if (stride == 1 && cin == st.out) x = b.add(x, in);
        }
    }
    x = b.conv(x, 1280, 1, 1, SW);
    finish(m, b, x, {});
    return m;
}

}  // namespace

std::vector<std::string> names() { return {"mobilenet_v3_small", "shufflenet_v2", "efficientnet_b0"}; }

Result<ModelData> build(const std::string& name, std::uint32_t seed) {
    if (name == "mobilenet_v3_small") return mobilenet_v3_small(seed);
    if (name == "shufflenet_v2") return shufflenet_v2(seed);
    if (name == "efficientnet_b0") return efficientnet_b0(seed);
    return Error{"unknown backbone '" + name + "' (known: mobilenet_v3_small, shufflenet_v2, efficientnet_b0)"};
}

}  // namespace rv::backbones
