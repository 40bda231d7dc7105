// WebP files through libwebp's own decoder, at a reduced scale when the caller needs fewer pixels
// (libwebp scales while it converts from YUV: a 17 MP wallpaper asked for 374 px comes out at
// 1/8 without a full-size RGB picture ever existing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "image/ImageHeader.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

// The reduction (1, 2, 4 or 8) a decoder scaling by whole factors may use for a picture of
// `width` x `height` when the caller needs `min_side` pixels on the shorter side (0: full size):
// the largest that keeps them. The output is then ceil(width / r) x ceil(height / r).
int decode_reduction(int width, int height, int min_side);

// Decodes a still WebP (lossy or lossless, with or without alpha) of `size` bytes at `data`,
// reduced as decode_reduction() allows for opt.min_side. Alpha is composited over
// kTransparencyBackdrop. EXIF orientation is not applied (as OpenCV never did for WebP).
// Refused before any pixel is decoded: an animation, a picture of more than opt.max_pixels, a
// header that differs from `h` (the sniffed one). Errors are "<name>: <reason>". Thread-safe.
Result<DecodedImage> decode_webp(const std::uint8_t* data, std::size_t size, const std::string& name,
                                 const ImageHeader& h, const DecodeOptions& opt);

}  // namespace rv
