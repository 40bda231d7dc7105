// Twins of a library image: views stored beside its feature so that a search finds the edited
// copies a single global descriptor misses. Chosen on the honest set's CHOOSE half
// (bench/retrieval/weak_edits.cpp; README "Retrieval quality"): the image turned by +-10 degrees
// (black corners, as a rotated photo has) and its greyscale version. A query is scored against a
// file by the best of its plain cosine and its twins' cosines, with no penalty (twin_score).
//
// Pure functions; thread-safe.
#pragma once

#include <vector>

#include "ruvision/engine/Image.h"

namespace rv {

inline constexpr double kTwinTurnDegrees = 10.0;

// `image` turned by `degrees` (positive: counter-clockwise) about its centre, the same size, the
// corners that leave the picture black. An empty image is returned as it is.
RgbImage turned_by(const RgbImage& image, double degrees);

enum class TwinView { TurnedLeft, TurnedRight, Grey };
inline constexpr int kTwinViewCount = 3;

// The views, in TwinView order: turned by +kTwinTurnDegrees, by -kTwinTurnDegrees, greyscale.
std::vector<RgbImage> twin_views(const RgbImage& image);

// What a search shows for a file with twins: the best of the plain cosine and the `n` twins'
// cosines (as chosen: max, penalty 0).
float twin_score(float plain, const float* twins, int n);

}  // namespace rv
