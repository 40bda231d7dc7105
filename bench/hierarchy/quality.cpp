// bench_hierarchy's quality part (quality.h).
#include "hierarchy/quality.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <numeric>

#include "hierarchy/Agglomerative.h"
#include "hierarchy/dendrogram_purity.h"
#include "learning/GroupDiscriminant.h"
#include "learning/Random.h"
#include "ruvision/engine/Adapter.h"

namespace rvhier {

std::vector<Variant> variants(int threads) {
    using rv::cluster::Linkage;
    using rv::hierarchy_build::Method;
    std::vector<Variant> out;
    Variant def;
    def.name = "default";
    def.params.threads = threads;
    def.options = rv::hierarchy_build::default_build();
    out.push_back(def);
    for (int branching : {2, 4, 8})
        for (int leaf : {8, 12, 24}) {
            Variant v;
            v.params.branching = branching;
            v.params.leaf_group = leaf;
            v.params.threads = threads;
            v.options.method = Method::KMeans;
            v.name = "kmeans b" + std::to_string(branching) + " leaf" + std::to_string(leaf);
            out.push_back(v);
            for (Linkage linkage : {Linkage::Average, Linkage::Ward})
                for (int block : {64, 256, 1024}) {
                    Variant hv = v;
                    hv.options.method = Method::Hybrid;
                    hv.options.linkage = linkage;
                    hv.options.block = block;
                    hv.name = std::string(linkage == Linkage::Average ? "hybrid-average" : "hybrid-ward") + " b" +
                              std::to_string(branching) + " leaf" + std::to_string(leaf) + " block" +
                              std::to_string(block);
                    out.push_back(hv);
                }
        }
    return out;
}

double variant_purity(const Labelled& set, const Variant& v, double* seconds) {
    std::vector<std::int64_t> ids(set.labels.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::atomic<bool> cancel{false};
    const auto t0 = std::chrono::steady_clock::now();
    auto h = rv::hierarchy_build::build_with(set.x.rows, ids, set.x.dim, v.params, v.options, cancel);
    if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!h) {
        std::fprintf(stderr, "bench_hierarchy: %s: %s\n", v.name.c_str(), h.error().message.c_str());
        return -1;
    }
    return dendrogram_purity(*h, 10, [&](std::int64_t id) { return set.labels[static_cast<std::size_t>(id)]; });
}

double average_linkage_purity(const Labelled& set, int threads) {
    const std::size_t n = set.labels.size();
    const std::vector<std::int64_t> ones(n, 1);
    const auto d = rv::cluster::agglomerate(set.x.rows.data(), ones.data(), n, static_cast<std::size_t>(set.x.dim),
                                            rv::cluster::Linkage::Average, threads);
    std::vector<std::vector<int>> children(n + d.left.size());
    std::vector<int> label(children.size(), -1);
    for (std::size_t i = 0; i < n; ++i) label[i] = set.labels[i];
    for (std::size_t k = 0; k < d.left.size(); ++k) children[n + k] = {d.left[k], d.right[k]};
    return dendrogram_purity(children, label, d.root(), 10);
}

Labelled after_marks(const Labelled& set, int marks, std::uint64_t seed, std::string* summary) {
    const std::size_t n = set.labels.size();
    const auto dim = static_cast<std::size_t>(set.x.dim);
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    rv::learning::SplitMix64 rng(seed);
    rv::learning::shuffle(order, rng);
    std::vector<rv::TrainingPair> pairs;
    for (std::size_t qi = 0; qi < n && static_cast<int>(pairs.size()) < marks; ++qi) {
        const std::uint32_t q = order[qi];
        std::vector<std::pair<double, std::uint32_t>> sims;
        for (std::uint32_t j = 0; j < n; ++j) {
            if (j == q) continue;
            double s = 0;
            for (std::size_t d = 0; d < dim; ++d) s += double(set.x.row(q)[d]) * set.x.row(j)[d];
            sims.emplace_back(s, j);
        }
        std::partial_sort(sims.begin(), sims.begin() + 10, sims.end(),
                          [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
        for (int k = 0; k < 10 && static_cast<int>(pairs.size()) < marks; ++k)
            pairs.push_back({q, sims[static_cast<std::size_t>(k)].second,
                             set.labels[q] == set.labels[sims[static_cast<std::size_t>(k)].second]});
    }
    const auto fit = rv::learning::fit_group_discriminant(set.x, pairs, {});
    if (summary) *summary = fit.summary;
    Labelled out = set;
    if (fit.fitted) fit.adapter.apply_rows(set.x.rows.data(), out.x.rows.data(), n);
    return out;
}

}  // namespace rvhier
