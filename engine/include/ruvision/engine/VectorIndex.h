// Vector index: nearest neighbours of an embedding among the library's embeddings.
//
// Data contract (stated once, holds for every index here):
//  - a vector is dim() contiguous floats; a batch is row-major, n x dim (row i = vector of ids[i]);
//  - vectors are L2-normalised by the caller (the embedder does it) and finite; add/add_batch refuse
//    a vector that is not (vector_problem() below), and never renormalise one;
//  - ids are int64 chosen by the caller (catalog row ids); any value is valid, one vector per id;
//  - score = cosine similarity = inner product of unit vectors, in [-1, 1], higher is closer;
//  - the index copies what it is given: no pointer passed in is kept after a call returns.
//
// Thread-safety (every implementation): all methods may be called from any thread. Searches (and
// size/contains/save) run concurrently with each other; add, add_batch, remove and setters take an
// internal exclusive lock, so they wait for running searches and hold new ones back until done.
// compact() lets searches run while it rebuilds (adds wait) and takes the exclusive lock to swap.
//
// Files: save() writes our own header (magic "RUVIDX01", format version, kind, dim, count, model
// id, payload length, checksum of the payload) followed by the payload, to path + ".tmp", then
// renames it over path, so a crash never leaves a half-written index under path. Format version 2
// (written since issue 14): XXH3-64 checksum, HNSW payload with its vector storage; version 1
// (FNV-1a 64, f32 vectors) still loads. load_index() verifies all of it before any payload byte
// is trusted.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

// How far a stored vector's L2 norm may be from 1 and still count as unit length. float32
// normalisation is exact to ~1e-6; anything farther is damage (a flipped bit, a NaN, a zero vector).
inline constexpr double kUnitNormTolerance = 1e-3;

// HnswIndex::compact rebuilds the graph once its deleted nodes are more than this fraction of its
// nodes. Memory, file size and search work then stay within 1 / (1 - 0.25) = 4/3 of the live
// graph's, and a rebuild (graph inserts only, no image work) costs (1 - f) / f = 3 inserts per
// deleted node: small next to the re-embedding (several forward passes) that made each one.
inline constexpr double kHnswCompactFraction = 0.25;

// Why `dim` floats at v break the data contract ("" when they keep it): a value that is NaN or
// infinite, or a norm farther than kUnitNormTolerance from 1. The reason names the first bad value.
std::string vector_problem(const float* v, int dim);

// How an HnswIndex stores each vector, in memory and in its file (codes in
// src/index/CompactVectors.h); values are part of the file format. Searches and scores are cosines
// of the stored (rounded) vectors, rescored against the f32 query.
//  - F32: 4 x dim bytes, exact;
//  - F16: IEEE binary16, 2 x dim bytes (relative rounding <= 2^-11 per value);
//  - I8: a per-vector scale and dim int8 values, 4 + dim bytes;
//  - Auto: storage_for_dim(dim), chosen when the index is made.
enum class VectorStorage : std::uint32_t { Auto = 0, F32 = 1, F16 = 2, I8 = 3 };

// The most bytes a compact (F16 or I8) vector may take: issue 14's bound.
inline constexpr std::size_t kMaxCompactVectorBytes = 1300;

// The default storage of a dim-vector: F16 when 2 x dim <= kMaxCompactVectorBytes (dim <= 650:
// the default descriptor's 576, 672, centernet's 88), else I8 (1280-d: 1284 bytes). dim <= 0: F32.
VectorStorage storage_for_dim(int dim);
// "f32", "f16", "i8", "auto".
const char* storage_name(VectorStorage storage);

// One search result: the caller's id and its cosine similarity to the query.
struct Hit {
    std::int64_t id = 0;
    float score = 0.0f;
};

// Stored in the file header; values are part of the file format.
enum class IndexKind : std::uint32_t { Hnsw = 1, BruteForce = 2 };

class VectorIndex {
public:
    virtual ~VectorIndex() = default;

    virtual IndexKind kind() const = 0;
    // Floats per vector, fixed at construction.
    virtual int dim() const = 0;
    // The embedding model (and adapter) version the vectors come from, e.g.
    // "mobilenet_v2/gem3:expand13"; saved in the file and checked by load_index.
    virtual const std::string& model_id() const = 0;
    // Number of live (added and not removed) vectors.
    virtual std::size_t size() const = 0;
    // The most a search's score may differ from the cosine of the query and the vector as it was
    // added (the stored vector's rounding; see VectorStorage): 0 when vectors are kept as given.
    // Callers that compare scores at a finer grain score such hits again from their own copy.
    virtual float score_error() const { return 0.0f; }
    virtual bool contains(std::int64_t id) const = 0;

    // Stores v (dim() floats) under id. An id already present has its vector replaced, and a
    // removed id comes back. Fails when v breaks the data contract (vector_problem(), the error
    // names the id) or memory runs out; the index is then unchanged for this id.
    virtual Status add(std::int64_t id, const float* v) = 0;
    // add() for n vectors, data row-major n x dim. If an id occurs twice in the batch, the last
    // row wins. Every row is checked first: one bad vector refuses the whole batch, unchanged.
    // On running out of memory some rows may have been stored and others not.
    virtual Status add_batch(std::size_t n, const std::int64_t* ids, const float* data) = 0;
    // Removes id; false (not an error) if the id is absent or already removed.
    virtual bool remove(std::int64_t id) = 0;

    // The k live vectors with the highest score for q (dim() floats), best first, ties broken by
    // smaller id; fewer than k when the index holds fewer. k <= 0 gives nothing. Approximate
    // for HnswIndex, exact for BruteForceIndex.
    virtual std::vector<Hit> search(const float* q, int k) const = 0;

    // Writes the index to path atomically (see the file comment). The error names the file.
    // Two saves to the same path must not run at the same time.
    virtual Status save(const std::string& path) const = 0;

    // A count of the changes to what the index holds (add, add_batch, remove, a compact that
    // dropped nodes): while it stays the same, so does a file saved of the index.
    virtual std::uint64_t changes() const = 0;
    // save(), unless the file at `path` already holds the index as it is: the index was loaded
    // from that file or last saved to it, nothing has changed since, and the file is the one read
    // or written then (same size and modification time). A rescan that changes nothing then
    // writes no index file (at half a million files with their views: gigabytes).
    Status save_if_changed(const std::string& path);
    // Records that the file at `path` holds the index as it is now (load_index calls it).
    void note_file(const std::string& path);

    // Gives back what removed and replaced vectors still hold, when that is worth a rebuild;
    // returns the number of stored vectors dropped (0: nothing to do). The live ids and their
    // vectors stay as they are. An Error (out of memory) leaves the index as it was, usable.
    // Owners call it before save(), so the file shrinks with the index. Only in memory: the
    // file on disk changes only by save()'s rename.
    virtual Result<std::size_t> compact() { return std::size_t{0}; }

private:
    struct FileMark {
        std::string path;  // "" when no file holds the index as it is
        std::uint64_t changes = 0, size = 0;
        std::int64_t mtime_ns = 0;
    };
    static FileMark mark_of(const std::string& path, std::uint64_t changes);
    std::mutex file_mutex_;
    FileMark file_;
};

// Graph parameters of an HnswIndex (hnswlib's names).
struct HnswParams {
    int M = 16;                       // links per node per layer (2 x M on the bottom layer)
    int ef_construction = 200;        // candidate list while inserting
    int ef_search = 64;               // candidate list while searching (raised to k if smaller)
    std::size_t initial_capacity = 1024;  // vectors before the first growth; grows x2 when full
    int build_threads = 1;            // threads add_batch uses for new ids (1 = reproducible)
    std::uint64_t seed = 100;         // level generator seed
    // How vectors are stored: by default storage_for_dim (f16 for the default descriptor). What
    // needs exact cosines (duplicates) scores the hits again from the catalog (score_error()).
    VectorStorage storage = VectorStorage::Auto;
};

class HnswIndex;

// Graph reuse (HnswIndex::reuse_graph): how the copy is re-linked and checked.
struct GraphReuseParams {
    int threads = 2;
    // Local re-link passes, each choosing every element's links again among its links and the
    // first `fanout` links of each of them, under the new vectors.
    int relink_rounds = 1;
    int fanout = 8;
    // Probes of the self-check (each the midpoint of an element and one of its links); 0: no check.
    std::size_t check_queries = 100;
    std::uint64_t seed = 1;
    const std::atomic<bool>* cancel = nullptr;  // may be null; set: an Error "cancelled"
};

struct GraphReuse {
    std::unique_ptr<HnswIndex> index;
    double mean_cosine = 1;  // between each stored vector and its image: how far the map moved them
    // Recall@10 of the copy for the self-check's probes against an exact scan of its vectors: the
    // measure of whether the reused graph still serves (1 without a check).
    double self_recall = 1;
};

// Approximate index: an hnswlib HierarchicalNSW graph with a cosine distance (1 - dot) computed
// by the kernels' dispatched dot product. Removal marks a vector deleted (hnswlib markDelete), and
// a replaced vector leaves its old node deleted: hnswlib never reuses them; compact() rebuilds
// the graph from the live vectors once they pass kHnswCompactFraction; deleted_count() tells how
// many are held.
class HnswIndex final : public VectorIndex {
public:
    // dim > 0; params as documented on HnswParams (M >= 2, ef_* >= 1, build_threads >= 1).
    HnswIndex(int dim, std::string model_id, HnswParams params = {});
    ~HnswIndex() override;
    HnswIndex(const HnswIndex&) = delete;
    HnswIndex& operator=(const HnswIndex&) = delete;

    IndexKind kind() const override { return IndexKind::Hnsw; }
    int dim() const override;
    const std::string& model_id() const override;
    std::size_t size() const override;
    bool contains(std::int64_t id) const override;
    Status add(std::int64_t id, const float* v) override;
    Status add_batch(std::size_t n, const std::int64_t* ids, const float* data) override;
    bool remove(std::int64_t id) override;
    std::vector<Hit> search(const float* q, int k) const override;
    float score_error() const override;
    std::uint64_t changes() const override;
    Status save(const std::string& path) const override;
    // The same ids, vectors and parameters (M, ef_construction, ef_search, seed) in a graph built
    // anew from the live vectors in their insertion order, on build_threads threads, when
    // deleted_count() > kHnswCompactFraction x the stored nodes; its capacity leaves room for as
    // many deleted nodes as the next compaction allows. Peak memory: this graph plus the new
    // one. Dropped (0 returned) if the index changed meanwhile; the next call tries again.
    Result<std::size_t> compact() override;
    // Stored nodes, deleted ones included: what the graph holds in memory and in its file.
    std::size_t node_count() const;
    // How the vectors are stored (never Auto), and the bytes of one stored vector.
    VectorStorage storage() const;
    std::size_t vector_bytes() const;
    // A copy of this index with its vectors stored as `storage` (Auto: storage_for_dim): the same
    // ids, links, deleted nodes and params, each vector re-encoded (from its decoded values). For
    // a library whose file was written in another storage; peak memory: both graphs.
    Result<std::unique_ptr<HnswIndex>> with_storage(VectorStorage storage) const;

    // Saved with the index. Larger = better recall, slower search.
    void set_ef_search(int ef);
    int ef_search() const;
    // Not saved; 1 after load.
    void set_build_threads(int threads);
    // Vectors the graph can hold before it grows; removed vectors still occupy their slot.
    std::size_t capacity() const;
    std::size_t deleted_count() const;

    // A copy of this index for a small change of metric, without a new build: the same ids and
    // links (removed ids too), every stored vector v replaced by map(v), named `model_id`; then
    // re-linked locally and self-checked (GraphReuseParams). map(in, out, n): n row-major vectors
    // of dim() floats to their images, called from several threads at once; every image must keep
    // the data contract (an Error names the first id whose image does not). This index is only
    // read (searches go on; adds wait). The copy holds the same params, ef_search included.
    Result<GraphReuse> reuse_graph(std::string model_id,
                                   const std::function<void(const float* in, float* out, std::size_t n)>& map,
                                   const GraphReuseParams& params) const;

    struct Impl;  // engine-internal (src/index/HnswIndex.cpp)
    explicit HnswIndex(std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

// Exact index: scans every vector. The truth for recall measurements, and fast enough for small
// libraries (a scan of 100k x 576 floats takes milliseconds). Removal frees the slot at once.
class BruteForceIndex final : public VectorIndex {
public:
    // dim > 0.
    BruteForceIndex(int dim, std::string model_id);

    IndexKind kind() const override { return IndexKind::BruteForce; }
    int dim() const override { return dim_; }
    const std::string& model_id() const override { return model_id_; }
    std::size_t size() const override;
    bool contains(std::int64_t id) const override;
    Status add(std::int64_t id, const float* v) override;
    Status add_batch(std::size_t n, const std::int64_t* ids, const float* data) override;
    bool remove(std::int64_t id) override;
    std::vector<Hit> search(const float* q, int k) const override;
    std::uint64_t changes() const override;
    Status save(const std::string& path) const override;

private:
    void put(std::int64_t id, const float* v);  // caller holds the exclusive lock

    int dim_;
    std::string model_id_;
    mutable std::shared_mutex mutex_;
    std::vector<std::int64_t> ids_;                    // slot -> id
    std::vector<float> data_;                          // slot-major, ids_.size() x dim_
    std::unordered_map<std::int64_t, std::size_t> slot_;  // id -> slot
    std::uint64_t changes_ = 0;                        // under the exclusive lock
};

// Opens an index saved by VectorIndex::save, of either kind. Refuses, with an Error naming the
// file and the reason, a file that is missing, truncated, not an index, of another format version,
// corrupt (checksum or structure), of another dimension than expected_dim, or built for another
// model than expected_model_id ("built for model X, library uses Y": the caller rebuilds). An
// expected_dim <= 0 or an empty expected_model_id accepts any (for tools that only inspect).
// Never crashes on a damaged file. An HNSW payload is read once, straight into the graph's memory,
// checksummed and checked before the graph is used; no temporary file. A file of format version 1
// (f32 vectors) loads with f32 vectors; its next save writes format 2.
Result<std::unique_ptr<VectorIndex>> load_index(const std::string& path, int expected_dim,
                                                const std::string& expected_model_id);

// What load_index checks before it reads the payload (the file, its header, its size against the
// payload length, dim and model id), without reading the payload: the count of live vectors the
// header gives. The payload's checksum and structure are only checked by load_index.
Result<std::uint64_t> peek_index(const std::string& path, int expected_dim, const std::string& expected_model_id);

// load_index for a library's own index: an HNSW file that stores its vectors otherwise than
// storage_for_dim (a library written while f32 was the default) is re-encoded in memory, so the
// next save writes it compact. Peak memory, once: both graphs.
Result<std::unique_ptr<VectorIndex>> load_library_index(const std::string& path, int expected_dim,
                                                        const std::string& expected_model_id);

}  // namespace rv
