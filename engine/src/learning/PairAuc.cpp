// pair_auc (AdapterTraining.h): the Mann-Whitney AUC of the adapted cosine as an alike/different
// score over held-out pairs. Pairs naming rows outside the matrix, or whose cosine is not finite
// (a damaged feature), are left out.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "learning/LinAlg.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rv {

double pair_auc(const AdapterStack& adapters, const FeatureMatrix& features, const std::vector<TrainingPair>& pairs) {
    const int dim = features.dim;
    if (dim <= 0) return 0.5;
    const std::size_t d = static_cast<std::size_t>(dim), n = features.size();

    // Adapt only the rows the pairs name.
    std::vector<std::uint32_t> rows;
    for (const auto& p : pairs)
        if (p.a < n && p.b < n) {
            rows.push_back(p.a);
            rows.push_back(p.b);
        }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::vector<float> x(rows.size() * d), y(rows.size() * d);
    for (std::size_t i = 0; i < rows.size(); ++i) std::memcpy(x.data() + i * d, features.row(rows[i]), d * sizeof(float));
    adapters.apply_rows(x.data(), y.data(), rows.size(), dim);
    auto adapted = [&](std::uint32_t r) {
        return y.data() + static_cast<std::size_t>(std::lower_bound(rows.begin(), rows.end(), r) - rows.begin()) * d;
    };

    // (score, alike) sorted by score; AUC = (sum of alike ranks - nA (nA + 1) / 2) / (nA nD), ties
    // sharing their mean rank (counting as half).
    std::vector<std::pair<double, bool>> scored;
    for (const auto& p : pairs) {
        if (p.a >= n || p.b >= n) continue;
        const double c = learning::dot(adapted(p.a), adapted(p.b), d);
        if (std::isfinite(c)) scored.emplace_back(c, p.alike);  // a non-finite feature scores nothing
    }
    std::sort(scored.begin(), scored.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
    double alike_rank_sum = 0, n_alike = 0;
    for (std::size_t i = 0; i < scored.size();) {
        std::size_t j = i;
        while (j < scored.size() && scored[j].first == scored[i].first) ++j;
        const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k)
            if (scored[k].second) {
                alike_rank_sum += mean_rank;
                n_alike += 1;
            }
        i = j;
    }
    const double n_different = static_cast<double>(scored.size()) - n_alike;
    if (n_alike == 0 || n_different == 0) return 0.5;
    return (alike_rank_sum - n_alike * (n_alike + 1) / 2.0) / (n_alike * n_different);
}

}  // namespace rv
