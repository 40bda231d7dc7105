#include "hierarchy/HierarchyStore.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace rv::hierarchy {

namespace {

const char* kind_text(HierarchyNode::Kind k) {
    switch (k) {
        case HierarchyNode::Kind::Root: return "root";
        case HierarchyNode::Kind::Group: return "group";
        case HierarchyNode::Kind::Duplicates: return "duplicates";
        case HierarchyNode::Kind::Image: return "image";
    }
    return "group";
}

bool kind_of(const std::string& text, HierarchyNode::Kind* k) {
    if (text == "root") *k = HierarchyNode::Kind::Root;
    else if (text == "group") *k = HierarchyNode::Kind::Group;
    else if (text == "duplicates") *k = HierarchyNode::Kind::Duplicates;
    else if (text == "image") *k = HierarchyNode::Kind::Image;
    else return false;
    return true;
}

Error damaged(CatalogDb& db, bool* found_damage, const std::string& why) {
    *found_damage = true;
    return Error{"catalog " + db.path().string() + ": the stored hierarchy is damaged (" + why +
                 "); the next update builds it again"};
}

}  // namespace

std::vector<CatalogHierarchyNode> to_rows(const Hierarchy& h) {
    std::vector<CatalogHierarchyNode> rows(h.nodes.size());
    for (std::size_t i = 0; i < h.nodes.size(); ++i) {
        const HierarchyNode& n = h.nodes[i];
        CatalogHierarchyNode& r = rows[i];
        r.id = n.id;
        r.parent = n.parent >= 0 ? h.nodes[static_cast<std::size_t>(n.parent)].id : -1;
        r.kind = kind_text(n.kind);
        r.depth = n.depth;
        r.size = n.size;
        r.representative = n.representative >= 0 ? h.nodes[static_cast<std::size_t>(n.representative)].id : -1;
        r.file_id = n.kind == HierarchyNode::Kind::Image ? n.file_id : 0;
        r.x = n.x;
        r.y = n.y;
        r.centroid = n.centroid;
        for (std::size_t c = 0; c < n.children.size(); ++c)
            rows[static_cast<std::size_t>(n.children[c])].position = static_cast<int>(c);
    }
    return rows;
}

namespace {

Result<std::optional<Stored>> read_checked(CatalogDb& db, bool with_centroids, bool* found_damage) {
    auto header = db.hierarchy_header();
    if (!header) return header.error();
    if (!*header) return std::optional<Stored>();
    auto rows = db.hierarchy_nodes(with_centroids);
    if (!rows) return rows.error();
    Stored out;
    out.header = **header;
    Hierarchy& h = out.tree;
    h.dim = out.header.dim;
    h.model_id = out.header.model_id;
    h.adapter_version = out.header.adapter_version;
    h.scale = out.header.scale;
    h.next_id = out.header.next_id;
    h.built = out.header.built;
    if (rows->empty()) return damaged(db, found_damage, "a header without nodes");

    // Rows by node id, children of each row, the root.
    std::unordered_map<std::int64_t, std::size_t> row_of;
    row_of.reserve(rows->size());
    std::int64_t root = -1;
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const auto& r = (*rows)[i];
        if (!row_of.emplace(r.id, i).second) return damaged(db, found_damage, "node id " + std::to_string(r.id) + " twice");
        if (r.parent < 0) {
            if (root >= 0) return damaged(db, found_damage, "two roots");
            root = static_cast<std::int64_t>(i);
        }
    }
    if (root < 0) return damaged(db, found_damage, "no root");
    std::vector<std::vector<std::size_t>> kids(rows->size());
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const auto& r = (*rows)[i];
        if (r.parent < 0) continue;
        auto p = row_of.find(r.parent);
        if (p == row_of.end()) return damaged(db, found_damage, "node " + std::to_string(r.id) + " has no parent");
        kids[p->second].push_back(i);
    }
    // Breadth-first from the root: every node once, children in their stored order.
    std::vector<int> index_of(rows->size(), -1);
    std::vector<std::size_t> order;
    order.reserve(rows->size());
    order.push_back(static_cast<std::size_t>(root));
    index_of[static_cast<std::size_t>(root)] = 0;
    for (std::size_t head = 0; head < order.size(); ++head) {
        auto& k = kids[order[head]];
        std::sort(k.begin(), k.end(), [&](std::size_t a, std::size_t b) {
            return (*rows)[a].position != (*rows)[b].position ? (*rows)[a].position < (*rows)[b].position
                                                              : (*rows)[a].id < (*rows)[b].id;
        });
        for (std::size_t c : k) {
            index_of[c] = static_cast<int>(order.size());
            order.push_back(c);
        }
    }
    if (order.size() != rows->size()) return damaged(db, found_damage, "nodes not below the root");
    h.nodes.resize(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        auto& r = (*rows)[order[i]];
        HierarchyNode& n = h.nodes[i];
        if (!kind_of(r.kind, &n.kind)) return damaged(db, found_damage, "node " + std::to_string(r.id) + " of kind " + r.kind);
        if ((n.kind == HierarchyNode::Kind::Root) != (i == 0))
            return damaged(db, found_damage, "node " + std::to_string(r.id) + ": the root's kind on another node");
        n.id = r.id;
        n.parent = r.parent < 0 ? -1 : index_of[row_of[r.parent]];
        n.depth = n.parent < 0 ? 0 : h.nodes[static_cast<std::size_t>(n.parent)].depth + 1;
        n.size = r.size;
        n.file_id = r.file_id;
        if (!std::isfinite(r.x) || !std::isfinite(r.y))
            return damaged(db, found_damage, "node " + std::to_string(r.id) + " has a coordinate that is not a number");
        if (r.x * r.x + r.y * r.y >= 1.0)
            return damaged(db, found_damage, "node " + std::to_string(r.id) + " has a point outside the disk");
        n.x = r.x;
        n.y = r.y;
        // Checked by its stored size, so that a tree read without centroids finds the damage too.
        if (r.centroid_bytes != 0 && r.centroid_bytes != static_cast<std::int64_t>(sizeof(float)) * h.dim)
            return damaged(db, found_damage,
                           "node " + std::to_string(r.id) + " has a damaged centroid (" +
                               std::to_string(r.centroid_bytes) + " bytes for " + std::to_string(h.dim) + " values)");
        n.centroid = std::move(r.centroid);
        for (std::size_t c : kids[order[i]]) n.children.push_back(index_of[c]);
        if (n.kind == HierarchyNode::Kind::Image && (!n.children.empty() || n.file_id <= 0))
            return damaged(db, found_damage, "image node " + std::to_string(r.id) + " without a file or with children");
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& r = (*rows)[order[i]];
        HierarchyNode& n = h.nodes[i];
        if (r.representative < 0) {
            if (n.size > 0) return damaged(db, found_damage, "node " + std::to_string(r.id) + " has no representative");
            continue;
        }
        auto rep = row_of.find(r.representative);
        if (rep == row_of.end() || (*rows)[rep->second].kind != "image")
            return damaged(db, found_damage, "node " + std::to_string(r.id) + " has a representative that is not an image");
        n.representative = index_of[rep->second];
    }
    return std::optional<Stored>(std::move(out));
}

}  // namespace

Result<std::optional<Stored>> read_stored(CatalogDb& db, bool with_centroids, std::string* damage) {
    bool found_damage = false;
    auto stored = read_checked(db, with_centroids, &found_damage);
    if (!stored && found_damage && damage) {
        *damage = stored.error().message;
        return std::optional<Stored>();
    }
    return stored;
}

StoredHierarchyInfo info_of(const CatalogHierarchyHeader& header) {
    StoredHierarchyInfo info;
    info.model_id = header.model_id;
    info.adapter_version = header.adapter_version;
    info.built = header.built;
    info.updated = header.updated;
    info.quality.mean_distortion = header.mean_distortion;
    info.quality.max_distortion = header.max_distortion;
    info.quality.map = header.map;
    info.quality.pairs = static_cast<std::size_t>(header.pairs);
    return info;
}

Status store(CatalogDb& db, const Hierarchy& h, const EmbeddingQuality& q, std::int64_t updated) {
    CatalogHierarchyHeader header;
    header.model_id = h.model_id;
    header.adapter_version = h.adapter_version;
    header.dim = h.dim;
    header.scale = h.scale;
    header.next_id = h.next_id;
    header.built = h.built;
    header.updated = updated;
    header.mean_distortion = q.mean_distortion;
    header.max_distortion = q.max_distortion;
    header.map = q.map;
    header.pairs = static_cast<std::int64_t>(q.pairs);
    return db.replace_hierarchy(header, to_rows(h));
}

Result<LowRankAdapter> base_adapter(CatalogDb& db, std::int64_t version, const std::string& model_id, int dim) {
    if (version <= 0) return LowRankAdapter{};
    auto row = db.adapter(version);
    if (!row) return row.error();
    const std::string name = "adapter version " + std::to_string(version);
    if (!*row) return Error{name + " is not in the catalog " + db.path().string()};
    if ((*row)->model_id != model_id)
        return Error{name + " was learned for model " + (*row)->model_id + ", the library uses " + model_id};
    auto base = parse_adapter((*row)->params.data(), (*row)->params.size());
    if (!base) return Error{name + ": " + base.error().message};
    if (base->dim != dim)
        return Error{name + " has " + std::to_string(base->dim) + " dimensions, the features " + std::to_string(dim)};
    return std::move(*base);
}

void adapt(const LowRankAdapter& base, const float* x, float* y, int dim) {
    if (base.empty()) std::copy(x, x + dim, y);
    else base.apply(x, y);
}

std::vector<float> FeatureSource::operator()(std::int64_t file_id) {
    if (auto it = cache_.find(file_id); it != cache_.end()) return it->second;
    std::vector<float> out;
    auto v = db_.feature(file_id);
    if (v && *v && static_cast<int>((*v)->size()) == dim_) {
        out.resize(static_cast<std::size_t>(dim_));
        adapt(base_, (*v)->data(), out.data(), dim_);
    }
    cache_[file_id] = out;
    return out;
}

Result<Drift> drift(CatalogDb& db, const Hierarchy& h, const CatalogHierarchyHeader& header,
                    const std::string& model_id) {
    auto ids = db.feature_file_ids(model_id);
    if (!ids) return ids.error();
    std::vector<std::int64_t> images;
    for (const auto& n : h.nodes)
        if (n.kind == HierarchyNode::Kind::Image) images.push_back(n.file_id);
    std::sort(images.begin(), images.end());
    Drift d;
    d.images = images.size();
    std::set_difference(images.begin(), images.end(), ids->begin(), ids->end(), std::back_inserter(d.gone));
    std::set_difference(ids->begin(), ids->end(), images.begin(), images.end(), std::back_inserter(d.added));
    auto since = db.indexed_files_updated_since(header.updated);
    if (!since) return since.error();
    for (std::int64_t id : *since)
        if (std::binary_search(images.begin(), images.end(), id) && std::binary_search(ids->begin(), ids->end(), id))
            d.changed.push_back(id);
    return d;
}

}  // namespace rv::hierarchy
