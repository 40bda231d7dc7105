// Format-specific importers: a TF.js model.json (and shards) or an ONNX file -> graph + tensors, before
// simplification. Node names are the source's layer/node names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/ModelFile.h"
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

// ONNX model (protobuf): the graph from its one input (N x C x H x W, N = 1) to `outputs` (value
// names), NCHW becoming NHWC; BatchNormalization and per-channel constants fold into convolutions.
// An unsupported op, attribute or layout is an error naming the file, the node and the op.
Result<Imported> import_onnx(const std::filesystem::path& file, const std::vector<std::string>& outputs);
// The same from the file's bytes; `where` names the source in errors.
Result<Imported> import_onnx_bytes(const std::string& bytes, const std::string& where,
                                   const std::vector<std::string>& outputs);

// What every import does after its format's reader, on m.graph (the reader's graph, aliases set):
// simplify() keeping `outputs`, fold_output_scales(), the tensors the graph uses moved into
// m.tensors, validate() at m.preprocess's size. `params` (optional): the weights kept.
Status finish_import(ModelData& m, nn::TensorMap& tensors, const std::vector<std::string>& outputs,
                     std::size_t* params = nullptr);

// Folds y = gamma * (x - mean) / sqrt(var + eps) + beta into the conv weights/bias of `conv`
// (HWIO or [kh][kw][c] depthwise: the last axis is the output channel).
void fold_batch_norm(nn::Node& conv, nn::TensorMap& tensors, const std::vector<float>& gamma,
                     const std::vector<float>& beta, const std::vector<float>& mean, const std::vector<float>& var,
                     float eps);

}  // namespace rv::import
