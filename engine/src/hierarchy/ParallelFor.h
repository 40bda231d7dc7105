// A small parallel loop for the hierarchy code: body(i) for i in [0, count) on up to `threads`
// std::threads (the caller's thread is one of them), indices handed out one at a time in
// increasing order. The body must not throw and must only write state of its own index; the
// result is then the same for any number of threads. Returns when every index has run.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace rv::cluster {

template <class Body>
void parallel_for(std::size_t count, int threads, Body&& body) {
    const std::size_t workers = std::min<std::size_t>(count, static_cast<std::size_t>(std::max(1, threads)));
    if (workers <= 1) {
        for (std::size_t i = 0; i < count; ++i) body(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    auto run = [&] {
        for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) body(i);
    };
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(run);
    run();
    for (auto& t : pool) t.join();
}

}  // namespace rv::cluster
