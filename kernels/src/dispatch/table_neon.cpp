// The neon kernel table. Compiled with no flags (NEON is the arm64 baseline); see table_simd.h.
#define RUVISION_KERNELS_ISA_SOURCE
#include "dispatch/table_simd.h"

#include "common/tables.h"

static_assert(XSIMD_WITH_NEON64, "table_neon.cpp must be compiled with the neon flags");

namespace rv::kernels::detail {

const KernelTable& neon_table() {
    static constexpr KernelTable table = simd::make_table<xsimd::neon64>(Isa::Neon);
    return table;
}

}  // namespace rv::kernels::detail
