// What an op sees when the network runs in INT8 (nn/int8/Int8Network.h): how each map is stored
// (uint8 with its quantization, or float), what the op prepared once (quantized, packed weights),
// and its run's inputs and output. Ops that have an int8 run define OpDef::prepare_int8/run_int8;
// every other op runs in float on dequantized inputs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nn/AlignedBuffer.h"
#include "nn/Graph.h"
#include "ruvision/kernels/int8.h"

namespace rv {
class ModelFile;
}

namespace rv::nn {

// How a node's output map is stored in an INT8 run.
struct MapQuant {
    bool u8 = false;             // uint8 with `q`; else float
    kernels::QuantParams q;
    // Non-empty: channel c of the uint8 map is real = channel_scale[c] * (q - q.zero_point), and
    // q.scale is 1. Only for maps that only convolutions read: they fold the scales into their
    // weights and subtract the one zero point (nn::channel_quant).
    std::vector<float> channel_scale;
    // 1 / channel_scale, for a float map quantized per channel as it is read (Int8Network::as_u8).
    std::vector<float> channel_inverse;
};

using AlignedBytes = std::vector<std::uint8_t, AlignedAllocator<std::uint8_t>>;

// What an int8 op prepares once per model: weights quantized per output channel (and packed for
// the GEMM), the bias in accumulator units, the per-channel output multipliers, the fused clamp.
struct NodeInt8 {
    AlignedBytes packed;                 // GEMM weights in the int8 table's layout
    std::vector<std::int8_t> weights;    // depthwise weights [KH][KW][C]
    std::vector<std::int32_t> bias;      // [out channels], accumulator units
    std::vector<float> scale;            // [out channels]: Int8ToF32 / Int8ToU8 multipliers
    std::uint8_t min = 0, max = 255;     // the fused activation as a clamp (uint8 outputs)
    int in_zero_point = 0;               // the (first) input's zero point
};

struct Int8Prep {
    const ModelFile& model;
    const kernels::Int8Kernels& k8;
    // How each input will be stored when this op runs (an input stored in float is quantized
    // with its calibrated range first: `u8` false, `q` those parameters).
    std::vector<MapQuant> in;
    const std::vector<float>& in_mean;     // the first input's mean per channel (calibration; may be empty)
    kernels::QuantParams calibrated;     // this node's output range, as uint8 parameters
    const std::vector<float>& channel_hi;  // this node's largest output per channel (calibration)
    const std::vector<float>& channel_lo;  // and its smallest
    bool per_channel = false;            // only convolutions read this node: it may store per-channel scales
    NodeInt8& prepared;                  // to fill
    MapQuant& out;                       // to set: how this node's output is stored
};

struct Int8Args {
    const kernels::KernelTable& k;
    const kernels::Int8Kernels& k8;
    const NodeInt8& prepared;
    const MapShape& out_shape;
    std::span<const MapShape* const> in_shapes;
    std::span<const std::uint8_t* const> in;  // every input as uint8 (quantized as Int8Prep::in_q)
    std::span<const kernels::QuantParams> in_q;
    void* out;                                // uint8 or float, as the op's MapQuant says
    const MapQuant& out_q;
};

}  // namespace rv::nn
