// The KernelTable of one xsimd architecture. Included only by table_<isa>.cpp, each compiled with
// that ISA's flags; this is the whole of xsimd's dispatch recipe here: the templates are defined
// in headers no baseline source includes, and one tiny source per ISA instantiates them.
#pragma once

#include "common/simd_common.h"
#include "conv/conv_simd.h"
#include "depthwise/depthwise_simd.h"
#include "elementwise/elementwise_simd.h"
#include "gemm/gemm_simd.h"
#include "pooling/pooling_simd.h"
#include "vector/vector_simd.h"

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

// The table of xsimd architecture Base, instantiated under LocalArch<Base> (see simd_common.h).
template <class Base>
constexpr KernelTable make_table(Isa isa) {
    using Arch = LocalArch<Base>;
    return KernelTable{
        isa,
        &gemm<Arch>,
        &conv2d<Arch>,
        &depthwise_conv2d<Arch>,
        &activate<Arch>,
        &add<Arch>,
        &scale_channels<Arch>,
        &global_avg_pool<Arch>,
        &gem_pool<Arch>,
        &dot<Arch>,
        &l2_normalize<Arch>,
    };
}

}  // namespace
}  // namespace rv::kernels::simd
