// Runs a model file's graph on one NHWC input with the dispatched kernels.
// Not thread-safe (owns its activation buffers); one Network per thread, sharing the ModelFile.
#pragma once

#include <memory>
#include <vector>

#include "model/ModelFile.h"
#include "nn/AlignedBuffer.h"
#include "nn/FusedBlocks.h"

namespace rv {

class Network {
public:
    explicit Network(std::shared_ptr<const ModelFile> model);

    // A node's output after run(): H x W x C floats, NHWC. Valid until the next run().
    struct Map {
        int h = 0, w = 0, c = 0;
        const float* data = nullptr;
    };

    // input: h x w x C floats (C: the Input node's channels, 3 for images), already preprocessed. `wanted` are node indices; the maps are
    // returned in the same order. Only the nodes they depend on are computed. Fails (without
    // computing anything) when the input size does not fit the network: too small for an
    // explicit padding, maps of different shapes to add, or a map beyond nn::kMaxMapElements.
    Result<std::vector<Map>> run(const float* input, int h, int w, const std::vector<int>& wanted);

    const ModelFile& model() const { return *model_; }

    // The kernels this network runs on; the process-wide choice (kernels::kernels()) unless set.
    // For benchmarks and tests that compare SIMD paths in one process.
    void set_kernels(const kernels::KernelTable& table) { kernels_ = &table; }

    // Whether MobileNet blocks run fused, band by band (nn/FusedBlocks.h; on by default), and the
    // bytes of a band. The results are the same either way; for tests and benchmarks that compare.
    void set_fusion(bool on, std::size_t band_bytes = nn::kBandBytes) {
        fuse_ = on;
        bands_.band_bytes = band_bytes;
    }

private:
    std::shared_ptr<const ModelFile> model_;
    const kernels::KernelTable* kernels_ = nullptr;
    std::vector<nn::MapShape> shapes_;            // of the last run
    std::vector<int> buffer_of_;                 // node -> index into buffers_, -1 if none
    std::vector<AlignedFloats> buffers_;         // reused across runs, 64-byte aligned
    nn::BandBuffers bands_;                      // the fused blocks' band buffers
    bool fuse_ = true;
};

}  // namespace rv
