// The Int8Parts of one x86 traits struct. Included only by src/dispatch/int8_<path>.cpp, each
// compiled with its feature's flags; see int8_x86.h.
#pragma once

#include "int8/depthwise_u8s8_x86.h"
#include "int8/elementwise_u8_x86.h"
#include "int8/gemm_u8s8_x86.h"
#include "int8/int8_parts.h"

namespace rv::kernels::int8 {
namespace {

template <class T>
constexpr void set_gemm(detail::Int8Parts& p) {
    p.gemm_packed_size = &gemm_packed_size<T>;
    p.gemm_pack = &gemm_pack<T>;
    p.gemm_f32 = &gemm_f32<T>;
    p.gemm_u8 = &gemm_u8<T>;
}

template <class T>
constexpr void set_depthwise(detail::Int8Parts& p) {
    p.depthwise_f32 = &depthwise_f32<T>;
    p.depthwise_u8 = &depthwise_u8<T>;
}

template <class T>
constexpr void set_elementwise(detail::Int8Parts& p) {
    p.quantize = &quantize<T>;
    p.quantize_channels = &quantize_channels<T>;
    p.dequantize = &dequantize<T>;
    p.add_u8 = &add_u8<T>;
    p.global_avg_pool_u8 = &global_avg_pool_u8<T>;
    p.scale_channels_u8 = &scale_channels_u8<T>;
}

}  // namespace
}  // namespace rv::kernels::int8
