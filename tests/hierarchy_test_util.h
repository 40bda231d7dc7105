// Shared by the hierarchy tests: planted clustered features and one checker of every invariant
// Hierarchy.h promises. No Qt: a test wraps check_hierarchy's message in QVERIFY2.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "ruvision/engine/Hierarchy.h"

namespace rvtest {

// n unit vectors in a planted two-level hierarchy: `tops` broad classes, each with `subs`
// sub-classes, `per` images each. A sub-class centre is its class centre plus `sub_spread` noise,
// an image its sub-class centre plus `noise` (per coordinate, before normalising). Image i has
// file id 1000 + i.
struct Planted {
    int dim = 0;
    std::vector<float> x;               // n x dim
    std::vector<std::int64_t> ids;
    std::vector<int> top, sub;          // class and sub-class (global index) of each image
    std::unordered_map<std::int64_t, std::size_t> row;  // file id -> row

    std::size_t size() const { return ids.size(); }
    std::vector<float> feature(std::int64_t id) const {
        auto it = row.find(id);
        if (it == row.end()) return {};
        return {x.begin() + static_cast<std::ptrdiff_t>(it->second * static_cast<std::size_t>(dim)),
                x.begin() + static_cast<std::ptrdiff_t>((it->second + 1) * static_cast<std::size_t>(dim))};
    }
    std::function<std::vector<float>(std::int64_t)> feature_of() const {
        return [this](std::int64_t id) { return feature(id); };
    }
    // Appends one image (normalised); returns its row.
    std::size_t add(const std::vector<float>& v, int t, int s, std::int64_t id) {
        double n2 = 0;
        for (float a : v) n2 += static_cast<double>(a) * a;
        const double len = std::sqrt(n2);
        for (float a : v) x.push_back(static_cast<float>(a / len));
        ids.push_back(id);
        top.push_back(t);
        sub.push_back(s);
        row[id] = ids.size() - 1;
        return ids.size() - 1;
    }
};

inline std::vector<float> noisy(const std::vector<float>& centre, double noise, std::mt19937_64& rng) {
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<float> v(centre.size());
    for (std::size_t d = 0; d < v.size(); ++d) v[d] = static_cast<float>(centre[d] + noise * g(rng));
    return v;
}

inline Planted make_planted(int tops, int subs, int per, int dim, std::uint64_t seed, double sub_spread = 0.5,
                            double noise = 0.6) {
    Planted p;
    p.dim = dim;
    std::mt19937_64 rng(seed);
    const double unit = 1.0 / std::sqrt(static_cast<double>(dim));
    for (int t = 0; t < tops; ++t) {
        const auto c = noisy(std::vector<float>(static_cast<std::size_t>(dim), 0.0f), unit, rng);
        for (int s = 0; s < subs; ++s) {
            const auto sc = noisy(c, sub_spread * unit, rng);
            for (int i = 0; i < per; ++i)
                p.add(noisy(sc, noise * unit, rng), t, t * subs + s, 1000 + static_cast<std::int64_t>(p.size()));
        }
    }
    return p;
}

inline double cos_of(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size() || a.empty()) return -2;
    double s = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        s += static_cast<double>(a[i]) * b[i];
        na += static_cast<double>(a[i]) * a[i];
        nb += static_cast<double>(b[i]) * b[i];
    }
    return s / std::sqrt(na * nb);
}

// The engine's mean_free (engine/src/hierarchy/TreeOps.h), restated so this header needs only the
// public API: x's direction with the unit mean direction u taken out, normalised; zero when along u.
inline std::vector<double> mean_free(const std::vector<float>& x, const std::vector<float>& u) {
    std::vector<double> v(x.begin(), x.end());
    double n2 = 0, along = 0;
    for (double a : v) n2 += a * a;
    if (!(n2 > 0)) return std::vector<double>(x.size(), 0.0);
    for (double& a : v) a /= std::sqrt(n2);
    if (u.size() != v.size()) return v;
    for (std::size_t d = 0; d < v.size(); ++d) along += v[d] * u[d];
    n2 = 0;
    for (std::size_t d = 0; d < v.size(); ++d) {
        v[d] -= along * u[d];
        n2 += v[d] * v[d];
    }
    if (!(n2 > 1e-10)) return std::vector<double>(x.size(), 0.0);
    for (double& a : v) a /= std::sqrt(n2);
    return v;
}
inline double mean_free_cos(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0, na = 0, nb = 0;
    for (std::size_t d = 0; d < a.size() && d < b.size(); ++d) {
        s += a[d] * b[d];
        na += a[d] * a[d];
        nb += b[d] * b[d];
    }
    if (na == 0 && nb == 0) return 1;
    if (na == 0 || nb == 0) return 0;
    return s;
}

// Every invariant of Hierarchy.h's tree: "" when all hold, else the first broken one in words.
// `files`: exactly the images the tree must hold. `feature_of` (optional) checks Duplicates
// members against their representative at `duplicate_cosine`.
inline std::string check_hierarchy(const rv::Hierarchy& h, std::span<const std::int64_t> files,
                                   const std::function<std::vector<float>(std::int64_t)>& feature_of = {},
                                   float duplicate_cosine = 0.95f) {
    using Kind = rv::HierarchyNode::Kind;
    const auto N = static_cast<int>(h.nodes.size());
    auto at = [&](int i) -> const rv::HierarchyNode& { return h.nodes[static_cast<std::size_t>(i)]; };
    auto where = [&](int i) { return "node " + std::to_string(i) + " (id " + std::to_string(at(i).id) + "): "; };
    if (N == 0) return "no root";
    if (at(0).kind != Kind::Root || at(0).parent != -1 || at(0).depth != 0) return "node 0 is not a root at depth 0";
    std::vector<int> seen_as_child(h.nodes.size(), 0);
    std::set<std::int64_t> ids, images;
    for (int i = 0; i < N; ++i) {
        const auto& v = at(i);
        if (v.id <= 0 || v.id >= h.next_id) return where(i) + "id outside 1..next_id-1";
        if (!ids.insert(v.id).second) return where(i) + "id not unique";
        if (i > 0 && v.kind == Kind::Root) return where(i) + "a second root";
        if (i > 0) {
            if (v.parent < 0 || v.parent >= N) return where(i) + "parent out of range";
            const auto& kids = at(v.parent).children;
            if (std::count(kids.begin(), kids.end(), i) != 1) return where(i) + "not once among its parent's children";
            if (v.depth != at(v.parent).depth + 1) return where(i) + "depth not parent's + 1";
        }
        std::int64_t sum = 0;
        for (int c : v.children) {
            if (c <= 0 || c >= N) return where(i) + "child index out of range";
            if (++seen_as_child[static_cast<std::size_t>(c)] > 1) return where(i) + "a node is a child twice";
            if (at(c).parent != i) return where(i) + "child's parent is another node";
            sum += at(c).size;
        }
        if (v.kind == Kind::Image) {
            if (!v.children.empty() || v.size != 1 || v.representative != i) return where(i) + "image not a leaf of size 1 representing itself";
            if (!images.insert(v.file_id).second) return where(i) + "file " + std::to_string(v.file_id) + " twice";
            if (!v.centroid.empty()) return where(i) + "image with a centroid";
            continue;
        }
        if (v.file_id != 0) return where(i) + "internal node with a file id";
        if (sum != v.size) return where(i) + "size " + std::to_string(v.size) + " but children hold " + std::to_string(sum);
        if (v.kind != Kind::Root && v.children.size() < 2) return where(i) + "a group with fewer than 2 children";
        if (v.size == 0) {
            if (v.representative != -1) return where(i) + "empty node with a representative";
            continue;
        }
        // The representative is an image below.
        int r = v.representative;
        if (r < 0 || r >= N || at(r).kind != Kind::Image) return where(i) + "representative not an image";
        while (r >= 0 && r != i) r = at(r).parent;
        if (r != i) return where(i) + "representative not below it";
        if (v.kind == Kind::Duplicates) {
            if (!v.centroid.empty()) return where(i) + "duplicates with a centroid";
            // Compared as the engine does: mean_free, the root's centroid the mean direction (it
            // moves a little as files come and go, hence the tolerance).
            const auto& u = h.nodes[0].centroid;
            const auto rep = feature_of ? mean_free(feature_of(at(v.representative).file_id), u)
                                        : std::vector<double>{};
            for (int c : v.children) {
                if (at(c).kind != Kind::Image) return where(i) + "duplicates holding a non-image";
                if (rep.empty()) continue;
                const auto m = mean_free(feature_of(at(c).file_id), u);
                if (mean_free_cos(m, rep) < duplicate_cosine - 0.02)
                    return where(i) + "member " + std::to_string(at(c).file_id) + " not within the threshold of the representative";
            }
        } else {
            if (static_cast<int>(v.centroid.size()) != h.dim) return where(i) + "centroid of the wrong dimension";
            double n2 = 0;
            for (float a : v.centroid) n2 += static_cast<double>(a) * a;
            if (std::abs(n2 - 1.0) > 1e-3) return where(i) + "centroid not unit";
        }
    }
    for (int i = 1; i < N; ++i)
        if (seen_as_child[static_cast<std::size_t>(i)] != 1) return where(i) + "not reachable from the root";
    std::set<std::int64_t> want(files.begin(), files.end());
    if (want != images) return "the tree holds " + std::to_string(images.size()) + " images, not exactly the " +
                               std::to_string(want.size()) + " files";
    return {};
}

}  // namespace rvtest
