// Format-specific importers: a TF.js model.json (and shards) -> graph + tensors, before
// simplification. Node names are the source's layer/node names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "nn/Graph.h"

namespace rv::import {

struct Imported {
    nn::Graph graph;
    nn::TensorMap tensors;
};

// Keras layers model (format "layers-model"). Layers the outputs do not need may be of any
// class; the ones they need must be supported (conv, depthwise, batch-norm, ReLU, add, zero-pad).
Result<Imported> import_tfjs_layers(const std::filesystem::path& model_json, const std::vector<std::string>& outputs);

// TF graph model (format "graph-model"): the subgraph from `input` (a Placeholder) to `outputs`.
Result<Imported> import_tfjs_graph(const std::filesystem::path& model_json, const std::string& input,
                                   const std::vector<std::string>& outputs);

// Folds y = gamma * (x - mean) / sqrt(var + eps) + beta into the conv weights/bias of `conv`
// (HWIO or [kh][kw][c] depthwise: the last axis is the output channel).
void fold_batch_norm(nn::Node& conv, nn::TensorMap& tensors, const std::vector<float>& gamma,
                     const std::vector<float>& beta, const std::vector<float>& mean, const std::vector<float>& var,
                     float eps);

}  // namespace rv::import
