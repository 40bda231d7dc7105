// The avxvnni int8 kernels (gemm).
// Compiled with -mavx2 -mavxvnni -ffp-contract=off;
// see int8/int8_x86.h.
#define RUVISION_INT8_ISA_SOURCE
#include "int8/int8_x86_parts.h"

static_assert(__AVXVNNI__, "int8_avxvnni.cpp must be compiled with the avxvnni flags");

namespace rv::kernels::detail {

const Int8Parts& int8_avxvnni_table() {
    static constexpr Int8Parts parts = [] {
        Int8Parts p;
        int8::set_gemm<int8::AvxVnniTraits>(p);
        return p;
    }();
    return parts;
}

}  // namespace rv::kernels::detail
