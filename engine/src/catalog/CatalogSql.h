// Every SQL statement the catalog runs, by name. The texts live in CatalogSql.cpp, next to nothing
// else; a Connection prepares each one once, on first use, and keeps it for its lifetime.
#pragma once

#include <cstddef>

namespace rv::catalog {

enum class Sql {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    RollbackToSavepoint,

    RootInsert,
    RootIdByPath,
    RootDelete,
    RootList,
    RootSetOffline,
    MountList,
    MountClear,
    MountInsert,
    RootMoveFiles,
    RootRename,

    FileSeenLookup,
    FileInsert,
    FileResetChanged,
    FileMarkIndexed,
    FileMarkError,
    FileMarkPending,
    FileById,
    FileByPath,
    FilesByHash,
    FileSetHash,
    FileMove,
    FilesUnderRoot,
    FileDelete,
    FilesPending,
    CountByStatus,
    FileErrors,

    FeatureUpsert,
    FeatureCopy,
    FeatureDelete,
    FeatureOne,
    FeaturesOfModel,
    RotatedOfModel,

    MarkUpsert,
    MarkDelete,
    MarkList,
    MarkCount,

    AdapterInsert,
    AdapterList,
    AdapterOne,
    AdapterSetVerdict,
    FastAdapterGet,
    FastAdapterSet,
    FastAdapterClear,
    SessionInsert,
    SessionSetRefined,
    SessionList,
    PatternClear,
    PatternInsert,
    PatternList,

    // the hierarchy (i12-library)
    HierarchyHeaderClear,
    HierarchyNodesClear,
    HierarchyHeaderSet,
    HierarchyNodeInsert,
    HierarchyHeaderGet,
    HierarchyNodeList,
    HierarchyNodeListWithCentroids,
    FeatureIdsOfModel,
    FilesIndexedSince,
    // search calibration (i13-search)
    SearchCalibrationGet,
    SearchCalibrationSet,
    // weak-edit twins (i13-twins): the stored quarter turns, counted from the features_turned
    // index at every opening (test_catalog_migration reads its plan)
    QuarterTurnCount,
    // the count of changes to the rows the index files are built from (schema version 11)
    IndexChanges,

    MetaGet,
    MetaSet,
    MetaDelete,

    IntegrityCheck,
    Count_
};

inline constexpr std::size_t kSqlCount = static_cast<std::size_t>(Sql::Count_);

const char* sql_text(Sql id);

// Column order of every statement that returns whole file rows (read_file_row() relies on it).
// Column order of the adapter statements (read_adapter_row() relies on it).
#define RV_CATALOG_ADAPTER_COLUMNS                                                                           \
    "version, model_id, dim, rank, params, marks, held_out, held_out_before, held_out_after, activated, reason, " \
    "source, summary, created"

#define RV_CATALOG_FILE_COLUMNS \
    "id, root_id, path, size, mtime_ns, content_hash, width, height, status, error, model_id, updated_at, full_hash"

}  // namespace rv::catalog
