// A decoded OpenCV image of any depth and channel count -> RGB8, transparency composited over
// kTransparencyBackdrop (the one place alpha is resolved for the network's input).
#pragma once

#include <opencv2/core.hpp>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

// `decoded` is what cv::imdecode(..., IMREAD_UNCHANGED) gives: 1 (grey), 2 (grey, alpha),
// 3 (BGR) or 4 (BGRA) channels of 8-bit, 16-bit or float samples (float: 0-1). `grey_key` >= 0:
// the grey level (in the decoded samples) that is transparent in a 1-channel image (PNG tRNS).
// Replaces `out`. Fails (the reason, without the file name) on another channel count or depth.
[[nodiscard]] Status flatten_to_rgb(const cv::Mat& decoded, RgbImage& out, int grey_key = -1);

// `pixels` packed 8-bit BGRA pixels at `p` -> packed RGB at the same address (the first 3/4 of
// the bytes), composited over the backdrop.
void flatten_bgra_in_place(std::uint8_t* p, std::size_t pixels);

// One sample of colour `c` with coverage `alpha` (both 0-255) over the backdrop, rounded.
inline std::uint8_t over_backdrop(unsigned c, unsigned alpha) {
    return static_cast<std::uint8_t>((c * alpha + kTransparencyBackdrop * (255u - alpha) + 127u) / 255u);
}

}  // namespace rv
