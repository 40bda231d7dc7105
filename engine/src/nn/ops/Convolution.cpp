// Conv2D (weights HWIO [kh][kw][cin][cout]) and DepthwiseConv2D (weights [kh][kw][c], channel
// multiplier 1), bias [cout] optional, fused activation. They share their geometry: kernel, stride,
// TF "SAME" or explicit padding (see Padding in Graph.h).
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "model/ModelFile.h"
#include "nn/int8/Int8Plan.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {

namespace jf = json_fields;

void write_window(const Node& n, nlohmann::json& j) {
    j["kernel"] = {n.kernel_h, n.kernel_w};
    j["stride"] = {n.stride_h, n.stride_w};
    if (n.padding == Padding::Same)
        j["padding"] = "same";
    else
        j["padding"] = {n.pad_top, n.pad_left, n.pad_bottom, n.pad_right};
}

void read_window(const nlohmann::json& jn, Node& n, const std::string& where) {
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
        if (p.get_ref<const std::string&>() != "same") throw jf::FieldError("unknown padding at " + where);
        n.padding = Padding::Same;
    } else {
        const auto& pads = jf::array_value(p, where + " padding", 4);
        if (pads.size() != 4) throw jf::FieldError(where + " padding needs 4 values or \"same\"");
        n.padding = Padding::Explicit;
        int* dst[4] = {&n.pad_top, &n.pad_left, &n.pad_bottom, &n.pad_right};
        for (int k = 0; k < 4; ++k) *dst[k] = static_cast<int>(jf::int_value(pads[k], where + " padding", 0, kMaxPad));
    }
}

Result<MapShape> window_shape(const Node& n, const MapShape& in, const MapShape& image) {
    MapShape s;
    s.c = in.c;
    if (n.padding == Padding::Same) {
        s.h = (in.h + n.stride_h - 1) / n.stride_h;
        s.w = (in.w + n.stride_w - 1) / n.stride_w;
        s.pad_top = std::max((s.h - 1) * n.stride_h + n.kernel_h - in.h, 0) / 2;
        s.pad_left = std::max((s.w - 1) * n.stride_w + n.kernel_w - in.w, 0) / 2;
    } else {
        const int eh = in.h + n.pad_top + n.pad_bottom - n.kernel_h;
        const int ew = in.w + n.pad_left + n.pad_right - n.kernel_w;
        if (eh < 0 || ew < 0)
            return Error{"input " + std::to_string(image.w) + "x" + std::to_string(image.h) +
                         " is too small for the network (at node " + n.name + ")"};
        s.h = eh / n.stride_h + 1;
        s.w = ew / n.stride_w + 1;
        s.pad_top = n.pad_top;
        s.pad_left = n.pad_left;
    }
    // A 1 x 1 input at every size gives one output shape at every size.
    s.vector = in.vector && s.h == 1 && s.w == 1;
    return s;
}

namespace {

void write(const Node& n, nlohmann::json& j) {
    write_window(n, j);
    j["out_channels"] = n.out_channels;
    j["weights"] = n.weights;
    if (!n.bias.empty()) j["bias"] = n.bias;
}

void read(const nlohmann::json& jn, Node& n, const std::string& where) {
    read_window(jn, n, where);
    n.out_channels =
        static_cast<int>(jf::int_value(jf::member(jn, "out_channels", where), where + " out_channels", 1, kMaxChannels));
    n.weights = jf::string_value(jf::member(jn, "weights", where), where + " weights", 1024);
    if (jf::has(jn, "bias")) n.bias = jf::string_value(jn["bias"], where + " bias", 1024);
}

Status check(const Node& n, const TensorShapes& shapes) {
    auto wt = shapes.find(n.weights);
    if (wt == shapes.end()) return Error{"node " + n.name + ": missing tensor " + n.weights};
    if (n.kernel_h < 1 || n.kernel_w < 1 || n.stride_h < 1 || n.stride_w < 1 || n.out_channels < 1 || n.pad_top < 0 ||
        n.pad_left < 0 || n.pad_bottom < 0 || n.pad_right < 0 || n.kernel_h > kMaxKernel || n.kernel_w > kMaxKernel ||
        n.stride_h > kMaxStride || n.stride_w > kMaxStride || n.out_channels > kMaxChannels || n.pad_top > kMaxPad ||
        n.pad_left > kMaxPad || n.pad_bottom > kMaxPad || n.pad_right > kMaxPad)
        return Error{"node " + n.name + ": invalid convolution geometry"};
    const auto& s = wt->second;
    const bool ok = n.op == OpType::Conv2D
                        ? (s.size() == 4 && s[0] == n.kernel_h && s[1] == n.kernel_w && s[3] == n.out_channels)
                        : (s.size() == 3 && s[0] == n.kernel_h && s[1] == n.kernel_w && s[2] == n.out_channels);
    if (!ok) return Error{"node " + n.name + ": tensor " + n.weights + " has the wrong shape"};
    if (!n.bias.empty()) {
        auto b = shapes.find(n.bias);
        if (b == shapes.end() || b->second.size() != 1 || b->second[0] != n.out_channels)
            return Error{"node " + n.name + ": bias " + n.bias + " missing or of the wrong shape"};
    }
    return Status::success();
}

int channels(const Node& n, int) { return n.out_channels; }

Result<MapShape> shape(const Node& n, const std::vector<const MapShape*>& ins, const MapShape& image,
                       const TensorShapes& tensors) {
    const MapShape& in = *ins[0];
    // Dense HWIO and depthwise [kh][kw][c] weights both keep the input channels at [2].
    auto wt = tensors.find(n.weights);
    if (wt == tensors.end() || wt->second.size() < 3) return Error{"node " + n.name + ": missing weights " + n.weights};
    if (wt->second[2] != in.c)
        return Error{"node " + n.name + ": expects " + std::to_string(wt->second[2]) + " input channels, gets " +
                     std::to_string(in.c)};
    auto s = window_shape(n, in, image);
    if (s) s->c = n.out_channels;
    return s;
}

kernels::ConvShape conv_shape_of(const Node& n, const MapShape& in, const MapShape& s) {
    kernels::ConvShape cs;
    cs.in_h = in.h, cs.in_w = in.w, cs.in_c = in.c;
    cs.out_h = s.h, cs.out_w = s.w, cs.out_c = s.c;
    cs.kernel_h = n.kernel_h, cs.kernel_w = n.kernel_w;
    cs.stride_h = n.stride_h, cs.stride_w = n.stride_w;
    cs.pad_top = s.pad_top, cs.pad_left = s.pad_left;
    return cs;
}

kernels::ConvShape conv_shape(const Node& n, const RunArgs& a) { return conv_shape_of(n, *a.in_shapes[0], a.out_shape); }

const float* bias_of(const Node& n, const RunArgs& a) { return n.bias.empty() ? nullptr : a.model.tensor(n.bias)->data; }

void run_conv2d(const Node& n, const RunArgs& a) {
    const MapShape& in = *a.in_shapes[0];
    const MapShape& s = a.out_shape;
    const float* wt = a.model.tensor(n.weights)->data;
    if (is_pointwise(n))
        a.kernels.gemm(in.h * in.w, s.c, in.c, a.in[0], wt, bias_of(n, a), a.out, n.act);
    else
        a.kernels.conv2d(conv_shape(n, a), a.in[0], wt, bias_of(n, a), a.out, n.act);
}

void run_depthwise(const Node& n, const RunArgs& a) {
    a.kernels.depthwise_conv2d(conv_shape(n, a), a.in[0], a.model.tensor(n.weights)->data, bias_of(n, a), a.out,
                               n.act);
}

// conv(k x) = k conv(x) for the weights part, so a factor owed by the input goes into the weights;
// the bias stays, and the output owes nothing.
bool fold_scale(int i, ScaleFold& f, float* owed, std::string*) {
    const Node& n = f.graph.nodes[i];
    const float in = f.owed[n.inputs[0]];
    if (in != 1.0f)
        for (float& v : f.tensors.at(n.weights).data) v *= in;
    *owed = 1.0f;
    return true;
}

// INT8: the 1 x 1 stride-1 convolutions (a GEMM) and the depthwise ones. Weights per output
// channel, the bias in accumulator units; ReLU / ReLU6 fuse as a clamp into a uint8 output, any
// other activation gives a float output (the next int8 op quantizes it).
// The input's real values per channel k are scale_k * (q - zero point): a per-channel input
// (MapQuant::channel_scale) folds scale_k into the weights' row k, which is exact for both a
// 1 x 1 and a depthwise convolution; the GEMM/depthwise then sees an input of scale 1.
std::vector<float> folded_weights(const Node& n, const Int8Prep& p, int rows, int cols, bool channels_are_columns) {
    const auto* w = p.model.tensor(n.weights);
    std::vector<float> f(w->data, w->data + static_cast<std::size_t>(rows) * cols);
    const auto& cs = p.in[0].channel_scale;
    if (!cs.empty())
        for (int r = 0; r < rows; ++r) {
            // Pointwise: row r is input channel r; depthwise: row r is a tap, column c the channel.
            for (int c = 0; c < cols; ++c) f[static_cast<std::size_t>(r) * cols + c] *= channels_are_columns ? cs[c] : cs[r];
        }
    return f;
}

// Weights per output channel (column), each with the scale of its largest weight, except where the
// bias would not fit the accumulator: a channel whose weights are all but zero (batch norm folded
// with a gamma near 0) keeps a constant output, its bias, which in units of a tiny scale overflows
// int32. Such a column takes the scale that puts its bias at 2^24 units (its weights round to 0,
// as they nearly are); 2^24 leaves room for K * 255 * 127 on top.
void quantize_weights(const Node& n, const Int8Prep& p, const std::vector<float>& w, int rows, int cols, std::int8_t* q,
                      std::vector<float>& w_scale) {
    kernels::quantize_weights_per_channel(w.data(), rows, cols, q, w_scale.data());
    if (n.bias.empty()) return;
    const float* bias = p.model.tensor(n.bias)->data;
    const double a_scale = p.in[0].q.scale;
    for (int c = 0; c < cols; ++c) {
        const double floor = std::abs(double(bias[c])) / (a_scale * double(1 << 24));
        if (w_scale[c] >= floor) continue;
        w_scale[c] = static_cast<float>(floor);
        for (int r = 0; r < rows; ++r) {
            const std::size_t e = static_cast<std::size_t>(r) * cols + c;
            q[e] = static_cast<std::int8_t>(std::clamp(std::nearbyint(w[e] / w_scale[c]), -127.0f, 127.0f));
        }
    }
}

// Bias correction (Nagel et al. 2019, "Data-Free Quantization"): rounding the weights shifts each
// output's mean by sum_k mean(x_k) * (w_q[k][n] - w[k][n]); the calibration's input means give
// that shift, and the bias takes it back. `q`/`w_scale` are the quantized folded weights `folded`
// (rows x cols; for a depthwise convolution the rows are taps of the same channel).
std::vector<float> mean_shift(const Int8Prep& p, const std::vector<float>& folded, const std::int8_t* q,
                              const std::vector<float>& w_scale, int rows, int cols, bool channels_are_columns) {
    std::vector<float> shift(cols, 0.0f);
    const auto& mean = p.in_mean;
    const auto& cs = p.in[0].channel_scale;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const int k = channels_are_columns ? c : r;  // the input channel this weight reads
            if (k >= static_cast<int>(mean.size())) return std::vector<float>(cols, 0.0f);
            const std::size_t e = static_cast<std::size_t>(r) * cols + c;
            // Folded weights read x_k / scale_k.
            const float x = cs.empty() ? mean[k] : mean[k] / cs[k];
            shift[c] += x * (float(q[e]) * w_scale[c] - folded[e]);
        }
    return shift;
}

void prepare_outputs(const Node& n, Int8Prep& p, const std::vector<float>& w_scale, const std::vector<float>& shift) {
    NodeInt8& q = p.prepared;
    const float a_scale = p.in[0].q.scale;  // 1 for a per-channel input (its scales are in the weights)
    q.in_zero_point = p.in[0].q.zero_point;
    const float* bias = n.bias.empty() ? nullptr : p.model.tensor(n.bias)->data;
    p.out = MapQuant{};
    p.out.u8 = kernels::u8_clamp_for(n.act, p.calibrated, q.min, q.max);
    p.out.q = p.calibrated;
    const std::size_t channels = w_scale.size();
    // An output read only by convolutions gets a scale per channel: its small channels keep their
    // resolution (MobileNetV2's depthwise outputs span 0.1 to 6 by channel).
    if (p.out.u8 && p.per_channel && p.channel_hi.size() == channels && p.channel_lo.size() == channels) {
        auto cq = channel_quant(p.channel_lo, p.channel_hi, p.calibrated.scale);
        p.out.channel_scale = std::move(cq.scale);
        p.out.q = kernels::QuantParams{1.0f, cq.zero_point};
        // ReLU's 0 is the zero point; ReLU6's 6 is at or above every channel's 255.
        q.min = n.act == Activation::Relu || n.act == Activation::Relu6 ? static_cast<std::uint8_t>(cq.zero_point) : 0;
        q.max = 255;
    }
    q.bias.assign(channels, 0);
    q.scale.resize(channels);
    for (std::size_t c = 0; c < channels; ++c) {
        const double unit = double(a_scale) * w_scale[c];
        const double b = (bias ? bias[c] : 0.0) - shift[c];
        q.bias[c] = static_cast<std::int32_t>(std::clamp(std::nearbyint(b / unit), -1e9, 1e9));
        const double out_scale = !p.out.channel_scale.empty() ? p.out.channel_scale[c] : p.out.q.scale;
        q.scale[c] = static_cast<float>(p.out.u8 ? unit / out_scale : unit);
    }
}

// The int8 kernels' fast epilogues are clamps and hard (piecewise linear) activations; a
// convolution ending in an exponential one stays in float.
bool int8_activation(Activation act) { return act != Activation::Sigmoid && act != Activation::Swish; }

bool prepare_conv2d_int8(const Node& n, Int8Prep& p) {
    if (!is_pointwise(n)) return false;  // the stem (3 input channels) and other dense kernels stay float
    if (!int8_activation(n.act)) return false;
    const int K = p.model.tensor(n.weights)->shape[2], N = n.out_channels;
    const std::vector<float> w = folded_weights(n, p, K, N, false);
    std::vector<std::int8_t> q(static_cast<std::size_t>(K) * N);
    std::vector<float> w_scale(N);
    quantize_weights(n, p, w, K, N, q.data(), w_scale);
    p.prepared.packed.resize(p.k8.gemm_packed_size(K, N));
    p.k8.gemm_pack(K, N, q.data(), p.prepared.packed.data());
    prepare_outputs(n, p, w_scale, mean_shift(p, w, q.data(), w_scale, K, N, false));
    return true;
}

bool prepare_depthwise_int8(const Node& n, Int8Prep& p) {
    if (!int8_activation(n.act)) return false;
    const int taps = n.kernel_h * n.kernel_w, C = n.out_channels;
    const std::vector<float> w = folded_weights(n, p, taps, C, true);
    p.prepared.weights.resize(static_cast<std::size_t>(taps) * C);
    std::vector<float> w_scale(C);
    quantize_weights(n, p, w, taps, C, p.prepared.weights.data(), w_scale);
    prepare_outputs(n, p, w_scale, mean_shift(p, w, p.prepared.weights.data(), w_scale, taps, C, true));
    return true;
}

void run_conv2d_int8(const Node& n, const Int8Args& a) {
    const MapShape& in = *a.in_shapes[0];
    const NodeInt8& q = a.prepared;
    const int M = in.h * in.w;
    if (a.out_q.u8)
        a.k8.gemm_u8(M, a.out_shape.c, in.c, a.in[0], q.in_zero_point, q.packed.data(),
                     kernels::Int8ToU8{q.bias.data(), q.scale.data(), a.out_q.q.zero_point, q.min, q.max},
                     static_cast<std::uint8_t*>(a.out));
    else
        a.k8.gemm_f32(M, a.out_shape.c, in.c, a.in[0], q.in_zero_point, q.packed.data(),
                      kernels::Int8ToF32{q.bias.data(), q.scale.data(), n.act}, static_cast<float*>(a.out));
}

void run_depthwise_int8(const Node& n, const Int8Args& a) {
    const NodeInt8& q = a.prepared;
    const kernels::ConvShape cs = conv_shape_of(n, *a.in_shapes[0], a.out_shape);
    if (a.out_q.u8)
        a.k8.depthwise_u8(cs, a.in[0], q.in_zero_point, q.weights.data(),
                          kernels::Int8ToU8{q.bias.data(), q.scale.data(), a.out_q.q.zero_point, q.min, q.max},
                          static_cast<std::uint8_t*>(a.out));
    else
        a.k8.depthwise_f32(cs, a.in[0], q.in_zero_point, q.weights.data(),
                           kernels::Int8ToF32{q.bias.data(), q.scale.data(), n.act}, static_cast<float*>(a.out));
}

}  // namespace

bool is_convolution(OpType op) { return op == OpType::Conv2D || op == OpType::DepthwiseConv2D; }

bool is_pointwise(const Node& n) {
    return n.op == OpType::Conv2D && n.kernel_h == 1 && n.kernel_w == 1 && n.stride_h == 1 && n.stride_w == 1 &&
           (n.padding == Padding::Same || (n.pad_top == 0 && n.pad_left == 0 && n.pad_bottom == 0 && n.pad_right == 0));
}

const OpDef& conv2d_op() {
    static const OpDef def{.type = OpType::Conv2D, .name = "conv2d", .arity = 1, .fuses_activation = true,
                           .write = write, .read = read, .check = check, .channels = channels, .shape = shape,
                           .run = run_conv2d, .fold_scale = fold_scale, .prepare_int8 = prepare_conv2d_int8,
                           .run_int8 = run_conv2d_int8};
    return def;
}

const OpDef& depthwise_conv2d_op() {
    static const OpDef def{.type = OpType::DepthwiseConv2D, .name = "depthwise_conv2d", .arity = 1,
                           .fuses_activation = true, .write = write, .read = read, .check = check,
                           .channels = channels, .shape = shape, .run = run_depthwise, .fold_scale = fold_scale,
                           .prepare_int8 = prepare_depthwise_int8, .run_int8 = run_depthwise_int8};
    return def;
}

}  // namespace rv::nn
