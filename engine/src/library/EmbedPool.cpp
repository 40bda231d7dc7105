#include "ruvision/engine/EmbedPool.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

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
                    // An embedding that fails (never a zero or NaN vector) is the file's error.
                    auto v = embedder->embed(img->image);
                    if (v && params.rotated) {
                        auto t = embedder->embed_turned(img->image);
                        if (t) r.rotated = std::move(*t);
                        else v = t.error();
                    }
                    if (v) r.embedding = std::move(*v);
                    else r.error = files[i].string() + ": " + v.error().message;
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
