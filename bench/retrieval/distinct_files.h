// The source lists of the benches' image sets (dataset.h, honest_set.h) share this: paths sorted,
// and a file reached twice (through a symlink, or by two names) kept once, under its first name.
#pragma once

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

namespace rvbench {

inline std::vector<std::filesystem::path> sorted_distinct_files(std::vector<std::filesystem::path> paths) {
    std::sort(paths.begin(), paths.end());
    std::vector<std::filesystem::path> unique, seen;
    std::error_code ec;
    for (const auto& p : paths) {
        const std::filesystem::path c = std::filesystem::weakly_canonical(p, ec);
        if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
        seen.push_back(c);
        unique.push_back(p);
    }
    return unique;
}

}  // namespace rvbench
