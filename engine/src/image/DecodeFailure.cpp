#include "image/DecodeFailure.h"

#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>

namespace rv {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// CRC-32 as PNG defines it (ISO 3309, reflected polynomial 0xEDB88320).
std::uint32_t png_crc(const std::uint8_t* p, std::size_t n) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::string chunk_name(const std::uint8_t* p) {
    std::string s;
    for (int i = 0; i < 4; ++i) s += (p[i] >= 0x20 && p[i] < 0x7F) ? static_cast<char>(p[i]) : '?';
    return s;
}

// libpng fails on a critical chunk (upper-case first letter) whose checksum is wrong, on an
// invalid header, on a file ending before its image data.
std::string png_reason(const std::uint8_t* d, std::size_t n) {
    std::size_t i = 8;
    bool first = true, have_data = false;
    while (i + 8 <= n) {
        const std::uint32_t len = be32(d + i);
        const std::string type = chunk_name(d + i + 4);
        if (first && type != "IHDR") return "damaged PNG (it does not start with an IHDR header)";
        if (len > n - i - 8 || n - i - 8 - len < 4)
            return "truncated PNG (the file ends inside its " + type + " chunk)";
        const bool critical = (d[i + 4] & 0x20) == 0;
        if (critical && png_crc(d + i + 4, 4 + std::size_t{len}) != be32(d + i + 8 + len))
            return "damaged PNG (" + type + " chunk checksum mismatch)";
        if (first) {
            if (len != 13 || be32(d + i + 8) == 0 || be32(d + i + 12) == 0)
                return "damaged PNG (invalid IHDR header)";
            const std::uint8_t depth = d[i + 16], colour = d[i + 17];
            const bool depth_ok = (colour == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
                                  (colour == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                                  ((colour == 2 || colour == 4 || colour == 6) && (depth == 8 || depth == 16));
            if (!depth_ok)
                return "damaged PNG (invalid IHDR: colour type " + std::to_string(colour) + " with " +
                       std::to_string(depth) + "-bit samples)";
        }
        if (type == "IDAT") have_data = true;
        if (type == "IEND") break;
        first = false;
        i += 12 + std::size_t{len};
    }
    if (first) return "truncated PNG (no IHDR header)";
    if (!have_data) return "damaged PNG (no image data)";
    return "damaged PNG (its image data cannot be decompressed)";
}

std::string bmp_reason(const std::uint8_t* d, std::size_t n) {
    if (n < 34) return "truncated BMP header";
    const unsigned header = d[14] | (d[15] << 8);
    const unsigned bpp = header == 12 ? (d[24] | (d[25] << 8)) : (d[28] | (d[29] << 8));
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        return "unsupported BMP (" + std::to_string(bpp) + " bits per pixel)";
    if (header != 12) {
        const unsigned compression = d[30] | (d[31] << 8);
        if (compression > 3) return "unsupported BMP (compression method " + std::to_string(compression) + ")";
    }
    return "damaged BMP (the decoder rejected it)";
}

struct JpegErrorTrap {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpeg_trap_exit(j_common_ptr cinfo) {
    auto* trap = reinterpret_cast<JpegErrorTrap*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, trap->message);
    std::longjmp(trap->jump, 1);
}

void jpeg_trap_message(j_common_ptr, int) {}  // warnings: libjpeg goes on, and so do we

}  // namespace

std::string jpeg_header_error(const std::uint8_t* data, std::size_t size) {
    // No object with a destructor lives between setjmp and the longjmp that returns to it.
    jpeg_decompress_struct cinfo{};
    JpegErrorTrap trap{};
    cinfo.err = jpeg_std_error(&trap.mgr);
    trap.mgr.error_exit = jpeg_trap_exit;
    trap.mgr.emit_message = jpeg_trap_message;
    if (setjmp(trap.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return trap.message;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, const_cast<unsigned char*>(data), static_cast<unsigned long>(size));
    (void)jpeg_read_header(&cinfo, TRUE);
    jpeg_destroy_decompress(&cinfo);
    return {};
}

std::string decode_failure_reason(ImageFormat format, const std::uint8_t* data, std::size_t size) {
    switch (format) {
        case ImageFormat::Png: return png_reason(data, size);
        case ImageFormat::Bmp: return bmp_reason(data, size);
        case ImageFormat::Webp: return "damaged WebP (libwebp rejected it)";  // decode_webp says more
        case ImageFormat::Jpeg: {
            const std::string why = jpeg_header_error(data, size);
            return why.empty() ? "damaged JPEG (the decoder rejected its data)" : "damaged JPEG (" + why + ")";
        }
        case ImageFormat::Tiff: return "damaged or unsupported TIFF (the decoder rejected it)";
        case ImageFormat::Gif: return "GIF is not supported";
        case ImageFormat::Heif: return "damaged HEIF (libheif rejected it)";
        case ImageFormat::Avif: return "damaged AVIF (libheif rejected it)";
        case ImageFormat::Raw: return "damaged camera RAW (libraw rejected it)";
        default: return "not an image (unrecognised content)";
    }
}

}  // namespace rv
