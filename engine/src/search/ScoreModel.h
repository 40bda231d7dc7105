// The score a person sees for a search result: the probability that it is the same picture as
// the query (and that it is alike), from the result's ranking score z (the whitened cosine in the
// search's space, or the plain cosine in a library too small to whiten) and its margin in the
// query's ranked list (i13-scores: how far it stands out, result_margin below).
//
// p_same = 1 / (1 + exp(-slope (z + same_margin * margin - mid))): a logistic curve of the ranking
// score moved by the margin (same_margin 0: a curve of z alone, the model before i13-scores and
// what a stored row without the field reads as). p_alike = a logistic curve of z alone (how alike
// does not depend on what else the library holds). The library's own statistics place them
// (SearchCalibration.h): `same` is fitted on edited views of library images searched against the
// library (positives: their source, negatives: the best other result, each with its margin in
// that view's list), plus the person's 'same' / 'different' marks; `alike` sits at the median
// of the best other results' scores, moved by 'alike' / 'different' marks.
//
// Shown score: max(p_same, kAlikeShare * p_alike + (1 - 2 kAlikeShare) * p_same). Above one half
// it reads "the same picture with this probability"; below, how alike, still ordered mostly by
// p_same (a weakly found right original above a wrong look-alike: README "Scores"), so that a
// look-alike reads up to about kAlikeShare. Words: "same picture" (p_same >= kSamePictureWord),
// "very similar" (p_same >= 0.5 or p_alike >= kVerySimilarAlike), "related" (p_alike >=
// kRelatedAlike), else none ("").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

// 2: the alike curve at the best other images' median, the shown score's kAlikeShare (1: the
// 90th percentile, max(p_same, p_alike / 2)).
inline constexpr int kScoreForm = 2;

// The curves of one kind of search (whole images, or regions: ScoreModel::region).
struct ScoreCurves {
    double same_mid = 0.9, same_slope = 40;
    double same_margin = 0;  // weight of the margin in the same-picture predictor (i13-scores)
    double alike_mid = 0.7, alike_slope = 20;

    double same(double z, double margin) const;
    double alike(double z) const;
    float shown(double z, double margin) const;
    std::string word(double z, double margin) const;  // "same picture" | "very similar" | "related" | ""
};

struct ScoreModel : ScoreCurves {
    bool whitened = true;      // z is a whitened cosine (false: the plain cosine)
    std::string source = "default";  // "default" | "library" | "library+marks"
    int positives = 0, negatives = 0, marks = 0;  // what the fit saw
    // How the curves were placed (kScoreForm when learned now; a row without it: 1). A row of an
    // older form is read and used, and relearned by the next writer (UpdateCalibration.cpp).
    int form = kScoreForm;
    // --- region scores (i13-scores) ---
    // Region searches' curves (z: the plain cosine of a region with a file's best tile or whole
    // image), fitted on crops of library images; nullopt: not learned (a row stored before them),
    // region results are shown as their cosine without a word.
    struct Region : ScoreCurves {
        int positives = 0, negatives = 0;
    };
    std::optional<Region> region;

    // One JSON object with every field; doubles printed to round-trip exactly.
    std::string to_json() const;
    // A damaged or incomplete text (or a curve with a slope <= 0 or values not finite) is an Error.
    // A text without "same_margin" reads as 0, without "region" as nullopt, without "form" as 1
    // (rows stored before).
    static Result<ScoreModel> from_json(std::string_view text);
};

inline constexpr double kSamePictureWord = 0.8;
// The words and the share of p_alike in the shown score, chosen on the honest set's CHOOSE half and
// Fashion-MNIST's CHOOSE set (README "Scores"): "related" holds a result of the query's class 8 times
// in 10 (all top-10 results: 6 in 10), "very similar" by likeness alone 19 in 20.
inline constexpr double kRelatedAlike = 0.3, kVerySimilarAlike = 0.7;
inline constexpr double kAlikeShare = 0.1;

// A logistic curve (mid, slope) fitted by Newton's method on labelled scores (weighted so that
// both classes count equally; a small ridge on the slope keeps separable data finite). Needs at
// least one score of each class; otherwise returns the `prior` unchanged.
struct Logistic {
    double mid = 0, slope = 1;
};
Logistic fit_logistic(const std::vector<double>& positives, const std::vector<double>& negatives, Logistic prior);

// --- query-adaptive scores (i13-scores) ---
// The margin of the result at 0-based rank i of a ranked list of ranking scores (best first, one
// per picture: copies folded): its score minus the best other result's (the second for the
// first; the first for the others). A list of one result: its score (nothing else stands near).
double result_margin(const std::vector<double>& ranked, std::size_t i);
// A logistic model p = sigmoid(w . x + b) over rows of d features, fitted by Newton's method
// (classes weighted equally; a ridge `ridge` on w). Returns d + 1 numbers (w, then b), or an
// empty vector when a class is empty or the fit does not converge to finite values.
std::vector<double> fit_logistic_weights(const std::vector<std::vector<double>>& positives,
                                         const std::vector<std::vector<double>>& negatives, double ridge);

}  // namespace rv
