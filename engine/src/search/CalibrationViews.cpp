// Edited views of library images for the score calibration's same-picture positives.
#include <memory>

#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/ImageEdits.h"
#include "search/CalibrationPicture.h"
#include "search/SearchCalibration.h"

namespace rv {

EditedView calibration_views(Embedder& embedder, std::uint64_t seed) { return calibration_views(embedder, seed, nullptr); }

EditedView calibration_views(Embedder& embedder, std::uint64_t seed, std::size_t* decodes) {
    auto picture = std::make_shared<CalibrationPicture>(decodes);
    return [&embedder, seed, picture](std::int64_t file_id, const std::string& path, int view) -> std::optional<std::vector<float>> {
        const RgbImage* image = picture->get(file_id, path);
        if (!image) return std::nullopt;  // an unreadable file is no positive; the others are
        EditRandom r(seed, static_cast<std::uint64_t>(file_id), static_cast<std::uint64_t>(view));
        const std::vector<ImageEdit> edits = draw_edits(r, 2 + r.below(2));
        auto e = embedder.embed(apply_edits(*image, edits, r));
        if (!e) return std::nullopt;
        return std::move(*e);
    };
}

}  // namespace rv
