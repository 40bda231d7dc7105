#include <cerrno>
#include <cstring>
#include <fstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "image/ImageHeader.h"
#include "ruvision/engine/Image.h"

namespace rv {

namespace {

std::string fail(const std::string& name, const std::string& why) { return name + ": " + why; }

// JPEG data must end with an end-of-image marker (allowing trailing padding); libjpeg otherwise
// fills the missing rows with grey and reports success.
bool jpeg_has_end_marker(const std::vector<std::uint8_t>& b) {
    const std::size_t from = b.size() > 65536 ? b.size() - 65536 : 0;
    for (std::size_t i = b.size(); i-- > from + 1;)
        if (b[i - 1] == 0xFF && b[i] == 0xD9) return true;
    return false;
}

Result<DecodedImage> decode(const std::vector<std::uint8_t>& bytes, const std::string& name,
                            const DecodeOptions& opt) {
    if (bytes.empty()) return Error{fail(name, "empty file (0 bytes)")};
    const ImageHeader h = sniff_image_header(bytes.data(), bytes.size());
    if (h.format == ImageFormat::Unknown) return Error{fail(name, "not an image (unrecognised content)")};
    if (h.width > 0 && h.height > 0 &&
        static_cast<std::int64_t>(h.width) * h.height > opt.max_pixels)
        return Error{fail(name, "image too large (" + std::to_string(h.width) + "x" + std::to_string(h.height) +
                                    " pixels, limit " + std::to_string(opt.max_pixels) + ")")};
    if (h.format == ImageFormat::Jpeg && !jpeg_has_end_marker(bytes))
        return Error{fail(name, "truncated JPEG (no end-of-image marker)")};

    int reduction = 1;
    if (h.format == ImageFormat::Jpeg && opt.min_side > 0 && h.width > 0)
        for (int r : {8, 4, 2})
            if (std::min(h.width, h.height) / r >= opt.min_side) {
                reduction = r;
                break;
            }
    const int flags = reduction == 8 ? cv::IMREAD_REDUCED_COLOR_8
                      : reduction == 4 ? cv::IMREAD_REDUCED_COLOR_4
                      : reduction == 2 ? cv::IMREAD_REDUCED_COLOR_2
                                       : cv::IMREAD_COLOR;
    cv::Mat bgr;
    try {
        // imdecode applies the EXIF orientation for IMREAD_COLOR and the reduced modes.
        bgr = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data())),
                           flags);
    } catch (const cv::Exception& e) {
        return Error{fail(name, std::string("cannot decode (") + e.err + ")")};
    }
    if (bgr.empty()) return Error{fail(name, std::string("cannot decode ") + format_name(h.format) + " (corrupt or truncated)")};
    if (static_cast<std::int64_t>(bgr.cols) * bgr.rows * reduction * reduction > opt.max_pixels)
        return Error{fail(name, "image too large (" + std::to_string(bgr.cols * reduction) + "x" +
                                    std::to_string(bgr.rows * reduction) + " pixels)")};

    DecodedImage out;
    out.reduction = reduction;
    out.original_width = h.width > 0 ? h.width : bgr.cols;
    out.original_height = h.height > 0 ? h.height : bgr.rows;
    out.image.width = bgr.cols;
    out.image.height = bgr.rows;
    out.image.data.resize(static_cast<std::size_t>(bgr.cols) * bgr.rows * 3);
    cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, out.image.data.data());
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return out;
}

}  // namespace

Result<DecodedImage> decode_image_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                        const DecodeOptions& options) {
    return decode(bytes, name, options);
}

Result<DecodedImage> decode_image(const std::filesystem::path& path, const DecodeOptions& options) {
    const std::string name = path.string();
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) return Error{fail(name, "no such file")};
    if (std::filesystem::is_directory(status)) return Error{fail(name, "is a directory")};
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return Error{fail(name, ec.message())};
    if (size == 0) return Error{fail(name, "empty file (0 bytes)")};
    if (size > (std::uintmax_t{1} << 31)) return Error{fail(name, "file too large (" + std::to_string(size >> 20) + " MiB)")};
    std::ifstream f(path, std::ios::binary);
    if (!f) return Error{fail(name, std::string("cannot open: ") + std::strerror(errno))};
    std::vector<std::uint8_t> bytes(size);
    f.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(f.gcount()) != size) return Error{fail(name, "read failed (file changed while reading?)")};
    return decode(bytes, name, options);
}

}  // namespace rv
