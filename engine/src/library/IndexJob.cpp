// Library::index: the indexing job (scan, moved/vanished files, embedding, storing), and the
// lock that keeps it to one process per library.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "library/IndexLock.h"
#include "ruvision/engine/Library.h"

namespace rv {

namespace fs = std::filesystem;

bool library_is_being_indexed(const fs::path& dir) {
    // O_NONBLOCK: a FIFO under that name must not make every command wait.
    const int fd = ::open((dir / kLockFile).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
    ::close(fd);
    return held;
}

namespace {

// What the job learns about one root before touching the catalog.
struct RootScan {
    std::vector<ScannedFile> files;
    std::string offline;  // why the root is offline this run; "" when it was scanned
    std::vector<fs::path> mounts;  // mount points seen under it (another device than their parent)
};

bool is_under(const std::string& path, const std::string& dir) {
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

// Scans a root, or finds it offline: unavailable (missing, not a folder, unreadable), or suddenly
// empty (files are known under it and the scan found no image file at all: an unplugged drive
// whose empty mount point remains looks exactly like this).
Result<RootScan> scan_root(CatalogDb& catalog, const CatalogRoot& root, const ScanOptions& options,
                           std::vector<ScanProblem>* problems, const std::atomic<bool>& cancel) {
    RootScan out;
    out.offline = root_unavailable(root.path);
    if (!out.offline.empty()) return out;
    out.files = scan_images(root.path, options, problems, [&] { return cancel.load(); }, &out.mounts);
    if (out.files.empty() && !cancel) {
        auto known = catalog.files_under_root(root.id);
        if (!known) return known.error();
        if (!known->empty())
            out.offline = "suddenly empty: no image file found where " + std::to_string(known->size()) +
                          " were (an unplugged drive or an unmounted share?)";
    }
    return out;
}

}  // namespace

Result<IndexJobResult> Library::index(const IndexJobParams& params, const std::atomic<bool>& cancel,
                                      const std::function<void(const IndexProgress&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    auto lock = IndexLock::take(dir_);
    if (!lock) return lock.error();
    IndexJobResult result;
    for (const auto& r : params.roots) {
        if (auto st = add_root(r); !st) return st.error();
    }
    auto roots = catalog_->roots();
    if (!roots) return roots.error();
    // From its first change of the catalog's vectors until the index is saved, the index files lag
    // behind the catalog: CatalogDb::index_changes tells (Library::load_or_rebuild_index).

    // 1. Scan every root (or find it offline); then record what is there, notice moved and
    // vanished files. An offline root's files are neither vanished nor the source of a move.
    std::vector<std::vector<ScannedFile>> scanned;
    std::set<std::int64_t> offline;  // root ids
    std::vector<std::string> offline_dirs;  // unmounted nested mount points: their files are kept
    std::set<std::string> seen;
    for (const auto& root : *roots) {
        if (cancel) break;
        std::vector<ScanProblem> problems;
        auto rs = scan_root(*catalog_, root, params.scan, &problems, cancel);
        if (!rs) return rs.error();
        result.scan_problems.insert(result.scan_problems.end(), problems.begin(), problems.end());
        if (cancel) {  // a cancelled scan saw only part: it decides nothing
            scanned.push_back(std::move(rs->files));
            break;
        }
        if (!rs->offline.empty()) {
            auto known = catalog_->files_under_root(root.id);
            if (!known) return known.error();
            offline.insert(root.id);
            result.offline_roots.push_back({root.path, rs->offline, known->size()});
            rs->files.clear();
        }
        if (rs->offline != root.offline)
            if (auto st = catalog_->set_root_offline(root.id, rs->offline); !st) return st.error();
        result.found += rs->files.size();
        for (const auto& f : rs->files) seen.insert(f.path.string());
        if (rs->offline.empty())
            if (auto st = track_mount_points(root, rs->mounts, seen, &offline_dirs, &result); !st) return st.error();
        scanned.push_back(std::move(rs->files));
    }
    // Files the run must neither remove, nor move away, nor try to read: those of offline roots
    // and of unmounted nested mount points.
    auto kept_offline = [&](const CatalogFile& f) {
        if (offline.count(f.root_id)) return true;
        for (const auto& d : offline_dirs)
            if (is_under(f.path, d)) return true;
        return false;
    };
    // A new file can only be a moved one if an indexed file of its size vanished: only such files
    // have their content read now (the others' hashes are taken after embedding, when the file is
    // in the page cache anyway).
    std::set<std::int64_t> vanished_sizes;
    for (const auto& root : *roots) {
        if (cancel) break;  // a cancelled scan saw only part: no file counts as vanished
        if (offline.count(root.id)) continue;
        auto known = catalog_->files_under_root(root.id);
        if (!known) return known.error();
        for (const auto& k : *known)
            if (k.status == FileStatus::Indexed && !seen.count(k.path) && !kept_offline(k)) vanished_sizes.insert(k.size);
    }
    struct Hashes {
        std::string fingerprint, full;  // full: "" until needed
    };
    std::unordered_map<std::string, Hashes> new_hashes;  // path -> hashes read now
    for (std::size_t r = 0; r < scanned.size(); ++r) {
        const auto& root = (*roots)[r];
        auto tx = catalog_->begin();
        if (!tx) return tx.error();
        for (const auto& f : scanned[r]) {
            const std::string p = f.path.string();
            const auto size = static_cast<std::int64_t>(f.size);
            if (vanished_sizes.count(size)) {
                auto existing = catalog_->find_by_path(p);
                if (!existing) return existing.error();
                if (!*existing) {
                    // The cheap fingerprint finds candidates; only the same full hash (the whole
                    // content) makes a move.
                    Hashes& h = new_hashes[p];
                    h.fingerprint = content_fingerprint(f.path);
                    bool moved = false;
                    auto same = h.fingerprint.empty() ? Result<std::vector<CatalogFile>>(std::vector<CatalogFile>())
                                                      : catalog_->find_by_hash(h.fingerprint);
                    if (!same) return same.error();
                    for (const auto& c : *same) {
                        if (c.status != FileStatus::Indexed || !c.full_hash || kept_offline(c) ||
                            seen.count(c.path) || fs::exists(c.path))
                            continue;
                        if (h.full.empty()) h.full = content_full_hash(f.path);
                        if (h.full.empty() || *c.full_hash != h.full) continue;
                        if (auto st = catalog_->move_file(c.id, root.id, p, size, f.mtime_ns); !st) return st.error();
                        ++result.moved;
                        result.moved_paths.emplace_back(c.path, p);
                        moved = true;
                        break;
                    }
                    if (moved) continue;
                }
            }
            auto s = catalog_->upsert_file_seen(root.id, p, size, f.mtime_ns);
            if (!s) return s.error();
        }
        if (auto st = tx->commit(); !st) return st.error();
    }
    // Vanished files leave catalog and index; not after a cancelled scan, which saw only part, and
    // not from an offline root.
    if (!cancel && scanned.size() == roots->size()) {
        for (const auto& root : *roots) {
            if (offline.count(root.id)) continue;
            auto known = catalog_->files_under_root(root.id);
            if (!known) return known.error();
            std::vector<std::int64_t> gone;
            for (const auto& k : *known)
                if (!seen.count(k.path) && !kept_offline(k)) gone.push_back(k.id);
            if (auto st = catalog_->remove_files(gone); !st) return st.error();
            for (auto id : gone)
                if (auto st = index_remove(id); !st) return st.error();
            result.removed += gone.size();
        }
    }

    // 2. Stored features that are damaged (a damaged page, a value written by hand) leave the
    // index and are embedded again; then what needs a forward pass: new or changed files, and
    // files of another model. Files of offline roots wait for their root.
    if (auto st = repair_damaged_features(&result.repaired); !st) return st.error();
    std::vector<std::int64_t> ids;
    std::vector<fs::path> paths;
    for (const auto& root : *roots) {
        if (offline.count(root.id)) continue;
        auto known = catalog_->files_under_root(root.id);
        if (!known) return known.error();
        for (const auto& k : *known) {
            if (kept_offline(k)) continue;
            if (k.status == FileStatus::Pending || (k.status == FileStatus::Indexed && k.model_id != model_id_)) {
                ids.push_back(k.id);
                paths.emplace_back(k.path);
            } else if (k.status == FileStatus::Indexed) {
                ++result.unchanged;
            }
        }
    }
    result.unchanged -= std::min(result.unchanged, result.moved);
    // Extras (regions, i13-region; twins, i13-twins): files indexed before they existed (or whose
    // extras failed) get the missing ones now, in one pass, without a new feature; files of
    // offline roots wait.
    std::vector<std::int64_t> extra_ids;
    std::vector<fs::path> extra_paths;
    std::vector<unsigned char> extra_kinds;
    {
        auto no_regions = catalog_->files_without_regions(model_id_);
        if (!no_regions) return no_regions.error();
        auto no_twins = catalog_->files_without_twins(model_id_);
        if (!no_twins) return no_twins.error();
        std::map<std::int64_t, unsigned char> missing;
        for (std::int64_t id : *no_regions) missing[id] |= kExtraRegions;
        for (std::int64_t id : *no_twins) missing[id] |= kExtraTwins;
        const std::set<std::int64_t> embedding(ids.begin(), ids.end());
        for (const auto& [id, kinds] : missing) {
            if (embedding.count(id)) continue;
            auto f = catalog_->file(id);
            if (!f) return f.error();
            if (!*f || offline.count((*f)->root_id) || kept_offline(**f)) continue;
            extra_ids.push_back(id);
            extra_paths.emplace_back((*f)->path);
            extra_kinds.push_back(kinds);
        }
    }

    // 3. Embed on the workers; store here, in batches. An embedding that is not a finite unit
    // vector becomes that file's error, never a stored feature.
    IndexProgress prog;
    prog.total = paths.size() + extra_paths.size();
    const auto t_embed = std::chrono::steady_clock::now();
    auto tx = catalog_->begin();
    if (!tx) return tx.error();
    int in_batch = 0;
    Status failure;
    EmbedPoolParams pool;
    pool.threads = params.threads;
    pool.rotated = true;
    pool.regions = true;  // search by region (i13-region)
    pool.twins = true;    // weak-edit twins (i13-twins)
    embed_files(*embedder_, paths, pool, cancel, [&](EmbeddedFile&& r) {
        if (!failure) return;
        const std::int64_t id = ids[r.index];
        std::string bad;
        if (r.ok()) {
            bad = vector_problem(r.embedding.data(), static_cast<int>(r.embedding.size()));
            if (bad.empty() && !r.rotated.empty())
                bad = vector_problem(r.rotated.data(), static_cast<int>(r.rotated.size()));
            if (bad.empty() && static_cast<int>(r.embedding.size()) != index_->dim())
                bad = std::to_string(r.embedding.size()) + " values, the index holds " +
                      std::to_string(index_->dim());
        }
        if (r.ok() && bad.empty()) {
            failure = catalog_->mark_indexed(id, r.width, r.height, model_id_, r.embedding.data(),
                                             static_cast<int>(r.embedding.size()),
                                             r.rotated.empty() ? nullptr : r.rotated.data());
            if (failure) {
                auto known = new_hashes.find(r.path.string());
                Hashes h = known != new_hashes.end() ? known->second : Hashes{};
                if (h.fingerprint.empty()) h.fingerprint = content_fingerprint(r.path);
                if (h.full.empty()) h.full = content_full_hash(r.path);
                failure = catalog_->set_content_hash(id, h.fingerprint, h.full);
            }
            if (failure) failure = index_add(id, r.embedding.data());
            if (failure) failure = store_regions(id, r.regions);  // i13-region
            if (failure) failure = store_twins(id, r.twins, r.rotated);  // i13-twins
            ++result.embedded;
        } else {
            failure = catalog_->mark_error(id, r.ok() ? r.path.string() + ": the embedding is not usable (" + bad + ")"
                                                      : r.error);
            if (failure) failure = store_regions(id, {});  // i13-region
            if (failure) failure = store_twins(id, {}, {});  // i13-twins
            ++result.failed;
        }
        if (failure && ++in_batch >= params.commit_every) {
            failure = tx->commit();
            if (failure) {
                auto next = catalog_->begin();
                if (next) tx = std::move(next);
                else failure = next.error();
            }
            in_batch = 0;
        }
        ++prog.done;
        prog.current = r.path;
        prog.errors = result.failed;
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_embed).count();
        prog.images_per_second = s > 0 ? static_cast<double>(prog.done) / s : 0;
        if (progress) progress(prog);
    });
    if (!failure) return failure.error();
    // The missing extras of files that have a feature (regions, i13-region; twins, i13-twins). A
    // file that cannot be read now keeps its feature; it is tried again by the next run.
    EmbedPoolParams extra_pool;
    extra_pool.threads = params.threads;
    extra_pool.regions = true;
    extra_pool.twins = true;
    extra_pool.extras_only = true;
    extra_pool.extras = extra_kinds;
    embed_files(*embedder_, extra_paths, extra_pool, cancel, [&](EmbeddedFile&& r) {
        if (!failure) return;
        if (extra_kinds[r.index] & kExtraRegions) failure = store_regions(extra_ids[r.index], r.regions);
        if (failure && (extra_kinds[r.index] & kExtraTwins)) {
            // The quarter turn stored with the feature goes back into the twin index with them.
            auto turned = catalog_->quarter_turn(extra_ids[r.index], model_id_);
            failure = turned ? store_twins(extra_ids[r.index], r.twins, *turned) : Status(turned.error());
        }
        if (failure && ++in_batch >= params.commit_every) {
            failure = tx->commit();
            if (failure) {
                auto next = catalog_->begin();
                if (next) tx = std::move(next);
                else failure = next.error();
            }
            in_batch = 0;
        }
        ++prog.done;
        prog.current = r.path;
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_embed).count();
        prog.images_per_second = s > 0 ? static_cast<double>(prog.done) / s : 0;
        if (progress) progress(prog);
    });
    if (!failure) return failure.error();
    if (auto st = tx->commit(); !st) return st.error();
    result.cancelled = cancel;
    if (auto st = save_index(); !st) return st.error();

    auto errors = catalog_->errors();
    if (!errors) return errors.error();
    result.errors = std::move(*errors);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

// A folder under a root that was a mount point (another device than its parent) is remembered;
// when it later holds none of the files the catalog has under it (unmounted: missing, or its
// empty mount point remains), it is offline like a root, and stays remembered until its files
// are seen again or the root is removed. A nested mount point that vanishes with files the scan
// still sees elsewhere under it is an ordinary folder change.
Status Library::track_mount_points(const CatalogRoot& root, const std::vector<fs::path>& now,
                                   const std::set<std::string>& seen, std::vector<std::string>* offline_dirs,
                                   IndexJobResult* result) {
    auto remembered = catalog_->mount_points(root.id);
    if (!remembered) return remembered.error();
    std::set<std::string> keep;
    for (const auto& m : now) keep.insert(m.string());
    std::optional<std::vector<CatalogFile>> known;
    for (const auto& m : *remembered) {
        if (keep.count(m)) continue;
        if (!known) {
            auto k = catalog_->files_under_root(root.id);
            if (!k) return k.error();
            known = std::move(*k);
        }
        std::size_t files = 0, visible = 0;
        for (const auto& f : *known)
            if (is_under(f.path, m)) ++files, visible += seen.count(f.path);
        if (files == 0 || visible > 0) continue;  // nothing to keep, or it is there
        keep.insert(m);
        offline_dirs->push_back(m);
        result->offline_roots.push_back(
            {m, "mount point inside " + root.path + " unmounted: none of its files found", files});
    }
    const std::vector<std::string> list(keep.begin(), keep.end());
    if (list != *remembered)
        if (auto st = catalog_->set_mount_points(root.id, list); !st) return st;
    return Status::success();
}

Status Library::repair_damaged_features(std::size_t* repaired) {
    std::set<std::int64_t> damaged;
    auto collect = [&](std::int64_t id, const std::string&) { damaged.insert(id); };
    const int dim = index_->dim();
    auto any = [&](std::int64_t id, const float*, int d) {
        if (d != dim) damaged.insert(id);  // a feature of this model must have its dimension
        return true;
    };
    if (auto st = catalog_->for_each_feature(model_id_, any, collect); !st) return st;
    if (auto st = catalog_->for_each_rotated_feature(model_id_, any, collect); !st) return st;
    for (std::int64_t id : damaged) {
        if (auto st = catalog_->mark_pending(id); !st) return st;
        if (auto st = index_remove(id); !st) return st;
    }
    *repaired = damaged.size();
    std::lock_guard lock(reader_mutex_);
    damaged_.clear();  // every one found at open is among these, now Pending
    return Status::success();
}

}  // namespace rv
