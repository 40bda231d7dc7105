// A real library (catalog on disk, Library::open with the default model) whose features are
// synthetic and written straight into its catalog, no image decoded: bench_adapter_swap and
// bench_poincare_frames build their large libraries this way.
//
// Thread: any one; the library's folder is the caller's alone while it is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "ruvision/engine/Result.h"

namespace benchlib {

struct SyntheticLibrary {
    std::string model_id;  // the default model's, as the library stores features under
    int dim = 0;           // its feature dimension
};

// A new library in `dir` (whatever was there removed) with the one root `root`, created empty.
rv::Result<SyntheticLibrary> create_library(const std::filesystem::path& dir, const std::filesystem::path& root);

// What the catalog records of one file: its path (under the root) and the size (bytes) and mtime
// (ns since the epoch) a rescan compares.
struct SyntheticFile {
    std::string path;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
};

// File i of the library: `root` is the root's path as the catalog stores it; the file's feature
// (lib.dim floats) is written to `feature`. An error stops the writing.
using MakeFile = std::function<rv::Result<SyntheticFile>(std::size_t i, const std::string& root, float* feature)>;

// Files 0..n-1 from `make`, each recorded as indexed (width x height px) with its feature, 4,096 a
// transaction, into the catalog of the library `create_library` made in `dir`.
rv::Status write_synthetic_files(const std::filesystem::path& dir, const SyntheticLibrary& lib, std::size_t n,
                                 int width, int height, const MakeFile& make);

}  // namespace benchlib
