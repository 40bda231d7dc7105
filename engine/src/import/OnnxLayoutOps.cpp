// The ONNX importer's ops that move values around rather than compute them: Softmax (on channels),
// Reshape / Flatten / Transpose (a vector's no-op, the channel shuffle), Concat and Split / Slice on
// the channels. See OnnxImporter.cpp for the walk and the value kinds.
#include <algorithm>
#include <cstdint>

#include "import/OnnxReader.h"

namespace rv::import::onnx_import {

// Softmax over the channels: on a vector any axis but the batch's; on a map the channel axis (opset >= 13).
Status Reader::softmax(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    if (x < 0) return fail(n, "needs a map input");
    const std::int64_t axis = op::attr_int(n, "axis", opset_ >= 13 ? -1 : 1);
    if (axis == 0) return fail(n, "softmax over the batch axis is not supported");
    if (!vector_[x] && !(opset_ >= 13 && axis == 1))
        return fail(n, "on a map, only the channel axis (axis 1, opset 13 or later) is supported");
    nn::Node s;
    s.op = nn::OpType::Softmax;
    s.inputs = {x};
    add_node(std::move(s), n.output(0), vector_[x]);
    return Status::success();
}

// Reshape / Flatten / Squeeze / Unsqueeze / Transpose of a map. Batch 1: reshaping a 1 x 1 x C
// vector keeps its values in order (a no-op). The channel shuffle's Reshape [N, g, C/g, H, W],
// Transpose [0, 2, 1, 3, 4], Reshape [N, C, H, W] becomes one ChannelShuffle.
Status Reader::reshape(const onnx::NodeProto& n) {
    const Value& v = *value(n.input(0));
    const std::string& t = n.op_type();
    if (v.kind == Value::Map && vector_[v.node] && t != "Transpose") {
        rename(v.node, n.output(0));
        return Status::success();
    }
    const nn::Tensor* target = t == "Reshape" ? const_input(n, 1) : nullptr;
    if (v.kind == Value::Map && target && target->data.size() == 5) {
        const auto& d = target->data;
        const int c = channels_[v.node];
        const int g = static_cast<int>(d[1]);
        if (g >= 1 && c % g == 0 && static_cast<int>(d[2]) == c / g && d[3] != 0 && d[4] != 0) {
            values_[n.output(0)] = Value{Value::Grouped, v.node, {}, g};
            return Status::success();
        }
    }
    if (v.kind == Value::Grouped && t == "Transpose" &&
        op::attr_ints(n, "perm") == std::vector<std::int64_t>{0, 2, 1, 3, 4}) {
        values_[n.output(0)] = Value{Value::Shuffled, v.node, {}, v.groups};
        return Status::success();
    }
    if (v.kind == Value::Shuffled && target && target->data.size() == 4 &&
        (target->data[1] == channels_[v.node] || target->data[1] == -1)) {
        nn::Node s;
        s.op = nn::OpType::ChannelShuffle;
        s.groups = v.groups;
        s.inputs = {v.node};
        add_node(std::move(s), n.output(0), false);
        return Status::success();
    }
    return fail(n, "reshaping a map is supported only for a 1 x 1 x C vector or as a channel shuffle "
                   "(Reshape to N x g x C/g x H x W, Transpose 0,2,1,3,4, Reshape back)");
}

// Concat along the channels (axis 1 of N x C x H x W, or of N x C after a flatten) of maps.
Status Reader::concat(const onnx::NodeProto& n) {
    const std::int64_t axis = op::attr_int(n, "axis", 1);
    if (n.input_size() < 1) return fail(n, "needs inputs");
    int acc = map_input(n, 0);
    if (acc < 0) return fail(n, "needs map inputs");
    if (axis != 1 && !(axis == -3 && !vector_[acc]) && !(axis == -1 && vector_[acc]))
        return fail(n, "only a concatenation along the channels (axis 1) is supported");
    if (n.input_size() == 1) {
        rename(acc, n.output(0));
        return Status::success();
    }
    for (int k = 1; k < n.input_size(); ++k) {
        const int b = map_input(n, k);
        if (b < 0) return fail(n, "needs map inputs");
        nn::Node c;
        c.op = nn::OpType::Concat;
        c.out_channels = channels_[acc] + channels_[b];
        if (c.out_channels > nn::kMaxChannels) return fail(n, "too many channels");
        c.inputs = {acc, b};
        const bool vec = vector_[acc] && vector_[b];
        // Intermediate sums of three or more inputs get derived names.
        acc = add_node(std::move(c), k + 1 == n.input_size() ? n.output(0) : n.output(0) + "/" + std::to_string(k), vec);
    }
    return Status::success();
}

// Split (sizes as an attribute before opset 13, an input after, or equal) and Slice (starts, ends,
// axes, steps as inputs from opset 10, attributes before) along the channels -> ChannelSlice.
Status Reader::split(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    if (x < 0) return fail(n, "needs a map input");
    const int c = channels_[x];
    auto slice = [&](int start, int count, const std::string& out) {
        nn::Node s;
        s.op = nn::OpType::ChannelSlice;
        s.channel_start = start;
        s.out_channels = count;
        s.inputs = {x};
        add_node(std::move(s), out, vector_[x]);
    };
    auto ints = [&](int input, const char* attr) -> std::vector<std::int64_t> {
        if (const nn::Tensor* t = const_input(n, input)) {
            // Constants are held as floats: INT64_MAX ("to the end") comes back saturated, not wrapped.
            std::vector<std::int64_t> v;
            for (float f : t->data) v.push_back(f >= 9e18f ? INT64_MAX : f <= -9e18f ? INT64_MIN : std::int64_t(f));
            return v;
        }
        return op::attr_ints(n, attr);
    };
    if (n.op_type() == "Split") {
        const std::int64_t axis = op::attr_int(n, "axis", 0);
        if (axis != 1 && axis != -3) return fail(n, "only a split along the channels (axis 1) is supported");
        if (n.input_size() > 1 && !n.input(1).empty() && !const_input(n, 1)) return fail(n, "split sizes must be constants");
        std::vector<std::int64_t> sizes = ints(1, "split");
        const int parts = n.output_size();
        if (sizes.empty()) {
            if (c % parts != 0) return fail(n, std::to_string(c) + " channels do not split evenly");
            sizes.assign(parts, c / parts);
        }
        std::int64_t total = 0;
        for (auto v : sizes) total += v > 0 ? v : 1 << 30;
        if (static_cast<int>(sizes.size()) != parts || total != c) return fail(n, "split sizes do not add up to the channels");
        int start = 0;
        for (int k = 0; k < parts; ++k) {
            slice(start, static_cast<int>(sizes[k]), n.output(k));
            start += static_cast<int>(sizes[k]);
        }
        return Status::success();
    }
    for (int k = 1; k < n.input_size(); ++k)
        if (!n.input(k).empty() && !const_input(n, k)) return fail(n, "starts, ends, axes and steps must be constants");
    const auto starts = ints(1, "starts"), ends = ints(2, "ends"), axes = ints(3, "axes"), steps = ints(4, "steps");
    if (starts.size() != 1 || ends.size() != 1 || (!axes.empty() && axes != std::vector<std::int64_t>{1} &&
                                                   axes != std::vector<std::int64_t>{-3}) ||
        (axes.empty()) || (!steps.empty() && steps != std::vector<std::int64_t>{1}))
        return fail(n, "only a slice of the channels (axis 1, step 1) is supported");
    auto clampc = [&](std::int64_t v) { return std::clamp<std::int64_t>(v < 0 ? v + c : v, 0, c); };
    const std::int64_t b = clampc(starts[0]), e = clampc(ends[0]);
    if (e <= b) return fail(n, "the slice is empty");
    slice(static_cast<int>(b), static_cast<int>(e - b), n.output(0));
    return Status::success();
}

}  // namespace rv::import::onnx_import
