#include "image/HeifReferences.h"

#include <cstring>
#include <map>
#include <vector>

namespace rv {

namespace {

constexpr int kMaxDerivationDepth = 16;   // grid -> tiles is 1; iden -> grid -> tiles, 2
constexpr std::size_t kMaxEdges = 1 << 20;

std::uint64_t be(const std::uint8_t* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    return v;
}

struct Box {
    char type[4];
    std::size_t payload = 0;  // offset of the payload
    std::size_t end = 0;      // offset after the box
};

// The box that starts at `at` (its header within [at, end)) and ends by `limit` (>= end); false
// if none fits. Advances `at` past it. libheif lets a child box run past its parent's end, as
// far as the file goes, and a size of 0 means "to the end of the file": the box search takes the
// file's end as `limit` so that it finds what libheif finds.
bool next_box(const std::uint8_t* d, std::size_t end, std::size_t limit, std::size_t& at, Box& b) {
    if (at > end || end - at < 8) return false;
    std::uint64_t size = be(d + at, 4);
    std::size_t header = 8;
    if (size == 1) {
        if (end - at < 16) return false;
        size = be(d + at + 8, 8);
        header = 16;
    } else if (size == 0) {
        size = limit - at;
    }
    if (size < header || size > limit - at) return false;
    std::memcpy(b.type, d + at + 4, 4);
    b.payload = at + header;
    b.end = at + static_cast<std::size_t>(size);
    at = b.end;
    return true;
}

bool find_child(const std::uint8_t* d, std::size_t from, std::size_t end, std::size_t limit, const char* type,
                Box& out) {
    std::size_t at = from;
    Box b;
    while (next_box(d, end, limit, at, b))
        if (std::memcmp(b.type, type, 4) == 0) {
            out = b;
            return true;
        }
    return false;
}

using Edges = std::map<std::uint32_t, std::vector<std::uint32_t>>;

enum class Reading { BySize, BackToBack };

// Adds the 'dimg' and 'auxl' references of the reference boxes in [at, end) to `next`; false when
// there are more than kMaxEdges in all.
bool read_references(const std::uint8_t* d, std::size_t at, std::size_t end, int id_bytes, Reading reading, Edges& next,
                     std::size_t& edges) {
    const auto id = static_cast<std::size_t>(id_bytes);
    while (end - at >= 8) {
        std::size_t p = at;
        char type[4];
        std::memcpy(type, d + p + 4, 4);
        std::size_t box_end = end;
        if (reading == Reading::BySize) {
            Box ref;
            if (!next_box(d, end, end, at, ref)) return true;
            p = ref.payload;
            box_end = ref.end;
        } else {
            const std::uint64_t size = be(d + p, 4);
            p += 8;
            if (size == 1) p += 8;
            if (std::memcmp(type, "uuid", 4) == 0) p += 16;
            if (p > end) return true;
        }
        if (box_end - p < id + 2) {
            if (reading == Reading::BySize) continue;  // a damaged box: the next one still counts
            return true;
        }
        const bool dimg = std::memcmp(type, "dimg", 4) == 0, auxl = std::memcmp(type, "auxl", 4) == 0;
        const auto from = static_cast<std::uint32_t>(be(d + p, id_bytes));
        p += id;
        const auto count = static_cast<std::size_t>(be(d + p, 2));
        p += 2;
        for (std::size_t i = 0; i < count && box_end - p >= id; ++i, p += id) {
            if (!dimg && !auxl) continue;
            const auto to = static_cast<std::uint32_t>(be(d + p, id_bytes));
            if (dimg) next[from].push_back(to);
            else next[to].push_back(from);
            if (++edges > kMaxEdges) return false;
        }
        if (reading == Reading::BackToBack) at = p;
    }
    return true;
}

}  // namespace

std::string heif_reference_problem(const std::uint8_t* d, std::size_t n) {
    Box meta, iref;
    if (!find_child(d, 0, n, n, "meta", meta) || meta.end - meta.payload < 4) return {};
    if (!find_child(d, meta.payload + 4, meta.end, n, "iref", iref) || iref.end - iref.payload < 4) return {};
    const int id_bytes = d[iref.payload] == 0 ? 2 : 4;

    // Edges in the order libheif decodes: a derived image -> its ingredients, an image -> its
    // alpha plane (the 'auxl' reference points from the alpha plane to its image). The references
    // are read twice and the edges of both readings kept: as the standard says (each reference box
    // ends where its size says) and as libheif 1.15 does (it ignores those sizes and reads the
    // boxes back to back, a 'uuid' header 16 bytes longer), so that no loop hides from either.
    Edges next;
    std::size_t edges = 0;
    if (!read_references(d, iref.payload + 4, iref.end, id_bytes, Reading::BySize, next, edges) ||
        !read_references(d, iref.payload + 4, iref.end, id_bytes, Reading::BackToBack, next, edges))
        return "too many item references";
    if (next.empty()) return {};

    // Kahn's algorithm: a loop leaves nodes never freed; the longest chain is the depth.
    std::map<std::uint32_t, int> indegree, depth;
    for (const auto& [from, tos] : next) {
        indegree.try_emplace(from, 0);
        for (auto to : tos) ++indegree[to];
    }
    std::vector<std::uint32_t> ready;
    for (const auto& [id, in] : indegree)
        if (in == 0) ready.push_back(id);
    std::size_t freed = 0;
    while (!ready.empty()) {
        const std::uint32_t id = ready.back();
        ready.pop_back();
        ++freed;
        const int here = depth[id];
        if (here > kMaxDerivationDepth) return "damaged HEIF (image derivations nested too deep)";
        const auto it = next.find(id);
        if (it == next.end()) continue;
        for (auto to : it->second) {
            int& dto = depth[to];
            if (dto < here + 1) dto = here + 1;
            if (--indegree[to] == 0) ready.push_back(to);
        }
    }
    if (freed != indegree.size()) return "damaged HEIF (image derivations form a loop)";
    return {};
}

}  // namespace rv
