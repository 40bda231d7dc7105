// The benches' image sets: Fashion-MNIST (class retrieval, retrieval_quality and the learning
// benches; read by the loader the tests share, tests/support/fashion_mnist.h) and the older
// near-duplicate set of bench_duplicates and bench_hierarchy (10 augmentations of MATE's nature
// backgrounds and one image per Plasma wallpaper), made with the engine's edits (ImageEdits.h).
// retrieval_quality's near-duplicate figures come from the honest set (honest_set.h) instead.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fashion_mnist.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rvbench {

using rvdata::FashionSet;
using rvdata::load_fashion;

// The augmentations, in table order. Each is applied once to every original, as rv::apply_edit
// with the old set's ranges: crop keeps 50-80 %, rotate 10-15 degrees (black corners), blur
// sigma 2-3 px, overlay = the caption edit, JPEG quality 10, combined = crop + mirror + jitter +
// JPEG 30.
enum class Aug { Crop, Rot90, Rotate, HFlip, Jitter, Grey, Blur, Overlay, Jpeg10, Combined };
inline constexpr int kAugCount = 10;
const char* aug_name(Aug a);  // short column name, e.g. "crop"

struct NearDupSet {
    int working_side = 0;                 // shorter side the originals were brought to
    std::vector<std::string> names;       // original file paths, sorted
    std::vector<rv::RgbImage> originals;  // at the working size
    // Queries are ordered original-major: query q = original q / kAugCount, Aug q % kAugCount.
    std::vector<rv::RgbImage> queries;
    int query_original(int q) const { return q / kAugCount; }
    Aug query_aug(int q) const { return static_cast<Aug>(q % kAugCount); }
};

// The originals: every JPEG/PNG in `mate_dir`, plus for each folder F in `wallpaper_dir` the
// largest (in bytes) JPEG/PNG file of F/contents/images/ that is not a symlink (SVGs are
// skipped); paths sorted, files reached twice through symlinks kept once.
std::vector<std::filesystem::path> neardup_sources(const std::filesystem::path& mate_dir,
                                                   const std::filesystem::path& wallpaper_dir);

// Decodes each source once (DCT-reduced where possible), brings its shorter side down to
// `working_side` (INTER_AREA; smaller images are kept as they are) and generates the queries.
// Deterministic for a given seed: each (original, augmentation) pair draws from its own
// generator, seeded from (seed, original index, augmentation index). Files that fail to decode
// are reported on stderr and left out.
NearDupSet build_neardup(const std::vector<std::filesystem::path>& sources, int working_side,
                         std::uint32_t seed);

// One augmentation of `src` (exposed for inspection / dumping examples).
rv::RgbImage augment(const rv::RgbImage& src, Aug aug, std::uint32_t seed, int original_index);

}  // namespace rvbench
