// Small helpers shared by the learning APIs (Marks.h, SearchSessions.h) and search: the time they
// stamp, how they name the library, the refusal of a library opened for reading, and how a path
// given by a person finds its catalog file.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Result.h"

namespace rv::learning {

// Unix time in milliseconds.
inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The library's folder, as messages name it.
inline std::string library_name(Library& lib) { return lib.catalog().path().parent_path().string(); }

// An Error "library DIR: <what> needs the library opened for writing" for a LibraryAccess::Read library.
inline Status check_writable(Library& lib, std::string_view what) {
    if (lib.access() != LibraryAccess::Read) return {};
    return Error{"library " + library_name(lib) + ": " + std::string(what) + " needs the library opened for writing"};
}

// The catalog's file for a path given as the catalog has it, made absolute and normal, or with
// symlinks resolved (the first that is a catalog file); nullopt when none is.
inline Result<std::optional<CatalogFile>> find_catalog_file(CatalogDb& db, const std::filesystem::path& p) {
    std::vector<std::string> tries{p.string()};
    std::error_code ec;
    const std::filesystem::path abs = std::filesystem::absolute(p, ec).lexically_normal();
    if (!ec) tries.push_back(abs.string());
    const std::filesystem::path canon = std::filesystem::weakly_canonical(p, ec);
    if (!ec) tries.push_back(canon.string());
    for (const auto& t : tries) {
        auto f = db.find_by_path(t);
        if (!f || *f) return f;
    }
    return std::optional<CatalogFile>();
}

}  // namespace rv::learning
