// HEIC, AVIF and DNG files made in the test, for the decoding tests of the formats phones and
// cameras write: HEIC and AVIF through libheif's own encoders (x265, aom), in 8 or 10 bits, with
// alpha, with an irot/imir orientation and an EXIF orientation; DNGs (the RAW libraw reads that a
// test can write: TIFF with a DNGVersion tag) with or without an embedded JPEG preview.
// Header-only; needs libheif and OpenCV.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <libheif/heif.h>
#include <opencv2/core.hpp>

namespace heif_raw_test_files {

using Bytes = std::vector<std::uint8_t>;

// A minimal EXIF block (TIFF header, one IFD) holding only an Orientation tag.
inline Bytes exif_with_orientation(std::uint16_t orientation) {
    return {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
            std::uint8_t(orientation), 0, 0, 0, 0, 0, 0, 0};
}

// Encodes `m` (8-bit BGR or BGRA) as HEIC (heif_compression_HEVC) or AVIF (heif_compression_AV1)
// at `quality`, stored with `bit_depth` bits per sample (8 or 10), with irot/imir so that a viewer
// shows it turned as `orientation` says, and an EXIF block if `exif` is not empty. Empty on
// failure, with `why` set.
inline Bytes heif_encode(const cv::Mat& m, heif_compression_format format, int quality, std::string& why,
                         heif_orientation orientation = heif_orientation_normal, int bit_depth = 8,
                         const Bytes& exif = {}) {
    const bool alpha = m.channels() == 4;
    const bool deep = bit_depth > 8;
    heif_context* ctx = heif_context_alloc();
    heif_encoder* enc = nullptr;
    heif_image* img = nullptr;
    heif_image_handle* handle = nullptr;
    heif_encoding_options* options = heif_encoding_options_alloc();
    Bytes out;
    auto done = [&](const heif_error& e) {
        if (e.code != heif_error_Ok) why = e.message;
        return e.code == heif_error_Ok;
    };
    const heif_chroma chroma = deep ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE)
                                    : (alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB);
    if (done(heif_context_get_encoder_for_format(ctx, format, &enc)) &&
        done(heif_encoder_set_lossy_quality(enc, quality)) &&
        done(heif_image_create(m.cols, m.rows, heif_colorspace_RGB, chroma, &img)) &&
        done(heif_image_add_plane(img, heif_channel_interleaved, m.cols, m.rows, bit_depth))) {
        heif_encoder_set_logging_level(enc, 0);
        if (format == heif_compression_AV1) heif_encoder_set_parameter(enc, "speed", "8");
        int stride = 0;
        std::uint8_t* plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
        const int ch = m.channels();
        const unsigned max = (1u << bit_depth) - 1;
        for (int y = 0; y < m.rows; ++y)
            for (int x = 0; x < m.cols; ++x) {
                const std::uint8_t* s = m.ptr<std::uint8_t>(y) + x * ch;
                const unsigned rgba[4] = {s[2], s[1], s[0], alpha ? s[3] : 255u};
                for (int k = 0; k < ch; ++k) {
                    if (deep) {
                        const unsigned v = (rgba[k] * max + 127) / 255;
                        std::uint8_t* p = plane + y * stride + (x * ch + k) * 2;
                        p[0] = std::uint8_t(v);
                        p[1] = std::uint8_t(v >> 8);
                    } else {
                        plane[y * stride + x * ch + k] = std::uint8_t(rgba[k]);
                    }
                }
            }
        options->image_orientation = orientation;
        struct Sink {
            static heif_error write(heif_context*, const void* data, size_t size, void* user) {
                auto* o = static_cast<Bytes*>(user);
                const auto* b = static_cast<const std::uint8_t*>(data);
                o->insert(o->end(), b, b + size);
                return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
            }
        };
        heif_writer writer{1, &Sink::write};
        if (done(heif_context_encode_image(ctx, img, enc, options, &handle)) &&
            (exif.empty() || done(heif_context_add_exif_metadata(ctx, handle, exif.data(), int(exif.size())))))
            done(heif_context_write(ctx, &writer, &out));
    }
    heif_encoding_options_free(options);
    if (handle) heif_image_handle_release(handle);
    if (img) heif_image_release(img);
    if (enc) heif_encoder_release(enc);
    heif_context_free(ctx);
    if (!why.empty()) out.clear();
    return out;
}

// --- DNG ---------------------------------------------------------------------------------

struct TiffEntry {
    std::uint16_t tag, type;  // type: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG
    std::uint32_t count;
    Bytes value;  // little-endian, count values of the type
};

inline Bytes le16(std::uint16_t v) { return {std::uint8_t(v), std::uint8_t(v >> 8)}; }
inline Bytes le32(std::uint32_t v) { return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)}; }
inline TiffEntry short_tag(std::uint16_t tag, std::uint16_t v) { return {tag, 3, 1, le16(v)}; }
inline TiffEntry long_tag(std::uint16_t tag, std::uint32_t v) { return {tag, 4, 1, le32(v)}; }
inline TiffEntry ascii_tag(std::uint16_t tag, const std::string& s) {
    Bytes b(s.begin(), s.end());
    b.push_back(0);
    return {tag, 2, std::uint32_t(b.size()), b};
}

// Appends an IFD (entries sorted by tag by the caller) and its out-of-line values to `f`; returns
// the IFD's offset.
inline std::uint32_t append_ifd(Bytes& f, const std::vector<TiffEntry>& entries) {
    if (f.size() % 2) f.push_back(0);
    const std::uint32_t at = std::uint32_t(f.size());
    std::uint32_t extra = at + 2 + 12 * std::uint32_t(entries.size()) + 4;
    Bytes data;
    auto put = [&](const Bytes& b) { f.insert(f.end(), b.begin(), b.end()); };
    put(le16(std::uint16_t(entries.size())));
    for (const auto& e : entries) {
        put(le16(e.tag));
        put(le16(e.type));
        put(le32(e.count));
        if (e.value.size() <= 4) {
            Bytes v = e.value;
            v.resize(4, 0);
            put(v);
        } else {
            put(le32(extra + std::uint32_t(data.size())));
            data.insert(data.end(), e.value.begin(), e.value.end());
            if (data.size() % 2) data.push_back(0);
        }
    }
    put(le32(0));
    put(data);
    return at;
}

// A DNG holding a `raw_w` x `raw_h` 16-bit Bayer image and, if `preview_jpeg` is not empty, that
// JPEG (of preview_w x preview_h pixels) as its preview in IFD0, as cameras and converters write
// DNGs; `orientation` is the TIFF Orientation tag (1 normal, 6 turn 90 degrees clockwise to show).
inline Bytes dng(int raw_w, int raw_h, const Bytes& preview_jpeg, int preview_w, int preview_h,
                 std::uint16_t orientation = 1) {
    Bytes f(8, 0);  // the header; its IFD0 offset is written last
    f.reserve(8 + preview_jpeg.size() + std::size_t(raw_w) * raw_h * 2 + 4096);
    f[0] = f[1] = 'I';
    f[2] = 42;
    const std::uint32_t jpeg_at = std::uint32_t(f.size());
    f.insert(f.end(), preview_jpeg.begin(), preview_jpeg.end());
    if (f.size() % 2) f.push_back(0);
    const std::uint32_t raw_at = std::uint32_t(f.size());
    for (int y = 0; y < raw_h; ++y)
        for (int x = 0; x < raw_w; ++x) {
            const Bytes v = le16(std::uint16_t((x * 4000 / raw_w + y * 97) % 4096));
            f.insert(f.end(), v.begin(), v.end());
        }
    const std::uint32_t raw_bytes = std::uint32_t(raw_w * raw_h * 2);
    const TiffEntry dng_version{50706, 1, 4, {1, 4, 0, 0}};
    std::vector<TiffEntry> raw_ifd = {
        long_tag(254, 0), long_tag(256, std::uint32_t(raw_w)), long_tag(257, std::uint32_t(raw_h)),
        short_tag(258, 16), short_tag(259, 1), short_tag(262, 32803), long_tag(273, raw_at),
        short_tag(274, orientation), short_tag(277, 1), long_tag(278, std::uint32_t(raw_h)),
        long_tag(279, raw_bytes), TiffEntry{33421, 3, 2, {2, 0, 2, 0}}, TiffEntry{33422, 1, 4, {0, 1, 1, 2}},
        long_tag(50717, 4095)};
    std::uint32_t ifd0 = 0;
    if (preview_jpeg.empty()) {
        // The raw image is IFD0 itself: no preview anywhere.
        raw_ifd.insert(raw_ifd.begin() + 5, ascii_tag(271, "RuVision"));
        raw_ifd.insert(raw_ifd.begin() + 6, ascii_tag(272, "Test DNG"));
        raw_ifd.insert(raw_ifd.end() - 1, dng_version);
        raw_ifd.insert(raw_ifd.end() - 1, ascii_tag(50708, "RuVision Test DNG"));
        ifd0 = append_ifd(f, raw_ifd);
    } else {
        const std::uint32_t sub = append_ifd(f, raw_ifd);
        ifd0 = append_ifd(f, {long_tag(254, 1), long_tag(256, std::uint32_t(preview_w)),
                              long_tag(257, std::uint32_t(preview_h)), TiffEntry{258, 3, 3, {8, 0, 8, 0, 8, 0}},
                              short_tag(259, 7), short_tag(262, 6), ascii_tag(271, "RuVision"),
                              ascii_tag(272, "Test DNG"), long_tag(273, jpeg_at), short_tag(274, orientation),
                              short_tag(277, 3), long_tag(278, std::uint32_t(preview_h)),
                              long_tag(279, std::uint32_t(preview_jpeg.size())), long_tag(330, sub), dng_version,
                              ascii_tag(50708, "RuVision Test DNG")});
    }
    const Bytes head = le32(ifd0);
    std::memcpy(f.data() + 4, head.data(), 4);
    return f;
}

}  // namespace heif_raw_test_files
