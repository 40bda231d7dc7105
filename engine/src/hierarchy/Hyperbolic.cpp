// Hyperbolic geometry (Hyperbolic.h). Numerics: every quantity that tends to zero near the rim
// (1 - c|x|^2) or near the diagonal (the distance of close points) is computed from a form without
// cancellation: 1 - c|x|^2 as (1 - sqrt c |x|)(1 + sqrt c |x|), Möbius addition with numerator and
// denominator written as sums of non-negative terms, arcosh(1 + t) as 2 asinh(sqrt(t / 2)),
// artanh(s) as log1p(2s / (1 - s)) / 2. What remains is the rounding of the coordinates themselves:
// a point at distance r from the origin holds 1 - |x| to about 1e-16 / (2 exp(-r)) relative.
#include "ruvision/engine/Hyperbolic.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace rv::hyperbolic {
namespace {

constexpr double kPi = 3.14159265358979323846;

double dot(std::span<const double> x, std::span<const double> y)
{
    double s = 0;
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i)
        s += x[i] * y[i];
    return s;
}

// |x| without overflow or underflow for any finite coordinates.
double norm(std::span<const double> x)
{
    double m = 0;
    for (double v : x)
        m = std::max(m, std::fabs(v));
    if (m == 0 || !std::isfinite(m))
        return m;
    double s = 0;
    for (double v : x) {
        const double t = v / m;
        s += t * t;
    }
    return m * std::sqrt(s);
}

double norm_sq(std::span<const double> x)
{
    const double n = norm(x);
    return n * n;
}

// 1 - c|x|^2, at least DBL_EPSILON (a point rounded onto or past the rim counts as just inside).
double one_minus(double sqrt_c_norm)
{
    const double s = std::min(sqrt_c_norm, 1.0);
    return std::max((1.0 - s) * (1.0 + s), DBL_EPSILON);
}

double artanh_stable(double s)
{
    s = std::clamp(s, 0.0, 1.0 - DBL_EPSILON / 2);
    return 0.5 * std::log1p(2.0 * s / (1.0 - s));
}

Point scaled(std::span<const double> v, double f)
{
    Point out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        out[i] = v[i] * f;
    return out;
}

// Hyperbolic distance of x and y knowing u = y - x (so the caller's difference is reused).
double distance_from_difference(double norm_u, double nx, double ny, double c)
{
    const double sc = std::sqrt(c);
    const double bx = one_minus(sc * nx), by = one_minus(sc * ny);
    return 2.0 / sc * std::asinh(sc * norm_u / std::sqrt(bx * by));
}

// x ⊕ y given bx = 1 - c|x|^2 and by = 1 - c|y|^2, for callers that know them more precisely
// than the rounded coordinates do.
Point mobius_add_known(std::span<const double> x, std::span<const double> y, double c, double bx, double by)
{
    const std::size_t n = std::min(x.size(), y.size());
    Point s(n);
    for (std::size_t i = 0; i < n; ++i)
        s[i] = x[i] + y[i];
    const double ss = c * norm_sq(s);
    const double den = bx * by + ss;
    Point out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = (bx * s[i] + ss * x[i]) / den;
    return out;
}

}  // namespace

double conformal_factor(std::span<const double> x, double c)
{
    return 2.0 / one_minus(std::sqrt(c) * norm(x));
}

// x ⊕ y = ((1 + 2c<x,y> + c|y|^2) x + (1 - c|x|^2) y) / (1 + 2c<x,y> + c^2|x|^2|y|^2), rewritten
// with s = x + y, Bx = 1 - c|x|^2, By = 1 - c|y|^2 as (Bx s + c|s|^2 x) / (Bx By + c|s|^2): every
// term non-negative in the denominator, so (-x) ⊕ y keeps its digits when y is near x at the rim.
Point mobius_add(std::span<const double> x, std::span<const double> y, double c)
{
    const double sc = std::sqrt(c);
    return mobius_add_known(x, y, c, one_minus(sc * norm(x)), one_minus(sc * norm(y)));
}

double distance(std::span<const double> x, std::span<const double> y, double c)
{
    const std::size_t n = std::min(x.size(), y.size());
    Point u(n);
    for (std::size_t i = 0; i < n; ++i)
        u[i] = y[i] - x[i];
    return distance_from_difference(norm(u), norm(x), norm(y), c);
}

Point exp0(std::span<const double> v, double c)
{
    const double sc = std::sqrt(c);
    const double nv = norm(v);
    if (nv == 0)
        return Point(v.begin(), v.end());
    return project(scaled(v, std::tanh(sc * nv) / (sc * nv)), c);
}

Point log0(std::span<const double> x, double c)
{
    const double sc = std::sqrt(c);
    const double nx = norm(x);
    if (nx == 0)
        return Point(x.begin(), x.end());
    return scaled(x, artanh_stable(sc * nx) / (sc * nx));
}

Point expmap(std::span<const double> x, std::span<const double> v, double c)
{
    const double sc = std::sqrt(c);
    const double nv = norm(v);
    if (nv == 0)
        return Point(x.begin(), x.end());
    // lambda(x)|v| / 2 = |v| / (1 - c|x|^2): the distance of the result from x times sqrt c / 2.
    // The step w = tanh(half) v / (sqrt c |v|) is as far from 0 as the result from x, often near the
    // rim where its own 1 - c|w|^2 has no digits left: pass it as 1 / cosh^2(half) instead.
    const double bx = one_minus(sc * norm(x));
    const double half = sc * nv / bx;
    const Point w = scaled(v, std::tanh(half) / (sc * nv));
    const double ch = std::cosh(half);
    const double bw = std::max(1.0 / (ch * ch), DBL_MIN);
    return project(mobius_add_known(x, w, c, bx, bw), c);
}

// log_x(y) = (2 / (sqrt c lambda(x))) artanh(sqrt c |w|) w / |w| with w = (-x) ⊕ y; the artanh is
// sqrt c d(x, y) / 2, taken from the stable distance rather than from |w| (which is near 1 / sqrt c
// for far points and has lost its digits there).
Point logmap(std::span<const double> x, std::span<const double> y, double c)
{
    const double sc = std::sqrt(c);
    const Point mx = scaled(x, -1.0);
    const Point w = mobius_add(mx, y, c);
    const double nw = norm(w);
    if (nw == 0)
        return Point(x.size(), 0.0);
    const double d = distance(x, y, c);
    const double bx = one_minus(sc * norm(x));
    return scaled(w, bx * d / 2.0 / nw);
}

Point project(std::span<const double> x, double c, double eps)
{
    Point out(x.begin(), x.end());
    const double limit = (1.0 - eps) / std::sqrt(c);
    const double nx = norm(x);
    if (nx > limit)
        for (double& v : out)
            v = v / nx * limit;
    return out;
}

double lorentz_inner(std::span<const double> x, std::span<const double> y)
{
    if (x.empty() || y.empty())
        return 0;
    return -x[0] * y[0] + dot(x.subspan(1), y.subspan(1));
}

// arcosh(-c<x,y>_L) / sqrt c, but not from the inner product: far from the origin x0 y0 is about
// exp(2 rho) and the product loses everything to cancellation for close points. On the hyperboloid
// the space part alone fixes a point (sqrt c |x_rest| = sinh rho, rho = sqrt c d(0, x)), and the law
// of cosines in the form cosh D - 1 = 2 sinh^2((rho_x - rho_y) / 2) + 2 sinh rho_x sinh rho_y
// sin^2(theta / 2) (D = sqrt c d(x, y), theta the angle between the directions) has only
// non-negative terms.
double lorentz_distance(std::span<const double> x, std::span<const double> y, double c)
{
    if (x.size() < 2 || y.size() < 2)
        return 0;
    const double sc = std::sqrt(c);
    const auto xr = x.subspan(1), yr = y.subspan(1);
    const std::size_t n = std::min(xr.size(), yr.size());
    const double nx = norm(xr), ny = norm(yr);
    const double sx = sc * nx, sy = sc * ny;  // sinh rho
    const double rx = std::asinh(sx), ry = std::asinh(sy);
    double half_chord = 0;  // sin(theta / 2) = |ux - uy| / 2 for the unit directions
    if (nx > 0 && ny > 0) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double t = xr[i] / nx - yr[i] / ny;
            s += t * t;
        }
        half_chord = std::sqrt(s) / 2.0;
    }
    const double sr = std::sinh((rx - ry) / 2.0);
    const double inner = sr * sr + sx * sy * half_chord * half_chord;
    return 2.0 * std::asinh(std::sqrt(inner)) / sc;
}

Point ball_to_lorentz(std::span<const double> x, double c)
{
    const double sc = std::sqrt(c);
    const double nx = norm(x);
    const double b = one_minus(sc * nx);
    Point out(x.size() + 1);
    out[0] = (1.0 + c * nx * nx) / (b * sc);
    for (std::size_t i = 0; i < x.size(); ++i)
        out[i + 1] = 2.0 * x[i] / b;
    return out;
}

// x_rest / (1 + sqrt c x0) with x0 taken from x_rest (the hyperboloid's equation), so a point whose
// x0 was rounded lands on the same place as its space part says.
Point lorentz_to_ball(std::span<const double> x, double c)
{
    if (x.empty())
        return {};
    const double sc = std::sqrt(c);
    const double s = sc * norm(x.subspan(1));
    const double den = 1.0 + std::hypot(1.0, s);
    Point out(x.size() - 1);
    for (std::size_t i = 1; i < x.size(); ++i)
        out[i - 1] = x[i] / den;
    return project(out, c);
}

double disk_distance(Complex z, Complex w)
{
    return distance_from_difference(std::abs(w - z), std::abs(z), std::abs(w), 1.0);
}

double disk_conformal_factor(Complex z)
{
    return 2.0 / one_minus(std::abs(z));
}

Complex disk_polar(double r, double angle)
{
    return std::polar(std::tanh(r / 2.0), angle);
}

// 1 - conj(a) z = (1 - |a|^2) + conj(a) (a - z): near the rim with z near a the plain form loses
// its digits to cancellation (about 400 times the error of this one at distance 30, measured).
Complex DiskMap::operator()(Complex z) const
{
    const double na = std::abs(a);
    const double room = (1.0 - na) * (1.0 + na);
    return rot * (z - a) / (room + std::conj(a) * (a - z));
}

DiskMap identity_map()
{
    return {};
}

DiskMap recentre(Complex focus)
{
    return DiskMap{Complex(1.0, 0.0), focus};
}

DiskMap inverse(const DiskMap& m)
{
    return DiskMap{std::conj(m.rot), -m.rot * m.a};
}

// outer(inner(z)) with inner = r1 (z - a1) / (1 - conj(a1) z), outer likewise (r2, a2). With
// b = conj(r1) a2 (outer's centre seen in inner's frame) and P = 1 + conj(a1) b, expanding gives
// a' = (a1 + b) / P and rot' = r2 r1 P / conj(P). P is written (1 - |a1|^2) + conj(a1)(a1 + b), which
// keeps its digits when the two maps nearly undo each other near the rim; |a1 b| < 1 keeps it
// away from 0.
DiskMap compose(const DiskMap& outer, const DiskMap& inner)
{
    const Complex r1 = inner.rot, a1 = inner.a, r2 = outer.rot;
    const Complex b = std::conj(r1) * outer.a;
    const double n1 = std::abs(a1);
    const Complex p = (1.0 - n1) * (1.0 + n1) + std::conj(a1) * (a1 + b);
    Complex rot = r2 * r1 * p / std::conj(p);
    const double m = std::abs(rot);
    if (m > 0)
        rot /= m;
    return DiskMap{rot, (a1 + b) / p};
}

// Walked from the nearer end, so the point in the re-centred frame is at most half the distance
// from its centre (a far point of that frame would be near its rim, where digits run out).
Complex geodesic_point(Complex z, Complex w, double t)
{
    if (t > 0.5) {
        std::swap(z, w);
        t = 1.0 - t;
    }
    const DiskMap m = recentre(z);
    const Complex wl = m(w);
    const double nw = std::abs(wl);
    if (nw == 0)
        return z;
    const double d = disk_distance(z, w);
    const Complex local = std::tanh(t * d / 2.0) * (wl / nw);
    return inverse(m)(local);
}

GeodesicArc geodesic_arc(Complex z, Complex w)
{
    GeodesicArc arc;
    arc.from = z;
    arc.to = w;
    // Orthogonal to the unit circle and through z: Re(conj(z) C) = (1 + |z|^2) / 2, likewise w.
    const double cross = z.real() * w.imag() - z.imag() * w.real();
    const double scale = std::max(std::abs(z) * std::abs(w), 1e-300);
    if (std::abs(cross) <= 1e-9 * scale || std::abs(z - w) == 0)
        return arc;
    const double bz = (1.0 + std::norm(z)) / 2.0, bw = (1.0 + std::norm(w)) / 2.0;
    const Complex centre((bz * w.imag() - bw * z.imag()) / cross, (z.real() * bw - w.real() * bz) / cross);
    const double radius = std::abs(z - centre);
    if (!std::isfinite(radius) || radius > 1e6)
        return arc;
    arc.straight = false;
    arc.centre = centre;
    arc.radius = radius;
    arc.start_angle = std::arg(z - centre);
    arc.sweep = std::remainder(std::arg(w - centre) - arc.start_angle, 2.0 * kPi);
    return arc;
}

}  // namespace rv::hyperbolic
