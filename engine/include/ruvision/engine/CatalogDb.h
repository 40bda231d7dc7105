// The photo catalog of one library: one SQLite file holding the folders the user added, every image
// file seen in them, its indexing status, and the backbone feature of each indexed file.
//
// Threads: a CatalogDb is used by one thread at a time (its cached statements are not shareable).
// Give each thread that needs the catalog its own CatalogDb on the same file; it may be moved to
// another thread between uses. Several objects, in one process or in several, may open the same
// file: the database runs in WAL mode, so readers never block the writer nor the writer the readers;
// writers take turns (a writer waits up to the busy timeout, then gets an Error).
//
// Durability: every call outside a Transaction commits on return. Inside a Transaction nothing is
// visible to others or durable until commit(). A process killed at any moment (kill -9) loses at most
// its uncommitted transaction; the file always reopens consistent. (synchronous=NORMAL: a power cut
// may also roll back the last few commits, never leave a half-written one.)
//
// Invariants kept by every call: a file's feature exists exactly when its status is Indexed; an
// Indexed file has its width, height and model id; an Error file has its reason.
//
// Errors are values: every call returns Status or Result, and each Error names the database file,
// the operation and the reason. Paths are byte strings: what goes in comes back byte for byte
// (non-UTF-8 names included); the catalog never interprets or normalises them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

namespace catalog {
enum class Sql;
class Connection;  // engine/src/catalog: the SQLite connection and its cached statements
}

enum class FileStatus { Pending, Indexed, Error };

// A folder the user added. added_at: Unix time in milliseconds.
struct CatalogRoot {
    std::int64_t id = 0;
    std::string path;
    std::int64_t added_at = 0;
    // Why the last indexing run found the folder offline (missing, not a folder, unreadable,
    // suddenly empty); "" while it is online. Its files stay in the catalog meanwhile.
    std::string offline;
};

// One image file as the catalog knows it. Times: mtime_ns in nanoseconds since the Unix epoch (as the
// scanner read it), updated_at in Unix milliseconds (last change of this row).
struct CatalogFile {
    std::int64_t id = 0;
    std::int64_t root_id = 0;
    std::string path;                         // raw bytes, exactly as given to upsert_file_seen
    std::int64_t size = 0;                    // bytes
    std::int64_t mtime_ns = 0;
    std::optional<std::string> content_hash;  // caller's hash of the content; cleared when the file changes
    std::optional<std::string> full_hash;     // caller's hash of the whole content; cleared likewise
    int width = 0;                            // pixels; 0 until indexed
    int height = 0;
    FileStatus status = FileStatus::Pending;
    std::string error;                        // the reason, when status is Error
    std::string model_id;                     // model + descriptor that produced the feature, when Indexed
    std::int64_t updated_at = 0;
};

struct FileSeen {
    std::int64_t file_id = 0;
    bool changed = false;  // new, or size/mtime differ from the stored row: the file is Pending again
    bool created = false;  // the row did not exist before this call
};

struct CatalogCounts {
    std::int64_t total = 0;
    std::int64_t indexed = 0;
    std::int64_t pending = 0;
    std::int64_t errors = 0;
};

// A person's verdict on a pair of files (schema version 4; "same" since 6). Stored once per
// unordered pair: a < b. verdict "same" (the same picture) | "alike" | "different"; source "search" | "duplicates" | "pairs" | "import"; session the
// search session it came from (0: none); time Unix ms.
struct CatalogMark {
    std::int64_t a = 0, b = 0;  // file ids, a < b
    std::string verdict;
    std::string source;
    std::int64_t session = 0;
    std::int64_t time = 0;
};

// A stored base adapter version (schema version 5, table adapters; the fields are its columns).
// params: serialize_adapter() bytes (Adapter.h); held_out_before / held_out_after: the guard's
// scores (pair_auc) of the version active then and of this one, negative when not measured;
// activated: the guard let it become active; source "learn" | "import" | "tune"; summary JSON text.
struct CatalogAdapter {
    std::int64_t version = 0;  // assigned by insert_adapter: 1, 2, ..., never reused
    std::string model_id;
    int dim = 0, rank = 0;
    std::vector<std::uint8_t> params;
    std::int64_t marks = 0, held_out = 0;
    double held_out_before = -1, held_out_after = -1;
    bool activated = false;
    std::string reason;
    std::string source = "learn";
    std::string summary = "{}";
    std::int64_t created = 0;  // Unix ms
};

// The one fast adapter (table fast_adapter), on top of base version base_version (0: none).
struct CatalogFastAdapter {
    std::int64_t base_version = 0;
    std::vector<std::uint8_t> params;  // serialize_adapter() bytes
    std::int64_t marks = 0;
    std::int64_t time = 0;  // Unix ms
};

// A search session and a pattern of the session memory (schema version 5; SearchSessions.h).
// Vectors are float32 (host byte order), ids int64; the catalog checks only that a blob is a whole
// number of values (else an Error naming the row), not dimensions or values.
struct CatalogSession {
    std::int64_t id = 0;
    std::vector<float> query, refined;  // refined empty: not refined
    std::vector<std::int64_t> shown;    // file ids in the order shown
    std::int64_t query_file = 0;        // 0: outside the library, or the file has left it
    std::int64_t time = 0;              // Unix ms
};
struct CatalogPattern {
    std::int64_t id = 0;
    std::vector<float> centroid, refinement;
    std::int64_t sessions = 0;
    std::int64_t built = 0;  // Unix ms of the clustering
};

// The stored hierarchy (schema version 7, tables hierarchy and hierarchy_nodes; the fields are
// their columns). A node's parent and representative are node ids (parent -1 for the root; file_id
// 0 for a node that is not an image); kind "root" | "group" | "duplicates" | "image".
struct CatalogHierarchyHeader {
    std::string model_id;
    std::int64_t adapter_version = 0;
    int dim = 0;
    double scale = 0;
    std::int64_t next_id = 1;
    std::int64_t built = 0, updated = 0;  // Unix ms
    double mean_distortion = 0, max_distortion = 0, map = 0;
    std::int64_t pairs = 0;
};
// --- regions (i13-region) ---
// One regional descriptor of a file (schema 8's regions table): the box as fractions of the image
// as indexed (EXIF orientation applied), the vector in the space of `model_id`'s features.
struct CatalogRegion {
    int idx = 0;
    float x = 0, y = 0, w = 1, h = 1;
    std::vector<float> vector;  // unit length
};
// --- end regions (i13-region) ---

struct CatalogHierarchyNode {
    std::int64_t id = 0;
    std::int64_t parent = -1;
    std::string kind;
    int depth = 0;
    std::int64_t size = 0;
    std::int64_t representative = -1;
    std::int64_t file_id = 0;
    int position = 0;
    double x = 0, y = 0;
    std::vector<float> centroid;  // empty: none (or not read, or damaged)
    // The stored centroid's size in bytes (0: none), read with or without the centroid: a size that
    // is not the header's dim floats is a damaged centroid (HierarchyStore.h names it). (i13c-catalog)
    std::int64_t centroid_bytes = 0;
};

// --- search calibration (i13-search) ---
// What searches learned about one feature space (schema version 8, table search_calibration; the
// fields are its columns): model_id and adapter_version (0: none) name the space, images how many
// indexed images it was learned on, whitening the Whitening::serialize() bytes (empty: searches
// in this space use the plain cosine, a library too small to whiten), calibration the score
// model's JSON (search/ScoreModel.h), built Unix ms.
struct CatalogSearchCalibration {
    std::string model_id;
    std::int64_t adapter_version = 0;
    std::int64_t images = 0;
    std::string whitening;
    std::string calibration;
    std::int64_t built = 0;
};

struct CatalogFileError {
    std::int64_t file_id = 0;
    std::string path;
    std::string reason;
};

class CatalogDb {
public:
    // Layout version of the database (PRAGMA user_version). Older files are migrated on open; a
    // newer file is refused (a newer RuVision wrote it).
    static constexpr int kSchemaVersion = 11;

    // ReadOnly: an existing catalog, for reading only. Opening never writes (no migration, no
    // journal-mode change), and reading works where SQLite cannot create its side files (a
    // read-only file, folder or mount, another user's folder, a full disk); every write through
    // this object fails with an Error. An older schema is refused (it needs one writer's opening).
    enum class OpenMode { CreateIfMissing, MustExist, ReadOnly };

    // Opens (and with CreateIfMissing creates) the catalog at `file`. A file that is not a SQLite
    // database, is damaged where the open reads it, belongs to another application, or has a newer
    // schema gives an Error naming it. A writer's opening of a file it may not write fails.
    static Result<CatalogDb> open(const std::filesystem::path& file, OpenMode mode = OpenMode::CreateIfMissing);

    CatalogDb(CatalogDb&&) noexcept;
    CatalogDb& operator=(CatalogDb&&) noexcept;
    ~CatalogDb();  // rolls back an open Transaction, closes the connection

    const std::filesystem::path& path() const;
    bool read_only() const;  // opened with OpenMode::ReadOnly
    // How a ReadOnly catalog is read: "" (shared with writers, sees their commits), "immutable" (a
    // snapshot of the file: its side files could not be created and it had no pending WAL) or
    // "exclusive" (the WAL read into private memory; holds a read lock until closed).
    const std::string& read_fallback() const;

    // Groups writes into one atomic commit (BEGIN IMMEDIATE: takes the write lock at once, so a
    // second writer waits at begin, not mid-batch). Destroyed without commit(): rolled back.
    // One Transaction per CatalogDb at a time; it must not outlive the CatalogDb. Calls made while
    // it is open are part of it (each still atomic on its own: a failed call leaves the batch as it
    // was before that call).
    class Transaction {
    public:
        Transaction(Transaction&&) noexcept;
        Transaction& operator=(Transaction&&) noexcept;
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction();

        Status commit();    // durable once this returns ok
        Status rollback();  // explicit; the destructor does the same silently

    private:
        friend class CatalogDb;
        explicit Transaction(catalog::Connection* db) : db_(db) {}
        catalog::Connection* db_ = nullptr;  // not owned; null once committed or rolled back
    };
    Result<Transaction> begin();

    // Roots. add_root of a path already present returns its id. remove_root deletes the root's files
    // and their features.
    Result<std::int64_t> add_root(std::string_view path);
    Status remove_root(std::int64_t root_id);
    // Gives every file of `from_root` to `to_root` (ids, features and status kept): for a root
    // that is replaced by a folder holding it.
    [[nodiscard]] Status move_root_files(std::int64_t from_root, std::int64_t to_root);
    // Changes a root's path (its files keep their rows); the path must not be another root's.
    [[nodiscard]] Status rename_root(std::int64_t root_id, std::string_view path);
    Result<std::vector<CatalogRoot>> roots();
    // Records why a root is offline; an empty reason marks it online again.
    [[nodiscard]] Status set_root_offline(std::int64_t root_id, std::string_view reason);
    // The mount points remembered under a root (raw path bytes, sorted); set_mount_points replaces
    // them atomically. Removing the root forgets them.
    Result<std::vector<std::string>> mount_points(std::int64_t root_id);
    [[nodiscard]] Status set_mount_points(std::int64_t root_id, const std::vector<std::string>& paths);

    // Records that the scanner saw `path` under `root_id` with this size and mtime. New: a Pending
    // row. Same size and mtime: nothing is written. Different: the row goes back to Pending, its
    // feature, hash, dimensions and error are dropped. A path already owned by another root keeps
    // its owner (roots are expected not to nest).
    Result<FileSeen> upsert_file_seen(std::int64_t root_id, std::string_view path, std::int64_t size,
                                      std::int64_t mtime_ns);

    // Stores the file's feature (`dim` float32 values at `v`, copied) and marks it Indexed, in one
    // atomic step. A previous feature is replaced. `rotated` (optional, `dim` values): the feature
    // of the image turned 90 degrees clockwise. Both must be finite unit vectors (vector_problem()
    // in VectorIndex.h): anything else is refused with an Error naming the file id and the value,
    // and the row is left as it was.
    Status mark_indexed(std::int64_t file_id, int width, int height, std::string_view model_id, const float* v,
                        int dim, const float* rotated = nullptr);
    // Marks the file Error with `reason` and drops its feature.
    Status mark_error(std::int64_t file_id, std::string_view reason);
    // Sends the file back to Pending (to be embedded again) and drops its feature; its size, mtime
    // and hashes are kept. For a stored feature found damaged.
    [[nodiscard]] Status mark_pending(std::int64_t file_id);

    Result<std::optional<CatalogFile>> file(std::int64_t file_id);
    Result<std::optional<CatalogFile>> find_by_path(std::string_view path);
    Result<std::vector<CatalogFile>> find_by_hash(std::string_view content_hash);  // by id
    // Sets both hashes (empty = NULL). The library stores a cheap fingerprint in content_hash
    // (the lookup key of find_by_hash) and a hash of the whole file in full_hash.
    Status set_content_hash(std::int64_t file_id, std::string_view content_hash, std::string_view full_hash = {});

    // Moved files, so they need no new forward pass:
    // move_file renames the row in place (id, feature and status kept; the vector index stays
    // valid); `new_path` must not be in the catalog yet. Size and mtime are updated to what the
    // scanner saw at the new place.
    Status move_file(std::int64_t file_id, std::int64_t new_root_id, std::string_view new_path, std::int64_t size,
                     std::int64_t mtime_ns);
    // copy_feature gives `to_id` the Indexed state of `from_id` (feature, dimensions, model id).
    // Refused if `from_id` is not Indexed, or both rows have content hashes and they differ.
    Status copy_feature(std::int64_t from_id, std::int64_t to_id);

    Result<std::vector<CatalogFile>> files_under_root(std::int64_t root_id);  // by id
    // Deletes these rows (and features); ids not in the catalog are ignored. Atomic.
    Status remove_files(std::span<const std::int64_t> file_ids);
    // Up to `limit` Pending files, lowest id first: the indexing job's queue, resumable after a crash.
    Result<std::vector<CatalogFile>> pending_files(int limit);

    Result<CatalogCounts> counts();
    Result<std::vector<CatalogFileError>> errors();  // by path

    // Streams every stored feature of `model_id`, lowest file id first, without loading them all.
    // `v` is valid only during the call. Return false to stop early (the call still returns ok).
    // The callback may read the catalog but must not write to it.
    // A stored row that is damaged (blob size, or not a finite unit vector: a damaged page, a
    // value written by hand) is never visited: it goes to `damaged` (if given) with the reason,
    // and the walk goes on. One bad row never fails the call.
    using FeatureVisitor = std::function<bool(std::int64_t file_id, const float* v, int dim)>;
    using DamagedVisitor = std::function<void(std::int64_t file_id, const std::string& reason)>;
    Status for_each_feature(std::string_view model_id, const FeatureVisitor& visit,
                            const DamagedVisitor& damaged = {});
    // The same for the rotated features (files indexed without one are skipped).
    Status for_each_rotated_feature(std::string_view model_id, const FeatureVisitor& visit,
                                    const DamagedVisitor& damaged = {});
    // One feature, if the file has one; a damaged one is an Error.
    Result<std::optional<std::vector<float>>> feature(std::int64_t file_id);

    // Marks (CatalogMarks.cpp). set_mark stores the verdict on the pair {a, b} (in either order),
    // replacing an earlier one; both must be files of the catalog and differ; verdict and source
    // must be of the values CatalogMark lists. A mark leaves with either file (remove_files,
    // remove_root); move_file keeps it. remove_mark returns whether there was one.
    [[nodiscard]] Status set_mark(std::int64_t a, std::int64_t b, std::string_view verdict, std::string_view source,
                                  std::int64_t session, std::int64_t time_ms);
    [[nodiscard]] Result<bool> remove_mark(std::int64_t a, std::int64_t b);
    // Every mark, oldest first (then by ids).
    [[nodiscard]] Result<std::vector<CatalogMark>> marks();
    [[nodiscard]] Result<std::int64_t> mark_count();

    // Adapter versions (CatalogAdapters.cpp). insert_adapter stores a new version (its `version`
    // field is ignored) and returns the number it was given. The active version is the meta key
    // 'adapter.active' (kept by the library, not here). set_adapter_verdict records the guard's
    // answer (activated, reason) on a stored version.
    [[nodiscard]] Result<std::int64_t> insert_adapter(const CatalogAdapter& a);
    [[nodiscard]] Result<std::vector<CatalogAdapter>> adapters();  // by version
    [[nodiscard]] Result<std::optional<CatalogAdapter>> adapter(std::int64_t version);
    [[nodiscard]] Status set_adapter_verdict(std::int64_t version, bool activated, std::string_view reason);
    [[nodiscard]] Result<std::optional<CatalogFastAdapter>> fast_adapter();
    [[nodiscard]] Status set_fast_adapter(const CatalogFastAdapter& f);
    [[nodiscard]] Status clear_fast_adapter();
    // Sessions and patterns (CatalogSessions.cpp). add_session stores an unrefined session
    // (query_file 0: none; otherwise a file of the catalog) and returns its id; set_session_refined
    // replaces its refined query (an unknown id is an Error). sessions() and patterns() list the
    // rows of `model_id`, sessions oldest first, patterns in insertion order. replace_patterns
    // deletes every pattern (of any model) and inserts these, atomically.
    [[nodiscard]] Result<std::int64_t> add_session(std::string_view model_id, std::span<const float> query,
                                                   std::span<const std::int64_t> shown, std::int64_t query_file,
                                                   std::int64_t time_ms);
    [[nodiscard]] Status set_session_refined(std::int64_t session, std::span<const float> refined);
    [[nodiscard]] Result<std::vector<CatalogSession>> sessions(std::string_view model_id);
    [[nodiscard]] Status replace_patterns(std::string_view model_id, const std::vector<CatalogPattern>& patterns,
                                          std::int64_t built_ms);
    [[nodiscard]] Result<std::vector<CatalogPattern>> patterns(std::string_view model_id);

    // The hierarchy (CatalogHierarchy.cpp). replace_hierarchy deletes the stored one and writes
    // this header and these nodes, atomically (a kill leaves the previous one whole); node kinds
    // and the header's id are checked by the schema. hierarchy_nodes lists every node, in no
    // particular order, with their centroids only when asked (a view needs none) and each one's
    // size always (a blob that is not whole floats is left unread, its size kept). clear_hierarchy
    // forgets it. feature_file_ids lists the files with a stored feature of `model_id`, by id (from
    // the files table, without reading a feature: status 'indexed' holds exactly when one is stored).
    [[nodiscard]] Status replace_hierarchy(const CatalogHierarchyHeader& header,
                                           const std::vector<CatalogHierarchyNode>& nodes);
    [[nodiscard]] Result<std::optional<CatalogHierarchyHeader>> hierarchy_header();
    [[nodiscard]] Result<std::vector<CatalogHierarchyNode>> hierarchy_nodes(bool with_centroids);
    [[nodiscard]] Status clear_hierarchy();
    [[nodiscard]] Result<std::vector<std::int64_t>> feature_file_ids(std::string_view model_id);
    // Indexed files whose row changed after `time_ms` (Unix ms; re-indexed, moved, re-hashed), by id.
    [[nodiscard]] Result<std::vector<std::int64_t>> indexed_files_updated_since(std::int64_t time_ms);

    // --- search calibration (i13-search) --- (CatalogCalibration.cpp) The stored calibration
    // of a space (nullopt: none), and storing one (replacing the space's row). The catalog checks
    // only the columns' rules; the bytes are checked by whoever reads them.
    [[nodiscard]] Result<std::optional<CatalogSearchCalibration>> search_calibration(std::string_view model_id,
                                                                                     std::int64_t adapter_version);
    [[nodiscard]] Status store_search_calibration(const CatalogSearchCalibration& row);
    // --- regions (i13-region) --- (CatalogRegions.cpp)
    // put_regions replaces the file's regions by these, of `model_id`, atomically; each box must
    // lie in [0, 1] and each vector be a finite unit vector of one dimension (else an Error naming
    // the file id and the region, nothing written). clear_regions drops them (a file that failed
    // or is embedded again). Regions leave with their file (remove_files, remove_root).
    [[nodiscard]] Status put_regions(std::int64_t file_id, std::string_view model_id,
                                     const std::vector<CatalogRegion>& regions);
    [[nodiscard]] Status clear_regions(std::int64_t file_id);
    // The regions of one file of `model_id`, by idx (none: empty).
    [[nodiscard]] Result<std::vector<CatalogRegion>> regions(std::int64_t file_id, std::string_view model_id);
    // Streams every region of `model_id` whose file is Indexed with that model, by file id then
    // idx; `v` is valid only during the call; return false to stop. A damaged row (blob size, not
    // a finite unit vector, a box outside the image) is skipped and reported to `damaged`.
    using RegionVisitor = std::function<bool(std::int64_t file_id, int idx, const float* v, int dim)>;
    [[nodiscard]] Status for_each_region(std::string_view model_id, const RegionVisitor& visit,
                                         const DamagedVisitor& damaged = {});
    // Files Indexed with `model_id` that have no region of it (indexed before regions existed), by id.
    [[nodiscard]] Result<std::vector<std::int64_t>> files_without_regions(std::string_view model_id);
    // Regions of `model_id` stored for files Indexed with it.
    [[nodiscard]] Result<std::int64_t> region_count(std::string_view model_id);
    // --- end regions (i13-region) ---
    // --- twins (i13-twins) --- (CatalogTwins.cpp)
    using TwinVisitor = std::function<bool(std::int64_t file_id, int idx, const float* v, int dim)>;
    // put_twins replaces the file's twins by `n` vectors of `dim` floats (row-major, each a finite
    // unit vector) of `model_id`, atomically (idx 0..n-1); a bad one is an Error naming the file
    // and the twin, nothing written. clear_twins drops them. Twins leave with their file.
    [[nodiscard]] Status put_twins(std::int64_t file_id, std::string_view model_id, const float* data, int n, int dim);
    [[nodiscard]] Status clear_twins(std::int64_t file_id);
    // The twins of one file of `model_id`, by idx, row-major (none: empty); *dim set when any.
    // A damaged row is an Error naming the file.
    [[nodiscard]] Result<std::vector<float>> twins(std::int64_t file_id, std::string_view model_id, int* dim);
    // The file's stored feature of the image turned 90 degrees clockwise (mark_indexed's
    // `rotated`) of `model_id`; none: empty. Damaged: an Error naming the file.
    [[nodiscard]] Result<std::vector<float>> quarter_turn(std::int64_t file_id, std::string_view model_id);
    // Streams the rotated features of files Indexed with `model_id` (idx 0), as for_each_twin
    // streams twins; quarter_turn_count counts them.
    [[nodiscard]] Status for_each_quarter_turn(std::string_view model_id, const TwinVisitor& visit,
                                               const DamagedVisitor& damaged = {});
    [[nodiscard]] Result<std::int64_t> quarter_turn_count(std::string_view model_id);
    // Streams every twin of `model_id` whose file is Indexed with that model, by file id then idx;
    // a damaged row goes to `damaged` (if given) and is skipped. visit returns false to stop.
    [[nodiscard]] Status for_each_twin(std::string_view model_id, const TwinVisitor& visit,
                                       const DamagedVisitor& damaged = {});
    // Files Indexed with `model_id` that have no twin of it (indexed before twins existed), by id.
    [[nodiscard]] Result<std::vector<std::int64_t>> files_without_twins(std::string_view model_id);
    // Twins of `model_id` stored for files Indexed with it.
    [[nodiscard]] Result<std::int64_t> twin_count(std::string_view model_id);
    // --- end twins (i13-twins) ---

    // How many times the rows the index files are built from (features, regions, twins) have been
    // inserted, updated or deleted since this count began (schema version 11): kept by triggers,
    // so every writer moves it. Equal counts mean those rows are as they were.
    [[nodiscard]] Result<std::int64_t> index_changes();

    // Library settings (e.g. the current model id, the index state). Values are text.
    Result<std::optional<std::string>> get_meta(std::string_view key);
    Status set_meta(std::string_view key, std::string_view value);
    Status remove_meta(std::string_view key);

    // PRAGMA integrity_check (reads the whole file; for "verify library" and tests).
    Status check_integrity();

private:
    explicit CatalogDb(std::unique_ptr<catalog::Connection> db);
    Status visit_features(catalog::Sql query, std::string_view op, std::string_view model_id,
                          const FeatureVisitor& visit, const DamagedVisitor& damaged);
    std::unique_ptr<catalog::Connection> db_;  // never null except in a moved-from object
};

}  // namespace rv
