// Library: the region index (load, rebuild, save, keep up to date) and search_region.
//
// The region index is a ViewIndex (library/ViewIndex.h) of the plain feature space holding every
// stored region, kRegionSlots per file, so that a hit names its file.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "library/ViewIndex.h"
#include "region/RegionDescriptors.h"
#include "search/SearchCalibration.h"
#include "ruvision/engine/Library.h"

namespace rv {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRegionIndexFile = "regions.rvi";
// Regions a file may hold (the default grid has 4; region_boxes of any grid used must fit).
constexpr std::int64_t kRegionSlots = 16;

std::string region_model_id(const std::string& model_id) { return model_id + "#regions"; }

}  // namespace

std::string region_rect_problem(const RegionRect& r) {
    return region_box_problem({static_cast<float>(r.x), static_cast<float>(r.y), static_cast<float>(r.w),
                               static_cast<float>(r.h)});
}

std::size_t Library::region_index_size() const { return regions_ ? regions_->size() : 0; }
std::string Library::region_index_state() const { return regions_ ? regions_->state() : std::string(); }

Status Library::open_regions() {
    // A damaged region only leaves that region out (the next index run stores the file's again
    // only if it has none left; search by the whole image is unaffected).
    auto recorded = recorded_views(*catalog_, kRegionIndexFile);
    if (!recorded) return recorded.error();
    regions_ = std::make_unique<ViewIndex>(ViewIndex::Source{
        dir_, kRegionIndexFile, "regions", kRegionSlots, embedder_->dim(), region_model_id(model_id_),
        [this]() -> Result<std::int64_t> {
            auto db = open_own_reader();
            if (!db) return db.error();
            return db->region_count(model_id_);
        },
        files_behind_, *recorded,
        [this](const ViewIndex::Add& add) -> Status {
            auto db = open_own_reader();
            if (!db) return db.error();
            return db->for_each_region(model_id_, add);
        }});
    return Status::success();
}

Status Library::save_regions() { return regions_->save(); }

Status Library::regions_remove(std::int64_t file_id) { return regions_->remove(file_id); }

Status Library::store_regions(std::int64_t file_id, const std::vector<CatalogRegion>& regions) {
    if (auto st = regions_remove(file_id); !st) return st;
    if (regions.empty()) return catalog_->clear_regions(file_id);
    for (const auto& r : regions)
        if (r.idx >= kRegionSlots) return Error{"regions: file " + std::to_string(file_id) + " has more regions than fit"};
    if (auto st = catalog_->put_regions(file_id, model_id_, regions); !st) return st;
    for (const auto& r : regions)
        if (auto st = regions_->add(file_id, r.idx, r.vector.data()); !st) return st;
    return Status::success();
}

Result<std::vector<SearchResult>> Library::search_region(const fs::path& image, const RegionRect& rect, int k) {
    if (auto bad = region_rect_problem(rect); !bad.empty())
        return Error{image.string() + ": the region is not usable: " + bad};
    DecodeOptions opt;
    // The rectangle keeps the model's input side when the decoder reduces the image.
    const double shorter = std::min(rect.w, rect.h);
    opt.min_side = static_cast<int>(std::min(8192.0, std::ceil(embedder_->min_decode_side() / shorter)));
    auto img = decode_image(image, opt);
    if (!img) return img.error();
    auto r = search_region(img->image, rect, k);
    if (!r) return Error{image.string() + ": " + r.error().message};
    return r;
}

Result<std::vector<SearchResult>> Library::search_region(const RgbImage& image, const RegionRect& rect, int k) {
    if (auto bad = region_rect_problem(rect); !bad.empty()) return Error{"the region is not usable: " + bad};
    if (image.width <= 0 || image.height <= 0) return Error{"the query image is empty"};
    if (k < 1) return Error{"search: k must be at least 1 (got " + std::to_string(k) + ")"};
    const RgbImage part = crop_image(image, {static_cast<float>(rect.x), static_cast<float>(rect.y),
                                             static_cast<float>(rect.w), static_cast<float>(rect.h)});
    std::vector<float> q;
    {
        std::lock_guard lock(reader_mutex_);
        auto e = query_embedder_->embed(part);
        if (!e) return Error{"the region (" + std::to_string(part.width) + "x" + std::to_string(part.height) +
                             " pixels): " + e.error().message};
        q = std::move(*e);
    }
    return search_region_vector(q, k);
}

Result<std::vector<SearchResult>> Library::search_region_vector(const std::vector<float>& q, int k) {
    const std::string where = "library " + dir_.string();
    if (index_->size() == 0)
        return Error{where + ": nothing to search: no image is indexed with model " + model_id_ + " (run ruvision-cli index)"};
    // Each file scores its best: the whole image or one of its regions.
    std::unordered_map<std::int64_t, float> best;
    const std::size_t want = 4 * static_cast<std::size_t>(k) + 32;
    for (const Hit& h : index_->search(q.data(), static_cast<int>(std::min(want, index_->size())))) best[h.id] = h.score;
    auto region_hits = regions_->search_files(q.data(), 4 * want);
    if (!region_hits) return Error{where + ": " + region_hits.error().message};
    for (const Hit& h : *region_hits) {
        auto [it, fresh] = best.emplace(h.id, h.score);
        if (!fresh) it->second = std::max(it->second, h.score);
    }
    std::vector<std::pair<std::int64_t, float>> order(best.begin(), best.end());
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<CopyCandidate> found;
    std::unique_lock lock(reader_mutex_);
    for (const auto& hit : order) {
        CopyCandidate c;
        auto read = read_candidate(hit.first, hit.second, true, &c);  // removed or changed since: left out
        if (!read) return read.error();
        if (*read) found.push_back(std::move(c));
    }
    lock.unlock();
    if (found.empty())
        return Error{where + ": the index found no file still in the catalog; run ruvision-cli index"};
    const std::atomic<bool> never{false};
    const auto groups = group_copies(found, CopyRule{}, never, &copy_signatures_, nullptr, static_cast<std::size_t>(k));
    // The plain space's region curves (i13-scores; nullopt before they are learned).
    std::optional<ScoreCurves> curves;
    {
        std::lock_guard relock(reader_mutex_);
        const auto calibration = search_space_calibration(ActiveAdapter{});
        if (calibration->model.region) curves = *calibration->model.region;
    }
    std::vector<SearchResult> out;
    for (const CopyGroup& g : groups) {
        if (out.size() == static_cast<std::size_t>(k)) break;
        const CopyCandidate& rep = found[g.representative];
        SearchResult r;
        r.file_id = rep.file_id;
        r.path = rep.path;
        r.score = rep.score;
        r.width = rep.width;
        r.height = rep.height;
        // Region scores are plain cosines of a region with a tile or a whole image; with learned
        // region curves they are shown as a probability with a word (ScoreModel.h), with its margin
        // over the best candidate outside its group; without, as the cosine without a word.
        r.ranking = rep.score;
        r.shown = std::clamp(rep.score, 0.0f, 1.0f);
        if (curves) {
            std::vector<bool> member(found.size(), false);
            member[g.representative] = true;
            for (std::size_t i : g.copies) member[i] = true;
            const auto rival = std::find(member.begin(), member.end(), false);
            const double margin =
                rep.score - (rival == member.end() ? 0.0 : found[static_cast<std::size_t>(rival - member.begin())].score);
            r.same = static_cast<float>(curves->same(rep.score, margin));
            r.alike = static_cast<float>(curves->alike(rep.score));
            r.shown = curves->shown(rep.score, margin);
            r.word = curves->word(rep.score, margin);
        }
        for (std::size_t i = 0; i < g.copies.size(); ++i) {
            const CopyCandidate& c = found[g.copies[i]];
            r.copies.push_back({c.file_id, c.path, c.score, c.width, c.height, g.why[i]});
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace rv
