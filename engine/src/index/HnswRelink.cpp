// Graph reuse passes (HnswRelink.h). Work is split in chunks of elements handed out by an atomic
// counter; writes go to per-element places no other worker touches, or to staging first.
#include "index/HnswRelink.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numeric>
#include <queue>
#include <random>
#include <string>
#include <system_error>
#include <thread>

#include "ruvision/engine/VectorIndex.h"

namespace rv::index_detail {

namespace {

constexpr std::size_t kChunk = 256;

// Runs work(begin, end) over [0, n) in chunks on `threads` threads (this one included).
template <class Work>
void parallel_chunks(std::size_t n, int threads, Work&& work) {
    std::atomic<std::size_t> next{0};
    auto loop = [&] {
        for (std::size_t b; (b = next.fetch_add(kChunk)) < n;) work(b, std::min(n, b + kChunk));
    };
    std::vector<std::thread> helpers;
    try {
        for (int t = 1; t < threads && std::size_t(t) * kChunk < n; ++t) helpers.emplace_back(loop);
    } catch (const std::system_error&) {
        // Fewer threads than asked: the ones started and this one finish the work.
    }
    loop();
    for (auto& t : helpers) t.join();
}

float* vec(const GraphLayout& g, std::size_t i) {
    return reinterpret_cast<float*>(g.level0 + i * g.stride + g.vector_offset);
}
std::uint64_t label(const GraphLayout& g, std::size_t i) {
    std::uint64_t l;
    std::memcpy(&l, g.level0 + i * g.stride + g.label_offset, sizeof l);
    return l;
}
bool deleted(const GraphLayout& g, std::size_t i) {
    return (static_cast<unsigned char>(g.level0[i * g.stride + 2]) & 1u) != 0;
}
std::uint32_t* list(const GraphLayout& g, std::size_t i, int level) {
    return reinterpret_cast<std::uint32_t*>(level == 0 ? g.level0 + i * g.stride
                                                       : g.upper[i] + std::size_t(level - 1) * g.upper_stride);
}
std::size_t list_count(const std::uint32_t* l) {
    std::uint16_t c;
    std::memcpy(&c, l, sizeof c);
    return c;
}
void set_list_count(std::uint32_t* l, std::size_t c) {
    const auto v = static_cast<std::uint16_t>(c);
    std::memcpy(l, &v, sizeof v);  // the flags byte after it stays
}
float distance(const GraphLayout& g, const float* a, const float* b) { return 1.0f - g.dot(a, b, g.dim); }

using Scored = std::pair<float, std::uint32_t>;  // distance, element

constexpr std::size_t kAhead = 4;  // candidates whose vectors are prefetched ahead of use

void prefetch(const float* v, std::size_t dim) {
    const char* p = reinterpret_cast<const char*>(v);
    for (std::size_t off = 0; off < dim * sizeof(float); off += 64) __builtin_prefetch(p + off);
}

// hnswlib's getNeighborsByHeuristic2 on candidates sorted nearest first.
void heuristic(const GraphLayout& g, const std::vector<Scored>& sorted, std::size_t cap, std::vector<std::uint32_t>& out) {
    out.clear();
    if (sorted.size() <= cap) {
        for (const auto& s : sorted) out.push_back(s.second);
        return;
    }
    for (const auto& s : sorted) {
        if (out.size() >= cap) break;
        const float* v = vec(g, s.second);
        bool good = true;
        for (std::uint32_t r : out)
            if (distance(g, vec(g, r), v) < s.first) {
                good = false;
                break;
            }
        if (good) out.push_back(s.second);
    }
}

}  // namespace

Result<double> map_vectors(const GraphLayout& g, const VectorMap& map, int threads, const std::atomic<bool>* cancel) {
    std::mutex m;
    std::string error;
    double cos_sum = 0;
    std::atomic<bool> failed{false};
    parallel_chunks(g.count, threads, [&](std::size_t b, std::size_t e) {
        if (failed || (cancel && *cancel)) return;
        const std::size_t n = e - b;
        std::vector<float> in(n * g.dim), out(n * g.dim);
        for (std::size_t i = b; i < e; ++i) std::memcpy(&in[(i - b) * g.dim], vec(g, i), g.dim * sizeof(float));
        map(in.data(), out.data(), n);
        double sum = 0;
        for (std::size_t i = b; i < e; ++i) {
            const float* y = &out[(i - b) * g.dim];
            if (auto why = vector_problem(y, static_cast<int>(g.dim)); !why.empty()) {
                std::lock_guard lock(m);
                if (!failed.exchange(true))
                    error = "HNSW index: the mapped vector of id " + std::to_string(label(g, i)) + " is refused: " + why;
                return;
            }
            sum += g.dot(&in[(i - b) * g.dim], y, g.dim);
            std::memcpy(vec(g, i), y, g.dim * sizeof(float));
        }
        std::lock_guard lock(m);
        cos_sum += sum;
    });
    if (failed) return Error{error};
    if (cancel && *cancel) return Error{"cancelled"};
    return g.count ? cos_sum / double(g.count) : 1.0;
}

void relink(const GraphLayout& g, int fanout, int threads, const std::atomic<bool>* cancel) {
    for (int level = 0; level <= g.max_level; ++level) {
        const std::size_t cap = level == 0 ? g.max0 : g.max_upper;
        std::vector<std::uint32_t> at;  // the elements present at this level
        for (std::size_t i = 0; i < g.count; ++i)
            if (g.levels[i] >= level) at.push_back(static_cast<std::uint32_t>(i));
        // New lists, staged: every worker reads only the old ones.
        std::vector<std::uint32_t> staged(at.size() * (cap + 1));
        parallel_chunks(at.size(), threads, [&](std::size_t b, std::size_t e) {
            if (cancel && *cancel) return;
            thread_local std::vector<std::uint32_t> seen;  // seen[j] == stamp: j already a candidate
            thread_local std::uint32_t stamp = 0;
            if (seen.size() < g.count) seen.assign(g.count, 0), stamp = 0;
            std::vector<Scored> cand;
            std::vector<std::uint32_t> ids, chosen;
            for (std::size_t k = b; k < e; ++k) {
                const std::uint32_t i = at[k];
                if (++stamp == 0) std::fill(seen.begin(), seen.end(), 0), stamp = 1;
                seen[i] = stamp;
                ids.clear();
                auto consider = [&](std::uint32_t j) {
                    if (seen[j] == stamp) return;
                    seen[j] = stamp;
                    ids.push_back(j);
                };
                const std::uint32_t* own = list(g, i, level);
                const std::size_t n_own = list_count(own);
                for (std::size_t a = 0; a < n_own; ++a) consider(own[1 + a]);
                for (std::size_t a = 0; a < n_own; ++a) {
                    const std::uint32_t* theirs = list(g, own[1 + a], level);
                    const std::size_t n = std::min(list_count(theirs), std::size_t(fanout));
                    for (std::size_t c = 0; c < n; ++c) consider(theirs[1 + c]);
                }
                // Memory-bound (each candidate's vector is elsewhere): fetch a few ahead.
                const float* v = vec(g, i);
                cand.clear();
                for (std::size_t c = 0; c < ids.size(); ++c) {
                    if (c + kAhead < ids.size()) prefetch(vec(g, ids[c + kAhead]), g.dim);
                    cand.emplace_back(distance(g, v, vec(g, ids[c])), ids[c]);
                }
                // The heuristic looks at the nearest ones only, as hnswlib's insert does (its
                // candidates are at most ef_construction).
                const std::size_t pool = std::min(cand.size(), 4 * cap);
                std::partial_sort(cand.begin(), cand.begin() + pool, cand.end());
                cand.resize(pool);
                heuristic(g, cand, cap, chosen);
                std::uint32_t* out = &staged[k * (cap + 1)];
                out[0] = static_cast<std::uint32_t>(chosen.size());
                std::copy(chosen.begin(), chosen.end(), out + 1);
            }
        });
        if (cancel && *cancel) return;
        for (std::size_t k = 0; k < at.size(); ++k) {
            std::uint32_t* l = list(g, at[k], level);
            const std::uint32_t* s = &staged[k * (cap + 1)];
            set_list_count(l, s[0]);
            std::copy(s + 1, s + 1 + s[0], l + 1);
        }
        // Mirrors: j gets i back where it has room (hnswlib's insert links both ways too).
        for (std::uint32_t i : at) {
            const std::uint32_t* l = list(g, i, level);
            for (std::size_t a = 0, n = list_count(l); a < n; ++a) {
                std::uint32_t* other = list(g, l[1 + a], level);
                const std::size_t m = list_count(other);
                if (m >= cap || std::find(other + 1, other + 1 + m, i) != other + 1 + m) continue;
                other[1 + m] = i;
                set_list_count(other, m + 1);
            }
        }
    }
}

double self_recall(const GraphLayout& g, const GraphSearch& search, std::size_t queries, std::size_t k,
                   std::uint64_t seed, int threads) {
    std::vector<std::uint32_t> live;
    for (std::size_t i = 0; i < g.count; ++i)
        if (!deleted(g, i)) live.push_back(static_cast<std::uint32_t>(i));
    if (live.size() <= k || queries == 0 || k == 0) return 1.0;
    std::mt19937_64 rng(seed);
    std::shuffle(live.begin(), live.end(), rng);
    // Probes: the midpoint of a live element and one of its level-0 links (live or not), a point
    // near the graph's data that is not itself an element.
    const std::size_t nq = std::min(queries, live.size());
    std::vector<float> probes(nq * g.dim);
    for (std::size_t a = 0; a < nq; ++a) {
        const std::uint32_t i = live[a];
        const std::uint32_t* l = list(g, i, 0);
        const std::size_t n = list_count(l);
        const float* u = vec(g, i);
        const float* w = n ? vec(g, l[1 + rng() % n]) : u;
        float* p = &probes[a * g.dim];
        double norm = 0;
        for (std::size_t c = 0; c < g.dim; ++c) {
            p[c] = u[c] + w[c];
            norm += double(p[c]) * p[c];
        }
        const float scale = norm > 0 ? float(1.0 / std::sqrt(norm)) : 1.0f;
        for (std::size_t c = 0; c < g.dim; ++c) p[c] *= scale;
    }
    // Exact: per probe a max-heap of the k nearest live elements; each worker scans a share of the
    // elements in chunks (a chunk's vectors stay in cache for all probes), then heaps merge.
    using Heap = std::priority_queue<Scored>;
    std::mutex m;
    std::vector<Heap> best(nq);
    parallel_chunks(g.count, threads, [&](std::size_t b, std::size_t e) {
        std::vector<Heap> mine(nq);
        for (std::size_t a = 0; a < nq; ++a) {
            const float* v = &probes[a * g.dim];
            for (std::size_t i = b; i < e; ++i) {
                if (deleted(g, i)) continue;
                const float d = distance(g, v, vec(g, i));
                if (mine[a].size() < k) {
                    mine[a].emplace(d, static_cast<std::uint32_t>(i));
                } else if (d < mine[a].top().first) {
                    mine[a].pop();
                    mine[a].emplace(d, static_cast<std::uint32_t>(i));
                }
            }
        }
        std::lock_guard lock(m);
        for (std::size_t a = 0; a < nq; ++a)
            for (; !mine[a].empty(); mine[a].pop()) {
                best[a].push(mine[a].top());
                if (best[a].size() > k) best[a].pop();
            }
    });
    std::size_t found = 0, total = 0;
    for (std::size_t a = 0; a < nq; ++a) {
        const std::vector<std::uint32_t> got = search(&probes[a * g.dim], k);
        for (total += best[a].size(); !best[a].empty(); best[a].pop())
            found += std::count(got.begin(), got.end(), best[a].top().second) > 0 ? 1 : 0;
    }
    return total ? double(found) / double(total) : 1.0;
}

}  // namespace rv::index_detail
