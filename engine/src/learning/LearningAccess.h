// What src/learning needs of a Library beyond its public API: the writer's catalog and the
// library's folder, the re-projection of stored features into an adapted index, and the swap of
// the active adapter. Engine-internal.
//
// Threads: everything here runs on the library's writer thread (the one that may call index()),
// never while index() runs; searches on other threads go on throughout (they hold the
// ActiveAdapter they started with).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"

namespace rv {

// Progress of a re-projection: features done out of total (total is the index's size before).
using ReprojectProgress = std::function<void(std::size_t done, std::size_t total)>;

// The model id an adapted index holds: "<model id>@adapter<N>".
std::string adapted_model_id(const std::string& model_id, std::int64_t version);

struct Reprojected {
    std::shared_ptr<VectorIndex> index;
    std::string how;  // "graph reused: <figures>" or "built (<why not reused>)", for the state line
};

// A new index of every stored feature of `model_id` in `db`, each passed through `base`: the
// plain index's graph reused (HnswIndex::reuse_graph) when `plain` holds those features and the
// reused graph passes its self-check, else built anew from the catalog. Damaged or foreign rows
// are skipped (open() reports them). cancel: an Error "cancelled". `plain` is only read.
Result<Reprojected> reproject(CatalogDb& db, const VectorIndex& plain, const std::string& model_id, int dim,
                              std::int64_t version, const LowRankAdapter& base, const std::atomic<bool>& cancel,
                              const ReprojectProgress& progress);

struct LearningAccess {
    static CatalogDb& catalog(Library& lib) { return *lib.catalog_; }
    static const std::filesystem::path& dir(Library& lib) { return lib.dir_; }
    static int dim(Library& lib) { return lib.index_->dim(); }
    static std::size_t plain_size(Library& lib) { return lib.index_->size(); }
    static const VectorIndex& plain_index(Library& lib) { return *lib.index_; }  // thread-safe itself
    static void set_active(Library& lib, std::shared_ptr<const ActiveAdapter> a) { lib.set_active(std::move(a)); }
    static Status check_writable(Library& lib, std::string_view what) { return lib.check_writable(what); }
};

// Makes `version` (0: none) the active one: its index is re-projected from the catalog and saved
// to its own file, then (one catalog transaction) meta 'adapter.active' is set and the fast
// adapter dropped, then the library swaps it in; the other versions' index files are removed.
// Killed at any point, the previous version stays active. Takes the library's index lock.
// `in_commit` (optional) writes more in that same transaction (e.g. the version's verdict).
Status activate_version(Library& lib, std::int64_t version, const std::atomic<bool>& cancel,
                        const ReprojectProgress& progress,
                        const std::function<Status(CatalogDb&)>& in_commit = {});

// Stores `row` as a new version (learn and import both end here): its reason is result.reason, and
// "its activation did not finish" while `pass` holds, so a kill before the activation commits
// leaves a true row. Then, when the guard passed (`pass`), activates it, recording the verdict in
// the activation's own transaction. Sets result.version, .activated and, when the activation
// fails, .reason ("not activated: ... (the guard had passed: ...)", stored too). A failure that is
// not a cancel is an Error: stored_as(version) + ", " + the reason (e.g. "x: version 3 stored").
Status store_version(Library& lib, CatalogAdapter row, bool pass, LearnResult& result, const std::atomic<bool>& cancel,
                     const std::function<void(const LearnProgress&)>& progress,
                     const std::function<std::string(std::int64_t version)>& stored_as);

}  // namespace rv
