// Session memory (Feedback.h): spherical k-means over the sessions' queries, and the start of a
// new query from the nearest pattern.
//
// The algorithm, as run:
//  * k = params.clusters, or about sqrt(n / 2) (at least 1) when <= 0; never more than n.
//  * Seeding: k-means++ with D^2 weights, D^2 = |x - c|^2 = 2 - 2 cos(x, c) for unit vectors. The
//    first centre is a uniform draw; every draw comes from std::mt19937_64(params.seed), turned
//    into numbers by this file's own arithmetic (not std:: distributions, whose outputs differ
//    between standard libraries), so a seed gives the same patterns everywhere. When every point
//    already coincides with a centre (D^2 sums to 0) the next centre is a uniform draw.
//  * Each iteration assigns every query to the centre of highest cosine (ties: the lower index),
//    re-seeds every empty cluster with the point farthest (lowest cosine) from its own centre
//    among clusters that keep at least one other member, then sets each centre to its members'
//    normalised mean (a mean of length 0, antipodal members cancelling, keeps the old centre).
//    It stops when no assignment changed, or after params.iterations.
//  * A pattern's refinement is the mean of (refined - query) over its members that have a
//    refinement of the query's dimension; zeros when none has.
// Queries are used as given after normalising; sessions whose query has another dimension than
// the first session's, is empty, or has no length are left out.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "ruvision/engine/Feedback.h"

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

// Uniform in [0, 1) from the top 53 bits of one draw.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform index in [0, n), n > 0.
std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n)));
}

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

std::vector<Vec> seed_centres(const Points& p, std::size_t k, std::mt19937_64& rng) {
    const std::size_t n = p.x.size();
    std::vector<Vec> centres;
    centres.push_back(p.x[uniform_index(rng, n)]);
    // d2[i]: D^2 from point i to its nearest centre so far.
    std::vector<double> d2(n);
    for (std::size_t i = 0; i < n; ++i) d2[i] = std::max(0.0, 2.0 - 2.0 * dot(p.x[i].data(), centres[0].data(), p.dim));
    while (centres.size() < k) {
        double total = 0.0;
        for (double d : d2) total += d;
        std::size_t pick = 0;
        if (total <= 0.0) {
            pick = uniform_index(rng, n);
        } else {
            const double target = uniform01(rng) * total;
            double run = 0.0;
            pick = n - 1;
            for (std::size_t i = 0; i < n; ++i) {
                run += d2[i];
                if (d2[i] > 0.0 && run > target) {
                    pick = i;
                    break;
                }
            }
            while (d2[pick] <= 0.0 && pick > 0) --pick;  // rounding at the end of the run
        }
        centres.push_back(p.x[pick]);
        for (std::size_t i = 0; i < n; ++i)
            d2[i] = std::min(d2[i], std::max(0.0, 2.0 - 2.0 * dot(p.x[i].data(), centres.back().data(), p.dim)));
    }
    return centres;
}

std::size_t nearest(const Vec& x, const std::vector<Vec>& centres, double* cos_out) {
    std::size_t best = 0;
    double best_cos = -std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < centres.size(); ++c) {
        const double cs = dot(x.data(), centres[c].data(), x.size());
        if (cs > best_cos) {
            best_cos = cs;
            best = c;
        }
    }
    if (cos_out) *cos_out = best_cos;
    return best;
}

// Gives every empty cluster the point farthest from its own centre among clusters of >= 2
// members. Returns whether it moved any point.
bool reseed_empty(const Points& p, const std::vector<Vec>& centres, std::vector<std::size_t>& assign) {
    const std::size_t k = centres.size();
    std::vector<std::size_t> count(k, 0);
    for (std::size_t a : assign) ++count[a];
    bool moved = false;
    for (std::size_t c = 0; c < k; ++c) {
        if (count[c] != 0) continue;
        std::size_t far = p.x.size();
        double far_cos = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < p.x.size(); ++i) {
            if (count[assign[i]] < 2) continue;
            const double cs = dot(p.x[i].data(), centres[assign[i]].data(), p.dim);
            if (cs < far_cos) {
                far_cos = cs;
                far = i;
            }
        }
        if (far == p.x.size()) break;  // k <= n makes this unreachable; kept for safety
        --count[assign[far]];
        assign[far] = c;
        ++count[c];
        moved = true;
    }
    return moved;
}

void update_centres(const Points& p, const std::vector<std::size_t>& assign, std::vector<Vec>& centres) {
    std::vector<std::vector<double>> sum(centres.size(), std::vector<double>(p.dim, 0.0));
    for (std::size_t i = 0; i < p.x.size(); ++i)
        for (std::size_t d = 0; d < p.dim; ++d) sum[assign[i]][d] += p.x[i][d];
    for (std::size_t c = 0; c < centres.size(); ++c)
        if (normalise(sum[c])) centres[c] = to_float(sum[c]);
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

    std::mt19937_64 rng(params.seed);
    std::vector<Vec> centres = seed_centres(p, k, rng);
    std::vector<std::size_t> assign(n, k);  // k: not yet assigned
    const int iterations = std::max(1, params.iterations);
    for (int it = 0; it < iterations; ++it) {
        bool changed = false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t c = nearest(p.x[i], centres, nullptr);
            changed = changed || c != assign[i];
            assign[i] = c;
        }
        changed = reseed_empty(p, centres, assign) || changed;
        if (!changed) break;
        update_centres(p, assign, centres);
    }

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
        out[c].centroid = centres[c];
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
