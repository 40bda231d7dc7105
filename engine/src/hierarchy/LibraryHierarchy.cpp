// The library's hierarchy: built from the stored features of the library's model passed through
// the active adapter version's base adapter (the fast adapter is not applied: it moves with every
// mark), brought up to date incrementally when few files came and went, embedded in the disk and
// stored in the catalog (HierarchyStore.h).
#include <chrono>
#include <memory>

#include "hierarchy/HierarchyAccess.h"
#include "hierarchy/HierarchyStore.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv {

namespace {

using hierarchy::Drift;
using hierarchy::Stored;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Every stored feature of `model_id` through `base`, with its file id.
Status read_features(CatalogDb& db, const std::string& model_id, int dim, const LowRankAdapter& base,
                     const std::atomic<bool>& cancel, std::vector<float>* rows, std::vector<std::int64_t>* ids) {
    std::vector<float> y(static_cast<std::size_t>(dim));
    auto st = db.for_each_feature(model_id, [&](std::int64_t id, const float* v, int d) {
        if (cancel) return false;
        if (d != dim) return true;  // another dimension: not this model's space (open() reports it)
        hierarchy::adapt(base, v, y.data(), dim);
        rows->insert(rows->end(), y.begin(), y.end());
        ids->push_back(id);
        return true;
    });
    if (!st) return st;
    if (cancel) return Error{"cancelled"};
    return Status::success();
}

std::string version_text(std::int64_t v) { return v ? "adapter version " + std::to_string(v) : "no adapter"; }

// Why the stored tree cannot be brought up to date incrementally ("" when it can): none stored,
// damaged, or built for another model, adapter version or dimension.
std::string rebuild_reason(const Result<std::optional<Stored>>& stored, const std::string& model_id, int dim,
                           std::int64_t version) {
    if (!stored) return stored.error().message;
    if (!*stored) return "none was stored";
    const Hierarchy& t = (*stored)->tree;
    if (t.model_id != model_id) return "the model changed (" + t.model_id + " to " + model_id + ")";
    if (t.adapter_version != version)
        return "the adapter changed (" + version_text(t.adapter_version) + " to " + version_text(version) + ")";
    if (t.dim != dim) return "the features' dimension changed";
    return {};
}

// "3 added, 2 removed": the drift's non-zero parts (the added are not counted in d.images).
std::string drift_words(const Drift& d) {
    std::string out;
    for (const auto& [count, word] : {std::pair{d.added.size(), "added"}, std::pair{d.gone.size(), "removed"},
                                      std::pair{d.changed.size(), "changed"}}) {
        if (count == 0) continue;
        if (!out.empty()) out += ", ";
        out += std::to_string(count) + " " + word;
    }
    return out;
}

// The same stored tree (not stored again since `header` was read).
bool same_store(const CatalogHierarchyHeader& a, const CatalogHierarchyHeader& b) {
    return a.updated == b.updated && a.built == b.built && a.next_id == b.next_id;
}

// The work of update_hierarchy on `db`, read only: the stored tree brought up to date (or built),
// embedded and measured, not stored. *read_at: when the features were read (the stored row's
// `updated`); *unchanged: the stored tree already fits (nothing was recomputed). The stored tree
// is read without its centroids first: only an incremental update needs them (and a caller that
// keeps an unchanged tree, `centroids_when_unchanged`), so an update that finds nothing changed
// reads no centroid.
Result<Hierarchy> bring_up_to_date(CatalogDb& db, const std::string& model_id, int dim, std::int64_t version,
                                   const HierarchyParams& params, const std::atomic<bool>& cancel,
                                   const HierarchyProgress& progress, HierarchyUpdate* what, std::int64_t* read_at,
                                   bool* unchanged, bool centroids_when_unchanged) {
    const auto t0 = std::chrono::steady_clock::now();
    *unchanged = false;
    *read_at = now_ms();
    auto base = hierarchy::base_adapter(db, version, model_id, dim);
    if (!base) return base.error();
    auto stored = hierarchy::read_stored(db, false);
    // A damaged stored tree is rebuilt, never fatal: the catalog's features are the truth.
    std::string why = rebuild_reason(stored, model_id, dim, version);
    Drift d;
    if (why.empty()) {
        auto dr = hierarchy::drift(db, (*stored)->tree, (*stored)->header, model_id);
        if (!dr) return dr.error();
        d = std::move(*dr);
        const std::size_t changes = d.gone.size() + d.added.size() + d.changed.size();
        if (d.images == 0 && !d.added.empty()) why = "it held no image";
        else if (changes * 4 > d.images)
            why = drift_words(d) + " since it held " + std::to_string(d.images) + " images (more than a quarter)";
    }
    if (why.empty() && (d.any() || centroids_when_unchanged)) {
        auto with_centroids = hierarchy::read_stored(db, true);
        if (with_centroids && *with_centroids && !same_store((*with_centroids)->header, (*stored)->header))
            why = "it was stored again meanwhile";
        else if (std::string bad = rebuild_reason(with_centroids, model_id, dim, version); !bad.empty())
            why = bad;
        else
            stored = std::move(with_centroids);
    }

    Hierarchy h;
    if (why.empty() && !d.any()) {
        h = std::move((*stored)->tree);
        what->rebuilt = false;
        what->nodes = h.nodes.size();
        what->quality.mean_distortion = (*stored)->header.mean_distortion;
        what->quality.max_distortion = (*stored)->header.max_distortion;
        what->quality.map = (*stored)->header.map;
        what->quality.pairs = static_cast<std::size_t>((*stored)->header.pairs);
        what->quality.nodes = h.nodes.size();
        what->reason = "up to date";
        *unchanged = true;
        what->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return h;
    }
    if (!why.empty()) {
        std::vector<float> rows;
        std::vector<std::int64_t> ids;
        if (auto st = read_features(db, model_id, dim, *base, cancel, &rows, &ids); !st) return st.error();
        auto built = build_hierarchy(rows, ids, dim, params, cancel, progress);
        if (!built) return built.error();
        h = std::move(*built);
        h.model_id = model_id;
        h.adapter_version = version;
        h.dim = dim;
        h.built = now_ms();
        what->rebuilt = true;
        what->reason = "built: " + why;
    } else {
        h = std::move((*stored)->tree);
        hierarchy::FeatureSource source(db, *base, dim);
        // A changed file leaves and comes back where its new feature puts it.
        std::vector<std::int64_t> leave = d.gone, enter = d.added;
        leave.insert(leave.end(), d.changed.begin(), d.changed.end());
        enter.insert(enter.end(), d.changed.begin(), d.changed.end());
        if (progress) progress(0, leave.size() + enter.size());
        if (!leave.empty())
            if (auto st = hierarchy_remove(h, leave, source.fn(), params); !st) return st.error();
        std::vector<float> rows;
        std::vector<std::int64_t> ids;
        for (std::int64_t id : enter) {
            if (cancel) return Error{"cancelled"};
            std::vector<float> v = source(id);
            if (v.empty()) continue;  // damaged since: the next index run embeds it again
            rows.insert(rows.end(), v.begin(), v.end());
            ids.push_back(id);
        }
        if (!ids.empty())
            if (auto st = hierarchy_add(h, rows, ids, source.fn(), params); !st) return st.error();
        if (progress) progress(leave.size() + enter.size(), leave.size() + enter.size());
        what->rebuilt = false;
        what->added = d.added.size();
        what->removed = d.gone.size();
        what->reason = "updated: " + std::to_string(d.added.size()) + " added, " + std::to_string(d.gone.size()) +
                       " removed, " + std::to_string(d.changed.size()) + " changed";
    }
    if (cancel) return Error{"cancelled"};
    embed_tree(h);
    what->quality = measure_embedding(h);
    what->nodes = h.nodes.size();
    what->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (cancel) return Error{"cancelled"};
    return h;
}

int library_dim(Library& lib) { return lib.embedder().dim(); }

// load_hierarchy's `stale` for `h`, stored under `header`: built from another model or adapter
// version than the active one, or its images are not the library's indexed files any more.
// Caller holds the reader mutex of `db`.
Result<bool> is_stale(Library& lib, CatalogDb& db, const Hierarchy& h, const CatalogHierarchyHeader& header) {
    if (h.model_id != lib.model_id() || h.adapter_version != lib.active_adapter()->version) return true;
    auto d = hierarchy::drift(db, h, header, lib.model_id());
    if (!d) return d.error();
    return d->any();
}

}  // namespace

Result<HierarchyUpdate> update_hierarchy(Library& lib, const HierarchyParams& params, const std::atomic<bool>& cancel,
                                         const HierarchyProgress& progress) {
    if (auto st = HierarchyAccess::check_writable(lib, "updating the hierarchy"); !st) return st.error();
    CatalogDb& db = HierarchyAccess::writer(lib);
    const std::int64_t version = lib.active_adapter()->version;
    HierarchyUpdate what;
    std::int64_t read_at = 0;
    bool unchanged = false;
    auto h = bring_up_to_date(db, lib.model_id(), library_dim(lib), version, params, cancel, progress, &what,
                              &read_at, &unchanged, false);
    if (!h) return h.error();
    if (unchanged) return what;
    if (auto st = hierarchy::store(db, *h, what.quality, read_at); !st) return st.error();
    return what;
}

Result<Hierarchy> compute_hierarchy(Library& lib, const HierarchyParams& params, const std::atomic<bool>& cancel,
                                    const HierarchyProgress& progress, HierarchyUpdate* what) {
    // A connection of its own: the readers' one stays free for searches meanwhile.
    auto db = CatalogDb::open(lib.catalog().path(), CatalogDb::OpenMode::ReadOnly);
    if (!db) return db.error();
    HierarchyUpdate local;
    std::int64_t read_at = 0;
    bool unchanged = false;
    return bring_up_to_date(*db, lib.model_id(), library_dim(lib), lib.active_adapter()->version, params, cancel,
                            progress, what ? what : &local, &read_at, &unchanged, true);
}

Result<std::optional<Hierarchy>> load_hierarchy(Library& lib, bool with_centroids, bool* stale) {
    std::lock_guard lock(HierarchyAccess::reader_mutex(lib));
    CatalogDb& db = HierarchyAccess::reader(lib);
    std::string damage;
    auto stored = hierarchy::read_stored(db, with_centroids, &damage);
    if (!stored) return stored.error();
    if (!*stored) {
        if (stale) *stale = !damage.empty();
        return std::optional<Hierarchy>();
    }
    if (stale) {
        auto s = is_stale(lib, db, (*stored)->tree, (*stored)->header);
        if (!s) return s.error();
        *stale = *s;
    }
    return std::optional<Hierarchy>(std::move((*stored)->tree));
}

Result<std::optional<bool>> stored_hierarchy_stale(Library& lib, const Hierarchy& h, const StoredHierarchyInfo& info) {
    std::lock_guard lock(HierarchyAccess::reader_mutex(lib));
    CatalogDb& db = HierarchyAccess::reader(lib);
    auto header = db.hierarchy_header();
    if (!header) return header.error();
    if (!*header) return std::optional<bool>();
    const CatalogHierarchyHeader& now = **header;
    if (now.updated != info.updated || now.built != info.built || now.model_id != h.model_id ||
        now.adapter_version != h.adapter_version || now.next_id != h.next_id)
        return std::optional<bool>();  // stored again since `h` was read
    auto s = is_stale(lib, db, h, now);
    if (!s) return s.error();
    return std::optional<bool>(*s);
}

Result<std::optional<StoredHierarchyInfo>> stored_hierarchy_info(Library& lib) {
    std::lock_guard lock(HierarchyAccess::reader_mutex(lib));
    auto header = HierarchyAccess::reader(lib).hierarchy_header();
    if (!header) return header.error();
    if (!*header) return std::optional<StoredHierarchyInfo>();
    return std::optional<StoredHierarchyInfo>(hierarchy::info_of(**header));
}

}  // namespace rv
