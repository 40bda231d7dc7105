#include "nn/int8/Calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "model/JsonFields.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "nn/ops/OpDef.h"

namespace rv::nn {
namespace {

// Values sampled per node and image: evenly spaced through the map, so every pixel region and
// channel is represented.
constexpr std::size_t kSamplesPerImage = 4096;

}  // namespace

kernels::QuantParams quant_params(float lo, float hi) {
    lo = std::min(lo, 0.0f);
    hi = std::max(hi, 0.0f);
    if (!(hi - lo > 0.0f) || !std::isfinite(hi - lo)) return {};
    kernels::QuantParams q;
    q.scale = (hi - lo) / 255.0f;
    q.zero_point = static_cast<int>(std::clamp(std::nearbyint(-lo / q.scale), 0.0f, 255.0f));
    return q;
}

ChannelQuant channel_quant(const std::vector<float>& lo, const std::vector<float>& hi, float coarsest) {
    constexpr float kFinest = 1e-6f / 255.0f;
    constexpr float kNever = std::numeric_limits<float>::infinity();
    coarsest = std::max(coarsest, kFinest);
    // The scale channel c needs with zero point z: infinite where z leaves no level for one side
    // of its range (z = 0 and negative values, z = 255 and positive ones).
    auto needs = [&](int z, std::size_t c) {
        const float l = c < lo.size() ? std::min(lo[c], 0.0f) : 0.0f, h = std::max(hi[c], 0.0f);
        float s = kFinest;
        s = std::max(s, z < 255 ? h / float(255 - z) : (h > 0.0f ? kNever : 0.0f));
        s = std::max(s, z > 0 ? -l / float(z) : (l < 0.0f ? kNever : 0.0f));
        return s;
    };
    ChannelQuant best;
    double best_cost = kNever;
    for (int z = 0; z < 256; ++z) {
        double cost = 0.0;
        for (std::size_t c = 0; c < hi.size() && cost < kNever; ++c) {
            const float s = needs(z, c);
            cost = s == kNever ? kNever : cost + std::log(double(std::min(s, coarsest)));
        }
        if (cost < best_cost) best_cost = cost, best.zero_point = z;
    }
    for (std::size_t c = 0; c < hi.size(); ++c) best.scale.push_back(std::min(needs(best.zero_point, c), coarsest));
    return best;
}

Result<ActivationRanges> calibrate(std::shared_ptr<const ModelFile> model, const std::vector<CalibrationInput>& inputs,
                                   double percentile) {
    if (inputs.empty()) return Error{"INT8 calibration needs at least one image"};
    if (!(percentile > 50.0 && percentile <= 100.0)) return Error{"INT8 calibration percentile must be in (50, 100]"};
    const Graph& g = model->graph();
    const int count = static_cast<int>(g.nodes.size());
    std::vector<int> all;
    for (int i = 0; i < count; ++i)
        if (op_def(g.nodes[i].op).runnable) all.push_back(i);
    Network net(model);
    net.set_fusion(false);
    std::vector<std::vector<float>> samples(count), channel_hi(count), channel_lo(count);
    std::vector<std::vector<double>> channel_sum(count);
    std::vector<double> pixels(count, 0.0);
    for (const auto& in : inputs) {
        auto maps = net.run(in.data, in.h, in.w, all);
        if (!maps) return maps.error();
        for (std::size_t m = 0; m < all.size(); ++m) {
            const auto& map = (*maps)[m];
            const std::size_t n = static_cast<std::size_t>(map.h) * map.w * map.c;
            const std::size_t step = std::max<std::size_t>(1, n / kSamplesPerImage);
            // Handed-out maps carry the node's out_scale; the kernels computed them without it.
            const float unscale = 1.0f / g.nodes[all[m]].out_scale;
            auto& s = samples[all[m]];
            for (std::size_t e = 0; e < n; e += step) s.push_back(map.data[e] * unscale);
            auto& ch = channel_hi[all[m]];
            auto& cl = channel_lo[all[m]];
            auto& sum = channel_sum[all[m]];
            ch.resize(static_cast<std::size_t>(map.c), 0.0f);
            cl.resize(static_cast<std::size_t>(map.c), 0.0f);
            sum.resize(static_cast<std::size_t>(map.c), 0.0);
            for (std::size_t e = 0; e < n; ++e) {
                const std::size_t c = e % static_cast<std::size_t>(map.c);
                const float v = map.data[e] * unscale;
                ch[c] = std::max(ch[c], v);
                cl[c] = std::min(cl[c], v);
                sum[c] += v;
            }
            pixels[all[m]] += static_cast<double>(map.h) * map.w;
        }
    }
    ActivationRanges r;
    r.lo.assign(count, 0.0f);
    r.hi.assign(count, 0.0f);
    for (int i = 0; i < count; ++i) {
        auto& s = samples[i];
        if (s.empty()) continue;
        const auto at = [&](double p) {
            const auto k = static_cast<std::size_t>(std::clamp(p / 100.0 * double(s.size() - 1), 0.0, double(s.size() - 1)));
            std::nth_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(k), s.end());
            return s[k];
        };
        r.lo[i] = std::min(0.0f, at(100.0 - percentile));
        r.hi[i] = std::max(0.0f, at(percentile));
    }
    r.channel_hi = std::move(channel_hi);
    r.channel_lo = std::move(channel_lo);
    r.channel_mean.resize(count);
    for (int i = 0; i < count; ++i)
        for (double v : channel_sum[i]) r.channel_mean[i].push_back(static_cast<float>(v / pixels[i]));
    return r;
}

nlohmann::json to_json(const Int8Calibration& c, const Graph& g) {
    nlohmann::json nodes = nlohmann::json::array();
    const auto& r = c.ranges;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        nlohmann::json n = {{"lo", r.lo[i]}, {"hi", r.hi[i]}};
        if (i < r.channel_hi.size() && !r.channel_hi[i].empty()) n["channel_hi"] = r.channel_hi[i];
        if (i < r.channel_lo.size() && !r.channel_lo[i].empty()) n["channel_lo"] = r.channel_lo[i];
        if (i < r.channel_mean.size() && !r.channel_mean[i].empty()) n["channel_mean"] = r.channel_mean[i];
        nodes.push_back(std::move(n));
    }
    nlohmann::json keep = nlohmann::json::array();
    for (std::size_t i = 0; i < c.keep_float.size(); ++i)
        if (c.keep_float[i]) keep.push_back(g.nodes[i].name);
    return {{"percentile", c.percentile}, {"images", c.images}, {"float_nodes", keep}, {"nodes", nodes}};
}

Int8Calibration int8_calibration_from_json(const nlohmann::json& j, const Graph& g, const std::vector<int>& channels) {
    namespace jf = json_fields;
    Int8Calibration c;
    c.percentile = jf::number_value(jf::member(j, "percentile", "int8"), "int8 percentile", 50.0, 100.0);
    for (const auto& name : jf::array_value(jf::member(j, "images", "int8"), "int8 images", 1u << 20))
        c.images.push_back(jf::string_value(name, "int8 image name"));
    const std::size_t count = g.nodes.size();
    c.keep_float.assign(count, false);
    for (const auto& name : jf::array_value(jf::member(j, "float_nodes", "int8"), "int8 float_nodes", count)) {
        const int i = g.find(jf::string_value(name, "int8 float node", 1024));
        if (i < 0) throw jf::FieldError("int8 float_nodes names a node the network does not have");
        c.keep_float[i] = true;
    }
    const auto& nodes = jf::array_value(jf::member(j, "nodes", "int8"), "int8 nodes", count);
    if (nodes.size() != count)
        throw jf::FieldError("int8 nodes has " + std::to_string(nodes.size()) + " entries for " + std::to_string(count) +
                             " nodes");
    auto& r = c.ranges;
    r.lo.resize(count), r.hi.resize(count);
    r.channel_hi.resize(count), r.channel_lo.resize(count), r.channel_mean.resize(count);
    constexpr double kLimit = 1e30;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string where = "int8 node " + std::to_string(i);
        const auto& n = nodes[i];
        r.lo[i] = static_cast<float>(jf::number_value(jf::member(n, "lo", where), where + " lo", -kLimit, 0.0));
        r.hi[i] = static_cast<float>(jf::number_value(jf::member(n, "hi", where), where + " hi", 0.0, kLimit));
        auto channel_values = [&](const char* key, double lo, double hi, std::vector<float>& out) {
            if (!jf::has(n, key)) return;
            const auto& a = jf::array_value(n[key], where + " " + key, 1u << 16);
            if (static_cast<int>(a.size()) != channels[i])
                throw jf::FieldError(where + " " + key + " has " + std::to_string(a.size()) + " values for " +
                                     std::to_string(channels[i]) + " channels");
            for (const auto& v : a) out.push_back(static_cast<float>(jf::number_value(v, where + " " + key, lo, hi)));
        };
        channel_values("channel_hi", 0.0, kLimit, r.channel_hi[i]);
        channel_values("channel_lo", -kLimit, 0.0, r.channel_lo[i]);
        channel_values("channel_mean", -kLimit, kLimit, r.channel_mean[i]);
    }
    return c;
}

}  // namespace rv::nn
