// Is this the same picture? A check on pixels, not on descriptors: the two decoded images are
// reduced to small aligned grids and compared, so a copy that was resized, re-encoded, turned by
// 90 degrees or mirrored passes, and a different picture does not, even when a CNN descriptor
// finds them alike (flat tiles, icons, transparent images, light/dark variants of one design).
// Nothing is ever offered for the trash as "the same picture" unless this says so.
//
// The comparison, on a signature of each image (pixel_signature):
//   - structure: the image reduced to kSigSide x kSigSide grey (area average), high-passed (minus
//     its Gaussian blur), correlated (Pearson) with the other's under the 8 orientations of the
//     square (4 turns, each mirrored or not) and shifts of up to one cell (~1.5 % of a side);
//   - colour: the mean absolute RGB difference of kColourSide x kColourSide reductions, in the
//     best orientation;
//   - shape: the aspect ratios (the second turned if the orientation turns it) agree.
// A picture is too poor to tell by pixels when it is tiny (shorter side below min_side) or flat
// (too little grey variation or fine structure at the grid's scale); then the answer is
// cannot_tell, never same. Thresholds were chosen with bench/bench_pixel_verify on one seeded half
// of its pictures and reported on the other.
//
// Threads: all functions are reentrant; a signature is a value and may be shared read-only.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

inline constexpr int kSigSide = 64;     // structure grid, cells per side
inline constexpr int kColourSide = 16;  // colour grid, cells per side

struct PixelVerifyParams {
    int min_side = 128;               // tiny below this many pixels on the shorter side (as stored)
    float flat_grey_std = 2.0f;       // flat: grey standard deviation on the grid below this (levels 0..255)
    float flat_detail_std = 0.6f;     // flat: high-pass standard deviation below this (levels)
    float min_structure = 0.97f;      // same: high-pass correlation at the best alignment at least this
    float max_colour_diff = 2.3f;     // same: mean |RGB difference| at most this (levels)
    float max_aspect_diff = 0.03f;    // same: |ln(aspect a) - ln(aspect b)| at most this
    bool allow_shift = true;          // try shifts of one cell
};

// What a picture is compared by. Units: grey levels 0..255.
struct PixelSignature {
    int width = 0, height = 0;  // of the decoded image (orientation applied; may be DCT-reduced)
    int stored_min_side = 0;    // shorter side as stored in the file, before any reduction
    float grey_std = 0;         // standard deviation of the grey grid
    float detail_std = 0;       // standard deviation of the high-passed grid
    std::vector<float> detail;  // kSigSide^2, row-major, zero mean
    std::vector<float> colour;  // kColourSide^2 x RGB, row-major, interleaved
};

enum class PixelMatch {
    same,         // the same picture (possibly resized, re-encoded, turned, mirrored)
    different,    // the pixels say these are different pictures
    cannot_tell,  // tiny, flat or undecodable: pixels cannot vouch for a copy
};

struct PixelVerdict {
    PixelMatch match = PixelMatch::cannot_tell;
    float structure = 0;     // high-pass correlation at the best alignment, -1..1 (0 if not compared)
    float colour_diff = -1;  // mean |RGB difference| in that alignment, levels (-1 if not compared)
    int orientation = 0;     // applied to b: turns by 90 degrees clockwise (0-3) + 4 if mirrored
    std::string reason;      // one line a person can read, e.g. "different colours (mean difference 23.1)"
    bool same() const { return match == PixelMatch::same; }
};

// The signature of decoded pixels; stored_min_side is the file's shorter side before reduction.
// An empty image gives a signature that is tiny.
PixelSignature pixel_signature(const RgbImage& image, int stored_min_side);
// Decodes the file (DCT-reduced where possible, to no less than 2 x kSigSide on the shorter side)
// and returns its signature; errors name the file and the reason.
[[nodiscard]] Result<PixelSignature> pixel_signature(const std::filesystem::path& file);

// Why a signature alone cannot vouch for a copy ("" if it can): tiny or flat.
std::string pixel_weakness(const PixelSignature& s, const PixelVerifyParams& params = {});

// Compares two signatures (symmetric up to the reported orientation).
[[nodiscard]] PixelVerdict compare_pixels(const PixelSignature& a, const PixelSignature& b,
                                          const PixelVerifyParams& params = {});

// Decodes both files and compares them. A file that cannot be decoded gives cannot_tell, the
// reason naming the file and the decoder's error.
[[nodiscard]] PixelVerdict verify_same_picture(const std::filesystem::path& a, const std::filesystem::path& b,
                                               const PixelVerifyParams& params = {});

}  // namespace rv
