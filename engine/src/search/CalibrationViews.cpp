// Edited views of library images for the score calibration's same-picture positives.
#include <memory>
#include <utility>

#include "ruvision/engine/ImageEdits.h"
#include "search/CalibrationPicture.h"
#include "search/SearchCalibration.h"

namespace rv {

namespace {

// 2 or 3 combined edits, drawn from the view's stream (seed, file id, view).
RgbImage combined_edits(const RgbImage& picture, EditRandom& r) {
    const std::vector<ImageEdit> edits = draw_edits(r, 2 + r.below(2));
    return apply_edits(picture, edits, r);
}

}  // namespace

EditedView calibration_views(Embedder& embedder, std::uint64_t seed, std::shared_ptr<CalibrationPicture> pictures) {
    return edited_views(embedder, seed, 0, combined_edits, std::move(pictures));
}

}  // namespace rv
