// bench_hierarchy's scale part: build time and peak memory on synthetic clustered unit vectors.
#pragma once

#include <cstddef>
#include <cstdint>

#include "hierarchy/quality.h"

namespace rvhier {

struct ScaleRun {
    std::size_t n = 0;
    int dim = 0;
    double seconds = 0;
    double input_mib = 0;      // the features' own size
    double peak_extra_mib = 0; // peak resident memory during the build above the resident size before it
    std::size_t nodes = 0;
    int depth = 0;
};

// n vectors of `dim` around `clusters` random centres (noise of the centre's size), seeded.
ScaleRun scale_run(std::size_t n, int dim, int clusters, std::uint64_t seed, const Variant& v);

}  // namespace rvhier
