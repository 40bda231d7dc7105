// Reading an image's format and pixel size from its first bytes, without decoding it
// (to refuse decompression bombs and to pick the JPEG DCT reduction before decoding).
// Reads any bytes safely (no read outside [data, data + size)); the sizes found are those the
// decoders will see (JPEG: the first SOFn reached the way libjpeg walks markers, skipping stray
// and fill bytes; TIFF: the first of duplicated tags, as libtiff).
#pragma once

#include <cstddef>
#include <cstdint>

namespace rv {

// Heif: an ISO BMFF file of HEIF brands (HEVC-coded HEIC and the generic mif1); Avif: of AVIF
// brands; Raw: a camera RAW recognised by content (CR2, CR3, RAF, ORF, RW2, DNG). Other TIFF-based
// RAWs (NEF, ARW, PEF, SRW...) read as Tiff: only their extension tells them apart.
enum class ImageFormat { Unknown, Jpeg, Png, Webp, Tiff, Bmp, Gif, Heif, Avif, Raw };

struct ImageHeader {
    ImageFormat format = ImageFormat::Unknown;
    int width = 0;   // 0 when the header does not say (or this reader does not parse it)
    int height = 0;
    // JPEG only: offset of the first start-of-scan (SOS) marker, where the entropy-coded data of
    // the main image begins; 0 when the bytes given end before it. Anything before it (EXIF and
    // other APPn segments, which may hold whole embedded JPEGs) is metadata.
    std::size_t jpeg_scan_offset = 0;
    // The file may carry transparency (PNG alpha or tRNS, WebP alpha, TIFF extra samples, 32-bit
    // BMP): its pixels must be decoded with their alpha and composited. True when unsure.
    bool may_have_alpha = false;
    // PNG grey images only: the grey level its tRNS chunk makes transparent, in the samples the
    // decoder returns (bit depths below 8 scaled to 8 bits, as libpng expands them); -1 if none.
    int png_grey_key = -1;
    // PNG only: bits per sample (1, 2, 4, 8 or 16); 0 when unknown.
    int png_bit_depth = 0;
};

ImageHeader sniff_image_header(const std::uint8_t* data, std::size_t size);
const char* format_name(ImageFormat f);

}  // namespace rv
