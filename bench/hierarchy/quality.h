// bench_hierarchy's quality part: dendrogram purity of hierarchies built on Fashion-MNIST features
// against the class labels, for the build variants compared, for the plain average-linkage tree on
// the same vectors (the baseline), before and after a simulated person's marks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hierarchy/BuildMethods.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rvhier {

// A labelled set of unit features (rows of one split half).
struct Labelled {
    rv::FeatureMatrix x;
    std::vector<int> labels;
};

struct Variant {
    std::string name;
    rv::HierarchyParams params;
    rv::hierarchy_build::BuildOptions options;
};

// The variants compared on CHOOSE (the first is build_hierarchy's default).
std::vector<Variant> variants(int threads);

// Dendrogram purity of `v` built on the set (10 classes); seconds: the build's wall time.
double variant_purity(const Labelled& set, const Variant& v, double* seconds = nullptr);

// Dendrogram purity of the exact average-linkage (UPGMA, cosine) binary tree over the images.
double average_linkage_purity(const Labelled& set, int threads);

// The simulated person: `marks` verdicts, ten per query, on the top 10 by cosine within the set of
// queries taken in a seeded order (alike iff the same class). The set's features passed through
// the group discriminant fitted on those marks (learning/GroupDiscriminant.h), renormalised.
// `summary`: the fit's one line.
Labelled after_marks(const Labelled& set, int marks, std::uint64_t seed, std::string* summary);

}  // namespace rvhier
