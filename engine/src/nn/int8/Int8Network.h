// Runs a model file's graph in INT8: the ops that have an int8 run (nn/ops/: 1x1 and depthwise
// convolutions, residual adds, global pooling) compute on uint8 maps with int8 weights and int32
// sums (kernels/int8.h); the rest (the stem convolution, squeeze-excite, hard-swish outputs) runs
// in float, with maps quantized or dequantized where the two meet. Quantization comes from
// activation ranges measured on images (Calibration.h). Not thread-safe, like Network: one per
// thread, sharing the ModelFile.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/Network.h"
#include "nn/int8/Calibration.h"
#include "nn/int8/Int8Plan.h"

namespace rv {

class Int8Network {
public:
    // Quantizes the weights of every op that runs in int8 with the int8 kernels `k8` (the process'
    // choice if null: the packed layout belongs to one table). Nodes marked in `keep_float` (one
    // flag per node, or empty) run in float even if their op has an int8 run.
    static Result<std::unique_ptr<Int8Network>> create(std::shared_ptr<const ModelFile> model,
                                                       const nn::ActivationRanges& ranges,
                                                       const kernels::Int8Kernels* k8 = nullptr,
                                                       const std::vector<bool>& keep_float = {});

    // As Network::run: float input, float maps out (uint8 maps dequantized).
    Result<std::vector<Network::Map>> run(const float* input, int h, int w, const std::vector<int>& wanted);

    // The float kernels for the ops that run in float (the process' choice unless set).
    void set_kernels(const kernels::KernelTable& table) { kernels_ = &table; }

    // Nodes that run in int8, of the runnable ones.
    int int8_nodes() const;
    const kernels::Int8Kernels& int8_kernels() const { return *k8_; }

private:
    struct Step {
        bool int8 = false;
        nn::MapQuant out;                       // how the node's output is stored
        std::vector<nn::MapQuant> in_q;         // int8 steps: how each input is read
        nn::NodeInt8 prepared;
    };
    // A node's map, in the type its step stores (maps_), or the conversion to the other type that
    // some reader needed in this run (converted_, `converted` set once made; converted_channels_:
    // a float map quantized per channel for convolutions).
    struct Buffer {
        nn::AlignedBytes u8;
        AlignedFloats f32;
        bool converted = false;
    };

    Int8Network(std::shared_ptr<const ModelFile> model, const kernels::Int8Kernels& k8);
    const std::uint8_t* as_u8(int node, const nn::MapQuant& q, std::size_t n);
    const float* as_f32(int node, std::size_t n);

    std::shared_ptr<const ModelFile> model_;
    const kernels::Int8Kernels* k8_;
    const kernels::KernelTable* kernels_ = nullptr;
    std::vector<kernels::QuantParams> calibrated_;
    std::vector<Step> steps_;
    std::vector<nn::MapShape> shapes_;
    std::vector<Buffer> maps_, converted_, converted_channels_;
};

}  // namespace rv
