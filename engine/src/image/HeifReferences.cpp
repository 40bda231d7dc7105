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

// The box at `at` (within [at, end)); false if none fits. Advances `at` past it.
bool next_box(const std::uint8_t* d, std::size_t end, std::size_t& at, Box& b) {
    if (at > end || end - at < 8) return false;
    std::uint64_t size = be(d + at, 4);
    std::size_t header = 8;
    if (size == 1) {
        if (end - at < 16) return false;
        size = be(d + at + 8, 8);
        header = 16;
    } else if (size == 0) {
        size = end - at;
    }
    if (size < header || size > end - at) return false;
    std::memcpy(b.type, d + at + 4, 4);
    b.payload = at + header;
    b.end = at + static_cast<std::size_t>(size);
    at = b.end;
    return true;
}

bool find_child(const std::uint8_t* d, std::size_t from, std::size_t end, const char* type, Box& out) {
    std::size_t at = from;
    Box b;
    while (next_box(d, end, at, b))
        if (std::memcmp(b.type, type, 4) == 0) {
            out = b;
            return true;
        }
    return false;
}

}  // namespace

std::string heif_reference_problem(const std::uint8_t* d, std::size_t n) {
    Box meta, iref;
    if (!find_child(d, 0, n, "meta", meta) || meta.end - meta.payload < 4) return {};
    if (!find_child(d, meta.payload + 4, meta.end, "iref", iref) || iref.end - iref.payload < 4) return {};
    const int id_bytes = d[iref.payload] == 0 ? 2 : 4;

    // Edges in the order libheif decodes: a derived image -> its ingredients, an image -> its
    // alpha plane (the 'auxl' reference points from the alpha plane to its image).
    std::map<std::uint32_t, std::vector<std::uint32_t>> next;
    std::size_t edges = 0;
    std::size_t at = iref.payload + 4;
    Box ref;
    while (next_box(d, iref.end, at, ref)) {
        const bool dimg = std::memcmp(ref.type, "dimg", 4) == 0, auxl = std::memcmp(ref.type, "auxl", 4) == 0;
        if (!dimg && !auxl) continue;
        std::size_t p = ref.payload;
        if (ref.end - p < static_cast<std::size_t>(id_bytes) + 2) continue;
        const auto from = static_cast<std::uint32_t>(be(d + p, id_bytes));
        p += id_bytes;
        const auto count = static_cast<std::size_t>(be(d + p, 2));
        p += 2;
        for (std::size_t i = 0; i < count && ref.end - p >= static_cast<std::size_t>(id_bytes); ++i, p += id_bytes) {
            const auto to = static_cast<std::uint32_t>(be(d + p, id_bytes));
            if (dimg) next[from].push_back(to);
            else next[to].push_back(from);
            if (++edges > kMaxEdges) return "too many item references";
        }
    }
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
