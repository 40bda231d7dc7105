// The hierarchy builds' shared steps (BuildCommon.h).
#include "hierarchy/BuildCommon.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "hierarchy/SphericalKMeans.h"
#include "hierarchy/TreeOps.h"
#include "ruvision/kernels/kernels.h"

namespace rv::hierarchy_build {

namespace {

// Moves the range's rows so that cluster `rank[assign[i]]` comes first, keeping their order
// within a cluster; returns the clusters' ranges in rank order.
std::vector<Range> permute(Work& w, Range r, const std::vector<std::uint32_t>& assign,
                           const std::vector<std::size_t>& rank, std::size_t k) {
    std::vector<std::size_t> count(k, 0);
    for (auto a : assign) ++count[rank[a]];
    std::vector<Range> parts(k);
    std::size_t at = r.begin;
    for (std::size_t c = 0; c < k; ++c) {
        parts[c] = {at, at + count[c]};
        at += count[c];
    }
    std::vector<std::size_t> next(k), dest(r.size());
    for (std::size_t c = 0; c < k; ++c) next[c] = parts[c].begin - r.begin;
    for (std::size_t i = 0; i < r.size(); ++i) dest[i] = next[rank[assign[i]]]++;
    std::vector<float> tmp(w.dim);
    for (std::size_t i = 0; i < dest.size(); ++i) {
        while (dest[i] != i) {
            const std::size_t j = dest[i];
            float* a = w.row(r.begin + i);
            float* b = w.row(r.begin + j);
            std::copy_n(a, w.dim, tmp.data());
            std::copy_n(b, w.dim, a);
            std::copy_n(tmp.data(), w.dim, b);
            std::swap(w.orig[r.begin + i], w.orig[r.begin + j]);
            std::swap(dest[i], dest[j]);
        }
    }
    return parts;
}

}  // namespace

void centroid_and_rep(const Work& w, Range r, std::vector<float>& centroid, std::size_t& rep, float* min_cos) {
    std::vector<double> sum(w.dim, 0.0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float* v = w.row(i);
        for (std::size_t d = 0; d < w.dim; ++d) sum[d] += v[d];
    }
    if (!hierarchy_ops::normalise(sum)) {  // members cancel out: any member stands for them
        const float* v = w.row(r.begin);
        sum.assign(v, v + w.dim);
    }
    centroid.assign(sum.begin(), sum.end());
    const auto& K = kernels::kernels();
    float best = -2.0f, lowest = 2.0f;
    rep = r.begin;
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float c = K.dot(w.row(i), centroid.data(), w.dim);
        if (c > best) {
            best = c;
            rep = i;
        }
        lowest = std::min(lowest, c);
    }
    *min_cos = lowest;
}

// Near-duplicate stars among a small group's rows (see the file comment).
std::vector<std::vector<std::size_t>> leaf_items(const Work& w, Range r, float threshold, bool in_order) {
    const std::size_t m = r.size();
    const auto& K = kernels::kernels();
    std::vector<float> cs(m * m, 1.0f);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            cs[i * m + j] = cs[j * m + i] = K.dot(w.row(r.begin + i), w.row(r.begin + j), w.dim);
    std::vector<char> taken(m, 0);
    std::vector<std::vector<std::size_t>> items;
    for (;;) {
        std::size_t best = m, best_count = 0;
        double best_sum = 0;
        for (std::size_t i = 0; i < m; ++i) {
            if (taken[i]) continue;
            std::size_t count = 0;
            double sum = 0;
            for (std::size_t j = 0; j < m; ++j)
                if (j != i && !taken[j] && cs[i * m + j] >= threshold) {
                    ++count;
                    sum += cs[i * m + j];
                }
            if (count > best_count || (count == best_count && count > 0 && sum > best_sum)) {
                best = i;
                best_count = count;
                best_sum = sum;
            }
        }
        if (best == m) break;
        std::vector<std::size_t> star{r.begin + best};
        taken[best] = 1;
        for (std::size_t j = 0; j < m; ++j)
            if (!taken[j] && cs[best * m + j] >= threshold) {
                star.push_back(r.begin + j);
                taken[j] = 1;
            }
        items.push_back(std::move(star));
    }
    for (std::size_t i = 0; i < m; ++i)
        if (!taken[i]) items.push_back({r.begin + i});
    if (!in_order) return items;
    std::vector<const float*> heads;
    for (const auto& it : items) heads.push_back(w.row(it[0]));
    const auto order = hierarchy_ops::chain_order(heads, w.dim);
    std::vector<std::vector<std::size_t>> ordered;
    ordered.reserve(items.size());
    for (std::size_t o : order) ordered.push_back(std::move(items[o]));
    return ordered;
}

std::vector<Range> split_range(Work& w, Range r, const HierarchyParams& params, int threads,
                               const std::atomic<bool>& cancel) {
    cluster::SphericalKMeansParams kp;
    kp.k = static_cast<std::size_t>(std::max(2, params.branching));
    kp.iterations = params.iterations;
    kp.seed = hierarchy_ops::mix_seed(params.seed, r.begin, r.end);
    kp.threads = threads;
    const auto km = cluster::spherical_kmeans(w.row(r.begin), r.size(), w.dim, kp, &cancel);
    if (km.cancelled) return {};
    std::vector<const float*> centres;
    for (std::size_t c = 0; c < km.k; ++c) centres.push_back(km.centres.data() + c * w.dim);
    const auto order = hierarchy_ops::chain_order(centres, w.dim);
    std::vector<std::size_t> rank(km.k);
    for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    auto parts = permute(w, r, km.assign, rank, km.k);
    parts.erase(std::remove_if(parts.begin(), parts.end(), [](const Range& x) { return x.size() == 0; }), parts.end());
    return parts;
}

Work make_work(std::span<const float> features, int dim) {
    Work w;
    w.dim = static_cast<std::size_t>(std::max(0, dim));
    w.x.assign(features.begin(), features.end());
    const std::size_t n = w.dim > 0 ? w.x.size() / w.dim : 0;
    w.orig.resize(n);
    const auto& K = kernels::kernels();
    for (std::size_t i = 0; i < n; ++i) {
        w.orig[i] = i;
        K.l2_normalize(w.row(i), w.dim);
    }
    return w;
}

Status check_input(std::span<const float> features, std::span<const std::int64_t> file_ids, int dim) {
    const std::size_t n = file_ids.size();
    if (n > 0 && dim <= 0) return Error{"hierarchy: feature dimension " + std::to_string(dim) + " is not positive"};
    if (n > 0 && features.size() != n * static_cast<std::size_t>(dim))
        return Error{"hierarchy: " + std::to_string(features.size()) + " feature values for " + std::to_string(n) +
                     " files of dimension " + std::to_string(dim)};
    std::unordered_set<std::int64_t> seen;
    seen.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!seen.insert(file_ids[i]).second)
            return Error{"hierarchy: file id " + std::to_string(file_ids[i]) + " is given twice"};
        double n2 = 0;
        for (std::size_t d = 0; d < static_cast<std::size_t>(dim); ++d) {
            const double v = features[i * static_cast<std::size_t>(dim) + d];
            n2 += v * v;
        }
        if (!std::isfinite(n2) || n2 < 1e-24)
            return Error{"hierarchy: the feature of file id " + std::to_string(file_ids[i]) +
                         (std::isfinite(n2) ? " has no length" : " is not finite")};
    }
    return Status::success();
}

}  // namespace rv::hierarchy_build
