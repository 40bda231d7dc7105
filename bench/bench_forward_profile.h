// bench_forward --profile: where our forward pass spends its time, node by node, on each SIMD
// path this CPU runs (scalar excepted). Each node's kernel is timed alone on the real input map
// of that node (one forward pass computes them all first) with the node's real weights, exactly
// the kernel call Network::run makes for it (a 1x1 stride-1 convolution as a GEMM), writing to a
// scratch buffer. Medians of `repeats` calls; the sum is close to, not equal to, a whole pass
// (caches are warm for one node here, not across a pass).
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
