// RGB8 image -> the float input tensor a model wants (NHWC, H x W x 3, RGB).
#pragma once

#include <vector>

#include "model/ModelFile.h"
#include "ruvision/engine/Image.h"

namespace rv {

// The tensor size for an image: "stretch" gives the native size, or side x side for models that
// run at any size; "shorter_side" keeps the aspect ratio with the shorter side = side (the
// longer side capped at 2 x side).
void input_size(const Preprocess& p, int side, int image_w, int image_h, int* out_w, int* out_h);

// Resizes and scales `image` into `out` (out_h x out_w x 3 floats, value = pixel * scale +
// offset). Downscaling averages the source area (anti-aliased); upscaling and same-size use
// TF's bilinear with align_corners=true, the interpolation nsfwjs feeds its model with.
void preprocess_image(const RgbImage& image, const Preprocess& p, int out_w, int out_h, bool mirror,
                      std::vector<float>& out);

// TF.js tf.image.resizeBilinear(..., alignCorners=true) on RGB8, exactly (float arithmetic).
void resize_bilinear_align_corners(const RgbImage& image, int out_w, int out_h, float scale, float offset,
                                   float* out);

// pixel * scale + offset for every sample (height x width x 3 floats): what
// resize_bilinear_align_corners computes, bit for bit, when the size does not change (every source
// coordinate is a whole pixel, every interpolation weight 0), without the interpolation.
void scale_to_float(const RgbImage& image, float scale, float offset, float* out);

}  // namespace rv
