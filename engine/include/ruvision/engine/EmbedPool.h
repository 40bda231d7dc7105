// Decoding and embedding many files on several threads (one image per thread at a time).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Embedder.h"

namespace rv {

// What became of one file.
struct EmbeddedFile {
    std::size_t index = 0;         // position in the input list
    std::filesystem::path path;
    std::vector<float> embedding;  // L2-normalised; empty on error
    std::vector<float> rotated;    // of the image turned 90 degrees clockwise, if asked for
    int width = 0, height = 0;     // pixel size as stored (before DCT reduction and EXIF rotation)
    std::string error;             // "path: reason" when the file could not be embedded
    // Regional descriptors (search by region, i13-region), if asked for; empty when they failed
    // (region_error says why; the file's own embedding stands).
    std::vector<CatalogRegion> regions;
    std::string region_error;
    // Weak-edit twins (i13-twins), if asked for: the twin views' embeddings (augment/EditTwins.h,
    // TwinView order), row-major, each L2-normalised; empty when they failed (twin_error says
    // why; the file's own embedding stands).
    std::vector<float> twins;
    std::string twin_error;
    bool ok() const { return error.empty(); }
};

struct EmbedPoolParams {
    int threads = 2;       // workers; each owns an Embedder clone (weights shared)
    bool rotated = false;  // also embed each image turned 90 degrees clockwise (one more forward pass)
    // Search by region (i13-region): also compute each image's regional descriptors
    // (region/RegionDescriptors.h).
    bool regions = false;
    // Weak-edit twins (i13-twins): also embed each image's twin views (3 more forward passes).
    bool twins = false;
    // Only the extras asked for (regions, twins), no embedding (files indexed before they existed).
    bool extras_only = false;
    // Per file (the order of `files`), when not empty: which of the extras asked for that file
    // gets (kExtraRegions | kExtraTwins); the other extras are not computed for it.
    std::vector<unsigned char> extras;
};
inline constexpr unsigned char kExtraRegions = 1, kExtraTwins = 2;

// Embeds `files` with clones of `prototype`. `on_result` is called for every file, in the input
// order, on the calling thread (so it may write to a database that is not thread-safe); workers
// run ahead by at most 2 x threads files, which bounds memory whatever the image sizes.
// `cancel` is polled before each file; files not started when it turns true get no callback.
// Returns the number of files handed to on_result. Exceptions never cross threads: a worker
// failure becomes that file's error.
std::size_t embed_files(const Embedder& prototype, const std::vector<std::filesystem::path>& files,
                        const EmbedPoolParams& params, const std::atomic<bool>& cancel,
                        const std::function<void(EmbeddedFile&&)>& on_result);

}  // namespace rv
