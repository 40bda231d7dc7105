#include "index/CompactVectors.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <vector>

#include "ruvision/kernels/kernels.h"

#if RUVISION_COMPACT_AVX2
#include <cpuid.h>
#endif

namespace rv {

VectorStorage storage_for_dim(int dim) {
    if (dim <= 0) return VectorStorage::F32;
    const auto d = static_cast<std::size_t>(dim);
    if (2 * d <= kMaxCompactVectorBytes) return VectorStorage::F16;
    return VectorStorage::I8;
}

const char* storage_name(VectorStorage s) {
    switch (s) {
        case VectorStorage::Auto: return "auto";
        case VectorStorage::F32: return "f32";
        case VectorStorage::F16: return "f16";
        case VectorStorage::I8: return "i8";
    }
    return "unknown";
}

}  // namespace rv

namespace rv::index_detail {

// binary16 <-> binary32 after F. Giesen's "float_to_half_fast3_rtne" and "half_to_float".
std::uint16_t float_to_half(float f) {
    std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const std::uint32_t sign = (x >> 16) & 0x8000u;
    x &= 0x7fffffffu;
    if (x >= (143u << 23))  // |f| >= 65536 (after rounding: infinity), infinity or NaN
        return static_cast<std::uint16_t>(sign | (x > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (x < (113u << 23)) {  // below 2^-14: a binary16 subnormal (or zero), rounded by the FPU
        const float sum = std::bit_cast<float>(x) + 0.5f;
        return static_cast<std::uint16_t>(sign | (std::bit_cast<std::uint32_t>(sum) - (126u << 23)));
    }
    const std::uint32_t odd = (x >> 13) & 1u;
    x += 0xc8000fffu + odd;  // rebias the exponent (15 - 127) and round to nearest even
    return static_cast<std::uint16_t>(sign | (x >> 13));
}

float half_to_float(std::uint16_t h) {
    const std::uint32_t shifted_exp = 0x7c00u << 13;
    std::uint32_t o = (std::uint32_t{h} & 0x7fffu) << 13;
    const std::uint32_t exp = shifted_exp & o;
    o += (127u - 15u) << 23;
    float f;
    if (exp == shifted_exp) {
        o += (128u - 16u) << 23;  // infinity or NaN
        f = std::bit_cast<float>(o);
    } else if (exp == 0) {
        o += 1u << 23;  // subnormal: renormalise
        f = std::bit_cast<float>(o) - std::bit_cast<float>(113u << 23);
    } else {
        f = std::bit_cast<float>(o);
    }
    return (h & 0x8000u) ? -f : f;
}

namespace {

// The bytes a code's values take; code_size() pads them to whole 4-byte words, because hnswlib
// places each element's label and the next element's link counts right after its data and reads
// them as 4- and 8-byte values (UBSan reports a misaligned load otherwise).
std::size_t value_bytes(VectorStorage storage, std::size_t dim) {
    switch (storage) {
        case VectorStorage::F16: return 2 * dim;
        case VectorStorage::I8: return sizeof(float) + dim;
        default: return sizeof(float) * dim;
    }
}

}  // namespace

std::size_t code_size(VectorStorage storage, std::size_t dim) { return (value_bytes(storage, dim) + 3) / 4 * 4; }

void encode_vector(VectorStorage storage, const float* v, std::size_t dim, void* out) {
    auto* bytes = static_cast<unsigned char*>(out);
    if (storage == VectorStorage::F16) {
        for (std::size_t i = 0; i < dim; ++i) {
            const std::uint16_t h = float_to_half(v[i]);
            std::memcpy(bytes + 2 * i, &h, 2);
        }
    } else if (storage == VectorStorage::I8) {
        float m = 0;
        for (std::size_t i = 0; i < dim; ++i) m = std::max(m, std::fabs(v[i]));
        const float to_grid = m > 0 ? 127.0f / m : 0.0f;
        double norm2 = 0;
        for (std::size_t i = 0; i < dim; ++i) {
            const long q = std::clamp(std::lrint(v[i] * to_grid), -127L, 127L);
            bytes[sizeof(float) + i] = static_cast<unsigned char>(static_cast<std::int8_t>(q));
            norm2 += double(q) * double(q);
        }
        const float scale = norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(norm2)) : 0.0f;
        std::memcpy(bytes, &scale, sizeof scale);
    } else {
        std::memcpy(bytes, v, dim * sizeof(float));
    }
    // The padding is zero, so equal vectors have equal codes.
    std::memset(bytes + value_bytes(storage, dim), 0, code_size(storage, dim) - value_bytes(storage, dim));
}

void decode_vector(VectorStorage storage, const void* code, std::size_t dim, float* out) {
    const auto* bytes = static_cast<const unsigned char*>(code);
    if (storage == VectorStorage::F16) {
        for (std::size_t i = 0; i < dim; ++i) {
            std::uint16_t h;
            std::memcpy(&h, bytes + 2 * i, 2);
            out[i] = half_to_float(h);
        }
    } else if (storage == VectorStorage::I8) {
        float scale;
        std::memcpy(&scale, bytes, sizeof scale);
        for (std::size_t i = 0; i < dim; ++i)
            out[i] = scale * float(static_cast<std::int8_t>(bytes[sizeof(float) + i]));
    } else {
        std::memcpy(out, bytes, dim * sizeof(float));
    }
}

namespace {

// The common case of code_problem, without decoding: every value finite and the norm within
// kUnitNormTolerance of 1 (float accumulation: off by ~1e-6 at most, far inside the tolerance).
// False sends the code to the full check, which names the problem.
bool code_is_unit(VectorStorage storage, const void* code, std::size_t dim) {
    const auto* bytes = static_cast<const unsigned char*>(code);
    double norm2 = 0;
    if (storage == VectorStorage::F16) {
        const auto* h = reinterpret_cast<const std::uint16_t*>(bytes);
        unsigned not_finite = 0;
        for (std::size_t i = 0; i < dim; ++i) not_finite |= (h[i] & 0x7c00u) == 0x7c00u;
        if (not_finite) return false;
        norm2 = compact_dot_table().dot_f16(h, h, dim);
    } else if (storage == VectorStorage::I8) {
        float scale;
        std::memcpy(&scale, bytes, sizeof scale);
        if (!std::isfinite(scale) || !(scale > 0)) return false;
        const auto* q = reinterpret_cast<const std::int8_t*>(bytes + sizeof(float));
        norm2 = double(scale) * scale * double(compact_dot_table().dot_i8(q, q, dim));
    } else {
        return false;
    }
    return std::fabs(std::sqrt(norm2) - 1.0) <= kUnitNormTolerance;
}

}  // namespace

std::string code_problem(VectorStorage storage, const void* code, std::size_t dim) {
    if (code_is_unit(storage, code, dim)) return {};
    if (storage == VectorStorage::I8) {
        float scale;
        std::memcpy(&scale, code, sizeof scale);
        if (!std::isfinite(scale) || !(scale > 0)) return "its int8 scale is " + std::to_string(scale);
    }
    thread_local std::vector<float> values;
    values.resize(dim);
    decode_vector(storage, code, dim, values.data());
    return vector_problem(values.data(), static_cast<int>(dim));
}

float rescoring_dot(VectorStorage storage, const float* q, const void* code, std::size_t dim) {
    const auto* bytes = static_cast<const unsigned char*>(code);
    if (storage == VectorStorage::F16)  // codes sit 2-byte aligned (hnswlib's blocks, encoded queries)
        return compact_dot_table().dot_f32_f16(q, reinterpret_cast<const std::uint16_t*>(bytes), dim);
    if (storage == VectorStorage::I8) {
        float scale;
        std::memcpy(&scale, bytes, sizeof scale);
        float s = 0;
        for (std::size_t i = 0; i < dim; ++i) s += q[i] * float(static_cast<std::int8_t>(bytes[sizeof(float) + i]));
        return scale * s;
    }
    std::vector<float> v(dim);
    std::memcpy(v.data(), bytes, dim * sizeof(float));
    return kernels::kernels().dot(q, v.data(), dim);
}

namespace {

float dot_f16_scalar(const std::uint16_t* a, const std::uint16_t* b, std::size_t n) {
    float s = 0;
    for (std::size_t i = 0; i < n; ++i) s += half_to_float(a[i]) * half_to_float(b[i]);
    return s;
}

float dot_f32_f16_scalar(const float* q, const std::uint16_t* b, std::size_t n) {
    float s = 0;
    for (std::size_t i = 0; i < n; ++i) s += q[i] * half_to_float(b[i]);
    return s;
}

std::int32_t dot_i8_scalar(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
    std::int32_t s = 0;
    for (std::size_t i = 0; i < n; ++i) s += std::int32_t{a[i]} * std::int32_t{b[i]};
    return s;
}

}  // namespace

const CompactDotTable& compact_dot_scalar() {
    static const CompactDotTable t{"scalar", &dot_f16_scalar, &dot_i8_scalar, &dot_f32_f16_scalar};
    return t;
}

#if RUVISION_COMPACT_AVX2
// CompactDotAvx2.cpp, compiled with AVX2+FMA+F16C flags.
float dot_f16_avx2(const std::uint16_t* a, const std::uint16_t* b, std::size_t n);
std::int32_t dot_i8_avx2(const std::int8_t* a, const std::int8_t* b, std::size_t n);
float dot_f32_f16_avx2(const float* q, const std::uint16_t* b, std::size_t n);

const CompactDotTable* compact_dot_avx2() {
    static const bool runs = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
        const bool f16c = (c >> 29) & 1u, fma = (c >> 12) & 1u;
        return f16c && fma && __builtin_cpu_supports("avx2");
    }();
    static const CompactDotTable t{"avx2+f16c", &dot_f16_avx2, &dot_i8_avx2, &dot_f32_f16_avx2};
    return runs ? &t : nullptr;
}
#else
const CompactDotTable* compact_dot_avx2() { return nullptr; }
#endif

const CompactDotTable& compact_dot_table() {
    static const CompactDotTable* chosen = [] {
        const auto isa = kernels::kernels().isa;
        const CompactDotTable* avx2 = compact_dot_avx2();
        if (avx2 && (isa == kernels::Isa::Avx2 || isa == kernels::Isa::Avx512)) return avx2;
        return &compact_dot_scalar();
    }();
    return *chosen;
}

}  // namespace rv::index_detail
