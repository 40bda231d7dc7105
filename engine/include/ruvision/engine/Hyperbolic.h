// Hyperbolic geometry, one convention everywhere (DESIGN.md, "Poincaré disk").
//
// Curvature -c (c > 0). The Poincaré ball is {x : c|x|^2 < 1} (radius 1/sqrt c); its conformal
// factor lambda(x) = 2 / (1 - c|x|^2); distance d(x, y) = (2/sqrt c) artanh(sqrt c |(-x) ⊕ y|)
// with ⊕ Möbius addition; exp_0(v) = tanh(sqrt c |v|) v / (sqrt c |v|), so d(0, exp_0 v) = 2|v|
// for c = 1. The Lorentz (hyperboloid) model holds the same points as x = (x0, x1..xn) with
// <x, x>_L = -x0^2 + sum xi^2 = -1/c and x0 > 0; its distance is (1/sqrt c) arcosh(-c <x, y>_L),
// so -<x, y>_L grows monotonically with the distance (nearest neighbours become a maximum inner
// product search on (x0, -x1..-xn) . (y0, y1..yn)). The maps between the two are
// x_ball = x_rest / (1 + sqrt c x0) and back.
//
// Everything is double. A point of the ball at distance r from the origin has 1 - sqrt c |x| of
// about 2 exp(-r): in float64 the ball runs out of room near r = 37, and differences of nearby
// points lose digits well before that. So long chains (a deep tree) keep points relative to a
// focus (re-centre with a DiskMap first) or in the Lorentz model; every function here is written
// to stay accurate for points up to distance 30 from the origin (tested there).
//
// The disk (n = 2, c = 1) has its own helpers on std::complex<double>: the view and the tree
// embedding live there. A DiskMap is an orientation-preserving isometry of the unit disk,
// z -> rot * (z - a) / (1 - conj(a) z) with |rot| = 1, |a| < 1 (it takes a to 0).
//
// No allocation beyond the returned vectors, no state: safe on any thread.
#pragma once

#include <complex>
#include <span>
#include <vector>

namespace rv::hyperbolic {

using Point = std::vector<double>;
using Complex = std::complex<double>;

// --- the ball (any dimension n >= 1; x, y of one dimension; c > 0) ---
double conformal_factor(std::span<const double> x, double c);
Point mobius_add(std::span<const double> x, std::span<const double> y, double c);
double distance(std::span<const double> x, std::span<const double> y, double c);
Point exp0(std::span<const double> v, double c);
Point log0(std::span<const double> x, double c);
// exp_x(v) = x ⊕ (tanh(sqrt c lambda(x) |v| / 2) v / (sqrt c |v|)), and its inverse.
Point expmap(std::span<const double> x, std::span<const double> v, double c);
Point logmap(std::span<const double> x, std::span<const double> y, double c);
// A point of the ball pushed back inside when rounding put it on or past the rim (|x| at most
// (1 - eps) / sqrt c); finite coordinates in, finite out.
Point project(std::span<const double> x, double c, double eps = 1e-15);

// --- the Lorentz model (n + 1 coordinates) ---
double lorentz_inner(std::span<const double> x, std::span<const double> y);
double lorentz_distance(std::span<const double> x, std::span<const double> y, double c);
Point ball_to_lorentz(std::span<const double> x, double c);
Point lorentz_to_ball(std::span<const double> x, double c);

// --- the disk (c = 1) ---
double disk_distance(Complex z, Complex w);
double disk_conformal_factor(Complex z);  // 2 / (1 - |z|^2)
// The point at hyperbolic distance r from 0 in direction angle (radians): tanh(r / 2) e^{i angle}.
Complex disk_polar(double r, double angle);

struct DiskMap {
    Complex rot{1.0, 0.0};
    Complex a{0.0, 0.0};
    Complex operator()(Complex z) const;
};
DiskMap identity_map();
// The isometry taking `focus` to 0 without turning the direction through it (rot = 1).
DiskMap recentre(Complex focus);
DiskMap inverse(const DiskMap& m);
DiskMap compose(const DiskMap& outer, const DiskMap& inner);  // outer ∘ inner
// The point at fraction t (0..1) of the geodesic from z to w (for animated re-centring).
Complex geodesic_point(Complex z, Complex w, double t);

// The geodesic between z and w as drawn: a straight segment when it passes (numerically) through
// the centre or the points coincide, else an arc of the circle orthogonal to the unit circle
// through both, from start_angle sweeping sweep radians (|sweep| < pi) around `centre`.
struct GeodesicArc {
    bool straight = true;
    Complex from, to;
    Complex centre;
    double radius = 0, start_angle = 0, sweep = 0;
};
GeodesicArc geodesic_arc(Complex z, Complex w);

}  // namespace rv::hyperbolic
