// Library::search: a query vector against the index of the space searches answer in (the active
// adapter version's, or the plain one), with the fast adapter's re-ranking and the person's
// in-session feedback (Rocchio), then copies of one picture folded together (SearchCopies.h).
// The index and the twin index give the candidates; they are re-scored and re-ranked with the
// space's whitening and each file's weak-edit twins (SearchSpaceCalibration::file_score) and
// scored for a person with its score model (search/SearchCalibration.h).
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "augment/EditTwins.h"
#include "learning/LibraryWrites.h"
#include "library/ViewIndex.h"
#include "ruvision/engine/Feedback.h"
#include "ruvision/engine/Library.h"
#include "search/SearchCalibration.h"

namespace rv {

namespace fs = std::filesystem;

namespace {

float dot(const float* a, const float* b, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
    return static_cast<float>(s);
}


// y = the adapter applied to x (dim floats); x itself for an empty adapter (which knows no dim).
void apply(const LowRankAdapter& adapter, const float* x, float* y, int dim) {
    if (adapter.empty()) std::copy(x, x + dim, y);
    else adapter.apply(x, y);
}

}  // namespace

std::shared_ptr<const SearchSpaceCalibration> Library::search_space_calibration(const ActiveAdapter& space) {
    // The caller holds reader_mutex_ (reader_ is used here).
    const VectorIndex& index = space.index ? *space.index : *index_;
    const auto images = static_cast<std::int64_t>(index.size());
    const int slot = space.version ? 1 : 0;
    {
        std::lock_guard lock(calibration_mutex_);
        const auto& c = calibration_[slot];
        if (c && c->model_id == model_id_ && c->adapter_version == space.version && c->fresh(images)) return c;
    }
    std::shared_ptr<const SearchSpaceCalibration> found;
    // A stored row that cannot be read (damaged, another dimension) counts as none.
    if (auto stored = read_search_calibration(*reader_, model_id_, space.version, index.dim());
        stored && *stored && (*stored)->fresh(images))
        found = std::make_shared<const SearchSpaceCalibration>(std::move(**stored));
    if (!found) {
        const std::atomic<bool> never{false};
        CalibrationSample sample;
        sample.rows = kWhitenRowsInSearch;
        auto learned =
            learn_search_calibration(*reader_, index, model_id_, space.version, space.base, images, sample, {}, never);
        if (learned) found = std::make_shared<const SearchSpaceCalibration>(std::move(*learned));
    }
    if (!found) {  // the catalog could not be read: the plain cosine and the fixed curves
        auto plain = std::make_shared<SearchSpaceCalibration>();
        plain->model_id = model_id_;
        plain->adapter_version = space.version;
        plain->model.whitened = false;
        plain->model.same_mid = 1.0 - 5.0 / 150;
        plain->model.same_slope = 150;
        plain->model.alike_mid = 0.9;
        plain->model.alike_slope = 40;
        return plain;  // not cached: the next search tries again
    }
    std::lock_guard lock(calibration_mutex_);
    calibration_[slot] = found;
    return found;
}

Result<std::vector<SearchResult>> Library::search(const fs::path& image, int k) { return search(image, k, {}); }

Result<std::vector<SearchResult>> Library::search(const std::vector<float>& embedding, int k) {
    return search(embedding, k, SearchOptions{});
}

Result<std::vector<SearchResult>> Library::search(const fs::path& image, int k, const SearchOptions& options) {
    std::vector<float> v;
    {
        std::lock_guard lock(reader_mutex_);
        auto e = query_embedder_->embed_file(image);
        if (!e) return e.error();
        v = std::move(*e);
    }
    return search(v, k, options);
}

Result<std::vector<SearchResult>> Library::search(const RgbImage& image, int k) {
    if (image.width <= 0 || image.height <= 0) return Error{"the query image is empty"};
    std::vector<float> v;
    {
        std::lock_guard lock(reader_mutex_);
        auto e = query_embedder_->embed(image);
        if (!e) return Error{"the query image: " + e.error().message};
        v = std::move(*e);
    }
    return search(v, k);
}

Result<std::vector<SearchResult>> Library::search(const std::vector<float>& embedding, int k,
                                                  const SearchOptions& options) {
    const std::string where = "library " + dir_.string();
    if (k < 1) return Error{"search: k must be at least 1 (got " + std::to_string(k) + ")"};
    const int dim = index_->dim();
    if (static_cast<int>(embedding.size()) != dim)
        return Error{where + ": the query has " + std::to_string(embedding.size()) + " values, the index of model " +
                     model_id_ + " " + std::to_string(dim)};
    // Scores are inner products: they are cosines, within [-1, 1], only for unit vectors.
    double norm2 = 0;
    for (float x : embedding) norm2 += static_cast<double>(x) * x;
    if (!std::isfinite(norm2) || std::fabs(norm2 - 1.0) > 1e-3)
        return Error{"search: the query vector is not unit length (squared norm " + std::to_string(norm2) + ")"};

    // The space this search answers in, held until it returns (a swap meanwhile does not touch it).
    const std::shared_ptr<const ActiveAdapter> space =
        options.no_adapter ? std::make_shared<const ActiveAdapter>() : active_adapter();
    const VectorIndex& index = space->index ? *space->index : *index_;
    const bool rerank = !space->fast.empty();
    // The query in the base-adapted space, refined by the person's feedback there.
    std::vector<float> query(static_cast<std::size_t>(dim));
    apply(space->base, embedding.data(), query.data(), dim);

    std::unique_lock lock(reader_mutex_);
    if (!options.alike.empty() || !options.different.empty()) {
        std::vector<std::vector<float>> alike, different;
        for (const auto* list : {&options.alike, &options.different}) {
            for (const auto& p : *list) {
                auto f = learning::find_catalog_file(*reader_, p);
                if (!f) return f.error();
                if (!*f) return Error{p.string() + ": not a file of the library " + dir_.string()};
                auto v = reader_->feature((*f)->id);
                if (!v) return v.error();
                if (!*v || (*f)->model_id != model_id_ || static_cast<int>((*v)->size()) != dim)
                    return Error{p.string() + ": not indexed with the library's model yet (run ruvision-cli index)"};
                std::vector<float> adapted(static_cast<std::size_t>(dim));
                apply(space->base, (*v)->data(), adapted.data(), dim);
                (list == &options.alike ? alike : different).push_back(std::move(adapted));
            }
        }
        std::vector<const float*> a, d;
        for (const auto& v : alike) a.push_back(v.data());
        for (const auto& v : different) d.push_back(v.data());
        query = rocchio(query.data(), dim, a, d);
    }
    std::vector<float> fast_query;
    if (rerank) {
        fast_query.resize(static_cast<std::size_t>(dim));
        apply(space->fast, query.data(), fast_query.data(), dim);
    }

    if (index.size() == 0) {
        auto counts = reader_->counts();
        if (!counts) return counts.error();
        return Error{where + ": nothing to search: no image is indexed with model " + model_id_ +
                     (counts->indexed ? " (its " + std::to_string(counts->indexed) +
                                            " indexed files were indexed with another model; run ruvision-cli index)"
                                      : " (run ruvision-cli index)")};
    }
    // Candidates: the space's index hits and the files of the twin index's hits for the plain
    // query (a turned or grey copy is nearer a twin than the feature); every candidate is
    // re-scored with the space's whitening and its twins (file_score), so the index is asked for
    // the most at once.
    const std::shared_ptr<const SearchSpaceCalibration> calibration = search_space_calibration(*space);
    const std::size_t most = std::min<std::size_t>(index.size(), 4 * static_cast<std::size_t>(k) + 32);
    std::vector<Hit> hits = index.search(query.data(), static_cast<int>(most));
    {
        std::unordered_map<std::int64_t, bool> have;
        for (const Hit& h : hits) have[h.id] = true;
        auto twin_hits = twins_->search_files(embedding.data(), static_cast<std::size_t>(kTwinViewCount + 1) * most);
        if (!twin_hits) return Error{where + ": " + twin_hits.error().message};
        for (const Hit& h : *twin_hits)
            if (have.emplace(h.id, true).second) hits.push_back(h);
    }
    std::unordered_map<std::int64_t, float> cosine;  // file id -> its cosine in the space
    const std::vector<float> whitened_query = calibration->whiten(query.data(), dim);
    std::vector<CopyCandidate> found;
    std::vector<float> adapted(static_cast<std::size_t>(dim)), fast(static_cast<std::size_t>(dim)), twins;
    for (const Hit& hit : hits) {
        CopyCandidate c;
        auto read = read_candidate(hit.id, hit.score, false, &c);
        if (!read) return read.error();
        if (!*read) continue;  // removed since
        if (static_cast<int>(c.feature.size()) != dim) continue;  // cannot be placed in the space
        apply(space->base, c.feature.data(), adapted.data(), dim);
        // The cosine shown is the feature's in the space (a twin's hit score is not it).
        c.score = std::clamp(dot(query.data(), adapted.data(), dim), -1.0f, 1.0f);
        const int views = file_views_in_space(*reader_, model_id_, hit.id, space->base, dim, &twins);
        // Ranked by the whitened score with twins (copies are grouped by it too:
        // CopyCandidate::score); a fast adapter adds its change of the cosine.
        double ranking = calibration->file_score(whitened_query.data(), adapted.data(), twins.data(), views, dim);
        if (rerank) {
            apply(space->fast, adapted.data(), fast.data(), dim);
            const float before = c.score;
            c.score = std::clamp(dot(fast_query.data(), fast.data(), dim), -1.0f, 1.0f);
            ranking += c.score - before;
        }
        cosine[c.file_id] = c.score;
        c.score = static_cast<float>(std::clamp(ranking, -1.0, 1.0));
        found.push_back(std::move(c));
    }
    std::stable_sort(found.begin(), found.end(), [](const CopyCandidate& a, const CopyCandidate& b) {
        return a.score != b.score ? a.score > b.score : a.file_id < b.file_id;
    });
    lock.unlock();  // decoding takes a while: other readers (status, duplicates) go on meanwhile
    const std::atomic<bool> never{false};
    const std::vector<CopyGroup> groups =
        group_copies(found, CopyRule{}, never, &copy_signatures_, nullptr, static_cast<std::size_t>(k));
    if (found.empty())
        return Error{where + ": the index (" + std::to_string(index.size()) +
                     " vectors) found no file still in the catalog; run ruvision-cli index"};
    std::vector<SearchResult> out;
    for (const CopyGroup& g : groups) {
        if (out.size() == static_cast<std::size_t>(k)) break;
        const CopyCandidate& rep = found[g.representative];
        SearchResult r;
        r.file_id = rep.file_id;
        r.path = rep.path;
        r.score = cosine.at(rep.file_id);
        r.width = rep.width;
        r.height = rep.height;
        r.ranking = rep.score;
        // Its margin: its score minus the best candidate's outside its group (ScoreModel.h).
        std::vector<bool> member(found.size(), false);
        member[g.representative] = true;
        for (std::size_t i : g.copies) member[i] = true;
        const auto rival = std::find(member.begin(), member.end(), false);
        const double margin = rep.score - (rival == member.end() ? 0.0 : found[static_cast<std::size_t>(rival - member.begin())].score);
        const ScoreModel& m = calibration->model;
        r.same = static_cast<float>(m.same(rep.score, margin));
        r.alike = static_cast<float>(m.alike(rep.score));
        r.shown = m.shown(rep.score, margin);
        r.word = m.word(rep.score, margin);
        for (std::size_t i = 0; i < g.copies.size(); ++i) {
            const CopyCandidate& c = found[g.copies[i]];
            r.copies.push_back({c.file_id, c.path, cosine.at(c.file_id), c.width, c.height, g.why[i]});
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace rv
