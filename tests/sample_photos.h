// The real photos engine tests use: MATE's nature wallpapers (Debian's mate-backgrounds, installed
// by packaging/quickstart.sh), in name order so that every run sees the same ones.
#pragma once

#include <algorithm>
#include <filesystem>
#include <vector>

namespace rv_test {

inline std::vector<std::filesystem::path> nature_photos() {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator("/usr/share/backgrounds/mate/nature"))
        if (e.path().extension() == ".jpg") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace rv_test
