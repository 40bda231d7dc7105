// How an HnswIndex stores a vector (VectorStorage, VectorIndex.h): the byte codes, their distance
// and their check. Engine-internal; no hnswlib here.
//
// Codes of one dim-vector (little-endian, no padding; "code size" below):
//   F32: dim x f32, the vector as given.                                        4 x dim bytes
//   F16: dim x IEEE 754 binary16, each value rounded to nearest even.            2 x dim bytes
//   I8:  f32 scale s, then dim x i8 q: q_i = round(127 v_i / max|v|), and        4 + dim bytes
//        s = 1 / ||q||, so that the decoded vector s q has unit length (it is the nearest such
//        direction on the int8 grid; a norm only off by rounding keeps cosines true).
// A decoded code keeps the data contract (vector_problem) whenever the vector encoded kept it.
//
// Distances (hnswlib's "smaller is closer"): 1 - <decode(a), decode(b)>, between two codes of the
// same storage; a search's query is encoded too. rescoring_dot() is the asymmetric form, an f32
// query against a code, exact up to the code's own rounding.
//
// Threads: every function here is pure; compact_dot_table() is chosen once, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ruvision/engine/VectorIndex.h"

namespace rv::index_detail {

// Bytes of one code of `dim` values (storage resolved: not Auto).
std::size_t code_size(VectorStorage storage, std::size_t dim);

// Writes the code of v (dim floats) at out (code_size bytes, a multiple of 4; padding zero).
void encode_vector(VectorStorage storage, const float* v, std::size_t dim, void* out);
// Reads a code back into dim floats, exactly (binary16 infinities and NaNs included).
void decode_vector(VectorStorage storage, const void* code, std::size_t dim, float* out);

// Why the code at `code` is not a valid stored vector ("" if it is): vector_problem() of its
// decoded values; for I8 also a scale that is not finite and positive.
std::string code_problem(VectorStorage storage, const void* code, std::size_t dim);

// <q, decode(code)> for an f32 query q.
float rescoring_dot(VectorStorage storage, const float* q, const void* code, std::size_t dim);

// Inner products between two codes. The f16 one trusts its inputs to be finite (a code holding
// an infinity or NaN gives a finite wrong value): stored codes are checked (code_problem) first.
struct CompactDotTable {
    const char* name;  // "scalar" or "avx2+f16c"
    float (*dot_f16)(const std::uint16_t* a, const std::uint16_t* b, std::size_t n);
    std::int32_t (*dot_i8)(const std::int8_t* a, const std::int8_t* b, std::size_t n);
    // <q, decode(b)> for an f32 q and binary16 b (a search's rescoring).
    float (*dot_f32_f16)(const float* q, const std::uint16_t* b, std::size_t n);
};

// The plain-loop reference (the truth in tests) and, on x86-64, the AVX2+F16C one (nullptr when
// this build or CPU lacks it).
const CompactDotTable& compact_dot_scalar();
const CompactDotTable* compact_dot_avx2();
// The one in use: AVX2+F16C when the kernels' chosen ISA is AVX2 or AVX-512 (so RUVISION_ISA
// forces the scalar loops here too), else scalar.
const CompactDotTable& compact_dot_table();

// binary16 conversions (round to nearest even; exact decode).
std::uint16_t float_to_half(float f);
float half_to_float(std::uint16_t h);

}  // namespace rv::index_detail
