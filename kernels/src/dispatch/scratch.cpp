// Per-thread scratch buffers (see common/scratch.h). Baseline code only.
#include "common/scratch.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace rv::kernels::detail {
namespace {

constexpr std::size_t kAlign = 64;

struct Buffer {
    float* data = nullptr;
    std::size_t capacity = 0;  // in floats
    Buffer() = default;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    ~Buffer() { std::free(data); }

    // Grows to at least `floats` (rounded up to whole cache lines); old contents are dropped.
    float* reserve(std::size_t floats) {
        if (floats <= capacity && data) return data;
        const std::size_t bytes = (floats * sizeof(float) + kAlign - 1) / kAlign * kAlign;
        void* p = std::aligned_alloc(kAlign, bytes ? bytes : kAlign);
        if (!p) throw std::bad_alloc();
        std::free(data);
        data = static_cast<float*>(p);
        capacity = bytes / sizeof(float);
        return data;
    }
};

struct ThreadScratch {
    Buffer slots[static_cast<int>(ScratchSlot::Count)];
    Buffer zero;
    std::size_t zero_valid = 0;  // floats of `zero` known to be zero
};

ThreadScratch& thread_scratch() {
    thread_local ThreadScratch s;
    return s;
}

}  // namespace

float* scratch(ScratchSlot slot, std::size_t floats) {
    return thread_scratch().slots[static_cast<int>(slot)].reserve(floats);
}

const float* zeros(std::size_t floats) {
    ThreadScratch& s = thread_scratch();
    if (floats > s.zero_valid || !s.zero.data) {
        float* p = s.zero.reserve(floats);
        std::memset(p, 0, s.zero.capacity * sizeof(float));
        s.zero_valid = s.zero.capacity;
    }
    return s.zero.data;
}

}  // namespace rv::kernels::detail
