// The picture the score calibration's views of a library file are edited from: the file decoded
// (shorter side at least 256 pixels), then brought down to a shorter side of at most
// kCalibrationSide; and the closure that edits and embeds it, shared by calibration_views
// (CalibrationViews.cpp) and region_crops (RegionScores.cpp). Engine-internal.
#pragma once

#include <cstddef>
#include <cstdint>
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

// Keeps the last file's picture: learn_search_calibration and learn_region_scores ask for the
// views of one file in a row, so each sampled file is decoded once per pass, not once per view.
// Not thread-safe: one per closure, used on the closure's caller thread only.
class CalibrationPicture {
public:
    // `decodes` (may be null; it must outlive this): counts the files decoded (or tried).
    explicit CalibrationPicture(std::size_t* decodes = nullptr) : decodes_(decodes) {}

    // The picture of the file `file_id` at `path`; null when it cannot be decoded (that file is no
    // positive). Valid until the next call.
    const RgbImage* get(std::int64_t file_id, const std::string& path);

private:
    std::optional<std::int64_t> file_id_;  // whose picture (or failure) is kept
    std::string path_;
    std::optional<RgbImage> picture_;  // nullopt: the file could not be decoded
    std::size_t* decodes_;
};

// How a view is made from a file's picture (CalibrationPicture::get): the edited image, drawn
// from `r`. Called on the view's caller thread.
using PictureEdit = std::function<RgbImage(const RgbImage& picture, EditRandom& r)>;

// The one closure behind calibration_views and region_crops: the file's picture (decoded once per
// run of its views, CalibrationPicture), edited by `edit` with an EditRandom seeded by (seed, file
// id, stream + view), embedded with `embedder` (plain space, unit length); nullopt when the file
// cannot be decoded or the edit cannot be embedded. Counts the files decoded in *decodes (may be
// null). `embedder` must outlive the function and be used by its caller's thread only.
EditedView edited_views(Embedder& embedder, std::uint64_t seed, std::uint64_t stream, PictureEdit edit,
                        std::size_t* decodes);

// calibration_views and region_crops (SearchCalibration.h) counting the files they decode in
// *decodes (may be null), for tests; the two-argument forms pass null.
EditedView calibration_views(Embedder& embedder, std::uint64_t seed, std::size_t* decodes);
EditedView region_crops(Embedder& embedder, std::uint64_t seed, std::size_t* decodes);

}  // namespace rv
