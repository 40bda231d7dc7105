// The reference row of bench_learning: linear discriminant analysis given every label of the
// marking part (what a person who labelled everything would give a linear projection).
#pragma once

#include <vector>

#include "ruvision/engine/AdapterTraining.h"

namespace rvlearn {

class Lda {
public:
    // Learns from `x` (unit rows) and their labels (0..9): the generalised eigenvectors of the
    // between-class scatter against the within-class scatter shrunk towards its mean variance,
    // Sw' = (1 - shrink) Sw + shrink (tr Sw / d) I; keeps the classes - 1 leading directions.
    static Lda learn(const rv::FeatureMatrix& x, const std::vector<int>& labels, double shrink);
    // (x - mean) projected on the directions, each row normalised.
    rv::FeatureMatrix apply(const rv::FeatureMatrix& x) const;

private:
    int dim_ = 0, out_ = 0;
    std::vector<double> mean_;
    std::vector<double> w_;  // dim x out, row-major
};

}  // namespace rvlearn
