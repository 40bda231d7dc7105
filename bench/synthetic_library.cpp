// create_library, write_synthetic_files (synthetic_library.h).
#include "synthetic_library.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Library.h"

namespace benchlib {

namespace fs = std::filesystem;

rv::Result<SyntheticLibrary> create_library(const fs::path& dir, const fs::path& root) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) return rv::Error{dir.string() + ": cannot remove the old library: " + ec.message()};
    fs::create_directories(root, ec);
    if (ec) return rv::Error{root.string() + ": cannot create the root: " + ec.message()};
    auto lib = rv::Library::open(dir, rv::LibraryAccess::Create);
    if (!lib) return lib.error();
    SyntheticLibrary out;
    out.model_id = (*lib)->model_id();
    out.dim = (*lib)->embedder().dim();
    if (auto r = (*lib)->add_root(root); !r) return r.error();
    return out;
}

rv::Status write_synthetic_files(const fs::path& dir, const SyntheticLibrary& lib, std::size_t n, int width,
                                 int height, const MakeFile& make) {
    auto db = rv::CatalogDb::open(dir / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
    if (!db) return db.error();
    auto roots = db->roots();
    if (!roots) return roots.error();
    if (roots->empty()) return rv::Error{dir.string() + ": the library has no root"};
    const auto& root = (*roots)[0];
    std::vector<float> v(static_cast<std::size_t>(lib.dim));
    for (std::size_t start = 0; start < n; start += 4096) {
        auto tx = db->begin();
        if (!tx) return tx.error();
        for (std::size_t i = start; i < std::min(n, start + 4096); ++i) {
            auto file = make(i, root.path, v.data());
            if (!file) return file.error();
            auto seen = db->upsert_file_seen(root.id, file->path, file->size, file->mtime_ns);
            if (!seen) return seen.error();
            if (auto st = db->mark_indexed(seen->file_id, width, height, lib.model_id, v.data(), lib.dim); !st)
                return st;
        }
        if (auto st = tx->commit(); !st) return st;
    }
    return rv::Status::success();
}

}  // namespace benchlib
