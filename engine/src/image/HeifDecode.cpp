#include "image/HeifDecode.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>

#include <libheif/heif.h>

#include "image/Flatten.h"
#include "image/HeifReferences.h"
#include "image/ReaderProcess.h"
#include "ruvision/engine/ImageFormats.h"

namespace rv {

namespace {

struct ContextFree {
    void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleFree {
    void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageFree {
    void operator()(heif_image* i) const { heif_image_release(i); }
};
struct OptionsFree {
    void operator()(heif_decoding_options* o) const { heif_decoding_options_free(o); }
};

// One sample of `bits` (9-16) bits, little-endian, scaled to 0-255 with rounding.
inline unsigned to8(const std::uint8_t* p, unsigned max) {
    const unsigned v = std::min<unsigned>(p[0] | (p[1] << 8), max);
    return (v * 255u + max / 2) / max;
}

// One composited sample: straight alpha goes through over_backdrop; premultiplied colour already
// carries its coverage, so only the backdrop's share is added.
inline std::uint8_t composite(unsigned c, unsigned a, bool premultiplied) {
    if (!premultiplied) return over_backdrop(c, a);
    return static_cast<std::uint8_t>(std::min(255u, c + (kTransparencyBackdrop * (255u - a) + 127u) / 255u));
}


// In this process: what decode_heif() runs in its child.
Result<DecodedImage> decode_heif_here(const std::uint8_t* data, std::size_t size, const std::string& name,
                                      ImageFormat format, const DecodeOptions& opt) {
    const char* kind = format == ImageFormat::Avif ? "AVIF" : "HEIF";
    auto fail = [&](const std::string& why) { return Error{name + ": " + why}; };
    auto heif_fail = [&](const heif_error& e) {
        std::string m = e.message && *e.message ? e.message : "libheif error";
        std::replace(m.begin(), m.end(), '\n', ' ');  // libheif ends some messages with a newline
        while (!m.empty() && m.back() == ' ') m.pop_back();
        return fail(std::string("cannot decode ") + kind + " (" + m + ")");
    };

    std::unique_ptr<heif_context, ContextFree> ctx(heif_context_alloc());
    if (!ctx) return fail("cannot decode (out of memory)");
    // libheif refuses any image (or tile) side past this while parsing; the product is checked
    // below, before decoding.
    const std::int64_t side = std::clamp<std::int64_t>(opt.max_pixels, 1, std::numeric_limits<int>::max());
    heif_context_set_maximum_image_size_limit(ctx.get(), static_cast<int>(side));
    heif_context_set_max_decoding_threads(ctx.get(), 0);
    if (heif_error e = heif_context_read_from_memory_without_copy(ctx.get(), data, size, nullptr); e.code != heif_error_Ok)
        return heif_fail(e);
    heif_image_handle* raw_handle = nullptr;
    if (heif_error e = heif_context_get_primary_image_handle(ctx.get(), &raw_handle); e.code != heif_error_Ok)
        return heif_fail(e);
    std::unique_ptr<heif_image_handle, HandleFree> handle(raw_handle);

    const int w = heif_image_handle_get_width(handle.get());  // after the transformations
    const int h = heif_image_handle_get_height(handle.get());
    if (w <= 0 || h <= 0) return fail(std::string("damaged ") + kind + " (no image size)");
    // libheif decodes the coded size (ispe) before cropping it (clap): both must fit.
    const int ispe_w = heif_image_handle_get_ispe_width(handle.get());
    const int ispe_h = heif_image_handle_get_ispe_height(handle.get());
    const bool coded_larger = static_cast<std::int64_t>(ispe_w) * ispe_h > static_cast<std::int64_t>(w) * h;
    const int coded_w = coded_larger ? ispe_w : w, coded_h = coded_larger ? ispe_h : h;
    if (static_cast<std::int64_t>(coded_w) * coded_h > opt.max_pixels)
        return fail("image too large (" + std::to_string(coded_w) + "x" + std::to_string(coded_h) + " pixels, limit " +
                    std::to_string(opt.max_pixels) + ")");
    const bool alpha = heif_image_handle_has_alpha_channel(handle.get()) != 0;
    const bool premultiplied = alpha && heif_image_handle_is_premultiplied_alpha(handle.get()) != 0;
    const bool deep = heif_image_handle_get_luma_bits_per_pixel(handle.get()) > 8;
    const heif_chroma chroma = deep ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE)
                                    : (alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB);

    std::unique_ptr<heif_decoding_options, OptionsFree> options(heif_decoding_options_alloc());
    if (!options) return fail("cannot decode (out of memory)");
    options->ignore_transformations = 0;
    heif_image* raw_image = nullptr;
    if (heif_error e = heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB, chroma, options.get());
        e.code != heif_error_Ok) {
        heif_image_release(raw_image);
        return heif_fail(e);
    }
    std::unique_ptr<heif_image, ImageFree> image(raw_image);
    const int iw = heif_image_get_width(image.get(), heif_channel_interleaved);
    const int ih = heif_image_get_height(image.get(), heif_channel_interleaved);
    int stride = 0;
    const std::uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
    if (!plane || iw <= 0 || ih <= 0 || static_cast<std::int64_t>(iw) * ih > opt.max_pixels)
        return fail(std::string("damaged ") + kind + " (the decoder returned no usable picture)");
    const int channels = alpha ? 4 : 3;
    const int sample_bytes = deep ? 2 : 1;
    if (stride < iw * channels * sample_bytes)
        return fail(std::string("damaged ") + kind + " (the decoder returned no usable picture)");
    const int bits = deep ? heif_image_get_bits_per_pixel_range(image.get(), heif_channel_interleaved) : 8;
    if (deep && (bits <= 8 || bits > 16)) return fail(std::string("unsupported ") + kind + " (" + std::to_string(bits) + " bits per sample)");
    const unsigned max = (1u << bits) - 1;

    DecodedImage out;
    out.original_width = heif_image_handle_get_ispe_width(handle.get());
    out.original_height = heif_image_handle_get_ispe_height(handle.get());
    if (out.original_width <= 0 || out.original_height <= 0) {
        out.original_width = iw;
        out.original_height = ih;
    }
    out.image.width = iw;
    out.image.height = ih;
    try {
        out.image.data.resize(static_cast<std::size_t>(iw) * ih * 3);
    } catch (const std::bad_alloc&) {
        return fail("cannot decode (out of memory)");
    }
    std::uint8_t* o = out.image.data.data();
    for (int y = 0; y < ih; ++y) {
        const std::uint8_t* p = plane + static_cast<std::size_t>(y) * stride;
        for (int x = 0; x < iw; ++x, p += channels * sample_bytes, o += 3) {
            unsigned c[4];
            for (int k = 0; k < channels; ++k) c[k] = deep ? to8(p + 2 * k, max) : p[k];
            for (int k = 0; k < 3; ++k)
                o[k] = alpha ? composite(c[k], c[3], premultiplied) : static_cast<std::uint8_t>(c[k]);
        }
    }
    return out;
}

// The child's answer: 'I', then width, height, original width and height (int32, native order)
// and the RGB bytes; or 'E' and the message.
std::vector<std::uint8_t> encode(const Result<DecodedImage>& r) {
    if (!r) {
        const std::string& m = r.error().message;
        std::vector<std::uint8_t> out(1 + m.size());
        out[0] = 'E';
        std::memcpy(out.data() + 1, m.data(), m.size());
        return out;
    }
    const std::int32_t dims[4] = {r->image.width, r->image.height, r->original_width, r->original_height};
    std::vector<std::uint8_t> out(1 + sizeof dims + r->image.data.size());
    out[0] = 'I';
    std::memcpy(out.data() + 1, dims, sizeof dims);
    std::memcpy(out.data() + 1 + sizeof dims, r->image.data.data(), r->image.data.size());
    return out;
}

Result<DecodedImage> decode(const std::vector<std::uint8_t>& in, const std::string& name) {
    const Error garbled{name + ": the HEIF reader (libheif) gave a garbled answer"};
    if (in.empty()) return garbled;
    if (in[0] == 'E') return Error{std::string(in.begin() + 1, in.end())};
    std::int32_t dims[4];
    if (in[0] != 'I' || in.size() < 1 + sizeof dims) return garbled;
    std::memcpy(dims, in.data() + 1, sizeof dims);
    if (dims[0] <= 0 || dims[1] <= 0 ||
        in.size() - 1 - sizeof dims != static_cast<std::size_t>(dims[0]) * static_cast<std::size_t>(dims[1]) * 3)
        return garbled;
    DecodedImage out;
    out.image.width = dims[0];
    out.image.height = dims[1];
    out.original_width = dims[2];
    out.original_height = dims[3];
    out.image.data.assign(in.begin() + 1 + sizeof dims, in.end());
    return out;
}

// libheif's memory while decoding: its planes, the converted picture and ours, per pixel allowed.
constexpr std::uint64_t kHeifBytesPerPixel = 24;
constexpr std::uint64_t kHeifReaderBaseMemory = std::uint64_t{256} << 20;

}  // namespace

std::vector<std::uint8_t> heif_reader_answer(const std::uint8_t* data, std::size_t size,
                                             const std::vector<std::string>& args) {
    DecodeOptions opt;
    char* end = nullptr;
    if (args.size() == 3 && (args[0] == "heif" || args[0] == "avif"))
        opt.max_pixels = std::strtoll(args[1].c_str(), &end, 10);
    if (!end || *end != '\0' || args[1].empty() || opt.max_pixels <= 0)
        return encode(Error{"the HEIF reader was given wrong arguments"});
    return encode(decode_heif_here(data, size, args[2], args[0] == "avif" ? ImageFormat::Avif : ImageFormat::Heif, opt));
}

Result<DecodedImage> decode_heif(const std::uint8_t* data, std::size_t size, const std::string& name,
                                 ImageFormat format, const DecodeOptions& opt) {
    if (format == ImageFormat::Avif && !avif_decoding_available())
        return Error{name + ": AVIF decoding is not available (libheif has no AV1 decoder on this system)"};
    if (auto why = heif_reference_problem(data, size); !why.empty()) return Error{name + ": " + why};
    const ReaderLimits limits{opt.reader_seconds,
                              kHeifReaderBaseMemory + kHeifBytesPerPixel * static_cast<std::uint64_t>(std::max<std::int64_t>(opt.max_pixels, 0))};
    const ReaderJob job{"heif", {format == ImageFormat::Avif ? "avif" : "heif", std::to_string(opt.max_pixels), name}, data, size};
    auto answer = run_reader_process("the HEIF reader (libheif)", "it is damaged or not a HEIF libheif 1.15 can read",
                                     limits, job);
    if (!answer) return Error{name + ": " + answer.error().message};
    return decode(*answer, name);
}

}  // namespace rv
