#include "index/HnswPayload.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "index/IndexFile.h"

namespace rv::index_detail {

static_assert(sizeof(std::size_t) == 8 && sizeof(int) == 4 && sizeof(double) == 8,
              "hnswlib's file layout is checked for LP64 targets only");

namespace {

template <class T>
T get(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

constexpr int kMaxLevel = 64;  // hnswlib draws levels with P(level >= l) = M^-l; 64 is unreachable

}  // namespace

Result<HnswPayloadFacts> check_hnsw_payload(const std::string& hnsw_file, std::uint32_t dim,
                                            const std::string& error_path) {
    auto bad = [&](const std::string& why) {
        return file_error(error_path, "corrupt index graph: " + why);
    };
    std::error_code ec;
    const std::uint64_t file_size = std::filesystem::file_size(hnsw_file, ec);
    File f(std::fopen(hnsw_file.c_str(), "rb"));
    if (ec || !f.get()) return file_error(error_path, "cannot read back its temporary copy");

    unsigned char h[kHnswHeaderBytes];
    if (std::fread(h, 1, sizeof h, f.get()) != sizeof h) return bad("shorter than its header");
    const auto offset_level0 = get<std::uint64_t>(h + 0);
    const auto n = get<std::uint64_t>(h + 16);
    const auto bytes_per_element = get<std::uint64_t>(h + 24);
    const auto label_offset = get<std::uint64_t>(h + 32);
    const auto data_offset = get<std::uint64_t>(h + 40);
    const auto max_level = get<std::int32_t>(h + 48);
    const auto entry_point = get<std::uint32_t>(h + 52);
    const auto max_m = get<std::uint64_t>(h + 56);
    const auto max_m0 = get<std::uint64_t>(h + 64);
    const auto m = get<std::uint64_t>(h + 72);
    const auto mult = get<double>(h + 80);
    const auto ef_construction = get<std::uint64_t>(h + 88);

    if (m < 2 || m > 10000 || max_m != m || max_m0 != 2 * m)
        return bad("link counts M=" + std::to_string(m) + ", maxM=" + std::to_string(max_m) +
                   ", maxM0=" + std::to_string(max_m0));
    if (ef_construction < m || ef_construction > (1u << 20))
        return bad("ef_construction " + std::to_string(ef_construction));
    if (!std::isfinite(mult) || mult <= 0.0 || mult > 10.0) return bad("level multiplier");
    const std::uint64_t links0_bytes = max_m0 * 4 + 4;
    const std::uint64_t vector_bytes = std::uint64_t{dim} * sizeof(float);
    if (offset_level0 != 0 || data_offset != links0_bytes ||
        label_offset != links0_bytes + vector_bytes || bytes_per_element != label_offset + 8)
        return bad("element layout does not match " + std::to_string(dim) + "-d vectors");
    if (n >= std::numeric_limits<std::uint32_t>::max() ||
        n > (file_size - kHnswHeaderBytes) / (bytes_per_element + 4))
        return bad(std::to_string(n) + " elements do not fit in " + std::to_string(file_size) +
                   " bytes");
    if (n == 0 ? max_level != -1 : (max_level < 0 || max_level > kMaxLevel || entry_point >= n))
        return bad("entry point or top level");

    HnswPayloadFacts facts;
    facts.elements = n;
    facts.M = m;
    facts.ef_construction = ef_construction;

    std::vector<unsigned char> block(bytes_per_element);
    std::vector<float> vector(dim);  // aligned copy of the element's vector
    std::unordered_set<std::uint64_t> labels;
    labels.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        if (std::fread(block.data(), 1, block.size(), f.get()) != block.size())
            return bad("level-0 data cut short");
        const auto count = get<std::uint16_t>(block.data());
        if (count > max_m0) return bad("element " + std::to_string(i) + " has too many links");
        for (std::uint16_t j = 0; j < count; ++j)
            if (get<std::uint32_t>(block.data() + 4 + 4 * j) >= n)
                return bad("element " + std::to_string(i) + " links outside the graph");
        // Deleted elements too: searches still walk through them.
        std::memcpy(vector.data(), block.data() + data_offset, vector_bytes);
        if (auto why = vector_problem(vector.data(), static_cast<int>(dim)); !why.empty())
            return bad("element " + std::to_string(i) + " has a damaged vector: " + why);
        facts.deleted += block[2] & 1u;
        if (!labels.insert(get<std::uint64_t>(block.data() + label_offset)).second)
            return bad("two elements carry the same id");
    }

    // Upper layers: a link at level l must point to an element that has level l.
    const std::uint64_t links_bytes = max_m * 4 + 4;
    std::vector<std::uint8_t> levels(n, 0);
    std::vector<std::pair<std::uint32_t, std::uint8_t>> upper_links;  // (target, level)
    std::vector<unsigned char> lists;
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint32_t len = 0;
        if (std::fread(&len, 1, sizeof len, f.get()) != sizeof len)
            return bad("upper-layer links cut short");
        if (len % links_bytes != 0 || len / links_bytes > static_cast<std::uint64_t>(max_level))
            return bad("element " + std::to_string(i) + " has a bad upper-layer size");
        const auto level = static_cast<std::uint8_t>(len / links_bytes);
        levels[i] = level;
        lists.resize(len);
        if (len && std::fread(lists.data(), 1, len, f.get()) != len)
            return bad("upper-layer links cut short");
        for (std::uint8_t l = 1; l <= level; ++l) {
            const unsigned char* list = lists.data() + (l - 1) * links_bytes;
            const auto count = get<std::uint16_t>(list);
            if (count > max_m) return bad("element " + std::to_string(i) + " has too many links");
            for (std::uint16_t j = 0; j < count; ++j)
                upper_links.emplace_back(get<std::uint32_t>(list + 4 + 4 * j), l);
        }
    }
    if (std::fgetc(f.get()) != EOF) return bad("unexpected bytes after the graph");
    for (const auto& [target, level] : upper_links)
        if (target >= n || levels[target] < level)
            return bad("a link points to an element missing from that layer");
    if (n > 0) {
        std::uint8_t top = 0;
        for (std::uint8_t l : levels) top = std::max(top, l);
        if (levels[entry_point] != max_level || top != max_level)
            return bad("entry point is not on the top layer");
    }
    return facts;
}

}  // namespace rv::index_detail
