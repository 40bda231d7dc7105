#include "image/ImageHeader.h"

#include <algorithm>
#include <cstring>

namespace rv {

namespace {

std::uint32_t be16(const std::uint8_t* p) { return (p[0] << 8) | p[1]; }
std::uint32_t be32(const std::uint8_t* p) { return (be16(p) << 16) | be16(p + 2); }
std::uint32_t le16(const std::uint8_t* p) { return p[0] | (p[1] << 8); }
std::uint32_t le24(const std::uint8_t* p) { return le16(p) | (p[2] << 16); }
std::uint32_t le32(const std::uint8_t* p) { return le16(p) | (le16(p + 2) << 16); }

bool is_sof(std::uint8_t m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

// Walks the markers as libjpeg's next_marker() does: bytes other than 0xFF before a marker are
// skipped (libjpeg warns "extraneous bytes" and goes on), 0xFF fill bytes are skipped, FF 00 is
// not a marker, a length below 2 skips nothing. The first SOFn gives the frame size (libjpeg
// refuses a second one); an embedded thumbnail sits inside an APPn segment, skipped whole.
void jpeg_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    std::size_t i = 2;
    bool have_frame = false;
    for (;;) {
        while (i < n && d[i] != 0xFF) ++i;
        while (i < n && d[i] == 0xFF) ++i;
        if (i >= n) return;
        const std::uint8_t m = d[i++];
        if (m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) continue;
        if (m == 0xD9) return;  // end of image before any scan
        if (m == 0xDA) {        // start of scan: the header ends here
            h.jpeg_scan_offset = i - 2;
            return;
        }
        if (i + 2 > n) return;
        const std::size_t len = be16(d + i);
        if (is_sof(m) && !have_frame && i + 7 <= n) {
            have_frame = true;
            h.height = static_cast<int>(be16(d + i + 3));
            h.width = static_cast<int>(be16(d + i + 5));
        }
        i += std::max<std::size_t>(len, 2);
    }
}

// PNG transparency: a colour type with alpha, or a tRNS chunk before the image data. Unsure
// (the bytes end before IDAT) counts as transparent.
void png_transparency(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    h.may_have_alpha = true;
    if (n < 26 || d[25] == 4 || d[25] == 6) return;  // grey + alpha, RGBA
    const unsigned depth = d[24], colour_type = d[25];
    std::size_t i = 8;
    while (i + 8 <= n) {
        const std::uint32_t len = be32(d + i);
        if (std::memcmp(d + i + 4, "tRNS", 4) == 0) {
            if (colour_type == 0 && len >= 2 && i + 10 <= n && depth >= 1 && depth <= 16) {
                const unsigned key = be16(d + i + 8) & ((1u << depth) - 1);
                h.png_grey_key = depth < 8 ? static_cast<int>(key * 255 / ((1u << depth) - 1)) : static_cast<int>(key);
            }
            return;
        }
        if (std::memcmp(d + i + 4, "IDAT", 4) == 0) {
            h.may_have_alpha = false;
            return;
        }
        if (len > n) return;
        i += 12 + static_cast<std::size_t>(len);
    }
}

void webp_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    if (n < 30) return;
    if (std::memcmp(d + 12, "VP8 ", 4) == 0) {  // lossy, no alpha chunk possible without VP8X
        h.width = le16(d + 26) & 0x3fff;
        h.height = le16(d + 28) & 0x3fff;
    } else if (std::memcmp(d + 12, "VP8L", 4) == 0) {
        const std::uint32_t b = le32(d + 21);
        h.width = static_cast<int>((b & 0x3fff) + 1);
        h.height = static_cast<int>(((b >> 14) & 0x3fff) + 1);
        h.may_have_alpha = ((b >> 28) & 1) != 0;
    } else if (std::memcmp(d + 12, "VP8X", 4) == 0) {
        h.width = static_cast<int>(le24(d + 24) + 1);
        h.height = static_cast<int>(le24(d + 27) + 1);
        h.may_have_alpha = (d[20] & 0x10) != 0;
    }
}

// First IFD's ImageWidth (256) / ImageLength (257) as BYTE, SHORT or LONG (another type: unknown,
// 0), the first of duplicated tags as libtiff keeps; SamplesPerPixel (277) and ExtraSamples (338)
// tell whether there may be an alpha channel.
void tiff_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    const bool le = d[0] == 'I';
    auto u16 = [&](std::size_t at) { return le ? le16(d + at) : be16(d + at); };
    auto u32 = [&](std::size_t at) { return le ? le32(d + at) : be32(d + at); };
    if (n < 8) return;
    const std::size_t ifd = u32(4);
    if (ifd > n || n - ifd < 2) return;
    const std::size_t count = u16(ifd);
    bool seen_width = false, seen_height = false;
    for (std::size_t e = 0; e < count && ifd + 2 + 12 * (e + 1) <= n; ++e) {
        const std::size_t at = ifd + 2 + 12 * e;
        const std::uint32_t tag = u16(at), type = u16(at + 2);
        std::uint32_t v = 0;
        bool known = true;
        if (type == 1) v = d[at + 8];
        else if (type == 3) v = u16(at + 8);
        else if (type == 4) v = u32(at + 8);
        else known = false;
        const int value = known ? static_cast<int>(std::min<std::uint32_t>(v, 1u << 30)) : 0;
        if (tag == 256 && !seen_width) {
            seen_width = true;
            h.width = value;
        } else if (tag == 257 && !seen_height) {
            seen_height = true;
            h.height = value;
        } else if (tag == 50706) {  // DNGVersion: a DNG, which libraw reads, not libtiff
            h.format = ImageFormat::Raw;
        } else if ((tag == 277 && (!known || v == 2 || v >= 4)) || tag == 338) {
            h.may_have_alpha = true;
        }
    }
}

// BITMAPCOREHEADER (OS/2, 12 bytes) stores 16-bit sizes; the later headers 32-bit ones, a
// negative height meaning top-down rows.
void bmp_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    const std::uint32_t header_size = le32(d + 14);
    if (header_size == 12) {
        h.width = static_cast<int>(le16(d + 18));
        h.height = static_cast<int>(le16(d + 20));
        return;
    }
    const std::int64_t w = static_cast<std::int32_t>(le32(d + 18));
    const std::int64_t ht = static_cast<std::int32_t>(le32(d + 22));
    h.width = w < 0 ? 0 : static_cast<int>(std::min<std::int64_t>(w, 1 << 30));
    h.height = static_cast<int>(std::min<std::int64_t>(ht < 0 ? -ht : ht, 1 << 30));
    h.may_have_alpha = n >= 30 && le16(d + 28) == 32;
}

bool brand_is(const std::uint8_t* b, const char* name) { return std::memcmp(b, name, 4) == 0; }

// ISO BMFF 'ftyp' box: the major brand, then the compatible brands up to the box's end. Only the
// format is read here; the sizes of HEIF and AVIF images come from libheif's parse of the boxes.
void bmff_format(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    const std::size_t box = std::min<std::size_t>(n, std::max<std::uint32_t>(be32(d), 16));
    bool avif = false, heif = false;
    for (std::size_t at = 8; at + 4 <= box; at += at == 8 ? 8 : 4) {  // skips minor_version
        const std::uint8_t* b = d + at;
        if (brand_is(b, "crx ")) {
            h.format = ImageFormat::Raw;  // Canon CR3
            return;
        }
        if (brand_is(b, "avif") || brand_is(b, "avis")) avif = true;
        if (brand_is(b, "heic") || brand_is(b, "heix") || brand_is(b, "heim") || brand_is(b, "heis") ||
            brand_is(b, "hevc") || brand_is(b, "hevx") || brand_is(b, "mif1") || brand_is(b, "msf1"))
            heif = true;
    }
    // An AVIF lists mif1 as well; the major brand decides when both appear.
    if (avif && (!heif || brand_is(d + 8, "avif") || brand_is(d + 8, "avis"))) h.format = ImageFormat::Avif;
    else if (heif) h.format = ImageFormat::Heif;
    h.may_have_alpha = h.format == ImageFormat::Heif || h.format == ImageFormat::Avif;
}

}  // namespace

const char* format_name(ImageFormat f) {
    switch (f) {
        case ImageFormat::Jpeg: return "JPEG";
        case ImageFormat::Png: return "PNG";
        case ImageFormat::Webp: return "WebP";
        case ImageFormat::Tiff: return "TIFF";
        case ImageFormat::Bmp: return "BMP";
        case ImageFormat::Gif: return "GIF";
        case ImageFormat::Heif: return "HEIF";
        case ImageFormat::Avif: return "AVIF";
        case ImageFormat::Raw: return "camera RAW";
        default: return "unknown";
    }
}

ImageHeader sniff_image_header(const std::uint8_t* d, std::size_t n) {
    ImageHeader h;
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        h.format = ImageFormat::Jpeg;
        jpeg_size(d, n, h);
    } else if (n >= 24 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        h.format = ImageFormat::Png;
        if (std::memcmp(d + 12, "IHDR", 4) == 0) {
            h.width = static_cast<int>(std::min<std::uint32_t>(be32(d + 16), 1u << 30));
            h.height = static_cast<int>(std::min<std::uint32_t>(be32(d + 20), 1u << 30));
            if (n >= 25) h.png_bit_depth = d[24];
            png_transparency(d, n, h);
        }
    } else if (n >= 16 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
        h.format = ImageFormat::Webp;
        webp_size(d, n, h);
    } else if (n >= 4 && (std::memcmp(d, "II*\0", 4) == 0 || std::memcmp(d, "MM\0*", 4) == 0)) {
        h.format = ImageFormat::Tiff;
        tiff_size(d, n, h);
        if (n >= 10 && d[8] == 'C' && d[9] == 'R') h.format = ImageFormat::Raw;  // Canon CR2
        if (h.format == ImageFormat::Raw) h.width = h.height = 0;  // IFD0 is not the preview
    } else if (n >= 4 && (std::memcmp(d, "IIRO", 4) == 0 || std::memcmp(d, "IIRS", 4) == 0 ||
                          std::memcmp(d, "MMOR", 4) == 0 || std::memcmp(d, "IIU\0", 4) == 0)) {
        h.format = ImageFormat::Raw;  // Olympus ORF, Panasonic RW2
    } else if (n >= 15 && std::memcmp(d, "FUJIFILMCCD-RAW", 15) == 0) {
        h.format = ImageFormat::Raw;
    } else if (n >= 16 && std::memcmp(d + 4, "ftyp", 4) == 0) {
        bmff_format(d, n, h);
    } else if (n >= 26 && d[0] == 'B' && d[1] == 'M') {
        h.format = ImageFormat::Bmp;
        bmp_size(d, n, h);
    } else if (n >= 10 && (std::memcmp(d, "GIF87a", 6) == 0 || std::memcmp(d, "GIF89a", 6) == 0)) {
        h.format = ImageFormat::Gif;
        h.width = static_cast<int>(le16(d + 6));
        h.height = static_cast<int>(le16(d + 8));
    }
    return h;
}

}  // namespace rv
