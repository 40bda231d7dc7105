#include "ruvision/engine/ImageFormats.h"

#include <algorithm>
#include <map>

#include <libheif/heif.h>

namespace rv {

namespace {

std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

const std::vector<std::string> kDecoded = {"jpg", "jpeg", "jpe", "png", "webp", "tif", "tiff", "bmp",
                                           "heic", "heif", "hif", "avif"};
const std::vector<std::string> kRaw = {"cr2", "cr3", "crw", "nef", "nrw", "arw", "srf", "sr2", "dng", "raf",
                                       "orf", "rw2", "rwl", "pef", "srw", "3fr", "iiq", "erf", "kdc", "mrw"};

// Pictures by name that RuVision cannot read, and the format's name as the user knows it.
const std::map<std::string, std::string>& unreadable() {
    static const std::map<std::string, std::string> m = {
        {"gif", "GIF"},         {"svg", "SVG"},         {"svgz", "SVG"},       {"psd", "PSD"},
        {"psb", "PSD"},         {"xcf", "XCF"},         {"jxl", "JPEG XL"},    {"jp2", "JPEG 2000"},
        {"j2k", "JPEG 2000"},   {"ico", "ICO"},         {"tga", "TGA"},        {"exr", "OpenEXR"},
        {"kra", "Krita"},       {"ora", "OpenRaster"},  {"heics", "HEIF sequence"},
        {"heifs", "HEIF sequence"}, {"avifs", "AVIF sequence"}};
    return m;
}

}  // namespace

const std::vector<std::string>& picture_extensions() {
    static const std::vector<std::string> all = [] {
        std::vector<std::string> v = kDecoded;
        v.insert(v.end(), kRaw.begin(), kRaw.end());
        for (const auto& [ext, name] : unreadable()) v.push_back(ext);
        return v;
    }();
    return all;
}

bool has_raw_extension(const std::filesystem::path& path) {
    const std::string ext = lower_extension(path);
    return std::find(kRaw.begin(), kRaw.end(), ext) != kRaw.end();
}

bool avif_decoding_available() { return heif_have_decoder_for_format(heif_compression_AV1) != 0; }

std::string unsupported_format(const std::filesystem::path& path) {
    const std::string ext = lower_extension(path);
    if (ext == "avif") return avif_decoding_available() ? "" : "AVIF";
    if (ext == "heic" || ext == "heif" || ext == "hif")
        return heif_have_decoder_for_format(heif_compression_HEVC) ? "" : "HEIC";
    const auto it = unreadable().find(ext);
    return it == unreadable().end() ? "" : it->second;
}

std::vector<UnsupportedFormatCount> count_unsupported_formats(const std::vector<CatalogFileError>& errors) {
    std::map<std::string, std::int64_t> by_format;
    for (const auto& e : errors)
        if (auto f = unsupported_format(e.path); !f.empty()) ++by_format[f];
    std::vector<UnsupportedFormatCount> out;
    for (const auto& [format, files] : by_format) out.push_back({format, files});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.files > b.files; });
    return out;
}

}  // namespace rv
