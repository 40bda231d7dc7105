#include "index/HnswPayload.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

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
template <class T>
void put(unsigned char* p, T v) {
    std::memcpy(p, &v, sizeof v);
}

constexpr int kMaxLevel = 64;  // hnswlib draws levels with P(level >= l) = M^-l; 64 is unreachable

// Runs check(begin, end) over [0, n) on up to 2 threads; the first non-empty answer wins.
std::string check_in_parallel(std::size_t n, const std::function<std::string(std::size_t, std::size_t)>& check) {
    constexpr std::size_t kChunk = 4096;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex m;
    std::string first;
    std::size_t first_at = std::numeric_limits<std::size_t>::max();
    auto loop = [&] {
        for (std::size_t b; !failed && (b = next.fetch_add(kChunk)) < n;) {
            std::string why = check(b, std::min(n, b + kChunk));
            if (why.empty()) continue;
            std::lock_guard lock(m);
            if (b < first_at) first_at = b, first = std::move(why);
            failed = true;
        }
    };
    std::thread helper;
    try {
        if (n > kChunk) helper = std::thread(loop);
    } catch (const std::system_error&) {
        // this thread does it all
    }
    loop();
    if (helper.joinable()) helper.join();
    return first;
}

}  // namespace

std::uint64_t hnsw_graph_bytes(const Graph& g) {
    std::uint64_t bytes = kHnswHeaderBytes + std::uint64_t{g.cur_element_count} * g.size_data_per_element_;
    for (std::size_t i = 0; i < g.cur_element_count; ++i)
        bytes += 4 + std::uint64_t(std::max(g.element_levels_[i], 0)) * g.size_links_per_element_;
    return bytes;
}

bool write_hnsw_graph(PayloadWriter& out, const Graph& g) {
    unsigned char h[kHnswHeaderBytes];
    put<std::uint64_t>(h + 0, g.offsetLevel0_);
    put<std::uint64_t>(h + 8, g.max_elements_);
    put<std::uint64_t>(h + 16, g.cur_element_count);
    put<std::uint64_t>(h + 24, g.size_data_per_element_);
    put<std::uint64_t>(h + 32, g.label_offset_);
    put<std::uint64_t>(h + 40, g.offsetData_);
    put<std::int32_t>(h + 48, g.maxlevel_);
    put<std::uint32_t>(h + 52, g.enterpoint_node_);
    put<std::uint64_t>(h + 56, g.maxM_);
    put<std::uint64_t>(h + 64, g.maxM0_);
    put<std::uint64_t>(h + 72, g.M_);
    put<double>(h + 80, g.mult_);
    put<std::uint64_t>(h + 88, g.ef_construction_);
    if (!out.write(h, sizeof h)) return false;
    if (!out.write(g.data_level0_memory_, g.cur_element_count * g.size_data_per_element_)) return false;
    for (std::size_t i = 0; i < g.cur_element_count; ++i) {
        const std::uint32_t len =
            g.element_levels_[i] > 0 ? static_cast<std::uint32_t>(g.size_links_per_element_ * g.element_levels_[i]) : 0;
        if (!out.write(&len, sizeof len)) return false;
        if (len && !out.write(g.linkLists_[i], len)) return false;
    }
    return true;
}

Result<HnswGraphRead> read_hnsw_graph(PayloadReader& in, VectorSpace& space, std::uint32_t dim,
                                      std::uint64_t seed) {
    const std::string& path = in.path();
    auto bad = [&](const std::string& why) { return file_error(path, "corrupt index graph: " + why); };
    // Damage found before the payload's end is reported as a checksum mismatch when it is one.
    auto refuse = [&](const std::string& why) { return in.checked_error(bad(why)); };

    unsigned char h[kHnswHeaderBytes];
    if (!in.read(h, sizeof h)) return refuse("shorter than its header");
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
        return refuse("link counts M=" + std::to_string(m) + ", maxM=" + std::to_string(max_m) +
                      ", maxM0=" + std::to_string(max_m0));
    if (ef_construction < m || ef_construction > (1u << 20))
        return refuse("ef_construction " + std::to_string(ef_construction));
    if (!std::isfinite(mult) || mult <= 0.0 || mult > 10.0) return refuse("level multiplier");
    const std::uint64_t links0_bytes = max_m0 * 4 + 4;
    const std::uint64_t code_bytes = space.get_data_size();
    if (offset_level0 != 0 || data_offset != links0_bytes || label_offset != links0_bytes + code_bytes ||
        bytes_per_element != label_offset + 8)
        return refuse("element layout does not match " + std::to_string(dim) + "-d " +
                      storage_name(space.storage()) + " vectors");
    if (n >= std::numeric_limits<std::uint32_t>::max() || n > in.remaining() / (bytes_per_element + 4))
        return refuse(std::to_string(n) + " elements do not fit in " + std::to_string(in.remaining()) + " bytes");
    if (n == 0 ? max_level != -1 : (max_level < 0 || max_level > kMaxLevel || entry_point >= n))
        return refuse("entry point or top level");

    // The constructor allocates the level-0 blocks (uninitialised), the level table and the locks
    // for max(n, 16) elements; the payload's bytes go straight there.
    HnswGraphRead out;
    out.M = m;
    out.ef_construction = ef_construction;
    out.graph = std::make_unique<Graph>(&space, std::max<std::size_t>(n, 16), m, ef_construction, seed);
    Graph& g = *out.graph;
    g.metric_distance_computations = 0;
    g.metric_hops = 0;
    if (!in.read(g.data_level0_memory_, n * bytes_per_element)) return refuse("level-0 data cut short");

    const std::uint64_t links_bytes = max_m * 4 + 4;
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint32_t len = 0;
        if (!in.read(&len, sizeof len)) return refuse("upper-layer links cut short");
        if (len % links_bytes != 0 || len / links_bytes > static_cast<std::uint64_t>(max_level))
            return refuse("element " + std::to_string(i) + " has a bad upper-layer size");
        g.element_levels_[i] = static_cast<int>(len / links_bytes);
        g.linkLists_[i] = nullptr;
        g.cur_element_count = i + 1;  // the destructor frees lists up to here
        if (len == 0) continue;
        g.linkLists_[i] = static_cast<char*>(std::malloc(len));
        if (!g.linkLists_[i]) {
            g.element_levels_[i] = 0;
            throw std::bad_alloc();
        }
        if (!in.read(g.linkLists_[i], len)) return refuse("upper-layer links cut short");
    }
    if (in.remaining() != 0) return refuse("unexpected bytes after the graph");
    if (Status s = in.finish(); !s.ok()) return s.error();

    // Level 0: link counts and targets, vectors; in parallel (the bulk of the work at 1M).
    const VectorStorage storage = space.storage();
    std::string why = check_in_parallel(n, [&](std::size_t b, std::size_t e) -> std::string {
        for (std::size_t i = b; i < e; ++i) {
            const auto* block = reinterpret_cast<const unsigned char*>(g.data_level0_memory_ + i * bytes_per_element);
            const auto count = get<std::uint16_t>(block);
            if (count > max_m0) return "element " + std::to_string(i) + " has too many links";
            for (std::uint16_t j = 0; j < count; ++j)
                if (get<std::uint32_t>(block + 4 + 4 * j) >= n)
                    return "element " + std::to_string(i) + " links outside the graph";
            // Deleted elements too: searches still walk through them.
            if (auto v = code_problem(storage, block + data_offset, dim); !v.empty())
                return "element " + std::to_string(i) + " has a damaged vector: " + v;
        }
        return {};
    });
    if (!why.empty()) return bad(why);

    // Upper layers: a link at level l must point to an element that has level l.
    int top = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const int level = g.element_levels_[i];
        top = std::max(top, level);
        for (int l = 1; l <= level; ++l) {
            const auto* list = reinterpret_cast<const unsigned char*>(g.linkLists_[i] + (l - 1) * links_bytes);
            const auto count = get<std::uint16_t>(list);
            if (count > max_m) return bad("element " + std::to_string(i) + " has too many links");
            for (std::uint16_t j = 0; j < count; ++j) {
                const auto target = get<std::uint32_t>(list + 4 + 4 * j);
                if (target >= n || g.element_levels_[target] < l)
                    return bad("a link points to an element missing from that layer");
            }
        }
    }
    if (n > 0 && (g.element_levels_[entry_point] != max_level || top != max_level))
        return bad("entry point is not on the top layer");

    g.label_lookup_.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto internal = static_cast<hnswlib::tableint>(i);
        if (!g.label_lookup_.emplace(g.getExternalLabel(internal), internal).second)
            return bad("two elements carry the same id");
        g.num_deleted_ += g.isMarkedDeleted(internal) ? 1 : 0;
    }
    g.enterpoint_node_ = n ? entry_point : static_cast<hnswlib::tableint>(-1);
    g.maxlevel_ = max_level;
    g.mult_ = mult;
    g.revSize_ = 1.0 / mult;
    return out;
}

}  // namespace rv::index_detail
