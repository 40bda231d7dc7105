// The avx512vnni int8 kernels (gemm depthwise elementwise).
// Compiled with -mavx512f -mavx512cd -mavx512vl -mavx512dq -mavx512bw -mavx512vnni -ffp-contract=off;
// see int8/int8_x86.h.
#define RUVISION_INT8_ISA_SOURCE
#include "int8/int8_x86_parts.h"

static_assert(__AVX512VNNI__, "int8_avx512vnni.cpp must be compiled with the avx512vnni flags");

namespace rv::kernels::detail {

const Int8Parts& int8_avx512vnni_table() {
    static constexpr Int8Parts parts = [] {
        Int8Parts p;
        int8::set_gemm<int8::Avx512VnniTraits>(p);
        int8::set_depthwise<int8::Avx512VnniTraits>(p);
        int8::set_elementwise<int8::Avx512VnniTraits>(p);
        return p;
    }();
    return parts;
}

}  // namespace rv::kernels::detail
