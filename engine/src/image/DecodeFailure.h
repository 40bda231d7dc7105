// Why a file whose header was accepted could not be decoded, in words for the user
// ("damaged PNG (IHDR chunk checksum mismatch)", "unsupported BMP (7 bits per pixel)"). Looked for
// only after the decoder failed, so it costs nothing on good files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "image/ImageHeader.h"

namespace rv {

// Never empty: the most specific reason found, else "damaged <format> (...)".
std::string decode_failure_reason(ImageFormat format, const std::uint8_t* data, std::size_t size);

// libjpeg's own complaint about a JPEG's markers (what jpeg_read_header reports: "Bogus Huffman
// table definition", "Empty JPEG image (DNL not supported)"); empty if its header reads fine.
std::string jpeg_header_error(const std::uint8_t* data, std::size_t size);

}  // namespace rv
