// Library::duplicates: near-duplicate groups. Candidates come from the vector index (each file's
// nearest neighbours, also for its feature turned 90 degrees); they are scored by cosine similarity
// after PCA whitening learned on the library itself (Whitening.h) and grouped by rv::star_groups.
#include <algorithm>
#include <cmath>
#include <thread>

#include "ruvision/engine/Library.h"
#include "ruvision/engine/NearDuplicates.h"
#include "ruvision/engine/Whitening.h"

namespace rv {

namespace {

// The whitening (same dimension, shrinkage 10, the top 128 components rescaled), learned on at
// most kLearnRows features (a strided sample of the library). Chosen with bench_duplicates.
constexpr double kWhitenShrink = 10.0;
constexpr int kWhitenCorrected = 128;
constexpr std::size_t kLearnRows = 20000;
// A match through a rotated feature counts this much less: the best of two scores has a higher
// noise floor (bench_duplicates: +rot-0.10 is more precise than +rot at equal recall).
constexpr float kRotatedPenalty = 0.10f;
// A pair whose plain cosine reaches this is a near-identical copy (resized, re-encoded, turned)
// whatever the whitening says, and scores its plain cosine: on bench_duplicates no two different
// photos reach 0.99 (their best is 0.986), and a whitening learned on a small library scores
// such copies too low.
constexpr float kPlainAccept = 0.99f;

// Default threshold (whitened cosine) for a whitening learned on n features. On the seeded
// near-duplicate set (bench_duplicates, 42 photos x 10 edits, 462 images) 0.56 is the lowest with
// a pairwise precision of 1.000 (recall 0.64) when learned on all 462; learned on 40 of them, as
// in a small library, the precision first reaches 1.000 at 0.70 (recall 0.42): a whitening
// learned on fewer photos lifts unrelated pairs. Between the two, linear in log n.
float threshold_for(std::size_t n) {
    constexpr double kSmall = 40, kLarge = 462, kAtSmall = 0.70, kAtLarge = 0.56;
    const double t = std::clamp((std::log(static_cast<double>(std::max<std::size_t>(n, 1))) - std::log(kSmall)) /
                                    (std::log(kLarge) - std::log(kSmall)),
                                0.0, 1.0);
    return static_cast<float>(kAtSmall + t * (kAtLarge - kAtSmall));
}

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

}  // namespace

float Library::default_duplicate_threshold() {
    std::lock_guard lock(reader_mutex_);
    auto counts = reader_->counts();
    return threshold_for(counts ? std::min<std::size_t>(static_cast<std::size_t>(counts->indexed), kLearnRows) : 0);
}

Result<std::vector<DuplicateGroup>> Library::duplicates(const DuplicateParams& params,
                                                         const std::atomic<bool>& cancel) {
    const int k = std::max(2, params.neighbours + 1);  // + the file itself
    const int dim = index_->dim();
    std::lock_guard lock(reader_mutex_);
    auto counts = reader_->counts();
    if (!counts) return counts.error();
    if (counts->indexed < 2) return std::vector<DuplicateGroup>();

    // 1. Learn the whitening on a strided sample of the features.
    const std::size_t stride = std::max<std::size_t>(1, static_cast<std::size_t>(counts->indexed) / kLearnRows);
    std::vector<float> sample;
    std::size_t seen = 0;
    auto st = reader_->for_each_feature(model_id_, [&](std::int64_t, const float* v, int d) {
        if (d == dim && seen++ % stride == 0) sample.insert(sample.end(), v, v + d);
        return !cancel;
    });
    if (!st) return st.error();
    const std::size_t rows = sample.size() / dim;
    if (cancel || rows < 2) return std::vector<DuplicateGroup>();
    const Whitening w = Whitening::learn(sample.data(), rows, dim, kWhitenShrink, 0, kWhitenCorrected);
    sample = {};
    const float threshold = params.threshold < 0 ? threshold_for(rows) : params.threshold;

    // 2. Encode every feature and gather candidates from the index, plain features then rotated.
    Codes proj;
    proj.dim = w.code_dim();
    std::vector<Candidate> candidates;
    std::vector<std::int64_t> ids;
    std::vector<float> batch;
    bool rotated = false;
    auto visit = [&](std::int64_t id, const float* v, int d) {
        if (cancel) return false;
        if (d != dim) return true;
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
            find_candidates(*index_, ids, batch, k, rotated, candidates);
            ids.clear();
            batch.clear();
        }
        return true;
    };
    for (auto each : {&CatalogDb::for_each_feature, &CatalogDb::for_each_rotated_feature}) {
        if (rotated) proj.rotated.assign(proj.plain.size(), 0.0f);
        if (auto s = ((*reader_).*each)(model_id_, visit, {}); !s) return s.error();
        if (cancel) return std::vector<DuplicateGroup>();
        find_candidates(*index_, ids, batch, k, rotated, candidates);
        ids.clear();
        batch.clear();
        rotated = true;
    }

    // 3. Score the candidates in the whitened space; keep the best score per pair.
    CloseNeighbours close;
    for (const auto& c : candidates) {
        const float* a = proj.get(c.a, c.rotated);
        const float* b = proj.get(c.b, false);
        if (!a || !b) continue;  // added to the index after this pass began
        float s = w.similarity(c.raw, a, b) - (c.rotated ? kRotatedPenalty : 0.0f);
        if (c.raw >= kPlainAccept) s = std::max(s, c.raw);
        if (s < threshold) continue;
        auto& list = close[c.a];
        auto same = std::find_if(list.begin(), list.end(), [&](const Neighbour& x) { return x.id == c.b; });
        if (same == list.end()) list.push_back({c.b, s});
        else same->score = std::max(same->score, s);
    }

    // 4. Groups, with what a person needs to choose which file to keep.
    std::vector<DuplicateGroup> groups;
    for (const auto& star : star_groups(close)) {
        DuplicateGroup g;
        for (const auto& m : star) {
            auto f = reader_->file(m.id);
            if (!f) return f.error();
            if (*f) g.members.push_back({m.id, (*f)->path, m.score, (*f)->size, (*f)->width, (*f)->height});
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
