#include "duplicates/PairVerifier.h"

#include <thread>

namespace rv {

void PairVerifier::prepare(const std::vector<std::pair<std::int64_t, std::string>>& files,
                           const std::atomic<bool>& cancel) {
    std::vector<const std::pair<std::int64_t, std::string>*> todo;
    for (const auto& f : files)
        if (!entries_.count(f.first)) todo.push_back(&f);
    std::vector<Entry> out(todo.size());
    std::vector<char> done(todo.size(), 0);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; !cancel && (i = next.fetch_add(1)) < todo.size();) {
            auto sig = pixel_signature(std::filesystem::path(todo[i]->second));
            Entry& e = out[i];
            if (!sig) {
                e.weak = sig.error().message;
            } else {
                e.sig = std::move(*sig);
                e.weak = pixel_weakness(e.sig, params_);
                if (!e.weak.empty()) e.sig.detail = {}, e.sig.colour = {};
            }
            done[i] = 1;
        }
    };
    std::thread other(work);
    work();
    other.join();
    for (std::size_t i = 0; i < todo.size(); ++i)
        if (done[i]) entries_.emplace(todo[i]->first, std::move(out[i]));
}

PixelVerdict PairVerifier::verify(std::int64_t a, std::int64_t b) const {
    PixelVerdict v;
    const auto ea = entries_.find(a), eb = entries_.find(b);
    if (ea == entries_.end() || eb == entries_.end()) {
        v.reason = "cannot tell by pixels: not decoded (cancelled)";
        return v;
    }
    for (const auto* e : {&ea->second, &eb->second})
        if (!e->weak.empty()) {
            v.reason = "cannot tell by pixels: " + e->weak;
            return v;
        }
    return compare_pixels(ea->second.sig, eb->second.sig, params_);
}

}  // namespace rv
