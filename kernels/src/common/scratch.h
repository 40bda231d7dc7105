// Per-thread scratch memory for kernels that need a workspace (packed GEMM panels, im2col rows,
// a zero row for padded depthwise borders). Compiled for the baseline ISA only, so that no heap or
// std::vector code is instantiated inside the per-ISA sources (their inline/template copies could
// otherwise be picked by the linker for baseline callers).
#pragma once

#include <cstddef>

namespace rv::kernels::detail {

// Int8A: the int8 GEMM's packed rows of A (int32 words, see int8/gemm_u8s8_x86.h); Int8W: the int8
// depthwise weights paired per two taps (see int8/depthwise_u8s8_x86.h).
enum class ScratchSlot { PackedB, Im2col, Int8A, Int8W, Count };

// A 64-byte aligned buffer of at least `floats` floats, owned by the calling thread and reused by
// later calls with the same slot (it only grows). Contents are unspecified. Slots are independent,
// so one kernel may hold several at once. Throws std::bad_alloc if the allocation fails.
float* scratch(ScratchSlot slot, std::size_t floats);

// A 64-byte aligned, read-only buffer of at least `floats` zeros, owned by the calling thread.
const float* zeros(std::size_t floats);

}  // namespace rv::kernels::detail
