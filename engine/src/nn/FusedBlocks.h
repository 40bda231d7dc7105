// MobileNet's inverted residual blocks run in bands of output rows, so that the wide maps inside a
// block (the 1x1 expansion's output and the depthwise output, up to 6x the block's channels) live
// only in cache-sized band buffers instead of making a round trip through memory each.
//
// A block is a chain of nodes each read only by the next: [1x1 expansion] -> depthwise ->
// [1x1 projection [-> residual Add]], at least two of them. A chain that stops at the depthwise
// (MobileNetV3's squeeze-excite reads the whole depthwise output) still bands the expansion.
// The arithmetic is that of the same kernels on the same values, so results are bit-identical to
// running the nodes one by one (test_model_parity checks the real models both ways).
#pragma once

#include <vector>

#include "nn/AlignedBuffer.h"
#include "nn/Graph.h"

namespace rv {
class ModelFile;
}

namespace rv::nn {

struct FusedBlock {
    int expand = -1;     // 1x1 stride-1 Conv2D, or -1
    int depthwise = -1;  // DepthwiseConv2D
    int project = -1;    // 1x1 stride-1 Conv2D, or -1
    int add = -1;        // Add of the projection and another map, or -1 (only with a projection)
    int first() const { return expand >= 0 ? expand : depthwise; }
    int last() const { return add >= 0 ? add : (project >= 0 ? project : depthwise); }
    int input(const Graph& g) const { return g.nodes[first()].inputs[0]; }
    // The Add's other input, or -1.
    int residual(const Graph& g) const;
};

// The blocks of `g` among the nodes marked `needed`, none of whose inner nodes (all but the last)
// is in `wanted`. Blocks do not overlap.
std::vector<FusedBlock> find_fused_blocks(const Graph& g, const std::vector<bool>& needed,
                                          const std::vector<int>& wanted);

// Bytes the expanded band may take by default: with the filtered band, the input rows and the
// projection's weights, a band stays within a core's L2 (512 KB to 2 MB on the machines we meet).
inline constexpr std::size_t kBandBytes = 192 * 1024;

// Band buffers, reused across runs (one set per Network: not thread-safe), and the band size.
struct BandBuffers {
    AlignedFloats expanded, filtered;
    std::size_t band_bytes = kBandBytes;  // at least one output row per band whatever this is
};

// Runs block `b` on `in` (the block input's map) into `out` (the last node's map); `residual` is the
// Add's other map or null. `shapes` are the run's node shapes.
void run_fused_block(const FusedBlock& b, const Graph& g, const ModelFile& model, const kernels::KernelTable& k,
                     const std::vector<MapShape>& shapes, const float* in, const float* residual, float* out,
                     BandBuffers& buffers);

}  // namespace rv::nn
