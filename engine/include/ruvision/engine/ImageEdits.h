// Seeded edits of an image, as people edit photos: crops, small rotations with black corners,
// mirroring, colour changes, greyscale, blur, a caption banner with a watermark, JPEG
// re-encoding. One implementation serves three users: the evaluation set of bench/retrieval
// (queries an outside tester would make), self-supervised tuning (augmented views of the
// library's own images, Learning.h) and the score calibration (what "the same picture" looks
// like in this library).
//
// Deterministic: the same source, edits and seed give the same pixels on every machine and
// standard library (random values come from raw mt19937 draws, never from std::*_distribution).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ruvision/engine/Image.h"

namespace rv {

enum class ImageEdit {
    Crop,     // keeps a random `crop_area` share of the pixels (aspect jittered up to 1.25x)
    Rotate,   // by `rotate_degrees` either way about the centre, corners left black (not cropped)
    Rot90,    // a quarter turn, either way
    Mirror,   // left-right
    Jitter,   // brightness, contrast, saturation (factors 0.6-1.4, 0.6-1.4, 0.5-1.5) and hue (+-0.08 turn)
    Grey,     // luminance only (still three channels)
    Blur,     // Gaussian, sigma `blur_sigma` (in pixels of a 640 px shorter side; scaled with the image)
    Caption,  // a banner of text across the top or bottom and a translucent watermark word
    Jpeg,     // re-encoded at a quality in `jpeg_quality`
};
inline constexpr int kImageEditCount = 9;
const char* image_edit_name(ImageEdit e);  // "crop", "rotate", "rot90", "mirror", "jitter", "grey", "blur", "caption", "jpeg"

struct EditRanges {
    double crop_area_min = 0.4, crop_area_max = 0.8;  // share of the pixels kept
    double rotate_min = 5, rotate_max = 15;           // degrees, either sign
    double blur_sigma_min = 1.5, blur_sigma_max = 3.0;
    int jpeg_quality_min = 20, jpeg_quality_max = 40;
};

// A random source identical on every standard library.
class EditRandom {
public:
    explicit EditRandom(std::uint64_t seed);
    EditRandom(std::uint64_t seed, std::uint64_t a, std::uint64_t b);  // a stream per (seed, a, b)
    double unit();                   // [0, 1)
    double uniform(double a, double b);
    int below(int n);                // [0, n)
    bool coin();
    std::uint32_t raw();

private:
    std::mt19937 g_;  // its raw sequence is fixed by the standard
};

// One edit of `src` (non-empty), drawing its parameters from `r`. Never fails: an edit that
// cannot apply (a crop of a 1-pixel image) returns a copy.
RgbImage apply_edit(const RgbImage& src, ImageEdit edit, EditRandom& r, const EditRanges& ranges = {});

// Several edits applied in a fixed order (crop, rotate, rot90, mirror, jitter, grey, blur,
// caption, jpeg, whatever order they are given in), as an edited copy is usually made.
RgbImage apply_edits(const RgbImage& src, const std::vector<ImageEdit>& edits, EditRandom& r,
                     const EditRanges& ranges = {});

// `count` distinct edits drawn from `from` (all of them when empty), in the fixed order.
std::vector<ImageEdit> draw_edits(EditRandom& r, int count, const std::vector<ImageEdit>& from = {});

// "crop+grey+jpeg": the names joined by '+'.
std::string edits_label(const std::vector<ImageEdit>& edits);

// `src` brought down by area averaging so that its shorter side is at most `side` (a copy when it
// already is, or when side < 1). Views made for the embedder need no more pixels than it sees, and
// edits of a full-size panorama (float colour maps, warps) take gigabytes.
RgbImage shrink_to_side(const RgbImage& src, int side);
// shrink_to_side for a picture whose shorter side is more than twice `side` (a panorama, a PNG
// decoded whole), nullopt for any other: views cut from it and resized lose nothing, and none
// copies megapixels the network never sees.
std::optional<RgbImage> shrink_if_far_larger(const RgbImage& src, int side);

}  // namespace rv
