// The image header reader (format, size, transparency, JPEG scan offset) and the failure
// diagnosis (PNG chunk walk, libjpeg's header read) on arbitrary bytes: no read outside the
// input, no endless loop, sizes within the range the reader promises.
#include <cstdint>
#include <cstdlib>

#include "image/DecodeFailure.h"
#include "image/ImageHeader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const rv::ImageHeader h = rv::sniff_image_header(data, size);
    if (h.width < 0 || h.height < 0 || h.width > (1 << 30) || h.height > (1 << 30)) std::abort();
    if (h.jpeg_scan_offset >= size && h.jpeg_scan_offset != 0) std::abort();
    if (h.png_grey_key > 65535) std::abort();
    if (h.format != rv::ImageFormat::Unknown && rv::decode_failure_reason(h.format, data, size).empty()) std::abort();
    return 0;
}
