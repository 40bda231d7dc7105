// CatalogDb: search sessions and the pattern memory (schema version 5).
#include <sqlite3.h>

#include <cstring>
#include <string>

#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

using catalog::Sql;
using catalog::Stmt;
using catalog::WriteScope;

namespace {

// Reads column `col` as whole values of T; false when its length is not a multiple of sizeof(T).
// NULL and an empty blob give an empty vector.
template <class T>
bool read_values(const Stmt& s, int col, std::vector<T>* out) {
    out->clear();
    if (s.is_null(col)) return true;
    std::size_t n = 0;
    const void* p = s.blob(col, &n);
    if (n % sizeof(T) != 0) return false;
    out->resize(n / sizeof(T));
    if (n > 0 && p != nullptr) std::memcpy(out->data(), p, n);
    return true;
}

std::string blob_problem(const char* what, std::int64_t id, const char* column, std::size_t value_size) {
    return std::string(what) + " " + std::to_string(id) + ": its " + column +
           " is damaged (a blob that is not a whole number of " + std::to_string(value_size) + "-byte values)";
}

}  // namespace

Result<std::int64_t> CatalogDb::add_session(std::string_view model_id, std::span<const float> query,
                                            std::span<const std::int64_t> shown, std::int64_t query_file,
                                            std::int64_t time_ms) {
    constexpr std::string_view op = "add_session";
    Stmt s(*db_, Sql::SessionInsert);
    s.bind_text(1, model_id);
    s.bind_blob(2, query.data(), query.size_bytes());
    s.bind_blob(3, shown.data(), shown.size_bytes());
    if (query_file > 0)
        s.bind(4, query_file);
    else
        s.bind_null(4);
    s.bind(5, time_ms);
    const int rc = s.step();
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return db_->error(op, "no file with id " + std::to_string(query_file) + " (the query file)");
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_->db()));
}

Status CatalogDb::set_session_refined(std::int64_t session, std::span<const float> refined) {
    constexpr std::string_view op = "set_session_refined";
    Stmt s(*db_, Sql::SessionSetRefined);
    s.bind(1, session);
    s.bind_blob(2, refined.data(), refined.size_bytes());
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    if (sqlite3_changes(db_->db()) == 0) return db_->error(op, "no session with id " + std::to_string(session));
    return {};
}

Result<std::vector<CatalogSession>> CatalogDb::sessions(std::string_view model_id) {
    constexpr std::string_view op = "sessions";
    std::vector<CatalogSession> out;
    Stmt s(*db_, Sql::SessionList);
    s.bind_text(1, model_id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        CatalogSession c;
        c.id = s.int64(0);
        if (!read_values(s, 1, &c.query)) return db_->error(op, blob_problem("session", c.id, "query", sizeof(float)));
        if (!read_values(s, 2, &c.refined))
            return db_->error(op, blob_problem("session", c.id, "refined query", sizeof(float)));
        if (!read_values(s, 3, &c.shown))
            return db_->error(op, blob_problem("session", c.id, "list of shown files", sizeof(std::int64_t)));
        c.query_file = s.is_null(4) ? 0 : s.int64(4);
        c.time = s.int64(5);
        out.push_back(std::move(c));
    }
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return out;
}

Status CatalogDb::replace_patterns(std::string_view model_id, const std::vector<CatalogPattern>& patterns,
                                   std::int64_t built_ms) {
    constexpr std::string_view op = "replace_patterns";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    {
        Stmt s(*db_, Sql::PatternClear);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    for (const auto& p : patterns) {
        Stmt s(*db_, Sql::PatternInsert);
        s.bind_text(1, model_id);
        s.bind_blob(2, p.centroid.data(), p.centroid.size() * sizeof(float));
        s.bind_blob(3, p.refinement.data(), p.refinement.size() * sizeof(float));
        s.bind(4, p.sessions);
        s.bind(5, built_ms);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    return scope.commit();
}

Result<std::vector<CatalogPattern>> CatalogDb::patterns(std::string_view model_id) {
    constexpr std::string_view op = "patterns";
    std::vector<CatalogPattern> out;
    Stmt s(*db_, Sql::PatternList);
    s.bind_text(1, model_id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        CatalogPattern p;
        p.id = s.int64(0);
        if (!read_values(s, 1, &p.centroid))
            return db_->error(op, blob_problem("pattern", p.id, "centroid", sizeof(float)));
        if (!read_values(s, 2, &p.refinement))
            return db_->error(op, blob_problem("pattern", p.id, "refinement", sizeof(float)));
        p.sessions = s.int64(3);
        p.built = s.int64(4);
        out.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return out;
}

}  // namespace rv
