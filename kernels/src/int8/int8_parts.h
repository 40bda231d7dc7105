// What each int8 source contributes: the scalar reference (int8_ref.cpp) and one tiny source per
// x86 feature set (src/dispatch/int8_<path>.cpp, the only sources compiled with that feature's
// flags). A null entry means "no such kernel at this level": int8_dispatch.cpp then takes the
// next lower level that has one. Calling a part on a CPU without its feature is undefined, so
// callers go through int8_kernels_for(), which checks the CPU first.
#pragma once

#include "ruvision/kernels/int8.h"

namespace rv::kernels::detail {

struct Int8Parts {
    decltype(Int8Kernels::gemm_packed_size) gemm_packed_size = nullptr;
    decltype(Int8Kernels::gemm_pack) gemm_pack = nullptr;
    decltype(Int8Kernels::gemm_f32) gemm_f32 = nullptr;
    decltype(Int8Kernels::gemm_u8) gemm_u8 = nullptr;
    decltype(Int8Kernels::depthwise_f32) depthwise_f32 = nullptr;
    decltype(Int8Kernels::depthwise_u8) depthwise_u8 = nullptr;
    decltype(Int8Kernels::quantize) quantize = nullptr;
    decltype(Int8Kernels::quantize_channels) quantize_channels = nullptr;
    decltype(Int8Kernels::dequantize) dequantize = nullptr;
    decltype(Int8Kernels::add_u8) add_u8 = nullptr;
    decltype(Int8Kernels::global_avg_pool_u8) global_avg_pool_u8 = nullptr;
    decltype(Int8Kernels::scale_channels_u8) scale_channels_u8 = nullptr;
    decltype(Int8Kernels::lut_u8) lut_u8 = nullptr;
};

const Int8Parts& int8_scalar_table();  // every entry non-null
#if defined(RUVISION_KERNELS_HAVE_INT8_X86)
const Int8Parts& int8_sse41_table();
const Int8Parts& int8_avx2_table();
const Int8Parts& int8_avxvnni_table();
const Int8Parts& int8_avx512vnni_table();
#endif

}  // namespace rv::kernels::detail
