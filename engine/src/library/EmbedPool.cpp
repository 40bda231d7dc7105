#include "ruvision/engine/EmbedPool.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "augment/EditTwins.h"
#include "ruvision/engine/ImageEdits.h"
#include "region/RegionDescriptors.h"

namespace rv {

std::size_t embed_files(const Embedder& prototype, const std::vector<std::filesystem::path>& files,
                        const EmbedPoolParams& params, const std::atomic<bool>& cancel,
                        const std::function<void(EmbeddedFile&&)>& on_result) {
    const int threads = std::max(1, params.threads);
    const std::size_t window = 2 * static_cast<std::size_t>(threads);
    std::mutex m;
    std::condition_variable cv;
    std::size_t next = 0;       // next file index to start
    std::size_t delivered = 0;  // next index the caller will receive
    std::map<std::size_t, EmbeddedFile> ready;
    int running = threads;
    // Which extras file i gets (kExtraRegions | kExtraTwins).
    auto extras_of = [&params](std::size_t i) {
        const unsigned char asked = (params.regions ? kExtraRegions : 0) | (params.twins ? kExtraTwins : 0);
        return i < params.extras.size() ? static_cast<unsigned char>(asked & params.extras[i]) : asked;
    };

    auto worker = [&](std::unique_ptr<Embedder> embedder) {
        for (;;) {
            std::size_t i;
            {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return next >= files.size() || cancel || next < delivered + window; });
                if (next >= files.size() || cancel) break;
                i = next++;
            }
            EmbeddedFile r;
            r.index = i;
            r.path = files[i];
            try {
                DecodeOptions opt;
                opt.min_side = embedder->min_decode_side();
                auto img = decode_image(files[i], opt);
                if (!img) {
                    r.error = img.error().message;
                } else {
                    r.width = img->original_width;
                    r.height = img->original_height;
                    const unsigned char extras = extras_of(i);
                    if (!params.extras_only) {
                        // An embedding that fails (never a zero or NaN vector) is the file's error.
                        if (params.rotated) {
                            if (auto both = embedder->embed_with_turned(img->image)) {
                                r.embedding = std::move(both->plain);
                                r.rotated = std::move(both->turned);
                            } else {
                                r.error = files[i].string() + ": " + both.error().message;
                            }
                        } else if (auto v = embedder->embed(img->image)) {
                            r.embedding = std::move(*v);
                        } else {
                            r.error = files[i].string() + ": " + v.error().message;
                        }
                    }
                    // Twins (i13-twins), of the usual decode as the feature, brought down to
                    // twice the side the network sees (as tuning's views: a PNG panorama decoded
                    // whole and turned three ways took gigabytes): a failure there leaves the
                    // file without twins only.
                    const int twin_side = 2 * std::max(embedder->min_decode_side(), 224);
                    const int region_side = region_min_decode_side(*embedder);
                    // A picture decoded far larger than the extras need (PNG and TIFF have no
                    // reduced decoding) is brought down once for both, not once by each.
                    std::optional<RgbImage> smaller;
                    if (const int need = std::max((extras & kExtraTwins) ? twin_side : 0,
                                                  (extras & kExtraRegions) ? region_side : 0))
                        smaller = shrink_if_far_larger(img->image, need);
                    const RgbImage& extras_source = smaller ? *smaller : img->image;
                    if ((extras & kExtraTwins) && r.error.empty()) {
                        for (const RgbImage& view : twin_views(shrink_to_side(extras_source, twin_side))) {
                            auto t = embedder->embed(view);
                            if (!t) {
                                r.twin_error = files[i].string() + ": a twin: " + t.error().message;
                                r.twins.clear();
                                break;
                            }
                            r.twins.insert(r.twins.end(), t->begin(), t->end());
                        }
                    }
                    // Regions (i13-region): a failure there leaves the file without regions only.
                    if ((extras & kExtraRegions) && r.error.empty()) {
                        // The tiles keep the model's input side: a JPEG the decoder reduced below
                        // that is decoded again, less reduced (the file's feature stays the one
                        // of the usual decode).
                        const auto& im = img->image;
                        if (std::min(im.width, im.height) < region_side &&
                            std::min(img->original_width, img->original_height) > std::min(im.width, im.height)) {
                            DecodeOptions larger = opt;
                            larger.min_side = region_side;
                            if (auto again = decode_image(files[i], larger)) img = std::move(again);
                        }
                        // From the shared smaller picture, brought down to the tiles' side as
                        // embed_regions would bring a larger one.
                        auto reg = smaller ? embed_regions(*embedder, shrink_to_side(*smaller, region_side))
                                           : embed_regions(*embedder, img->image);
                        if (!reg) r.region_error = files[i].string() + ": " + reg.error().message;
                        for (std::size_t b = 0; reg && b < reg->boxes.size(); ++b) {
                            const RegionBox& box = reg->boxes[b];
                            const float* v = reg->data.data() + b * static_cast<std::size_t>(reg->dim);
                            r.regions.push_back({static_cast<int>(b), box.x, box.y, box.w, box.h,
                                                 std::vector<float>(v, v + reg->dim)});
                        }
                    }
                }
            } catch (const std::exception& e) {
                r.error = files[i].string() + ": " + e.what();
            }
            {
                std::lock_guard lock(m);
                ready.emplace(i, std::move(r));
            }
            cv.notify_all();
        }
        {
            std::lock_guard lock(m);
            --running;
        }
        cv.notify_all();
    };

    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker, prototype.clone());

    // The caller's thread hands results out in order.
    std::size_t handed = 0;
    for (;;) {
        EmbeddedFile r;
        {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return ready.count(delivered) || running == 0; });
            auto it = ready.find(delivered);
            if (it == ready.end()) break;  // all workers stopped and nothing more in order
            r = std::move(it->second);
            ready.erase(it);
            ++delivered;
        }
        cv.notify_all();
        on_result(std::move(r));
        ++handed;
    }
    for (auto& t : pool) t.join();
    return handed;
}

}  // namespace rv
