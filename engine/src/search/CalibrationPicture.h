// The picture the score calibration's views of a library file are edited from: the file decoded
// (shorter side at least 256 pixels), then brought down to a shorter side of at most
// kCalibrationSide; and the closure that edits and embeds it, shared by calibration_views
// (CalibrationViews.cpp) and region_crops (RegionScores.cpp). Engine-internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageEdits.h"
#include "search/SearchCalibration.h"

namespace rv {

class Embedder;

// Views are edited at this shorter side at most: twice what the embedder sees, so that a crop
// keeps its detail (a crop of 10 % keeps ~140 pixels of it: about the embedder's input), and a
// PNG panorama's edits stay small (decoded whole it is 600 MB, and its edits took 4.6 GB).
inline constexpr int kCalibrationSide = 448;

// Keeps the pictures of the files asked last, up to `keep_bytes` (each file counts its picture's
// bytes plus one; the file asked last is always kept). learn_search_calibration and
// learn_region_scores ask for the views of one file in a row, so with none to spare (0) each
// sampled file is decoded once per pass, the last file's picture going before the next one is
// decoded; with room for the sample (kSharedPictureBytes), one CalibrationPicture shared by the
// passes of a calibration (Library::update_search_calibration: each space's views, the region
// crops) decodes each sampled file once for all of them.
// Not thread-safe: used on one thread only (the closures sharing it are all called on it).
class CalibrationPicture {
public:
    // `decodes` (may be null; it must outlive this): counts the files decoded (or tried).
    explicit CalibrationPicture(std::size_t* decodes = nullptr, std::size_t keep_bytes = 0)
        : keep_bytes_(keep_bytes), decodes_(decodes) {}

    // The picture of the file `file_id` at `path`; null when it cannot be decoded (that file is no
    // positive). Valid until the next call.
    const RgbImage* get(std::int64_t file_id, const std::string& path);

private:
    struct Kept {
        std::int64_t file_id;
        std::string path;
        std::optional<RgbImage> picture;  // nullopt: the file could not be decoded
        std::size_t bytes;                // the picture's bytes plus one
    };
    std::deque<Kept> kept_;  // oldest first
    std::size_t bytes_ = 0;  // kept_'s bytes
    std::size_t keep_bytes_;
    std::size_t* decodes_;
};

// Room for a calibration's sample (CalibrationSample::images, 48) of pictures at kCalibrationSide:
// about 1 MB each for a 16:9 photo (448 x 796 x 3); larger ones (panoramas) go first and are
// decoded again when asked again.
inline constexpr std::size_t kSharedPictureBytes = std::size_t{64} << 20;

// How a view is made from a file's picture (CalibrationPicture::get): the edited image, drawn
// from `r`. Called on the view's caller thread.
using PictureEdit = std::function<RgbImage(const RgbImage& picture, EditRandom& r)>;

// The one closure behind calibration_views and region_crops: the file's picture (`pictures`),
// edited by `edit` with an EditRandom seeded by (seed, file id, stream + view), embedded with
// `embedder` (plain space, unit length); nullopt when the file cannot be decoded or the edit
// cannot be embedded. `embedder` must outlive the function and be used by its caller's thread only.
EditedView edited_views(Embedder& embedder, std::uint64_t seed, std::uint64_t stream, PictureEdit edit,
                        std::shared_ptr<CalibrationPicture> pictures);

}  // namespace rv
