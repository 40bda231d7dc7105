// The honest evaluation set of issue 13: the photos of every installed wallpaper package, each
// picture once, split by original into a CHOOSE half (every parameter is chosen on its queries)
// and a REPORT half (every figure we publish comes from its queries). The gallery is every
// original, as a library would hold them; queries are seeded edits (rv::ImageEdits) of an
// original: one per single edit (the per-edit table) and several with 2 or 3 combined edits
// drawn from crop, rotate, mirror, jitter, grey, blur, caption and jpeg (the ranges).
//
// Queries are generated on demand (query_image) so that the set costs the originals' memory
// only; the same seed gives the same pixels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageEdits.h"
#include "ruvision/engine/Result.h"

namespace rvbench {

enum class Half { Choose, Report };
const char* half_name(Half h);  // "CHOOSE", "REPORT"

// The edits combined queries draw from (the list: no quarter turn).
const std::vector<rv::ImageEdit>& combined_edit_pool();

struct HonestQuery {
    int original = 0;  // index into HonestSet::originals
    int slot = 0;      // 0..kImageEditCount-1: that single edit; kImageEditCount + k: combined query k
    std::vector<rv::ImageEdit> edits;
    bool single() const { return slot < rv::kImageEditCount; }
};

struct HonestSet {
    int working_side = 0;              // shorter side the originals were brought down to
    std::uint64_t seed = 0;
    std::vector<std::string> names;    // original file paths, sorted
    std::vector<rv::RgbImage> originals;
    std::vector<Half> half;            // one per original
    std::vector<HonestQuery> queries;  // original-major
    std::vector<std::string> merged;   // "KEPT <= MERGED (why)", one per picture packaged twice

    // Query q's pixels (deterministic: its own stream keyed by seed, original and slot).
    rv::RgbImage query_image(int q) const;
    int count(Half h) const;  // originals in that half
};

// Candidate files: every JPEG/PNG/WebP under `backgrounds` (recursively; SVGs skipped) and, for
// each folder F of `wallpapers`, the largest image (pixels as the name says, e.g. 5120x2880.png,
// else bytes) of F/contents/images/ and of F/contents/images_dark/. Files reached twice
// (symlinks) are listed once; sorted.
std::vector<std::filesystem::path> honest_sources(const std::filesystem::path& backgrounds,
                                                  const std::filesystem::path& wallpapers);

struct HonestParams {
    int working_side = 640;
    std::uint64_t seed = 20261130;
    int combined_per_original = 6;
    int max_originals = 0;  // 0: all (else the first N after merging, for quick runs)
    bool verbose = true;    // merged pictures and skipped files on stderr
};

// Decodes the sources (DCT-reduced, then INTER_AREA to working_side), merges pictures that are
// the same by their pixels (rv::compare_pixels; the first path kept), splits the originals into
// halves (a seeded shuffle, CHOOSE gets the first half) and lays out the queries. Files that fail
// to decode are reported and left out; no original at all is an error.
rv::Result<HonestSet> build_honest(const std::vector<std::filesystem::path>& sources, const HonestParams& params);

// Ranks of the right original for each query, given the query x original similarities
// (row-major, queries.size() x originals.size()): 1 + the originals scoring higher (ties: a lower
// index ranks first).
std::vector<int> right_ranks(const HonestSet& set, const std::vector<float>& sim);

// Recall by half: per single edit (R@1), combined queries (R@1, R@10).
struct HonestScore {
    struct Part {
        std::vector<double> single_r1;  // kImageEditCount entries
        double combined_r1 = 0, combined_r10 = 0;
        int combined_queries = 0;
    };
    Part half[2];  // indexed by Half
};
HonestScore honest_score(const HonestSet& set, const std::vector<int>& ranks);

}  // namespace rvbench
