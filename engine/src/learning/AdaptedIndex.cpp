// The index of the active adapter version: re-projected from the stored features (the CNN never
// runs again), saved in a file of its own, loaded or rebuilt when the library opens, and swapped
// in whole when another version becomes active.
#include <charconv>
#include <cstdio>
#include <system_error>

#include "index/LibraryIndexParams.h"
#include "learning/LearningAccess.h"
#include "library/IndexLock.h"
#include "ruvision/engine/Library.h"

namespace rv {

namespace fs = std::filesystem;

namespace {

constexpr const char* kActiveKey = "adapter.active";
constexpr std::size_t kBatchRows = 4096;
// Graph reuse (HnswIndex::reuse_graph): re-link passes and fan-out, and the self-check recall@10
// under which the adapted index is built anew instead. Chosen with bench_adapter_swap --seed 1
// (README, "Speed"); the figures reported there are of seed 2.
constexpr int kReuseRelinkRounds = 1;
constexpr int kReuseFanout = 16;
constexpr double kMinReuseRecall = 0.9;
// Graph reuse only for adapters that move the features little enough: the mean cosine between a
// feature and its image, over the first kCosineSample features, at least this. A random strong
// adapter (0.68) kept the self-check at 1.000 and near queries at 1.000 but lost recall@10 on far
// queries at 100k (0.89 against a full build's 0.995; bench_adapter_swap), which the self-check's
// probes near the data do not see. Versions learned from marks are structured stretches: on
// Fashion-MNIST features (9,000 indexed, 200 held-out queries, closed-form versions from 1000,
// 2000 and 3900 marks moving features to 0.96, 0.88 and 0.79) the reused graph's recall@10 was
// 1.000, 1.000 and 0.998 (full builds 1.000). The bar lies between the two.
constexpr double kMinReuseCosine = 0.75;
constexpr std::size_t kCosineSample = 2000;

// Mean cosine between the first kCosineSample stored features and their images through `base`.
Result<double> moved_cosine(CatalogDb& db, const std::string& model_id, int dim, const LowRankAdapter& base) {
    std::vector<float> y(static_cast<std::size_t>(dim));
    double sum = 0;
    std::size_t n = 0;
    auto st = db.for_each_feature(model_id, [&](std::int64_t, const float* v, int d) {
        if (d != dim) return true;
        base.apply(v, y.data());
        double c = 0;
        for (int k = 0; k < dim; ++k) c += double(v[k]) * y[k];
        sum += c;
        return ++n < kCosineSample;
    });
    if (!st) return st.error();
    return n ? sum / double(n) : 1.0;
}

std::int64_t parse_version(const std::string& text) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && ptr == text.data() + text.size() && v > 0 ? v : -1;
}

// Removes the index files of every adapter version but `keep` (0: all of them).
void remove_other_adapted_files(const fs::path& dir, std::int64_t keep) {
    std::error_code ec;
    const std::string kept = keep > 0 ? adapted_index_file(keep) : std::string();
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("vectors.adapter", 0) != 0 || name == kept) continue;
        std::error_code rm;
        fs::remove(it->path(), rm);
    }
}

}  // namespace

std::string adapted_index_file(std::int64_t version) { return "vectors.adapter" + std::to_string(version) + ".rvi"; }

std::string adapted_model_id(const std::string& model_id, std::int64_t version) {
    return model_id + "@adapter" + std::to_string(version);
}

namespace {

// Every stored feature of `model_id` in `db` through `base` into a new HNSW index.
Result<std::shared_ptr<VectorIndex>> build_adapted(CatalogDb& db, const std::string& model_id, int dim,
                                                   std::int64_t version, const LowRankAdapter& base,
                                                   std::size_t total, const std::atomic<bool>& cancel,
                                                   const ReprojectProgress& progress) {
    auto index = std::make_shared<HnswIndex>(dim, adapted_model_id(model_id, version), library_hnsw_params());
    std::vector<std::int64_t> ids;
    std::vector<float> rows, adapted;
    std::size_t done = 0;
    Status add_status;
    auto flush = [&]() -> Status {
        if (ids.empty()) return Status::success();
        adapted.resize(rows.size());
        base.apply_rows(rows.data(), adapted.data(), ids.size());
        Status st = index->add_batch(ids.size(), ids.data(), adapted.data());
        done += ids.size();
        ids.clear();
        rows.clear();
        if (progress) progress(done, std::max(total, done));
        return st;
    };
    auto st = db.for_each_feature(model_id, [&](std::int64_t id, const float* v, int d) {
        if (cancel) return false;
        if (d != dim) return true;  // damaged: open() reports it, the next index run embeds it again
        ids.push_back(id);
        rows.insert(rows.end(), v, v + d);
        if (ids.size() >= kBatchRows && !(add_status = flush())) return false;
        return true;
    });
    if (!st) return st.error();
    if (!add_status) return add_status.error();
    if (cancel) return Error{"cancelled"};
    if (auto s = flush(); !s) return s.error();
    return std::shared_ptr<VectorIndex>(std::move(index));
}

}  // namespace

Result<Reprojected> reproject(CatalogDb& db, const VectorIndex& plain, const std::string& model_id, int dim,
                              std::int64_t version, const LowRankAdapter& base, const std::atomic<bool>& cancel,
                              const ReprojectProgress& progress) {
    auto counts = db.counts();
    if (!counts) return counts.error();
    const auto total = static_cast<std::size_t>(std::max<std::int64_t>(0, counts->indexed));
    Reprojected out;
    const auto* hnsw = dynamic_cast<const HnswIndex*>(&plain);
    if (!hnsw) {
        out.how = "built (the plain index is not a graph)";
    } else if (plain.model_id() != model_id || plain.dim() != dim || plain.size() != total) {
        out.how = "built (the plain index does not hold the catalog's features)";
    } else if (auto moved = moved_cosine(db, model_id, dim, base); !moved) {
        return moved.error();
    } else if (*moved < kMinReuseCosine) {
        char figure[128];
        std::snprintf(figure, sizeof figure, "built: the adapter moves features too far for graph reuse (mean cosine %.3f)",
                      *moved);
        out.how = figure;
    } else {
        // The plain index holds the same features: its graph, re-linked under the adapted
        // vectors, serves unless the adapter moved them too far (self-check below the bar).
        GraphReuseParams rp;
        rp.threads = library_hnsw_params().build_threads;
        rp.relink_rounds = kReuseRelinkRounds;
        rp.fanout = kReuseFanout;
        rp.seed = static_cast<std::uint64_t>(version);
        rp.cancel = &cancel;
        if (progress) progress(0, total);
        auto reused = hnsw->reuse_graph(
            adapted_model_id(model_id, version),
            [&base](const float* in, float* y, std::size_t n) { base.apply_rows(in, y, n); }, rp);
        if (cancel) return Error{"cancelled"};
        char figures[96];
        if (reused) {
            std::snprintf(figures, sizeof figures, "mean cosine moved %.3f, self-check recall@10 %.3f",
                          reused->mean_cosine, reused->self_recall);
            if (reused->self_recall >= kMinReuseRecall) {
                if (progress) progress(total, total);
                out.index = std::shared_ptr<VectorIndex>(std::move(reused->index));
                out.how = std::string("graph reused: ") + figures;
                return out;
            }
            out.how = std::string("built: the reused graph fell short (") + figures + ")";
        } else {
            out.how = "built: graph reuse failed (" + reused.error().message + ")";
        }
    }
    auto built = build_adapted(db, model_id, dim, version, base, total, cancel, progress);
    if (!built) return built.error();
    out.index = std::move(*built);
    return out;
}

Status Library::load_or_rebuild_adapted(bool plain_rebuilt) {
    auto active = std::make_shared<ActiveAdapter>();
    auto meta = catalog_->get_meta(kActiveKey);
    if (!meta) return meta.error();
    const std::int64_t version = *meta ? parse_version(**meta) : 0;
    const int dim = index_->dim();
    auto fast_row = catalog_->fast_adapter();
    if (!fast_row) return fast_row.error();
    // A problem with the active version never keeps the library from opening: it searches without.
    auto without = [&](const std::string& why) {
        active->state = why + "; searching without it";
        set_active(active);
        return Status::success();
    };
    if (version < 0) return without("meta adapter.active is not a version number (\"" + **meta + "\")");
    if (version > 0) {
        auto row = catalog_->adapter(version);
        if (!row) return row.error();
        const std::string name = "adapter version " + std::to_string(version);
        if (!*row) return without(name + " is not in the catalog");
        if ((*row)->model_id != model_id_)
            return without(name + " was learned for model " + (*row)->model_id + ", the library uses " + model_id_);
        auto base = parse_adapter((*row)->params.data(), (*row)->params.size());
        if (!base) return without(name + ": " + base.error().message);
        if (base->dim != dim) return without(name + " has " + std::to_string(base->dim) + " dimensions, not " +
                                             std::to_string(dim));
        active->version = version;
        active->base = std::move(*base);
        const fs::path file = dir_ / adapted_index_file(version);
        std::string why;
        std::error_code ec;
        if (plain_rebuilt) {
            why = "the plain index was rebuilt";
        } else if (!fs::exists(file, ec)) {
            why = "its index file is missing";
        } else {
            auto loaded = load_library_index(file.string(), dim, adapted_model_id(model_id_, version));
            if (!loaded) {
                why = loaded.error().message;
            } else if ((*loaded)->size() != index_->size()) {
                why = "its index file is stale (" + std::to_string((*loaded)->size()) + " vectors, the plain index " +
                      std::to_string(index_->size()) + ")";
            } else {
                active->index = std::shared_ptr<VectorIndex>(std::move(*loaded));
                active->state = "ok (" + std::to_string(active->index->size()) + " vectors)";
            }
        }
        if (!active->index) {
            // In memory only, like the plain index: only a writer that holds the index lock saves.
            const std::atomic<bool> never{false};
            auto built = reproject(*catalog_, *index_, model_id_, dim, version, active->base, never, {});
            if (!built) return built.error();
            active->index = std::move(built->index);
            active->state = "rebuilt from the catalog (" + std::to_string(active->index->size()) + " vectors, " +
                            built->how + "): " + why;
        }
    }
    if (*fast_row && (*fast_row)->base_version == version) {
        auto fast = parse_adapter((*fast_row)->params.data(), (*fast_row)->params.size());
        if (fast && fast->dim == dim) {
            active->fast = std::move(*fast);
            active->fast_marks = (*fast_row)->marks;
        }
    }
    set_active(active);
    return Status::success();
}

Status activate_version(Library& lib, std::int64_t version, const std::atomic<bool>& cancel,
                        const ReprojectProgress& progress, const std::function<Status(CatalogDb&)>& in_commit) {
    if (auto st = LearningAccess::check_writable(lib, "activating an adapter version"); !st) return st;
    CatalogDb& db = LearningAccess::catalog(lib);
    const fs::path& dir = LearningAccess::dir(lib);
    const int dim = LearningAccess::dim(lib);
    auto lock = IndexLock::take(dir);
    if (!lock) return lock.error();
    auto active = std::make_shared<ActiveAdapter>();
    active->version = version;
    if (version > 0) {
        auto row = db.adapter(version);
        if (!row) return row.error();
        if (!*row)
            return Error{"library " + dir.string() + ": no adapter version " + std::to_string(version) +
                         " (ruvision-cli adapters lists them)"};
        if ((*row)->model_id != lib.model_id())
            return Error{"adapter version " + std::to_string(version) + " was learned for model " + (*row)->model_id +
                         ", the library uses " + lib.model_id()};
        auto base = parse_adapter((*row)->params.data(), (*row)->params.size());
        if (!base) return Error{"adapter version " + std::to_string(version) + ": " + base.error().message};
        if (base->dim != dim)
            return Error{"adapter version " + std::to_string(version) + " has " + std::to_string(base->dim) +
                         " dimensions, the library's features " + std::to_string(dim)};
        active->base = std::move(*base);
        auto built = reproject(db, LearningAccess::plain_index(lib), lib.model_id(), dim, version, active->base,
                               cancel, progress);
        if (!built) return built.error();
        active->index = std::move(built->index);
        // The file first: the catalog names the version active only once its index is on disk.
        if (auto st = active->index->save_if_changed((dir / adapted_index_file(version)).string()); !st) return st;
        active->state = "ok (" + std::to_string(active->index->size()) + " vectors, " + built->how + ")";
    }
    auto tx = db.begin();
    if (!tx) return tx.error();
    if (version > 0) {
        if (auto st = db.set_meta(kActiveKey, std::to_string(version)); !st) return st;
    } else if (auto st = db.remove_meta(kActiveKey); !st) {
        return st;
    }
    // The fast adapter learned on top of the previous base: its marks are in the new one.
    if (auto st = db.clear_fast_adapter(); !st) return st;
    if (in_commit)
        if (auto st = in_commit(db); !st) return st;
    if (auto st = tx->commit(); !st) return st;
    LearningAccess::set_active(lib, active);
    remove_other_adapted_files(dir, version);
    // Searches score in the new space from now on: its whitening and score curves are learned and
    // stored now (edited views embedded by the writer). Best effort: the activation stands if this
    // fails or is cancelled, and the next search learns them in memory instead.
    if (auto st = lib.update_search_calibration(cancel); !st) {
    }
    return Status::success();
}

}  // namespace rv
