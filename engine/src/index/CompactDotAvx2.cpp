// The AVX2+F16C inner products of CompactVectors.h, compiled with -mavx2 -mfma -mf16c (x86-64
// only). Only intrinsics here, no header with inline functions: an inline function compiled with
// these flags could be the copy the linker keeps for baseline callers (see
// kernels/src/common/simd_common.h). The table and the CPU check live in CompactVectors.cpp.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace rv::index_detail {

namespace {

float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

}  // namespace

float dot_f16_avx2(const std::uint16_t* a, const std::uint16_t* b, std::size_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 a0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
        const __m256 b0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
        const __m256 a1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i + 8)));
        const __m256 b1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i + 8)));
        acc0 = _mm256_fmadd_ps(a0, b0, acc0);
        acc1 = _mm256_fmadd_ps(a1, b1, acc1);
    }
    if (i + 8 <= n) {
        const __m256 a0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
        const __m256 b0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
        acc0 = _mm256_fmadd_ps(a0, b0, acc0);
        i += 8;
    }
    float s = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) s += _cvtsh_ss(a[i]) * _cvtsh_ss(b[i]);
    return s;
}

float dot_f32_f16_avx2(const float* q, const std::uint16_t* b, std::size_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 b0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
        const __m256 b1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i + 8)));
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), b0, acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), b1, acc1);
    }
    if (i + 8 <= n) {
        const __m256 b0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), b0, acc0);
        i += 8;
    }
    float s = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) s += q[i] * _cvtsh_ss(b[i]);
    return s;
}

std::int32_t dot_i8_avx2(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
    __m256i acc = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i a16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
        const __m256i b16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(a16, b16));  // |products| <= 127^2: no overflow
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    std::int32_t total = _mm_cvtsi128_si32(s);
    for (; i < n; ++i) total += std::int32_t{a[i]} * std::int32_t{b[i]};
    return total;
}

}  // namespace rv::index_detail
