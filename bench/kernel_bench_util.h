// Shared by the kernel benchmarks (bench_kernels, bench_kernels_int8): 64-byte aligned buffers, as
// the engine allocates tensors, and the median time of one call.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <new>
#include <utility>
#include <vector>

namespace kernel_bench {

// A 64-byte aligned buffer of n zero-initialised T: with it AVX-512 loads of a channel run that
// starts on a multiple of 64 bytes never straddle two cache lines.
template <class T>
class AlignedBuffer {
public:
    explicit AlignedBuffer(std::size_t n)
        : p_(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64 + 64))), n_(n) {
        if (!p_) throw std::bad_alloc();
        std::fill(p_, p_ + n, T{});
    }
    ~AlignedBuffer() { std::free(p_); }
    AlignedBuffer(const AlignedBuffer&) = delete;
    AlignedBuffer& operator=(const AlignedBuffer&) = delete;
    T* data() { return p_; }
    std::size_t size() const { return n_; }

private:
    T* p_;
    std::size_t n_;
};

inline double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

// Median seconds per call of `run` over `repeats` samples; each sample runs enough calls to last
// ~2 ms, after one warm-up call (caches, scratch buffers).
inline double median_seconds(const std::function<void()>& run, int repeats) {
    using clock = std::chrono::steady_clock;
    run();
    const auto t0 = clock::now();
    run();
    const double once = std::chrono::duration<double>(clock::now() - t0).count();
    const int calls = std::max(1, int(2e-3 / std::max(once, 1e-9)));
    std::vector<double> samples;
    for (int r = 0; r < repeats; ++r) {
        const auto s = clock::now();
        for (int i = 0; i < calls; ++i) run();
        samples.push_back(std::chrono::duration<double>(clock::now() - s).count() / calls);
    }
    return median(std::move(samples));
}

// Seconds per call of each of `runs` (samples[i][r]: run i in round r), sampled in turn (run 0,
// run 1, ..., run 0, ...) so that all of them see the same load on a shared machine. Each sample
// lasts ~2 ms, after one warm-up call per run.
inline std::vector<std::vector<double>> interleaved_samples(const std::vector<std::function<void()>>& runs,
                                                            int repeats) {
    using clock = std::chrono::steady_clock;
    std::vector<int> calls;
    for (const auto& run : runs) {
        run();
        const auto t0 = clock::now();
        run();
        const double once = std::chrono::duration<double>(clock::now() - t0).count();
        calls.push_back(std::max(1, int(2e-3 / std::max(once, 1e-9))));
    }
    std::vector<std::vector<double>> samples(runs.size());
    for (int r = 0; r < repeats; ++r)
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const auto s = clock::now();
            for (int c = 0; c < calls[i]; ++c) runs[i]();
            samples[i].push_back(std::chrono::duration<double>(clock::now() - s).count() / calls[i]);
        }
    return samples;
}

// The median over rounds of a[r] / b[r]: the ratio of two interleaved runs, robust to load that
// changes between rounds.
inline double median_ratio(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> r;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) r.push_back(a[i] / b[i]);
    return median(std::move(r));
}

}  // namespace kernel_bench
