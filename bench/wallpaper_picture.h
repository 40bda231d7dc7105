// Which files of Debian's wallpaper packages show the same picture, for the benches that count
// real copies: a Plasma package's images/ (one picture at many sizes) and its screenshot are one
// picture, its images_dark/ another; MATE's Elephants*.jpg are one picture; every other file is
// its own.
#pragma once

#include <filesystem>
#include <string>

namespace rvbench {

inline std::string wallpaper_picture(const std::filesystem::path& file) {
    const std::string s = file.string();
    const auto at = s.find("/wallpapers/");
    if (at != std::string::npos) {
        const std::string rest = s.substr(at + 12);
        const std::string package = rest.substr(0, rest.find('/'));
        if (rest.find("/images_dark/") != std::string::npos) return package + "/dark";
        if (rest.find("/images/") != std::string::npos || rest.find("/screenshot.") != std::string::npos)
            return package + "/light";
    }
    if (file.filename().string().rfind("Elephants", 0) == 0) return "mate/Elephants";
    return s;
}

}  // namespace rvbench
