// Register-level traits of the x86 int8 paths, one struct per feature set. The kernels
// (gemm_u8s8_x86.h, depthwise_u8s8_x86.h, elementwise_u8_x86.h) are written once over these.
//
// Only the per-feature sources src/dispatch/int8_<path>.cpp include this header, each compiled
// with its feature's flags, and a struct exists only when those flags are on. Everything has
// internal linkage (the multi-ISA ODR trap: see common/simd_common.h).
//
// Each traits struct T gives:
//   I, F         integer / float vector of L 32-bit lanes
//   G            consecutive k values one int32 lane of packed B holds (4: VNNI bytes; 2: int16)
//   MR           rows of A per GEMM register block
//   dot(acc,a,b) acc + sum over the G (a, b) pairs of each lane; a holds uint8 (VNNI) or uint16
//                (madd) values, b int8 / int16; exact in int32
//   a_row(a, K, out) a row of A as ceil(K / G) int32 words, G consecutive k each (uint8 bytes for
//                VNNI, uint16 halves for madd), zero beyond K
//   b_word(p, s, n) the same for B, reading n values p[0], p[s], ... (a column of row-major B)
//   u8x2L / s8x2L  2L uint8 / int8 values widened to int16 (for depthwise), lo32 / hi32 their halves
//                sign-extended to int32; unpacklo16 / unpackhi16 / madd16 / channel_order pair two
//                taps' int16 values so that one pmaddwd sums both (depthwise interior)
#pragma once

#if !defined(RUVISION_INT8_ISA_SOURCE)
#error "int8 x86 kernel templates may only be included by src/dispatch/int8_<path>.cpp"
#endif

#include "int8/int8_layout.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace rv::kernels::int8 {
namespace {

// Shared by the madd (int16 pairs) and VNNI (uint8 quadruples) words.
inline std::int32_t a_word_madd(const std::uint8_t* p, int n) {
    return std::int32_t(p[0]) | (n > 1 ? std::int32_t(p[1]) << 16 : 0);
}
inline std::int32_t b_word_madd(const std::int8_t* p, std::size_t stride, int n) {
    const std::uint32_t lo = std::uint16_t(std::int16_t(p[0]));
    const std::uint32_t hi = n > 1 ? std::uint16_t(std::int16_t(p[stride])) : 0u;
    return std::int32_t(lo | hi << 16);
}
inline std::int32_t a_word_vnni(const std::uint8_t* p, int n) {
    std::uint32_t w = 0;
    std::memcpy(&w, p, std::size_t(n));  // little-endian: p[0] in the low byte
    return std::int32_t(w);
}
inline std::int32_t b_word_vnni(const std::int8_t* p, std::size_t stride, int n) {
    std::uint32_t w = 0;
    for (int i = 0; i < n; ++i) w |= std::uint32_t(std::uint8_t(p[i * stride])) << (8 * i);
    return std::int32_t(w);
}

// One row of A as Gk = ceil(K / 4) VNNI words: the bytes themselves, zero beyond K.
inline void a_row_vnni(const std::uint8_t* a, int K, std::int32_t* out) {
    const int full = K / 4, rest = K % 4;
    std::memcpy(out, a, std::size_t(full) * 4);
    if (rest) out[full] = a_word_vnni(a + full * 4, rest);
}

// One row of A as Gk = ceil(K / 2) madd words (uint16 pairs), zero beyond K. Widen(p, out) turns
// kBytes bytes at p into kBytes / 2 words at out.
template <int kBytes, class Widen>
inline void a_row_madd(const std::uint8_t* a, int K, std::int32_t* out, Widen widen) {
    int k = 0;
    for (; k + kBytes <= K; k += kBytes) widen(a + k, out + k / 2);
    for (; k < K; k += 2) out[k / 2] = a_word_madd(a + k, K - k < 2 ? 1 : 2);
}

#if defined(__SSE4_1__)
struct Sse41Traits {
    using I = __m128i;
    using F = __m128;
    static constexpr int L = 4;
    static constexpr int G = 2;
    static constexpr int MR = 6;
    static constexpr PackLayout kLayout = PackLayout::Madd16x4;
    static I dot(I acc, I a, I b) { return _mm_add_epi32(acc, _mm_madd_epi16(a, b)); }
    static std::int32_t b_word(const std::int8_t* p, std::size_t s, int n) { return b_word_madd(p, s, n); }
    static void a_row(const std::uint8_t* a, int K, std::int32_t* out) {
        a_row_madd<8>(a, K, out, [](const std::uint8_t* p, std::int32_t* o) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o),
                             _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
        });
    }

    static I izero() { return _mm_setzero_si128(); }
    static I iset1(std::int32_t x) { return _mm_set1_epi32(x); }
    static I iload(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
    static void istore(void* p, I v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
    static I iadd(I a, I b) { return _mm_add_epi32(a, b); }
    static I isub(I a, I b) { return _mm_sub_epi32(a, b); }
    static I imul(I a, I b) { return _mm_mullo_epi32(a, b); }
    static F cvt(I v) { return _mm_cvtepi32_ps(v); }
    static I round(F v) { return _mm_cvtps_epi32(v); }  // MXCSR: round half to even
    static F fset1(float x) { return _mm_set1_ps(x); }
    static F fload(const float* p) { return _mm_loadu_ps(p); }
    static void fstore(float* p, F v) { _mm_storeu_ps(p, v); }
    static F fadd(F a, F b) { return _mm_add_ps(a, b); }
    static F fmul(F a, F b) { return _mm_mul_ps(a, b); }
    static F fmin(F a, F b) { return _mm_min_ps(a, b); }
    static F fmax(F a, F b) { return _mm_max_ps(a, b); }
    // L values in 0..255 -> L bytes.
    static void store_u8(std::uint8_t* p, I v) {
        const I b = _mm_packus_epi16(_mm_packs_epi32(v, v), v);
        const std::int32_t w = _mm_cvtsi128_si32(b);
        std::memcpy(p, &w, 4);
    }
    static I load_u8(const std::uint8_t* p) {  // L bytes -> int32 lanes
        std::int32_t w;
        std::memcpy(&w, p, 4);
        return _mm_cvtepu8_epi32(_mm_cvtsi32_si128(w));
    }
    static I u8x2L(const std::uint8_t* p) {
        return _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
    }
    static I s8x2L(const std::int8_t* p) {
        return _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
    }
    static I set1_16(int x) { return _mm_set1_epi16(static_cast<short>(x)); }
    static I sub16(I a, I b) { return _mm_sub_epi16(a, b); }
    static I mullo16(I a, I b) { return _mm_mullo_epi16(a, b); }
    static I lo32(I v) { return _mm_cvtepi16_epi32(v); }
    static I hi32(I v) { return _mm_cvtepi16_epi32(_mm_srli_si128(v, 8)); }
    static I unpacklo16(I a, I b) { return _mm_unpacklo_epi16(a, b); }
    static I unpackhi16(I a, I b) { return _mm_unpackhi_epi16(a, b); }
    static I madd16(I a, I b) { return _mm_madd_epi16(a, b); }
    // int32 results of madd16(unpacklo16(..)) / (unpackhi16(..)) back in channel order.
    static void channel_order(I a, I b, I& lo, I& hi) { lo = a, hi = b; }
};
#endif

#if defined(__AVX2__)
// The 8-lane AVX2 register operations, shared by the madd and AVX-VNNI paths.
struct Avx2Base {
    using I = __m256i;
    using F = __m256;
    static constexpr int L = 8;
    static constexpr int MR = 6;

    static I izero() { return _mm256_setzero_si256(); }
    static I iset1(std::int32_t x) { return _mm256_set1_epi32(x); }
    static I iload(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
    static void istore(void* p, I v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
    static I iadd(I a, I b) { return _mm256_add_epi32(a, b); }
    static I isub(I a, I b) { return _mm256_sub_epi32(a, b); }
    static I imul(I a, I b) { return _mm256_mullo_epi32(a, b); }
    static F cvt(I v) { return _mm256_cvtepi32_ps(v); }
    static I round(F v) { return _mm256_cvtps_epi32(v); }  // MXCSR: round half to even
    static F fset1(float x) { return _mm256_set1_ps(x); }
    static F fload(const float* p) { return _mm256_loadu_ps(p); }
    static void fstore(float* p, F v) { _mm256_storeu_ps(p, v); }
    static F fadd(F a, F b) { return _mm256_add_ps(a, b); }
    static F fmul(F a, F b) { return _mm256_mul_ps(a, b); }
    static F fmin(F a, F b) { return _mm256_min_ps(a, b); }
    static F fmax(F a, F b) { return _mm256_max_ps(a, b); }
    static void store_u8(std::uint8_t* p, I v) {
        // packs work within 128-bit halves: bytes 0..3 of each half hold lanes 0..3 / 4..7.
        const I b = _mm256_packus_epi16(_mm256_packs_epi32(v, v), v);
        const __m128i lo = _mm256_castsi256_si128(b), hi = _mm256_extracti128_si256(b, 1);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_unpacklo_epi32(lo, hi));
    }
    static I load_u8(const std::uint8_t* p) {
        return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
    }
    static I u8x2L(const std::uint8_t* p) {
        return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    static I s8x2L(const std::int8_t* p) {
        return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    static I set1_16(int x) { return _mm256_set1_epi16(static_cast<short>(x)); }
    static I sub16(I a, I b) { return _mm256_sub_epi16(a, b); }
    static I mullo16(I a, I b) { return _mm256_mullo_epi16(a, b); }
    static I lo32(I v) { return _mm256_cvtepi16_epi32(_mm256_castsi256_si128(v)); }
    static I hi32(I v) { return _mm256_cvtepi16_epi32(_mm256_extracti128_si256(v, 1)); }
    static I unpacklo16(I a, I b) { return _mm256_unpacklo_epi16(a, b); }
    static I unpackhi16(I a, I b) { return _mm256_unpackhi_epi16(a, b); }
    static I madd16(I a, I b) { return _mm256_madd_epi16(a, b); }
    // unpacks work within 128-bit halves: a holds channels 0-3 and 8-11, b 4-7 and 12-15.
    static void channel_order(I a, I b, I& lo, I& hi) {
        lo = _mm256_permute2x128_si256(a, b, 0x20);
        hi = _mm256_permute2x128_si256(a, b, 0x31);
    }
};

struct Avx2Traits : Avx2Base {
    static constexpr int G = 2;
    static constexpr PackLayout kLayout = PackLayout::Madd16x8;
    static I dot(I acc, I a, I b) { return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b)); }
    static std::int32_t b_word(const std::int8_t* p, std::size_t s, int n) { return b_word_madd(p, s, n); }
    static void a_row(const std::uint8_t* a, int K, std::int32_t* out) {
        a_row_madd<16>(a, K, out, [](const std::uint8_t* p, std::int32_t* o) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(o),
                                _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
        });
    }
};
#endif

#if defined(__AVXVNNI__)
struct AvxVnniTraits : Avx2Base {
    static constexpr int G = 4;
    static constexpr PackLayout kLayout = PackLayout::Vnni4x8;
    static I dot(I acc, I a, I b) { return _mm256_dpbusd_avx_epi32(acc, a, b); }
    static std::int32_t b_word(const std::int8_t* p, std::size_t s, int n) { return b_word_vnni(p, s, n); }
    static void a_row(const std::uint8_t* a, int K, std::int32_t* out) { a_row_vnni(a, K, out); }
};
#endif

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
struct Avx512VnniTraits {
    using I = __m512i;
    using F = __m512;
    static constexpr int L = 16;
    static constexpr int G = 4;
    static constexpr int MR = 8;
    static constexpr PackLayout kLayout = PackLayout::Vnni4x16;
    static I dot(I acc, I a, I b) { return _mm512_dpbusd_epi32(acc, a, b); }
    static std::int32_t b_word(const std::int8_t* p, std::size_t s, int n) { return b_word_vnni(p, s, n); }
    static void a_row(const std::uint8_t* a, int K, std::int32_t* out) { a_row_vnni(a, K, out); }

    static I izero() { return _mm512_setzero_si512(); }
    static I iset1(std::int32_t x) { return _mm512_set1_epi32(x); }
    static I iload(const void* p) { return _mm512_loadu_si512(p); }
    static void istore(void* p, I v) { _mm512_storeu_si512(p, v); }
    static I iadd(I a, I b) { return _mm512_add_epi32(a, b); }
    static I isub(I a, I b) { return _mm512_sub_epi32(a, b); }
    static I imul(I a, I b) { return _mm512_mullo_epi32(a, b); }
    static F cvt(I v) { return _mm512_cvtepi32_ps(v); }
    static I round(F v) { return _mm512_cvtps_epi32(v); }  // MXCSR: round half to even
    static F fset1(float x) { return _mm512_set1_ps(x); }
    static F fload(const float* p) { return _mm512_loadu_ps(p); }
    static void fstore(float* p, F v) { _mm512_storeu_ps(p, v); }
    static F fadd(F a, F b) { return _mm512_add_ps(a, b); }
    static F fmul(F a, F b) { return _mm512_mul_ps(a, b); }
    static F fmin(F a, F b) { return _mm512_min_ps(a, b); }
    static F fmax(F a, F b) { return _mm512_max_ps(a, b); }
    static void store_u8(std::uint8_t* p, I v) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm512_cvtepi32_epi8(v));
    }
    static I load_u8(const std::uint8_t* p) {
        return _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    static I u8x2L(const std::uint8_t* p) {
        return _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    }
    static I s8x2L(const std::int8_t* p) {
        return _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    }
    static I set1_16(int x) { return _mm512_set1_epi16(static_cast<short>(x)); }
    static I sub16(I a, I b) { return _mm512_sub_epi16(a, b); }
    static I mullo16(I a, I b) { return _mm512_mullo_epi16(a, b); }
    static I lo32(I v) { return _mm512_cvtepi16_epi32(_mm512_castsi512_si256(v)); }
    static I hi32(I v) { return _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(v, 1)); }
    static I unpacklo16(I a, I b) { return _mm512_unpacklo_epi16(a, b); }
    static I unpackhi16(I a, I b) { return _mm512_unpackhi_epi16(a, b); }
    static I madd16(I a, I b) { return _mm512_madd_epi16(a, b); }
    // unpacks work within 128-bit quarters: a holds channels 0-3, 8-11, 16-19, 24-27 and b
    // 4-7, 12-15, 20-23, 28-31; 64-bit element indices, b's counted from 8.
    static void channel_order(I a, I b, I& lo, I& hi) {
        lo = _mm512_permutex2var_epi64(a, _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0), b);
        hi = _mm512_permutex2var_epi64(a, _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4), b);
    }
};
#endif

}  // namespace
}  // namespace rv::kernels::int8
