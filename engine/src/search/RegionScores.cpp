// Region scores (i13-scores): the curves that turn a region search's plain cosine into what a
// person reads, learned on crops of library images searched by region (SearchCalibration.h).
#include <algorithm>
#include <memory>
#include <utility>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageEdits.h"
#include "search/CalibrationPicture.h"
#include "search/SearchCalibration.h"

namespace rv {

namespace {

// A crop of 10-30 % of the picture (at kCalibrationSide, CalibrationPicture.h), drawn from the
// view's stream (seed, file id, 1000 + view): apart from calibration_views' streams.
RgbImage region_crop(const RgbImage& picture, EditRandom& r) {
    EditRanges ranges;
    ranges.crop_area_min = 0.10;
    ranges.crop_area_max = 0.30;
    return apply_edit(picture, ImageEdit::Crop, r, ranges);
}

}  // namespace

EditedView region_crops(Embedder& embedder, std::uint64_t seed, std::shared_ptr<CalibrationPicture> pictures) {
    return edited_views(embedder, seed, 1000, region_crop, std::move(pictures));
}

Result<ScoreModel::Region> learn_region_scores(CatalogDb& db, const std::string& model_id,
                                               const CalibrationSample& sample, const EditedView& crop,
                                               const RegionSearchFn& search, const std::atomic<bool>& cancel) {
    // The sampled images: every n-th file of the space, in the catalog's order.
    std::vector<std::int64_t> ids;
    auto st = db.for_each_feature(model_id, [&](std::int64_t id, const float*, int) {
        ids.push_back(id);
        return !cancel;
    });
    if (!st) return st.error();
    if (cancel) return Error{"cancelled"};
    const std::size_t want = static_cast<std::size_t>(std::max(sample.images, 0));
    const std::size_t every = want ? std::max<std::size_t>(1, ids.size() / want) : ids.size() + 1;

    CurveEvidence e;  // positives, hardest: {score, margin}
    for (std::size_t i = 0; i < ids.size() && want && i / every < want; i += every) {
        if (cancel) return Error{"cancelled"};
        auto file = db.file(ids[i]);
        if (!file) return file.error();
        if (!*file) continue;  // forgotten since
        for (int v = 0; v < sample.views; ++v) {
            auto q = crop(ids[i], (*file)->path, v);
            if (!q) continue;
            auto results = search(*q);
            if (!results) return results.error();
            std::vector<double> ranked;
            std::size_t source = results->size(), other = results->size();
            for (std::size_t r = 0; r < results->size(); ++r) {
                const SearchResult& x = (*results)[r];
                ranked.push_back(x.ranking);
                bool is_source = x.file_id == ids[i];
                for (const auto& c : x.copies) is_source = is_source || c.file_id == ids[i];
                if (is_source && source == results->size()) source = r;
                else if (!is_source && other == results->size()) other = r;
            }
            if (source < ranked.size()) e.positives.push_back({ranked[source], result_margin(ranked, source)});
            if (other < ranked.size()) {
                e.hardest.push_back({ranked[other], result_margin(ranked, other)});
                e.best_other.push_back(ranked[other]);
            }
            // Without the source: what a crop of a picture that is not in the library sees.
            if (source < ranked.size() && other < ranked.size()) {
                std::vector<double> left = ranked;
                left.erase(left.begin() + static_cast<std::ptrdiff_t>(source));
                e.hardest.push_back({left.front(), result_margin(left, 0)});
            }
        }
    }
    // No crop scored: the fixed curves of a plain space, no margin (an identical region reads
    // "same picture", as any cosine near 1).
    ScoreModel::Region m;
    m.same_mid = 0.96;
    m.same_slope = 150;
    m.same_margin = 0;
    m.alike_mid = 0.9;
    m.alike_slope = 40;
    learn_score_curves(m, e);
    m.positives = static_cast<int>(e.positives.size());
    m.negatives = static_cast<int>(e.hardest.size());
    return m;
}

}  // namespace rv
