// Image files built byte by byte for the decoding tests: every PNG colour type with
// transparency, and the damaged or lying files a user's folder can hold (a GIF, a PNG with a bad
// header checksum, a JPEG with a bogus Huffman table, a 7-bit BMP, a JPEG hiding a huge frame size
// behind a stray byte). Header-only; needs OpenCV (imgcodecs) and zlib.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace image_test_files {

using Bytes = std::vector<std::uint8_t>;

inline void put_be32(Bytes& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

inline void png_chunk(Bytes& out, const char* type, const Bytes& data) {
    put_be32(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t at = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    const auto crc = crc32(0, out.data() + at, static_cast<uInt>(4 + data.size()));
    put_be32(out, static_cast<std::uint32_t>(crc));
}

// A PNG of `rows` (each row's samples, without the filter byte), compressed by zlib.
// colour_type: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA; `plte`/`trns` are the chunks'
// contents (empty: no chunk).
inline Bytes png(std::uint32_t width, std::uint32_t height, std::uint8_t colour_type, std::uint8_t depth,
                 const std::vector<Bytes>& rows, const Bytes& plte = {}, const Bytes& trns = {}) {
    Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    Bytes ihdr;
    put_be32(ihdr, width);
    put_be32(ihdr, height);
    ihdr.insert(ihdr.end(), {depth, colour_type, 0, 0, 0});
    png_chunk(out, "IHDR", ihdr);
    if (!plte.empty()) png_chunk(out, "PLTE", plte);
    if (!trns.empty()) png_chunk(out, "tRNS", trns);
    Bytes raw;
    for (const auto& r : rows) {
        raw.push_back(0);  // filter: none
        raw.insert(raw.end(), r.begin(), r.end());
    }
    uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
    Bytes packed(packed_size);
    compress(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()));
    packed.resize(packed_size);
    png_chunk(out, "IDAT", packed);
    png_chunk(out, "IEND", {});
    return out;
}

inline Bytes encode(const cv::Mat& m, const std::string& ext, const std::vector<int>& params = {}) {
    Bytes out;
    cv::imencode(ext, m, out, params);
    return out;
}

// A picture with structure: a diagonal gradient, a bright disc at (cx, cy) and stripes.
inline cv::Mat picture(int w, int h, int cx, int cy) {
    cv::Mat m(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const bool disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < (w / 5) * (w / 5);
            const bool stripe = (x / 9) % 2 == 0;
            m.at<cv::Vec3b>(y, x) = disc ? cv::Vec3b(30, 220, 250)
                                         : cv::Vec3b(static_cast<std::uint8_t>(x * 255 / w),
                                                     static_cast<std::uint8_t>(stripe ? 40 : 160),
                                                     static_cast<std::uint8_t>(y * 255 / h));
        }
    return m;
}

// Three GIFs of different sizes (a valid 1-colour image each).
inline Bytes gif(std::uint16_t w, std::uint16_t h) {
    Bytes out = {'G', 'I', 'F', '8', '9', 'a', std::uint8_t(w), std::uint8_t(w >> 8), std::uint8_t(h),
                 std::uint8_t(h >> 8), 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0,  // 2-colour global table
                 0x2c, 0, 0, 0, 0, std::uint8_t(w), std::uint8_t(w >> 8), std::uint8_t(h), std::uint8_t(h >> 8), 0,
                 2, 2, 0x44, 0x01, 0, 0x3b};
    return out;
}

// A valid PNG whose IHDR checksum has one bit flipped (libpng refuses it).
inline Bytes png_with_bad_header_crc(int w, int h) {
    Bytes out = encode(picture(w, h, w / 2, h / 2), ".png");
    out[29] ^= 0x01;  // 8 signature + 8 length/type + 13 IHDR data
    return out;
}

inline std::size_t find_marker(const Bytes& jpeg, std::uint8_t marker) {
    for (std::size_t i = 2; i + 1 < jpeg.size(); ++i)
        if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
    return 0;
}

// A valid JPEG whose first Huffman table claims more codes than a table holds.
inline Bytes jpeg_with_bad_huffman_table(int w, int h) {
    Bytes out = encode(picture(w, h, w / 3, h / 3), ".jpg");
    const std::size_t dht = find_marker(out, 0xC4);
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(dht + 5), out.begin() + static_cast<std::ptrdiff_t>(dht + 21),
              std::uint8_t{0x40});
    return out;
}

// A BMP declaring 7 bits per pixel (no such BMP exists).
inline Bytes bmp_7_bits(int w, int h) {
    Bytes out = encode(picture(w, h, 0, 0), ".bmp");
    out[28] = 7;
    return out;
}

// A small valid JPEG whose frame header announces width x height, with one stray byte before
// its SOF marker: libjpeg skips the byte (a warning) and decodes a width x height picture from
// a few hundred bytes.
inline Bytes jpeg_bomb_behind_stray_byte(std::uint16_t width, std::uint16_t height) {
    Bytes out = encode(cv::Mat(8, 8, CV_8UC3, cv::Scalar(90, 90, 90)), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 50});
    const std::size_t sof = find_marker(out, 0xC0);
    out[sof + 5] = std::uint8_t(height >> 8);
    out[sof + 6] = std::uint8_t(height);
    out[sof + 7] = std::uint8_t(width >> 8);
    out[sof + 8] = std::uint8_t(width);
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(sof), std::uint8_t{0x00});
    return out;
}

}  // namespace image_test_files
