#include "learning/MarkFeatures.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace rv {

Result<MarkFeatures> mark_features(CatalogDb& db, const std::string& model_id, int dim, std::size_t last) {
    auto marks = db.marks();
    if (!marks) return marks.error();
    if (last > 0 && marks->size() > last)
        marks->erase(marks->begin(), marks->end() - static_cast<std::ptrdiff_t>(last));
    MarkFeatures out;
    out.features.dim = dim;
    std::unordered_map<std::int64_t, std::int64_t> row_of;  // file id -> row, -1: no usable feature
    auto row = [&](std::int64_t id) -> Result<std::int64_t> {
        if (auto it = row_of.find(id); it != row_of.end()) return it->second;
        std::int64_t r = -1;
        auto f = db.file(id);
        if (!f) return f.error();
        if (*f && (*f)->status == FileStatus::Indexed && (*f)->model_id == model_id) {
            auto v = db.feature(id);
            // A damaged feature is no training data (open() reports it; index embeds it again).
            if (v && *v && static_cast<int>((*v)->size()) == dim) {
                r = static_cast<std::int64_t>(out.file_ids.size());
                out.file_ids.push_back(id);
                out.features.rows.insert(out.features.rows.end(), (*v)->begin(), (*v)->end());
            }
        }
        row_of.emplace(id, r);
        return r;
    };
    for (const auto& m : *marks) {
        auto a = row(m.a);
        if (!a) return a.error();
        auto b = row(m.b);
        if (!b) return b.error();
        if (*a < 0 || *b < 0) {
            ++out.unusable;
            continue;
        }
        const bool alike = m.verdict != "different";  // "same" (the same picture) is alike too
        out.pairs.push_back({static_cast<std::uint32_t>(*a), static_cast<std::uint32_t>(*b), alike});
        ++(alike ? out.alike : out.different);
    }
    return out;
}

GuardScore guard_score(const AdapterStack& adapters, const FeatureMatrix& features,
                       const std::vector<TrainingPair>& pairs) {
    GuardScore s;
    s.auc = pair_auc(adapters, features, pairs);
    const int dim = features.dim;
    std::vector<float> x(static_cast<std::size_t>(dim)), y(static_cast<std::size_t>(dim));
    double sum[2] = {0, 0};
    std::size_t n[2] = {0, 0};
    for (const auto& p : pairs) {
        adapters.apply(features.row(p.a), x.data(), dim);
        adapters.apply(features.row(p.b), y.data(), dim);
        double c = 0;
        for (int i = 0; i < dim; ++i) c += static_cast<double>(x[i]) * y[i];
        sum[p.alike ? 0 : 1] += c;
        ++n[p.alike ? 0 : 1];
    }
    if (n[0] && n[1]) s.separation = sum[0] / static_cast<double>(n[0]) - sum[1] / static_cast<double>(n[1]);
    return s;
}

bool guard_passes(const GuardScore& before, const GuardScore& after, std::string* why) {
    // AUCs are fractions of couples: a difference below this is rounding, not a better ordering.
    constexpr double kAucEps = 1e-9;
    // Cosines are summed in double from float vectors: below this the separations are equal.
    constexpr double kSeparationEps = 1e-6;
    char text[256];
    if (after.auc > before.auc + kAucEps) {
        std::snprintf(text, sizeof text, "it orders the held-out marks better (AUC %.3f, was %.3f)", after.auc,
                      before.auc);
        *why = text;
        return true;
    }
    if (after.auc < before.auc - kAucEps) {
        std::snprintf(text, sizeof text, "it orders the held-out marks worse (AUC %.3f, the active %.3f)", after.auc,
                      before.auc);
        *why = text;
        return false;
    }
    if (after.separation > before.separation + kSeparationEps) {
        std::snprintf(text, sizeof text,
                      "it orders the held-out marks as well (AUC %.3f) and separates them more (alike minus different "
                      "mean cosine %.3f, was %.3f)",
                      after.auc, after.separation, before.separation);
        *why = text;
        return true;
    }
    std::snprintf(text, sizeof text,
                  "it orders the held-out marks no better (AUC %.3f, the active %.3f; separation %.3f, the active "
                  "%.3f)",
                  after.auc, before.auc, after.separation, before.separation);
    *why = text;
    return false;
}

}  // namespace rv
