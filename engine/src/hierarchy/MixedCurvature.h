// A product of constant-curvature spaces (DESIGN.md: mixed curvature): a point is
// (e, h, s) with e in R^a (flat), h in the Poincaré ball of dimension b and curvature -c_h
// (Hyperbolic.h's convention), s on the sphere S^m of curvature c_s, held as m + 1 ambient
// coordinates of norm 1 / sqrt(c_s). The distance is sqrt(d_E^2 + d_H^2 + d_S^2).
//
// Flat layout: a point is one vector [e (a) | h (b) | s (m + 1)]; a tangent vector at the origin
// is [e (a) | h (b) | s (m)], the sphere's part tangent at its origin o = (1 / sqrt c_s, 0, ..., 0)
// (its last m ambient coordinates). Parts of dimension 0 are allowed (m = 0 means no sphere,
// not a 0-sphere). Pure functions, double precision, no state: any thread.
//
// Measured for ranking against the plain cosine on Fashion-MNIST (bench/bench_mixed_curvature.cpp);
// not used by search.
#pragma once

#include <span>
#include <vector>

namespace rv::mixed {

using Point = std::vector<double>;

struct Space {
    int euclidean = 0;   // a
    int hyperbolic = 0;  // b
    int spherical = 0;   // m: the sphere's own dimension (m + 1 ambient coordinates); 0: no sphere
    double c_h = 1.0;    // the ball's curvature is -c_h (c_h > 0)
    double c_s = 1.0;    // the sphere's curvature (c_s > 0)
};

// Coordinates of a point, and of a tangent vector at the origin.
std::size_t point_size(const Space& space);
std::size_t tangent_size(const Space& space);

// The origin: e = 0, h = 0, s = o.
Point origin(const Space& space);

// Each part's distance, and the product distance. x, y: point_size coordinates.
struct PartDistances {
    double euclidean = 0, hyperbolic = 0, spherical = 0;
};
PartDistances part_distances(const Space& space, std::span<const double> x, std::span<const double> y);
double distance(const Space& space, std::span<const double> x, std::span<const double> y);

// Exponential and logarithm at the origin of each part (identity on the flat part, Hyperbolic.h's
// exp0 / log0 on the ball, the great circle from o on the sphere). log0 of the point opposite o
// on the sphere (where the direction is undefined) goes along the first tangent axis.
Point exp0(const Space& space, std::span<const double> v);
Point log0(const Space& space, std::span<const double> x);

// A feature (length n; a and b are cut to fit it, and a remainder of one coordinate is dropped) into the space, without learning
// anything: its first a coordinates times `flat_gain` form e; the next b coordinates v_h go to the
// ball as exp0(ball_gain * v_h) (so the ball part's distance from its centre is 2 ball_gain |v_h|
// for c_h = 1: the share of the feature's energy in those coordinates becomes depth); the
// remaining n - a - b coordinates, normalised, are the sphere's point (m = n - a - b - 1). Space
// from_feature_space(n, a, b, ...) gives the matching Space. A sphere part that is all zeros maps to o.
struct FeatureMap {
    int euclidean = 0;        // a
    int hyperbolic = 0;       // b
    double flat_gain = 1.0;
    double ball_gain = 1.0;
    double c_h = 1.0, c_s = 1.0;
};
Space feature_space(const FeatureMap& map, int feature_dim);
Point from_feature(const FeatureMap& map, std::span<const float> feature);

}  // namespace rv::mixed
