// Exporting a RuVision model file (.rvm) as an ONNX model, so other runtimes (ONNX Runtime,
// OpenCV DNN) can run the very same network: as correctness references and as speed peers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

struct OnnxExportOptions {
    // Graph outputs: the nodes of the model's default descriptor, then "last" if the model has
    // that alias (unless `default_outputs` is false), then these node names or aliases (see
    // `ruvision-cli models --nodes NAME`); a node is an output once.
    std::vector<std::string> outputs;
    bool default_outputs = true;
    // A fixed input size (both > 0), or 0 x 0: the model's native size, except for a model that
    // runs at any size, whose export then has symbolic "height" and "width" (TF SAME padding as
    // auto_pad SAME_UPPER, which every runtime computes per input size).
    int height = 0, width = 0;
};

struct OnnxExportSummary {
    std::string input;                     // "input"
    std::vector<long long> input_shape;    // 1, 3, H, W; -1 for a symbolic size
    std::vector<std::string> outputs;      // graph output names (an alias, or the node's name)
    std::vector<std::string> output_nodes; // the node each output is
    int onnx_nodes = 0;                    // ONNX nodes written
    int opset = 0;
};

// The input is the preprocessed image, NCHW float (1 x 3 x H x W, RGB, the model's scale and
// offset already applied: the same tensor our Network takes as NHWC); outputs are NCHW. The
// model file is validated completely first; the result passes ONNX's own checker before it is
// written (to a temporary file renamed into place). Errors name the file and the reason: a
// broken model, an unknown output node, a size the network cannot run at, an op or activation
// with no ONNX form, an OUT that cannot be written.
[[nodiscard]] Result<OnnxExportSummary> export_onnx(const std::filesystem::path& model_file,
                                                    const std::filesystem::path& out,
                                                    const OnnxExportOptions& options = {});

}  // namespace rv
