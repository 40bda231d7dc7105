// The sse41 int8 kernels (gemm depthwise elementwise).
// Compiled with -msse4.1 -ffp-contract=off;
// see int8/int8_x86.h.
#define RUVISION_INT8_ISA_SOURCE
#include "int8/int8_x86_parts.h"

static_assert(__SSE4_1__, "int8_sse41.cpp must be compiled with the sse41 flags");

namespace rv::kernels::detail {

const Int8Parts& int8_sse41_table() {
    static constexpr Int8Parts parts = [] {
        Int8Parts p;
        int8::set_gemm<int8::Sse41Traits>(p);
        int8::set_depthwise<int8::Sse41Traits>(p);
        int8::set_elementwise<int8::Sse41Traits>(p);
        return p;
    }();
    return parts;
}

}  // namespace rv::kernels::detail
