#include "fashion_mnist.h"

#include <zlib.h>

#include <cstdint>
#include <string>
#include <utility>

namespace rvdata {

namespace fs = std::filesystem;

namespace {

rv::Result<std::vector<std::uint8_t>> read_gz(const fs::path& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return rv::Error{path.string() + ": cannot open (install the Debian package dataset-fashion-mnist)"};
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const int got = gzread(f, chunk.data(), static_cast<unsigned>(chunk.size()));
        if (got < 0) {
            int err = 0;
            std::string msg = gzerror(f, &err);
            gzclose(f);
            return rv::Error{path.string() + ": " + msg};
        }
        if (got == 0) break;
        out.insert(out.end(), chunk.begin(), chunk.begin() + got);
    }
    gzclose(f);
    return out;
}

std::uint32_t be32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           std::uint32_t{b[at + 3]};
}

}  // namespace

rv::Result<FashionSet> load_fashion(const fs::path& dir, int per_class, int skip) {
    const auto images_path = dir / "t10k-images-idx3-ubyte.gz";
    const auto labels_path = dir / "t10k-labels-idx1-ubyte.gz";
    auto img = read_gz(images_path);
    if (!img) return img.error();
    auto lab = read_gz(labels_path);
    if (!lab) return lab.error();
    if (img->size() < 16 || be32(*img, 0) != 0x803) return rv::Error{images_path.string() + ": not an IDX3 ubyte file"};
    if (lab->size() < 8 || be32(*lab, 0) != 0x801) return rv::Error{labels_path.string() + ": not an IDX1 ubyte file"};
    const std::uint32_t n = be32(*img, 4), rows = be32(*img, 8), cols = be32(*img, 12);
    if (be32(*lab, 4) != n || img->size() != 16 + std::size_t{n} * rows * cols || lab->size() != 8 + std::size_t{n})
        return rv::Error{dir.string() + ": image and label files disagree or are truncated"};

    FashionSet set;
    for (int cls = 0; cls < 10; ++cls) {
        int taken = 0, skipped = 0;
        for (std::uint32_t i = 0; i < n && taken < per_class; ++i) {
            if ((*lab)[8 + i] != cls) continue;
            if (skipped < skip) {
                ++skipped;
                continue;
            }
            rv::RgbImage im;
            im.width = static_cast<int>(cols);
            im.height = static_cast<int>(rows);
            im.data.resize(std::size_t{rows} * cols * 3);
            const std::uint8_t* src = img->data() + 16 + std::size_t{i} * rows * cols;
            for (std::size_t p = 0; p < std::size_t{rows} * cols; ++p)
                im.data[3 * p] = im.data[3 * p + 1] = im.data[3 * p + 2] = src[p];
            set.images.push_back(std::move(im));
            set.labels.push_back(cls);
            set.test_index.push_back(static_cast<int>(i));
            ++taken;
        }
        if (taken < per_class) return rv::Error{"Fashion-MNIST: class " + std::to_string(cls) + " has too few images"};
    }
    return set;
}

}  // namespace rvdata
