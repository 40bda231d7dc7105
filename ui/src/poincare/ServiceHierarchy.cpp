// LibraryService's hierarchy block (LibraryService.h, "hierarchy (i12-view)"): the stored
// hierarchy loaded for the Map tab, kept up to date after indexing and learning, and search at a
// level.
//
// Threads: the public functions and the slots run on the GUI thread. update_hierarchy uses the
// library's writer connection, so it runs on writer_ (after any indexing or learning queued
// there); load_hierarchy, the paths and search_at_level run on reader_. Answers come back through
// postCall() and are dropped when another library was opened meanwhile or a newer request exists.
#include "LibraryService.h"
#include "ServiceCalls.h"

#include <chrono>
#include <optional>

#include "TsanHandOff.h"
#include "poincare/MapEmbedding.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv::ui {

namespace {

// The paths of the library's files (the hierarchy's images among them), from a read-only catalog connection of the reader's own
// (the library's connections belong to its writer and its searches).
QString readPaths(const QString& dir, const Hierarchy& h, QHash<qint64, QString>* paths) {
    auto db = CatalogDb::open(fspath(dir) / "catalog.sqlite", CatalogDb::OpenMode::ReadOnly);
    if (!db) return qtext(db.error().message);
    auto roots = db->roots();
    if (!roots) return qtext(roots.error().message);
    // Every file of the library (the hierarchy's images are nearly all of them).
    paths->reserve(static_cast<qsizetype>(h.nodes.size()));
    for (const auto& r : *roots) {
        auto files = db->files_under_root(r.id);
        if (!files) return qtext(files.error().message);
        for (const auto& f : *files) paths->insert(f.id, qpath(f.path));
    }
    return {};
}

// The map of a loaded hierarchy: laid out for display, with its images' paths. Null (and `error`
// set) when the paths cannot be read.
std::shared_ptr<MapData> makeMap(Hierarchy&& h, const QString& dir, const StoredHierarchyInfo* info, QString* error) {
    auto map = std::make_shared<MapData>();
    map->hierarchy = std::move(h);
    map->dir = dir;
    map->adapterVersion = map->hierarchy.adapter_version;
    for (const auto& n : map->hierarchy.nodes) map->maxDepth = std::max(map->maxDepth, n.depth);
    if (info) {
        map->meanDistortion = info->quality.mean_distortion;
        map->maxDistortion = info->quality.max_distortion;
        map->mapScore = info->quality.map;
    }
    embedForDisplay(map->hierarchy);
    *error = readPaths(dir, map->hierarchy, &map->paths);
    if (!error->isEmpty()) return nullptr;
    map->imageByPath.reserve(map->paths.size());
    for (std::size_t i = 0; i < map->hierarchy.nodes.size(); ++i) {
        const auto& n = map->hierarchy.nodes[i];
        if (n.kind == HierarchyNode::Kind::Image) map->imageByPath.insert(map->paths.value(n.file_id), static_cast<int>(i));
    }
    return map;
}

}  // namespace

void LibraryService::connectHierarchy() {
    qRegisterMetaType<std::shared_ptr<const rv::ui::MapData>>();
    qRegisterMetaType<rv::ui::MapBuildInfo>();
    qRegisterMetaType<rv::ui::LevelResult>();
    connect(this, &LibraryService::opened, this, [this](bool ok) {
        mapCheckWanted_ = mapCheckChanged_ = false;
        hierarchyAgain_ = false;
        if (ok) loadHierarchy();
    });
    connect(this, &LibraryService::indexFinished, this, [this](bool ok, const QString&, const IndexSummary& s) {
        if (!ok || s.cancelled) return;
        checkHierarchy(s.embedded + s.moved + s.removed > 0);
    });
    // Files the person trashed (forget) or roots removed leave the hierarchy too.
    connect(this, &LibraryService::libraryChanged, this, [this](const LibraryChange& c) {
        if (!c.forgotten.isEmpty() || c.rootsChanged) checkHierarchy(true);
    });
    // After a relearn the map follows: a new active version changes the features it is built on.
    connect(this, &LibraryService::learnFinished, this, [this](const LearnOutcome& o) {
        if (o.ok && (o.activated || o.kind == LearnOutcome::Activate)) checkHierarchy(true);
    });
}

void LibraryService::stopHierarchy() {
    *hierarchyCancel_ = true;
    hierarchyBuilding_ = false;
    hierarchyAgain_ = false;
}

void LibraryService::checkHierarchy(bool filesChanged) {
    if (!library_) return;
    if (mapState_ == MapState::Unknown) {
        mapCheckWanted_ = true;
        mapCheckChanged_ = mapCheckChanged_ || filesChanged;
        return;
    }
    if (filesChanged || mapState_ != MapState::Fresh) updateHierarchy();
}

void LibraryService::loadHierarchy() {
    if (!library_) return;
    const quint64 id = ++mapLoad_;
    ++hierarchyLoading_;
    // The map the early read showed (openHierarchy) is not read again: the opened library only
    // says whether it is stale, unless another tree has been stored since.
    std::shared_ptr<const MapData> early = std::exchange(earlyMap_, nullptr);
    startTask<&readerChannel>(reader_, [this, lib = library_, dir = snapshot_.dir, id, early, earlyInfo = earlyInfo_] {
        std::shared_ptr<const MapData> map;
        QString error;
        std::optional<bool> earlyStale;
        if (early)
            if (auto s = stored_hierarchy_stale(*lib, early->hierarchy, earlyInfo); s) earlyStale = *s;
        if (earlyStale) {
            map = early;
            if (*earlyStale != early->stale) {
                auto copy = std::make_shared<MapData>(*early);
                copy->stale = *earlyStale;
                map = std::move(copy);
            }
        } else {
            bool stale = false;
            auto loaded = load_hierarchy(*lib, false, &stale);
            if (!loaded) {
                error = qtext(loaded.error().message);
            } else if (loaded->has_value()) {
                auto info = stored_hierarchy_info(*lib);
                auto made = makeMap(std::move(**loaded), dir, info && info->has_value() ? &**info : nullptr, &error);
                if (made) made->stale = stale;
                map = std::move(made);
            }
        }
        postCall(this, [this, lib, id, map, error] {
            --hierarchyLoading_;
            if (lib != library_ || id < mapShown_) return;  // another library, or a newer load answered
            mapShown_ = id;
            const bool wanted = std::exchange(mapCheckWanted_, false);
            const bool changed = std::exchange(mapCheckChanged_, false);
            if (error.isEmpty()) mapState_ = !map ? MapState::None : map->stale ? MapState::Stale : MapState::Fresh;
            emit hierarchyLoaded(map, error);
            if (wanted && error.isEmpty()) checkHierarchy(changed);
        });
    });
}

void LibraryService::openHierarchy(const QString& dir, quint64 openId) {
    stopHierarchy();
    mapState_ = MapState::Unknown;
    mapShown_ = 0;
    earlyMap_.reset();
    // The stored map straight from the catalog file, while the writer opens the library (which
    // loads its index: seconds at 100k files). Shown unless the library's own load answered first;
    // that load follows and says whether it is stale.
    const quint64 id = ++mapLoad_;
    ++hierarchyLoading_;
    startTask<&readerChannel>(reader_, [this, dir, id, openId] {
        StoredHierarchyInfo info;
        auto stored = read_stored_hierarchy(fspath(dir), &info);
        std::shared_ptr<MapData> map;
        QString error;
        if (stored && stored->has_value()) map = makeMap(std::move(**stored), dir, &info, &error);
        postCall(this, [this, map, id, openId, info] {
            --hierarchyLoading_;
            // Nothing stored, or unreadable before the library's opening (a new or older catalog):
            // the library's own load answers.
            if (!map || openId != openRequest_ || id < mapShown_) return;
            mapShown_ = id;
            if (id == mapLoad_) {  // no load of the opened library asked yet: the first one checks this map
                earlyMap_ = map;
                earlyInfo_ = info;
            }
            emit hierarchyLoaded(map, {});
        });
    });
}

bool LibraryService::updateHierarchy() {
    if (!library_) return false;
    if (hierarchyBuilding_) {
        hierarchyAgain_ = true;
        return false;
    }
    hierarchyBuilding_ = true;
    hierarchyCancel_ = std::make_shared<std::atomic<bool>>(false);
    emit hierarchyProgress(0, 0);  // started (the total comes with the first report)
    startTask<&writerChannel>(writer_, [this, lib = library_, cancel = hierarchyCancel_] {
        if (*cancel) return;
        auto last = std::chrono::steady_clock::time_point{};
        const HierarchyParams params;
        auto update = update_hierarchy(*lib, params, *cancel, [&](std::size_t done, std::size_t total) {
            // At most ten reports a second reach the GUI thread, and always the last.
            const auto now = std::chrono::steady_clock::now();
            if (done != total && now - last < std::chrono::milliseconds(100)) return;
            last = now;
            postCall(this, [this, lib, done = static_cast<qint64>(done), total = static_cast<qint64>(total)] {
                if (lib == library_ && hierarchyBuilding_) emit hierarchyProgress(done, total);
            });
        });
        MapBuildInfo info;
        QString error;
        if (update) {
            info.rebuilt = update->rebuilt;
            info.added = static_cast<qint64>(update->added);
            info.removed = static_cast<qint64>(update->removed);
            info.nodes = static_cast<qint64>(update->nodes);
            info.meanDistortion = update->quality.mean_distortion;
            info.maxDistortion = update->quality.max_distortion;
            info.map = update->quality.map;
            info.seconds = update->seconds;
            info.reason = qtext(update->reason);
        } else {
            error = *cancel ? tr("cancelled") : qtext(update.error().message);
        }
        postCall(this, [this, lib, cancel, info, error] {
            if (lib != library_ || cancel != hierarchyCancel_) return;
            hierarchyBuilding_ = false;
            emit hierarchyUpdated(info, error);
            if (error.isEmpty()) loadHierarchy();
            if (std::exchange(hierarchyAgain_, false) && !*cancel) updateHierarchy();
        });
    });
    return true;
}

void LibraryService::cancelHierarchy() {
    *hierarchyCancel_ = true;
    hierarchyAgain_ = false;
}

quint64 LibraryService::searchAtLevel(const QString& imagePath, int level, int k) {
    const quint64 id = ++latestLevelSearch_;
    if (!library_) {
        postCall(this, [this, id] { emit levelSearchFinished(id, {}, tr("No library is open.")); });
        return id;
    }
    startTask<&readerChannel>(reader_, [this, lib = library_, id, imagePath, level, k] {
        if (latestLevelSearch_ != id) return;  // a newer request came while this one waited
        auto found = search_at_level(*lib, fspath(imagePath), level, k);
        LevelResult result;
        result.query = imagePath;
        result.level = level;
        QString error;
        if (found) {
            result.qx = found->qx;
            result.qy = found->qy;
            for (int p : found->path) result.path.push_back(p);
            for (const auto& hit : found->hits)
                result.hits.push_back({hit.node, hit.id, qpath(hit.representative_path), hit.size, hit.depth, hit.distance});
        } else {
            error = qtext(found.error().message);
        }
        postCall(this, [this, lib, id, result, error] {
            if (lib == library_ && latestLevelSearch_ == id) emit levelSearchFinished(id, result, error);
        });
    });
    return id;
}

}  // namespace rv::ui
