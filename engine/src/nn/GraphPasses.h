// Import-time passes over a graph (the importers run them before validate()).
#pragma once

#include <string>
#include <vector>

#include "nn/Graph.h"

namespace rv::nn {

// Affine/Relu6/Mul chains into HardSigmoid / HardSwish, a map times a 1 x 1 x C vector into
// ScaleChannels, activations into the producing op when it fuses them (OpDef::fuses_activation)
// and nothing else reads it, dead nodes removed (keeping `keep`). Returns the number of nodes removed.
int simplify(Graph& g, const std::vector<std::string>& keep);

// Moves every node's out_scale into the weights of the convolutions that consume it, through the
// ops that let a factor pass (OpDef::fold_scale), so the network computes the stored model
// exactly. Returns false with `why` if a scale meets an op it cannot pass.
bool fold_output_scales(Graph& g, TensorMap& tensors, std::string* why);

}  // namespace rv::nn
