// The base adapter's start fitted in closed form from the marks: a discriminant of the groups
// that alike marks form, put in the adapter's residual form (AdapterTrainer uses it when
// TrainParams::discriminant_strength > 0).
//
// Why: a person's alike marks chain. Alike is transitive for what a person means (two pictures
// alike with a third are alike with each other), so union-find over the alike pairs gives groups
// (pseudo-classes) of the rows they name; groups of two or more are kept. Linear discriminant
// analysis of those groups finds the directions along which the person's groups differ most
// against how much each varies within itself: Sw the pooled within-group scatter, Sb the
// between-group scatter of the group means (both per row), Sw' = (1 - shrink) Sw + shrink
// (tr Sw / d) I, and the k = min(rank, groups - 1) leading generalised eigenvectors w_i of
// (Sb, Sw'), scaled to w_i' Sw' w_i = tr Sw / d, then made orthogonal to the grouped rows' mean
// (the map has no offset, so W' x would otherwise carry W' mean, the same for every picture, and
// pull all adapted features together). On Fashion-MNIST top-10 marks this carries over
// to new queries where pair losses do not (bench_learning, REPORT half: +0.073 mAP@10 at 1000
// marks against +0.022; a projection onto those directions alone loses at 200 marks).
//
// So the map keeps the features and adds the directions with a strength g: cosines are those of
// [x, g W' x], i.e. the metric I + g^2 W W'. With W W' = U L U' (U d x k orthonormal, from a thin
// QR of W and the k x k eigenproblem), (I + U D U')^2 = I + g^2 W W' for D = sqrt(1 + g^2 L) - 1,
// and I + U D U' is the adapter x + (alpha/k) B A x with alpha = k, A's rows and B's columns both
// u_i sqrt(D_i) (a caller with another scale multiplies both by its (rank / alpha)^(1/2)). The
// strength grows with the evidence: g = strength * pairs, at most max_strength (in a probe on
// CHOOSE the best g went from about 0.5 at 100 marks to 5 at 1000; with no gradient steps after
// it, 0.005 per mark: mean mAP@10 over bench_learning's columns 0.6650 at 0.004, 0.6661 at 0.005,
// 0.6667 at 0.0075 where features move to a cosine of 0.91 of themselves).
//
// Engine-internal; a pure function of its inputs, safe on any thread. Expects pairs already
// checked (rows in range, finite, no row with itself: AdapterTrainer's check_data).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"

namespace rv::learning {

struct DiscriminantParams {
    int rank = 32;        // at most this many directions (and groups - 1)
    double shrink = 0.3;  // 0 to 1: Sw's shrinkage towards its mean variance
    double strength = 0.005;  // g per pair
    double max_strength = 16;  // g at most
};

struct DiscriminantFit {
    bool fitted = false;     // false: the identity; `summary` says why
    LowRankAdapter adapter;  // when fitted: rank k <= params.rank directions, alpha k (scale 1)
    std::size_t groups = 0, grouped_rows = 0;
    double strength = 0;     // g used
    std::string summary;     // one line for people
};

DiscriminantFit fit_group_discriminant(const FeatureMatrix& features, const std::vector<TrainingPair>& pairs,
                                       const DiscriminantParams& params);

}  // namespace rv::learning
