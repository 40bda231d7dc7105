// The x86 int8 GEMM, written once over the traits of int8_x86.h (SSE4.1 / AVX2 pmaddwd, AVX-VNNI
// and AVX-512 VNNI vpdpbusd). Included only by src/dispatch/int8_<path>.cpp.
//
// Packed B (after the header and column sums of int8_layout.h): ceil(N / L) panels of L columns;
// panel p holds, for each group g of G consecutive k (Gk = ceil(K / G) groups), L int32 words, word
// j packing B[g*G .. g*G+G)[p*L + j] (VNNI: G = 4 int8 bytes; madd: G = 2 int16 halves), zero
// beyond K and N. A row block of MR rows is packed per call into the same words (uint8 bytes or
// uint16 halves) in a per-thread scratch buffer, row after row (Gk words each); one broadcast word
// feeds L columns.
// Exactness: vpdpbusd adds four products of at most 255 * 128 to the int32 lane; pmaddwd adds two;
// neither saturates.
#pragma once

#include "common/scratch.h"
#include "int8/int8_out_x86.h"

#include <cassert>

namespace rv::kernels::int8 {
namespace {

template <class T>
constexpr int groups(int K) {
    return (K + T::G - 1) / T::G;
}
template <class T>
constexpr int panels(int N) {
    return (N + T::L - 1) / T::L;
}
template <class T>
constexpr std::size_t panel_bytes(int K) {
    return std::size_t(groups<T>(K)) * T::L * 4;
}
template <class T>
constexpr std::size_t colsum_area(int N) {
    return colsum_bytes(std::size_t(panels<T>(N)) * T::L);
}

template <class T>
std::size_t gemm_packed_size(int K, int N) {
    return kHeaderBytes + colsum_area<T>(N) + round_up(panel_bytes<T>(K) * panels<T>(N), 64);
}

template <class T>
void gemm_pack(int K, int N, const std::int8_t* B, void* packed) {
    write_header(packed, T::kLayout, K, N);
    std::int32_t* sums = colsums(packed);
    std::memset(sums, 0, colsum_area<T>(N));
    for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n) sums[n] += B[std::size_t(k) * N + n];
    auto* out = reinterpret_cast<std::int32_t*>(static_cast<unsigned char*>(packed) + kHeaderBytes +
                                                colsum_area<T>(N));
    const int Gk = groups<T>(K);
    for (int p = 0; p < panels<T>(N); ++p)
        for (int g = 0; g < Gk; ++g)
            for (int j = 0; j < T::L; ++j) {
                const int n = p * T::L + j, k = g * T::G;
                const int nk = K - k < T::G ? K - k : T::G;
                *out++ = n < N ? T::b_word(B + std::size_t(k) * N + n, std::size_t(N), nk) : 0;
            }
    const std::size_t used = panel_bytes<T>(K) * panels<T>(N);
    std::memset(reinterpret_cast<unsigned char*>(out), 0, round_up(used, 64) - used);
}

// R rows x Q panels of C: accumulate over all groups, then correct for the zero point and emit.
template <class T, int R, int Q, class Out, class Dst>
inline void gemm_block(int Gk, const std::int32_t* apack, const unsigned char* bp, std::size_t pbytes,
                       const std::int32_t* colsum, typename T::I za, const Out& out, Dst* C,
                       std::size_t ldc, int n0, int N) {
    using I = typename T::I;
    I acc[R][Q];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
        for (int q = 0; q < Q; ++q) acc[r][q] = T::izero();
    for (int g = 0; g < Gk; ++g) {
        I b[Q];
#pragma GCC unroll 4
        for (int q = 0; q < Q; ++q) b[q] = T::iload(bp + q * pbytes + std::size_t(g) * T::L * 4);
        const std::int32_t* a = apack + g;
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) {
            const I av = T::iset1(a[std::size_t(r) * Gk]);
#pragma GCC unroll 4
            for (int q = 0; q < Q; ++q) acc[r][q] = T::dot(acc[r][q], av, b[q]);
        }
    }
#pragma GCC unroll 4
    for (int q = 0; q < Q; ++q) {
        const int n = n0 + q * T::L;
        const int nv = N - n < T::L ? N - n : T::L;
        const I zc = T::imul(za, T::iload(colsum + q * T::L));  // padded columns sum to 0
        const auto ch = out.channels(n, nv);
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) out.store(C + std::size_t(r) * ldc + n, T::isub(acc[r][q], zc), ch, nv);
    }
}

// Calls gemm_block with R == rows (1 <= rows <= R) and Q == q (1 or 2).
template <class T, int R, class Out, class Dst>
inline void gemm_rows(int rows, int q, int Gk, const std::int32_t* apack, const unsigned char* bp,
                      std::size_t pbytes, const std::int32_t* colsum, typename T::I za,
                      const Out& out, Dst* C, std::size_t ldc, int n0, int N) {
    if constexpr (R > 1) {
        if (rows < R) {
            gemm_rows<T, R - 1>(rows, q, Gk, apack, bp, pbytes, colsum, za, out, C, ldc, n0, N);
            return;
        }
    }
    if (q == 2)
        gemm_block<T, R, 2>(Gk, apack, bp, pbytes, colsum, za, out, C, ldc, n0, N);
    else
        gemm_block<T, R, 1>(Gk, apack, bp, pbytes, colsum, za, out, C, ldc, n0, N);
}

template <class T, class Out, class Dst>
void gemm_run(int M, int N, int K, const std::uint8_t* A, int za, const void* packed,
              const Out& out, Dst* C) {
    assert(header_matches(packed, T::kLayout, K, N));
    const int Gk = groups<T>(K), np = panels<T>(N);
    const std::size_t pbytes = panel_bytes<T>(K);
    const std::int32_t* sums = colsums(packed);
    const auto* B = static_cast<const unsigned char*>(packed) + kHeaderBytes + colsum_area<T>(N);
    auto* apack = reinterpret_cast<std::int32_t*>(
        detail::scratch(detail::ScratchSlot::Int8A, std::size_t(T::MR) * std::size_t(Gk)));
    const typename T::I zav = T::iset1(za);
    for (int m0 = 0; m0 < M; m0 += T::MR) {
        const int rows = M - m0 < T::MR ? M - m0 : T::MR;
        for (int r = 0; r < rows; ++r) T::a_row(A + std::size_t(m0 + r) * K, K, apack + std::size_t(r) * Gk);
        Dst* c = C + std::size_t(m0) * N;
        for (int p = 0; p < np; p += 2) {
            const int q = np - p < 2 ? 1 : 2;
            gemm_rows<T, T::MR>(rows, q, Gk, apack, B + std::size_t(p) * pbytes, pbytes,
                                sums + std::size_t(p) * T::L, zav, out, c, std::size_t(N), p * T::L, N);
        }
    }
}

template <class T>
void gemm_f32(int M, int N, int K, const std::uint8_t* A, int za, const void* packed,
              const Int8ToF32& out, float* C) {
    gemm_run<T>(M, N, K, A, za, packed, OutF32<T>{out}, C);
}

template <class T>
void gemm_u8(int M, int N, int K, const std::uint8_t* A, int za, const void* packed,
             const Int8ToU8& out, std::uint8_t* C) {
    gemm_run<T>(M, N, K, A, za, packed, OutU8<T>{out}, C);
}

}  // namespace
}  // namespace rv::kernels::int8
