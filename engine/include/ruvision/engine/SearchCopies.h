// Copies among search results: one picture shown once. A search over a library that holds the
// same picture several times (Plasma's wallpaper beside its screenshot, a photo and its
// re-encoded export, exact copies) would fill its first ranks with one picture; these functions
// fold such files under one hit.
//
// Two files are copies when
//   - their whole contents hash equal (CatalogFile::full_hash), or
//   - their stored features are very close (plain cosine >= CopyRule::min_cosine), their aspect
//     ratios agree, and their pixels verify it (rv::verify_same_picture's rule, PixelVerify.h).
// Pixels cannot vouch for tiny or flat pictures: such files are copies only of a file with the
// same bytes. Two different pictures are never grouped on descriptors alone.
//
// Groups are made in rank order: the best-scoring file not in a group yet heads a new one, and
// every file that is a copy of that head joins it. The group's representative, the file shown,
// is its member with the most pixels (then the most bytes, then the best score).
//
// Cost: decoding. A file is decoded only when a pair with a head passes the gates, only among the
// first CopyRule::pixel_window hits, only until enough groups are made, and a CopySignatureCache
// keeps the signatures between searches.
//
// Threads: group_copies() is reentrant; it decodes on the calling thread and one more of its own
// and returns when they are done. CopySignatureCache is thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "ruvision/engine/PixelVerify.h"

namespace rv {

// A file among a hit's copies.
struct SearchCopy {
    std::int64_t file_id = 0;
    std::string path;
    float score = 0;  // its own cosine similarity with the query
    int width = 0, height = 0;  // pixels, as indexed (0 if unknown)
    std::string why;  // "same content" or "same picture on pixels (structure 0.993)"
};

struct CopyRule {
    // Plain cosine of the stored features a pair needs before its pixels are compared. Chosen on
    // one seeded half of Debian's wallpapers (lowest pair of one picture 0.984; the largest gate
    // 0.01 below it on a 0.01 grid) and reported on the other (14 of 14 pairs pass; 8 of 413
    // pairs of two pictures get decoded): bench/search_copy_gate.py, README "Copies in results".
    float min_cosine = 0.97f;
    PixelVerifyParams pixels;  // its max_aspect_diff is also the aspect gate before decoding
    // Pixels are compared only among this many best hits; further down, only equal contents
    // group (bounds the decoding of a first search: README, "Copies in results").
    std::size_t pixel_window = 64;
};

// A ranked search hit with what grouping needs (from the catalog).
struct CopyCandidate {
    std::int64_t file_id = 0;
    std::string path;
    float score = 0;            // cosine with the query
    int width = 0, height = 0;  // pixels as indexed (0: unknown, never pixel-verified)
    std::int64_t size = 0;      // bytes
    std::int64_t mtime_ns = 0;  // with size: whether a cached signature is still this file's
    std::string full_hash;      // "" if unknown (never equal to anything)
    std::vector<float> feature; // the stored, unit-length feature; empty: never pixel-verified
};

// One picture: indices into the candidates.
struct CopyGroup {
    std::size_t representative = 0;
    std::vector<std::size_t> copies;  // by score, best first
    std::vector<std::string> why;     // per copy: why it is one (its pixels or bytes against the head's)
    float best_score = 0;             // the head's: the best score among the group's members
};

// Pixel signatures of library files kept between searches, so that the next query decodes only
// files it has not seen. Keyed by file id, valid while size and mtime are unchanged. At most
// `capacity` files (~20 KB each for a checkable picture); the least recently used go first.
class CopySignatureCache {
public:
    struct Entry {
        std::int64_t size = 0, mtime_ns = 0;
        PixelSignature sig;  // its vectors empty when `weak` is set
        std::string weak;    // why pixels cannot vouch for this file ("" if they can)
    };
    explicit CopySignatureCache(std::size_t capacity = 2000) : capacity_(capacity) {}
    // The file's entry if cached for this size and mtime, else null.
    std::shared_ptr<const Entry> find(std::int64_t file_id, std::int64_t size, std::int64_t mtime_ns);
    void put(std::int64_t file_id, std::shared_ptr<const Entry> entry);
    std::size_t size() const;

private:
    struct Slot {
        std::shared_ptr<const Entry> entry;
        std::uint64_t used = 0;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::int64_t, Slot> slots_;
    std::size_t capacity_;
    std::uint64_t clock_ = 0;
};

// Groups `candidates` (ranked, best first). Groups come in the order of their representative's
// own score (ties: the best member first), so the scores shown go down the list; copies of one
// picture score within a few thousandths of each other, so a picture moves little.
// Stops after `max_groups` groups (files after the last head are then in no group). Files are
// decoded only for pairs that pass the hash, aspect and cosine gates and that the cache
// (optional) does not hold; `decoded` (optional) receives how many were decoded. cancel stops the
// decoding early (files left undecoded are not grouped on pixels).
std::vector<CopyGroup> group_copies(const std::vector<CopyCandidate>& candidates, const CopyRule& rule,
                                    const std::atomic<bool>& cancel, CopySignatureCache* cache = nullptr,
                                    std::size_t* decoded = nullptr, std::size_t max_groups = SIZE_MAX);

}  // namespace rv
