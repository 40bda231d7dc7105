#include "image/RawDecode.h"

#include <cstring>
#include <memory>
#include <new>

#include <libraw/libraw.h>

namespace rv {

namespace {

struct RawClose {
    void operator()(libraw_data_t* r) const { libraw_close(r); }
};

// libraw's own words, e.g. "Unsupported file format or not RAW file".
std::string raw_reason(int code) {
    const char* s = libraw_strerror(code);
    return s && *s ? s : "libraw error " + std::to_string(code);
}

// Pixel (x, y) of the output reads the source at (sx, sy) as dcraw's flip turns it.
void source_of(int flip, int x, int y, int w_out, int h_out, int& sx, int& sy) {
    // Undo in reverse order of dcraw's flip_index: mirror columns (1), rows (2), then swap axes (4).
    int c = x, r = y;
    const int w_pre = (flip & 4) ? h_out : w_out;  // size before the swap
    const int h_pre = (flip & 4) ? w_out : h_out;
    if (flip & 4) std::swap(c, r);
    if (flip & 2) r = h_pre - 1 - r;
    if (flip & 1) c = w_pre - 1 - c;
    sx = c;
    sy = r;
}

}  // namespace

void apply_raw_flip(RgbImage& image, int flip) {
    flip &= 7;
    if (flip == 0 || image.width <= 0 || image.height <= 0) return;
    // dcraw: 5 is 90 degrees counter-clockwise (swap, then mirror rows), 6 clockwise (swap, then
    // mirror columns), 3 is 180 degrees.
    const int w_out = (flip & 4) ? image.height : image.width;
    const int h_out = (flip & 4) ? image.width : image.height;
    std::vector<std::uint8_t> out(image.data.size());
    for (int y = 0; y < h_out; ++y)
        for (int x = 0; x < w_out; ++x) {
            int sx = 0, sy = 0;
            source_of(flip, x, y, w_out, h_out, sx, sy);
            std::memcpy(&out[(static_cast<std::size_t>(y) * w_out + x) * 3],
                        &image.data[(static_cast<std::size_t>(sy) * image.width + sx) * 3], 3);
        }
    image.width = w_out;
    image.height = h_out;
    image.data = std::move(out);
}

Result<RawPreview> read_raw_preview(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
    // No callbacks: libraw's defaults print to stderr.
    std::unique_ptr<libraw_data_t, RawClose> raw(
        libraw_init(LIBRAW_OPIONS_NO_MEMERR_CALLBACK | LIBRAW_OPIONS_NO_DATAERR_CALLBACK));
    if (!raw) return Error{"cannot decode (out of memory)"};
    // libraw reads the buffer only; its API is not const-correct.
    if (int rc = libraw_open_buffer(raw.get(), const_cast<std::uint8_t*>(data), size); rc != LIBRAW_SUCCESS)
        return Error{"cannot read camera RAW (" + raw_reason(rc) + ")"};
    if (int rc = libraw_unpack_thumb(raw.get()); rc != LIBRAW_SUCCESS) {
        if (rc == LIBRAW_NO_THUMBNAIL || rc == LIBRAW_UNSUPPORTED_THUMBNAIL)
            return Error{"camera RAW with no embedded preview (RuVision reads only the preview)"};
        return Error{"cannot read the camera RAW's embedded preview (" + raw_reason(rc) + ")"};
    }
    const libraw_thumbnail_t& t = raw->thumbnail;
    RawPreview out;
    out.flip = raw->sizes.flip;
    if (t.tformat == LIBRAW_THUMBNAIL_JPEG && t.thumb && t.tlength >= 4) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(t.thumb);
        if (b[0] != 0xFF || b[1] != 0xD8) return Error{"camera RAW with no embedded preview (its thumbnail is not a JPEG)"};
        out.jpeg.assign(b, b + t.tlength);
        return out;
    }
    if (t.tformat == LIBRAW_THUMBNAIL_BITMAP && t.thumb && t.tcolors == 3 && t.twidth > 0 && t.theight > 0) {
        const std::size_t pixels = static_cast<std::size_t>(t.twidth) * t.theight;
        if (static_cast<std::int64_t>(pixels) > max_pixels)
            return Error{"image too large (" + std::to_string(t.twidth) + "x" + std::to_string(t.theight) + " pixels, limit " +
                         std::to_string(max_pixels) + ")"};
        if (t.tlength < pixels * 3) return Error{"camera RAW with no embedded preview (its thumbnail is truncated)"};
        out.bitmap.width = t.twidth;
        out.bitmap.height = t.theight;
        const auto* b = reinterpret_cast<const std::uint8_t*>(t.thumb);
        out.bitmap.data.assign(b, b + pixels * 3);
        return out;
    }
    return Error{"camera RAW with no embedded preview (none in a form RuVision reads)"};
}

}  // namespace rv
