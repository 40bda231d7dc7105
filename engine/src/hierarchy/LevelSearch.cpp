// search_at_level (Hierarchy.h): where a query falls in the library's stored hierarchy, and the
// nodes of one level nearest to it by hyperbolic distance.
//
// Where the query falls. A library image (the path of an image of the hierarchy) falls on its own
// image node; `path` is then its ancestors from the root to its parent. Any other query goes where
// locate_in_hierarchy puts it: the path from the root to the deepest group or Duplicates node D
// whose images it would join; among D's children it takes the point of the one it is most alike
// (highest cosine: an image's feature, a Duplicates node's representative's feature, a group's
// centroid), as a would-be new child of D next to its nearest sibling-to-be, one edge out from D.
// So the query's own group is the nearest node of D's level, and at deeper levels its nearest
// neighbours come first. A root without children (an empty library) is an Error.
//
// The nodes of level L are those at depth L + 1, and the images of branches that end above it
// (an image at depth <= L): a level deeper than a branch gives its images. Levels of fewer than
// kIndexFrom nodes are scanned exactly; larger ones go through one HyperbolicIndex per level, built
// on first use and kept with the hierarchy.
//
// The process keeps the last library's loaded hierarchy and its level indexes (one at a time, held
// by shared_ptr: a search running while another library replaces it finishes on its own copy);
// it is reloaded when the catalog's stored hierarchy changes (its header's build and store times).
#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "hierarchy/HierarchyAccess.h"
#include "hierarchy/HierarchyStore.h"
#include "hierarchy/HyperbolicIndex.h"
#include "learning/LibraryWrites.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv {

namespace {

using hierarchy::DiskPoint;
using hierarchy::HyperbolicIndex;

constexpr std::size_t kIndexFrom = 1024;

struct Searcher {
    std::string key;
    Hierarchy h;
    LowRankAdapter base;
    std::vector<std::vector<int>> levels;  // node indices of each level, by level
    std::unordered_map<std::int64_t, int> image_of;  // file id -> image node index
    std::mutex index_mutex;
    std::vector<std::shared_ptr<const HyperbolicIndex>> indexes;  // by level; null until used
};

std::mutex g_cache_mutex;
std::shared_ptr<Searcher> g_cache;

std::string key_of(const CatalogDb& db, const CatalogHierarchyHeader& h) {
    return db.path().string() + "|" + h.model_id + "|" + std::to_string(h.adapter_version) + "|" +
           std::to_string(h.built) + "|" + std::to_string(h.updated) + "|" + std::to_string(h.next_id);
}

std::vector<std::vector<int>> level_sets(const Hierarchy& h) {
    int deepest = 0;
    for (const auto& n : h.nodes) deepest = std::max(deepest, n.depth);
    std::vector<std::vector<int>> out(static_cast<std::size_t>(std::max(1, deepest)));
    for (std::size_t i = 0; i < h.nodes.size(); ++i) {
        const HierarchyNode& n = h.nodes[i];
        if (n.depth == 0) continue;
        const bool image = n.kind == HierarchyNode::Kind::Image;
        // Level L holds depth L + 1, and images at depth <= L: an image sits in levels depth - 1 .. deepest - 1.
        const int first = n.depth - 1, last = image ? deepest - 1 : n.depth - 1;
        for (int l = first; l <= last; ++l) out[static_cast<std::size_t>(l)].push_back(static_cast<int>(i));
    }
    return out;
}

float cosine(const std::vector<float>& a, std::span<const float> b) {
    if (a.size() != b.size()) return -2.0f;
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return static_cast<float>(s);
}

// The searcher for the library's stored hierarchy (reader mutex held by the caller).
Result<std::shared_ptr<Searcher>> searcher_for(Library& lib, CatalogDb& db) {
    auto header = db.hierarchy_header();
    if (!header) return header.error();
    if (!*header)
        return Error{"library " + HierarchyAccess::dir(lib).string() +
                     ": no hierarchy is stored yet (ruvision-cli hierarchy --library DIR builds it)"};
    const std::string key = key_of(db, **header);
    {
        std::lock_guard lock(g_cache_mutex);
        if (g_cache && g_cache->key == key) return g_cache;
    }
    auto stored = hierarchy::read_stored(db, true);
    if (!stored) return stored.error();
    if (!*stored) return Error{"library " + HierarchyAccess::dir(lib).string() + ": its hierarchy was removed meanwhile"};
    auto s = std::make_shared<Searcher>();
    s->key = key;
    s->h = std::move((*stored)->tree);
    auto base = hierarchy::base_adapter(db, s->h.adapter_version, s->h.model_id, s->h.dim);
    if (!base) return base.error();
    s->base = std::move(*base);
    s->levels = level_sets(s->h);
    s->indexes.resize(s->levels.size());
    for (std::size_t i = 0; i < s->h.nodes.size(); ++i)
        if (s->h.nodes[i].kind == HierarchyNode::Kind::Image) s->image_of[s->h.nodes[i].file_id] = static_cast<int>(i);
    std::lock_guard lock(g_cache_mutex);
    g_cache = s;
    return s;
}

std::shared_ptr<const HyperbolicIndex> level_index(Searcher& s, std::size_t level) {
    std::lock_guard lock(s.index_mutex);
    if (!s.indexes[level]) {
        std::vector<DiskPoint> points;
        points.reserve(s.levels[level].size());
        for (int i : s.levels[level]) points.emplace_back(s.h.nodes[static_cast<std::size_t>(i)].x,
                                                          s.h.nodes[static_cast<std::size_t>(i)].y);
        s.indexes[level] = HyperbolicIndex::build(points, hierarchy::HyperbolicIndexParams{});
    }
    return s.indexes[level];
}

// own_file: the catalog file the query is (0: none, or not known).
Result<LevelSearch> search_impl(Library& lib, const std::vector<float>& embedding, int level, int k,
                                std::int64_t own_file);

}  // namespace

Result<LevelSearch> search_at_level(Library& lib, const std::filesystem::path& image, int level, int k) {
    std::vector<float> v;
    std::int64_t own = 0;
    {
        std::lock_guard lock(HierarchyAccess::reader_mutex(lib));
        // A library file: its stored feature (no forward pass), and it falls on its own node.
        auto f = learning::find_catalog_file(HierarchyAccess::reader(lib), image);
        if (!f) return f.error();
        if (*f && (*f)->status == FileStatus::Indexed && (*f)->model_id == lib.model_id()) {
            auto stored = HierarchyAccess::reader(lib).feature((*f)->id);
            if (stored && *stored) {
                v = std::move(**stored);
                own = (*f)->id;
            }
        }
        if (v.empty()) {
            auto e = HierarchyAccess::query_embedder(lib).embed_file(image);
            if (!e) return e.error();
            v = std::move(*e);
        }
    }
    return search_impl(lib, v, level, k, own);
}

Result<LevelSearch> search_at_level(Library& lib, const std::vector<float>& embedding, int level, int k) {
    return search_impl(lib, embedding, level, k, 0);
}

namespace {

Result<LevelSearch> search_impl(Library& lib, const std::vector<float>& embedding, int level, int k,
                                std::int64_t own_file) {
    if (level < 0) return Error{"search at a level: the level must be 0 or more (got " + std::to_string(level) + ")"};
    if (k < 1) return Error{"search at a level: k must be at least 1 (got " + std::to_string(k) + ")"};
    double norm2 = 0;
    for (float x : embedding) norm2 += static_cast<double>(x) * x;
    if (!std::isfinite(norm2) || std::fabs(norm2 - 1.0) > 1e-3)
        return Error{"search at a level: the query vector is not unit length (squared norm " + std::to_string(norm2) + ")"};

    std::unique_lock lock(HierarchyAccess::reader_mutex(lib));
    CatalogDb& db = HierarchyAccess::reader(lib);
    auto found = searcher_for(lib, db);
    if (!found) return found.error();
    std::shared_ptr<Searcher> s = *found;
    const Hierarchy& h = s->h;
    if (static_cast<int>(embedding.size()) != h.dim)
        return Error{"search at a level: the query has " + std::to_string(embedding.size()) +
                     " values, the hierarchy's features " + std::to_string(h.dim)};
    if (h.nodes.empty() || h.nodes[0].children.empty())
        return Error{"library " + HierarchyAccess::dir(lib).string() + ": its hierarchy holds no image yet"};

    std::vector<float> q(embedding.size());
    hierarchy::adapt(s->base, embedding.data(), q.data(), h.dim);
    hierarchy::FeatureSource features(db, s->base, h.dim);
    LevelSearch out;
    int nearest = -1;
    if (auto own = s->image_of.find(own_file); own_file > 0 && own != s->image_of.end()) {
        nearest = own->second;
        for (int a = h.nodes[static_cast<std::size_t>(nearest)].parent; a >= 0; a = h.nodes[static_cast<std::size_t>(a)].parent)
            out.path.insert(out.path.begin(), a);
    } else {
        out.path = locate_in_hierarchy(h, q, features.fn(), HierarchyParams{});
        const int deepest = out.path.empty() ? 0 : out.path.back();
        // The child of D the query is most alike: its point is where the query falls.
        float best = -3.0f;
        for (int c : h.nodes[static_cast<std::size_t>(deepest)].children) {
            const HierarchyNode& n = h.nodes[static_cast<std::size_t>(c)];
            std::vector<float> f;
            if (n.kind == HierarchyNode::Kind::Group || n.kind == HierarchyNode::Kind::Root) f = n.centroid;
            else if (n.representative >= 0) f = features(h.nodes[static_cast<std::size_t>(n.representative)].file_id);
            const float cs = cosine(f, q);
            if (nearest < 0 || cs > best) {
                best = cs;
                nearest = c;
            }
        }
        if (nearest < 0) nearest = deepest;
    }
    const HierarchyNode& at = h.nodes[static_cast<std::size_t>(nearest)];
    out.qx = at.x;
    out.qy = at.y;

    // The level's index may take a while to build on first use: other readers go on meanwhile.
    lock.unlock();
    const std::size_t l = std::min(static_cast<std::size_t>(level), s->levels.size() - 1);
    const std::vector<int>& members = s->levels[l];
    const DiskPoint qp(out.qx, out.qy);
    std::vector<hierarchy::DiskHit> hits;
    if (members.size() < kIndexFrom) {
        std::vector<DiskPoint> points;
        points.reserve(members.size());
        for (int i : members) points.emplace_back(h.nodes[static_cast<std::size_t>(i)].x, h.nodes[static_cast<std::size_t>(i)].y);
        hits = hierarchy::exact_nearest(points, qp, static_cast<std::size_t>(k));
    } else {
        hits = level_index(*s, l)->search(qp, static_cast<std::size_t>(k));
    }
    lock.lock();
    for (const auto& hit : hits) {
        const int node = members[hit.point];
        const HierarchyNode& n = h.nodes[static_cast<std::size_t>(node)];
        LevelHit lh;
        lh.node = node;
        lh.id = n.id;
        lh.size = n.size;
        lh.depth = n.depth;
        lh.distance = hit.distance;
        if (n.representative >= 0) {
            lh.representative_file = h.nodes[static_cast<std::size_t>(n.representative)].file_id;
            auto f = db.file(lh.representative_file);
            if (!f) return f.error();
            if (*f) lh.representative_path = (*f)->path;
        }
        out.hits.push_back(std::move(lh));
    }
    return out;
}

}  // namespace

}  // namespace rv
