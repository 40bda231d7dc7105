// GEMM over xsimd: C = act(A * B + bias), row-major, register-blocked.
//
// C is computed in tiles of MR rows x NV registers (NR = NV * lanes columns). The micro-kernel
// keeps the MR x NV accumulators in registers, broadcasts one A element per row and k, loads NV
// registers of the B row, and applies bias and activation on the way out. B is read in place; only
// the last column panel is copied (zero padded to whole registers, into per-thread scratch) when N
// is not a multiple of the register width, so the k loop never needs a mask. Row tails use a
// micro-kernel instantiated for fewer rows; column tails store the last register with a mask.
//
// A is read through GemmA, which also describes the implicit im2col rows of a convolution (a row
// made of KH runs of KW*Cin input floats), so conv2d's interior pixels need no copy.
#pragma once

#include "common/scratch.h"
#include "common/simd_common.h"

namespace rv::kernels::simd {
namespace {  // internal linkage, see simd_common.h

// The architecture of a half-width register, used for a last block of lanes/2 columns: on
// AVX-512 an N % 16 == 8 tail (N = 24, 40, 56, 88, 120, 184 ... in MobileNetV3) then costs a ymm
// instead of a zero-padded zmm. `void` where there is none worth having.
template <class Arch>
struct HalfArch {
    using type = void;
};
#if XSIMD_WITH_AVX512F && XSIMD_WITH_FMA3_AVX2
template <>
struct HalfArch<LocalArch<xsimd::avx512dq>> {
    using type = LocalArch<xsimd::fma3<xsimd::avx2>>;
};
#endif

template <class Arch>
struct GemmBlocking {
    static constexpr int kW = kLanes<Arch>;
    static constexpr bool kHasHalf = !std::is_void_v<typename HalfArch<Arch>::type>;
    // Column granularity of panels: a half register where there is one, else a full one.
    static constexpr int kStep = kHasHalf ? kW / 2 : kW;
    // Accumulators: AVX-512 12x2 of 32 zmm; AVX2 6x2 and SSE2 6x2 of 16 registers; NEON 8x2 of 32.
    // (Measured on Zen 4: AVX2/AVX-512 reach 85..98% of the FMA peak on MobileNet 1x1 shapes;
    // SSE2 is bound by its broadcasts, 4x2 .. 8x2 all perform alike.)
    static constexpr int kMR = kW == 16 ? 12 : (kIsNeon<Arch> ? 8 : 6);
    static constexpr int kNV = 2;
    static constexpr int kNR = kNV * kW;
    // Rows of A per block, so that the block is reused from cache across the column panels.
    static int rows_per_block(int K) {
        const int rows = (48 * 1024 / int(sizeof(float))) / max_of(K, 1);
        return max_of(kMR, rows / kMR * kMR);
    }
};

// The rows of A: row i is `runs` runs of `run_len` floats, run r starting at
// a + i * lda + r * run_stride; K = runs * run_len. A row-major M x K matrix is one run of K.
struct GemmA {
    const float* a = nullptr;
    std::size_t lda = 0;
    int runs = 1;
    int run_len = 0;
    std::size_t run_stride = 0;
};

template <class Arch>
using GemmTileFn = void (*)(const GemmA& A, const float* b, std::size_t ldb, const float* bias,
                            float* c, std::size_t ldc, int cols, Activation act);

// One tile: c[0..R)[0..cols) = act(A[0..R)[0..K) * b[0..K)[0..cols) + bias[0..cols)), in NV full
// registers plus, if Half, one half-width register of columns. b rows are ldb floats apart, c rows
// ldc floats apart. All registers of every b row (and of bias, unless null) must be readable: the
// caller pads the last panel. Only the last register may be partial. Runs = false requires
// A.runs == 1 and drops the outer run loop (plain GEMM, the hot case).
template <class Arch, int R, int NV, bool Half, bool Runs>
void gemm_tile(const GemmA& A, const float* b, std::size_t ldb, const float* bias, float* c,
               std::size_t ldc, int cols, Activation act) {
    using V = vfloat<Arch>;
    using HArch = std::conditional_t<Half, typename HalfArch<Arch>::type, Arch>;
    using H = vfloat<HArch>;
    constexpr int W = kLanes<Arch>, HW = kLanes<HArch>;
    constexpr int NA = NV > 0 ? NV : 1;  // array extent; only [0, NV) is used
    V acc[R][NA];
    H hacc[R];
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) {
        const V init = bias ? V::load_unaligned(bias + j * W) : V(0.0f);
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i) acc[i][j] = init;
    }
    if constexpr (Half) {
        const H init = bias ? H::load_unaligned(bias + NV * W) : H(0.0f);
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i) hacc[i] = init;
    }
    const float* arow[R];
#pragma GCC unroll 16
    for (int i = 0; i < R; ++i) arow[i] = A.a + std::size_t(i) * A.lda;

    // acc += A[.][k0 .. k0 + n) * b rows, with b advancing one row per k.
    auto accumulate = [&](int k0, int n) {
        for (int k = k0; k < k0 + n; ++k) {
            V bk[NA];
#pragma GCC unroll 4
            for (int j = 0; j < NV; ++j) bk[j] = V::load_unaligned(b + j * W);
            H bh;
            if constexpr (Half) bh = H::load_unaligned(b + NV * W);
            b += ldb;
#pragma GCC unroll 16
            for (int i = 0; i < R; ++i) {
                const float aik = arow[i][k];
                const V ai(aik);
#pragma GCC unroll 4
                for (int j = 0; j < NV; ++j) acc[i][j] = madd(ai, bk[j], acc[i][j]);
                if constexpr (Half) hacc[i] = madd(H(aik), bh, hacc[i]);
            }
        }
    };
    if constexpr (Runs) {
        for (int run = 0; run < A.runs; ++run) {
            accumulate(0, A.run_len);
#pragma GCC unroll 16
            for (int i = 0; i < R; ++i) arow[i] += A.run_stride;
        }
    } else {
        accumulate(0, A.run_len);
    }

    with_activation(act, [&](auto tag) {
        constexpr Activation Act = decltype(tag)::value;
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i) {
#pragma GCC unroll 4
            for (int j = 0; j < NV; ++j) acc[i][j] = apply<Act, Arch>(acc[i][j]);
            if constexpr (Half) hacc[i] = apply<Act, HArch>(hacc[i]);
        }
    });
    // Full registers before the last one store whole; the last may be partial.
    constexpr int whole = Half ? NV : NV - 1;
    const int last = cols - whole * W;
#pragma GCC unroll 16
    for (int i = 0; i < R; ++i) {
        float* ci = c + std::size_t(i) * ldc;
#pragma GCC unroll 4
        for (int j = 0; j < whole; ++j) acc[i][j].store_unaligned(ci + j * W);
        if constexpr (Half) {
            if (last == HW)
                hacc[i].store_unaligned(ci + NV * W);
            else
                store_n<HArch>(ci + NV * W, hacc[i], last);
        } else {
            if (last == W)
                acc[i][NV - 1].store_unaligned(ci + (NV - 1) * W);
            else
                store_n<Arch>(ci + (NV - 1) * W, acc[i][NV - 1], last);
        }
    }
}

// The tile function for `rows` rows (1..MR), given registers and run mode.
template <class Arch, int NV, bool Half, bool Runs, int R = GemmBlocking<Arch>::kMR>
GemmTileFn<Arch> gemm_tile_for_rows(int rows) {
    if constexpr (R == 1) {
        return &gemm_tile<Arch, 1, NV, Half, Runs>;
    } else {
        return rows >= R ? &gemm_tile<Arch, R, NV, Half, Runs>
                         : gemm_tile_for_rows<Arch, NV, Half, Runs, R - 1>(rows);
    }
}

// The tile function for `rows` rows, `nv` full registers (0..NV; 0 only with a half one) and
// `half` (only where HalfArch exists).
template <class Arch, bool Runs, int NV = GemmBlocking<Arch>::kNV>
GemmTileFn<Arch> gemm_tile_for(int rows, int nv, bool half) {
    constexpr bool has_half = GemmBlocking<Arch>::kHasHalf;
    if constexpr (has_half) {
        if (half && nv == NV) return gemm_tile_for_rows<Arch, NV, true, Runs>(rows);
    }
    if constexpr (NV == 0 || (NV == 1 && !has_half)) {
        return gemm_tile_for_rows < Arch, NV, has_half && NV == 0, Runs > (rows);
    } else {
        if (nv == NV) return gemm_tile_for_rows<Arch, NV, false, Runs>(rows);
        return gemm_tile_for<Arch, Runs, NV - 1>(rows, nv, half);
    }
}

// B (K x N, rows ldb apart) and bias as the tiles read them. Columns [0, packed_j0) are read in
// place; when N is not a multiple of the register width, columns [packed_j0, N) live in `packed`
// (K rows of packed_ld floats, zero padded, then packed_ld floats of bias) in per-thread scratch
// slot PackedB, valid until the next prepare on this thread.
struct GemmB {
    int K = 0, N = 0;
    const float* b = nullptr;
    std::size_t ldb = 0;
    const float* bias = nullptr;
    int packed_j0 = 0;
    const float* packed = nullptr;
    std::size_t packed_ld = 0;
};

template <class Arch>
GemmB gemm_prepare_b(int K, int N, const float* B, std::size_t ldb, const float* bias) {
    using Blk = GemmBlocking<Arch>;
    GemmB g{K, N, B, ldb, bias, N, nullptr, 0};
    if (N % Blk::kW == 0) return g;
    g.packed_j0 = N / Blk::kNR * Blk::kNR;
    const int cols = N - g.packed_j0;
    const int ld = (cols + Blk::kStep - 1) / Blk::kStep * Blk::kStep;
    float* p = detail::scratch(detail::ScratchSlot::PackedB, std::size_t(K + 1) * ld);
    for (int k = 0; k <= K; ++k) {
        const float* src =
            k < K ? B + std::size_t(k) * ldb + g.packed_j0 : (bias ? bias + g.packed_j0 : nullptr);
        float* dst = p + std::size_t(k) * ld;
        for (int j = 0; j < ld; ++j) dst[j] = src && j < cols ? src[j] : 0.0f;
    }
    g.packed = p;
    g.packed_ld = std::size_t(ld);
    return g;
}

// C[0..M) rows (ldc floats apart) = act(A[0..M) rows * B + bias); A.runs * A.run_len == g.K.
template <class Arch>
void gemm_run(int M, const GemmA& A, const GemmB& g, float* C, std::size_t ldc, Activation act) {
    using Blk = GemmBlocking<Arch>;
    constexpr int MR = Blk::kMR, NR = Blk::kNR;
    const bool runs = A.runs != 1;
    const int mc = Blk::rows_per_block(g.K);
    for (int m0 = 0; m0 < M; m0 += mc) {
        const int m1 = min_of(M, m0 + mc);
        for (int j0 = 0; j0 < g.N; j0 += NR) {
            const int cols = min_of(NR, g.N - j0);
            // Registers for `cols`: full ones, plus a half one if that covers the rest.
            const int steps = (cols + Blk::kStep - 1) / Blk::kStep;
            const int nv = Blk::kHasHalf ? steps / 2 : steps;
            const bool half = Blk::kHasHalf && steps % 2 == 1;
            const bool packed = j0 >= g.packed_j0;
            const float* b = packed ? g.packed : (g.b ? g.b + j0 : nullptr);  // B is null when K == 0
            const std::size_t ldb = packed ? g.packed_ld : g.ldb;
            const float* bias = packed ? (g.bias ? g.packed + std::size_t(g.K) * ldb : nullptr)
                                       : (g.bias ? g.bias + j0 : nullptr);
            auto pick = [&](int rows) {
                return runs ? gemm_tile_for<Arch, true>(rows, nv, half)
                            : gemm_tile_for<Arch, false>(rows, nv, half);
            };
            const GemmTileFn<Arch> full = pick(MR);
            GemmA rows = A;
            int i = m0;
            for (; i + MR <= m1; i += MR) {
                rows.a = A.a + std::size_t(i) * A.lda;
                full(rows, b, ldb, bias, C + std::size_t(i) * ldc + j0, ldc, cols, act);
            }
            if (i < m1) {
                rows.a = A.a + std::size_t(i) * A.lda;
                pick(m1 - i)(rows, b, ldb, bias, C + std::size_t(i) * ldc + j0, ldc, cols, act);
            }
        }
    }
}

template <class Arch>
void gemm(int M, int N, int K, const float* A, const float* B, const float* bias, float* C,
          Activation act) {
    if (M <= 0 || N <= 0) return;
    const GemmB g = gemm_prepare_b<Arch>(K, N, B, std::size_t(N), bias);
    gemm_run<Arch>(M, GemmA{A, std::size_t(K), 1, K, 0}, g, C, std::size_t(N), act);
}

}  // namespace
}  // namespace rv::kernels::simd
