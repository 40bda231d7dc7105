#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <new>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "image/DecodeFailure.h"
#include "image/DecodeTarget.h"
#include "image/Flatten.h"
#include "image/HeifDecode.h"
#include "image/ImageHeader.h"
#include "image/RawDecode.h"
#include "image/WebpDecode.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageFormats.h"

namespace rv {

namespace {

// Read first, before the rest of a file: enough for the header of every format we read, except
// JPEGs with more metadata than this before their frame header (those are sniffed again whole).
constexpr std::size_t kHeadBytes = 64 * 1024;
constexpr std::uint64_t kMaxFileBytes = std::uint64_t{1} << 31;

std::string fail(const std::string& name, const std::string& why) { return name + ": " + why; }

// JPEG data must end with an end-of-image marker (allowing up to 64 KiB of trailing bytes);
// libjpeg otherwise fills the missing rows with grey and reports success. Only a marker after the
// main image's start of scan counts: an EXIF or Photoshop thumbnail before it ends with its own
// end-of-image marker, which says nothing about the main image.
bool jpeg_has_end_marker(const std::uint8_t* b, std::size_t n, std::size_t scan_offset) {
    const std::size_t from = std::max(scan_offset, n > 65536 ? n - 65536 : std::size_t{0});
    for (std::size_t i = n; i-- > from + 1;)
        if (b[i - 1] == 0xFF && b[i] == 0xD9) return true;
    return false;
}

// The refusals the header alone can justify; empty if the header allows decoding.
std::string refusal(const ImageHeader& h, const DecodeOptions& opt) {
    if (h.format == ImageFormat::Unknown) return "not an image (unrecognised content)";
    if (h.format == ImageFormat::Gif) return "GIF is not supported";  // OpenCV 4.6 has no GIF reader
    if (h.width > 0 && h.height > 0 && static_cast<std::int64_t>(h.width) * h.height > opt.max_pixels)
        return "image too large (" + std::to_string(h.width) + "x" + std::to_string(h.height) + " pixels, limit " +
               std::to_string(opt.max_pixels) + ")";
    return {};
}

// Swaps channels 0 and 2 of packed 3-channel pixels in place (OpenCV decodes BGR).
void bgr_to_rgb_in_place(std::uint8_t* p, std::size_t pixels) {
    for (std::size_t i = 0; i < pixels; ++i, p += 3) std::swap(p[0], p[2]);
}

// Runs OpenCV's decoder while `target` is active. Empty Mat on any failure, with `why` set
// (imdecode leaves its output untouched when a decoder rejects a header: it must start empty).
cv::Mat run_decoder(const std::uint8_t* bytes, std::size_t size, int flags, const ImageHeader& h,
                    const DecodeTarget& target, std::string& why) {
    cv::Mat out;
    try {
        // imdecode applies the EXIF orientation for IMREAD_COLOR and the reduced modes.
        cv::imdecode(cv::Mat(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(bytes)), flags, &out);
    } catch (const cv::Exception& e) {
        out.release();
        why = target.refusal().empty() ? std::string("cannot decode (") + e.err + ")" : target.refusal();
        return out;
    } catch (const std::bad_alloc&) {
        out.release();
        why = "cannot decode (out of memory)";
        return out;
    }
    if (out.empty() || out.cols <= 0 || out.rows <= 0) {
        out.release();
        why = target.refusal().empty() ? decode_failure_reason(h.format, bytes, size) : target.refusal();
    }
    return out;
}

// A file that may be transparent: every channel decoded, then composited over the backdrop.
// IMREAD_LOAD_GDAL as imdecode reads it: the decoder's own channels and depth (as with
// IMREAD_UNCHANGED) and, unlike IMREAD_UNCHANGED, the EXIF orientation applied (PNG eXIf).
// imdecode never uses the GDAL reader (only imread does), so the decoder is the same.
Result<DecodedImage> decode_with_alpha(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                                       const ImageHeader& h, const DecodeOptions& opt) {
    // An 8-bit PNG of the announced size decodes as BGRA straight into the output's
    // own buffer (4 bytes a pixel) and is flattened there: one buffer for the largest pictures,
    // not two. Anything else (16-bit, turned by EXIF, another layout) gets its own.
    DecodedImage out;
    const bool eight_bit = h.format == ImageFormat::Png && h.png_bit_depth > 0 && h.png_bit_depth <= 8;
    if (eight_bit && h.width > 0 && h.height > 0)
        out.image.data.resize(static_cast<std::size_t>(h.width) * h.height * 4);
    DecodeTarget target(out.image.data.data(), out.image.data.size(), opt.max_pixels);
    std::string why;
    const cv::Mat decoded = run_decoder(bytes, size, cv::IMREAD_LOAD_GDAL, h, target, why);
    if (decoded.empty()) return Error{fail(name, why)};
    out.original_width = h.width > 0 ? h.width : decoded.cols;
    out.original_height = h.height > 0 ? h.height : decoded.rows;
    if (decoded.data == out.image.data.data() && decoded.type() == CV_8UC4 && decoded.isContinuous()) {
        const std::size_t pixels = static_cast<std::size_t>(decoded.cols) * decoded.rows;
        flatten_bgra_in_place(out.image.data.data(), pixels);
        out.image.width = decoded.cols;
        out.image.height = decoded.rows;
        out.image.data.resize(pixels * 3);
        return out;
    }
    // `decoded` may still be in the buffer (another type of the same byte size): kept alive
    // while the picture is flattened into a new one.
    const std::vector<std::uint8_t> source = std::move(out.image.data);
    out.image = {};
    if (auto flat = flatten_to_rgb(decoded, out.image, h.png_grey_key); !flat.ok())
        return Error{fail(name, flat.error().message)};
    return out;
}

Result<DecodedImage> decode(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                            const DecodeOptions& opt);

// libraw reads the header and copies the preview: a child growing past this is stuck in a bug.
constexpr std::uint64_t kRawReaderMemory = std::uint64_t{512} << 20;

// A camera RAW: its embedded JPEG preview, decoded like any JPEG, then turned by the RAW's own
// orientation.
Result<DecodedImage> decode_raw(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                                const DecodeOptions& opt) {
    auto preview = read_raw_preview(bytes, size, ReaderLimits{opt.reader_seconds, kRawReaderMemory});
    if (!preview.ok()) return Error{fail(name, preview.error().message)};
    if (sniff_image_header(preview->jpeg.data(), preview->jpeg.size()).format != ImageFormat::Jpeg)
        return Error{fail(name, "camera RAW with no embedded preview (its thumbnail is not a JPEG)")};
    auto out = decode(preview->jpeg.data(), preview->jpeg.size(), name, opt);
    if (!out.ok()) {
        const std::string& m = out.error().message;  // "<name>: <reason>"
        return Error{fail(name, "damaged embedded preview (" + m.substr(std::min(m.size(), name.size() + 2)) + ")")};
    }
    apply_raw_flip(out->image, preview->flip);
    return out;
}

Result<DecodedImage> decode(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                            const DecodeOptions& opt) {
    if (size == 0) return Error{fail(name, "empty file (0 bytes)")};
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return Error{fail(name, "file too large (" + std::to_string(size >> 20) + " MiB)")};
    const ImageHeader h = sniff_image_header(bytes, size);
    // Most RAWs are TIFF inside (NEF, ARW, PEF, SRW...): the extension tells them apart.
    if (h.format == ImageFormat::Raw ||
        ((h.format == ImageFormat::Tiff || h.format == ImageFormat::Unknown) && has_raw_extension(name)))
        return decode_raw(bytes, size, name, opt);
    if (auto why = refusal(h, opt); !why.empty()) return Error{fail(name, why)};
    if (h.format == ImageFormat::Heif || h.format == ImageFormat::Avif) return decode_heif(bytes, size, name, h.format, opt);
    // WebP never reaches cv::imdecode, which picks its decoder by signature: a RIFF file libwebp
    // rejects could go to its DICOM reader (GDCM aborts the process) or its GDAL one, both found
    // by fuzz_image_decode.
    if (h.format == ImageFormat::Webp) return decode_webp(bytes, size, name, h, opt);
    if (h.format == ImageFormat::Jpeg && !jpeg_has_end_marker(bytes, size, h.jpeg_scan_offset))
        return Error{fail(name, "truncated JPEG (no end-of-image marker)")};
    if (h.may_have_alpha) return decode_with_alpha(bytes, size, name, h, opt);

    const int reduction = h.format == ImageFormat::Jpeg ? decode_reduction(h.width, h.height, opt.min_side) : 1;
    const int flags = reduction == 8 ? cv::IMREAD_REDUCED_COLOR_8
                      : reduction == 4 ? cv::IMREAD_REDUCED_COLOR_4
                      : reduction == 2 ? cv::IMREAD_REDUCED_COLOR_2
                                       : cv::IMREAD_COLOR;

    // The decoder writes straight into the output pixels when their size is known from the header
    // (libjpeg's DCT scaling rounds up); it allocates its own only when the header did not say,
    // or EXIF orientation turned the picture (one copy then, below).
    DecodedImage out;
    if (h.width > 0 && h.height > 0) {
        out.image.width = (h.width + reduction - 1) / reduction;
        out.image.height = (h.height + reduction - 1) / reduction;
        out.image.data.resize(static_cast<std::size_t>(out.image.width) * out.image.height * 3);
    }
    DecodeTarget target(out.image.data.data(), out.image.data.size(), opt.max_pixels, reduction);
    std::string why;
    const cv::Mat bgr = run_decoder(bytes, size, flags, h, target, why);
    if (bgr.empty()) return Error{fail(name, why)};

    out.reduction = reduction;
    out.original_width = h.width > 0 ? h.width : bgr.cols;
    out.original_height = h.height > 0 ? h.height : bgr.rows;
    if (bgr.data != out.image.data.data() || !bgr.isContinuous() || bgr.type() != CV_8UC3) {
        if (bgr.type() != CV_8UC3) return Error{fail(name, "unexpected pixel format from the decoder")};
        out.image.data.clear();
        out.image.data.shrink_to_fit();
        out.image.width = bgr.cols;
        out.image.height = bgr.rows;
        out.image.data.resize(static_cast<std::size_t>(bgr.cols) * bgr.rows * 3);
        bgr.copyTo(cv::Mat(bgr.rows, bgr.cols, CV_8UC3, out.image.data.data()));
    }
    bgr_to_rgb_in_place(out.image.data.data(), static_cast<std::size_t>(out.image.width) * out.image.height);
    return out;
}

// Reads up to n bytes at the descriptor's position; fewer only at end of file. -1 on error.
ssize_t read_fully(int fd, std::uint8_t* p, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return static_cast<ssize_t>(got);
}

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

}  // namespace

Result<DecodedImage> decode_image_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                        const DecodeOptions& options) {
    return decode(bytes.data(), bytes.size(), name, options);
}

Result<DecodedImage> decode_image(const std::filesystem::path& path, const DecodeOptions& options) {
    const std::string name = path.string();
    // O_NONBLOCK: opening a FIFO must not wait for a writer. What was opened is checked to be a
    // regular file before anything is read from it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return Error{fail(name, "no such file")};
        return Error{fail(name, std::string("cannot open: ") + std::strerror(errno))};
    }
    FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return Error{fail(name, std::string("cannot open: ") + std::strerror(errno))};
    if (S_ISDIR(st.st_mode)) return Error{fail(name, "is a directory")};
    if (!S_ISREG(st.st_mode)) return Error{fail(name, "not a regular file")};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size == 0) return Error{fail(name, "empty file (0 bytes)")};
    if (size > kMaxFileBytes) return Error{fail(name, "file too large (" + std::to_string(size >> 20) + " MiB)")};

    // Memory stays bounded by what the header allows: the head decides whether the rest is read.
    // The buffer is left uninitialised (pages a refused file never reaches are never touched).
    std::unique_ptr<std::uint8_t[]> bytes(new std::uint8_t[size]);
    const std::size_t head = static_cast<std::size_t>(std::min<std::uint64_t>(size, kHeadBytes));
    ssize_t got = read_fully(fd, bytes.get(), head);
    if (got < 0) return Error{fail(name, std::string("read failed: ") + std::strerror(errno))};
    const ImageHeader head_header = sniff_image_header(bytes.get(), static_cast<std::size_t>(got));
    // A picture format RuVision cannot read is named as such, not as "not an image".
    if (auto format = unsupported_format(path);
        !format.empty() && (head_header.format == ImageFormat::Unknown || head_header.format == ImageFormat::Gif))
        return Error{fail(name, format + " is not supported")};
    if (auto why = refusal(head_header, options); !why.empty() && !has_raw_extension(path))
        return Error{fail(name, why)};
    if (static_cast<std::size_t>(got) == head && size > head) {
        const ssize_t rest = read_fully(fd, bytes.get() + head, size - head);
        got = rest < 0 ? rest : got + rest;
    }
    if (got < 0) return Error{fail(name, std::string("read failed: ") + std::strerror(errno))};
    if (static_cast<std::uint64_t>(got) != size) return Error{fail(name, "read failed (file changed while reading?)")};
    return decode(bytes.get(), static_cast<std::size_t>(size), name, options);
}

}  // namespace rv
