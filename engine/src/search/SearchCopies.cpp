#include "ruvision/engine/SearchCopies.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <thread>
#include <utility>

namespace rv {
namespace {

using Signature = std::shared_ptr<const CopySignatureCache::Entry>;

double pixels(const CopyCandidate& c) { return static_cast<double>(c.width) * c.height; }

bool same_content(const CopyCandidate& a, const CopyCandidate& b) {
    return !a.full_hash.empty() && a.full_hash == b.full_hash;
}

// Aspect and cosine gates: worth decoding to compare on pixels.
bool pixel_candidates(const CopyCandidate& a, const CopyCandidate& b, const CopyRule& rule) {
    if (a.width <= 0 || a.height <= 0 || b.width <= 0 || b.height <= 0) return false;
    if (a.feature.empty() || a.feature.size() != b.feature.size()) return false;
    const double aspect = std::log(static_cast<double>(a.width) / a.height) -
                          std::log(static_cast<double>(b.width) / b.height);
    if (std::fabs(aspect) > rule.pixels.max_aspect_diff) return false;
    double dot = 0;
    for (std::size_t i = 0; i < a.feature.size(); ++i) dot += static_cast<double>(a.feature[i]) * b.feature[i];
    return dot >= rule.min_cosine;
}

Signature decode(const CopyCandidate& c, const PixelVerifyParams& params) {
    auto e = std::make_shared<CopySignatureCache::Entry>();
    e->size = c.size;
    e->mtime_ns = c.mtime_ns;
    auto sig = pixel_signature(std::filesystem::path(c.path));
    if (!sig) {
        e->weak = sig.error().message;
        return e;
    }
    e->sig = std::move(*sig);
    e->weak = pixel_weakness(e->sig, params);
    if (!e->weak.empty()) e->sig.detail = {}, e->sig.colour = {};
    return e;
}

// Signatures of the candidates marked `needed` (null where not needed or cancelled), from the
// cache or decoded on this thread and one more.
std::vector<Signature> signatures(const std::vector<CopyCandidate>& candidates, const std::vector<char>& needed,
                                  const PixelVerifyParams& params, const std::atomic<bool>& cancel,
                                  CopySignatureCache* cache, std::size_t* decoded) {
    std::vector<Signature> out(candidates.size());
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (!needed[i]) continue;
        const CopyCandidate& c = candidates[i];
        if (cache) out[i] = cache->find(c.file_id, c.size, c.mtime_ns);
        if (!out[i]) todo.push_back(i);
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t t; !cancel && (t = next.fetch_add(1)) < todo.size();) out[todo[t]] = decode(candidates[todo[t]], params);
    };
    if (todo.size() > 1) {
        std::thread other(work);
        work();
        other.join();
    } else {
        work();
    }
    std::size_t count = 0;
    for (std::size_t i : todo)
        if (out[i]) {
            ++count;
            if (cache) cache->put(candidates[i].file_id, out[i]);
        }
    if (decoded) *decoded = count;
    return out;
}

// Why b is a copy of a on pixels ("" if it is not, or pixels cannot tell).
std::string pixel_copy(const Signature& a, const Signature& b, const PixelVerifyParams& params) {
    if (!a || !b || !a->weak.empty() || !b->weak.empty()) return {};
    const PixelVerdict v = compare_pixels(a->sig, b->sig, params);
    if (!v.same()) return {};
    char buf[64];
    std::snprintf(buf, sizeof buf, "same picture on pixels (structure %.3f)", static_cast<double>(v.structure));
    return buf;
}

}  // namespace

std::vector<CopyGroup> group_copies(const std::vector<CopyCandidate>& candidates, const CopyRule& rule,
                                    const std::atomic<bool>& cancel, CopySignatureCache* cache,
                                    std::size_t* decoded) {
    const std::size_t n = candidates.size();
    const std::size_t window = std::min(n, rule.pixel_window);
    // Pairs (i < j) worth a look on pixels, and the files they need.
    std::set<std::pair<std::size_t, std::size_t>> gated;
    std::vector<char> needed(n, 0);
    for (std::size_t i = 0; i < window; ++i)
        for (std::size_t j = i + 1; j < window; ++j)
            if (!same_content(candidates[i], candidates[j]) && pixel_candidates(candidates[i], candidates[j], rule)) {
                gated.emplace(i, j);
                needed[i] = needed[j] = 1;
            }
    const std::vector<Signature> sigs = signatures(candidates, needed, rule.pixels, cancel, cache, decoded);

    // Representatives first: most pixels, then most bytes, then the best score (lowest index).
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (pixels(candidates[a]) != pixels(candidates[b])) return pixels(candidates[a]) > pixels(candidates[b]);
        return candidates[a].size > candidates[b].size;
    });
    std::vector<char> taken(n, 0);
    std::vector<CopyGroup> groups;
    std::vector<std::size_t> best_index;  // per group: its best member (ties in the order of groups)
    for (std::size_t rep : order) {
        if (taken[rep]) continue;
        taken[rep] = 1;
        CopyGroup g;
        g.representative = rep;
        std::size_t best = rep;
        for (std::size_t other = 0; other < n; ++other) {  // by index: by score, best first
            if (taken[other]) continue;
            std::string why;
            if (same_content(candidates[rep], candidates[other]))
                why = "same content";
            else if (gated.count({std::min(rep, other), std::max(rep, other)}))
                why = pixel_copy(sigs[rep], sigs[other], rule.pixels);
            if (why.empty()) continue;
            taken[other] = 1;
            g.copies.push_back(other);
            g.why.push_back(std::move(why));
            best = std::min(best, other);
        }
        g.best_score = candidates[best].score;
        groups.push_back(std::move(g));
        best_index.push_back(best);
    }
    std::vector<std::size_t> by_rank(groups.size());
    std::iota(by_rank.begin(), by_rank.end(), std::size_t{0});
    // By the representative's own score, so that the scores a person reads go down the list.
    std::stable_sort(by_rank.begin(), by_rank.end(), [&](std::size_t a, std::size_t b) {
        const float sa = candidates[groups[a].representative].score, sb = candidates[groups[b].representative].score;
        if (sa != sb) return sa > sb;
        return best_index[a] < best_index[b];
    });
    std::vector<CopyGroup> out;
    out.reserve(groups.size());
    for (std::size_t g : by_rank) out.push_back(std::move(groups[g]));
    return out;
}

}  // namespace rv
