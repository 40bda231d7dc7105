// Reading an image's format and pixel size from its first bytes, without decoding it
// (to refuse decompression bombs and to pick the JPEG DCT reduction before decoding).
#pragma once

#include <cstddef>
#include <cstdint>

namespace rv {

enum class ImageFormat { Unknown, Jpeg, Png, Webp, Tiff, Bmp, Gif };

struct ImageHeader {
    ImageFormat format = ImageFormat::Unknown;
    int width = 0;   // 0 when the header does not say (or this reader does not parse it)
    int height = 0;
};

ImageHeader sniff_image_header(const std::uint8_t* data, std::size_t size);
const char* format_name(ImageFormat f);

}  // namespace rv
