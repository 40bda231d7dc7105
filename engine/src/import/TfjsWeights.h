// TF.js weights: a model.json's weightsManifest plus its binary shards, decoded to float32.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "nn/Graph.h"

namespace rv::tfjs {

// Reads every weight of the manifest from the shard files next to model.json. Quantised
// weights (uint8/uint16 with min+scale, float16) are dequantised exactly as TF.js does;
// int32 constants become floats. Errors name the file and the weight.
Result<nn::TensorMap> read_weights(const nlohmann::json& manifest, const std::filesystem::path& dir);

std::string base64_decode(const std::string& in);

}  // namespace rv::tfjs
