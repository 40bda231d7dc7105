// uncertain_pairs (PairQueue.h): candidate pairs from the sampled files' nearest neighbours,
// scored by the duplicates machinery (DuplicateSpace.h, MarkedPairs.h), ordered by how unsure
// the engine is of them.
#include "ruvision/engine/PairQueue.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "duplicates/DuplicateSpace.h"
#include "duplicates/MarkedPairs.h"
#include "learning/LearningAccess.h"
#include "learning/Random.h"
#include "ruvision/engine/ThresholdCalibration.h"

namespace rv {

namespace {

using PairKey = std::pair<std::int64_t, std::int64_t>;  // smaller id first

PairKey key(std::int64_t a, std::int64_t b) { return a < b ? PairKey{a, b} : PairKey{b, a}; }

struct Threshold {
    DuplicateThresholdState state;
    std::optional<Whitening> w;  // nullopt: fewer than 2 features
};

// The whitening and the calibrated threshold, as Library::duplicates and
// default_duplicate_threshold compute them (the plain space).
Result<Threshold> threshold_of(Library& lib, const std::atomic<bool>& cancel) {
    CatalogDb& db = LearningAccess::catalog(lib);
    auto counts = db.counts();
    if (!counts) return counts.error();
    std::size_t rows = 0;
    Threshold t;
    auto w = learn_duplicate_whitening(db, lib.model_id(), LearningAccess::dim(lib), counts->indexed, cancel, &rows);
    if (!w) return w.error();
    t.w = std::move(*w);
    t.state.default_threshold = size_duplicate_threshold(rows);
    t.state.threshold = t.state.default_threshold;
    t.state.adapter_active = lib.active_adapter()->version != 0;
    if (!t.w) return t;
    auto verdicts = marked_pair_verdicts(db, lib.model_id(), *t.w, duplicate_scoring(), cancel);
    if (!verdicts) return verdicts.error();
    const ThresholdCalibration c = calibrate_duplicate_threshold(*verdicts, t.state.default_threshold);
    t.state.threshold = c.threshold;
    t.state.calibrated = c.calibrated;
    t.state.verdicts = c.calibrated ? c.same + c.different : 0;
    return t;
}

float cosine(const std::vector<float>& x, const std::vector<float>& y) {
    double s = 0, nx = 0, ny = 0;
    for (std::size_t i = 0; i < x.size(); ++i) s += double(x[i]) * y[i], nx += double(x[i]) * x[i], ny += double(y[i]) * y[i];
    return nx > 0 && ny > 0 ? static_cast<float>(s / std::sqrt(nx * ny)) : 0.0f;
}

struct Candidate {
    PairKey pair;
    float plain = 0, adapted = 0;
    bool disagree = false;  // a neighbour under one space and not the other
};

}  // namespace

const char* to_string(PairReason r) {
    return r == PairReason::NearThreshold ? "near the duplicate threshold"
                                          : "the adapter and the plain features disagree";
}

Result<DuplicateThresholdState> duplicate_threshold_state(Library& lib, const std::atomic<bool>& cancel) {
    auto t = threshold_of(lib, cancel);
    if (!t) return t.error();
    return t->state;
}

Result<PairQueue> uncertain_pairs(Library& lib, const PairQueueParams& params, const std::atomic<bool>& cancel) {
    PairQueue out;
    auto t = threshold_of(lib, cancel);
    if (!t) return t.error();
    out.threshold = t->state;
    if (!t->w || params.count == 0 || cancel) return out;
    CatalogDb& db = LearningAccess::catalog(lib);
    const int dim = LearningAccess::dim(lib);
    const VectorIndex& plain_index = LearningAccess::plain_index(lib);
    const std::shared_ptr<const ActiveAdapter> active = lib.active_adapter();
    const bool adapter = active->version != 0 && active->index && !active->base.empty();

    std::set<PairKey> asked;  // marked or excluded
    auto marks = db.marks();
    if (!marks) return marks.error();
    for (const auto& m : *marks) asked.insert(key(m.a, m.b));
    for (const auto& p : params.exclude) asked.insert(key(p.first, p.second));

    // The sample: each file kept with probability sample / indexed, decided by its id and the seed.
    auto counts = db.counts();
    if (!counts) return counts.error();
    const double keep = counts->indexed > 0 ? double(params.sample) / double(counts->indexed) : 1.0;
    std::vector<std::int64_t> ids;
    std::vector<std::vector<float>> features;
    auto st = db.for_each_feature(lib.model_id(), [&](std::int64_t id, const float* v, int d) {
        if (d != dim) return !cancel;
        learning::SplitMix64 rng(params.seed ^ (static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull));
        if (keep >= 1.0 || rng.uniform() < keep) {
            ids.push_back(id);
            features.emplace_back(v, v + d);
        }
        return !cancel;
    });
    if (!st) return st.error();
    if (cancel) return PairQueue{{}, out.threshold, 0};
    out.sampled = ids.size();

    // Candidates: each sampled file's neighbours in the plain index, and (with an adapter) in the
    // adapted one; a neighbour in one list only is a disagreement.
    const int k = std::max(1, params.neighbours) + 1;  // + the file itself
    std::map<PairKey, Candidate> cands;
    std::unordered_map<std::int64_t, std::vector<float>> feature_of;  // neighbours' stored features, fetched once
    auto stored = [&](std::int64_t id) -> Result<const std::vector<float>*> {
        auto it = feature_of.find(id);
        if (it != feature_of.end()) return &it->second;
        auto f = db.feature(id);
        if (!f) return f.error();
        auto& slot = feature_of[id];
        if (*f && (*f)->size() == static_cast<std::size_t>(dim)) slot = std::move(**f);
        return &slot;
    };
    std::vector<float> adapted(static_cast<std::size_t>(dim)), other(static_cast<std::size_t>(dim));
    for (std::size_t i = 0; i < ids.size() && !cancel; ++i) {
        // Neighbour -> its cosine with the sampled file, in each space (the index's score).
        std::unordered_map<std::int64_t, float> plain_hits, adapted_hits;
        for (const Hit& h : plain_index.search(features[i].data(), k))
            if (h.id != ids[i]) plain_hits.emplace(h.id, h.score);
        if (adapter) {
            active->base.apply(features[i].data(), adapted.data());
            for (const Hit& h : active->index->search(adapted.data(), k))
                if (h.id != ids[i]) adapted_hits.emplace(h.id, h.score);
        }
        std::vector<std::int64_t> all;
        for (const auto& h : plain_hits) all.push_back(h.first);
        for (const auto& h : adapted_hits)
            if (!plain_hits.count(h.first)) all.push_back(h.first);
        for (std::int64_t n : all) {
            const PairKey p = key(ids[i], n);
            if (asked.count(p) || cands.count(p)) continue;
            const auto ip = plain_hits.find(n), ia = adapted_hits.find(n);
            Candidate c;
            c.pair = p;
            if (!adapter) {
                c.plain = c.adapted = ip->second;
            } else if (ip != plain_hits.end() && ia != adapted_hits.end()) {
                c.plain = ip->second;
                c.adapted = ia->second;
            } else {  // a neighbour in one space only: its cosine in the other from its stored feature
                auto f = stored(n);
                if (!f) return f.error();
                if ((*f)->empty()) continue;  // no usable feature (forgotten since, or damaged)
                if (ip != plain_hits.end()) {
                    c.plain = ip->second;
                    active->base.apply((*f)->data(), other.data());
                    c.adapted = cosine(adapted, other);
                } else {
                    c.plain = cosine(features[i], **f);
                    c.adapted = ia->second;
                }
                c.disagree = true;
            }
            cands.emplace(p, c);
        }
    }
    if (cancel) return PairQueue{{}, out.threshold, out.sampled};

    std::vector<PairKey> pairs;
    pairs.reserve(cands.size());
    for (const auto& [p, c] : cands) pairs.push_back(p);
    auto scores = duplicate_pair_scores(db, lib.model_id(), *t->w, duplicate_scoring(), pairs, cancel);
    if (!scores) return scores.error();
    if (cancel) return PairQueue{{}, out.threshold, out.sampled};

    const float thr = out.threshold.threshold;
    std::vector<std::size_t> near, disagree;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (!std::isfinite((*scores)[i])) continue;
        near.push_back(i);
        if (cands[pairs[i]].disagree) disagree.push_back(i);
    }
    // Ties broken by the ids, so the order depends on nothing else.
    std::sort(near.begin(), near.end(), [&](std::size_t x, std::size_t y) {
        const float dx = std::abs((*scores)[x] - thr), dy = std::abs((*scores)[y] - thr);
        return dx != dy ? dx < dy : pairs[x] < pairs[y];
    });
    std::sort(disagree.begin(), disagree.end(), [&](std::size_t x, std::size_t y) {
        const Candidate &cx = cands[pairs[x]], &cy = cands[pairs[y]];
        const float dx = std::abs(cx.plain - cx.adapted), dy = std::abs(cy.plain - cy.adapted);
        return dx != dy ? dx > dy : pairs[x] < pairs[y];
    });

    std::set<PairKey> taken;
    std::size_t ni = 0, di = 0;
    bool turn_near = true;
    while (out.pairs.size() < params.count && (ni < near.size() || di < disagree.size())) {
        const bool from_near = di >= disagree.size() || (turn_near && ni < near.size());
        const std::size_t i = from_near ? near[ni++] : disagree[di++];
        turn_near = !from_near;
        if (!taken.insert(pairs[i]).second) continue;
        const Candidate& c = cands[pairs[i]];
        auto fa = db.file(pairs[i].first);
        if (!fa) return fa.error();
        auto fb = db.file(pairs[i].second);
        if (!fb) return fb.error();
        if (!*fa || !*fb) continue;
        UncertainPair u;
        u.a = (*fa)->path;
        u.b = (*fb)->path;
        u.a_id = pairs[i].first;
        u.b_id = pairs[i].second;
        u.score = (*scores)[i];
        u.threshold = thr;
        u.why = from_near ? PairReason::NearThreshold : PairReason::AdapterDisagrees;
        u.plain_cosine = c.plain;
        u.adapted_cosine = c.adapted;
        out.pairs.push_back(std::move(u));
    }
    return out;
}

}  // namespace rv
