// CatalogDb: a person's marks on pairs of files (schema version 4).
#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

using catalog::Sql;
using catalog::Stmt;

namespace {

bool valid_verdict(std::string_view v) { return v == "same" || v == "alike" || v == "different"; }
bool valid_source(std::string_view s) { return s == "search" || s == "duplicates" || s == "pairs" || s == "import"; }

}  // namespace

Status CatalogDb::set_mark(std::int64_t a, std::int64_t b, std::string_view verdict, std::string_view source,
                           std::int64_t session, std::int64_t time_ms) {
    constexpr std::string_view op = "set_mark";
    if (a == b) return db_->error(op, "a file cannot be marked against itself (id " + std::to_string(a) + ")");
    if (!valid_verdict(verdict)) return db_->error(op, "unknown verdict \"" + std::string(verdict) + "\"");
    if (!valid_source(source)) return db_->error(op, "unknown source \"" + std::string(source) + "\"");
    if (a > b) std::swap(a, b);
    Stmt s(*db_, Sql::MarkUpsert);
    s.bind(1, a);
    s.bind(2, b);
    s.bind_text(3, verdict);
    s.bind_text(4, source);
    if (session > 0)
        s.bind(5, session);
    else
        s.bind_null(5);
    s.bind(6, time_ms);
    const int rc = s.step();
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return db_->error(op, "no file with id " + std::to_string(a) + " or " + std::to_string(b));
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return {};
}

Result<bool> CatalogDb::remove_mark(std::int64_t a, std::int64_t b) {
    if (a > b) std::swap(a, b);
    Stmt s(*db_, Sql::MarkDelete);
    s.bind(1, a);
    s.bind(2, b);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("remove_mark", rc);
    return sqlite3_changes(db_->db()) > 0;
}

Result<std::vector<CatalogMark>> CatalogDb::marks() {
    std::vector<CatalogMark> out;
    Stmt s(*db_, Sql::MarkList);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        CatalogMark m;
        m.a = s.int64(0);
        m.b = s.int64(1);
        m.verdict = s.bytes(2);
        m.source = s.bytes(3);
        m.session = s.is_null(4) ? 0 : s.int64(4);
        m.time = s.int64(5);
        out.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE) return db_->sql_error("marks", rc);
    return out;
}

Result<std::int64_t> CatalogDb::mark_count() {
    Stmt s(*db_, Sql::MarkCount);
    if (int rc = s.step(); rc != SQLITE_ROW) return db_->sql_error("mark_count", rc);
    return s.int64(0);
}

}  // namespace rv
