// The per-ISA kernel tables. Each *_table() is defined in src/dispatch/table_<isa>.cpp, the only
// source compiled with that ISA's flags; calling one on a CPU without the ISA is undefined, so
// callers go through kernels_for(), which checks the CPU first.
#pragma once

#include "ruvision/kernels/kernels.h"

namespace rv::kernels::detail {

const KernelTable& scalar_table();
#if defined(RUVISION_KERNELS_HAVE_SSE2)
const KernelTable& sse2_table();
#endif
#if defined(RUVISION_KERNELS_HAVE_AVX2)
const KernelTable& avx2_table();
#endif
#if defined(RUVISION_KERNELS_HAVE_AVX512)
const KernelTable& avx512_table();
#endif
#if defined(RUVISION_KERNELS_HAVE_NEON)
const KernelTable& neon_table();
#endif

}  // namespace rv::kernels::detail
