// The packed GEMM weight buffer, shared by the scalar reference and the x86 paths:
//   [0, 64)                      header: magic, layout tag, K, N
//   [64, 64 + colsum_bytes)      int32 column sums sum_k B[k][n], n < padded N (0 for padding)
//   then the panels              path-specific (see each path), zero-padded in K and N
// Everything here has internal linkage (see common/simd_common.h): this header is included by
// baseline and per-feature sources alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace rv::kernels::int8 {
namespace {

constexpr std::uint32_t kPackedMagic = 0x38515652u;  // "RVQ8"
constexpr std::size_t kHeaderBytes = 64;

// Layout tags: which path packed the buffer.
enum class PackLayout : std::uint32_t { Plain = 1, Madd16x4 = 2, Madd16x8 = 3, Vnni4x8 = 4, Vnni4x16 = 5 };

struct PackedHeader {
    std::uint32_t magic;
    std::uint32_t layout;
    std::int32_t K, N;
};

constexpr std::size_t round_up(std::size_t x, std::size_t m) {
    return (x + m - 1) / m * m;
}

constexpr std::size_t colsum_bytes(std::size_t padded_n) {
    return round_up(padded_n * sizeof(std::int32_t), 64);
}

inline void write_header(void* packed, PackLayout layout, int K, int N) {
    unsigned char* p = static_cast<unsigned char*>(packed);
    std::memset(p, 0, kHeaderBytes);
    const PackedHeader h{kPackedMagic, static_cast<std::uint32_t>(layout), K, N};
    std::memcpy(p, &h, sizeof h);
}

// True if `packed` was made by a pack with `layout` for this K x N.
inline bool header_matches(const void* packed, PackLayout layout, int K, int N) {
    PackedHeader h;
    std::memcpy(&h, packed, sizeof h);
    return h.magic == kPackedMagic && h.layout == static_cast<std::uint32_t>(layout) && h.K == K &&
           h.N == N;
}

inline const std::int32_t* colsums(const void* packed) {
    return reinterpret_cast<const std::int32_t*>(static_cast<const unsigned char*>(packed) +
                                                 kHeaderBytes);
}
inline std::int32_t* colsums(void* packed) {
    return reinterpret_cast<std::int32_t*>(static_cast<unsigned char*>(packed) + kHeaderBytes);
}

}  // namespace
}  // namespace rv::kernels::int8
