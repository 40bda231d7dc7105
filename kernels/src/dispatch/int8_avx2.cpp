// The avx2 int8 kernels (gemm depthwise elementwise).
// Compiled with -mavx2 -ffp-contract=off;
// see int8/int8_x86.h.
#define RUVISION_INT8_ISA_SOURCE
#include "int8/int8_x86_parts.h"

static_assert(__AVX2__, "int8_avx2.cpp must be compiled with the avx2 flags");

namespace rv::kernels::detail {

const Int8Parts& int8_avx2_table() {
    static constexpr Int8Parts parts = [] {
        Int8Parts p;
        int8::set_gemm<int8::Avx2Traits>(p);
        int8::set_depthwise<int8::Avx2Traits>(p);
        int8::set_elementwise<int8::Avx2Traits>(p);
        return p;
    }();
    return parts;
}

}  // namespace rv::kernels::detail
