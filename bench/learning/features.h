// bench_learning's data: every Fashion-MNIST test image embedded once with the engine's default
// model, cached in a file so reruns take seconds.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"
#include "ruvision/engine/Result.h"

namespace rvlearn {

// Row i is t10k image i (test-set order), a unit float vector; labels[i] in 0..9.
struct Pool {
    rv::FeatureMatrix features;
    std::vector<int> labels;
    std::string model;       // model name and descriptor, e.g. "mobilenet_v2 gem3:last"
    bool from_cache = false;  // true: read from the cache file, no image was embedded
    double embed_seconds = 0;
};

// The cache file's key: model name, descriptor, a hash of the model file's bytes, and a hash of
// the image set (count, labels, pixels). A cache whose key differs is not used (and is rewritten).
// `cache` empty: <directory of this executable>/../bench-cache/learning-features.bin (the build tree).
// Embeds with `threads` Embedder clones. Errors name the file and the reason.
[[nodiscard]] rv::Result<Pool> load_pool(const std::filesystem::path& fashion_dir, std::filesystem::path cache,
                                         int threads);

}  // namespace rvlearn
