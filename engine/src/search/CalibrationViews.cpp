// Edited views of library images for the score calibration's same-picture positives.
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageEdits.h"
#include "search/SearchCalibration.h"

namespace rv {

namespace {

// Views are edited at this shorter side at most: twice what the embedder sees, so that a crop
// keeps its detail (a PNG panorama decodes whole: 600 MB, and its edits took 4.6 GB).
constexpr int kViewSide = 448;

}  // namespace

EditedView calibration_views(Embedder& embedder, std::uint64_t seed) {
    return [&embedder, seed](std::int64_t file_id, const std::string& path, int view) -> std::optional<std::vector<float>> {
        DecodeOptions options;
        options.min_side = 256;
        auto decoded = decode_image(path, options);
        if (!decoded) return std::nullopt;  // an unreadable file is no positive; the others are
        EditRandom r(seed, static_cast<std::uint64_t>(file_id), static_cast<std::uint64_t>(view));
        const std::vector<ImageEdit> edits = draw_edits(r, 2 + r.below(2));
        auto e = embedder.embed(apply_edits(shrink_to_side(decoded->image, kViewSide), edits, r));
        if (!e) return std::nullopt;
        return std::move(*e);
    };
}

}  // namespace rv
