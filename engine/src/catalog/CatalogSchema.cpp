#include "catalog/CatalogSchema.h"

#include <sqlite3.h>

#include <cstdint>
#include <iterator>
#include <string>

#include "ruvision/engine/CatalogDb.h"

namespace rv::catalog {

namespace {

// kMigrations[v] takes a file from user_version v to v + 1. Append a step for each new version and
// raise CatalogDb::kSchemaVersion; never edit a released step.
//
// Version 1:
//   roots     the folders the user added; path is the raw bytes (BLOB), added_at Unix ms.
//   files     one row per image file; path raw bytes (BLOB, compared byte for byte), size in bytes,
//             mtime_ns ns since the epoch, content_hash the caller's text, width/height pixels,
//             status 'pending' | 'indexed' | 'error', error the reason, model_id the producer of the
//             feature, updated_at Unix ms.
//   features  one backbone/descriptor feature per file: dim float32 values in host byte order
//             (little-endian on every supported target), row present exactly when status = 'indexed'.
//   meta      library settings, text keys and values.
// Version 2:
//   features.rotated  the feature of the image turned 90 degrees clockwise (same model and dim),
//             for finding rotated near-duplicates; NULL for files indexed before version 2.
// Version 3:
//   files.full_hash  the caller's hash of the whole content (text), confirming a move that the
//             cheap content_hash suggests; NULL for files hashed before version 3 (never a move).
//   roots.offline  why the last indexing run found the root offline (missing, unreadable, suddenly
//             empty); NULL while it is online. Its files are kept while it is offline.
//   mounts    folders under a root that were mount points (another device than their parent) when
//             last seen, path raw bytes; their files are kept while they are unmounted.
// Version 4:
//   marks     a person's verdict on a pair of files: one row per unordered pair, the smaller file id
//             in a (a < b), the latest verdict replacing the earlier one. verdict 'alike' |
//             'different'; source where it was given ('search' | 'duplicates' | 'pairs' | 'import');
//             session the search session id (NULL when none); time Unix ms. Keyed on file ids, so a
//             moved file (same id) keeps its marks; a file that leaves the catalog takes its marks
//             with it (ON DELETE CASCADE).
// Version 5 (learning from marks; Adapter.h, Feedback.h):
//   adapters  one row per trained or imported base adapter version (1, 2, ...; never reused):
//             model_id the feature it fits (network + descriptor), dim and rank, params the bytes
//             of serialize_adapter(), marks the marks it learned from and held_out those kept for
//             the guard, held_out_before / held_out_after the guard's scores of the version active
//             then and of this one, activated whether the guard let it become active, reason why
//             (not), source 'learn' | 'import', summary a JSON text about its marks or origin,
//             created Unix ms. The active version is meta 'adapter.active' (absent: none).
//   fast_adapter  the one fast adapter (rank 1-2) updated after each mark, on top of the base
//             version base_version (0: none); params as for adapters; marks the marks it has
//             seen; time Unix ms. Dropped when another base version becomes active.
//   sessions  one search session: query the float32 query vector as searched (unit), refined the
//             query after the person's marks (NULL while unrefined), shown the int64 file ids in
//             the order shown, query_file the library file searched with (NULL: from outside),
//             model_id the feature space of the vectors, time Unix ms. marks.session names it.
//   patterns  the pattern memory: clusters of sessions' queries, all rows replaced together at
//             each re-clustering (never appended); centroid the unit float32 mean direction,
//             refinement the float32 mean of (refined - query) of its sessions, sessions how many
//             it holds, model_id, built Unix ms of the clustering.
// Version 6 (a third verdict):
//   marks.verdict  'same' | 'alike' | 'different': 'same' the same picture (a copy, an edit, another
//             size), 'alike' alike but not the same picture. SQLite cannot alter a CHECK, so the table is
//             rebuilt (every row kept, in the migration's transaction); under version 5 an 'alike'
//             from 'duplicates' or 'pairs' meant the same picture, so those rows become 'same'.
// Version 7 (the collection as a hierarchy; Hierarchy.h):
//   hierarchy  one row (id = 1) while a hierarchy is stored: model_id the features it was built
//             from, adapter_version the base adapter version applied to them (0: none), dim their
//             dimension, scale the hyperbolic length of one edge, next_id the next unused node id,
//             built Unix ms of the last full build, updated Unix ms of the last store (full or
//             incremental), mean_distortion / max_distortion / map the embedding's quality
//             (measure_embedding) and pairs the node pairs it was measured on.
//   hierarchy_nodes  one row per node of the stored tree: id the node id (stable across
//             incremental updates), parent the parent's node id (NULL for the root, the only
//             node without one), kind 'root' | 'group' | 'duplicates' | 'image', depth (root 0),
//             size the images below (1 for an image), representative the node id of an image node
//             below (itself for an image), file_id the catalog file (images only, else NULL; no
//             foreign key: a file that leaves the catalog makes the hierarchy stale, never
//             half-deleted), position the order among its siblings (embed_tree's), x and y its
//             point in the unit disk, centroid the unit float32 mean feature (root and groups;
//             NULL otherwise). All rows and the header are replaced together in one transaction.
// Version 8 (search that knows the library; self-supervised tuning; search by region):
//   adapters.source  also 'tune': a version trained on augmented views of the library's own images
//             (no marks). SQLite cannot alter a CHECK, so the table is rebuilt, every row kept.
//   regions   regional descriptors stored at indexing for search by region: one row per (file,
//             idx); model_id the feature space (as features.model_id), x y w h the region as
//             fractions of the image as indexed (EXIF orientation applied; 0 <= x, x + w <= 1, the
//             same for y, h), dim and vector as in features. A file that leaves the catalog
//             takes its regions with it.
//   search_calibration  what searches learned about the library, per feature space: model_id and
//             adapter_version (0: none) the space, images how many indexed images it was learned
//             on, whitening the bytes of the serialised whitening (Whitening.h), calibration a
//             JSON text (the score model: same-picture and alike probabilities), built Unix ms.
// Version 9 (weak-edit twins in search):
//   twins     views of an indexed image stored beside its feature (augment/EditTwins.h: turned
//             by +-10 degrees with black corners, grey), idx the view (TwinView order), model_id
//             and dim, vector as in features (unit float32). A search scores a file by the best of
//             its feature and its twins. A file that leaves the catalog takes its twins with it.
// Version 10 (libraries of half a million files):
//   features_turned  an index of the features that have a quarter turn, so that counting them
//             (CatalogDb::quarter_turn_count, at every opening) reads no feature: without it the
//             count read every feature row, 2.6 GB at 500,000 files.
// Version 11 (index files trusted after a crash that changed nothing):
//   index_changes  one row (id = 1): n counts every insert, update and delete of the rows the
//             index files are built from (features, regions, twins, whatever deletes them: a
//             file's removal too), kept by triggers, so that no writer can forget it
//             (CatalogDb::index_changes). The library records n in meta 'index_at_change' after
//             writing its index files, and trusts them at the next opening only while n is the
//             same. It replaces meta 'index_dirty' ('1' from the start of an indexing run to its
//             end), which made every reader rebuild the index after a run killed before it had
//             changed anything: a file written while the mark was clean gets 'index_at_change' 0.
//             (Not schema, but written with it: meta 'index_views:<file>' holds the views the
//             library wrote to each view index file, so that opening needs no count of them.)
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE roots(
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL UNIQUE,
    added_at INTEGER NOT NULL
);
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    path BLOB NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT,
    width INTEGER,
    height INTEGER,
    status TEXT NOT NULL CHECK (status IN ('pending', 'indexed', 'error')),
    error TEXT,
    model_id TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX files_by_root ON files(root_id);
CREATE INDEX files_by_status ON files(status);
CREATE INDEX files_by_hash ON files(content_hash) WHERE content_hash IS NOT NULL;
CREATE TABLE features(
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL CHECK (dim > 0),
    vector BLOB NOT NULL CHECK (length(vector) = 4 * dim)
);
CREATE INDEX features_by_model ON features(model_id);
CREATE TABLE meta(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    R"sql(
ALTER TABLE features ADD COLUMN rotated BLOB CHECK (rotated IS NULL OR length(rotated) = 4 * dim);
)sql",
    R"sql(
ALTER TABLE files ADD COLUMN full_hash TEXT;
ALTER TABLE roots ADD COLUMN offline TEXT;
CREATE TABLE mounts(
    root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    path BLOB NOT NULL,
    PRIMARY KEY(root_id, path)
) WITHOUT ROWID;
)sql",
    R"sql(
CREATE TABLE marks(
    a INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    verdict TEXT NOT NULL CHECK (verdict IN ('alike', 'different')),
    source TEXT NOT NULL CHECK (source IN ('search', 'duplicates', 'pairs', 'import')),
    session INTEGER,
    time INTEGER NOT NULL,
    PRIMARY KEY(a, b),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX marks_by_b ON marks(b);
)sql",
    R"sql(
CREATE TABLE adapters(
    version INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    params BLOB NOT NULL,
    marks INTEGER NOT NULL,
    held_out INTEGER NOT NULL,
    held_out_before REAL,
    held_out_after REAL,
    activated INTEGER NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('learn', 'import')),
    summary TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE fast_adapter(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    base_version INTEGER NOT NULL,
    params BLOB NOT NULL,
    marks INTEGER NOT NULL,
    time INTEGER NOT NULL
);
CREATE TABLE sessions(
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    query BLOB NOT NULL,
    refined BLOB,
    shown BLOB NOT NULL,
    query_file INTEGER REFERENCES files(id) ON DELETE SET NULL,
    time INTEGER NOT NULL
);
CREATE TABLE patterns(
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    centroid BLOB NOT NULL,
    refinement BLOB NOT NULL,
    sessions INTEGER NOT NULL,
    built INTEGER NOT NULL
);
)sql",
    R"sql(
CREATE TABLE marks_v6(
    a INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    verdict TEXT NOT NULL CHECK (verdict IN ('same', 'alike', 'different')),
    source TEXT NOT NULL CHECK (source IN ('search', 'duplicates', 'pairs', 'import')),
    session INTEGER,
    time INTEGER NOT NULL,
    PRIMARY KEY(a, b),
    CHECK (a < b)
) WITHOUT ROWID;
INSERT INTO marks_v6(a, b, verdict, source, session, time)
    SELECT a, b,
           CASE WHEN verdict = 'alike' AND source IN ('duplicates', 'pairs') THEN 'same' ELSE verdict END,
           source, session, time
    FROM marks;
DROP TABLE marks;
ALTER TABLE marks_v6 RENAME TO marks;
CREATE INDEX marks_by_b ON marks(b);
)sql",
    R"sql(
CREATE TABLE hierarchy(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    model_id TEXT NOT NULL,
    adapter_version INTEGER NOT NULL,
    dim INTEGER NOT NULL,
    scale REAL NOT NULL,
    next_id INTEGER NOT NULL,
    built INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    mean_distortion REAL NOT NULL,
    max_distortion REAL NOT NULL,
    map REAL NOT NULL,
    pairs INTEGER NOT NULL
);
CREATE TABLE hierarchy_nodes(
    id INTEGER PRIMARY KEY,
    parent INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('root', 'group', 'duplicates', 'image')),
    depth INTEGER NOT NULL CHECK (depth >= 0),
    size INTEGER NOT NULL CHECK (size >= 0),
    representative INTEGER,
    file_id INTEGER,
    position INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    centroid BLOB,
    CHECK ((parent IS NULL) = (kind = 'root')),
    CHECK ((file_id IS NOT NULL) = (kind = 'image'))
);
)sql",
    R"sql(
CREATE TABLE adapters_v8(
    version INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    params BLOB NOT NULL,
    marks INTEGER NOT NULL,
    held_out INTEGER NOT NULL,
    held_out_before REAL,
    held_out_after REAL,
    activated INTEGER NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('learn', 'import', 'tune')),
    summary TEXT NOT NULL,
    created INTEGER NOT NULL
);
INSERT INTO adapters_v8 SELECT * FROM adapters;
DROP TABLE adapters;
ALTER TABLE adapters_v8 RENAME TO adapters;
CREATE TABLE regions(
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL CHECK (idx >= 0),
    model_id TEXT NOT NULL,
    x REAL NOT NULL CHECK (x >= 0 AND x <= 1),
    y REAL NOT NULL CHECK (y >= 0 AND y <= 1),
    w REAL NOT NULL CHECK (w > 0 AND x + w <= 1.000001),
    h REAL NOT NULL CHECK (h > 0 AND y + h <= 1.000001),
    dim INTEGER NOT NULL CHECK (dim > 0),
    vector BLOB NOT NULL CHECK (length(vector) = 4 * dim),
    PRIMARY KEY(file_id, idx)
) WITHOUT ROWID;
CREATE INDEX regions_by_model ON regions(model_id);
CREATE TABLE search_calibration(
    model_id TEXT NOT NULL,
    adapter_version INTEGER NOT NULL CHECK (adapter_version >= 0),
    images INTEGER NOT NULL CHECK (images >= 0),
    whitening BLOB,
    calibration TEXT NOT NULL,
    built INTEGER NOT NULL,
    PRIMARY KEY(model_id, adapter_version)
) WITHOUT ROWID;
)sql",
    R"sql(
CREATE TABLE twins(
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL CHECK (idx >= 0),
    model_id TEXT NOT NULL,
    dim INTEGER NOT NULL CHECK (dim > 0),
    vector BLOB NOT NULL CHECK (length(vector) = 4 * dim),
    PRIMARY KEY(file_id, idx)
) WITHOUT ROWID;
CREATE INDEX twins_by_model ON twins(model_id);
)sql",
    R"sql(
CREATE INDEX features_turned ON features(model_id) WHERE rotated IS NOT NULL;
)sql",
    R"sql(
CREATE TABLE index_changes(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO index_changes VALUES(1, 0);
CREATE TRIGGER features_insert_changes AFTER INSERT ON features BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER features_update_changes AFTER UPDATE ON features BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER features_delete_changes AFTER DELETE ON features BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER regions_insert_changes AFTER INSERT ON regions BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER regions_update_changes AFTER UPDATE ON regions BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER regions_delete_changes AFTER DELETE ON regions BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER twins_insert_changes AFTER INSERT ON twins BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER twins_update_changes AFTER UPDATE ON twins BEGIN UPDATE index_changes SET n = n + 1; END;
CREATE TRIGGER twins_delete_changes AFTER DELETE ON twins BEGIN UPDATE index_changes SET n = n + 1; END;
INSERT INTO meta(key, value) SELECT 'index_at_change', '0' FROM meta WHERE key = 'index_dirty' AND value = '0';
DELETE FROM meta WHERE key = 'index_dirty';
)sql",
};
static_assert(std::size(kMigrations) == CatalogDb::kSchemaVersion, "one migration step per schema version");

int read_int(sqlite3* db, const char* sql, std::int64_t* out) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

struct Header {
    std::int64_t application_id = 0, version = 0, objects = 0;
};

int read_header(sqlite3* db, Header* h) {
    int rc = read_int(db, "PRAGMA application_id", &h->application_id);
    if (rc == SQLITE_OK) rc = read_int(db, "PRAGMA user_version", &h->version);
    if (rc == SQLITE_OK) rc = read_int(db, "SELECT count(*) FROM sqlite_schema", &h->objects);
    return rc;
}

Status check_header(Connection& c, const Header& h) {
    const bool blank = h.application_id == 0 && h.version == 0 && h.objects == 0;
    if (h.application_id != kApplicationId && !blank)
        return c.error("open", "not a RuVision catalog (a SQLite database of another application)");
    if (h.version > CatalogDb::kSchemaVersion)
        return c.error("open", "schema version " + std::to_string(h.version) +
                                   " is newer than this build of RuVision reads (version " +
                                   std::to_string(CatalogDb::kSchemaVersion) +
                                   "); open this library with a newer RuVision");
    if (h.version < 0) return c.error("open", "invalid schema version " + std::to_string(h.version));
    return {};
}

}  // namespace

Status check_schema(Connection& c) {
    Header h;
    if (int rc = read_header(c.db(), &h); rc != SQLITE_OK) return c.sql_error("open", rc);
    if (h.application_id == 0 && h.version == 0 && h.objects == 0)
        return c.error("open", "the catalog is empty (not a library yet, or still being created)");
    if (Status s = check_header(c, h); !s) return s;
    if (h.version < CatalogDb::kSchemaVersion)
        return c.error("open", "schema version " + std::to_string(h.version) + " is older than this RuVision reads (" +
                                   std::to_string(CatalogDb::kSchemaVersion) +
                                   "); open the library once with write access (ruvision-cli index) to upgrade it");
    return {};
}

Status ensure_schema(Connection& c) {
    Header h;
    if (int rc = read_header(c.db(), &h); rc != SQLITE_OK) return c.sql_error("open", rc);
    if (Status s = check_header(c, h); !s) return s;
    if (h.version == CatalogDb::kSchemaVersion) return {};

    WriteScope scope(c, "open (schema migration)");
    if (!scope.started()) return scope.started();
    // Another process may have migrated between the read above and taking the lock.
    if (int rc = read_header(c.db(), &h); rc != SQLITE_OK) return c.sql_error("open", rc);
    if (Status s = check_header(c, h); !s) return s;
    for (auto v = h.version; v < CatalogDb::kSchemaVersion; ++v) {
        char* msg = nullptr;
        if (int rc = sqlite3_exec(c.db(), kMigrations[v], nullptr, nullptr, &msg); rc != SQLITE_OK) {
            Error e = c.error("open", "migrating the schema from version " + std::to_string(v) + " failed: " +
                                          (msg ? msg : sqlite3_errstr(rc)));
            sqlite3_free(msg);
            return e;
        }
    }
    const std::string stamp = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                              "; PRAGMA user_version = " + std::to_string(CatalogDb::kSchemaVersion) + ";";
    if (int rc = sqlite3_exec(c.db(), stamp.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK)
        return c.sql_error("open (schema migration)", rc);
    return scope.commit();
}

}  // namespace rv::catalog
