// Edited views of library images for the score calibration's same-picture positives.
#include "ruvision/engine/ImageEdits.h"
#include "search/CalibrationPicture.h"
#include "search/SearchCalibration.h"

namespace rv {

EditedView calibration_views(Embedder& embedder, std::uint64_t seed) { return calibration_views(embedder, seed, nullptr); }

// 2 or 3 combined edits, drawn from the view's stream (seed, file id, view).
EditedView calibration_views(Embedder& embedder, std::uint64_t seed, std::size_t* decodes) {
    return edited_views(
        embedder, seed, 0,
        [](const RgbImage& picture, EditRandom& r) {
            const std::vector<ImageEdit> edits = draw_edits(r, 2 + r.below(2));
            return apply_edits(picture, edits, r);
        },
        decodes);
}

}  // namespace rv
