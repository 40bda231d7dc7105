// The person's marks as scored verdicts for the duplicate threshold (MarkedPairs.h).
#include "duplicates/MarkedPairs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace rv {

namespace {

struct Usable {
    std::int64_t a, b;
    bool same;
};

Result<std::vector<Usable>> usable_marks(CatalogDb& db) {
    auto marks = db.marks();
    if (!marks) return marks.error();
    std::vector<Usable> out;
    for (const auto& m : *marks) {
        const bool judging_copies = m.source == "duplicates" || m.source == "pairs";
        if (m.verdict == "same") out.push_back({m.a, m.b, true});
        else if (m.verdict == "different" || (m.verdict == "alike" && judging_copies)) out.push_back({m.a, m.b, false});
    }
    return out;
}

bool both_sides(const std::vector<Usable>& u) {
    const bool same = std::any_of(u.begin(), u.end(), [](const Usable& x) { return x.same; });
    const bool diff = std::any_of(u.begin(), u.end(), [](const Usable& x) { return !x.same; });
    return same && diff;
}

float dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return static_cast<float>(s);
}

struct Kept {
    std::vector<float> plain, turned;  // turned empty when none is stored
    std::vector<float> plain_code, turned_code;
};

// x against y: whitened cosine less `penalty`, or the plain cosine where it reaches plain_accept.
float pair_score(const Whitening& w, const std::vector<float>& x, const std::vector<float>& xc,
                 const std::vector<float>& y, const std::vector<float>& yc, float penalty, const DuplicateScoring& sc) {
    const float raw = dot(x, y);
    const float s = w.similarity(raw, xc.data(), yc.data()) - penalty;
    return raw >= sc.plain_accept ? std::max(s, raw) : s;
}

}  // namespace

Result<bool> marks_calibrate_duplicates(CatalogDb& db) {
    auto u = usable_marks(db);
    if (!u) return u.error();
    return both_sides(*u);
}

Result<std::vector<float>> duplicate_pair_scores(CatalogDb& db, std::string_view model_id, const Whitening& w,
                                                 const DuplicateScoring& scoring,
                                                 const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs,
                                                 const std::atomic<bool>& cancel) {
    std::unordered_set<std::int64_t> wanted;
    for (const auto& p : pairs) wanted.insert(p.first), wanted.insert(p.second);
    const int dim = w.in_dim();
    std::unordered_map<std::int64_t, Kept> kept;
    auto st = db.for_each_feature(model_id, [&](std::int64_t id, const float* v, int d) {
        if (d == dim && wanted.count(id)) kept[id].plain.assign(v, v + d);
        return !cancel;
    });
    if (!st) return st.error();
    st = db.for_each_rotated_feature(model_id, [&](std::int64_t id, const float* v, int d) {
        const auto it = kept.find(id);
        if (d == dim && it != kept.end()) it->second.turned.assign(v, v + d);
        return !cancel;
    });
    if (!st) return st.error();
    for (auto& [id, k] : kept) {
        k.plain_code.resize(w.code_dim());
        w.encode(k.plain.data(), k.plain_code.data());
        if (!k.turned.empty()) {
            k.turned_code.resize(w.code_dim());
            w.encode(k.turned.data(), k.turned_code.data());
        }
    }
    std::vector<float> out;
    out.reserve(pairs.size());
    for (const auto& p : pairs) {
        const auto ia = kept.find(p.first), ib = kept.find(p.second);
        if (ia == kept.end() || ib == kept.end()) {
            out.push_back(std::numeric_limits<float>::quiet_NaN());
            continue;
        }
        const Kept &a = ia->second, &b = ib->second;
        float s = pair_score(w, a.plain, a.plain_code, b.plain, b.plain_code, 0, scoring);
        if (!a.turned.empty())
            s = std::max(s, pair_score(w, a.turned, a.turned_code, b.plain, b.plain_code, scoring.rotated_penalty, scoring));
        if (!b.turned.empty())
            s = std::max(s, pair_score(w, b.turned, b.turned_code, a.plain, a.plain_code, scoring.rotated_penalty, scoring));
        out.push_back(s);
    }
    return out;
}

Result<std::vector<ThresholdVerdict>> marked_pair_verdicts(CatalogDb& db, std::string_view model_id,
                                                           const Whitening& w, const DuplicateScoring& scoring,
                                                           const std::atomic<bool>& cancel) {
    auto marks = usable_marks(db);
    if (!marks) return marks.error();
    if (!both_sides(*marks)) return std::vector<ThresholdVerdict>();
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (const auto& m : *marks) pairs.emplace_back(m.a, m.b);
    auto scores = duplicate_pair_scores(db, model_id, w, scoring, pairs, cancel);
    if (!scores) return scores.error();
    std::vector<ThresholdVerdict> out;
    for (std::size_t i = 0; i < pairs.size(); ++i)
        if (!std::isnan((*scores)[i])) out.push_back({(*scores)[i], (*marks)[i].same});
    return out;
}

}  // namespace rv
