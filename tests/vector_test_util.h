// What the vector index tests share: test vectors, an index of either kind, recall against the
// exact scan, and the bytes of an index file read, damaged and re-checksummed (the header layout
// of engine/src/index/IndexFile.h). Link xxhash for fix_checksum.
#pragma once

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xxhash.h>

#include "ruvision/engine/VectorIndex.h"

namespace vtest {

inline const std::string kModel = "mobilenet_v2/gem3:expand13";

inline void normalize(float* v, int d) {
    double s = 0;
    for (int i = 0; i < d; ++i) s += double(v[i]) * v[i];
    const float inv = s > 0 ? float(1.0 / std::sqrt(s)) : 0.0f;
    for (int i = 0; i < d; ++i) v[i] *= inv;
}

// n unit vectors, i.i.d. Gaussian directions.
inline std::vector<float> random_unit(std::size_t n, int d, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<float> v(n * d);
    for (auto& x : v) x = g(rng);
    for (std::size_t i = 0; i < n; ++i) normalize(&v[i * d], d);
    return v;
}

// n unit vectors in `clusters` clusters: a random unit centre, plus a spread along 4 directions
// of its own, plus a little isotropic noise; then normalised.
inline std::vector<float> clustered(std::size_t n, int d, unsigned seed, int clusters = 50) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    const auto centres = random_unit(clusters, d, seed + 1);
    std::vector<float> basis(std::size_t(clusters) * 4 * d);
    for (auto& x : basis) x = g(rng) / std::sqrt(float(d));
    std::vector<float> v(n * d);
    for (std::size_t i = 0; i < n; ++i) {
        const int c = int(rng() % clusters);
        float* x = &v[i * d];
        for (int j = 0; j < d; ++j) x[j] = centres[c * d + j] + 0.3f * g(rng) / std::sqrt(float(d));
        for (int b = 0; b < 4; ++b) {
            const float z = 0.4f * g(rng);
            for (int j = 0; j < d; ++j) x[j] += z * basis[(std::size_t(c) * 4 + b) * d + j];
        }
        normalize(x, d);
    }
    return v;
}

inline std::vector<std::int64_t> iota_ids(std::size_t n, std::int64_t first = 0) {
    std::vector<std::int64_t> ids(n);
    std::iota(ids.begin(), ids.end(), first);
    return ids;
}

// An HNSW index (with `p`) or the exact scan, for kModel.
inline std::unique_ptr<rv::VectorIndex> make(bool hnsw, int d, rv::HnswParams p = {}) {
    if (hnsw) return std::make_unique<rv::HnswIndex>(d, kModel, p);
    return std::make_unique<rv::BruteForceIndex>(d, kModel);
}

// A data function's rows for a test of both kinds: column "hnsw".
inline void both_kinds() {
    QTest::addColumn<bool>("hnsw");
    QTest::newRow("hnsw") << true;
    QTest::newRow("brute") << false;
}

// Recall@k of `approx` against `exact` over the queries `q`; with worst_score_error, the largest
// difference between a hit's score and its exact score.
inline double recall_at(const rv::VectorIndex& approx, const rv::VectorIndex& exact, const std::vector<float>& q,
                        int d, int k, double* worst_score_error = nullptr) {
    const std::size_t nq = q.size() / d;
    std::size_t found = 0, total = 0;
    double worst = 0;
    for (std::size_t i = 0; i < nq; ++i) {
        const auto truth = exact.search(&q[i * d], k);
        const auto got = approx.search(&q[i * d], k);
        std::unordered_map<std::int64_t, float> exact_score;
        if (worst_score_error)
            for (const rv::Hit& h : exact.search(&q[i * d], 4 * k)) exact_score[h.id] = h.score;
        std::unordered_set<std::int64_t> s;
        for (const rv::Hit& h : got) {
            s.insert(h.id);
            if (auto it = exact_score.find(h.id); it != exact_score.end())
                worst = std::max(worst, double(std::fabs(h.score - it->second)));
        }
        for (const rv::Hit& h : truth) found += s.count(h.id);
        total += truth.size();
    }
    if (worst_score_error) *worst_score_error = worst;
    return double(found) / double(total);
}

inline std::vector<char> read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

inline void write_all(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

template <class T>
T at(const std::vector<char>& f, std::size_t off) {
    T v;
    std::memcpy(&v, f.data() + off, sizeof v);
    return v;
}

// The payload starts at 48 + L (L: the model id's length, at 28).
inline std::size_t payload_offset(const std::vector<char>& f) { return 48 + at<std::uint32_t>(f, 28); }

inline std::uint64_t fnv1a(const char* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ull;
    return h;
}

// The payload's length and checksum made to match it again, by the file's version (1: FNV-1a 64,
// 2: XXH3-64).
inline void fix_checksum(std::vector<char>& f) {
    const std::size_t p = payload_offset(f);
    const std::uint64_t len = f.size() - p;
    const std::uint64_t h = at<std::uint32_t>(f, 8) == 1 ? fnv1a(f.data() + p, len) : XXH3_64bits(f.data() + p, len);
    std::memcpy(f.data() + p - 16, &len, 8);
    std::memcpy(f.data() + p - 8, &h, 8);
}

}  // namespace vtest
