// CatalogDb: adapter versions and the fast adapter (schema version 5).
#include <sqlite3.h>

#include <string>

#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

using catalog::Sql;
using catalog::Stmt;

namespace {

std::vector<std::uint8_t> blob_of(const Stmt& s, int col) {
    std::size_t n = 0;
    const auto* p = static_cast<const std::uint8_t*>(s.blob(col, &n));
    return n ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
}

// Columns in RV_CATALOG_ADAPTER_COLUMNS order.
CatalogAdapter read_adapter_row(const Stmt& s) {
    CatalogAdapter a;
    a.version = s.int64(0);
    a.model_id = s.bytes(1);
    a.dim = static_cast<int>(s.int64(2));
    a.rank = static_cast<int>(s.int64(3));
    a.params = blob_of(s, 4);
    a.marks = s.int64(5);
    a.held_out = s.int64(6);
    a.held_out_before = s.is_null(7) ? -1 : s.real(7);
    a.held_out_after = s.is_null(8) ? -1 : s.real(8);
    a.activated = s.int64(9) != 0;
    a.reason = s.bytes(10);
    a.source = s.bytes(11);
    a.summary = s.bytes(12);
    a.created = s.int64(13);
    return a;
}

}  // namespace

Result<std::int64_t> CatalogDb::insert_adapter(const CatalogAdapter& a) {
    constexpr std::string_view op = "insert_adapter";
    if (a.source != "learn" && a.source != "import" && a.source != "tune") return db_->error(op, "unknown source \"" + a.source + "\"");
    if (a.params.empty()) return db_->error(op, "the adapter has no parameters");
    catalog::WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started().error();
    std::int64_t version = 0;
    {
        Stmt s(*db_, Sql::AdapterInsert);
        s.bind_text(1, a.model_id);
        s.bind(2, a.dim);
        s.bind(3, a.rank);
        s.bind_blob(4, a.params.data(), a.params.size());
        s.bind(5, a.marks);
        s.bind(6, a.held_out);
        if (a.held_out_before >= 0) s.bind_double(7, a.held_out_before);
        else s.bind_null(7);
        if (a.held_out_after >= 0) s.bind_double(8, a.held_out_after);
        else s.bind_null(8);
        s.bind(9, a.activated ? 1 : 0);
        s.bind_text(10, a.reason);
        s.bind_text(11, a.source);
        s.bind_text(12, a.summary);
        s.bind(13, a.created ? a.created : catalog::now_ms());
        const int rc = s.step();
        if (rc != SQLITE_ROW) return db_->sql_error(op, rc);
        version = s.int64(0);
        if (int done = s.step(); done != SQLITE_DONE) return db_->sql_error(op, done);
    }
    if (auto st = scope.commit(); !st) return st.error();
    return version;
}

Result<std::vector<CatalogAdapter>> CatalogDb::adapters() {
    std::vector<CatalogAdapter> out;
    Stmt s(*db_, Sql::AdapterList);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_adapter_row(s));
    if (rc != SQLITE_DONE) return db_->sql_error("adapters", rc);
    return out;
}

Result<std::optional<CatalogAdapter>> CatalogDb::adapter(std::int64_t version) {
    Stmt s(*db_, Sql::AdapterOne);
    s.bind(1, version);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<CatalogAdapter>();
    if (rc != SQLITE_ROW) return db_->sql_error("adapter", rc);
    return std::optional<CatalogAdapter>(read_adapter_row(s));
}

Status CatalogDb::set_adapter_verdict(std::int64_t version, bool activated, std::string_view reason) {
    Stmt s(*db_, Sql::AdapterSetVerdict);
    s.bind(1, version);
    s.bind(2, activated ? 1 : 0);
    s.bind_text(3, reason);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("set_adapter_verdict", rc);
    if (sqlite3_changes(db_->db()) == 0)
        return db_->error("set_adapter_verdict", "no adapter version " + std::to_string(version));
    return {};
}

Result<std::optional<CatalogFastAdapter>> CatalogDb::fast_adapter() {
    Stmt s(*db_, Sql::FastAdapterGet);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<CatalogFastAdapter>();
    if (rc != SQLITE_ROW) return db_->sql_error("fast_adapter", rc);
    CatalogFastAdapter f;
    f.base_version = s.int64(0);
    f.params = blob_of(s, 1);
    f.marks = s.int64(2);
    f.time = s.int64(3);
    return std::optional<CatalogFastAdapter>(std::move(f));
}

Status CatalogDb::set_fast_adapter(const CatalogFastAdapter& f) {
    if (f.params.empty()) return db_->error("set_fast_adapter", "the adapter has no parameters");
    Stmt s(*db_, Sql::FastAdapterSet);
    s.bind(1, f.base_version);
    s.bind_blob(2, f.params.data(), f.params.size());
    s.bind(3, f.marks);
    s.bind(4, f.time ? f.time : catalog::now_ms());
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("set_fast_adapter", rc);
    return {};
}

Status CatalogDb::clear_fast_adapter() {
    Stmt s(*db_, Sql::FastAdapterClear);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("clear_fast_adapter", rc);
    return {};
}

}  // namespace rv
