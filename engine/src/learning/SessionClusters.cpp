// Session memory (Feedback.h): spherical k-means over the sessions' queries, and the start of a
// new query from the nearest pattern.
//
// The clustering is SphericalKMeans.h's (k-means++ seeding, spherical k-means, seeded):
//  * k = params.clusters, or about sqrt(n / 2) (at least 1) when <= 0; never more than n.
//  * A pattern's refinement is the mean of (refined - query) over its members that have a
//    refinement of the query's dimension; zeros when none has.
// Queries are used as given after normalising; sessions whose query has another dimension than
// the first session's, is empty, or has no length are left out.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "ruvision/engine/Feedback.h"

#include "hierarchy/SphericalKMeans.h"

namespace rv {

namespace {

using Vec = std::vector<float>;

double dot(const float* a, const float* b, std::size_t n) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * static_cast<double>(b[i]);
    return s;
}

// Normalises v in place; false (v untouched) when it has no usable length.
bool normalise(std::vector<double>& v) {
    double n2 = 0.0;
    for (double x : v) n2 += x * x;
    const double n = std::sqrt(n2);
    if (!std::isfinite(n) || n < 1e-12) return false;
    for (double& x : v) x /= n;
    return true;
}

Vec to_float(const std::vector<double>& v) { return Vec(v.begin(), v.end()); }

struct Points {
    std::size_t dim = 0;
    std::vector<Vec> x;               // unit queries
    std::vector<const SessionRecord*> from;  // the session of each point
};

Points usable_points(const std::vector<SessionRecord>& sessions) {
    Points p;
    for (const auto& s : sessions) {
        if (s.query.empty()) continue;
        if (p.dim == 0) p.dim = s.query.size();
        if (s.query.size() != p.dim) continue;
        std::vector<double> q(s.query.begin(), s.query.end());
        if (!normalise(q)) continue;
        p.x.push_back(to_float(q));
        p.from.push_back(&s);
    }
    return p;
}

}  // namespace

std::vector<Pattern> cluster_sessions(const std::vector<SessionRecord>& sessions, const PatternParams& params) {
    const Points p = usable_points(sessions);
    const std::size_t n = p.x.size();
    if (n == 0) return {};
    std::size_t k = params.clusters > 0
                        ? static_cast<std::size_t>(params.clusters)
                        : std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(std::sqrt(n / 2.0))));
    k = std::min(k, n);

    std::vector<float> rows;
    rows.reserve(n * p.dim);
    for (const auto& x : p.x) rows.insert(rows.end(), x.begin(), x.end());
    cluster::SphericalKMeansParams kp;
    kp.k = k;
    kp.iterations = params.iterations;
    kp.seed = params.seed;
    const auto km = cluster::spherical_kmeans(rows.data(), n, p.dim, kp);
    const auto& assign = km.assign;

    std::vector<Pattern> out(k);
    std::vector<std::vector<double>> refine(k, std::vector<double>(p.dim, 0.0));
    std::vector<std::size_t> refined(k, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t c = assign[i];
        ++out[c].sessions;
        const SessionRecord& s = *p.from[i];
        if (s.refined.size() != p.dim) continue;
        bool finite = true;
        for (float v : s.refined) finite = finite && std::isfinite(v);
        if (!finite) continue;
        ++refined[c];
        for (std::size_t d = 0; d < p.dim; ++d)
            refine[c][d] += static_cast<double>(s.refined[d]) - static_cast<double>(s.query[d]);
    }
    for (std::size_t c = 0; c < k; ++c) {
        out[c].centroid.assign(km.centres.begin() + c * p.dim, km.centres.begin() + (c + 1) * p.dim);
        if (refined[c] > 0)
            for (double& v : refine[c]) v /= static_cast<double>(refined[c]);
        out[c].refinement = to_float(refine[c]);
    }
    return out;
}

std::vector<float> start_from_patterns(const std::vector<Pattern>& patterns, const float* q, int dim, float radius) {
    if (q == nullptr || dim <= 0) return {};
    const auto n = static_cast<std::size_t>(dim);
    const Pattern* best = nullptr;
    double best_cos = -std::numeric_limits<double>::infinity();
    for (const auto& pt : patterns) {
        if (pt.centroid.size() != n || pt.refinement.size() != n) continue;
        const double cs = dot(q, pt.centroid.data(), n);
        if (cs > best_cos) {
            best_cos = cs;
            best = &pt;
        }
    }
    if (best == nullptr || !(best_cos >= static_cast<double>(radius))) return std::vector<float>(q, q + n);
    std::vector<double> s(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<double>(q[i]) + static_cast<double>(best->refinement[i]);
    if (!normalise(s)) return std::vector<float>(q, q + n);
    return to_float(s);
}

}  // namespace rv
