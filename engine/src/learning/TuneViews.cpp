// The training data of a tune (Tuning.h): the seeded sample of indexed files, their views decoded
// and embedded on worker threads, the held-out split, and the pairs training and the guard use.
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "learning/LearningAccess.h"
#include "learning/Random.h"
#include "ruvision/engine/ImageEdits.h"
#include "ruvision/engine/Tuning.h"

namespace rv {

namespace {

// The edits views are made of: what people do to photos, not the quarter turn (duplicates look
// for turned copies on their own).
const std::vector<ImageEdit> kViewEdits = {ImageEdit::Crop,   ImageEdit::Rotate, ImageEdit::Mirror,
                                           ImageEdit::Jitter, ImageEdit::Grey,   ImageEdit::Blur,
                                           ImageEdit::Caption, ImageEdit::Jpeg};

struct Sampled {
    std::int64_t id = 0;
    std::string path;
    std::vector<float> stored;
};

// One image's views, filled by a worker.
struct Slot {
    std::vector<std::vector<float>> views;
    bool failed = false;
};

// The sample: indexed files of the library's model with a usable stored feature, in a seeded order.
Result<std::vector<Sampled>> sample_files(Library& lib, const TuneParams& p, int dim) {
    CatalogDb& db = LearningAccess::catalog(lib);
    auto ids = db.feature_file_ids(lib.model_id());
    if (!ids) return ids.error();
    std::sort(ids->begin(), ids->end());
    learning::SplitMix64 rng(p.seed ^ 0x7475'6e65ull);  // "tune"
    learning::shuffle(*ids, rng);
    std::vector<Sampled> out;
    for (std::int64_t id : *ids) {
        if (out.size() >= p.images) break;
        auto f = db.file(id);
        if (!f) return f.error();
        if (!*f || (*f)->status != FileStatus::Indexed || (*f)->model_id != lib.model_id()) continue;
        auto v = db.feature(id);
        if (!v || !*v || static_cast<int>((*v)->size()) != dim) continue;  // damaged: open() reports it
        if (!std::all_of((*v)->begin(), (*v)->end(), [](float x) { return std::isfinite(x); })) continue;
        out.push_back({id, (*f)->path, std::move(**v)});
    }
    return out;
}

// Decodes `s` as indexing does and embeds its views with `e`.
void make_views(Embedder& e, const Sampled& s, const TuneParams& p, Slot& slot) {
    DecodeOptions opt;
    opt.min_side = e.min_decode_side();
    auto img = decode_image(s.path, opt);
    if (!img || img->image.width <= 0 || img->image.height <= 0) {
        slot.failed = true;
        return;
    }
    // Edited at twice the side the embedder needs at most: a PNG panorama decodes whole, and its
    // edits at full size (float colour maps, warps) take gigabytes.
    const RgbImage small = shrink_to_side(img->image, 2 * std::max(e.min_decode_side(), 224));
    const int max_edits = std::clamp(p.max_edits, 1, kImageEditCount);
    for (int v = 0; v < p.views; ++v) {
        EditRandom r(p.seed, static_cast<std::uint64_t>(s.id), static_cast<std::uint64_t>(v));
        const int n = 1 + r.below(max_edits);
        const auto edits = draw_edits(r, n, kViewEdits);
        auto emb = e.embed(apply_edits(small, edits, r));
        if (emb) slot.views.push_back(std::move(*emb));
    }
    slot.failed = slot.views.empty();
}

}  // namespace

Result<TuneViews> make_tune_views(Library& lib, const TuneParams& p, const std::atomic<bool>& cancel,
                                  const std::function<void(const TuneProgress&)>& progress) {
    const std::string where = "library " + LearningAccess::dir(lib).string();
    if (p.views < 1 || p.views > 64) return Error{where + ": tune views " + std::to_string(p.views) + " (1 to 64)"};
    if (!(p.held_out_fraction > 0 && p.held_out_fraction < 1))
        return Error{where + ": tune held-out fraction must be between 0 and 1"};
    const int dim = LearningAccess::dim(lib);
    auto sample = sample_files(lib, p, dim);
    if (!sample) return sample.error();
    const std::size_t need = std::max<std::size_t>(p.min_images, 4);
    if (sample->size() < need)
        return Error{where + ": too small to tune: " + std::to_string(sample->size()) + " indexed images, it needs at least " +
                     std::to_string(need)};

    // Workers take images in order; the calling thread reports progress and waits.
    std::vector<Slot> slots(sample->size());
    std::mutex m;
    std::condition_variable cv;
    std::size_t next = 0, finished = 0;
    const int threads = std::clamp(p.threads, 1, 16);
    std::vector<std::thread> workers;
    const Embedder& prototype = lib.embedder();
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, e = std::shared_ptr<Embedder>(prototype.clone())]() {
            for (;;) {
                std::size_t i;
                {
                    std::lock_guard<std::mutex> lk(m);
                    if (next >= slots.size() || cancel.load(std::memory_order_relaxed)) return;
                    i = next++;
                }
                make_views(*e, (*sample)[i], p, slots[i]);
                {
                    std::lock_guard<std::mutex> lk(m);
                    ++finished;
                }
                cv.notify_all();
            }
        });
    }
    if (progress) progress({"views", 0, slots.size(), 0});
    {
        std::unique_lock<std::mutex> lk(m);
        std::size_t shown = 0;
        while (finished < slots.size() && !(cancel && finished == next)) {
            cv.wait_for(lk, std::chrono::milliseconds(200));
            if (finished != shown && progress) {
                shown = finished;
                lk.unlock();
                progress({"views", shown, slots.size(), 0});
                lk.lock();
            }
        }
    }
    for (auto& w : workers) w.join();
    if (cancel) return Error{where + ": tuning cancelled; nothing was stored"};

    TuneViews out;
    out.rows.dim = dim;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].failed) {
            ++out.skipped;
            continue;
        }
        out.first.push_back(static_cast<std::uint32_t>(out.rows.size()));
        out.file_ids.push_back((*sample)[i].id);
        out.rows.rows.insert(out.rows.rows.end(), (*sample)[i].stored.begin(), (*sample)[i].stored.end());
        for (const auto& v : slots[i].views) out.rows.rows.insert(out.rows.rows.end(), v.begin(), v.end());
    }
    out.first.push_back(static_cast<std::uint32_t>(out.rows.size()));
    if (out.images() < need)
        return Error{where + ": too small to tune: views of only " + std::to_string(out.images()) +
                     " images could be made (" + std::to_string(out.skipped) + " could not be decoded now), it needs " +
                     std::to_string(need)};

    // The held-out images: a seeded share, at least 2, leaving at least 2 to train on.
    std::vector<std::size_t> order(out.images());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    learning::SplitMix64 rng(p.seed ^ 0x6865'6c64ull);  // "held"
    learning::shuffle(order, rng);
    std::size_t n_held = static_cast<std::size_t>(std::lround(p.held_out_fraction * static_cast<double>(order.size())));
    n_held = std::clamp<std::size_t>(n_held, 2, order.size() - 2);
    out.held_out.assign(out.images(), false);
    for (std::size_t i = 0; i < n_held; ++i) out.held_out[order[i]] = true;
    return out;
}

std::vector<TrainingPair> tune_training_pairs(const TuneViews& v, std::uint64_t seed) {
    std::vector<std::size_t> train;
    for (std::size_t i = 0; i < v.images(); ++i)
        if (!v.held_out[i]) train.push_back(i);
    std::vector<TrainingPair> pairs;
    learning::SplitMix64 rng(seed ^ 0x7061'6972ull);  // "pair"
    for (std::size_t k = 0; k < train.size(); ++k) {
        const std::size_t i = train[k];
        const std::uint32_t a = v.first[i], end = v.first[i + 1];
        for (std::uint32_t r = a + 1; r < end; ++r) {
            pairs.push_back({a, r, true});
            if (r + 1 < end) pairs.push_back({r, r + 1, true});
        }
        if (train.size() > 1 && end > a + 1) {
            std::size_t o = rng.below(train.size() - 1);
            if (o >= k) ++o;
            pairs.push_back({a + 1, v.first[train[o]], false});
        }
    }
    return pairs;
}

std::vector<TrainingPair> tune_guard_pairs(const TuneViews& v) {
    std::vector<std::size_t> held;
    for (std::size_t i = 0; i < v.images(); ++i)
        if (v.held_out[i]) held.push_back(i);
    std::vector<TrainingPair> pairs;
    for (std::size_t i : held)
        for (std::uint32_t r = v.first[i] + 1; r < v.first[i + 1]; ++r)
            for (std::size_t j : held) pairs.push_back({r, v.first[j], i == j});
    return pairs;
}

}  // namespace rv
