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

void jpeg_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    std::size_t i = 2;
    while (i + 4 <= n) {
        if (d[i] != 0xFF) return;
        const std::uint8_t m = d[i + 1];
        if (m == 0xFF) { ++i; continue; }
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) { i += 2; continue; }
        if (m == 0xDA) {  // start of scan: the header ends here
            h.jpeg_scan_offset = i;
            return;
        }
        const std::size_t len = be16(d + i + 2);
        // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size (the first one:
        // the main image's; embedded thumbnails sit inside APPn segments and are skipped whole).
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC && h.width == 0 && i + 9 <= n) {
            h.height = static_cast<int>(be16(d + i + 5));
            h.width = static_cast<int>(be16(d + i + 7));
        }
        i += 2 + len;
    }
}

void webp_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    if (n < 30) return;
    if (std::memcmp(d + 12, "VP8 ", 4) == 0) {
        h.width = le16(d + 26) & 0x3fff;
        h.height = le16(d + 28) & 0x3fff;
    } else if (std::memcmp(d + 12, "VP8L", 4) == 0) {
        const std::uint32_t b = le32(d + 21);
        h.width = static_cast<int>((b & 0x3fff) + 1);
        h.height = static_cast<int>(((b >> 14) & 0x3fff) + 1);
    } else if (std::memcmp(d + 12, "VP8X", 4) == 0) {
        h.width = static_cast<int>(le24(d + 24) + 1);
        h.height = static_cast<int>(le24(d + 27) + 1);
    }
}

// First IFD's ImageWidth (256) / ImageLength (257), SHORT or LONG.
void tiff_size(const std::uint8_t* d, std::size_t n, ImageHeader& h) {
    const bool le = d[0] == 'I';
    auto u16 = [&](std::size_t at) { return le ? le16(d + at) : be16(d + at); };
    auto u32 = [&](std::size_t at) { return le ? le32(d + at) : be32(d + at); };
    if (n < 8) return;
    const std::size_t ifd = u32(4);
    if (ifd + 2 > n) return;
    const std::size_t count = u16(ifd);
    for (std::size_t e = 0; e < count && ifd + 2 + 12 * (e + 1) <= n; ++e) {
        const std::size_t at = ifd + 2 + 12 * e;
        const std::uint32_t tag = u16(at), type = u16(at + 2);
        const std::uint32_t v = type == 3 ? u16(at + 8) : u32(at + 8);
        const int value = static_cast<int>(std::min<std::uint32_t>(v, 1u << 30));
        if (tag == 256) h.width = value;
        if (tag == 257) h.height = value;
    }
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
        }
    } else if (n >= 16 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
        h.format = ImageFormat::Webp;
        webp_size(d, n, h);
    } else if (n >= 4 && (std::memcmp(d, "II*\0", 4) == 0 || std::memcmp(d, "MM\0*", 4) == 0)) {
        h.format = ImageFormat::Tiff;
        tiff_size(d, n, h);
    } else if (n >= 26 && d[0] == 'B' && d[1] == 'M') {
        h.format = ImageFormat::Bmp;
        const std::int32_t w = static_cast<std::int32_t>(le32(d + 18));
        const std::int32_t ht = static_cast<std::int32_t>(le32(d + 22));
        h.width = w < 0 ? 0 : std::min(w, 1 << 30);
        h.height = ht < 0 ? std::min(-ht, 1 << 30) : std::min(ht, 1 << 30);
    } else if (n >= 10 && (std::memcmp(d, "GIF87a", 6) == 0 || std::memcmp(d, "GIF89a", 6) == 0)) {
        h.format = ImageFormat::Gif;
        h.width = static_cast<int>(le16(d + 6));
        h.height = static_cast<int>(le16(d + 8));
    }
    return h;
}

}  // namespace rv
