// The hierarchy as the catalog stores it (schema version 7, CatalogDb.h): a tree turned into rows
// and back, checked on the way in (a damaged table is an Error, never a crash), the features it
// is built from (the library's stored features through an adapter version's base adapter), and
// whether a stored tree still fits the library. Engine-internal; every call runs on the thread
// that owns the CatalogDb it is given.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv::hierarchy {

// Rows of every node (parents and representatives as node ids, position = index among siblings).
std::vector<CatalogHierarchyNode> to_rows(const Hierarchy& h);

// The stored tree: nodes in breadth-first order from the root (children by position), parent,
// children, representative as indices, depth recomputed from the root. A table that is not one
// tree (no root or two, a parent or representative that is not there, a cycle, a centroid whose
// stored size is not dim floats, read or not) is an Error, or, with `damage`, std::nullopt with
// the reason in *damage (a damaged tree counts as none stored).
struct Stored {
    Hierarchy tree;
    CatalogHierarchyHeader header;
};
[[nodiscard]] Result<std::optional<Stored>> read_stored(CatalogDb& db, bool with_centroids,
                                                       std::string* damage = nullptr);

// What Hierarchy.h's StoredHierarchyInfo says of a stored tree's header.
StoredHierarchyInfo info_of(const CatalogHierarchyHeader& header);

// Writes `h` and its quality as the stored hierarchy, in one transaction. `updated`: Unix ms of
// the moment its features were read (files changed after it are re-placed by the next update).
[[nodiscard]] Status store(CatalogDb& db, const Hierarchy& h, const EmbeddingQuality& q, std::int64_t updated);

// The base adapter of `version` (0: none, an empty adapter) as stored in `db`, checked against
// the model and dimension.
[[nodiscard]] Result<LowRankAdapter> base_adapter(CatalogDb& db, std::int64_t version, const std::string& model_id,
                                                  int dim);

// y = the base adapter applied to x (x itself for an empty adapter).
void adapt(const LowRankAdapter& base, const float* x, float* y, int dim);

// Feature of one file through the base adapter, read from `db` on demand and kept (empty when the
// file has no valid feature of that dimension). Not thread-safe: one user, like its CatalogDb.
class FeatureSource {
public:
    FeatureSource(CatalogDb& db, LowRankAdapter base, int dim) : db_(db), base_(std::move(base)), dim_(dim) {}
    std::vector<float> operator()(std::int64_t file_id);
    void put(std::int64_t file_id, std::vector<float> v) { cache_[file_id] = std::move(v); }
    std::function<std::vector<float>(std::int64_t)> fn() {
        return [this](std::int64_t id) { return (*this)(id); };
    }

private:
    CatalogDb& db_;
    LowRankAdapter base_;
    int dim_;
    std::unordered_map<std::int64_t, std::vector<float>> cache_;
};

// How the stored tree differs from the library now: image files no longer indexed with the
// model (gone), indexed files it lacks (added), and its files indexed again since it was stored
// (changed: their feature may differ).
struct Drift {
    std::vector<std::int64_t> gone, added, changed;
    std::size_t images = 0;  // image nodes of the stored tree
    bool any() const { return !gone.empty() || !added.empty() || !changed.empty(); }
};
[[nodiscard]] Result<Drift> drift(CatalogDb& db, const Hierarchy& h, const CatalogHierarchyHeader& header,
                                  const std::string& model_id);

}  // namespace rv::hierarchy
