// The avx2 kernel table. Compiled with -mavx2 -mfma; see table_simd.h.
#define RUVISION_KERNELS_ISA_SOURCE
#include "dispatch/table_simd.h"

#include "common/tables.h"

static_assert(XSIMD_WITH_FMA3_AVX2, "table_avx2.cpp must be compiled with the avx2 flags");

namespace rv::kernels::detail {

const KernelTable& avx2_table() {
    static constexpr KernelTable table = simd::make_table<xsimd::fma3<xsimd::avx2>>(Isa::Avx2);
    return table;
}

}  // namespace rv::kernels::detail
