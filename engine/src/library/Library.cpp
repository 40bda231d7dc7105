// Library: opening (and rebuilding the index), roots and status. The indexing job is in
// IndexJob.cpp, search in Search.cpp, near-duplicates in Duplicates.cpp, the adapted index in
// src/learning/AdaptedIndex.cpp.
#include "ruvision/engine/Library.h"

#include "index/LibraryIndexParams.h"
#include "library/ViewIndex.h"  // weak-edit twins (i13-twins): the regions' and twins' indexes

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

namespace rv {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCatalogFile = "catalog.sqlite";
constexpr const char* kIndexFile = "vectors.rvi";
// How long an opening waits for another process's opening (creation, migration) of the library.
constexpr int kOpenWaitMs = 60'000;

// An flock on the library folder itself, held while a process opens the catalog: exclusive for
// writers (which may create or migrate it, or change its model), shared for readers. Two creators
// therefore never race SQLite's first journal-mode switch (which fails at once with "busy"), and a
// reader never meets a half-created catalog. Released when the object dies, or by the kernel when
// the process does. Where the file system has no flock (ENOLCK, EINVAL) nothing is held.
class FolderLock {
public:
    static Result<FolderLock> take(const fs::path& dir, bool exclusive) {
        const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return Error{"library " + dir.string() + ": cannot open the folder (" + std::strerror(errno) + ")"};
        for (int waited = 0; ::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0;) {
            if (errno == EINTR) continue;
            if (errno != EWOULDBLOCK) break;  // no flock here: go on without
            if (waited >= kOpenWaitMs) {
                ::close(fd);
                return Error{"library " + dir.string() + ": another process has been opening it for more than " +
                             std::to_string(kOpenWaitMs / 1000) + " s"};
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            waited += 20;
        }
        return FolderLock(fd);
    }
    FolderLock(FolderLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    FolderLock& operator=(FolderLock&&) = delete;
    ~FolderLock() {
        if (fd_ >= 0) ::close(fd_);
    }

private:
    explicit FolderLock(int fd) : fd_(fd) {}
    int fd_;
};

// Why this process may not write `path` ("" if it may). access() answers for the real user, also
// EROFS for root on a read-only mount.
std::string why_not_writable(const fs::path& path) {
    if (::access(path.c_str(), W_OK) == 0 || errno == ENOENT) return {};
    return std::strerror(errno);
}

// `inner` lies strictly inside `outer` (both canonical).
bool is_inside(const fs::path& inner, const fs::path& outer) {
    const std::string i = inner.string(), o = outer.string();
    if (i.size() <= o.size()) return false;
    if (o == "/") return i[0] == '/';
    return i.compare(0, o.size(), o) == 0 && i[o.size()] == '/';
}

}  // namespace

fs::path canonical_root(const fs::path& folder) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(folder, ec), ec);
    if (ec) p = fs::absolute(folder, ec).lexically_normal();
    std::string s = p.string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

Library::~Library() = default;
const std::string& Library::model_id() const { return model_id_; }
Embedder& Library::embedder() { return *embedder_; }
CatalogDb& Library::catalog() { return *catalog_; }

Result<std::unique_ptr<Library>> Library::open(const fs::path& dir, std::string_view model) {
    return open(dir, LibraryAccess::Create, model);
}

Result<std::unique_ptr<Library>> Library::open(const fs::path& dir, LibraryAccess access, std::string_view model,
                                               std::optional<Precision> precision) {
    const std::string where = "library " + dir.string();
    if (access == LibraryAccess::Read && (!model.empty() || precision))
        return Error{where + ": opened for reading, it keeps its model (only indexing changes a library's model)"};
    std::error_code ec;
    const fs::path catalog_file = dir / kCatalogFile;
    if (access != LibraryAccess::Create && !fs::exists(catalog_file, ec))
        return Error{"no library at " + dir.string() +
                     (fs::is_directory(dir, ec) ? " (the folder holds no " + std::string(kCatalogFile) + ")" : "")};
    if (access == LibraryAccess::Create && !fs::is_directory(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec || !fs::is_directory(dir))
            return Error{where + ": cannot create the folder" + (ec ? " (" + ec.message() + ")" : std::string())};
    }
    if (access != LibraryAccess::Read) {
        std::string why = why_not_writable(dir);
        for (const char* f : {kCatalogFile, kIndexFile})
            if (why.empty()) why = why_not_writable(dir / f);
        if (!why.empty()) return Error{where + " is read-only: indexing needs write access (" + why + ")"};
    }

    std::unique_ptr<Library> lib(new Library());
    lib->dir_ = dir;
    lib->access_ = access;
    auto lock = FolderLock::take(dir, access != LibraryAccess::Read);
    if (!lock) return lock.error();
    const auto mode = access == LibraryAccess::Read     ? CatalogDb::OpenMode::ReadOnly
                      : access == LibraryAccess::Update ? CatalogDb::OpenMode::MustExist
                                                        : CatalogDb::OpenMode::CreateIfMissing;
    auto db = CatalogDb::open(catalog_file, mode);
    if (!db) return db.error();
    lib->catalog_ = std::make_unique<CatalogDb>(std::move(*db));
    auto reader = CatalogDb::open(catalog_file, access == LibraryAccess::Read ? CatalogDb::OpenMode::ReadOnly
                                                                              : CatalogDb::OpenMode::MustExist);
    if (!reader) return reader.error();
    lib->reader_ = std::make_unique<CatalogDb>(std::move(*reader));

    auto stored = lib->catalog_->get_meta("model");
    if (!stored) return stored.error();
    std::string name(model);
    if (name.empty() && *stored) name = **stored;
    auto info = find_model(name);
    if (!info) return Error{where + ": " + info.error().message};
    auto stored_precision = lib->catalog_->get_meta("precision");
    if (!stored_precision) return stored_precision.error();
    Precision chosen = Precision::Fp32;
    if (precision) {
        chosen = *precision;
    } else if (*stored_precision) {
        auto p = parse_precision(**stored_precision);
        if (!p) return Error{where + ": " + p.error().message};
        chosen = *p;
    }
    // The embedder opens before the model and precision are recorded: one the library cannot run
    // (a broken descriptor, no INT8 calibration) leaves the library as it was.
    auto emb = Embedder::open(*info, {}, chosen);
    if (!emb) return Error{where + ": " + emb.error().message};
    // Written only when they change, so opening a library never waits for an indexing process.
    if (access != LibraryAccess::Read && *stored != info->name)
        if (auto st = lib->catalog_->set_meta("model", info->name); !st) return st.error();
    if (access != LibraryAccess::Read && stored_precision->value_or("fp32") != precision_name(chosen))
        if (auto st = lib->catalog_->set_meta("precision", std::string(precision_name(chosen))); !st) return st.error();
    if (access != LibraryAccess::Read)
        if (auto st = lib->normalise_roots(); !st) return st.error();
    { auto released = std::move(*lock); }

    lib->embedder_ = std::move(*emb);
    // Features are named by what made them: an INT8 feature is not an fp32 one.
    lib->model_id_ = info->name + "/" + lib->embedder_->descriptor().str() + (chosen == Precision::Int8 ? "/int8" : "");
    lib->query_embedder_ = lib->embedder_->clone();
    if (auto st = lib->load_or_rebuild_index(); !st) return st.error();
    if (auto st = lib->open_regions(); !st) return st.error();  // search by region (i13-region)
    if (auto st = lib->open_twins(); !st) return st.error();    // weak-edit twins (i13-twins)
    return lib;
}

// Libraries written before roots were canonical may hold a root twice ("/p" and "/p/") or a root
// inside another; their files were then counted twice. Each such root is merged into the root that
// holds it (its files handed over, so the next scan keeps what it finds under the canonical path and
// drops the doubled rows), and a remaining root is renamed to its canonical path. Writes only when
// something is to be done, so that a normal opening never waits for an indexing process.
Status Library::normalise_roots() {
    auto roots = catalog_->roots();
    if (!roots) return roots.error();
    struct Known {
        CatalogRoot root;
        fs::path canonical;
    };
    std::vector<Known> known;
    for (const auto& r : *roots) known.push_back({r, canonical_root(r.path)});
    // Outer roots first, so that a root is merged into the outermost one holding it.
    std::stable_sort(known.begin(), known.end(),
                     [](const Known& a, const Known& b) { return a.canonical.string().size() < b.canonical.string().size(); });
    std::vector<std::pair<std::int64_t, std::int64_t>> merges;  // (from, into)
    std::vector<const Known*> kept;
    for (const auto& k : known) {
        const Known* holder = nullptr;
        for (const Known* o : kept)
            if (o->canonical == k.canonical || is_inside(k.canonical, o->canonical)) holder = o;
        if (holder) merges.emplace_back(k.root.id, holder->root.id);
        else kept.push_back(&k);
    }
    std::vector<const Known*> renames;
    for (const Known* k : kept)
        if (k->root.path != k->canonical.string()) renames.push_back(k);
    if (merges.empty() && renames.empty()) return Status::success();
    auto tx = catalog_->begin();
    if (!tx) return tx.error();
    for (const auto& [from, into] : merges) {
        if (auto st = catalog_->move_root_files(from, into); !st) return st;
        if (auto st = catalog_->remove_root(from); !st) return st;
    }
    for (const Known* k : renames)
        if (auto st = catalog_->rename_root(k->root.id, k->canonical.string()); !st) return st;
    return tx->commit();
}

Status Library::check_writable(std::string_view what) const {
    if (access_ != LibraryAccess::Read) return Status::success();
    return Error{"library " + dir_.string() + ": " + std::string(what) + " needs the library opened for writing"};
}

Status Library::load_or_rebuild_index() {
    const fs::path path = dir_ / kIndexFile;
    const int dim = embedder_->dim();
    std::string why;
    auto counts = catalog_->counts();
    if (!counts) return counts.error();
    // The index files are trusted while the rows they are built from are as they were when they
    // were written (CatalogDb::index_changes): a run killed before it changed anything leaves
    // them usable, one killed after leaves them behind the catalog.
    auto at = catalog_->get_meta("index_at_change");
    if (!at) return at.error();
    auto changes = catalog_->index_changes();
    if (!changes) return changes.error();
    const bool busy = library_is_being_indexed(dir_);
    const std::string busy_why = "the library is being updated by an indexing run in another process";
    files_behind_.clear();
    if (!*at || **at != std::to_string(*changes))
        files_behind_ = busy ? busy_why
                             : "the index files are older than the catalog's last change (an indexing run that "
                               "did not finish)";
    if (!fs::exists(path)) {
        why = busy ? busy_why : counts->indexed ? "the index file is missing" : "";
    } else if (!files_behind_.empty()) {
        why = files_behind_;
    } else {
        auto loaded = load_library_index(path.string(), dim, model_id_);
        if (!loaded) {
            why = loaded.error().message;
        } else if (static_cast<std::int64_t>((*loaded)->size()) != counts->indexed) {
            why = "the index file is stale (" + std::to_string((*loaded)->size()) + " vectors, the catalog has " +
                  std::to_string(counts->indexed) + " indexed files)";
        } else {
            index_ = std::move(*loaded);
            // Another process indexing has changed nothing yet: the file is the catalog as it is.
            index_state_ = "ok (" + std::to_string(index_->size()) + " vectors)" + (busy ? "; " + busy_why : "");
            return load_or_rebuild_adapted(false);
        }
    }
    index_ = std::make_unique<HnswIndex>(dim, model_id_, library_hnsw_params());
    std::vector<std::int64_t> ids;
    std::vector<float> data;
    auto flush = [&]() -> Status {
        Status st = ids.empty() ? Status::success() : index_->add_batch(ids.size(), ids.data(), data.data());
        ids.clear();
        data.clear();
        return st;
    };
    Status add_status;
    auto damaged = [&](std::int64_t id, const std::string& why) { damaged_.push_back({id, {}, why}); };
    auto st = catalog_->for_each_feature(model_id_, [&](std::int64_t id, const float* v, int d) {
        if (d != dim) {
            damaged(id, "the stored feature has " + std::to_string(d) + " values, not " + std::to_string(dim));
            return true;
        }
        ids.push_back(id);
        data.insert(data.end(), v, v + d);
        if (ids.size() >= 4096 && !(add_status = flush())) return false;
        return true;
    }, damaged);
    if (!st) return st;
    if (!add_status || !(add_status = flush())) return add_status;
    for (auto& d : damaged_) {
        auto f = catalog_->file(d.file_id);
        if (!f) return f.error();
        if (*f) d.path = (*f)->path;
        d.reason = d.path + ": " + d.reason + " (embedded again by the next index run)";
    }
    if (why.empty()) {
        index_state_ = "new";
    } else {
        // Rebuilt in memory only: another process may be indexing this library right now, and
        // only an indexing run (which knows the catalog is complete) writes the index file.
        index_state_ = "rebuilt from the catalog (" + std::to_string(index_->size()) + " vectors): " + why;
    }
    return load_or_rebuild_adapted(!why.empty());
}

Status Library::save_index() {
    // Compaction before each save (VectorIndex::compact): an index that cannot be compacted now
    // (out of memory) is saved as it is, whole; the next save tries again. Each file is written
    // only when its index changed since it was loaded or saved (save_if_changed).
    (void)index_->compact();
    if (auto st = index_->save_if_changed((dir_ / kIndexFile).string()); !st) return st;
    if (auto st = save_regions(); !st) return st;  // search by region (i13-region)
    if (auto st = twins_->save(); !st) return st;  // weak-edit twins (i13-twins)
    for (const ViewIndex* views : {regions_.get(), twins_.get()})
        if (auto st = record_views(*catalog_, *views); !st) return st;
    const auto active = active_adapter();
    if (active->index) {
        (void)active->index->compact();
        if (auto st = active->index->save_if_changed((dir_ / adapted_index_file(active->version)).string()); !st) return st;
    }
    // The files now hold the catalog's rows as they are, provided no other process changed them
    // meanwhile: an index run holds IndexLock, and remove_root refuses while another process
    // indexes (forget does not check; a forget beside another process's run can leave the mark on
    // rows this process did not see).
    auto changes = catalog_->index_changes();
    if (!changes) return changes.error();
    if (auto st = catalog_->set_meta("index_at_change", std::to_string(*changes)); !st) return st;
    files_behind_.clear();
    return Status::success();
}

Status Library::index_add(std::int64_t id, const float* v) {
    if (auto st = index_->add(id, v); !st) return st;
    const auto active = active_adapter();
    if (!active->index) return Status::success();
    std::vector<float> adapted(static_cast<std::size_t>(index_->dim()));
    active->base.apply(v, adapted.data());
    return active->index->add(id, adapted.data());
}

Status Library::index_remove(std::int64_t id) {
    index_->remove(id);
    if (const auto active = active_adapter(); active->index) active->index->remove(id);
    if (auto st = regions_remove(id); !st) return st;  // search by region (i13-region)
    return twins_->remove(id);  // weak-edit twins (i13-twins)
}

Result<CatalogDb> Library::open_own_reader() const {
    return CatalogDb::open(dir_ / kCatalogFile, CatalogDb::OpenMode::ReadOnly);
}

std::shared_ptr<const ActiveAdapter> Library::active_adapter() const {
    std::lock_guard lock(active_mutex_);
    return active_;
}

void Library::set_active(std::shared_ptr<const ActiveAdapter> a) {
    std::lock_guard lock(active_mutex_);
    active_ = std::move(a);
}

Result<std::int64_t> Library::root_id(const fs::path& folder) {
    const fs::path want = canonical_root(folder);
    auto roots = catalog_->roots();
    if (!roots) return roots.error();
    std::string holder, list;
    for (const auto& r : *roots) {
        const fs::path have = canonical_root(r.path);
        if (have == want || fs::path(r.path) == folder) return r.id;
        if (is_inside(want, have)) holder = r.path;
        list += (list.empty() ? "" : ", ") + r.path;
    }
    if (!holder.empty())
        return Error{folder.string() + ": not a folder of this library, but inside its folder " + holder};
    return Error{folder.string() + ": not a folder of this library" + (list.empty() ? " (it has none)" : " (its folders: " + list + ")")};
}

Result<RootChange> Library::add_root(const fs::path& folder) {
    if (auto st = check_writable("adding a folder"); !st) return st.error();
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return Error{folder.string() + (fs::exists(folder, ec) ? ": not a folder" : ": no such folder")};
    const fs::path root = canonical_root(folder);
    RootChange change;
    change.root = root.string();
    auto roots = catalog_->roots();
    if (!roots) return roots.error();
    std::vector<CatalogRoot> inside;
    for (const auto& r : *roots) {
        const fs::path have = canonical_root(r.path);
        if (have == root) {
            change.root = r.path;
            change.message = folder.string() + " is already a folder of the library";
            return change;
        }
        if (is_inside(root, have)) {
            change.root = r.path;
            change.message = folder.string() + " is inside " + r.path + ", already a folder of the library";
            return change;
        }
        if (is_inside(have, root)) inside.push_back(r);
    }
    auto tx = catalog_->begin();
    if (!tx) return tx.error();
    auto id = catalog_->add_root(root.string());
    if (!id) return id.error();
    for (const auto& r : inside) {
        if (auto st = catalog_->move_root_files(r.id, *id); !st) return st.error();
        if (auto st = catalog_->remove_root(r.id); !st) return st.error();
        change.absorbed.push_back(r.path);
    }
    if (auto st = tx->commit(); !st) return st.error();
    change.added = true;
    if (!inside.empty()) {
        change.message = root.string() + " holds " + std::to_string(inside.size()) +
                         " folder(s) of the library, which it replaces (their files stay indexed):";
        for (const auto& a : change.absorbed) change.message += " " + a;
    }
    return change;
}

Status Library::forget_ids(const std::vector<std::int64_t>& ids) {
    if (auto st = catalog_->remove_files(ids); !st) return st;
    for (auto id : ids)
        if (auto st = index_remove(id); !st) return st;
    return save_index();
}

Result<std::size_t> Library::remove_root(const fs::path& folder) {
    if (auto st = check_writable("removing a folder"); !st) return st.error();
    auto id = root_id(folder);
    if (!id) return id.error();
    if (library_is_being_indexed(dir_))
        return Error{"library " + dir_.string() + ": another process is indexing it; remove " + folder.string() +
                     " when it has finished"};
    auto files = catalog_->files_under_root(*id);
    if (!files) return files.error();
    std::vector<std::int64_t> ids;
    for (const auto& f : *files) ids.push_back(f.id);
    if (auto st = forget_ids(ids); !st) return st.error();
    if (auto st = catalog_->remove_root(*id); !st) return st.error();
    return ids.size();
}

Status Library::forget(const std::vector<fs::path>& files) {
    if (auto st = check_writable("forgetting files"); !st) return st;
    std::vector<std::int64_t> ids;
    for (const auto& p : files) {
        auto f = catalog_->find_by_path(p.string());
        if (!f) return f.error();
        if (*f) ids.push_back((*f)->id);
    }
    return ids.empty() ? Status::success() : forget_ids(ids);
}

Result<LibraryStatus> Library::status() {
    std::lock_guard lock(reader_mutex_);
    LibraryStatus s;
    auto counts = reader_->counts();
    if (!counts) return counts.error();
    s.counts = *counts;
    auto roots = reader_->roots();
    if (!roots) return roots.error();
    s.roots = std::move(*roots);
    for (auto& r : s.roots)
        if (r.offline.empty()) r.offline = root_unavailable(r.path);
    s.counts.indexed -= static_cast<std::int64_t>(damaged_.size());
    s.counts.errors += static_cast<std::int64_t>(damaged_.size());
    s.model_id = model_id_;
    s.dim = embedder_->dim();
    s.index_size = index_->size();
    s.index_state = index_state_;
    const auto active = active_adapter();
    s.adapter_version = active->version;
    s.adapter_state = active->state;
    s.fast_adapter_marks = active->fast.empty() ? 0 : active->fast_marks;
    return s;
}

Result<std::vector<CatalogFileError>> Library::errors() {
    std::lock_guard lock(reader_mutex_);
    auto out = reader_->errors();
    if (out) out->insert(out->end(), damaged_.begin(), damaged_.end());
    return out;
}

}  // namespace rv
