// Importing pretrained networks into RuVision's model file (.rvm).
#pragma once

#include <filesystem>
#include <string>

#include "ruvision/engine/Result.h"

namespace rv {

// A recipe (JSON, see packaging/models/*.recipe.json) names the source files and says what to
// keep: {name, architecture, source, format: "tfjs-layers" | "tfjs-graph", model_json (relative
// to source_dir), input (graph models: the placeholder), outputs: [node...], aliases: {alias:
// node}, preprocess: {...}, descriptors: {"default": spec, ...}}. Only the subgraph the outputs
// need is imported (for a detector, its backbone). Batch-norm is folded into the convolutions.
// On success `summary` describes what was imported.
Status import_model(const std::filesystem::path& recipe, const std::filesystem::path& source_dir,
                    const std::filesystem::path& out_file, std::string* summary = nullptr);

}  // namespace rv
