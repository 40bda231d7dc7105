// A real library (catalog on disk, Library::open with the default model) whose features are
// synthetic and written straight into its catalog, no image decoded: bench_adapter_swap,
// bench_poincare_frames and bench_scale build their large libraries this way.
//
// Thread: any one; the library's folder is the caller's alone while it is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ruvision/engine/CatalogDb.h"
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
// Optional, what indexing stores beside the feature: the quarter turn's feature (dim floats),
// weak-edit twins (row-major, n x dim) and regions.
struct SyntheticFile {
    std::string path;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::vector<float> rotated;
    std::vector<float> twins;
    std::vector<rv::CatalogRegion> regions;
};

// File i of the library: `root` is the root's path as the catalog stores it; the file's feature
// (lib.dim floats) is written to `feature`. An error stops the writing.
using MakeFile = std::function<rv::Result<SyntheticFile>(std::size_t i, const std::string& root, float* feature)>;

// Files 0..n-1 from `make`, each recorded as indexed (width x height px) with its feature, 4,096 a
// transaction, into the catalog of the library `create_library` made in `dir`.
rv::Status write_synthetic_files(const std::filesystem::path& dir, const SyntheticLibrary& lib, std::size_t n,
                                 int width, int height, const MakeFile& make);

// Unit vectors of `dim` around `clusters` seeded random centres; vector i lies near centre
// i % clusters, moved by noise of norm `spread` (0.8: two members of a cluster have a cosine near
// 0.6, alike, far from a copy; 1.2: near 0.4).
class ClusteredVectors {
public:
    ClusteredVectors(int dim, int clusters, std::uint64_t seed, float spread = 0.8f);
    void vector(std::size_t i, float* out) const;
    // `v` moved by noise of norm `scale` and normalised again, from the seed `seed`.
    void perturb(float* v, float scale, std::uint64_t seed) const;
    int dim() const { return dim_; }

private:
    int dim_;
    float spread_;
    std::vector<float> centres_;
};

// A library of n real files: root `dir`/photos holds p000000.jpg ... made from 24 wallpapers of
// /usr/share/backgrounds scaled to `side` px (written once into `dir`/sources), so thumbnails and
// pixel checks work on real files; each file recorded in the catalog with its true size and mtime
// and a ClusteredVectors feature (1,000 clusters). Then the library is opened (the indexes are
// built from the catalog), an indexing run with the folder away saves them, the search
// calibration is stored (as `ruvision-cli index` does), and the hierarchy is built and stored.
struct LinkedLibraryParams {
    std::size_t files = 100000;
    int side = 800;
    float spread = 0.8f;  // ClusteredVectors'
    // false: each file a hard link to its source (no disk used; a scan counts the links to one
    // picture as one file, so the library must not be rescanned); true: each file its own JPEG,
    // the source's bytes with a comment naming the file (a rescan finds every file unchanged).
    bool distinct = false;
    // Every copy_every-th file (0: none) is a copy of the one before it: the same picture (with
    // `distinct`, a byte copy) and its feature moved by noise of norm 0.02, as a copy's is.
    std::size_t copy_every = 0;
    // Also each file's extras as indexing stores them: 3 weak-edit twins and the quarter turn
    // (i13-twins), 4 region tiles (i13-region), all near the feature. Without them, the next
    // indexing run computes them from the pixels.
    bool extras = false;
};
struct LinkedLibraryTimes {
    double write_s = 0, open_s = 0, save_s = 0, calibration_s = 0, hierarchy_s = 0;
    std::size_t hierarchy_nodes = 0;
};
rv::Result<LinkedLibraryTimes> build_linked_library(const std::filesystem::path& dir, const LinkedLibraryParams& p);

}  // namespace benchlib
