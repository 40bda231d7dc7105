// What LibraryService hands the Map tab: the library's stored hierarchy (embedded, without
// centroids) with the paths of its images, and the answers of a search at a level.
//
// Made on the service's reader pool, then only read (shared, immutable): safe to pass between
// threads by shared_ptr<const>. Paths are the catalog's, decoded for Qt (ServiceCalls.h qpath).
#pragma once

#include <QHash>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <memory>

#include "ruvision/engine/Hierarchy.h"

namespace rv::ui {

struct MapData {
    rv::Hierarchy hierarchy;           // laid out for display (MapEmbedding.h); no centroids
    QString dir;                       // the library's folder
    QHash<qint64, QString> paths;      // file id -> path, for every image of the hierarchy
    bool stale = false;                // built from another model / adapter version or other files
    int maxDepth = 0;                  // the deepest node's depth
    // The stored embedding's quality (update_hierarchy measured it; negative: unknown).
    double meanDistortion = -1, maxDistortion = -1, mapScore = -1;
    qint64 adapterVersion = 0;
    // An image node's index by file path (the query and results are highlighted by path).
    QHash<QString, int> imageByPath;

    QString pathOf(int node) const {
        if (node < 0 || node >= static_cast<int>(hierarchy.nodes.size())) return {};
        const auto& n = hierarchy.nodes[static_cast<std::size_t>(node)];
        const int rep = n.kind == rv::HierarchyNode::Kind::Image ? node : n.representative;
        if (rep < 0 || rep >= static_cast<int>(hierarchy.nodes.size())) return {};
        return paths.value(hierarchy.nodes[static_cast<std::size_t>(rep)].file_id);
    }
    // The node with this id, or -1.
    int indexOfId(qint64 id) const {
        for (std::size_t i = 0; i < hierarchy.nodes.size(); ++i)
            if (hierarchy.nodes[i].id == id) return static_cast<int>(i);
        return -1;
    }
};

// The last update_hierarchy of this session, for the status line.
struct MapBuildInfo {
    bool rebuilt = false;
    qint64 added = 0, removed = 0, nodes = 0;
    double meanDistortion = 0, maxDistortion = 0, map = 0, seconds = 0;
    QString reason;
};

// A search at a level (rv::search_at_level): hits by node index into the hierarchy searched.
struct LevelHitItem {
    int node = -1;
    qint64 id = 0;
    QString path;      // the representative's file
    qint64 size = 0;
    int depth = 0;
    double distance = 0;
};
struct LevelResult {
    QString query;
    int level = 0;
    QVector<LevelHitItem> hits;
    double qx = 0, qy = 0;   // where the query falls in the disk
    QVector<int> path;       // the groups the query falls in, root first
};

}  // namespace rv::ui

Q_DECLARE_METATYPE(std::shared_ptr<const rv::ui::MapData>)
Q_DECLARE_METATYPE(rv::ui::MapBuildInfo)
Q_DECLARE_METATYPE(rv::ui::LevelResult)
