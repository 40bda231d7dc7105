// CatalogDb: files, their status and their features.
#include <sqlite3.h>

#include <bit>
#include <cstring>

#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv {

using catalog::Connection;
using catalog::Sql;
using catalog::Stmt;
using catalog::WriteScope;

static_assert(std::endian::native == std::endian::little, "features are stored as little-endian float32");

namespace {

FileStatus parse_status(const std::string& s) {
    if (s == "indexed") return FileStatus::Indexed;
    if (s == "error") return FileStatus::Error;
    return FileStatus::Pending;
}

// Columns in RV_CATALOG_FILE_COLUMNS order.
CatalogFile read_file_row(const Stmt& s) {
    CatalogFile f;
    f.id = s.int64(0);
    f.root_id = s.int64(1);
    f.path = s.bytes(2);
    f.size = s.int64(3);
    f.mtime_ns = s.int64(4);
    if (!s.is_null(5)) f.content_hash = s.bytes(5);
    f.width = static_cast<int>(s.int64(6));
    f.height = static_cast<int>(s.int64(7));
    f.status = parse_status(s.bytes(8));
    f.error = s.bytes(9);
    f.model_id = s.bytes(10);
    f.updated_at = s.int64(11);
    if (!s.is_null(12)) f.full_hash = s.bytes(12);
    return f;
}

// Runs a statement returning file rows; its parameters are bound by `bind`.
template <class Bind>
Result<std::vector<CatalogFile>> query_files(Connection& c, Sql id, std::string_view op, Bind&& bind) {
    std::vector<CatalogFile> out;
    Stmt s(c, id);
    bind(s);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_file_row(s));
    if (rc != SQLITE_DONE) return c.sql_error(op, rc);
    return out;
}

Result<std::optional<CatalogFile>> first_file(Result<std::vector<CatalogFile>> rows) {
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<CatalogFile>();
    return std::optional<CatalogFile>(std::move(rows->front()));
}

// A write statement that must touch exactly one row of files (unknown ids are an Error).
Status update_one(Connection& c, Stmt& s, std::string_view op, std::int64_t file_id) {
    if (int rc = s.step(); rc != SQLITE_DONE) return c.sql_error(op, rc);
    if (sqlite3_changes(c.db()) != 1) return c.error(op, "no file with id " + std::to_string(file_id));
    return {};
}

Status delete_feature(Connection& c, std::int64_t file_id, std::string_view op) {
    Stmt s(c, Sql::FeatureDelete);
    s.bind(1, file_id);
    if (int rc = s.step(); rc != SQLITE_DONE) return c.sql_error(op, rc);
    return {};
}

Status set_indexed(Connection& c, std::int64_t file_id, int width, int height, std::string_view model_id,
                   std::string_view op) {
    Stmt s(c, Sql::FileMarkIndexed);
    s.bind(1, file_id);
    s.bind(2, width);
    s.bind(3, height);
    s.bind_text(4, model_id);
    s.bind(5, catalog::now_ms());
    return update_one(c, s, op, file_id);
}

}  // namespace

Result<FileSeen> CatalogDb::upsert_file_seen(std::int64_t root_id, std::string_view path, std::int64_t size,
                                             std::int64_t mtime_ns) {
    constexpr std::string_view op = "upsert_file_seen";
    if (path.empty()) return db_->error(op, "empty path");
    struct Seen {
        bool found = false;
        std::int64_t id = 0, size = 0, mtime_ns = 0;
    };
    auto lookup = [&](Seen* seen) -> Status {
        Stmt s(*db_, Sql::FileSeenLookup);
        s.bind_blob(1, path.data(), path.size());
        const int rc = s.step();
        if (rc == SQLITE_ROW) *seen = {true, s.int64(0), s.int64(1), s.int64(2)};
        else if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
        return {};
    };
    // A rescan of an unchanged library only reads: no lock, nothing written.
    Seen seen;
    if (Status st = lookup(&seen); !st) return st.error();
    if (seen.found && seen.size == size && seen.mtime_ns == mtime_ns) return FileSeen{seen.id, false, false};

    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started().error();
    if (Status st = lookup(&seen); !st) return st.error();  // again, under the write lock
    FileSeen out{seen.id, true, !seen.found};
    if (!seen.found) {
        Stmt s(*db_, Sql::FileInsert);
        s.bind(1, root_id);
        s.bind_blob(2, path.data(), path.size());
        s.bind(3, size);
        s.bind(4, mtime_ns);
        s.bind(5, catalog::now_ms());
        if (int rc = s.step(); rc != SQLITE_DONE) {
            if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return db_->error(op, "no root with id " + std::to_string(root_id));
            return db_->sql_error(op, rc);
        }
        out.file_id = sqlite3_last_insert_rowid(db_->db());
    } else if (seen.size == size && seen.mtime_ns == mtime_ns) {
        out.changed = false;  // another connection recorded the same change meanwhile
    } else {
        Stmt s(*db_, Sql::FileResetChanged);
        s.bind(1, seen.id);
        s.bind(2, size);
        s.bind(3, mtime_ns);
        s.bind(4, catalog::now_ms());
        if (Status st = update_one(*db_, s, op, seen.id); !st) return st.error();
        if (Status st = delete_feature(*db_, seen.id, op); !st) return st.error();
    }
    if (Status st = scope.commit(); !st) return st.error();
    return out;
}

Status CatalogDb::mark_indexed(std::int64_t file_id, int width, int height, std::string_view model_id,
                               const float* v, int dim, const float* rotated) {
    constexpr std::string_view op = "mark_indexed";
    if (dim <= 0 || !v) return db_->error(op, "empty feature for file " + std::to_string(file_id));
    if (model_id.empty()) return db_->error(op, "empty model id");
    if (width <= 0 || height <= 0) return db_->error(op, "invalid image size " + std::to_string(width) + "x" +
                                                             std::to_string(height));
    if (auto why = vector_problem(v, dim); !why.empty())
        return db_->error(op, "the feature of file " + std::to_string(file_id) + " is refused: " + why);
    if (rotated)
        if (auto why = vector_problem(rotated, dim); !why.empty())
            return db_->error(op, "the rotated feature of file " + std::to_string(file_id) + " is refused: " + why);
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    if (Status st = set_indexed(*db_, file_id, width, height, model_id, op); !st) return st;
    {
        Stmt s(*db_, Sql::FeatureUpsert);
        s.bind(1, file_id);
        s.bind_text(2, model_id);
        s.bind(3, dim);
        s.bind_blob(4, v, sizeof(float) * static_cast<std::size_t>(dim));
        if (rotated) s.bind_blob(5, rotated, sizeof(float) * static_cast<std::size_t>(dim));
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    return scope.commit();
}

Status CatalogDb::mark_error(std::int64_t file_id, std::string_view reason) {
    constexpr std::string_view op = "mark_error";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    {
        Stmt s(*db_, Sql::FileMarkError);
        s.bind(1, file_id);
        s.bind_text(2, reason.empty() ? std::string_view("unknown error") : reason);
        s.bind(3, catalog::now_ms());
        if (Status st = update_one(*db_, s, op, file_id); !st) return st;
    }
    if (Status st = delete_feature(*db_, file_id, op); !st) return st;
    return scope.commit();
}

Status CatalogDb::mark_pending(std::int64_t file_id) {
    constexpr std::string_view op = "mark_pending";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    {
        Stmt s(*db_, Sql::FileMarkPending);
        s.bind(1, file_id);
        s.bind(2, catalog::now_ms());
        if (Status st = update_one(*db_, s, op, file_id); !st) return st;
    }
    if (Status st = delete_feature(*db_, file_id, op); !st) return st;
    return scope.commit();
}

Result<std::optional<CatalogFile>> CatalogDb::file(std::int64_t file_id) {
    return first_file(query_files(*db_, Sql::FileById, "file", [&](Stmt& s) { s.bind(1, file_id); }));
}

Result<std::optional<CatalogFile>> CatalogDb::find_by_path(std::string_view path) {
    return first_file(query_files(*db_, Sql::FileByPath, "find_by_path",
                                  [&](Stmt& s) { s.bind_blob(1, path.data(), path.size()); }));
}

Result<std::vector<CatalogFile>> CatalogDb::find_by_hash(std::string_view content_hash) {
    return query_files(*db_, Sql::FilesByHash, "find_by_hash", [&](Stmt& s) { s.bind_text(1, content_hash); });
}

Status CatalogDb::set_content_hash(std::int64_t file_id, std::string_view content_hash, std::string_view full_hash) {
    Stmt s(*db_, Sql::FileSetHash);
    s.bind(1, file_id);
    if (content_hash.empty()) s.bind_null(2);
    else s.bind_text(2, content_hash);
    if (full_hash.empty()) s.bind_null(4);
    else s.bind_text(4, full_hash);
    s.bind(3, catalog::now_ms());
    return update_one(*db_, s, "set_content_hash", file_id);
}

Status CatalogDb::move_file(std::int64_t file_id, std::int64_t new_root_id, std::string_view new_path,
                            std::int64_t size, std::int64_t mtime_ns) {
    constexpr std::string_view op = "move_file";
    if (new_path.empty()) return db_->error(op, "empty path");
    Stmt s(*db_, Sql::FileMove);
    s.bind(1, file_id);
    s.bind(2, new_root_id);
    s.bind_blob(3, new_path.data(), new_path.size());
    s.bind(4, size);
    s.bind(5, mtime_ns);
    s.bind(6, catalog::now_ms());
    const int rc = s.step();
    if (rc == SQLITE_CONSTRAINT_UNIQUE) return db_->error(op, "the new path is already in the catalog");
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return db_->error(op, "no root with id " + std::to_string(new_root_id));
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    if (sqlite3_changes(db_->db()) != 1) return db_->error(op, "no file with id " + std::to_string(file_id));
    return {};
}

Status CatalogDb::copy_feature(std::int64_t from_id, std::int64_t to_id) {
    constexpr std::string_view op = "copy_feature";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    auto from = file(from_id);
    if (!from) return from.error();
    auto to = file(to_id);
    if (!to) return to.error();
    if (!*from) return db_->error(op, "no file with id " + std::to_string(from_id));
    if (!*to) return db_->error(op, "no file with id " + std::to_string(to_id));
    if ((*from)->status != FileStatus::Indexed)
        return db_->error(op, "file " + std::to_string(from_id) + " has no feature to copy");
    if ((*from)->content_hash && (*to)->content_hash && *(*from)->content_hash != *(*to)->content_hash)
        return db_->error(op, "files " + std::to_string(from_id) + " and " + std::to_string(to_id) +
                                  " have different contents");
    if (Status st = set_indexed(*db_, to_id, (*from)->width, (*from)->height, (*from)->model_id, op); !st) return st;
    {
        Stmt s(*db_, Sql::FeatureCopy);
        s.bind(1, from_id);
        s.bind(2, to_id);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
        if (sqlite3_changes(db_->db()) != 1)
            return db_->error(op, "file " + std::to_string(from_id) + " is indexed but its feature is missing");
    }
    return scope.commit();
}

Result<std::vector<CatalogFile>> CatalogDb::files_under_root(std::int64_t root_id) {
    return query_files(*db_, Sql::FilesUnderRoot, "files_under_root", [&](Stmt& s) { s.bind(1, root_id); });
}

Status CatalogDb::remove_files(std::span<const std::int64_t> file_ids) {
    constexpr std::string_view op = "remove_files";
    if (file_ids.empty()) return {};
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    for (std::int64_t id : file_ids) {
        Stmt s(*db_, Sql::FileDelete);
        s.bind(1, id);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    return scope.commit();
}

Result<std::vector<CatalogFile>> CatalogDb::pending_files(int limit) {
    return query_files(*db_, Sql::FilesPending, "pending_files", [&](Stmt& s) { s.bind(1, limit < 0 ? 0 : limit); });
}

Result<CatalogCounts> CatalogDb::counts() {
    CatalogCounts out;
    Stmt s(*db_, Sql::CountByStatus);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        const std::int64_t n = s.int64(1);
        out.total += n;
        switch (parse_status(s.bytes(0))) {
        case FileStatus::Pending: out.pending += n; break;
        case FileStatus::Indexed: out.indexed += n; break;
        case FileStatus::Error: out.errors += n; break;
        }
    }
    if (rc != SQLITE_DONE) return db_->sql_error("counts", rc);
    return out;
}

Result<std::vector<CatalogFileError>> CatalogDb::errors() {
    std::vector<CatalogFileError> out;
    Stmt s(*db_, Sql::FileErrors);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.int64(0), s.bytes(1), s.bytes(2)});
    if (rc != SQLITE_DONE) return db_->sql_error("errors", rc);
    return out;
}

namespace {

// Copies a stored vector into `out` (column blobs carry no alignment guarantee for float).
// "" if it is sound, else why it is damaged.
std::string read_vector(const Stmt& s, int dim_col, std::vector<float>* out) {
    const std::int64_t dim = s.int64(dim_col);
    std::size_t n = 0;
    const void* p = s.blob(dim_col + 1, &n);
    if (dim <= 0 || dim > (1 << 20) || n != sizeof(float) * static_cast<std::size_t>(dim))
        return "the stored feature is damaged (" + std::to_string(n) + " bytes for " + std::to_string(dim) +
               " values)";
    out->resize(static_cast<std::size_t>(dim));
    std::memcpy(out->data(), p, n);
    if (auto why = vector_problem(out->data(), static_cast<int>(dim)); !why.empty())
        return "the stored feature is damaged: " + why;
    return {};
}

}  // namespace

Status CatalogDb::for_each_feature(std::string_view model_id, const FeatureVisitor& visit,
                                   const DamagedVisitor& damaged) {
    return visit_features(Sql::FeaturesOfModel, "for_each_feature", model_id, visit, damaged);
}

Status CatalogDb::for_each_rotated_feature(std::string_view model_id, const FeatureVisitor& visit,
                                           const DamagedVisitor& damaged) {
    return visit_features(Sql::RotatedOfModel, "for_each_rotated_feature", model_id, visit, damaged);
}

Status CatalogDb::visit_features(catalog::Sql query, std::string_view op, std::string_view model_id,
                                 const FeatureVisitor& visit, const DamagedVisitor& damaged) {
    Stmt s(*db_, query);
    s.bind_text(1, model_id);
    std::vector<float> v;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        const std::int64_t id = s.int64(0);
        if (auto why = read_vector(s, 1, &v); !why.empty()) {
            if (damaged) damaged(id, why);
            continue;
        }
        if (!visit(id, v.data(), static_cast<int>(v.size()))) return {};
    }
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return {};
}

Result<std::optional<std::vector<float>>> CatalogDb::feature(std::int64_t file_id) {
    constexpr std::string_view op = "feature";
    Stmt s(*db_, Sql::FeatureOne);
    s.bind(1, file_id);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<std::vector<float>>();
    if (rc != SQLITE_ROW) return db_->sql_error(op, rc);
    std::vector<float> v;
    if (auto why = read_vector(s, 0, &v); !why.empty())
        return db_->error(op, "file " + std::to_string(file_id) + ": " + why);
    return std::optional<std::vector<float>>(std::move(v));
}

}  // namespace rv
