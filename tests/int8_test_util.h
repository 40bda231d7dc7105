// Shared by the int8 kernel tests (test_kernels_int8, test_kernels_int8_reference): deterministic
// uint8 / int8 data, path names, the scalar int8 table, packing.
#pragma once

#include "kernel_test_util.h"
#include "ruvision/kernels/int8.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace int8_test {

using namespace rv::kernels;
using u8 = std::uint8_t;
using s8 = std::int8_t;

inline std::vector<u8> random_u8(std::size_t n, std::uint32_t seed, int lo = 0, int hi = 255) {
    const std::vector<int> v = kernel_test::random_ints(n, seed, lo, hi);
    return {v.begin(), v.end()};
}
inline std::vector<s8> random_s8(std::size_t n, std::uint32_t seed, int lo = -127, int hi = 127) {
    const std::vector<int> v = kernel_test::random_ints(n, seed, lo, hi);
    return {v.begin(), v.end()};
}

inline QString path_str(Int8Path p) {
    return QString::fromLatin1(int8_path_name(p).data(), int(int8_path_name(p).size()));
}

inline const Int8Kernels& scalar8() {
    return *int8_kernels_for(Int8Path::Scalar);
}

// B (K x N) packed by table t for its GEMM.
inline std::vector<unsigned char> pack(const Int8Kernels& t, int K, int N, const std::vector<s8>& B) {
    std::vector<unsigned char> p(t.gemm_packed_size(K, N));
    t.gemm_pack(K, N, B.data(), p.data());
    return p;
}

}  // namespace int8_test
