// bench_hierarchy's near-duplicate part: edited copies of Fashion-MNIST images (the retrieval
// bench's augmentations), embedded with the engine's default model, put in a hierarchy with their
// originals; how often the lowest group above a copy holds its original.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hierarchy/quality.h"
#include "ruvision/engine/Result.h"

namespace rvhier {

struct Copies {
    rv::FeatureMatrix x;                // one row per copy, unit
    std::vector<std::size_t> original;  // its original's row in the set the copies were made from
    std::vector<std::string> edit;      // the augmentation's name
};

// For each of the first `originals` rows of `set_rows` (t10k indices), one copy per edit
// (crop, jitter, blur, jpeg10), seeded. Errors name the file and the reason.
[[nodiscard]] rv::Result<Copies> make_copies(const std::filesystem::path& fashion_dir, const std::vector<int>& set_rows,
                                             std::size_t originals, std::uint32_t seed, int threads);

struct CopyShare {
    std::string edit;             // "all" or one edit
    double distinct_grouped = 0;  // share of the set's own (distinct) images put in a Duplicates
                                  // node with another of them: wrongly taken for copies
    std::size_t copies = 0;
    double holds_original = 0;    // share whose parent (lowest group) has the original below it
    double same_duplicates = 0;   // share in one Duplicates node with the original
    double median_cosine = 0;     // copy to original
};

// Builds `v` over the set's rows and the copies; one line per edit and one for all.
std::vector<CopyShare> copy_share(const Labelled& set, const Copies& copies, const Variant& v);

}  // namespace rvhier
