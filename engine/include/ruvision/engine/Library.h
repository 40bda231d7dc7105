// A library: the folders a user added, a SQLite catalog and a vector index, in a folder of ours.
//
// Layout of DIR: catalog.sqlite (files, features, roots; see CatalogDb.h), vectors.rvi (the HNSW
// index of the library's model), vectors.adapterN.rvi (the index of the active adapter version N,
// Learning.h), index.lock (held by the process that indexes or learns). The catalog is the truth:
// each index is rebuilt from the stored features whenever it is missing, stale (counts differ),
// corrupt or built for another model (or adapter version).
//
// Identity: a stored feature is named by what produced it, model_id() = network + descriptor
// ("mobilenet_v2/gem3:expand13"); an index by that plus the adapter version applied to the
// features it holds ("mobilenet_v2/gem3:expand13@adapter3", its file header's model id).
//
// Threads: index(), add_root(), remove_root() and forget() run on one thread at a time (the
// writer). search(), duplicates(), status() and errors() may be called from any other thread,
// also while index() runs: they use their own catalog connection and query embedder, and see
// what the writer has committed. The active adapter (Learning.h) is swapped atomically: a search
// holds the version, adapters and index it started with until it returns, so a search running
// while a version is activated answers entirely in the old space or entirely in the new one.
// index() runs its decoding/embedding on params.threads workers
// and reports progress on the calling thread. Two processes may open one library; only one
// indexes at a time (index() takes the library's lock file and fails if another process holds it).
// Opening takes an flock on DIR itself for a moment (exclusive to create, migrate or change the
// model; shared to read), so that concurrent openings never meet a half-made catalog.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/EmbedPool.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Result.h"
#include "ruvision/engine/Scanner.h"
#include "ruvision/engine/SearchCopies.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv {

struct IndexJobParams {
    std::vector<std::filesystem::path> roots;  // added to the library's roots; empty: re-scan the known ones
    ScanOptions scan;
    int threads = 2;
    int commit_every = 32;  // files per catalog transaction
};

// Reported after every file (on the thread that called index()).
struct IndexProgress {
    std::size_t done = 0, total = 0;  // files to embed in this run
    std::filesystem::path current;
    std::size_t errors = 0;
    double images_per_second = 0;
};

// A root whose files could not be seen this run (an unplugged drive, an unmounted share): its
// files stay in the catalog and the index, searchable, until it returns or the root is removed.
struct OfflineRoot {
    std::string path;
    std::string reason;     // missing, not a folder, unreadable, or suddenly empty
    std::size_t files = 0;  // catalog files kept for it
};

struct IndexJobResult {
    std::size_t found = 0;      // image files seen by the scan
    std::size_t embedded = 0;   // decoded and embedded in this run
    std::size_t unchanged = 0;  // already indexed, size and mtime as before
    std::size_t moved = 0;      // new path, known content: feature reused, not re-embedded
    std::size_t removed = 0;    // vanished since the last scan
    std::size_t failed = 0;     // errors in this run
    std::vector<CatalogFileError> errors;  // every file in error in the library now
    std::vector<ScanProblem> scan_problems;
    std::vector<OfflineRoot> offline_roots;  // roots skipped this run, files kept
    // (old path, new path) of each moved file (`moved` of them), raw bytes as in the catalog.
    std::vector<std::pair<std::string, std::string>> moved_paths;
    std::size_t repaired = 0;   // files whose stored feature was damaged: re-embedded this run
    bool cancelled = false;
    double seconds = 0;
};

struct SearchSpaceCalibration;  // search calibration (i13-search): engine-internal (search/SearchCalibration.h)
class ViewIndex;  // regions' and twins' indexes (i13-twins): engine-internal (library/ViewIndex.h)

// One picture of a search: its representative file (the copy with the most pixels) and the other
// files that are the same picture (SearchCopies.h), best score first.
struct SearchResult {
    std::int64_t file_id = 0;
    std::string path;
    float score = 0;  // this file's cosine similarity in the search's space, 1 = identical (for the record)
    int width = 0, height = 0;  // pixels, as indexed
    std::vector<SearchCopy> copies;
    // --- search calibration (i13-search) ---
    // Results are ranked by `ranking`: the whitened cosine in the search's space (the plain
    // cosine in a library too small to whiten; with a fast adapter, plus its change of the
    // cosine). What a person reads: `shown` in [0, 1], made of `same` and `alike`, the
    // probabilities that it is the same picture as the query and that it is alike
    // (search/ScoreModel.h), and `word`: "same picture", "very similar", "related" or "".
    float ranking = 0;
    float shown = 0;
    float same = 0, alike = 0;
    std::string word;
};

// How a search uses what the library learned from the person's marks (Learning.h).
struct SearchOptions {
    // Ignore the active adapter version and the fast adapter: the ranking of the plain features,
    // exactly as with no learning at all.
    bool no_adapter = false;
    // In-session feedback: library files the person said are alike / different to what is sought.
    // The query is refined with Rocchio (Feedback.h) in the active space before searching. A path
    // that is not an indexed library file makes the search an Error naming it.
    std::vector<std::filesystem::path> alike, different;
};

// What search and duplicates answer with: swapped whole (a new version, none, a new fast
// adapter); readers hold a copy while they use it.
struct ActiveAdapter {
    std::int64_t version = 0;  // 0: none (plain features, the plain index)
    LowRankAdapter base;       // empty when version is 0
    LowRankAdapter fast;       // re-ranks the index's candidates on top of base; empty: none
    std::int64_t fast_marks = 0;  // marks the fast adapter has seen
    std::shared_ptr<VectorIndex> index;  // the base-adapted features (null when version is 0)
    std::string state;  // what open() or the activation did about its index
};

// Near-duplicates: star groups (NearDuplicates.h). A group's first file is its centre, and every
// other member scores at least `threshold` with it, among each file's `neighbours` nearest in the
// index; a file is in at most one group. Scores are cosine similarities after PCA whitening learned
// on the library's own features (Whitening.h), and each file's feature of the image turned 90
// degrees is compared too (counting 0.10 less), so rotated copies are found. The default threshold
// (default_duplicate_threshold()) was chosen with bench/bench_duplicates; marks on pairs calibrate it.
// Descriptors only say "similar". A pair whose plain cosine reaches 0.99 joins a group below the
// threshold only if its pixels verify it (PixelVerify.h); and every member is checked on pixels
// against its centre: `verified` says the pixels vouch that it is the same picture (resized,
// re-encoded, turned or mirrored). Only verified members (and the centre) may be offered for the
// trash. Tiny, flat and undecodable files are never verified.
struct DuplicateParams {
    float threshold = -1;       // < 0: the library default
    int neighbours = 16;        // neighbours examined per file
    bool verify_pixels = true;  // false: no decoding; no member is verified (for measurements)
    // false: scores on the active adapter version's features (the whitening learned on them);
    // true: on the plain features, as with no learning.
    bool no_adapter = false;
};

struct DuplicateMember {
    std::int64_t file_id = 0;
    std::string path;
    float score = 0;  // whitened cosine similarity to the group's first member (1 for the first)
    std::int64_t size = 0;  // bytes
    int width = 0, height = 0;  // pixels, as decoded (EXIF orientation applied)
    bool verified = false;      // pixels verified the same picture as the centre (true for the centre)
    float pixel_score = 0;      // structure correlation with the centre on pixels (PixelVerdict), 0 if not compared
    std::string pixel_note;     // why (not) verified, e.g. "flat image (grey deviation 0.0)"
    // How the pixels match the centre's, when verified: turned (orientation & 3) times 90 degrees,
    // mirrored when orientation & 4 (PixelVerdict::orientation); 0 for the centre and unverified.
    int orientation = 0;
    std::int64_t mtime_ns = 0;  // the file's modification time, as the catalog saw it
};

// Members: the centre first, then by score.
struct DuplicateGroup {
    std::vector<DuplicateMember> members;
};

// How a library is opened.
enum class LibraryAccess {
    // An existing library, to search, list duplicates and show status: opening never writes and
    // never changes the model, and it works on a read-only library (folder, files, mount, another
    // user's) and on a full disk. index(), add_root(), remove_root() and forget() fail.
    Read,
    // An existing library, to index it or change its roots (and, with a model, its model). A
    // library its process may not write is refused: "library DIR is read-only: ...".
    Update,
    // Update, creating the library (folder and catalog) if missing.
    Create,
};

// What add_root() did. `message` says it in words for a person ("" when the root was simply
// added).
struct RootChange {
    std::string root;                   // the canonical root the folder belongs to now
    bool added = false;                 // a new root (false: already a root or inside one)
    std::vector<std::string> absorbed;  // former roots inside the new one; their files stay indexed
    std::string message;
};

struct LibraryStatus {
    CatalogCounts counts;  // a file whose stored feature is damaged counts as an error, not indexed
    std::string model_id;
    int dim = 0;
    std::size_t index_size = 0;
    std::string index_state;  // what open() found and did about the index
    std::vector<CatalogRoot> roots;  // offline: as the last index() found it, or unavailable now
    std::int64_t adapter_version = 0;   // the active adapter version (0: none)
    std::string adapter_state;          // its index: what open() or the activation did
    std::int64_t fast_adapter_marks = 0;  // marks the fast adapter has seen (0: none)
};

// --- search by region (i13-region) ---
// A rectangle of an image in fractions of its width and height (0 <= x, x + w <= 1, the same for
// y, h; w and h above 0), of the image as decoded (EXIF orientation applied), as the window shows it.
struct RegionRect {
    double x = 0, y = 0, w = 1, h = 1;
};
// Why `rect` is not a usable rectangle ("" when it is): NaN, outside the image, empty.
std::string region_rect_problem(const RegionRect& rect);
// --- end search by region (i13-region) ---

class Library {
public:
    // Opens the library in `dir` (see LibraryAccess) with the given model (empty: the library's own,
    // or the default model for a new library; Read takes no model). A library built with another
    // model is re-embedded on the next index() (its features are kept until then). A missing
    // library (Read, Update) is "no library at DIR". Several processes may open, and create, one
    // library at once: creating and migrating the catalog take turns under an flock on DIR, and a
    // reader waits for a creation under way.
    // `precision` likewise: the library records the one its features were made with (fp32 for a
    // library that never chose); another one given here re-embeds them on the next index().
    [[nodiscard]] static Result<std::unique_ptr<Library>> open(const std::filesystem::path& dir, LibraryAccess access,
                                                 std::string_view model = {},
                                                 std::optional<Precision> precision = std::nullopt);
    // The same with LibraryAccess::Create (the app creates libraries deliberately).
    [[nodiscard]] static Result<std::unique_ptr<Library>> open(const std::filesystem::path& dir, std::string_view model = {});
    ~Library();

    Result<IndexJobResult> index(const IndexJobParams& params, const std::atomic<bool>& cancel,
                                 const std::function<void(const IndexProgress&)>& progress = {});

    // Top-k pictures most similar to an image (inside the library or not), each file once; scores
    // are cosines, clamped to [-1, 1] (the query must be unit length). Copies of one picture
    // among the results (SearchCopies.h) come as one result with `copies`, ranked by its
    // representative's score; k counts pictures: the index is asked for more files (up to 4k + 32)
    // until k pictures are found or the library has no more. Pixels are decoded, on this thread
    // and one more, only for pairs that pass the copy gates. A search that cannot answer is an
    // Error, never an empty list: nothing indexed with the library's model, a query of another
    // dimension, or an index that found no live file.
    Result<std::vector<SearchResult>> search(const std::filesystem::path& image, int k);
    Result<std::vector<SearchResult>> search(const std::vector<float>& embedding, int k);
    // The same for pixels not in a file (e.g. pasted from the clipboard); the image must be non-empty.
    Result<std::vector<SearchResult>> search(const RgbImage& image, int k);
    // The same with the person's feedback or without the learned adapter (SearchOptions). Without
    // options a search uses the active version and the fast adapter: the index of the active
    // version is asked for its candidates (up to 4k + 32 with a fast adapter) and they are
    // re-ranked with the fast adapter on top; scores are cosines in that space.
    Result<std::vector<SearchResult>> search(const std::filesystem::path& image, int k, const SearchOptions& options);
    Result<std::vector<SearchResult>> search(const std::vector<float>& embedding, int k, const SearchOptions& options);

    // --- search by region (i13-region) --- (region/RegionSearch.cpp)
    // The top-k pictures whose part looks most like `rect` of the image (a library file or any
    // other; pixels for images not in a file): the rectangle's pixels are embedded as a query and
    // searched among the regions stored at indexing (region/RegionDescriptors.h) and the whole
    // images; each file scores its best (its whole image or one of its regions), copies folded as
    // in search(). Plain features (regions are stored in the plain space, not an adapter's). A
    // bad rectangle (region_rect_problem), an unreadable image or a library with nothing indexed
    // is an Error. The image file is decoded large enough for the rectangle to keep the model's
    // input side.
    Result<std::vector<SearchResult>> search_region(const std::filesystem::path& image, const RegionRect& rect, int k);
    Result<std::vector<SearchResult>> search_region(const RgbImage& image, const RegionRect& rect, int k);
    // Regions in the region index, and what was found and done about its file (ViewIndex.h: it
    // is loaded at its first use, not by open()).
    std::size_t region_index_size() const;
    std::string region_index_state() const;
    // --- end search by region (i13-region) ---
    // --- weak-edit twins (i13-twins) --- Twins (augment/EditTwins.h: the image turned +-10
    // degrees, grey) stored at indexing; search() scores each file by the best of its feature and
    // its twins. Twins in the twin index, and what was found and done about its file (loaded at
    // its first use, as the region index).
    std::size_t twin_index_size() const;
    std::string twin_index_state() const;
    // --- end weak-edit twins (i13-twins) ---

    // The adapters searches use now (never null; version 0 when none is active).
    std::shared_ptr<const ActiveAdapter> active_adapter() const;

    // Groups of near-duplicate files, largest groups first. cancel stops early (partial result).
    Result<std::vector<DuplicateGroup>> duplicates(const DuplicateParams& params, const std::atomic<bool>& cancel);
    // The threshold duplicates() uses when none is given: the library's size default, calibrated
    // by the person's marks on copies (ThresholdCalibration.h; learns the whitening when they can).
    float default_duplicate_threshold();

    // Roots are canonical (absolute, symlinks resolved, no trailing slash) and never nested.
    // Adds a folder to the library's roots (index() then scans it). A folder inside a root adds
    // nothing (the message says which root holds it); a folder holding roots replaces them, their
    // files keep their features (not re-embedded).
    [[nodiscard]] Result<RootChange> add_root(const std::filesystem::path& folder);
    // Removes a root and forgets its files (catalog rows, features and index vectors); the
    // files on disk are untouched. Returns how many files were forgotten.
    [[nodiscard]] Result<std::size_t> remove_root(const std::filesystem::path& folder);
    // Forgets files that left the library (e.g. moved to the trash by the user).
    Status forget(const std::vector<std::filesystem::path>& files);

    Result<LibraryStatus> status();
    // Every file in error, by path.
    Result<std::vector<CatalogFileError>> errors();

    const std::string& model_id() const;
    LibraryAccess access() const { return access_; }
    Embedder& embedder();
    CatalogDb& catalog();

    // --- search calibration (i13-search) ---
    // Learns the whitening and score model of the active space (and of the plain one when an
    // adapter is active), with edited views of sampled library images as the same-picture
    // positives, and stores them in the catalog (search_calibration). On the writer thread
    // (after index(), after an adapter activation). A read-only library: an Error.
    [[nodiscard]] Status update_search_calibration(const std::atomic<bool>& cancel);

private:
    friend struct LearningAccess;  // src/learning: activation, fast adapter, index swaps
    friend struct HierarchyAccess;  // src/hierarchy: the reader's catalog and query embedder
    Library() = default;
    Status load_or_rebuild_index();
    // The active version's index, from its file or rebuilt from the catalog (AdaptedIndex.cpp).
    Status load_or_rebuild_adapted(bool plain_rebuilt);
    Status save_index();
    // A vector enters (or leaves) the plain index and, adapted, the active version's index.
    Status index_add(std::int64_t id, const float* v);
    [[nodiscard]] Status index_remove(std::int64_t id);
    // A read-only connection of the caller's own to the catalog (a view index's rebuild, on the
    // thread of its first use).
    Result<CatalogDb> open_own_reader() const;
    void set_active(std::shared_ptr<const ActiveAdapter> a);
    Result<std::int64_t> root_id(const std::filesystem::path& folder);
    Status forget_ids(const std::vector<std::int64_t>& ids);
    // Sends every file whose stored feature is damaged back to Pending (IndexJob.cpp).
    [[nodiscard]] Status repair_damaged_features(std::size_t* repaired);
    // Remembers the root's nested mount points; lists those unmounted now (IndexJob.cpp).
    [[nodiscard]] Status track_mount_points(const CatalogRoot& root, const std::vector<std::filesystem::path>& now,
                                            const std::set<std::string>& seen, std::vector<std::string>* offline_dirs,
                                            IndexJobResult* result);

    [[nodiscard]] Status check_writable(std::string_view what) const;
    [[nodiscard]] Status normalise_roots();

    std::filesystem::path dir_;
    LibraryAccess access_ = LibraryAccess::Read;
    std::unique_ptr<CatalogDb> catalog_;  // the writer's connection (read-only with LibraryAccess::Read)
    std::unique_ptr<Embedder> embedder_;  // the writer's (index()'s) embedder
    std::unique_ptr<VectorIndex> index_;  // plain features; thread-safe itself; the pointer never changes after open()
    // The active adapter version, its index and the fast adapter: replaced whole under
    // active_mutex_ (by the writer's thread), copied by readers.
    mutable std::mutex active_mutex_;
    std::shared_ptr<const ActiveAdapter> active_ = std::make_shared<const ActiveAdapter>();
    std::string model_id_;
    std::string index_state_;  // set by open()
    // Why the index files lag behind the catalog (written before its vectors last changed: an
    // indexing run that did not finish, or one under way in another process); "" when they hold
    // it as it is. Set by open(), cleared by save_index(); the view indexes get it at opening.
    std::string files_behind_;

    // Readers (search, duplicates, status, errors) from any thread, one at a time.
    std::mutex reader_mutex_;
    std::unique_ptr<CatalogDb> reader_;
    std::unique_ptr<Embedder> query_embedder_;
    // Files whose stored feature open() found damaged (left out of the index): reported as errors
    // by status() and errors() until an indexing run embeds them again. Guarded by reader_mutex_.
    std::vector<CatalogFileError> damaged_;
    // --- search calibration (i13-search) --- The calibration the last search used (of its
    // space), reused while fresh; guarded by calibration_mutex_ (Search.cpp).
    std::shared_ptr<const SearchSpaceCalibration> search_space_calibration(const ActiveAdapter& space);
    std::mutex calibration_mutex_;
    std::shared_ptr<const SearchSpaceCalibration> calibration_[2];  // [0]: plain, [1]: adapted
    // Pixel signatures search() decoded to find copies, kept for the next searches (thread-safe).
    CopySignatureCache copy_signatures_;

    // --- search by region (i13-region) --- (region/RegionSearch.cpp)
    // The region index (DIR/regions.rvi, a ViewIndex), set up by open() and loaded or rebuilt
    // from the catalog's regions at its first use (in memory; only index() writes the file, as for
    // the main index); the pointer never changes after open().
    Status open_regions();
    Status save_regions();
    [[nodiscard]] Status regions_remove(std::int64_t file_id);
    // Stores a file's regions (catalog and index); empty: drops them.
    Status store_regions(std::int64_t file_id, const std::vector<CatalogRegion>& regions);
    Result<std::vector<SearchResult>> search_region_vector(const std::vector<float>& query, int k);
    std::unique_ptr<ViewIndex> regions_;  // library/ViewIndex.h; set by open(), never replaced
    // --- end search by region (i13-region) ---
    // --- weak-edit twins (i13-twins) --- (library/TwinSearch.cpp)
    // The twin index (DIR/twins.rvi, plain space), as the region index, holding each file's twins
    // and its quarter turn (the rotated feature the catalog stores with the feature); removed with
    // the file (index_remove).
    Status open_twins();
    // Stores a file's twins (catalog and index; empty: drops them) and puts its quarter turn
    // (`turned`, dim floats; empty: none) in the twin index. The file is Indexed.
    Status store_twins(std::int64_t file_id, const std::vector<float>& twins, const std::vector<float>& turned);
    // The catalog row of `id` as a search candidate with `score`: false when the file left the
    // catalog (or, with `indexed_only`, is not Indexed now). The caller holds reader_mutex_.
    Result<bool> read_candidate(std::int64_t id, float score, bool indexed_only, CopyCandidate* out);
    std::unique_ptr<ViewIndex> twins_;  // set by open(), never replaced
    // --- end weak-edit twins (i13-twins) ---
};

// Held by a process while it indexes a library (an flock on DIR/index.lock, released by the
// kernel when the process dies, also by kill -9).
bool library_is_being_indexed(const std::filesystem::path& dir);

// The file name (in the library's folder) of adapter version N's index: "vectors.adapterN.rvi".
std::string adapted_index_file(std::int64_t version);

// A root as the catalog stores it: absolute, lexically normal, symlinks resolved as far as the path
// exists (std::filesystem::weakly_canonical), no trailing slash.
std::filesystem::path canonical_root(const std::filesystem::path& folder);

// A fast fingerprint of a file's content (size + first and last 64 KiB), hex; "" if unreadable
// or not a regular file. Equal fingerprints only suggest a move: scans with the same white margins
// share them. The move is confirmed by content_full_hash().
std::string content_fingerprint(const std::filesystem::path& path);
// A 128-bit hash of the whole content, streamed (32 hex digits); "" if unreadable, not a regular
// file, or changed while being read. Equal hashes are the same content.
std::string content_full_hash(const std::filesystem::path& path);

}  // namespace rv
