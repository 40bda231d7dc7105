// Library::duplicates: near-duplicate groups. Candidates come from the vector index (each file's
// nearest neighbours, also for its feature turned 90 degrees; a pair near a threshold is scored
// again from the catalog when the index rounds its vectors); they are scored by cosine similarity
// after PCA whitening learned on the library itself (Whitening.h) and grouped by rv::star_groups;
// then every member is verified on pixels against its group's centre (PixelVerify.h).
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <thread>

#include "ruvision/engine/Library.h"
#include "ruvision/engine/NearDuplicates.h"
#include "ruvision/engine/ThresholdCalibration.h"
#include "ruvision/engine/Whitening.h"
#include "duplicates/DuplicateSpace.h"
#include "duplicates/MarkedPairs.h"
#include "duplicates/PairVerifier.h"
#include "ruvision/kernels/kernels.h"
#include "search/SearchCalibration.h"

namespace rv {

namespace {

// The whitening (same dimension, shrinkage 10, the top 128 components rescaled), learned on at
// most kLearnRows features (a strided sample of the library). Chosen with bench_duplicates; the
// constants are the search calibration's (search/SearchCalibration.h), whose stored whitening is
// this one: duplicates reuse it while it fits their space.
constexpr std::size_t kLearnRows = kWhitenRows;
// A match through a rotated feature counts this much less: the best of two scores has a higher
// noise floor (bench_duplicates: +rot-0.10 is more precise than +rot at equal recall).
constexpr float kRotatedPenalty = 0.10f;
// A pair whose plain cosine reaches this is a candidate near-identical copy (resized, re-encoded,
// turned) whatever the whitening says (a whitening learned on a small library scores such copies
// too low), but descriptors alone do not make it one: flat tiles, icons and tiny images reach 0.99
// between different pictures (179 of 349 different 48x48 icons, 9,474 of 10,000 different 8x8
// images). Such a pair joins a group only if its pixels verify it (never a tiny file: checked on
// the catalog's dimensions, without decoding).
constexpr float kPlainAccept = 0.99f;

// The threshold when none is given: the size default (ThresholdCalibration.h) for a whitening
// learned on `rows` features, calibrated by the person's marks on copies (MarkedPairs.h).
Result<float> chosen_threshold(CatalogDb& reader, std::string_view model_id, const Whitening& w, std::size_t rows,
                               const std::atomic<bool>& cancel) {
    const float size_default = size_duplicate_threshold(rows);
    auto verdicts = marked_pair_verdicts(reader, model_id, w, {kRotatedPenalty, kPlainAccept}, cancel);
    if (!verdicts) return verdicts.error();
    return calibrate_duplicate_threshold(*verdicts, size_default).threshold;
}

// Learns the whitening on a strided sample of at most kLearnRows of the model's features;
// nullopt when fewer than 2 rows (or cancelled). *rows: the rows it learned on.
// With `adapter` (an active version's), on the features it adapts.
Result<std::optional<Whitening>> learn_whitening(CatalogDb& reader, std::string_view model_id, int dim,
                                                 std::int64_t indexed, const std::atomic<bool>& cancel,
                                                 std::size_t* rows, const LowRankAdapter* adapter = nullptr) {
    const std::size_t stride = std::max<std::size_t>(1, static_cast<std::size_t>(indexed) / kLearnRows);
    std::vector<float> sample;
    std::size_t seen = 0;
    auto st = reader.for_each_feature(model_id, [&](std::int64_t, const float* v, int d) {
        if (d == dim && seen++ % stride == 0) {
            sample.resize(sample.size() + static_cast<std::size_t>(d));
            float* row = sample.data() + sample.size() - static_cast<std::size_t>(d);
            if (adapter) adapter->apply(v, row);
            else std::copy(v, v + d, row);
        }
        return !cancel;
    });
    if (!st) return st.error();
    *rows = sample.size() / dim;
    if (cancel || *rows < 2) return std::optional<Whitening>();
    return std::optional<Whitening>(Whitening::learn(sample.data(), *rows, dim, kWhitenShrink, 0, kWhitenCorrected));
}

// Files decoded per round of pixel verification (~20 KB kept per file until the round ends).
constexpr std::size_t kVerifyBatch = 2048;

// Files processed per round of parallel index searches.
constexpr std::size_t kBatch = 1024;

struct Candidate {
    std::int64_t a, b;
    float raw;     // plain cosine of the query and b
    bool rotated;  // found with a's rotated feature
};

// Searches the n vectors (row-major n x dim, ids[i] for row i) on two threads; appends each hit
// other than the query file itself.
void find_candidates(const VectorIndex& index, const std::vector<std::int64_t>& ids, const std::vector<float>& data,
                     int k, bool rotated, std::vector<Candidate>& out) {
    const int dim = index.dim();
    const std::size_t n = ids.size();
    std::vector<Candidate> found[2];
    auto work = [&](std::size_t part) {
        for (std::size_t i = part; i < n; i += 2)
            for (const Hit& h : index.search(&data[i * dim], k))
                if (h.id != ids[i]) found[part].push_back({ids[i], h.id, h.score, rotated});
    };
    std::thread other(work, 1);
    work(0);
    other.join();
    for (auto& f : found) out.insert(out.end(), f.begin(), f.end());
}

// Features fetched again by rescore_from_catalog, at most (~2.3 KB each for 576 floats).
constexpr std::size_t kRescoreCache = 1 << 16;

// Scores again, from the catalog's f32 features in the groups' space (`to_space`, in place), the
// candidates `needs` picks, giving each the plain cosine an f32 index would have given. For an
// index that stores rounded vectors (VectorIndex::score_error): exact copies are told apart from
// resized ones at a cosine of 0.9999, finer than that rounding. A candidate whose file has lost
// its feature since the index was searched is dropped.
Status rescore_from_catalog(CatalogDb& reader, std::string_view model_id, std::vector<Candidate>& candidates,
                            const std::function<bool(const Candidate&)>& needs,
                            const std::function<void(std::vector<float>&)>& to_space) {
    std::unordered_map<std::int64_t, std::vector<float>> cache[2];  // plain, turned
    auto fetch = [&](std::int64_t id, bool turned) -> Result<const std::vector<float>*> {
        auto& c = cache[turned ? 1 : 0];
        if (const auto it = c.find(id); it != c.end()) return &it->second;
        std::vector<float> v;
        if (turned) {
            auto r = reader.quarter_turn(id, model_id);
            if (!r) return r.error();
            v = std::move(*r);
        } else {
            auto r = reader.feature(id);
            if (!r) return r.error();
            if (*r) v = std::move(**r);
        }
        if (!v.empty()) to_space(v);
        return &c.emplace(id, std::move(v)).first->second;
    };
    const auto dot = kernels::kernels().dot;
    std::size_t kept = 0;
    for (const Candidate& c : candidates) {
        Candidate out = c;
        if (needs(c)) {
            if (cache[0].size() + cache[1].size() >= kRescoreCache) cache[0].clear(), cache[1].clear();
            auto b = fetch(c.b, false);
            if (!b) return b.error();
            auto a = fetch(c.a, c.rotated);
            if (!a) return a.error();
            if ((*a)->empty() || (*a)->size() != (*b)->size()) continue;
            out.raw = dot((*a)->data(), (*b)->data(), (*a)->size());
        }
        candidates[kept++] = out;
    }
    candidates.resize(kept);
    return Status::success();
}

// Whitening codes (Whitening::encode) of the library's features, kept in memory: code_dim() floats
// each, 130 for 128 corrected components (~1 KB per file with its rotated feature).
struct Codes {
    int dim = 0;
    std::unordered_map<std::int64_t, std::size_t> row;
    std::vector<float> plain, rotated;  // row-major; rotated rows are zero when none is stored
    const float* get(std::int64_t id, bool rot) const {
        const auto it = row.find(id);
        if (it == row.end()) return nullptr;
        return (rot ? rotated : plain).data() + it->second * dim;
    }
};

// Records b as a's close neighbour with score s (the best score if already there).
void add_close(CloseNeighbours& close, std::int64_t a, std::int64_t b, float s) {
    auto& list = close[a];
    auto same = std::find_if(list.begin(), list.end(), [&](const Neighbour& x) { return x.id == b; });
    if (same == list.end()) list.push_back({b, s});
    else same->score = std::max(same->score, s);
}

}  // namespace

DuplicateScoring duplicate_scoring() { return {kRotatedPenalty, kPlainAccept}; }

Result<std::optional<Whitening>> learn_duplicate_whitening(CatalogDb& db, std::string_view model_id, int dim,
                                                           std::int64_t indexed, const std::atomic<bool>& cancel,
                                                           std::size_t* rows, const LowRankAdapter* adapter) {
    return learn_whitening(db, model_id, dim, indexed, cancel, rows, adapter);
}

float Library::default_duplicate_threshold() {
    std::lock_guard lock(reader_mutex_);
    auto counts = reader_->counts();
    const float size_default =
        size_duplicate_threshold(counts ? std::min<std::size_t>(static_cast<std::size_t>(counts->indexed), kLearnRows) : 0);
    // Calibrating needs the whitening: learned only when the marks can calibrate.
    auto usable = marks_calibrate_duplicates(*reader_);
    if (!counts || !usable || !*usable || !active_adapter()->base.empty()) return size_default;
    const std::atomic<bool> never{false};
    std::size_t rows = 0;
    auto w = learn_whitening(*reader_, model_id_, index_->dim(), counts->indexed, never, &rows);
    if (!w || !*w) return size_default;
    auto t = chosen_threshold(*reader_, model_id_, **w, rows, never);
    return t ? *t : size_default;
}

Result<std::vector<DuplicateGroup>> Library::duplicates(const DuplicateParams& params,
                                                         const std::atomic<bool>& cancel) {
    const int k = std::max(2, params.neighbours + 1);  // + the file itself
    const int dim = index_->dim();
    // The space groups are found in: the active version's adapted features and its index (held
    // until this returns), or the plain ones. Pixels decide membership either way.
    const std::shared_ptr<const ActiveAdapter> space =
        params.no_adapter ? std::make_shared<const ActiveAdapter>() : active_adapter();
    const VectorIndex& index = space->index ? *space->index : *index_;
    std::vector<float> adapted(static_cast<std::size_t>(dim));
    auto in_space = [&](const float* v) -> const float* {
        if (space->base.empty()) return v;
        space->base.apply(v, adapted.data());
        return adapted.data();
    };
    CloseNeighbours close;
    std::vector<Candidate> plain_only;  // plain cosine >= kPlainAccept and the threshold, whitened score below it
    std::unordered_map<std::int64_t, CatalogFile> files;  // of every file in close or plain_only
    {
        // The catalog and the index are read under the reader lock; decoding (below) is not.
        std::lock_guard lock(reader_mutex_);
        auto counts = reader_->counts();
        if (!counts) return counts.error();
        if (counts->indexed < 2) return std::vector<DuplicateGroup>();

        // 1. Learn the whitening on a strided sample of the features; choose the threshold.
        std::size_t rows = 0;
        Result<std::optional<Whitening>> learned = std::optional<Whitening>();
        // The stored one (search_calibration) when it was learned on this space and still fits.
        auto stored = read_search_calibration(*reader_, model_id_, space->version, dim);
        const auto images = static_cast<std::int64_t>(index.size());
        if (stored && *stored && (*stored)->whitening && (*stored)->fresh(images)) {
            rows = std::min<std::size_t>(static_cast<std::size_t>((*stored)->images), kLearnRows);
            learned = std::optional<Whitening>(*(*stored)->whitening);
        } else {
            learned = learn_whitening(*reader_, model_id_, dim, counts->indexed, cancel, &rows,
                                      space->base.empty() ? nullptr : &space->base);
        }
        if (!learned) return learned.error();
        if (!*learned) return std::vector<DuplicateGroup>();
        const Whitening& w = **learned;
        float threshold = params.threshold;
        // Marks calibrate the threshold in the plain space only (they are scored on plain features).
        if (threshold < 0 && !space->base.empty()) threshold = size_duplicate_threshold(rows);
        if (threshold < 0) {
            auto chosen = chosen_threshold(*reader_, model_id_, w, rows, cancel);
            if (!chosen) return chosen.error();
            threshold = *chosen;
        }

        // 2. Encode every feature and gather candidates from the index, plain features then rotated.
        Codes proj;
        proj.dim = w.code_dim();
        std::vector<Candidate> candidates;
        std::vector<std::int64_t> ids;
        std::vector<float> batch;
        bool rotated = false;
        auto visit = [&](std::int64_t id, const float* raw, int d) {
            if (cancel) return false;
            if (d != dim) return true;
            const float* v = in_space(raw);
            if (!rotated) {
                proj.row.emplace(id, proj.row.size());
                proj.plain.resize(proj.plain.size() + proj.dim);
                w.encode(v, proj.plain.data() + proj.plain.size() - proj.dim);
            } else {
                const auto it = proj.row.find(id);
                if (it == proj.row.end()) return true;
                w.encode(v, proj.rotated.data() + it->second * proj.dim);
            }
            ids.push_back(id);
            batch.insert(batch.end(), v, v + d);
            if (ids.size() >= kBatch) {
                find_candidates(index, ids, batch, k, rotated, candidates);
                ids.clear();
                batch.clear();
            }
            return true;
        };
        for (auto each : {&CatalogDb::for_each_feature, &CatalogDb::for_each_rotated_feature}) {
            if (rotated) proj.rotated.assign(proj.plain.size(), 0.0f);
            if (auto s = ((*reader_).*each)(model_id_, visit, {}); !s) return s.error();
            if (cancel) return std::vector<DuplicateGroup>();
            find_candidates(index, ids, batch, k, rotated, candidates);
            ids.clear();
            batch.clear();
            rotated = true;
        }

        // 3. Score the candidates in the whitened space; keep the best score per pair. Scores
        // from an index of rounded vectors are taken again from the catalog for every pair that
        // could pass a threshold within their error (whitened scores rise with the plain one).
        if (const float error = index.score_error(); error > 0) {
            auto needs = [&](const Candidate& c) {
                const float* a = proj.get(c.a, c.rotated);
                const float* b = proj.get(c.b, false);
                if (!a || !b) return false;
                const float hi = c.raw + error;
                return hi >= kPlainAccept || w.similarity(hi, a, b) - (c.rotated ? kRotatedPenalty : 0.0f) >= threshold;
            };
            auto to_space = [&](std::vector<float>& v) {
                if (v.size() != static_cast<std::size_t>(dim)) return;
                const float* x = in_space(v.data());
                if (x != v.data()) std::copy(x, x + dim, v.data());
            };
            if (auto st = rescore_from_catalog(*reader_, model_id_, candidates, needs, to_space); !st) return st.error();
        }
        for (const auto& c : candidates) {
            const float* a = proj.get(c.a, c.rotated);
            const float* b = proj.get(c.b, false);
            if (!a || !b) continue;  // added to the index after this pass began
            const float s = w.similarity(c.raw, a, b) - (c.rotated ? kRotatedPenalty : 0.0f);
            if (s < threshold) {
                if (c.raw >= kPlainAccept && c.raw >= threshold) plain_only.push_back(c);
                continue;
            }
            // A near-identical pair scores its plain cosine (as it would through the rule below).
            add_close(close, c.a, c.b, c.raw >= kPlainAccept ? std::max(s, c.raw) : s);
        }
        auto remember = [&](std::int64_t id) -> Status {
            if (files.count(id)) return {};
            auto f = reader_->file(id);
            if (!f) return f.error();
            if (*f) files.emplace(id, std::move(**f));
            return {};
        };
        for (const auto& [id, list] : close) {
            if (auto s = remember(id); !s) return s.error();
            for (const auto& n : list)
                if (auto s = remember(n.id); !s) return s.error();
        }
        for (const auto& c : plain_only)
            for (auto id : {c.a, c.b})
                if (auto s = remember(id); !s) return s.error();
    }

    // 4. Pixels: a plain-cosine pair joins only if verified; then each member against its centre.
    PairVerifier verifier;
    const int min_side = verifier.params().min_side;
    auto tiny = [&](std::int64_t id) {
        const auto it = files.find(id);
        return it == files.end() || std::min(it->second.width, it->second.height) < min_side;
    };
    auto prepare = [&](const std::vector<std::int64_t>& ids) {
        std::vector<std::pair<std::int64_t, std::string>> todo;
        for (auto id : ids)
            if (!tiny(id)) todo.emplace_back(id, files.at(id).path);
        verifier.prepare(todo, cancel);
    };
    if (params.verify_pixels) {
        std::vector<std::int64_t> ids;
        for (const auto& c : plain_only)
            if (!tiny(c.a) && !tiny(c.b)) ids.push_back(c.a), ids.push_back(c.b);
        prepare(ids);
        for (const auto& c : plain_only)
            if (!tiny(c.a) && !tiny(c.b) && verifier.verify(c.a, c.b).same()) add_close(close, c.a, c.b, c.raw);
    }
    if (cancel) return std::vector<DuplicateGroup>();

    // 5. Groups, with what a person needs to choose which file to keep. Stars are decoded and
    // verified in batches of about kVerifyBatch files, so memory stays bounded in a large library.
    const auto stars = star_groups(close);
    std::size_t batch_end = 0;  // stars before this index are prepared
    std::vector<DuplicateGroup> groups;
    for (std::size_t si = 0; si < stars.size(); ++si) {
        if (params.verify_pixels && si == batch_end) {
            verifier.clear();
            std::vector<std::int64_t> ids;
            for (; batch_end < stars.size() && ids.size() < kVerifyBatch; ++batch_end)
                for (const auto& m : stars[batch_end]) ids.push_back(m.id);
            prepare(ids);
            if (cancel) return std::vector<DuplicateGroup>();
        }
        const auto& star = stars[si];
        DuplicateGroup g;
        for (const auto& m : star) {
            const auto it = files.find(m.id);
            if (it == files.end()) continue;  // forgotten since
            const CatalogFile& f = it->second;
            DuplicateMember member;
            member.file_id = m.id;
            member.path = f.path;
            member.score = m.score;
            member.size = f.size;
            member.width = f.width;
            member.height = f.height;
            member.mtime_ns = f.mtime_ns;
            if (g.members.empty()) {
                member.verified = true;
                member.pixel_score = 1;
                member.pixel_note = "the group's reference picture";
            } else if (!params.verify_pixels) {
                member.pixel_note = "not checked on pixels";
            } else if (tiny(m.id) || tiny(g.members[0].file_id)) {
                member.pixel_note = "cannot tell by pixels: tiny image (shorter side below " +
                                    std::to_string(min_side) + " pixels)";
            } else {
                const PixelVerdict v = verifier.verify(g.members[0].file_id, m.id);
                member.verified = v.same();
                member.pixel_score = v.structure;
                member.pixel_note = v.reason;
                if (v.same()) member.orientation = v.orientation;
            }
            g.members.push_back(std::move(member));
        }
        if (g.members.size() > 1) groups.push_back(std::move(g));
    }
    std::sort(groups.begin(), groups.end(), [](const DuplicateGroup& a, const DuplicateGroup& b) {
        return a.members.size() != b.members.size() ? a.members.size() > b.members.size()
                                                      : a.members[0].path < b.members[0].path;
    });
    return groups;
}

}  // namespace rv
