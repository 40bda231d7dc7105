// The marks of a library as training data (their files' stored features and the pairs), and the
// guard's score of an adapter on marks. Engine-internal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

struct MarkFeatures {
    FeatureMatrix features;                 // stored (not adapted) features, one row per marked file
    std::vector<std::int64_t> file_ids;     // row -> catalog file id
    std::vector<TrainingPair> pairs;        // oldest mark first; a "same" mark is an alike pair
    std::size_t alike = 0, different = 0;   // among pairs ("same" counted in alike)
    std::size_t unusable = 0;               // marks on a file without a feature of the model
};

// Every mark of `db` whose two files have a stored feature of `model_id` (dim values); with
// last > 0, only the `last` most recent marks are looked at.
[[nodiscard]] Result<MarkFeatures> mark_features(CatalogDb& db, const std::string& model_id, int dim,
                                                 std::size_t last = 0);

// The guard's score of `adapters` on `pairs`: pair_auc, then (for ties) the mean adapted cosine
// of the alike pairs minus that of the different pairs.
struct GuardScore {
    double auc = 0.5;
    double separation = 0;
};
GuardScore guard_score(const AdapterStack& adapters, const FeatureMatrix& features,
                       const std::vector<TrainingPair>& pairs);
// `after` is strictly better than `before` (AUC higher by more than rounding, or equal AUC and a
// larger separation); `why` says how, in words.
bool guard_passes(const GuardScore& before, const GuardScore& after, std::string* why);

}  // namespace rv
