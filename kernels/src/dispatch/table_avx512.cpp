// The avx512 kernel table. Compiled with -mavx512f -mavx512cd -mavx512vl -mavx512dq -mavx512bw
// -mfma; see table_simd.h.
#define RUVISION_KERNELS_ISA_SOURCE
#include "dispatch/table_simd.h"

#include "common/tables.h"

static_assert(XSIMD_WITH_AVX512DQ, "table_avx512.cpp must be compiled with the avx512 flags");

namespace rv::kernels::detail {

const KernelTable& avx512_table() {
    static constexpr KernelTable table = simd::make_table<xsimd::avx512dq>(Isa::Avx512);
    return table;
}

}  // namespace rv::kernels::detail
