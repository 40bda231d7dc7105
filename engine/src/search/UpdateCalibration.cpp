// Library::update_search_calibration: the writer learns and stores what searches use (the
// whitening and the score model of the active space, and of the plain one under an adapter).
#include <memory>

#include "ruvision/engine/Library.h"
#include "search/CalibrationPicture.h"
#include "search/SearchCalibration.h"

namespace rv {

namespace {

// The seed of the edited views: fixed, so a relearn on the same library gives the same curves.
constexpr std::uint64_t kViewSeed = 13;
// Results a calibration crop's region search asks for (its margin needs the best two).
constexpr int kRegionCalibrationK = 10;

}  // namespace

Status Library::update_search_calibration(const std::atomic<bool>& cancel) {
    if (auto st = check_writable("storing the search calibration"); !st) return st.error();
    const auto active = active_adapter();
    std::vector<std::shared_ptr<const ActiveAdapter>> spaces{active};
    if (active->version) spaces.push_back(std::make_shared<const ActiveAdapter>());
    // The passes below sample the same files (every n-th of the model's features in the catalog's
    // order, in a library of up to kWhitenRows images): one decode of each serves them all (each
    // space's views, the region crops); a file asked for again after it went is decoded again.
    const auto pictures = std::make_shared<CalibrationPicture>(nullptr, kSharedPictureBytes);
    for (const auto& space : spaces) {
        const VectorIndex& index = space->index ? *space->index : *index_;
        const auto images = static_cast<std::int64_t>(index.size());
        if (images == 0) continue;
        // Kept when it still fits, was fitted on edited views (or the library is too small for any)
        // and its curves are placed as now.
        auto stored = read_search_calibration(*catalog_, model_id_, space->version, index.dim());
        if (!stored) return stored.error();
        // The plain space's row also carries the region curves (region searches are plain).
        const bool regions_due = !space->version && !((*stored) && (*stored)->model.region);
        if (*stored && (*stored)->fresh(images) && ((*stored)->model.positives > 0 || images < 2) && !regions_due &&
            (*stored)->model.form == kScoreForm)
            continue;
        auto learned = learn_search_calibration(*catalog_, index, model_id_, space->version, space->base, images,
                                                CalibrationSample{}, calibration_views(*embedder_, kViewSeed, pictures), cancel);
        if (!learned) return cancel ? Status{} : Status(learned.error());
        if (!space->version) {  // i13-scores: crops searched by region as a person's are
            auto region = learn_region_scores(
                *catalog_, model_id_, CalibrationSample{}, region_crops(*embedder_, kViewSeed, pictures),
                [this](const std::vector<float>& q) { return search_region_vector(q, kRegionCalibrationK); }, cancel);
            if (!region) return cancel ? Status{} : Status(region.error());
            learned->model.region = *region;
        }
        if (auto st = store_search_calibration(*catalog_, *learned); !st) return st;
        std::lock_guard lock(calibration_mutex_);
        calibration_[space->version ? 1 : 0] = std::make_shared<const SearchSpaceCalibration>(std::move(*learned));
    }
    return {};
}

}  // namespace rv
