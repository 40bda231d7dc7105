// Decoding image files into RGB8 pixels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

// Transparent pixels are shown and embedded composited over this neutral grey (0-255, the same
// value in R, G and B): what the network sees is what the window shows. Never flat white or black,
// which would make every mostly transparent picture the same blank page.
inline constexpr std::uint8_t kTransparencyBackdrop = 128;

// 8-bit RGB, row-major, tightly packed: pixel (x, y) channel c is data[(y * width + x) * 3 + c].
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> data;
};

struct DecodeOptions {
    // The caller needs at least this many pixels on the shorter side. The decoder may use
    // DCT-reduced JPEG decoding (1/2, 1/4, 1/8) as long as the result keeps this many; 0 means
    // full size.
    int min_side = 0;
    // Files whose header announces more pixels than this are refused (decompression bombs).
    std::int64_t max_pixels = 100'000'000;
    // libheif and libraw run in a child process (bugs in the versions Debian ships crash or hang
    // them on some damaged files): a child still reading after this many seconds is stopped and
    // the file is in error.
    int reader_seconds = 30;
};

// What was decoded, beyond the pixels.
struct DecodedImage {
    RgbImage image;          // EXIF orientation applied
    int original_width = 0;  // as stored in the file, before reduction and orientation
    int original_height = 0;
    int reduction = 1;       // 1, 2, 4 or 8
};

// Decodes JPEG, PNG, WebP, TIFF and BMP files, honours EXIF orientation; transparency is
// composited over kTransparencyBackdrop. Every failure is an error naming the file and the reason
// (missing, empty, not an image, unsupported format such as GIF, damaged, truncated, too large,
// also when the decoder finds a larger image than the header announced): never a blank picture.
Result<DecodedImage> decode_image(const std::filesystem::path& path, const DecodeOptions& options = {});

// Decodes an in-memory encoded image (same rules); `name` is used in error messages.
Result<DecodedImage> decode_image_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                        const DecodeOptions& options = {});

}  // namespace rv
