// The score a person sees for a search result: the probability that it is the same picture as
// the query (and that it is alike), from the result's ranking score z (the whitened cosine in the
// search's space, or the plain cosine in a library too small to whiten).
//
// Each probability is a logistic curve p(z) = 1 / (1 + exp(-slope (z - mid))). The library's own
// statistics place them (SearchCalibration.h): `same` is fitted on edited views of library images
// scored against their source (positives) and each sampled image's nearest other library images
// (negatives), plus the person's 'same' / 'different' marks; `alike` sits at the nearest other
// image's typical score, moved by 'alike' / 'different' marks.
//
// Shown score: max(p_same, p_alike / 2). Above one half it reads "the same picture with this
// probability"; up to one half, how alike. Words: "same picture" (p_same >= 0.5), "very similar"
// (p_alike >= 0.5), "related" (p_alike >= kRelatedAlike), else none ("").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

struct ScoreModel {
    double same_mid = 0.9, same_slope = 40;
    double alike_mid = 0.7, alike_slope = 20;
    bool whitened = true;      // z is a whitened cosine (false: the plain cosine)
    std::string source = "default";  // "default" | "library" | "library+marks"
    int positives = 0, negatives = 0, marks = 0;  // what the fit saw

    double same(double z) const;
    double alike(double z) const;
    float shown(double z) const;
    std::string word(double z) const;  // "same picture" | "very similar" | "related" | ""

    // One JSON object with every field; doubles printed to round-trip exactly.
    std::string to_json() const;
    // A damaged or incomplete text (or a curve with a slope <= 0 or values not finite) is an Error.
    static Result<ScoreModel> from_json(std::string_view text);
};

inline constexpr double kSamePictureWord = 0.8;
// p_alike at and above which a result is "related".
inline constexpr double kRelatedAlike = 0.2;

// A logistic curve (mid, slope) fitted by Newton's method on labelled scores (weighted so that
// both classes count equally; a small ridge on the slope keeps separable data finite). Needs at
// least one score of each class; otherwise returns the `prior` unchanged.
struct Logistic {
    double mid = 0, slope = 1;
};
Logistic fit_logistic(const std::vector<double>& positives, const std::vector<double>& negatives, Logistic prior);

}  // namespace rv
