// A statement prepared for one call, and reading a row's float vector: shared by the catalog's
// per-call tables (regions, twins), whose statements are prepared per call (a handful per indexed
// file, next to a forward pass) while the shared statement cache (CatalogSql.h) stays as it is.
// Engine-internal; a Query belongs to the connection's thread, as the connection does.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace rv::catalog
