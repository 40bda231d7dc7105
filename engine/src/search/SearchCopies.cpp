#include "ruvision/engine/SearchCopies.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
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

// Fills sigs[i] for each i of `wanted` that has none yet: from the cache, or decoded on this
// thread and one more. Counts the files decoded into *decoded. A cancelled file stays null.
void fetch_signatures(const std::vector<CopyCandidate>& candidates, const std::vector<std::size_t>& wanted,
                      const PixelVerifyParams& params, const std::atomic<bool>& cancel, CopySignatureCache* cache,
                      std::vector<Signature>& sigs, std::size_t& decoded) {
    std::vector<std::size_t> todo;
    for (std::size_t i : wanted) {
        if (sigs[i]) continue;
        const CopyCandidate& c = candidates[i];
        if (cache) sigs[i] = cache->find(c.file_id, c.size, c.mtime_ns);
        if (!sigs[i]) todo.push_back(i);
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t t; !cancel && (t = next.fetch_add(1)) < todo.size();) sigs[todo[t]] = decode(candidates[todo[t]], params);
    };
    if (todo.size() > 1) {
        std::thread other(work);
        work();
        other.join();
    } else {
        work();
    }
    for (std::size_t i : todo)
        if (sigs[i]) {
            ++decoded;
            if (cache) cache->put(candidates[i].file_id, sigs[i]);
        }
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
                                    const std::atomic<bool>& cancel, CopySignatureCache* cache, std::size_t* decoded,
                                    std::size_t max_groups) {
    const std::size_t n = candidates.size();
    const std::size_t window = std::min(n, rule.pixel_window);
    std::vector<Signature> sigs(n);
    std::size_t decoded_files = 0;
    std::vector<char> taken(n, 0);
    std::vector<CopyGroup> groups;
    // In rank order: each file not taken yet heads a group of the files that are copies of it.
    for (std::size_t head = 0; head < n && groups.size() < max_groups; ++head) {
        if (taken[head]) continue;
        taken[head] = 1;
        std::vector<std::size_t> members{head};
        std::vector<std::string> why{std::string()};
        std::vector<std::size_t> on_pixels;  // further files that need their pixels compared with the head's
        for (std::size_t other = head + 1; other < n; ++other) {
            if (taken[other]) continue;
            if (same_content(candidates[head], candidates[other])) {
                taken[other] = 1;
                members.push_back(other);
                why.emplace_back("same content");
            } else if (head < window && other < window && pixel_candidates(candidates[head], candidates[other], rule)) {
                on_pixels.push_back(other);
            }
        }
        if (!on_pixels.empty()) {
            // The head and its partners in one batch, so that both threads decode (most heads
            // have one partner). A weak head (tiny, flat, undecodable) makes no copy.
            std::vector<std::size_t> batch{head};
            batch.insert(batch.end(), on_pixels.begin(), on_pixels.end());
            fetch_signatures(candidates, batch, rule.pixels, cancel, cache, sigs, decoded_files);
            if (sigs[head] && sigs[head]->weak.empty()) {
                for (std::size_t other : on_pixels)
                    if (std::string w = pixel_copy(sigs[head], sigs[other], rule.pixels); !w.empty()) {
                        taken[other] = 1;
                        members.push_back(other);
                        why.push_back(std::move(w));
                    }
            }
        }
        // The representative: most pixels, then most bytes, then the best score.
        std::size_t rep = 0;
        for (std::size_t m = 1; m < members.size(); ++m) {
            const CopyCandidate& a = candidates[members[m]];
            const CopyCandidate& b = candidates[members[rep]];
            if (pixels(a) > pixels(b) || (pixels(a) == pixels(b) && a.size > b.size)) rep = m;
        }
        CopyGroup g;
        g.representative = members[rep];
        g.best_score = candidates[head].score;
        std::vector<std::size_t> order;
        for (std::size_t m = 0; m < members.size(); ++m)
            if (m != rep) order.push_back(m);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return members[a] < members[b]; });
        for (std::size_t m : order) {
            g.copies.push_back(members[m]);
            // The head's own reason is the representative's: the head is a copy of it.
            g.why.push_back(m == 0 ? why[rep] : why[m]);
        }
        groups.push_back(std::move(g));
    }
    if (decoded) *decoded = decoded_files;
    // By the representative's own score, so that the scores a person reads go down the list.
    std::stable_sort(groups.begin(), groups.end(), [&](const CopyGroup& a, const CopyGroup& b) {
        return candidates[a.representative].score > candidates[b.representative].score;
    });
    return groups;
}

}  // namespace rv
