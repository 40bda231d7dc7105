#include "nn/int8/Int8Network.h"

#include <algorithm>
#include <cmath>

#include "model/ModelFile.h"
#include "nn/ops/OpDef.h"

namespace rv {

Int8Network::Int8Network(std::shared_ptr<const ModelFile> model, const kernels::Int8Kernels& k8)
    : model_(std::move(model)), k8_(&k8) {}

Result<std::unique_ptr<Int8Network>> Int8Network::create(std::shared_ptr<const ModelFile> model,
                                                         const nn::ActivationRanges& ranges,
                                                         const kernels::Int8Kernels* k8,
                                                         const std::vector<bool>& keep_float) {
    const auto& nodes = model->graph().nodes;
    const std::size_t count = nodes.size();
    if (ranges.lo.size() != count || ranges.hi.size() != count)
        return Error{"INT8 activation ranges do not match the model (" + std::to_string(ranges.lo.size()) + " for " +
                     std::to_string(count) + " nodes)"};
    std::unique_ptr<Int8Network> net(new Int8Network(std::move(model), k8 ? *k8 : kernels::int8_kernels()));
    net->calibrated_.resize(count);
    for (std::size_t i = 0; i < count; ++i) net->calibrated_[i] = nn::quant_params(ranges.lo[i], ranges.hi[i]);
    net->steps_.resize(count);
    // A map only convolutions read may carry a scale per channel (they fold it into their weights).
    std::vector<bool> per_channel(count, true);
    for (std::size_t i = 0; i < count; ++i)
        for (int in : nodes[i].inputs)
            if (!nn::is_pointwise(nodes[i]) && nodes[i].op != nn::OpType::DepthwiseConv2D) per_channel[in] = false;
    static const std::vector<float> none;
    // In graph order, so each op knows how its inputs are stored.
    for (std::size_t i = 0; i < count; ++i) {
        const nn::Node& n = nodes[i];
        const nn::OpDef& def = nn::op_def(n.op);
        Step& st = net->steps_[i];
        if (!def.prepare_int8 || (i < keep_float.size() && keep_float[i])) continue;
        const auto& channel_hi = i < ranges.channel_hi.size() ? ranges.channel_hi[i] : none;
        const auto& channel_lo = i < ranges.channel_lo.size() ? ranges.channel_lo[i] : none;
        const int first = n.inputs.empty() ? -1 : n.inputs[0];
        const auto& in_mean = first >= 0 && first < static_cast<int>(ranges.channel_mean.size()) ? ranges.channel_mean[first] : none;
        nn::Int8Prep prep{*net->model_, *net->k8_, {}, in_mean, net->calibrated_[i], channel_hi, channel_lo, per_channel[i], st.prepared, st.out};
        for (int in : n.inputs) {
            const Step& from = net->steps_[in];
            if (from.out.u8) {
                prep.in.push_back(from.out);
                continue;
            }
            // A float map is quantized for each int8 reader: per channel for a convolution (a map
            // other ops read too is quantized twice), else with its calibrated range.
            nn::MapQuant q{false, net->calibrated_[in], {}, {}};
            const auto& hi = in < static_cast<int>(ranges.channel_hi.size()) ? ranges.channel_hi[in] : none;
            const auto& lo = in < static_cast<int>(ranges.channel_lo.size()) ? ranges.channel_lo[in] : none;
            const bool reader_folds = nn::is_pointwise(n) || n.op == nn::OpType::DepthwiseConv2D;
            if (reader_folds && !hi.empty() && (lo.size() == hi.size() || q.q.zero_point == 0)) {
                auto cq = nn::channel_quant(lo, hi, q.q.scale);
                q.channel_scale = std::move(cq.scale);
                for (float scale : q.channel_scale) q.channel_inverse.push_back(1.0f / scale);
                q.q = kernels::QuantParams{1.0f, cq.zero_point};
            }
            prep.in.push_back(std::move(q));
        }
        st.int8 = def.prepare_int8(n, prep);
        if (st.int8)
            for (const auto& m : prep.in) st.in_q.push_back(m);
        else
            st = Step{};
    }
    return net;
}

int Int8Network::int8_nodes() const {
    int n = 0;
    for (const Step& s : steps_) n += s.int8;
    return n;
}

const std::uint8_t* Int8Network::as_u8(int node, const nn::MapQuant& q, std::size_t n) {
    const Step& from = steps_[node];
    if (from.out.u8) return maps_[node].u8.data();  // stored with the quantization readers were given
    // A float map's two conversions, per tensor and per channel, are kept apart.
    Buffer& c = (q.channel_scale.empty() ? converted_ : converted_channels_)[node];
    if (!c.converted) {
        c.u8.resize(n);
        const float* x = maps_[node].f32.data();
        if (q.channel_scale.empty()) {
            k8_->quantize(x, c.u8.data(), n, q.q);
        } else {
            const std::size_t channels = q.channel_inverse.size();
            k8_->quantize_channels(x, c.u8.data(), n / channels, channels, q.channel_inverse.data(), q.q.zero_point);
        }
        c.converted = true;
    }
    return c.u8.data();
}

const float* Int8Network::as_f32(int node, std::size_t n) {
    const Step& from = steps_[node];
    if (!from.out.u8) return maps_[node].f32.data();
    Buffer& c = converted_[node];
    if (!c.converted) {
        c.f32.resize(n);
        const auto& cs = from.out.channel_scale;
        if (cs.empty()) {
            k8_->dequantize(maps_[node].u8.data(), c.f32.data(), n, from.out.q);
        } else {  // per channel: only where a caller wants such a map itself
            const std::uint8_t* q = maps_[node].u8.data();
            const int z = from.out.q.zero_point;
            for (std::size_t p = 0; p < n; p += cs.size())
                for (std::size_t k = 0; k < cs.size(); ++k) c.f32[p + k] = cs[k] * float(int(q[p + k]) - z);
        }
        c.converted = true;
    }
    return c.f32.data();
}

Result<std::vector<Network::Map>> Int8Network::run(const float* input, int h, int w, const std::vector<int>& wanted) {
    const nn::Graph& graph = model_->graph();
    const auto& nodes = graph.nodes;
    const int count = static_cast<int>(nodes.size());
    auto plan = nn::plan_run(graph, model_->tensor_shapes(), h, w, wanted);
    if (!plan) return plan.error();
    const std::vector<bool>& needed = plan->needed;
    shapes_ = std::move(plan->shapes);

    const auto& k = kernels_ ? *kernels_ : kernels::kernels();
    maps_.resize(count);
    converted_.resize(count);
    converted_channels_.resize(count);
    for (auto& c : converted_) c.converted = false;
    for (auto& c : converted_channels_) c.converted = false;
    auto size_of = [&](int node) {
        const nn::MapShape& s = shapes_[node];
        return static_cast<std::size_t>(s.h) * s.w * s.c;
    };

    std::vector<const nn::MapShape*> in_shapes;
    std::vector<const float*> in_f32;
    std::vector<const std::uint8_t*> in_u8;
    std::vector<kernels::QuantParams> in_params;
    for (int i = 0; i < count; ++i) {
        if (!needed[i]) continue;
        const nn::Node& n = nodes[i];
        const nn::OpDef& def = nn::op_def(n.op);
        const Step& st = steps_[i];
        const std::size_t size = size_of(i);
        void* out;
        if (st.out.u8) {
            maps_[i].u8.resize(size);
            out = maps_[i].u8.data();
        } else {
            maps_[i].f32.resize(size);
            out = maps_[i].f32.data();
        }
        in_shapes.clear();
        for (int in : n.inputs) in_shapes.push_back(&shapes_[in]);
        if (st.int8) {
            in_u8.clear();
            for (std::size_t j = 0; j < n.inputs.size(); ++j)
                in_u8.push_back(as_u8(n.inputs[j], st.in_q[j], size_of(n.inputs[j])));
            in_params.clear();
            for (const auto& m : st.in_q) in_params.push_back(m.q);
            def.run_int8(n, nn::Int8Args{k, *k8_, st.prepared, shapes_[i], in_shapes, in_u8, in_params, out, st.out});
        } else {
            in_f32.clear();
            if (n.inputs.empty()) in_f32.push_back(input);
            for (int in : n.inputs) in_f32.push_back(as_f32(in, size_of(in)));
            def.run(n, nn::RunArgs{k, *model_, shapes_[i], in_shapes, in_f32, static_cast<float*>(out)});
        }
    }
    std::vector<Network::Map> maps;
    for (int i : wanted) {
        // Handed out in float, with the factor the import could not fold (as Network does).
        float* p = const_cast<float*>(as_f32(i, size_of(i)));
        const float f = nodes[i].out_scale;
        if (f != 1.0f) {
            // A float map read by nobody else after this run, or this run's conversion: scaled once.
            bool seen = false;
            for (const auto& m : maps) seen |= m.data == p;
            if (!seen)
                for (std::size_t e = 0, n = size_of(i); e < n; ++e) p[e] *= f;
        }
        maps.push_back({shapes_[i].h, shapes_[i].w, shapes_[i].c, p});
    }
    return maps;
}

}  // namespace rv
