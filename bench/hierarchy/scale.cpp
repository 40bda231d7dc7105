// bench_hierarchy's scale part (scale.h). Peak memory: Linux's VmHWM after resetting it through
// /proc/self/clear_refs ("5"), against VmRSS before the build.
#include "hierarchy/scale.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <string>

#include "learning/Random.h"

namespace rvhier {

namespace {

double status_mib(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::string(key).size())) / 1024.0;
    return -1;
}

}  // namespace

ScaleRun scale_run(std::size_t n, int dim, int clusters, std::uint64_t seed, const Variant& v) {
    ScaleRun r;
    r.n = n;
    r.dim = dim;
    const auto d = static_cast<std::size_t>(dim);
    rv::learning::SplitMix64 rng(seed);
    std::vector<float> centres(static_cast<std::size_t>(clusters) * d);
    for (float& c : centres) c = static_cast<float>(rng.normal());
    std::vector<float> x(n * d);
    for (std::size_t i = 0; i < n; ++i) {
        const float* c = centres.data() + rng.below(static_cast<std::size_t>(clusters)) * d;
        double n2 = 0;
        for (std::size_t k = 0; k < d; ++k) {
            const float v2 = c[k] + static_cast<float>(rng.normal());
            x[i * d + k] = v2;
            n2 += double(v2) * v2;
        }
        const double len = std::sqrt(n2);
        for (std::size_t k = 0; k < d; ++k) x[i * d + k] = static_cast<float>(x[i * d + k] / len);
    }
    std::vector<std::int64_t> ids(n);
    std::iota(ids.begin(), ids.end(), 1);
    r.input_mib = double(x.size() * sizeof(float)) / (1024.0 * 1024.0);
    { std::ofstream("/proc/self/clear_refs") << "5"; }
    const double before = status_mib("VmRSS:");
    std::atomic<bool> cancel{false};
    const auto t0 = std::chrono::steady_clock::now();
    auto h = rv::hierarchy_build::build_with(x, ids, dim, v.params, v.options, cancel);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.peak_extra_mib = status_mib("VmHWM:") - before;
    if (h) {
        r.nodes = h->nodes.size();
        for (const auto& node : h->nodes) r.depth = std::max(r.depth, node.depth);
    }
    return r;
}

}  // namespace rvhier
