// Pixel verification of many pairs of library files (Library::duplicates): each file is decoded
// at most once, on two threads, and only what a comparison needs is kept (a tiny, flat or
// undecodable file keeps just its reason: ~20 KB per checkable file, a few bytes otherwise).
//
// Threads: prepare() runs its own two workers and returns when they are done; verify() is const
// and may be called from any thread after prepare(). Not thread-safe against prepare().
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ruvision/engine/PixelVerify.h"

namespace rv {

class PairVerifier {
public:
    explicit PairVerifier(const PixelVerifyParams& params = {}) : params_(params) {}

    // Decodes the files (id, path) not seen yet. Stops early when cancel is set (files left out
    // verify as cannot_tell).
    void prepare(const std::vector<std::pair<std::int64_t, std::string>>& files, const std::atomic<bool>& cancel);

    // The verdict for two prepared files (cannot_tell, with a reason, if either is weak or
    // unprepared).
    PixelVerdict verify(std::int64_t a, std::int64_t b) const;

    const PixelVerifyParams& params() const { return params_; }
    // Forgets every prepared file (frees their signatures).
    void clear() { entries_.clear(); }

private:
    struct Entry {
        PixelSignature sig;  // vectors emptied when `weak` is set
        std::string weak;    // why pixels cannot vouch for this file ("" if they can)
    };
    PixelVerifyParams params_;
    std::unordered_map<std::int64_t, Entry> entries_;
};

}  // namespace rv
