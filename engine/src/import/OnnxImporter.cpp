// ONNX model (NCHW, batch 1) -> our NHWC graph + tensors, before simplification.
// Nodes are read in the file's order (ONNX requires a topological one). Every value is a map (one of
// our nodes), a constant (initializer or Constant), or "shape arithmetic" (Shape and what is computed
// from it): the last is only accepted where it does not matter, as the target shape of a Reshape of
// a 1 x 1 x C vector. Our node names are the ONNX output value names (unique in a graph).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>

#include "import/OnnxReader.h"

namespace rv::import {

namespace onnx_import {

// Conv: group 1 -> Conv2D (OIHW -> HWIO), group = C with one input channel per group ->
// DepthwiseConv2D ([C][1][kh][kw] -> [kh][kw][C]).
Status Reader::conv(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    const nn::Tensor* w = const_input(n, 1);
    if (x < 0 || !w) return fail(n, "needs a map input and constant weights");
    if (w->shape.size() != 4) return fail(n, "only 2-D convolutions are supported");
    const nn::Tensor* b = n.input_size() > 2 ? const_input(n, 2) : nullptr;
    if (n.input_size() > 2 && !n.input(2).empty() && !b) return fail(n, "the bias is not a constant");
    for (auto d : op::attr_ints(n, "dilations"))
        if (d != 1) return fail(n, "dilated convolutions are not supported");
    const int o = w->shape[0], ig = w->shape[1], kh = w->shape[2], kw = w->shape[3];
    const std::int64_t group = op::attr_int(n, "group", 1);
    nn::Node c;
    if (group == 1) {
        c.op = nn::OpType::Conv2D;
    } else if (ig == 1 && group == o) {
        c.op = nn::OpType::DepthwiseConv2D;
    } else {
        return fail(n, "grouped convolution (group " + std::to_string(group) + ") is not supported");
    }
    if (kh < 1 || kw < 1 || kh > nn::kMaxKernel || kw > nn::kMaxKernel || o < 1 || o > nn::kMaxChannels)
        return fail(n, "kernel or channel count out of range");
    c.kernel_h = kh, c.kernel_w = kw, c.out_channels = o;
    auto strides = op::attr_ints(n, "strides");
    if (strides.empty()) strides = {1, 1};
    if (strides.size() != 2 || strides[0] < 1 || strides[1] < 1 || strides[0] > nn::kMaxStride ||
        strides[1] > nn::kMaxStride)
        return fail(n, "invalid strides");
    c.stride_h = static_cast<int>(strides[0]), c.stride_w = static_cast<int>(strides[1]);
    const std::string auto_pad = op::attr_string(n, "auto_pad", "NOTSET");
    c.padding = nn::Padding::Explicit;
    if (auto_pad == "SAME_UPPER") {
        c.padding = nn::Padding::Same;  // TF's rule: the extra pixel bottom/right
    } else if (auto_pad == "NOTSET" || auto_pad == "VALID") {
        auto pads = op::attr_ints(n, "pads");
        if (auto_pad == "VALID" || pads.empty()) pads = {0, 0, 0, 0};
        if (pads.size() != 4) return fail(n, "invalid pads");
        for (auto p : pads)
            if (p < 0 || p > nn::kMaxPad) return fail(n, "pads out of range");
        // ONNX order: [top, left, bottom, right].
        c.pad_top = static_cast<int>(pads[0]), c.pad_left = static_cast<int>(pads[1]);
        c.pad_bottom = static_cast<int>(pads[2]), c.pad_right = static_cast<int>(pads[3]);
    } else {
        return fail(n, "auto_pad " + auto_pad + " is not supported");
    }
    const std::string out = n.output(0);
    c.weights = out + "/weights";
    nn::Tensor t;
    const std::size_t taps = static_cast<std::size_t>(kh) * kw;
    t.data.resize(w->data.size());
    if (c.op == nn::OpType::Conv2D) {
        t.shape = {kh, kw, ig, o};
        for (int oc = 0; oc < o; ++oc)
            for (int ic = 0; ic < ig; ++ic)
                for (std::size_t k = 0; k < taps; ++k)
                    t.data[(k * ig + ic) * o + oc] = w->data[(static_cast<std::size_t>(oc) * ig + ic) * taps + k];
    } else {
        t.shape = {kh, kw, o};
        for (int ch = 0; ch < o; ++ch)
            for (std::size_t k = 0; k < taps; ++k) t.data[k * o + ch] = w->data[ch * taps + k];
    }
    out_.tensors[c.weights] = std::move(t);
    if (b) {
        if (b->data.size() != static_cast<std::size_t>(o)) return fail(n, "the bias does not have one value per output");
        c.bias = out + "/bias";
        out_.tensors[c.bias] = nn::Tensor{{o}, b->data};
    }
    c.inputs = {x};
    const bool vec = vector_[x] && kh == 1 && kw == 1 && c.pad_top + c.pad_left + c.pad_bottom + c.pad_right == 0;
    add_node(std::move(c), out, vec);
    return Status::success();
}

// BatchNormalization (inference) folds into the convolution that feeds only it.
Status Reader::batch_norm(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    if (x < 0 || n.input_size() < 5) return fail(n, "needs a map input and four constant tensors");
    const nn::Tensor *g = const_input(n, 1), *b = const_input(n, 2), *m = const_input(n, 3), *v = const_input(n, 4);
    if (!g || !b || !m || !v) return fail(n, "scale, bias, mean and variance must be constants");
    nn::Node* c = sole_conv(n.input(0), x);
    if (!c) return fail(n, "only a batch normalisation right after a convolution (read by nothing else) is supported");
    const std::size_t ch = static_cast<std::size_t>(c->out_channels);
    if (g->data.size() != ch || b->data.size() != ch || m->data.size() != ch || v->data.size() != ch)
        return fail(n, "its tensors do not have one value per channel");
    if (n.output_size() > 1 && !n.output(1).empty()) return fail(n, "training mode outputs are not supported");
    fold_batch_norm(*c, out_.tensors, g->data, b->data, m->data, v->data, op::attr_float(n, "epsilon", 1e-5f));
    rename(x, n.output(0));
    return Status::success();
}

// Clip(0, 6) -> ReLU6, Clip(0, +inf) -> ReLU; min/max as attributes (opset < 11) or constant inputs.
Status Reader::clip(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    if (x < 0) return fail(n, "needs a map input");
    float lo = op::attr_float(n, "min", -std::numeric_limits<float>::infinity());
    float hi = op::attr_float(n, "max", std::numeric_limits<float>::infinity());
    for (int k = 1; k < 3 && k < n.input_size(); ++k) {
        if (n.input(k).empty()) continue;
        const nn::Tensor* t = const_input(n, k);
        if (!t || t->data.size() != 1) return fail(n, "min and max must be constant scalars");
        (k == 1 ? lo : hi) = t->data[0];
    }
    nn::Node a;
    a.op = nn::OpType::Activation;
    if (lo == 0.0f && hi == 6.0f)
        a.act = nn::Activation::Relu6;
    else if (lo == 0.0f && std::isinf(hi) && hi > 0)
        a.act = nn::Activation::Relu;
    else
        return fail(n, "only Clip(0, 6) and Clip(0, inf) are supported, not Clip(" + std::to_string(lo) + ", " +
                           std::to_string(hi) + ")");
    a.inputs = {x};
    add_node(std::move(a), n.output(0), vector_[x]);
    return Status::success();
}

// HardSigmoid: clamp(alpha x + beta, 0, 1) = ours(6 alpha x + 6 beta - 3) with ours = clamp(x / 6 + 0.5).
// alpha = 1/6, beta = 0.5 maps as it is; other constants fold into a convolution feeding only it.
Status Reader::hard_sigmoid(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    if (x < 0) return fail(n, "needs a map input");
    const float alpha = op::attr_float(n, "alpha", 0.2f), beta = op::attr_float(n, "beta", 0.5f);
    const float scale = 6.0f * alpha, shift = 6.0f * beta - 3.0f;
    if (std::fabs(scale - 1.0f) > 1e-6f || std::fabs(shift) > 1e-6f) {
        nn::Node* c = sole_conv(n.input(0), x);
        if (!c)
            return fail(n, "alpha " + std::to_string(alpha) + ", beta " + std::to_string(beta) +
                               " are supported only right after a convolution (read by nothing else)");
        fold_affine(*c, {scale}, {shift});
    }
    nn::Node a;
    a.op = nn::OpType::Activation;
    a.act = nn::Activation::HardSigmoid;
    a.inputs = {x};
    add_node(std::move(a), n.output(0), vector_[x]);
    return Status::success();
}

// Add / Sub / Mul / Div. Two maps: Add, or Mul (simplify() makes it a hard-swish or a channel gate).
// A map and a constant scalar: an Affine step. A map and a per-channel constant added to (Add) or
// multiplying (Mul) a convolution's output: folded into that convolution.
Status Reader::binary(const onnx::NodeProto& n) {
    const std::string& t = n.op_type();
    if (n.input_size() != 2) return fail(n, "needs two inputs");
    const int a = map_input(n, 0), b = map_input(n, 1);
    if (a >= 0 && b >= 0) {
        if (t != "Add" && t != "Mul") return fail(n, "of two maps is not supported");
        nn::Node e;
        e.op = t == "Add" ? nn::OpType::Add : nn::OpType::Mul;
        e.inputs = {a, b};
        add_node(std::move(e), n.output(0), vector_[a] && vector_[b]);
        return Status::success();
    }
    const int side = a >= 0 ? 0 : 1;
    const int x = a >= 0 ? a : b;
    const nn::Tensor* k = const_input(n, 1 - side);
    if (x < 0 || !k) return fail(n, "needs a map and a map or a constant");
    if ((t == "Sub" || t == "Div") && side != 0) return fail(n, "a constant minus or over a map is not supported");
    if (k->data.size() == 1) {
        const float v = k->data[0];
        nn::Node e;
        e.op = nn::OpType::Affine;
        if (t == "Add") e.shift = v;
        else if (t == "Sub") e.shift = -v;
        else if (t == "Mul") e.scale = v;
        else if (v == 0.0f) return fail(n, "divides by zero");
        else e.scale = 1.0f / v;
        e.inputs = {x};
        add_node(std::move(e), n.output(0), vector_[x]);
        return Status::success();
    }
    nn::Node* c = sole_conv(n.input(side), x);
    const std::size_t ch = c ? static_cast<std::size_t>(c->out_channels) : 0;
    // Per channel: any shape of C values on a vector (a Gemm/MatMul result), [C,1,1] or [1,C,1,1] on a map.
    const auto& s = k->shape;
    const bool per_channel = c && k->data.size() == ch &&
                             (vector_[x] || (s.size() >= 3 && s[s.size() - 1] == 1 && s[s.size() - 2] == 1));
    if (!per_channel) return fail(n, "a constant that is neither a scalar nor per channel after a convolution");
    std::vector<float> scale(ch, 1.0f), shift(ch, 0.0f);
    if (t == "Add") shift = k->data;
    else if (t == "Sub") for (std::size_t i = 0; i < ch; ++i) shift[i] = -k->data[i];
    else if (t == "Mul") scale = k->data;
    else for (std::size_t i = 0; i < ch; ++i) scale[i] = 1.0f / k->data[i];
    fold_affine(*c, scale, shift);
    rename(x, n.output(0));
    return Status::success();
}

// MaxPool -> MaxPool, AveragePool -> AvgPool (one window, read alike); GlobalAveragePool -> GlobalAvgPool.
Status Reader::pool(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    if (x < 0) return fail(n, "needs a map input");
    nn::Node p;
    p.inputs = {x};
    if (n.op_type() == "GlobalAveragePool") {
        p.op = nn::OpType::GlobalAvgPool;
        add_node(std::move(p), n.output(0), true);
        return Status::success();
    }
    if (n.output_size() > 1 && !n.output(1).empty()) return fail(n, "the Indices output is not supported");
    if (op::attr_int(n, "ceil_mode", 0) != 0) return fail(n, "ceil_mode 1 is not supported");
    if (op::attr_int(n, "storage_order", 0) != 0) return fail(n, "storage_order 1 is not supported");
    for (auto d : op::attr_ints(n, "dilations"))
        if (d != 1) return fail(n, "dilations are not supported");
    const auto k = op::attr_ints(n, "kernel_shape");
    auto s = op::attr_ints(n, "strides");
    if (s.empty()) s = {1, 1};
    if (k.size() != 2 || s.size() != 2) return fail(n, "only 2-D pooling is supported");
    for (auto v : k)
        if (v < 1 || v > nn::kMaxKernel) return fail(n, "kernel out of range");
    for (auto v : s)
        if (v < 1 || v > nn::kMaxStride) return fail(n, "strides out of range");
    if (n.op_type() == "AveragePool") {
        p.op = nn::OpType::AvgPool;
        p.count_include_pad = op::attr_int(n, "count_include_pad", 0) != 0;
    } else {
        p.op = nn::OpType::MaxPool;
    }
    p.kernel_h = static_cast<int>(k[0]), p.kernel_w = static_cast<int>(k[1]);
    p.stride_h = static_cast<int>(s[0]), p.stride_w = static_cast<int>(s[1]);
    const std::string auto_pad = op::attr_string(n, "auto_pad", "NOTSET");
    p.padding = nn::Padding::Explicit;
    if (auto_pad == "SAME_UPPER") {
        p.padding = nn::Padding::Same;
    } else if (auto_pad == "NOTSET" || auto_pad == "VALID") {
        auto pads = op::attr_ints(n, "pads");
        if (auto_pad == "VALID" || pads.empty()) pads = {0, 0, 0, 0};
        if (pads.size() != 4) return fail(n, "invalid pads");
        for (int i = 0; i < 4; ++i)
            if (pads[i] < 0 || pads[i] >= k[i % 2]) return fail(n, "pads must be smaller than the kernel");
        p.pad_top = static_cast<int>(pads[0]), p.pad_left = static_cast<int>(pads[1]);
        p.pad_bottom = static_cast<int>(pads[2]), p.pad_right = static_cast<int>(pads[3]);
    } else {
        return fail(n, "auto_pad " + auto_pad + " is not supported");
    }
    add_node(std::move(p), n.output(0), false);
    return Status::success();
}

// Gemm / MatMul of a 1 x 1 x C vector by constant weights -> a 1 x 1 Conv2D on the vector.
Status Reader::dense(const onnx::NodeProto& n) {
    const int x = map_input(n, 0);
    const nn::Tensor* w = const_input(n, 1);
    if (x < 0 || !w || w->shape.size() != 2)
        return fail(n, "only a vector times constant 2-D weights is supported");
    if (!vector_[x]) return fail(n, "its input is not a 1 x 1 x C vector (after a global pool)");
    const bool gemm = n.op_type() == "Gemm";
    if (gemm && op::attr_int(n, "transA", 0) != 0) return fail(n, "transA is not supported");
    const bool trans_b = gemm && op::attr_int(n, "transB", 0) != 0;
    const float alpha = gemm ? op::attr_float(n, "alpha", 1.0f) : 1.0f;
    const float beta = gemm ? op::attr_float(n, "beta", 1.0f) : 1.0f;
    const int cin = trans_b ? w->shape[1] : w->shape[0], cout = trans_b ? w->shape[0] : w->shape[1];
    if (cout < 1 || cout > nn::kMaxChannels || cin < 1) return fail(n, "weights out of range");
    nn::Node c;
    c.op = nn::OpType::Conv2D;
    c.padding = nn::Padding::Explicit;
    c.out_channels = cout;
    const std::string out = n.output(0);
    c.weights = out + "/weights";
    nn::Tensor t{{1, 1, cin, cout}, std::vector<float>(w->data.size())};
    for (int i = 0; i < cin; ++i)
        for (int o = 0; o < cout; ++o)
            t.data[static_cast<std::size_t>(i) * cout + o] =
                alpha * (trans_b ? w->data[static_cast<std::size_t>(o) * cin + i] : w->data[static_cast<std::size_t>(i) * cout + o]);
    out_.tensors[c.weights] = std::move(t);
    if (gemm && n.input_size() > 2 && !n.input(2).empty()) {
        const nn::Tensor* b = const_input(n, 2);
        if (!b || (b->data.size() != 1 && b->data.size() != static_cast<std::size_t>(cout)))
            return fail(n, "C must be a constant of 1 or N values");
        c.bias = out + "/bias";
        std::vector<float> bias(cout);
        for (int o = 0; o < cout; ++o) bias[o] = beta * b->data[b->data.size() == 1 ? 0 : o];
        out_.tensors[c.bias] = nn::Tensor{{cout}, std::move(bias)};
    }
    c.inputs = {x};
    add_node(std::move(c), out, true);
    return Status::success();
}

Status Reader::node(const onnx::NodeProto& n) {
    if (!n.domain().empty() && n.domain() != "ai.onnx") return fail(n, "ops of domain " + n.domain() + " are not supported");
    if (n.output_size() < 1) return fail(n, "has no output");
    const std::string& t = n.op_type();
    // Shape arithmetic (the batch-size dance of a flatten): carried along, never evaluated.
    bool any_shape = t == "Shape";
    bool any_map = false;
    for (const auto& in : n.input()) {
        const Value* v = value(in);
        if (!in.empty() && !v) return fail(n, "input " + in + " is not defined before it");
        if (v && v->kind == Value::ShapeMath) any_shape = true;
        if (v && v->kind == Value::Map) any_map = true;
    }
    if (t == "Reshape" || t == "Flatten" || t == "Squeeze" || t == "Unsqueeze" || t == "Transpose") {
        const Value* v = n.input_size() > 0 ? value(n.input(0)) : nullptr;
        if (v && v->kind != Value::Const && v->kind != Value::ShapeMath) return reshape(n);
    }
    if (any_shape && (!any_map || t == "Shape")) {
        if (t != "Shape" && t != "Cast" && t != "Slice" && t != "Concat" && t != "Gather" && t != "Unsqueeze" &&
            t != "Squeeze" && t != "Reshape" && t != "Identity")
            return fail(n, "shape arithmetic through this op is not supported");
        for (const auto& o : n.output()) values_[o] = Value{Value::ShapeMath, -1, {}};
        return Status::success();
    }
    if (any_shape) return fail(n, "a shape computed at run time is supported only as a Reshape's target after a global pool");
    if (t == "Constant") {
        Value v{Value::Const, -1, {}};
        const auto* a = op::attribute(n, "value");
        std::string why;
        if (a && a->has_t()) {
            if (!op::read_tensor(a->t(), &v.tensor, &why)) return fail(n, why);
        } else if (const auto* f = op::attribute(n, "value_float")) {
            v.tensor = nn::Tensor{{}, {f->f()}};
        } else if (const auto* i = op::attribute(n, "value_int")) {
            v.tensor = nn::Tensor{{}, {static_cast<float>(i->i())}};
        } else if (const auto* is = op::attribute(n, "value_ints")) {
            v.tensor.shape = {is->ints_size()};
            for (auto x : is->ints()) v.tensor.data.push_back(static_cast<float>(x));
        } else if (const auto* fs = op::attribute(n, "value_floats")) {
            v.tensor.shape = {fs->floats_size()};
            v.tensor.data.assign(fs->floats().begin(), fs->floats().end());
        } else {
            return fail(n, "a constant of this kind is not supported");
        }
        values_[n.output(0)] = std::move(v);
        return Status::success();
    }
    if (t == "Identity" || t == "Dropout") {
        const Value* v = n.input_size() > 0 ? value(n.input(0)) : nullptr;
        if (!v) return fail(n, "needs an input");
        if (v->kind == Value::Map) rename(v->node, n.output(0));
        else values_[n.output(0)] = *v;
        return Status::success();
    }
    if (t == "Cast" && const_input(n, 0)) {  // a constant's type: values stay floats, integers truncate
        Value v{Value::Const, -1, *const_input(n, 0)};
        const std::int64_t to = op::attr_int(n, "to", onnx::TensorProto::FLOAT);
        if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE)
            for (float& x : v.tensor.data) x = std::trunc(x);
        values_[n.output(0)] = std::move(v);
        return Status::success();
    }
    if (t == "Conv") return conv(n);
    if (t == "BatchNormalization") return batch_norm(n);
    if (t == "Clip") return clip(n);
    if (t == "HardSigmoid") return hard_sigmoid(n);
    if (t == "Add" || t == "Sub" || t == "Mul" || t == "Div") return binary(n);
    if (t == "GlobalAveragePool" || t == "MaxPool" || t == "AveragePool") return pool(n);
    if (t == "Gemm" || t == "MatMul") return dense(n);
    if (t == "Softmax") return softmax(n);
    if (t == "Concat") return concat(n);
    if (t == "Split" || t == "Slice") return split(n);
    if (t == "Relu" || t == "HardSwish" || t == "Sigmoid") {
        const int x = map_input(n, 0);
        if (x < 0) return fail(n, "needs a map input");
        nn::Node a;
        a.op = nn::OpType::Activation;
        a.act = t == "Relu" ? nn::Activation::Relu : t == "Sigmoid" ? nn::Activation::Sigmoid : nn::Activation::HardSwish;
        a.inputs = {x};
        add_node(std::move(a), n.output(0), vector_[x]);
        return Status::success();
    }
    return fail(n, "op " + t + " is not supported");
}

Result<Imported> Reader::run(const std::vector<std::string>& outputs) {
    const auto& g = model_.graph();
    std::string why;
    for (const auto& init : g.initializer()) {
        Value v{Value::Const, -1, {}};
        if (!op::read_tensor(init, &v.tensor, &why)) return Error{where_ + ": initializer " + why};
        values_[init.name()] = std::move(v);
    }
    // The one graph input that is not an initializer: N x C x H x W, N = 1 or symbolic.
    const onnx::ValueInfoProto* input = nullptr;
    for (const auto& in : g.input()) {
        if (values_.count(in.name())) continue;
        if (input) return Error{where_ + ": more than one graph input (" + input->name() + ", " + in.name() + ")"};
        input = &in;
    }
    if (!input) return Error{where_ + ": the graph has no input"};
    const auto& type = input->type();
    if (!type.has_tensor_type() || type.tensor_type().elem_type() != onnx::TensorProto::FLOAT)
        return Error{where_ + ": input " + input->name() + " is not a float tensor"};
    const auto& dims = type.tensor_type().shape().dim();
    if (dims.size() != 4) return Error{where_ + ": input " + input->name() + " is not 4-D (N x C x H x W)"};
    if (dims[0].has_dim_value() && dims[0].dim_value() != 1)
        return Error{where_ + ": input " + input->name() + " has batch " + std::to_string(dims[0].dim_value()) +
                     " (only 1 is supported)"};
    if (!dims[1].has_dim_value() || dims[1].dim_value() < 1 || dims[1].dim_value() > nn::kMaxChannels)
        return Error{where_ + ": input " + input->name() + " needs a fixed channel count"};
    nn::Node in;
    in.op = nn::OpType::Input;
    in.out_channels = static_cast<int>(dims[1].dim_value());
    add_node(std::move(in), input->name(), false);

    for (const auto& n : g.node())
        for (const auto& i : n.input()) ++uses_[i];
    for (const auto& o : g.output()) ++uses_[o.name()];
    for (const auto& n : g.node())
        if (auto st = node(n); !st) return st.error();
    for (const auto& o : outputs) {
        const Value* v = value(o);
        if (!v || v->kind != Value::Map) return Error{where_ + ": no map named " + o};
        // A value folded into a later one (a convolution's BN, a flatten) keeps its name as an alias.
        if (out_.graph.nodes[v->node].name != o) out_.graph.aliases[o] = out_.graph.nodes[v->node].name;
    }
    return std::move(out_);
}

}  // namespace onnx_import

using onnx_import::Reader;


Result<Imported> import_onnx_bytes(const std::string& bytes, const std::string& where,
                                   const std::vector<std::string>& outputs) {
    onnx::ModelProto m;
    if (bytes.size() > (std::size_t(1) << 30) || !m.ParseFromString(bytes))
        return Error{where + ": not a valid ONNX model (protobuf parse failed)"};
    if (!m.has_graph()) return Error{where + ": the ONNX model has no graph"};
    return Reader(m, where).run(outputs);
}

Result<Imported> import_onnx(const std::filesystem::path& file, const std::vector<std::string>& outputs) {
    std::ifstream f(file, std::ios::binary);
    if (!f) return Error{"cannot open " + file.string()};
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return import_onnx_bytes(bytes, file.string(), outputs);
}

}  // namespace rv::import
