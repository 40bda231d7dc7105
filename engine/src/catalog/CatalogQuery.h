// A statement prepared for one call, reading a row's float vector, and the view streams and counts
// built on them: shared by the catalog's per-call tables (regions, twins, quarter turns), whose
// statements are prepared per call (a handful per indexed file, next to a forward pass) while the
// shared statement cache (CatalogSql.h) stays as it is.
// Engine-internal; a Query belongs to the connection's thread, as the connection does.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/Connection.h"
#include "ruvision/engine/Result.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv::catalog {

// Finalized on scope exit. A failed prepare or bind makes step() return that error.
class Query {
public:
    Query(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
    ~Query() { sqlite3_finalize(s_); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    sqlite3_stmt* get() const { return s_; }
    // SQLITE_ROW, SQLITE_DONE or the error (a failed prepare included).
    int step() { return rc_ != SQLITE_OK ? rc_ : sqlite3_step(s_); }
    void text(int i, std::string_view v) {
        if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    void int64(int i, std::int64_t v) {
        if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(s_, i, v);
    }
    void real(int i, double v) {
        if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_double(s_, i, v);
    }
    void blob(int i, const void* p, std::size_t n) {
        if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_blob(s_, i, p, static_cast<int>(n), SQLITE_TRANSIENT);
    }

private:
    sqlite3_stmt* s_ = nullptr;
    int rc_ = SQLITE_OK;
};

// Column `col` of the current row as `dim` floats into *out (copied: SQLite's blob pointer need
// not be aligned); "" or what is wrong with it (size, a non-finite or non-unit vector).
inline std::string read_vector(sqlite3_stmt* s, int col, int dim, std::vector<float>* out) {
    const int n = sqlite3_column_bytes(s, col);
    if (dim <= 0 || n != 4 * dim) return "its vector has " + std::to_string(n) + " bytes for " + std::to_string(dim) + " values";
    out->resize(static_cast<std::size_t>(dim));
    std::memcpy(out->data(), sqlite3_column_blob(s, col), static_cast<std::size_t>(n));
    return vector_problem(out->data(), dim);
}

// A view stream (CatalogDb::for_each_region, for_each_twin, for_each_quarter_turn): `sql` selects
// the file id (column 0) and the row's index (column 1) first, its ?1 is bound to `model_id`.
// `read` puts the current row's vector into *v and returns "" or what is wrong with the row, as
// reported (naming the row, e.g. "twin 2: ..."): such a row goes to `damaged` (when given) and is
// skipped; the walk goes on. `visit` returning false ends the walk (success). `op` names the call
// in a SQLite error.
using VectorVisitor = std::function<bool(std::int64_t file_id, int idx, const float* v, int dim)>;
using DamageVisitor = std::function<void(std::int64_t file_id, const std::string& reason)>;
using RowReader = std::function<std::string(sqlite3_stmt* s, int idx, std::vector<float>* v)>;
inline Status stream_vectors(const Connection& db, std::string_view op, const char* sql, std::string_view model_id,
                             const RowReader& read, const VectorVisitor& visit, const DamageVisitor& damaged) {
    Query q(db.db(), sql);
    q.text(1, model_id);
    std::vector<float> v;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        sqlite3_stmt* s = q.get();
        const std::int64_t id = sqlite3_column_int64(s, 0);
        const int idx = sqlite3_column_int(s, 1);
        if (std::string bad = read(s, idx, &v); !bad.empty()) {
            if (damaged) damaged(id, bad);
            continue;
        }
        if (!visit(id, idx, v.data(), static_cast<int>(v.size()))) return Status::success();
    }
    if (rc != SQLITE_DONE) return db.sql_error(op, rc);
    return Status::success();
}

// The single count `sql` selects, its ?1 bound to `model_id`.
inline Result<std::int64_t> count_of(const Connection& db, std::string_view op, const char* sql,
                                     std::string_view model_id) {
    Query q(db.db(), sql);
    q.text(1, model_id);
    if (int rc = q.step(); rc != SQLITE_ROW) return db.sql_error(op, rc);
    return static_cast<std::int64_t>(sqlite3_column_int64(q.get(), 0));
}

// Runs `sql`, a statement that returns no rows, with its ?1 bound to `file_id`.
inline Status run_for_file(const Connection& db, std::string_view op, const char* sql, std::int64_t file_id) {
    Query q(db.db(), sql);
    q.int64(1, file_id);
    if (int rc = q.step(); rc != SQLITE_DONE) return db.sql_error(op, rc);
    return Status::success();
}

// The ids `sql` selects (column 0), its ?1 bound to `model_id`.
inline Result<std::vector<std::int64_t>> ids_of(const Connection& db, std::string_view op, const char* sql,
                                                std::string_view model_id) {
    Query q(db.db(), sql);
    q.text(1, model_id);
    std::vector<std::int64_t> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out.push_back(sqlite3_column_int64(q.get(), 0));
    if (rc != SQLITE_DONE) return db.sql_error(op, rc);
    return out;
}

// For a per-file table of views (regions, twins: file_id, idx, model_id, ...): the files Indexed
// with `model_id` that have no row of it, by id; and how many rows of it belong to files Indexed
// with it. `table` is one of the catalog's table names, never user text.
inline Result<std::vector<std::int64_t>> files_without_rows(const Connection& db, std::string_view op,
                                                            std::string_view table, std::string_view model_id) {
    const std::string sql = "SELECT f.id FROM files f WHERE f.status = 'indexed' AND f.model_id = ?1 AND NOT EXISTS "
                            "(SELECT 1 FROM " + std::string(table) +
                            " v WHERE v.file_id = f.id AND v.model_id = ?1) ORDER BY f.id";
    return ids_of(db, op, sql.c_str(), model_id);
}
inline Result<std::int64_t> rows_of_indexed_files(const Connection& db, std::string_view op, std::string_view table,
                                                  std::string_view model_id) {
    const std::string sql = "SELECT count(*) FROM " + std::string(table) +
                            " v JOIN files f ON f.id = v.file_id "
                            "WHERE v.model_id = ?1 AND f.status = 'indexed' AND f.model_id = ?1";
    return count_of(db, op, sql.c_str(), model_id);
}

}  // namespace rv::catalog
