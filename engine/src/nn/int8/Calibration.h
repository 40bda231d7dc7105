// Activation ranges for INT8: every node's output measured on real images with the float network,
// clipped at a percentile so that a few outliers do not spend the 256 levels. The ranges are of
// what the kernels compute (before a node's out_scale), and always contain 0 (ReLU outputs and
// zero padding must be exact).
#pragma once

#include <memory>
#include <vector>

#include "ruvision/engine/Result.h"
#include "ruvision/kernels/int8.h"

namespace rv {
class ModelFile;
}

namespace rv::nn {

struct ActivationRanges {
    std::vector<float> lo, hi;  // per node; lo <= 0 <= hi; both 0 for a node never computed
    std::vector<std::vector<float>> channel_hi;    // per node and channel: the largest value seen (>= 0)
    std::vector<std::vector<float>> channel_mean;  // per node and channel: the mean value
};

// One preprocessed input: h x w x 3 floats, as the float network takes it.
struct CalibrationInput {
    const float* data = nullptr;
    int h = 0, w = 0;
};

// Runs the float network on `inputs` and keeps, per node, the values between the (100 - p)th and
// the pth percentile of a fixed sample of its outputs (p = `percentile`, e.g. 99.99).
[[nodiscard]] Result<ActivationRanges> calibrate(std::shared_ptr<const ModelFile> model,
                                                 const std::vector<CalibrationInput>& inputs, double percentile);

// The uint8 parameters of [lo, hi] (lo <= 0 <= hi): scale (hi - lo) / 255, zero point the
// level of 0. An empty range gives scale 1, zero point 0.
kernels::QuantParams quant_params(float lo, float hi);

}  // namespace rv::nn
