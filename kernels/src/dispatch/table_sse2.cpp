// The sse2 kernel table. Compiled with no flags (the x86-64 baseline); see table_simd.h.
#define RUVISION_KERNELS_ISA_SOURCE
#include "dispatch/table_simd.h"

#include "common/tables.h"

static_assert(XSIMD_WITH_SSE2, "table_sse2.cpp must be compiled with the sse2 flags");

namespace rv::kernels::detail {

const KernelTable& sse2_table() {
    static constexpr KernelTable table = simd::make_table<xsimd::sse2>(Isa::Sse2);
    return table;
}

}  // namespace rv::kernels::detail
