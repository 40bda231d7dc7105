// Test-only: the VNNI GEMM layout (4 consecutive k per int32 lane, uint8 x int8 words, K tails)
// run on plain AVX2 with vpdpbusd emulated exactly, so that on a CPU without AVX-VNNI or AVX-512
// VNNI the packing, A words and tails that those paths share with this one are still checked
// against the reference. Only the vpdpbusd instruction itself (and, for AVX-512, the 16-lane
// register operations) is left to a VNNI machine. Compiled with -mavx2 -ffp-contract=off; call
// only when the CPU has AVX2.
#define RUVISION_INT8_ISA_SOURCE
#include "int8/int8_x86_parts.h"

namespace rv::kernels::int8 {
namespace {

struct Avx2VnniEmulatedTraits : Avx2Base {
    static constexpr int G = 4;
    static constexpr PackLayout kLayout = PackLayout::Vnni4x8;
    // vpdpbusd: acc + sum of the four products of uint8 a bytes and int8 b bytes of each lane.
    // Bytes 0 and 2 / 1 and 3 are widened to int16 pairs and summed by vpmaddwd, exactly.
    static I dot(I acc, I a, I b) {
        const I mask = _mm256_set1_epi16(0x00FF);
        const I a_even = _mm256_and_si256(a, mask), a_odd = _mm256_srli_epi16(a, 8);
        const I b_even = _mm256_srai_epi16(_mm256_slli_epi16(b, 8), 8), b_odd = _mm256_srai_epi16(b, 8);
        return _mm256_add_epi32(acc, _mm256_add_epi32(_mm256_madd_epi16(a_even, b_even),
                                                      _mm256_madd_epi16(a_odd, b_odd)));
    }
    static std::int32_t b_word(const std::int8_t* p, std::size_t s, int n) { return b_word_vnni(p, s, n); }
    static void a_row(const std::uint8_t* a, int K, std::int32_t* out) { a_row_vnni(a, K, out); }
};

}  // namespace
}  // namespace rv::kernels::int8

rv::kernels::detail::Int8Parts int8_vnni_emulated_parts() {
    rv::kernels::detail::Int8Parts p;
    rv::kernels::int8::set_gemm<rv::kernels::int8::Avx2VnniEmulatedTraits>(p);
    return p;
}
