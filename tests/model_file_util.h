// Test-only generator of small, real model files (.rvm) and of files broken in one precise way
// (their checksum recomputed, so that only the deeper validation can catch them). Used by
// test_model_file, test_cli and to make the fuzz seed corpus (tests/fuzz/corpus/model_file).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/ModelFile.h"

namespace model_test {

struct TinyOptions {
    std::string name = "tiny";
    float weight_scale = 1.0f;  // all weights and biases are multiplied by this (0: an all-zero network)
    bool any_size = false;
    int native = 16;            // native input side
    int big_kernel = 0;         // > 0: the first convolution has this kernel, no padding ("valid")
};

// A network that uses every runnable op: input 16x16x3 -> conv 3x3/2 same (relu, "c1") ->
// depthwise 3x3 explicit pads ("dw") -> add ("add") -> global pool -> 1x1 conv hard_sigmoid
// ("gate") -> scale_channels ("se") -> relu6 ("last"). Descriptors: default avg:last,
// "gem_add" gem3:add.
inline rv::ModelData tiny_model(const TinyOptions& o = {}) {
    using rv::nn::Node;
    using rv::nn::OpType;
    rv::ModelData m;
    m.name = o.name;
    m.architecture = "tiny test network";
    m.source = "tests/model_file_util.h";
    m.preprocess.width = m.preprocess.height = o.native;
    m.preprocess.any_size = o.any_size;
    m.preprocess.resize = o.any_size ? "shorter_side" : "stretch";
    m.preprocess.scale = 1.0f / 255.0f;
    m.descriptors = {{"default", "avg:last"}, {"gem_add", "gem3:add"}};
    std::uint32_t seed = 12345;
    auto tensor = [&](const std::string& name, std::vector<int> shape) {
        std::size_t n = 1;
        for (int d : shape) n *= static_cast<std::size_t>(d);
        rv::nn::Tensor t;
        t.shape = shape;
        for (std::size_t i = 0; i < n; ++i) {
            seed = seed * 1664525u + 1013904223u;
            t.data.push_back(o.weight_scale * (static_cast<float>(seed >> 8) / 16777216.0f - 0.3f));
        }
        m.tensors[name] = std::move(t);
    };
    const int k1 = o.big_kernel > 0 ? o.big_kernel : 3;
    auto conv = [&](const std::string& name, OpType op, std::vector<int> inputs, int k, int stride, int out_c) {
        Node n;
        n.name = name;
        n.op = op;
        n.inputs = std::move(inputs);
        n.kernel_h = n.kernel_w = k;
        n.stride_h = n.stride_w = stride;
        n.out_channels = out_c;
        n.weights = name + "/w";
        n.bias = name + "/b";
        return n;
    };
    Node input;
    input.name = "image";
    input.op = OpType::Input;
    Node c1 = conv("c1", OpType::Conv2D, {0}, k1, 2, 4);
    c1.act = rv::kernels::Activation::Relu;
    if (o.big_kernel > 0) c1.padding = rv::nn::Padding::Explicit;
    tensor("c1/w", {k1, k1, 3, 4});
    tensor("c1/b", {4});
    Node dw = conv("dw", OpType::DepthwiseConv2D, {1}, 3, 1, 4);
    dw.padding = rv::nn::Padding::Explicit;
    dw.pad_top = dw.pad_left = dw.pad_bottom = dw.pad_right = 1;
    tensor("dw/w", {3, 3, 4});
    tensor("dw/b", {4});
    Node add;
    add.name = "add";
    add.op = OpType::Add;
    add.inputs = {1, 2};
    Node pool;
    pool.name = "pool";
    pool.op = OpType::GlobalAvgPool;
    pool.inputs = {3};
    Node gate = conv("gate", OpType::Conv2D, {4}, 1, 1, 4);
    gate.act = rv::kernels::Activation::HardSigmoid;
    tensor("gate/w", {1, 1, 4, 4});
    tensor("gate/b", {4});
    Node se;
    se.name = "se";
    se.op = OpType::ScaleChannels;
    se.inputs = {3, 5};
    Node last;
    last.name = "last";
    last.op = OpType::Activation;
    last.act = rv::kernels::Activation::Relu6;
    last.inputs = {6};
    m.graph.nodes = {input, c1, dw, add, pool, gate, se, last};
    m.graph.aliases = {{"out", "last"}};
    return m;
}

inline std::vector<std::uint8_t> tiny_bytes(const TinyOptions& o = {}) { return rv::model_file_bytes(tiny_model(o)); }

// Windowed average pools between convolutions (the real models hold none), at any input size
// (native 13 x 7): input -> conv 3x3 pads 1 (17, relu, "stem") -> avg 3x3/2 pads 0,1,2,2 counting
// the pads ("pool_a") -> conv 1x1 (33, relu6, "pw") -> avg 5x1/(2,1) "same" ("pool_b") -> avg
// 2x2/1 "same" counting the pads ("pool_c") -> conv 1x1 (8, "last"). Descriptor: default avg:last.
inline rv::ModelData avg_pool_model() {
    using rv::nn::Node;
    using rv::nn::OpType;
    rv::ModelData m;
    m.name = "avg_pools";
    m.architecture = "average pooling test network";
    m.source = "tests/model_file_util.h";
    m.preprocess.width = 13;
    m.preprocess.height = 7;
    m.preprocess.any_size = true;
    m.preprocess.resize = "shorter_side";
    m.descriptors = {{"default", "avg:last"}};
    std::uint32_t seed = 4242;
    auto conv = [&](const std::string& name, int input, int k, int cin, int cout, rv::kernels::Activation act) {
        Node n;
        n.name = name;
        n.op = OpType::Conv2D;
        n.inputs = {input};
        n.act = act;
        n.kernel_h = n.kernel_w = k;
        n.padding = rv::nn::Padding::Explicit;
        n.pad_top = n.pad_left = n.pad_bottom = n.pad_right = k / 2;
        n.out_channels = cout;
        n.weights = name + "/w";
        n.bias = name + "/b";
        for (auto [tensor, shape] : {std::pair{n.weights, std::vector<int>{k, k, cin, cout}}, {n.bias, {cout}}}) {
            rv::nn::Tensor t{shape, std::vector<float>(shape.size() == 1 ? cout : std::size_t(k) * k * cin * cout)};
            for (float& v : t.data) {
                seed = seed * 1664525u + 1013904223u;
                v = static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
            }
            m.tensors[tensor] = std::move(t);
        }
        return n;
    };
    auto pool = [](const std::string& name, int input, int kh, int kw, int sh, int sw, bool count_include_pad) {
        Node n;
        n.name = name;
        n.op = OpType::AvgPool;
        n.inputs = {input};
        n.kernel_h = kh, n.kernel_w = kw, n.stride_h = sh, n.stride_w = sw;
        n.count_include_pad = count_include_pad;
        return n;
    };
    Node input;
    input.name = "image";
    Node pool_a = pool("pool_a", 1, 3, 3, 2, 2, true);
    pool_a.padding = rv::nn::Padding::Explicit;
    pool_a.pad_left = 1, pool_a.pad_bottom = 2, pool_a.pad_right = 2;
    m.graph.nodes = {input,
                     conv("stem", 0, 3, 3, 17, rv::kernels::Activation::Relu),
                     pool_a,
                     conv("pw", 2, 1, 17, 33, rv::kernels::Activation::Relu6),
                     pool("pool_b", 3, 5, 1, 2, 1, false),
                     pool("pool_c", 4, 2, 2, 1, 1, true),
                     conv("last", 5, 1, 33, 8, rv::kernels::Activation::None)};
    return m;
}

// Rewrites the header JSON of a file image with `edit` and reassembles it (valid checksum).
inline std::vector<std::uint8_t> edit_header(const std::vector<std::uint8_t>& file,
                                             const std::function<void(nlohmann::json&)>& edit) {
    std::uint32_t json_len = 0;
    std::uint64_t data_offset = 0;
    std::memcpy(&json_len, file.data() + 12, 4);
    std::memcpy(&data_offset, file.data() + 16, 8);
    auto j = nlohmann::json::parse(file.begin() + 40, file.begin() + 40 + json_len);
    edit(j);
    return rv::assemble_model_file(j.dump(), file.data() + data_offset, file.size() - data_offset);
}

// One broken variant of a valid file image, by kind: the reason the reader must give in `reason`.
struct Broken {
    const char* kind;
    const char* reason;  // a part of the error message
};
inline const std::vector<Broken>& broken_kinds() {
    static const std::vector<Broken> kinds = {
        {"cycle", "input = 5 is out of range"},            // node 3 reads node 5: a cycle
        {"self_loop", "input = 1 is out of range"},        // node 1 reads itself
        {"name_number", "name is number"},
        {"descriptors_array", "descriptors is array"},
        {"top_level_array", "the header is array"},
        {"kernel_float", "kernel is number, expected an integer"},
        {"offset_out_of_range", "offset"},                 // valid checksum, offset past the data
        {"tensor_too_long", "lies outside the data"},      // shape larger than the data
        {"channels_mismatch", "has the wrong shape"},      // out_channels disagrees with weights
        {"add_shapes", "adds maps of different shapes"},   // add of 8x8 and 16x16 maps
        {"gate_not_vector", "gate is not a 1 x 1"},        // scale_channels by a map
        {"missing_default", "no default descriptor"},
        {"descriptor_node", "has no node"},
        {"truncated", "truncated"},
        {"checksum", "checksum mismatch"},
        {"non_finite_weight", "non-finite"},
    };
    return kinds;
}

inline std::vector<std::uint8_t> make_broken(const std::string& kind, const std::string& name = "tiny") {
    TinyOptions o;
    o.name = name;
    auto good = tiny_bytes(o);
    auto nodes = [](nlohmann::json& j) -> nlohmann::json& { return j["network"]["nodes"]; };
    if (kind == "cycle") return edit_header(good, [&](auto& j) { nodes(j)[3]["inputs"] = {5, 2}; });
    if (kind == "self_loop") return edit_header(good, [&](auto& j) { nodes(j)[1]["inputs"] = {1}; });
    if (kind == "name_number") return edit_header(good, [](auto& j) { j["name"] = 5; });
    if (kind == "descriptors_array") return edit_header(good, [](auto& j) { j["descriptors"] = nlohmann::json::array(); });
    if (kind == "top_level_array") return edit_header(good, [](auto& j) { j = nlohmann::json::array({j}); });
    if (kind == "kernel_float") return edit_header(good, [&](auto& j) { nodes(j)[1]["kernel"] = {3.5, 3}; });
    if (kind == "offset_out_of_range")
        return edit_header(good, [](auto& j) { j["tensors"][0]["offset"] = std::uint64_t(1) << 40; });
    if (kind == "tensor_too_long")
        return edit_header(good, [](auto& j) { j["tensors"][0]["shape"] = {4096, 4096}; });
    if (kind == "channels_mismatch") return edit_header(good, [&](auto& j) { nodes(j)[1]["out_channels"] = 5; });
    if (kind == "add_shapes") return edit_header(good, [&](auto& j) {
        nodes(j)[1]["stride"] = {1, 1};  // c1 16x16 -> dw 16x16: same; then make dw stride 2
        nodes(j)[2]["stride"] = {2, 2};
    });
    if (kind == "gate_not_vector") return edit_header(good, [&](auto& j) { nodes(j)[6]["inputs"] = {3, 2}; });
    if (kind == "missing_default") return edit_header(good, [](auto& j) { j["descriptors"].erase("default"); });
    if (kind == "descriptor_node") return edit_header(good, [](auto& j) { j["descriptors"]["default"] = "avg:nowhere"; });
    if (kind == "truncated") {
        good.resize(good.size() - 100);
        return good;
    }
    if (kind == "checksum") {
        good[good.size() - 8] ^= 0x10;
        return good;
    }
    if (kind == "non_finite_weight") {
        auto m = tiny_model(o);
        m.tensors["dw/w"].data[5] = std::nanf("");
        return rv::model_file_bytes(m);
    }
    return {};
}

}  // namespace model_test
