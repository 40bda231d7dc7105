// The design's other backbones, built as graphs with seeded random weights, the way ncnn's
// benchmark builds its networks: no registry we can reach ships trained MobileNetV3-Small,
// ShuffleNetV2 or EfficientNet-B0 weights (npm and Debian checked). The architectures are the published ones
// (torchvision's definitions, batch norm folded into the convolutions); the weights are drawn
// from a seeded generator with He scaling, so the maps neither vanish nor explode and two builds
// with one seed are byte-identical. They serve speed (bench_forward --backbones) and correctness
// (our run against ONNX Runtime on the exported file, test_backbones); their outputs mean nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/ModelFile.h"
#include "ruvision/engine/Result.h"

namespace rv::backbones {

// "mobilenet_v3_small" (1.0), "shufflenet_v2" (1.0), "efficientnet_b0": 224 x 224 in, 1000 logits out.
std::vector<std::string> names();

// The named backbone; the node "last" (an alias) is the logits, "default" descriptor the pooled
// features. Fails for an unknown name.
[[nodiscard]] Result<ModelData> build(const std::string& name, std::uint32_t seed = 1);

}  // namespace rv::backbones
