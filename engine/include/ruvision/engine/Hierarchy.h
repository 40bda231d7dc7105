// The collection as a hierarchy (DESIGN.md, "Poincaré disk"): a tree over a library's images,
// general near the root, specific near the leaves, embedded in the Poincaré disk.
//
// The tree. Node 0 is the root (depth 0); every other node has one parent. Internal nodes are
// groups (Kind::Group), near-duplicate groups (Kind::Duplicates: members whose features are within
// the duplicate threshold of each other, sitting just above the images) and the root; the leaves
// are images (Kind::Image, one per indexed file, file_id set). Each internal node knows its size
// (images below it), its representative (the index of the image node that is the medoid of its
// images: highest mean cosine to the others, estimated on a sample when large), its depth, and its
// centroid (the unit mean of its images' features; empty for Duplicates, which use their
// representative's feature). Node ids are unique in a tree and stable across incremental updates
// (stored, and printed by `ruvision-cli hierarchy --json`); indices into `nodes` are not.
//
// The embedding. embed_tree() gives every node a point (x, y) of the unit disk (c = 1, Hyperbolic.h):
// the root at 0, children spread around their parent at hyperbolic distance `scale` per edge, so
// depth maps to the distance from the centre. The scale is chosen so that the deepest node stays
// within TreeEmbeddingParams::max_radius of the centre, where float64 still holds it.
//
// Pure functions (this header's first half) run on any thread on the caller's data; the library
// functions (second half) follow Library.h's threads: update_hierarchy on the writer thread,
// load_hierarchy and search_at_level on any reader thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"

namespace rv {

class Library;

struct HierarchyNode {
    enum class Kind { Root, Group, Duplicates, Image };
    Kind kind = Kind::Group;
    std::int64_t id = 0;       // unique in the tree, stable across updates
    int parent = -1;           // index into Hierarchy::nodes; -1 for the root only
    std::vector<int> children; // indices, in the order embed_tree spreads them
    int depth = 0;             // root 0, a child one more than its parent
    std::int64_t size = 0;     // images below (1 for an image)
    int representative = -1;   // index of an image node below (itself for an image)
    std::int64_t file_id = 0;  // the catalog file (images only; 0 otherwise)
    std::vector<float> centroid;  // unit mean feature (Root and Group); empty otherwise
    double x = 0, y = 0;       // the point in the unit disk (embed_tree)
};

struct Hierarchy {
    std::vector<HierarchyNode> nodes;  // nodes[0] is the root when not empty
    int dim = 0;                       // the features' dimension
    std::string model_id;              // the features it was built from (network + descriptor)
    std::int64_t adapter_version = 0;  // the adapter version applied to them (0: plain features)
    double scale = 0;                  // hyperbolic length of one edge (embed_tree)
    std::int64_t next_id = 1;          // the next unused node id
    std::int64_t built = 0;            // Unix ms of the last full build
};

struct HierarchyParams {
    int branching = 8;               // children per group at most (bisecting / k-means fan-out)
    int leaf_group = 12;             // a group this small or smaller is not split further
    float duplicate_cosine = 0.95f;  // members of a Duplicates node are at least this alike (cosine
                                     // with the collection's mean direction, the root's centroid,
                                     // taken out of both features; bench_hierarchy)
    int iterations = 12;             // k-means iterations per split
    std::uint64_t seed = 1;
    int threads = 2;
};

using HierarchyProgress = std::function<void(std::size_t done, std::size_t total)>;

// A tree over n unit features (row-major n x dim) of files `file_ids` (n of them, distinct).
// n = 0 gives a root alone. cancel: an Error "cancelled". Not embedded (x, y are 0): see embed_tree.
[[nodiscard]] Result<Hierarchy> build_hierarchy(std::span<const float> features, std::span<const std::int64_t> file_ids,
                                                int dim, const HierarchyParams& params, const std::atomic<bool>& cancel,
                                                const HierarchyProgress& progress = {});

// The path of node indices from the root down to the deepest group or Duplicates node whose
// images a feature (unit, dim values) would join: down the children of highest cosine (centroid,
// or the representative's feature for Duplicates via `feature_of`; a beam of the best few per
// level, cosines without the mean direction as for duplicate_cosine), going into a Duplicates node
// only when the feature is within its duplicate threshold of the representative.
// `feature_of(file_id)` gives an image's feature (empty when unknown).
std::vector<int> locate_in_hierarchy(const Hierarchy& h, std::span<const float> feature,
                                     const std::function<std::vector<float>(std::int64_t file_id)>& feature_of,
                                     const HierarchyParams& params);

// Incremental updates: images enter where locate_in_hierarchy puts them (a group that grows past
// 2 * params.branching * params.leaf_group is split again), images leave with their node (sizes,
// centroids and representatives updated up the path, emptied groups removed, a group left with
// one child merged into its parent). Node ids of untouched nodes are kept. Not re-embedded.
[[nodiscard]] Status hierarchy_add(Hierarchy& h, std::span<const float> features,
                                   std::span<const std::int64_t> file_ids,
                                   const std::function<std::vector<float>(std::int64_t file_id)>& feature_of,
                                   const HierarchyParams& params);
// params: the duplicate threshold a Duplicates node that lost its representative re-forms with.
[[nodiscard]] Status hierarchy_remove(Hierarchy& h, std::span<const std::int64_t> file_ids,
                                      const std::function<std::vector<float>(std::int64_t file_id)>& feature_of,
                                      const HierarchyParams& params = {});

struct TreeEmbeddingParams {
    double max_radius = 30;  // the deepest node's distance from the centre, at most
};
// Sets every node's (x, y) and h.scale. A root alone sits at 0.
void embed_tree(Hierarchy& h, const TreeEmbeddingParams& params = {});

// How well the disk keeps the tree's distances: over `pairs` node pairs drawn with `seed` (every
// pair when there are fewer), the relative distortion |d_disk / scale - d_tree| / d_tree (mean and
// max), and the mean average precision of tree neighbourhoods (for each sampled node, its tree
// neighbours at distance 1 ranked by disk distance among all nodes; Sala et al.'s MAP).
struct EmbeddingQuality {
    double mean_distortion = 0, max_distortion = 0, map = 0;
    std::size_t pairs = 0, nodes = 0;
};
EmbeddingQuality measure_embedding(const Hierarchy& h, std::size_t pairs = 20000, std::uint64_t seed = 1);

// --- the library's hierarchy (stored in its catalog) ---

struct HierarchyUpdate {
    bool rebuilt = false;     // built from scratch (none yet, another model or adapter version, or
                              // more than a quarter of the files changed)
    std::size_t added = 0, removed = 0;  // images added / removed incrementally
    std::size_t nodes = 0;
    EmbeddingQuality quality;
    std::string reason;       // why it was rebuilt or updated, in words
    double seconds = 0;
};

// Brings the stored hierarchy up to date with the library's indexed files and its active adapter
// version (features passed through it), builds it when there is none, embeds it, stores it (one
// catalog transaction: a kill leaves the previous one). Writer thread; needs Update or Create.
[[nodiscard]] Result<HierarchyUpdate> update_hierarchy(Library& lib, const HierarchyParams& params,
                                                       const std::atomic<bool>& cancel,
                                                       const HierarchyProgress& progress = {});

// The stored hierarchy (centroids only when asked: a view needs none); std::nullopt when none has
// been built, or when the stored one is damaged (then `stale` is set: update_hierarchy builds it
// again). `stale` (optional) is set when it was built from another model or adapter version than
// the active one, or the library's indexed files differ from its images.
[[nodiscard]] Result<std::optional<Hierarchy>> load_hierarchy(Library& lib, bool with_centroids,
                                                              bool* stale = nullptr);

// update_hierarchy's work without storing it, for a library that cannot be written (any thread:
// it reads through a catalog connection of its own): the stored hierarchy brought up to date, or
// built, embedded and measured; `what` (optional) says what was done. (i12-library)
[[nodiscard]] Result<Hierarchy> compute_hierarchy(Library& lib, const HierarchyParams& params,
                                                  const std::atomic<bool>& cancel,
                                                  const HierarchyProgress& progress = {},
                                                  HierarchyUpdate* what = nullptr);

// The stored hierarchy's header: what it was built from, when (Unix ms: the last full build, the
// last store), and its embedding's quality as measured when stored; std::nullopt when none is
// stored. Any reader thread. (i12-library)
struct StoredHierarchyInfo {
    std::string model_id;
    std::int64_t adapter_version = 0;
    std::int64_t built = 0, updated = 0;
    EmbeddingQuality quality;
};
[[nodiscard]] Result<std::optional<StoredHierarchyInfo>> stored_hierarchy_info(Library& lib);

// The hierarchy stored in the catalog of the library in `dir` (no centroids), read through a
// read-only catalog connection of its own without opening the library (no index, no model): what
// a view shows while the library opens. Not checked for staleness (load_hierarchy says that);
// std::nullopt when none is stored; `info` (optional) gets its header. Any thread. (i12-view)
[[nodiscard]] Result<std::optional<Hierarchy>> read_stored_hierarchy(const std::filesystem::path& dir,
                                                                     StoredHierarchyInfo* info = nullptr);

// For a view that shows the tree read_stored_hierarchy gave before the library opened (`h`, with
// its `info`): load_hierarchy's `stale` for it, without reading the tree again; std::nullopt when
// it is not the stored one any more (stored again since, or none stored): load_hierarchy then.
// Any reader thread. (i13-mend)
[[nodiscard]] Result<std::optional<bool>> stored_hierarchy_stale(Library& lib, const Hierarchy& h,
                                                                 const StoredHierarchyInfo& info);

// Search at a level: the k nodes at `level` nearest by hyperbolic distance to where the query falls
// in the disk, nearest first. Level L is depth L + 1: level 0 holds the root's children, the most
// general groups; a level deeper than a branch gives that branch's deepest nodes (its images).
struct LevelHit {
    int node = -1;                 // index into the hierarchy searched
    std::int64_t id = 0;           // the node's id
    std::int64_t representative_file = 0;
    std::string representative_path;
    std::int64_t size = 0;
    int depth = 0;
    double distance = 0;           // hyperbolic distance in the disk
};
struct LevelSearch {
    std::vector<LevelHit> hits;
    double qx = 0, qy = 0;         // where the query falls in the disk
    std::vector<int> path;         // locate_in_hierarchy's path for the query
};
[[nodiscard]] Result<LevelSearch> search_at_level(Library& lib, const std::filesystem::path& image, int level, int k);
[[nodiscard]] Result<LevelSearch> search_at_level(Library& lib, const std::vector<float>& embedding, int level, int k);

}  // namespace rv
