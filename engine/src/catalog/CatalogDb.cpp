// CatalogDb: opening, transactions, roots, settings. Files and features: CatalogFiles.cpp.
#include "ruvision/engine/CatalogDb.h"

#include <sqlite3.h>

#include "catalog/Connection.h"

namespace rv {

using catalog::Connection;
using catalog::Sql;
using catalog::Stmt;
using catalog::WriteScope;

Result<CatalogDb> CatalogDb::open(const std::filesystem::path& file, OpenMode mode) {
    using catalog::OpenAs;
    auto c = Connection::open(file, mode == OpenMode::CreateIfMissing ? OpenAs::Create
                                    : mode == OpenMode::MustExist     ? OpenAs::Existing
                                                                      : OpenAs::ReadOnly);
    if (!c) return c.error();
    return CatalogDb(std::move(c).value());
}

CatalogDb::CatalogDb(std::unique_ptr<Connection> db) : db_(std::move(db)) {}
CatalogDb::CatalogDb(CatalogDb&&) noexcept = default;
CatalogDb& CatalogDb::operator=(CatalogDb&&) noexcept = default;
CatalogDb::~CatalogDb() = default;

const std::filesystem::path& CatalogDb::path() const { return db_->file(); }
bool CatalogDb::read_only() const { return db_->read_only; }
const std::string& CatalogDb::read_fallback() const { return db_->fallback; }

// --- Transaction ---

Result<CatalogDb::Transaction> CatalogDb::begin() {
    if (db_->user_transaction || !sqlite3_get_autocommit(db_->db()))
        return db_->error("begin", "a transaction is already open on this connection");
    if (Status s = db_->exec(Sql::Begin, "begin"); !s) return s.error();
    db_->user_transaction = true;
    return Transaction(db_.get());
}

CatalogDb::Transaction::Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }

CatalogDb::Transaction& CatalogDb::Transaction::operator=(Transaction&& o) noexcept {
    if (this != &o) {
        (void)rollback();
        db_ = o.db_;
        o.db_ = nullptr;
    }
    return *this;
}

CatalogDb::Transaction::~Transaction() { (void)rollback(); }

Status CatalogDb::Transaction::commit() {
    if (!db_) return Error{"catalog: commit: the transaction is already finished"};
    if (sqlite3_get_autocommit(db_->db())) {
        Connection* c = std::exchange(db_, nullptr);
        c->user_transaction = false;
        return c->error("commit", "the transaction was rolled back by an earlier error; nothing was written");
    }
    Status s = db_->exec(Sql::Commit, "commit");
    if (!s) return s;  // still open: the destructor or rollback() ends it
    db_->user_transaction = false;
    db_ = nullptr;
    return {};
}

Status CatalogDb::Transaction::rollback() {
    if (!db_) return {};
    Connection* c = std::exchange(db_, nullptr);
    c->user_transaction = false;
    if (sqlite3_get_autocommit(c->db())) return {};
    return c->exec(Sql::Rollback, "rollback");
}

// --- Roots ---

Result<std::int64_t> CatalogDb::add_root(std::string_view path) {
    if (path.empty()) return db_->error("add_root", "empty path");
    {
        Stmt s(*db_, Sql::RootInsert);
        s.bind_blob(1, path.data(), path.size());
        s.bind(2, catalog::now_ms());
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("add_root", rc);
    }
    Stmt s(*db_, Sql::RootIdByPath);
    s.bind_blob(1, path.data(), path.size());
    const int rc = s.step();
    if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? db_->error("add_root", "the root vanished while adding it")
                                                   : db_->sql_error("add_root", rc);
    return s.int64(0);
}

Status CatalogDb::remove_root(std::int64_t root_id) {
    // The foreign keys cascade: roots -> files -> features, in this one statement.
    Stmt s(*db_, Sql::RootDelete);
    s.bind(1, root_id);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("remove_root", rc);
    if (sqlite3_changes(db_->db()) == 0)
        return db_->error("remove_root", "no root with id " + std::to_string(root_id));
    return {};
}

Status CatalogDb::move_root_files(std::int64_t from_root, std::int64_t to_root) {
    Stmt s(*db_, Sql::RootMoveFiles);
    s.bind(1, from_root);
    s.bind(2, to_root);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("move_root_files", rc);
    return {};
}

Status CatalogDb::rename_root(std::int64_t root_id, std::string_view path) {
    if (path.empty()) return db_->error("rename_root", "empty path");
    Stmt s(*db_, Sql::RootRename);
    s.bind(1, root_id);
    s.bind_blob(2, path.data(), path.size());
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("rename_root", rc);
    if (sqlite3_changes(db_->db()) == 0) return db_->error("rename_root", "no root with id " + std::to_string(root_id));
    return {};
}

Result<std::vector<CatalogRoot>> CatalogDb::roots() {
    std::vector<CatalogRoot> out;
    Stmt s(*db_, Sql::RootList);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back({s.int64(0), s.bytes(1), s.int64(2), s.is_null(3) ? std::string() : s.bytes(3)});
    if (rc != SQLITE_DONE) return db_->sql_error("roots", rc);
    return out;
}

Status CatalogDb::set_root_offline(std::int64_t root_id, std::string_view reason) {
    constexpr std::string_view op = "set_root_offline";
    Stmt s(*db_, Sql::RootSetOffline);
    s.bind(1, root_id);
    if (reason.empty()) s.bind_null(2);
    else s.bind_text(2, reason);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    if (sqlite3_changes(db_->db()) != 1) return db_->error(op, "no root with id " + std::to_string(root_id));
    return {};
}

Result<std::vector<std::string>> CatalogDb::mount_points(std::int64_t root_id) {
    std::vector<std::string> out;
    Stmt s(*db_, Sql::MountList);
    s.bind(1, root_id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.bytes(0));
    if (rc != SQLITE_DONE) return db_->sql_error("mount_points", rc);
    return out;
}

Status CatalogDb::set_mount_points(std::int64_t root_id, const std::vector<std::string>& paths) {
    constexpr std::string_view op = "set_mount_points";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    {
        Stmt s(*db_, Sql::MountClear);
        s.bind(1, root_id);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    for (const auto& p : paths) {
        Stmt s(*db_, Sql::MountInsert);
        s.bind(1, root_id);
        s.bind_blob(2, p.data(), p.size());
        if (int rc = s.step(); rc != SQLITE_DONE) {
            if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return db_->error(op, "no root with id " + std::to_string(root_id));
            return db_->sql_error(op, rc);
        }
    }
    return scope.commit();
}

// --- Settings ---

Result<std::int64_t> CatalogDb::index_changes() {
    Stmt s(*db_, Sql::IndexChanges);
    if (int rc = s.step(); rc != SQLITE_ROW) return db_->sql_error("index_changes", rc);
    return s.int64(0);
}

Result<std::optional<std::string>> CatalogDb::get_meta(std::string_view key) {
    Stmt s(*db_, Sql::MetaGet);
    s.bind_text(1, key);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return db_->sql_error("get_meta", rc);
    return std::optional<std::string>(s.bytes(0));
}

Status CatalogDb::set_meta(std::string_view key, std::string_view value) {
    Stmt s(*db_, Sql::MetaSet);
    s.bind_text(1, key);
    s.bind_text(2, value);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("set_meta", rc);
    return {};
}

Status CatalogDb::remove_meta(std::string_view key) {
    Stmt s(*db_, Sql::MetaDelete);
    s.bind_text(1, key);
    if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error("remove_meta", rc);
    return {};
}

Status CatalogDb::check_integrity() {
    Stmt s(*db_, Sql::IntegrityCheck);
    std::string problems;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        const std::string line = s.bytes(0);
        if (line == "ok") continue;
        if (!problems.empty()) problems += "; ";
        problems += line;
    }
    if (rc != SQLITE_DONE) return db_->sql_error("check_integrity", rc);
    if (!problems.empty()) return db_->error("check_integrity", "the database is damaged: " + problems);
    return {};
}

}  // namespace rv
