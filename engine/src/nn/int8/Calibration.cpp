#include "nn/int8/Calibration.h"

#include <algorithm>
#include <cmath>

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
    std::vector<std::vector<float>> samples(count), channel_hi(count);
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
            auto& sum = channel_sum[all[m]];
            ch.resize(static_cast<std::size_t>(map.c), 0.0f);
            sum.resize(static_cast<std::size_t>(map.c), 0.0);
            for (std::size_t e = 0; e < n; ++e) {
                const std::size_t c = e % static_cast<std::size_t>(map.c);
                const float v = map.data[e] * unscale;
                ch[c] = std::max(ch[c], v);
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
    r.channel_mean.resize(count);
    for (int i = 0; i < count; ++i)
        for (double v : channel_sum[i]) r.channel_mean[i].push_back(static_cast<float>(v / pixels[i]));
    return r;
}

}  // namespace rv::nn
