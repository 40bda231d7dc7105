#include "search/SearchCalibration.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <unordered_set>
#include <utility>

#include "augment/EditTwins.h"

namespace rv {

namespace {

// Without edited views the same-picture curve's middle sits this far above the 99th percentile of
// the negatives, with this slope (whitened and plain spaces).
constexpr double kSameMarginWhitened = 0.10, kSameSlopeWhitened = 30;
// SearchCopies' gate (CopyRule::min_cosine): pairs above it may be the same picture.
constexpr double kCopyCosine = 0.97;
constexpr double kSameMarginPlain = 0.02, kSameSlopePlain = 150;
// With no negatives at all (a library of one image): fixed curves.
struct Curves {
    double same_mid, same_slope, alike_mid, alike_slope;
};
constexpr Curves kNoNegativesWhitened{0.6, 30, 0.35, 12};
constexpr Curves kNoNegativesPlain{0.96, 150, 0.9, 40};
// The alike curve's middle sits at this quantile of each query's best other image, its slope
// kAlikeSpread over their 10-90 % spread (README "Scores": chosen on CHOOSE with the shown score's
// kAlikeShare; the 90th percentile and a slope of 4 before left a look-alike ranked 5th at 0.003,
// no word); the margin model needs this
// many positives (edited views, 'same' marks), else the curve of the score alone is fitted; an
// identical feature this far above the rest reads "same picture".
constexpr double kAlikeQuantile = 0.5, kAlikeSpread = 2;
constexpr std::size_t kMinMarginPositives = 8;
constexpr double kIdenticalMargin = 0.3;

// Negatives are the best `neighbours` of this many nearest others by the space's index, re-scored.
constexpr int kNegativePool = 32;

double dot(const float* a, const float* b, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double at = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(at));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (at - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void in_space(const LowRankAdapter& base, const float* v, float* out, int dim) {
    if (base.empty()) std::copy(v, v + dim, out);
    else base.apply(v, out);
}

}  // namespace

void SearchSpaceCalibration::set_whitening(Whitening w) {
    ranking = w.derived(kSearchShrink, kSearchCorrected);
    whitening = std::move(w);
}

std::vector<float> SearchSpaceCalibration::whiten(const float* x, int dim) const {
    std::vector<float> out(static_cast<std::size_t>(dim));
    if (ranking) ranking->apply(x, out.data());
    else std::copy(x, x + dim, out.data());
    return out;
}

double SearchSpaceCalibration::score(const float* query, const float* candidate, int dim) const {
    if (!whitening) return dot(query, candidate, dim);
    return dot(whiten(query, dim).data(), whiten(candidate, dim).data(), dim);
}

double SearchSpaceCalibration::file_score(const float* whitened_query, const float* feature, const float* twins,
                                          int n_twins, int dim) const {
    const double plain = dot(whitened_query, whiten(feature, dim).data(), dim);
    if (n_twins <= 0 || images < kMinViewImages) return plain;
    const double penalty = ranking ? kTwinPenaltyWhitened : 0.0;
    std::vector<float> scores(static_cast<std::size_t>(n_twins));
    for (int i = 0; i < n_twins; ++i)
        scores[static_cast<std::size_t>(i)] = static_cast<float>(
            dot(whitened_query, whiten(twins + static_cast<std::size_t>(i) * dim, dim).data(), dim) - penalty);
    return twin_score(static_cast<float>(plain), scores.data(), n_twins);
}

int file_views_in_space(CatalogDb& db, const std::string& model_id, std::int64_t file_id, const LowRankAdapter& base,
                        int dim, std::vector<float>* out) {
    out->clear();
    int d = 0;
    std::vector<float> views;
    if (auto t = db.twins(file_id, model_id, &d); t && d == dim) views = std::move(*t);
    if (auto q = db.quarter_turn(file_id, model_id); q && static_cast<int>(q->size()) == dim)
        views.insert(views.end(), q->begin(), q->end());
    out->resize(views.size());
    for (std::size_t at = 0; at < views.size(); at += static_cast<std::size_t>(dim))
        in_space(base, views.data() + at, out->data() + at, dim);
    return static_cast<int>(views.size() / static_cast<std::size_t>(dim));
}

bool SearchSpaceCalibration::fresh(std::int64_t images_now) const {
    if ((images < kMinWhitenImages) != (images_now < kMinWhitenImages)) return false;
    return std::fabs(static_cast<double>(images_now - images)) <= kStaleShare * static_cast<double>(images);
}

namespace {

void place_alike(ScoreCurves& c, const std::vector<double>& best_other) {
    if (best_other.size() < 2) return;
    const double spread = std::max(quantile(best_other, 0.9) - quantile(best_other, 0.1), 1e-3);
    c.alike_mid = quantile(best_other, kAlikeQuantile);
    c.alike_slope = std::clamp(kAlikeSpread / spread, 2.0, 200.0);
}

// The share of `hardest` (wrong results) that `c` would call "same picture".
double wrong_called_same(const ScoreCurves& c, const std::vector<std::vector<double>>& hardest) {
    std::size_t n = 0;
    for (const auto& x : hardest) n += c.same(x[0], x.size() > 1 ? x[1] : 0.0) >= kSamePictureWord;
    return hardest.empty() ? 0.0 : static_cast<double>(n) / static_cast<double>(hardest.size());
}

// A fitted curve is kept only if it calls at most this share of the calibration's wrong results
// "same picture": a fit gone flat must not call every neighbour the same picture. Fits that
// serve call 0-2.6 % of them so (the honest set's library 1.0 %, tuned 2.6 %; Fashion-MNIST 0 %):
// a cut at 2 % threw the tuned library's fit away (right top results read 0.39).
constexpr double kMaxWrongCalledSame = 0.1;

void fit_same_curves_unchecked(ScoreCurves& c, const std::vector<std::vector<double>>& positives,
                               const std::vector<std::vector<double>>& hardest) {
    if (positives.empty() || hardest.empty()) return;
    const std::vector<double> w = fit_logistic_weights(positives, hardest, 1e-4);
    // w = (score, margin, bias); a model that would lower p_same for a larger score or margin is
    // not kept (too few or odd positives): the curve of the score alone instead.
    if (w.size() == 3 && w[0] > 0 && w[1] >= 0 && positives.size() >= kMinMarginPositives) {
        c.same_slope = std::min(w[0], 400.0);
        c.same_margin = std::min(w[1], 400.0) / c.same_slope;
        c.same_mid = -w[2] / c.same_slope;
        return;
    }
    std::vector<double> pos, neg;
    for (const auto& x : positives) pos.push_back(x[0]);
    for (const auto& x : hardest) neg.push_back(x[0]);
    const Logistic f = fit_logistic(pos, neg, {c.same_mid, c.same_slope});
    c.same_mid = f.mid;
    c.same_slope = std::min(f.slope, 400.0);
    c.same_margin = 0;
}

void fit_same_curves(ScoreCurves& c, const std::vector<std::vector<double>>& positives,
                     const std::vector<std::vector<double>>& hardest) {
    ScoreCurves fitted = c;
    fit_same_curves_unchecked(fitted, positives, hardest);
    if (wrong_called_same(fitted, hardest) <= kMaxWrongCalledSame) c = fitted;
}

void same_when_identical(ScoreCurves& c) {
    // An identical feature (z = 1) is the same picture: p_same(1) >= sigmoid(5) = 0.993 when it
    // stands kIdenticalMargin above the rest (a curve of the score alone: whatever the rest).
    // A curve centred below that is made steep enough rather than moved: moving the centre of a
    // flat curve (a fit on views that do not stand out) called every neighbour the same picture.
    const double identical = 1.0 + c.same_margin * kIdenticalMargin;
    if (c.same_mid < identical) c.same_slope = std::max(c.same_slope, 5.0 / (identical - c.same_mid));
    else c.same_mid = identical - 5.0 / c.same_slope;
    c.alike_mid = std::min(c.alike_mid, 1.0);
}

}  // namespace

void learn_score_curves(ScoreCurves& c, const CurveEvidence& e, bool fit_same) {
    place_alike(c, e.best_other);
    if (fit_same) fit_same_curves(c, e.positives, e.hardest);
    if (!e.alike_marks.empty() && !e.different_marks.empty()) {
        const Logistic f = fit_logistic(e.alike_marks, e.different_marks, {c.alike_mid, c.alike_slope});
        c.alike_mid = f.mid;
        c.alike_slope = std::min(f.slope, 400.0);
    }
    same_when_identical(c);
}

Result<SearchSpaceCalibration> learn_search_calibration(CatalogDb& db, const VectorIndex& index,
                                                        const std::string& model_id, std::int64_t adapter_version,
                                                        const LowRankAdapter& base, std::int64_t indexed,
                                                        const CalibrationSample& sample, const EditedView& view,
                                                        const std::atomic<bool>& cancel) {
    const int dim = index.dim();
    SearchSpaceCalibration c;
    c.model_id = model_id;
    c.adapter_version = adapter_version;
    c.built = now_ms();

    // 1. A strided sample of the space's vectors (their file ids alongside) in one pass.
    const std::size_t rows_wanted = std::max<std::size_t>(1, sample.rows);
    const std::size_t stride = std::max<std::size_t>(1, static_cast<std::size_t>(std::max<std::int64_t>(indexed, 0)) / rows_wanted);
    std::vector<float> rows;
    std::vector<std::int64_t> ids;
    std::size_t seen = 0;
    auto st = db.for_each_feature(model_id, [&](std::int64_t id, const float* v, int d) {
        if (d == dim && seen++ % stride == 0 && ids.size() < rows_wanted) {
            rows.resize(rows.size() + static_cast<std::size_t>(d));
            in_space(base, v, rows.data() + rows.size() - static_cast<std::size_t>(d), d);
            ids.push_back(id);
        }
        return !cancel;
    });
    if (!st) return st.error();
    if (cancel) return Error{"cancelled"};
    c.images = static_cast<std::int64_t>(seen);
    if (c.images >= kMinWhitenImages)
        c.set_whitening(Whitening::learn(rows.data(), ids.size(), dim, kWhitenShrink, 0, kWhitenCorrected));
    c.model.whitened = c.whitening.has_value();

    // Pairs the person said are the same picture are never negatives.
    auto marks = db.marks();
    if (!marks) return marks.error();
    std::unordered_set<std::string> same_pairs;
    auto key = [](std::int64_t a, std::int64_t b) { return std::to_string(std::min(a, b)) + ":" + std::to_string(std::max(a, b)); };
    for (const auto& m : *marks)
        if (m.verdict == "same") same_pairs.insert(key(m.a, m.b));

    // Scores are file_score's, as search ranks: with the file's twins (file_views_in_space).
    std::vector<float> views;
    auto file_score = [&](const float* query, const float* feature, std::int64_t id) {
        const int n = file_views_in_space(db, model_id, id, base, dim, &views);
        return c.file_score(c.whiten(query, dim).data(), feature, views.data(), n, dim);
    };

    // 2. Negatives: each sampled image's nearest other images (not its copies by bytes or marks).
    // Every score goes with its margin in its query's list (ScoreModel.h: result_margin), as a
    // search computes it: a view's list holds its source and the other images the index finds.
    std::vector<double> negatives, best_other;
    std::vector<std::vector<double>> positives, hardest;  // {score, margin}
    const std::size_t n_sample = std::min<std::size_t>(ids.size(), static_cast<std::size_t>(std::max(sample.images, 0)));
    const std::size_t every = n_sample ? std::max<std::size_t>(1, ids.size() / n_sample) : 1;
    std::vector<float> other(static_cast<std::size_t>(dim)), viewed(static_cast<std::size_t>(dim));
    std::vector<std::size_t> sampled;
    for (std::size_t i = 0; i < ids.size() && sampled.size() < n_sample; i += every) sampled.push_back(i);
    // The queries of a sampled image: its edited views when there are (what a person searching
    // with an edited copy sends), else the image itself. Each query's nearest other images are
    // negatives; a view's score with its source is a positive.
    struct Query {
        std::vector<float> x;
        std::optional<double> source;  // the view's score with its source
    };
    std::vector<Query> queries;
    for (std::size_t i : sampled) {
        if (cancel) return Error{"cancelled"};
        const float* q = rows.data() + i * dim;
        auto self = db.file(ids[i]);
        if (!self) return self.error();
        if (!*self) continue;  // forgotten since
        const std::string self_hash = (*self)->full_hash ? *(*self)->full_hash : std::string();
        queries.clear();
        if (view) {
            for (int k = 0; k < sample.views; ++k) {
                auto e = view(ids[i], (*self)->path, k);
                if (!e || static_cast<int>(e->size()) != dim) continue;
                in_space(base, e->data(), viewed.data(), dim);
                queries.push_back({viewed, file_score(viewed.data(), q, ids[i])});
            }
        }
        // The image itself: its own first result (score 1), as when a person searches with it.
        if (queries.empty()) queries.push_back({std::vector<float>(q, q + dim), std::nullopt});
        for (const auto& query : queries) {
            // The nearest others as search ranks them: the index's nearest kNegativePool,
            // re-scored with file_score (a view may lift a file the plain cosine ranks lower),
            // the best `neighbours` of them taken.
            std::vector<double> others;  // best first once sorted
            for (const Hit& h : index.search(query.x.data(), std::max(sample.neighbours + 6, kNegativePool))) {
                if (h.id == ids[i]) continue;
                if (same_pairs.count(key(h.id, ids[i]))) continue;
                auto f = db.file(h.id);
                if (!f) return f.error();
                if (!*f || (!self_hash.empty() && (*f)->full_hash && *(*f)->full_hash == self_hash)) continue;
                auto v = db.feature(h.id);
                if (!v) return v.error();
                if (!*v || static_cast<int>((*v)->size()) != dim) continue;
                in_space(base, (*v)->data(), other.data(), dim);
                // A plain cosine this high with the source may be a copy (another size or
                // encoding): not a negative.
                if (dot(q, other.data(), dim) >= kCopyCosine) continue;
                others.push_back(file_score(query.x.data(), other.data(), h.id));
            }
            std::sort(others.rbegin(), others.rend());
            others.resize(std::min(others.size(), static_cast<std::size_t>(std::max(sample.neighbours, 0))));
            negatives.insert(negatives.end(), others.begin(), others.end());
            const double source = query.source.value_or(1.0);
            if (query.source)
                positives.push_back({source, source - (others.empty() ? 0.0 : others.front())});
            if (!others.empty()) {
                best_other.push_back(others.front());
                const double rival = std::max(source, others.size() > 1 ? others[1] : -1.0);
                hardest.push_back({others.front(), others.front() - rival});
                // The same list without the source: what a query whose picture is not in the
                // library sees (its best other result first, standing out by its own margin).
                if (query.source)
                    hardest.push_back({others.front(), result_margin(others, 0)});
            }
        }
    }

    // 4. The person's marks: 'same' a positive, 'different' a negative, 'alike' for the alike
    // curve; a marked pair's margin is the one b has in a search with a (a and b left out).
    std::vector<double> alike_marks, different_marks;
    auto feature_in_space = [&](std::int64_t id, std::vector<float>& out) -> Result<bool> {
        auto v = db.feature(id);
        if (!v) return v.error();
        if (!*v || static_cast<int>((*v)->size()) != dim) return false;
        out.resize(static_cast<std::size_t>(dim));
        in_space(base, (*v)->data(), out.data(), dim);
        return true;
    };
    auto best_rival = [&](const std::vector<float>& x, std::int64_t a, std::int64_t b) -> Result<double> {
        double best = 0;  // nothing found: unrelated images score about 0 when whitened
        bool any = false;
        std::vector<float> o;
        for (const Hit& h : index.search(x.data(), 4)) {
            if (h.id == a || h.id == b) continue;
            auto ok = feature_in_space(h.id, o);
            if (!ok) return ok.error();
            if (!*ok) continue;
            const double s = file_score(x.data(), o.data(), h.id);
            best = any ? std::max(best, s) : s;
            any = true;
        }
        return best;
    };
    std::vector<float> fa, fb;
    for (const auto& mark : *marks) {
        if (cancel) return Error{"cancelled"};
        auto a = feature_in_space(mark.a, fa);
        if (!a) return a.error();
        auto b = feature_in_space(mark.b, fb);
        if (!b) return b.error();
        if (!*a || !*b) continue;
        const double s = file_score(fa.data(), fb.data(), mark.b);
        if (mark.verdict == "same" || mark.verdict == "different") {
            auto rival = best_rival(fa, mark.a, mark.b);
            if (!rival) return rival.error();
            (mark.verdict == "same" ? positives : hardest).push_back({s, s - *rival});
        }
        if (mark.verdict == "alike") alike_marks.push_back(s);
        else if (mark.verdict == "different") different_marks.push_back(s);
        ++c.model.marks;
    }

    // 5. The curves.
    ScoreModel& m = c.model;
    const Curves fixed = m.whitened ? kNoNegativesWhitened : kNoNegativesPlain;
    m.same_mid = fixed.same_mid;
    m.same_slope = fixed.same_slope;
    m.same_margin = 0;
    m.alike_mid = fixed.alike_mid;
    m.alike_slope = fixed.alike_slope;
    std::vector<double> all_negatives = negatives;
    all_negatives.insert(all_negatives.end(), different_marks.begin(), different_marks.end());
    if (!all_negatives.empty()) {
        const double placed =
            quantile(all_negatives, 0.99) + (m.whitened ? kSameMarginWhitened : kSameMarginPlain);
        m.same_mid = m.whitened ? placed : std::max(fixed.same_mid, placed);
        m.same_slope = m.whitened ? kSameSlopeWhitened : kSameSlopePlain;
    }
    m.positives = static_cast<int>(positives.size());
    // The same-picture curve is fitted against the best other image of each query (what the top
    // result is when it is not the picture sought) and the pairs marked different, on the score
    // and its margin. A library too small to whiten is too small to fit on too: the plain curve
    // stays placed.
    learn_score_curves(m,
                       {std::move(best_other), std::move(positives), std::move(hardest), std::move(alike_marks),
                        std::move(different_marks)},
                       m.whitened);
    if (m.same_margin == 0) m.alike_mid = std::min(m.alike_mid, m.same_mid);  // likely the same: alike
    m.negatives = static_cast<int>(all_negatives.size());
    m.source = c.model.marks ? "library+marks" : all_negatives.empty() ? "default" : "library";
    return c;
}

Result<std::optional<SearchSpaceCalibration>> read_search_calibration(CatalogDb& db, const std::string& model_id,
                                                                      std::int64_t adapter_version, int dim) {
    auto row = db.search_calibration(model_id, adapter_version);
    if (!row) return row.error();
    if (!*row) return std::optional<SearchSpaceCalibration>();
    SearchSpaceCalibration c;
    c.model_id = (*row)->model_id;
    c.adapter_version = (*row)->adapter_version;
    c.images = (*row)->images;
    c.built = (*row)->built;
    auto model = ScoreModel::from_json((*row)->calibration);
    if (!model) return std::optional<SearchSpaceCalibration>();  // damaged: relearned
    c.model = *model;
    if (!(*row)->whitening.empty()) {
        auto w = Whitening::deserialize((*row)->whitening);
        if (!w || w->in_dim() != dim || w->out_dim() != dim) return std::optional<SearchSpaceCalibration>();
        c.set_whitening(std::move(*w));
    }
    if (c.whitening.has_value() != c.model.whitened) return std::optional<SearchSpaceCalibration>();
    return std::optional<SearchSpaceCalibration>(std::move(c));
}

Status store_search_calibration(CatalogDb& db, const SearchSpaceCalibration& c) {
    CatalogSearchCalibration row;
    row.model_id = c.model_id;
    row.adapter_version = c.adapter_version;
    row.images = c.images;
    if (c.whitening) row.whitening = c.whitening->serialize();
    row.calibration = c.model.to_json();
    row.built = c.built;
    return db.store_search_calibration(row);
}

}  // namespace rv
