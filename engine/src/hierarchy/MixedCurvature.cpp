// Mixed-curvature product space (MixedCurvature.h). The sphere's distance is taken as
// 2 atan2(|x - y|, |x + y|) / sqrt(c_s) on the normalised points, exact for near and for antipodal
// points alike (acos of a dot product loses half the digits near 0).
#include "hierarchy/MixedCurvature.h"

#include <algorithm>
#include <cmath>

#include "ruvision/engine/Hyperbolic.h"

namespace rv::mixed {
namespace {

double norm(std::span<const double> x)
{
    double s = 0;
    for (double v : x)
        s += v * v;
    return std::sqrt(s);
}

std::size_t sphere_coords(const Space& space)
{
    return space.spherical > 0 ? static_cast<std::size_t>(space.spherical) + 1 : 0;
}

double sphere_distance(std::span<const double> x, std::span<const double> y, double c_s)
{
    const double nx = norm(x), ny = norm(y);
    if (nx == 0 || ny == 0)
        return 0;
    double minus = 0, plus = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double a = x[i] / nx, b = y[i] / ny;
        minus += (a - b) * (a - b);
        plus += (a + b) * (a + b);
    }
    return 2.0 * std::atan2(std::sqrt(minus), std::sqrt(plus)) / std::sqrt(c_s);
}

}  // namespace

std::size_t point_size(const Space& space)
{
    return static_cast<std::size_t>(space.euclidean + space.hyperbolic) + sphere_coords(space);
}

std::size_t tangent_size(const Space& space)
{
    return static_cast<std::size_t>(space.euclidean + space.hyperbolic + space.spherical);
}

Point origin(const Space& space)
{
    Point p(point_size(space), 0.0);
    if (space.spherical > 0)
        p[static_cast<std::size_t>(space.euclidean + space.hyperbolic)] = 1.0 / std::sqrt(space.c_s);
    return p;
}

PartDistances part_distances(const Space& space, std::span<const double> x, std::span<const double> y)
{
    PartDistances d;
    const auto a = static_cast<std::size_t>(space.euclidean), b = static_cast<std::size_t>(space.hyperbolic);
    double e = 0;
    for (std::size_t i = 0; i < a; ++i)
        e += (x[i] - y[i]) * (x[i] - y[i]);
    d.euclidean = std::sqrt(e);
    if (b > 0)
        d.hyperbolic = hyperbolic::distance(x.subspan(a, b), y.subspan(a, b), space.c_h);
    if (space.spherical > 0)
        d.spherical = sphere_distance(x.subspan(a + b, sphere_coords(space)), y.subspan(a + b, sphere_coords(space)), space.c_s);
    return d;
}

double distance(const Space& space, std::span<const double> x, std::span<const double> y)
{
    const PartDistances d = part_distances(space, x, y);
    return std::sqrt(d.euclidean * d.euclidean + d.hyperbolic * d.hyperbolic + d.spherical * d.spherical);
}

Point exp0(const Space& space, std::span<const double> v)
{
    const auto a = static_cast<std::size_t>(space.euclidean), b = static_cast<std::size_t>(space.hyperbolic);
    const auto m = static_cast<std::size_t>(space.spherical);
    Point p(point_size(space), 0.0);
    std::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(a), p.begin());
    if (b > 0) {
        const Point h = hyperbolic::exp0(v.subspan(a, b), space.c_h);
        std::copy(h.begin(), h.end(), p.begin() + static_cast<std::ptrdiff_t>(a));
    }
    if (m > 0) {
        // exp_o(u) = cos(sqrt c |u|) o + sin(sqrt c |u|) u / (sqrt c |u|), u tangent at o.
        const auto u = v.subspan(a + b, m);
        const double sc = std::sqrt(space.c_s);
        const double nu = norm(u);
        p[a + b] = std::cos(sc * nu) / sc;
        for (std::size_t i = 0; i < m; ++i)
            p[a + b + 1 + i] = nu > 0 ? std::sin(sc * nu) * u[i] / (sc * nu) : 0.0;
    }
    return p;
}

Point log0(const Space& space, std::span<const double> x)
{
    const auto a = static_cast<std::size_t>(space.euclidean), b = static_cast<std::size_t>(space.hyperbolic);
    const auto m = static_cast<std::size_t>(space.spherical);
    Point v(tangent_size(space), 0.0);
    std::copy(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(a), v.begin());
    if (b > 0) {
        const Point h = hyperbolic::log0(x.subspan(a, b), space.c_h);
        std::copy(h.begin(), h.end(), v.begin() + static_cast<std::ptrdiff_t>(a));
    }
    if (m > 0) {
        const auto s = x.subspan(a + b, m + 1);
        const double sc = std::sqrt(space.c_s);
        const double rest = norm(s.subspan(1));
        // the angle from o, from both its sine and cosine (stable at 0 and at pi)
        const double angle = std::atan2(rest, s[0]);
        if (rest > 0) {
            for (std::size_t i = 0; i < m; ++i)
                v[a + b + i] = angle / sc * s[1 + i] / rest;
        } else if (s[0] < 0) {
            v[a + b] = angle / sc;  // opposite o: any direction; the first axis
        }
    }
    return v;
}

Space feature_space(const FeatureMap& map, int feature_dim)
{
    Space s;
    s.euclidean = std::clamp(map.euclidean, 0, std::max(feature_dim, 0));
    s.hyperbolic = std::clamp(map.hyperbolic, 0, std::max(feature_dim, 0) - s.euclidean);
    const int rest = feature_dim - s.euclidean - s.hyperbolic;
    s.spherical = rest >= 2 ? rest - 1 : 0;
    s.c_h = map.c_h;
    s.c_s = map.c_s;
    return s;
}

Point from_feature(const FeatureMap& map, std::span<const float> feature)
{
    const Space space = feature_space(map, static_cast<int>(feature.size()));
    const auto a = static_cast<std::size_t>(space.euclidean), b = static_cast<std::size_t>(space.hyperbolic);
    Point p(point_size(space), 0.0);
    for (std::size_t i = 0; i < a && i < feature.size(); ++i)
        p[i] = map.flat_gain * feature[i];
    if (b > 0) {
        Point v(b);
        for (std::size_t i = 0; i < b; ++i)
            v[i] = map.ball_gain * feature[a + i];
        const Point h = hyperbolic::exp0(v, space.c_h);
        std::copy(h.begin(), h.end(), p.begin() + static_cast<std::ptrdiff_t>(a));
    }
    if (space.spherical > 0) {
        const std::size_t n = sphere_coords(space);
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
            s += static_cast<double>(feature[a + b + i]) * static_cast<double>(feature[a + b + i]);
        const double r = 1.0 / std::sqrt(space.c_s);
        if (s > 0) {
            const double f = r / std::sqrt(s);
            for (std::size_t i = 0; i < n; ++i)
                p[a + b + i] = f * feature[a + b + i];
        } else {
            p[a + b] = r;
        }
    }
    return p;
}

}  // namespace rv::mixed
