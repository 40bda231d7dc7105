// Calibrating a model for INT8: its activation ranges measured with the float network on photos,
// stored in the model file (Embedder::open with Precision::Int8 then runs it in INT8).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

struct Int8CalibrationOptions {
    // Each node's range keeps the values between the (100 - p)th and the pth percentile.
    double percentile = 99.99;
    // Nodes (names or aliases) that stay in float although their op has an int8 run.
    std::vector<std::string> float_nodes;
};

struct Int8CalibrationReport {
    int images = 0;                    // photos measured
    std::vector<std::string> skipped;  // "FILE: reason", for files that could not be used
    int int8_nodes = 0, nodes = 0;     // nodes that run in INT8, of all
    // The default descriptor's cosine between INT8 and fp32 on the calibration photos themselves
    // (a check that the calibration took, not a held-out figure: bench_int8_accuracy gives those).
    double mean_cosine = 0, worst_cosine = 0;
};

// Reads `model_file`, measures it on `images` (files; folders are not walked) at the default
// descriptor's input sizes, and writes the model with its calibration to `out` (written beside and
// renamed: `out` may be `model_file`). Files that cannot be decoded are skipped and reported;
// fewer than 8 usable photos is an error, as is a node name the model does not have.
[[nodiscard]] Result<Int8CalibrationReport> calibrate_int8(const std::filesystem::path& model_file,
                                                           const std::vector<std::filesystem::path>& images,
                                                           const std::filesystem::path& out,
                                                           const Int8CalibrationOptions& options = {});

}  // namespace rv
