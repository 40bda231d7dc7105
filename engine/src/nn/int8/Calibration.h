// Activation ranges for INT8: every node's output measured on real images with the float network,
// clipped at a percentile so that a few outliers do not spend the 256 levels. The ranges are of
// what the kernels compute (before a node's out_scale), and always contain 0 (ReLU outputs and
// zero padding must be exact).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nn/Graph.h"
#include "ruvision/engine/Result.h"
#include "ruvision/kernels/int8.h"

namespace rv {
class ModelFile;
}

namespace rv::nn {

struct ActivationRanges {
    std::vector<float> lo, hi;  // per node; lo <= 0 <= hi; both 0 for a node never computed
    std::vector<std::vector<float>> channel_hi;    // per node and channel: the largest value seen (>= 0)
    std::vector<std::vector<float>> channel_lo;    // per node and channel: the smallest value seen (<= 0)
    std::vector<std::vector<float>> channel_mean;  // per node and channel: the mean value
};

// A model's INT8 calibration as its model file stores it (the header's "int8" object): the ranges,
// the nodes that stay in float although their op has an int8 run, and what it was measured on.
struct Int8Calibration {
    ActivationRanges ranges;
    std::vector<bool> keep_float;     // per node
    double percentile = 99.99;
    std::vector<std::string> images;  // the calibration photos, as given (so that a figure can leave them out)
};

nlohmann::json to_json(const Int8Calibration& c, const Graph& g);
// Reads and checks the "int8" object against the graph: one entry per node, lo <= 0 <= hi,
// finite values, per-channel arrays empty or of the node's channel count (`channels`, at the
// native size), float nodes named in the graph. Throws json_fields::FieldError (model/JsonFields.h).
Int8Calibration int8_calibration_from_json(const nlohmann::json& j, const Graph& g, const std::vector<int>& channels);

// One preprocessed input: h x w x 3 floats, as the float network takes it.
struct CalibrationInput {
    const float* data = nullptr;
    int h = 0, w = 0;
};

// Runs the float network on `inputs` and keeps, per node, the values between the (100 - p)th and
// the pth percentile of a fixed sample of its outputs (p = `percentile`, e.g. 99.99).
[[nodiscard]] Result<ActivationRanges> calibrate(std::shared_ptr<const ModelFile> model,
                                                 const std::vector<CalibrationInput>& inputs, double percentile);

// A scale per channel with one zero point for a whole map, real = scale[c] * (q - zero_point): what
// a convolution reading the map can take (the scales fold into its weights, the zero point is the
// one its kernel subtracts). The zero point is the one that leaves the channels the finest scales
// (the least sum of log scale) while every channel's [lo[c], hi[c]] fits; no scale is coarser than
// `coarsest` (the map's own, percentile-clipped scale).
struct ChannelQuant {
    int zero_point = 0;
    std::vector<float> scale;
};
ChannelQuant channel_quant(const std::vector<float>& lo, const std::vector<float>& hi, float coarsest);

// The uint8 parameters of [lo, hi] (lo <= 0 <= hi): scale (hi - lo) / 255, zero point the
// level of 0. An empty range gives scale 1, zero point 0.
kernels::QuantParams quant_params(float lo, float hi);

}  // namespace rv::nn
