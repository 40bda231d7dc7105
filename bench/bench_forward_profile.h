// bench_forward --profile: where our forward pass spends its time, node by node, on each SIMD
// path this CPU runs (scalar excepted). Each node is timed alone on its real input maps (one
// forward pass computes them all first) with its real weights, through its op's run (nn/ops/),
// writing to a scratch buffer. Medians of `repeats` calls. The sum is not a whole pass: here each
// node's data is warm in cache, and a pass runs MobileNet blocks fused band by band
// (nn/FusedBlocks.h), which this per-node view does not.
#pragma once

#include <string>
#include <vector>

#include "model/ModelFile.h"

namespace rv::bench {

// Prints the top nodes by time and the totals per op type (a table, or JSON lines with
// "profile": model).
void print_profile(const ModelFile& model, const std::vector<float>& nhwc, int h, int w, const std::string& name,
                   bool json, int repeats);

}  // namespace rv::bench
