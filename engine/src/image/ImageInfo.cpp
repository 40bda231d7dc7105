#include "ruvision/engine/ImageInfo.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <vector>

#include "image/Exif.h"
#include "image/ImageHeader.h"

namespace rv {

namespace {

// The header sniffer needs the bytes up to the JPEG frame header, after any APPn segments (EXIF
// with its thumbnail, ICC profiles): 1 MB covers what cameras and phones write.
constexpr std::size_t kHeaderBytes = 1u << 20;

void read_from(exif::ByteSource& src, ImageInfo& info) {
    std::vector<std::uint8_t> head(static_cast<std::size_t>(std::min<std::uint64_t>(src.size(), kHeaderBytes)));
    if (head.empty() || !src.read(0, head.data(), head.size())) return;
    const ImageHeader h = sniff_image_header(head.data(), head.size());
    if (h.format == ImageFormat::Unknown) return;
    info.format = format_name(h.format);
    info.width = h.width;
    info.height = h.height;
    info.exif_problem = exif::read_exif(src, h.format, info.exif, info.has_exif);
}

}  // namespace

ImageInfo read_image_info(const std::uint8_t* data, std::size_t size) {
    ImageInfo info;
    info.file_size = size;
    exif::MemorySource src(data, size);
    read_from(src, info);
    return info;
}

Result<ImageInfo> read_image_info(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        return Error{path + ": " + (err == ENOENT ? std::string("file not found") : std::strerror(err))};
    }
    if (S_ISDIR(st.st_mode)) return Error{path + ": is a folder"};
    if (!S_ISREG(st.st_mode)) return Error{path + ": not a regular file"};
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        const int err = errno;
        return Error{path + ": " + std::strerror(err)};
    }
    exif::FileSource src(f);  // owns f
    ImageInfo info;
    info.file_size = static_cast<std::uint64_t>(st.st_size);
    info.modified_unix = static_cast<std::int64_t>(st.st_mtime);
    read_from(src, info);
    return info;
}

}  // namespace rv
