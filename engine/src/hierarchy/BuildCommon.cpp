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

void centroid_and_rep(const Work& w, Range r, std::vector<float>& centroid, std::size_t& rep) {
    std::vector<double> sum(w.dim, 0.0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float* v = w.raw(i);
        const double s = w.raw_scale(i);
        for (std::size_t d = 0; d < w.dim; ++d) sum[d] += v[d] * s;
    }
    if (!hierarchy_ops::normalise(sum)) {  // members cancel out: any member stands for them
        const float* v = w.raw(r.begin);
        for (std::size_t d = 0; d < w.dim; ++d) sum[d] = v[d] * static_cast<double>(w.raw_scale(r.begin));
    }
    centroid.assign(sum.begin(), sum.end());
    const auto& K = kernels::kernels();
    float best = -2.0f;
    rep = r.begin;
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float c = K.dot(w.raw(i), centroid.data(), w.dim) * w.raw_scale(i);
        if (c > best) {
            best = c;
            rep = i;
        }
    }
}

float spread(const Work& w, Range r) {
    std::vector<double> sum(w.dim, 0.0);
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const float* v = w.row(i);
        for (std::size_t d = 0; d < w.dim; ++d) sum[d] += v[d];
    }
    std::vector<float> mean(w.dim, 0.0f);
    if (hierarchy_ops::normalise(sum)) mean.assign(sum.begin(), sum.end());
    float lowest = 1.0f;
    for (std::size_t i = r.begin; i < r.end; ++i)
        lowest = std::min(lowest, hierarchy_ops::mean_free_cos(w.row(i), mean.data(), w.dim));
    return lowest;
}

// Near-duplicate stars among a group's rows (BuildCommon.h). Cosines by one gemm (rows are unit
// or zero; mean_free_cos's rule for zero rows after); the stars in O(m^2): each row's count and
// sum of alike untaken others are kept up to date as rows are taken.
std::vector<std::vector<std::size_t>> leaf_items(const Work& w, Range r, float threshold, bool in_order) {
    const std::size_t m = r.size();
    std::vector<float> cs(m * m, 0.0f);
    {
        std::vector<float> t(w.dim * m);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t d = 0; d < w.dim; ++d) t[d * m + i] = w.row(r.begin + i)[d];
        kernels::kernels().gemm(static_cast<int>(m), static_cast<int>(m), static_cast<int>(w.dim), w.row(r.begin),
                                t.data(), nullptr, cs.data(), kernels::Activation::None);
        std::vector<char> zero(m);
        for (std::size_t i = 0; i < m; ++i) zero[i] = cs[i * m + i] == 0.0f;
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < m; ++j)
                if (zero[i] || zero[j]) cs[i * m + j] = zero[i] && zero[j] ? 1.0f : 0.0f;
    }
    std::vector<std::size_t> count(m, 0);
    std::vector<double> sum(m, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < m; ++j)
            if (j != i && cs[i * m + j] >= threshold) {
                ++count[i];
                sum[i] += cs[i * m + j];
            }
    std::vector<char> taken(m, 0);
    auto take = [&](std::size_t j) {
        taken[j] = 1;
        for (std::size_t i = 0; i < m; ++i)
            if (i != j && !taken[i] && cs[i * m + j] >= threshold) {
                --count[i];
                sum[i] -= cs[i * m + j];
            }
    };
    std::vector<std::vector<std::size_t>> items;
    for (;;) {
        std::size_t best = m;
        for (std::size_t i = 0; i < m; ++i) {
            if (taken[i] || count[i] == 0) continue;
            if (best == m || count[i] > count[best] || (count[i] == count[best] && sum[i] > sum[best])) best = i;
        }
        if (best == m) break;
        std::vector<std::size_t> star{best};
        for (std::size_t j = 0; j < m; ++j)
            if (j != best && !taken[j] && cs[best * m + j] >= threshold) star.push_back(j);
        for (std::size_t j : star) take(j);
        for (std::size_t& j : star) j += r.begin;
        items.push_back(std::move(star));
    }
    for (std::size_t i = 0; i < m; ++i)
        if (!taken[i]) items.push_back({r.begin + i});
    if (!in_order) return items;
    std::vector<const float*> heads;
    for (const auto& it : items) heads.push_back(w.raw(it[0]));
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
    w.input = features.data();
    const std::size_t n = w.dim > 0 ? features.size() / w.dim : 0;
    w.x.resize(n * w.dim);
    w.orig.resize(n);
    w.inv_norm.resize(n);
    std::vector<double> mean(w.dim, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        w.orig[i] = i;
        const float* v = features.data() + i * w.dim;
        double n2 = 0;
        for (std::size_t d = 0; d < w.dim; ++d) n2 += static_cast<double>(v[d]) * v[d];
        w.inv_norm[i] = static_cast<float>(1.0 / std::sqrt(n2));  // check_input: n2 > 0
        for (std::size_t d = 0; d < w.dim; ++d) mean[d] += v[d] * static_cast<double>(w.inv_norm[i]);
    }
    std::vector<float> u(w.dim, 0.0f);
    if (hierarchy_ops::normalise(mean)) u.assign(mean.begin(), mean.end());
    else u.clear();
    for (std::size_t i = 0; i < n; ++i) {
        const auto v = hierarchy_ops::mean_free(features.subspan(i * w.dim, w.dim), u);
        std::copy(v.begin(), v.end(), w.row(i));
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
