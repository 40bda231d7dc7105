#include "catalog/CatalogSql.h"

namespace rv::catalog {

namespace {

// Parameters are numbered (?1, ?2, ...) so that call sites can bind by position without counting.
// Status is stored as text ('pending' | 'indexed' | 'error'), readable with the sqlite3 shell.
constexpr const char* kTexts[kSqlCount] = {
    /* Begin */ "BEGIN IMMEDIATE",
    /* Commit */ "COMMIT",
    /* Rollback */ "ROLLBACK",
    /* Savepoint */ "SAVEPOINT rv_call",
    /* Release */ "RELEASE rv_call",
    /* RollbackToSavepoint */ "ROLLBACK TO rv_call",

    /* RootInsert */ "INSERT INTO roots(path, added_at) VALUES(?1, ?2) ON CONFLICT(path) DO NOTHING",
    /* RootIdByPath */ "SELECT id FROM roots WHERE path = ?1",
    /* RootDelete */ "DELETE FROM roots WHERE id = ?1",
    /* RootList */ "SELECT id, path, added_at, offline FROM roots ORDER BY id",
    /* RootSetOffline */ "UPDATE roots SET offline = ?2 WHERE id = ?1",
    /* MountList */ "SELECT path FROM mounts WHERE root_id = ?1 ORDER BY path",
    /* MountClear */ "DELETE FROM mounts WHERE root_id = ?1",
    /* MountInsert */ "INSERT OR IGNORE INTO mounts(root_id, path) VALUES(?1, ?2)",
    /* RootMoveFiles */ "UPDATE files SET root_id = ?2 WHERE root_id = ?1",
    /* RootRename */ "UPDATE roots SET path = ?2 WHERE id = ?1",

    /* FileSeenLookup */ "SELECT id, size, mtime_ns FROM files WHERE path = ?1",
    /* FileInsert */
    "INSERT INTO files(root_id, path, size, mtime_ns, status, updated_at) VALUES(?1, ?2, ?3, ?4, 'pending', ?5)",
    /* FileResetChanged */
    "UPDATE files SET size = ?2, mtime_ns = ?3, status = 'pending', error = NULL, content_hash = NULL, full_hash = NULL, "
    "width = NULL, height = NULL, model_id = NULL, updated_at = ?4 WHERE id = ?1",
    /* FileMarkIndexed */
    "UPDATE files SET status = 'indexed', error = NULL, width = ?2, height = ?3, model_id = ?4, updated_at = ?5 "
    "WHERE id = ?1",
    /* FileMarkError */
    "UPDATE files SET status = 'error', error = ?2, model_id = NULL, updated_at = ?3 WHERE id = ?1",
    /* FileMarkPending */
    "UPDATE files SET status = 'pending', error = NULL, width = NULL, height = NULL, model_id = NULL, updated_at = ?2 "
    "WHERE id = ?1",
    /* FileById */ "SELECT " RV_CATALOG_FILE_COLUMNS " FROM files WHERE id = ?1",
    /* FileByPath */ "SELECT " RV_CATALOG_FILE_COLUMNS " FROM files WHERE path = ?1",
    /* FilesByHash */ "SELECT " RV_CATALOG_FILE_COLUMNS " FROM files WHERE content_hash = ?1 ORDER BY id",
    /* FileSetHash */ "UPDATE files SET content_hash = ?2, full_hash = ?4, updated_at = ?3 WHERE id = ?1",
    /* FileMove */
    "UPDATE files SET root_id = ?2, path = ?3, size = ?4, mtime_ns = ?5, updated_at = ?6 WHERE id = ?1",
    /* FilesUnderRoot */ "SELECT " RV_CATALOG_FILE_COLUMNS " FROM files WHERE root_id = ?1 ORDER BY id",
    /* FileDelete */ "DELETE FROM files WHERE id = ?1",
    /* FilesPending */
    "SELECT " RV_CATALOG_FILE_COLUMNS " FROM files WHERE status = 'pending' ORDER BY id LIMIT ?1",
    /* CountByStatus */ "SELECT status, count(*) FROM files GROUP BY status",
    /* FileErrors */ "SELECT id, path, error FROM files WHERE status = 'error' ORDER BY path",

    /* FeatureUpsert */
    "INSERT INTO features(file_id, model_id, dim, vector, rotated) VALUES(?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(file_id) DO UPDATE "
    "SET model_id = excluded.model_id, dim = excluded.dim, vector = excluded.vector, rotated = excluded.rotated",
    /* FeatureCopy */
    "INSERT INTO features(file_id, model_id, dim, vector, rotated) SELECT ?2, model_id, dim, vector, rotated "
    "FROM features WHERE file_id = ?1 ON CONFLICT(file_id) DO UPDATE "
    "SET model_id = excluded.model_id, dim = excluded.dim, vector = excluded.vector, rotated = excluded.rotated",
    /* FeatureDelete */ "DELETE FROM features WHERE file_id = ?1",
    /* FeatureOne */ "SELECT dim, vector FROM features WHERE file_id = ?1",
    /* FeaturesOfModel */ "SELECT file_id, dim, vector FROM features WHERE model_id = ?1 ORDER BY file_id",
    /* RotatedOfModel */
    "SELECT file_id, dim, rotated FROM features WHERE model_id = ?1 AND rotated IS NOT NULL ORDER BY file_id",

    /* MarkUpsert */
    "INSERT INTO marks(a, b, verdict, source, session, time) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT(a, b) DO UPDATE SET verdict = excluded.verdict, source = excluded.source, "
    "session = excluded.session, time = excluded.time",
    /* MarkDelete */ "DELETE FROM marks WHERE a = ?1 AND b = ?2",
    /* MarkList */ "SELECT a, b, verdict, source, session, time FROM marks ORDER BY time, a, b",
    /* MarkCount */ "SELECT count(*) FROM marks",

    /* AdapterInsert */
    "INSERT INTO adapters(version, model_id, dim, rank, params, marks, held_out, held_out_before, held_out_after, "
    "activated, reason, source, summary, created) "
    "VALUES((SELECT coalesce(max(version), 0) + 1 FROM adapters), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
    "RETURNING version",
    /* AdapterList */ "SELECT " RV_CATALOG_ADAPTER_COLUMNS " FROM adapters ORDER BY version",
    /* AdapterOne */ "SELECT " RV_CATALOG_ADAPTER_COLUMNS " FROM adapters WHERE version = ?1",
    /* AdapterSetVerdict */ "UPDATE adapters SET activated = ?2, reason = ?3 WHERE version = ?1",
    /* FastAdapterGet */ "SELECT base_version, params, marks, time FROM fast_adapter WHERE id = 1",
    /* FastAdapterSet */
    "INSERT INTO fast_adapter(id, base_version, params, marks, time) VALUES(1, ?1, ?2, ?3, ?4) "
    "ON CONFLICT(id) DO UPDATE SET base_version = excluded.base_version, params = excluded.params, "
    "marks = excluded.marks, time = excluded.time",
    /* FastAdapterClear */ "DELETE FROM fast_adapter",
    /* SessionInsert */
    "INSERT INTO sessions(model_id, query, refined, shown, query_file, time) VALUES(?1, ?2, NULL, ?3, ?4, ?5)",
    /* SessionSetRefined */ "UPDATE sessions SET refined = ?2 WHERE id = ?1",
    /* SessionList */
    "SELECT id, query, refined, shown, query_file, time FROM sessions WHERE model_id = ?1 ORDER BY time, id",
    /* PatternClear */ "DELETE FROM patterns",
    /* PatternInsert */
    "INSERT INTO patterns(model_id, centroid, refinement, sessions, built) VALUES(?1, ?2, ?3, ?4, ?5)",
    /* PatternList */
    "SELECT id, centroid, refinement, sessions, built FROM patterns WHERE model_id = ?1 ORDER BY id",

    /* HierarchyHeaderClear */ "DELETE FROM hierarchy",
    /* HierarchyNodesClear */ "DELETE FROM hierarchy_nodes",
    /* HierarchyHeaderSet */
    "INSERT INTO hierarchy(id, model_id, adapter_version, dim, scale, next_id, built, updated, mean_distortion, "
    "max_distortion, map, pairs) VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    /* HierarchyNodeInsert */
    "INSERT INTO hierarchy_nodes(id, parent, kind, depth, size, representative, file_id, position, x, y, centroid) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    /* HierarchyHeaderGet */
    "SELECT model_id, adapter_version, dim, scale, next_id, built, updated, mean_distortion, max_distortion, map, "
    "pairs FROM hierarchy WHERE id = 1",
    /* HierarchyNodeList */
    "SELECT id, parent, kind, depth, size, representative, file_id, position, x, y, length(centroid) FROM hierarchy_nodes",
    /* HierarchyNodeListWithCentroids */
    "SELECT id, parent, kind, depth, size, representative, file_id, position, x, y, centroid FROM hierarchy_nodes",
    /* FeatureIdsOfModel */
    "SELECT id FROM files WHERE status = 'indexed' AND model_id = ?1 ORDER BY id",
    /* FilesIndexedSince */ "SELECT id FROM files WHERE status = 'indexed' AND updated_at > ?1 ORDER BY id",
    // search calibration (i13-search)
    /* SearchCalibrationGet */
    "SELECT model_id, adapter_version, images, whitening, calibration, built FROM search_calibration "
    "WHERE model_id = ?1 AND adapter_version = ?2",
    /* SearchCalibrationSet */
    "INSERT OR REPLACE INTO search_calibration(model_id, adapter_version, images, whitening, calibration, built) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",

    /* QuarterTurnCount */
    "SELECT count(*) FROM features e JOIN files f ON f.id = e.file_id WHERE e.model_id = ?1 AND e.rotated IS NOT NULL "
    "AND f.status = 'indexed' AND f.model_id = ?1",

    /* IndexChanges */ "SELECT n FROM index_changes WHERE id = 1",

    /* MetaGet */ "SELECT value FROM meta WHERE key = ?1",
    /* MetaSet */ "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    /* MetaDelete */ "DELETE FROM meta WHERE key = ?1",

    /* IntegrityCheck */ "PRAGMA integrity_check(20)",
};

}  // namespace

const char* sql_text(Sql id) { return kTexts[static_cast<std::size_t>(id)]; }

}  // namespace rv::catalog
