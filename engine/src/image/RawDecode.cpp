#include "image/RawDecode.h"

#include "image/ReaderProcess.h"

#include <cstring>
#include <memory>
#include <new>

#include <libraw/libraw.h>

namespace rv {

namespace {

// libraw 0.20 (Debian 12) overflows a heap buffer in unpack_thumb() on crafted bitmap previews
// (found by fuzz_image_decode: it sizes the buffer from the preview's dimensions and reads by
// another count). Its JPEG path allocates exactly what it reads. So unpack_thumb() is called
// only when that is the path it will take, for a preview lying wholly inside the file: checked
// on libraw's own state, which only a subclass can see.
class PreviewReader : public LibRaw {
public:
    PreviewReader() : LibRaw(LIBRAW_OPIONS_NO_MEMERR_CALLBACK | LIBRAW_OPIONS_NO_DATAERR_CALLBACK) {}

    bool jpeg_preview_within(std::size_t file_size) const {
        const INT64 offset = libraw_internal_data.internal_data.toffset;
        const unsigned length = imgdata.thumbnail.tlength;
        return write_thumb == &PreviewReader::jpeg_thumb && thumb_load_raw == nullptr && offset > 0 &&
               length >= 4 && static_cast<std::uint64_t>(offset) + length <= file_size;
    }
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

namespace {

// In this process: what read_raw_preview() runs in its child.
Result<RawPreview> read_preview_here(const std::uint8_t* data, std::size_t size) {
    std::unique_ptr<PreviewReader> raw;
    try {
        raw = std::make_unique<PreviewReader>();
    } catch (const std::bad_alloc&) {
        return Error{"cannot decode (out of memory)"};
    }
    // libraw reads the buffer only; its API is not const-correct.
    if (int rc = raw->open_buffer(const_cast<std::uint8_t*>(data), size); rc != LIBRAW_SUCCESS)
        return Error{"cannot read camera RAW (" + raw_reason(rc) + ")"};
    if (!raw->jpeg_preview_within(size))
        return Error{"camera RAW with no embedded preview (none as a JPEG; RuVision reads only the preview)"};
    if (int rc = raw->unpack_thumb(); rc != LIBRAW_SUCCESS) {
        if (rc == LIBRAW_NO_THUMBNAIL || rc == LIBRAW_UNSUPPORTED_THUMBNAIL)
            return Error{"camera RAW with no embedded preview (RuVision reads only the preview)"};
        return Error{"cannot read the camera RAW's embedded preview (" + raw_reason(rc) + ")"};
    }
    const libraw_thumbnail_t& t = raw->imgdata.thumbnail;
    if (t.tformat != LIBRAW_THUMBNAIL_JPEG || !t.thumb || t.tlength < 4)
        return Error{"camera RAW with no embedded preview (none as a JPEG; RuVision reads only the preview)"};
    const auto* b = reinterpret_cast<const std::uint8_t*>(t.thumb);
    if (b[0] != 0xFF || b[1] != 0xD8) return Error{"camera RAW with no embedded preview (its thumbnail is not a JPEG)"};
    RawPreview out;
    out.flip = raw->imgdata.sizes.flip;
    out.jpeg.assign(b, b + t.tlength);
    return out;
}

// The child's answer on the pipe: a tag byte ('P' preview, 'E' error), then for a preview the
// flip (int32) and the JPEG's length (uint64) and bytes, for an error the message's length
// (uint64) and bytes. Native byte order: the same program writes and reads it.
std::vector<std::uint8_t> encode(const Result<RawPreview>& r) {
    const std::string* message = r ? nullptr : &r.error().message;
    const std::uint64_t n = r ? r->jpeg.size() : message->size();
    const std::int32_t flip = r ? r->flip : 0;
    std::vector<std::uint8_t> out(1 + (r ? sizeof flip : 0) + sizeof n + n);
    std::uint8_t* p = out.data();
    *p++ = r ? 'P' : 'E';
    if (r) {
        std::memcpy(p, &flip, sizeof flip);
        p += sizeof flip;
    }
    std::memcpy(p, &n, sizeof n);
    p += sizeof n;
    if (n > 0) std::memcpy(p, r ? static_cast<const void*>(r->jpeg.data()) : message->data(), n);
    return out;
}

Result<RawPreview> decode(const std::vector<std::uint8_t>& in) {
    const Error garbled{"the camera RAW reader gave a garbled answer"};
    std::size_t at = 1;
    auto take = [&in, &at](void* p, std::size_t n) {
        if (in.size() - at < n) return false;
        std::memcpy(p, in.data() + at, n);
        at += n;
        return true;
    };
    if (in.empty()) return garbled;
    std::uint64_t n = 0;
    if (in[0] == 'P') {
        RawPreview out;
        std::int32_t flip = 0;
        if (!take(&flip, sizeof flip) || !take(&n, sizeof n) || n != in.size() - at) return garbled;
        out.flip = flip;
        out.jpeg.assign(in.begin() + static_cast<std::ptrdiff_t>(at), in.end());
        return out;
    }
    if (in[0] != 'E' || !take(&n, sizeof n) || n != in.size() - at) return garbled;
    return Error{std::string(in.begin() + static_cast<std::ptrdiff_t>(at), in.end())};
}

}  // namespace

std::vector<std::uint8_t> raw_reader_answer(const std::uint8_t* data, std::size_t size) {
    return encode(read_preview_here(data, size));
}

// libraw 0.20's parsers crash on some damaged files: fuzz_image_decode found a wild read in
// parse_tiff_ifd, inside open_buffer(), before anything of ours can look. So libraw runs in a child
// process of its own (ReaderProcess.h): a file that crashes or hangs it is an error for this file alone.
Result<RawPreview> read_raw_preview(const std::uint8_t* data, std::size_t size, const ReaderLimits& limits) {
    auto answer = run_reader_process("the camera RAW reader (libraw)",
                                     "it is damaged or not a RAW libraw 0.20 can read", limits,
                                     ReaderJob{"raw", {}, data, size});
    if (!answer) return answer.error();
    return decode(*answer);
}

}  // namespace rv
