#include "image/WebpDecode.h"

#include <algorithm>
#include <new>

#include <webp/decode.h>

#include "image/Flatten.h"

namespace rv {

namespace {

std::string fail(const std::string& name, const std::string& why) { return name + ": " + why; }

std::string status_reason(VP8StatusCode st) {
    switch (st) {
        case VP8_STATUS_OUT_OF_MEMORY: return "cannot decode (out of memory)";
        case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated WebP (the data ends early)";
        case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported WebP (a feature libwebp does not decode)";
        case VP8_STATUS_BITSTREAM_ERROR: return "damaged WebP (bitstream error)";
        default: return "damaged WebP (the decoder rejected it)";
    }
}

struct OutputBuffer {
    WebPDecBuffer* buffer;
    ~OutputBuffer() { WebPFreeDecBuffer(buffer); }  // frees nothing of external memory
};

}  // namespace

int decode_reduction(int width, int height, int min_side) {
    if (min_side <= 0 || width <= 0 || height <= 0) return 1;
    for (int r : {8, 4, 2})
        if (std::min(width, height) / r >= min_side) return r;
    return 1;
}

Result<DecodedImage> decode_webp(const std::uint8_t* data, std::size_t size, const std::string& name,
                                 const ImageHeader& h, const DecodeOptions& opt) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return Error{fail(name, "cannot decode (libwebp version mismatch)")};
    if (const VP8StatusCode st = WebPGetFeatures(data, size, &config.input); st != VP8_STATUS_OK)
        return Error{fail(name, st == VP8_STATUS_NOT_ENOUGH_DATA ? "truncated WebP (the header ends early)"
                                                                 : "damaged WebP (not a WebP header libwebp reads)")};
    const WebPBitstreamFeatures& f = config.input;
    if (f.has_animation) return Error{fail(name, "animated WebP is not supported")};
    if (f.width <= 0 || f.height <= 0) return Error{fail(name, "damaged WebP (no picture size)")};
    if ((h.width > 0 && h.width != f.width) || (h.height > 0 && h.height != f.height))
        return Error{fail(name, "damaged WebP (its header says " + std::to_string(h.width) + "x" +
                                    std::to_string(h.height) + ", its bitstream " + std::to_string(f.width) + "x" +
                                    std::to_string(f.height) + ")")};
    if (static_cast<std::int64_t>(f.width) * f.height > opt.max_pixels)
        return Error{fail(name, "image too large (" + std::to_string(f.width) + "x" + std::to_string(f.height) +
                                    " pixels, limit " + std::to_string(opt.max_pixels) + ")")};

    DecodedImage out;
    out.original_width = f.width;
    out.original_height = f.height;
    out.reduction = decode_reduction(f.width, f.height, opt.min_side);
    out.image.width = (f.width + out.reduction - 1) / out.reduction;
    out.image.height = (f.height + out.reduction - 1) / out.reduction;
    if (out.reduction > 1) {
        config.options.use_scaling = 1;
        config.options.scaled_width = out.image.width;
        config.options.scaled_height = out.image.height;
    }
    // Transparent pictures come out as BGRA and are flattened in place (the layout
    // flatten_bgra_in_place takes); opaque ones straight as RGB.
    const int channels = f.has_alpha ? 4 : 3;
    const std::size_t pixels = static_cast<std::size_t>(out.image.width) * out.image.height;
    try {
        out.image.data.resize(pixels * channels);
    } catch (const std::bad_alloc&) {
        return Error{fail(name, "cannot decode (out of memory)")};
    }
    config.output.colorspace = f.has_alpha ? MODE_BGRA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.width = out.image.width;
    config.output.height = out.image.height;
    config.output.u.RGBA.rgba = out.image.data.data();
    config.output.u.RGBA.stride = out.image.width * channels;
    config.output.u.RGBA.size = out.image.data.size();
    OutputBuffer release{&config.output};
    if (const VP8StatusCode st = WebPDecode(data, size, &config); st != VP8_STATUS_OK)
        return Error{fail(name, status_reason(st))};
    if (f.has_alpha) {
        flatten_bgra_in_place(out.image.data.data(), pixels);
        out.image.data.resize(pixels * 3);
    }
    return out;
}

}  // namespace rv
