// Fashion-MNIST's test set (Debian's dataset-fashion-mnist: /usr/share/datasets/fashion-mnist), read
// for the tests and the benches alike (target ruvision_datasets): 28 x 28 product shots of 10
// classes, the look-alike pictures of class retrieval and of the look-alike score tests.
#pragma once

#include <filesystem>
#include <vector>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rvdata {

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Fashion-MNIST test images, `per_class` per class, taken in test-set order (the first
// `per_class` images of each label after its first `skip`), grey replicated to RGB, 28 x 28.
struct FashionSet {
    std::vector<rv::RgbImage> images;
    std::vector<int> labels;      // 0..9, one per image
    std::vector<int> test_index;  // position of the image in the t10k file
};

// Reads dir/t10k-images-idx3-ubyte.gz and dir/t10k-labels-idx1-ubyte.gz (IDX, gzip). Images are
// ordered by class, then by test index. A file missing, damaged or too short is an Error naming it.
rv::Result<FashionSet> load_fashion(const std::filesystem::path& dir, int per_class, int skip = 0);

}  // namespace rvdata
