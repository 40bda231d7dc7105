// The SQLite side of CatalogDb: one connection, its statement cache, and the helpers every catalog
// call uses (borrowed statements, atomic write scopes, errors that name the file).
//
// Threads: a Connection belongs to one CatalogDb and is used by one thread at a time. It is opened
// with SQLITE_OPEN_NOMUTEX: SQLite's own per-connection mutex would not make the statement cache
// shareable (bind/step/reset is a sequence, not one call), so the contract is one user at a time and
// the mutex would only cost time. Other connections, in this process or others, are independent.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "catalog/CatalogSql.h"
#include "ruvision/engine/Result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rv::catalog {

// How long a writer waits for another writer's transaction before giving up with an Error.
inline constexpr int kBusyTimeoutMs = 5000;

// How a Connection opens its file (CatalogDb::OpenMode says what each means to a caller).
enum class OpenAs { Create, Existing, ReadOnly };

class Connection {
public:
    [[nodiscard]] static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& file, OpenAs how);
    ~Connection();  // finalizes the cached statements, rolls back an open transaction, closes
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* db() const { return db_; }
    const std::filesystem::path& file() const { return file_; }

    // "catalog <file>: <op>: <reason>".
    Error error(std::string_view op, std::string_view reason) const;
    // The same, with the reason taken from SQLite's last error on this connection (rc is the code
    // the failing call returned).
    Error sql_error(std::string_view op, int rc) const;

    // Runs a statement that returns no rows and binds nothing (BEGIN, COMMIT, ...).
    Status exec(Sql id, std::string_view op);

    // True between CatalogDb::begin() and that Transaction's commit/rollback.
    bool user_transaction = false;
    // Opened with OpenAs::ReadOnly: every write fails (SQLITE_READONLY).
    bool read_only = false;
    // How a read-only connection reads the file when SQLite cannot create its -shm/-wal files:
    // "" (the usual shared-memory WAL), "immutable" or "exclusive" (see Connection.cpp).
    std::string fallback;

private:
    friend class Stmt;
    [[nodiscard]] Status open_read_only(const std::filesystem::path& name);
    explicit Connection(std::filesystem::path file) : file_(std::move(file)) {}

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    std::array<sqlite3_stmt*, kSqlCount> cache_{};
    std::array<bool, kSqlCount> in_use_{};
};

// A statement borrowed for one use: reset and unbound when it goes out of scope. If the cached one
// is already borrowed (a call made from inside for_each_feature's callback), a private statement is
// prepared and finalized instead. Bound text and blobs must outlive the last step().
class Stmt {
public:
    Stmt(Connection& c, Sql id);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    void bind(int i, std::int64_t v);
    void bind_text(int i, std::string_view v);
    void bind_blob(int i, const void* p, std::size_t n);  // zero bytes binds an empty blob, not NULL
    void bind_null(int i);
    void bind_double(int i, double v);

    // SQLITE_ROW, SQLITE_DONE, or an error code (a failed prepare or bind reports here).
    int step();

    bool is_null(int col) const;
    bool is_number(int col) const;  // INTEGER or REAL: not TEXT (which real() reads as 0), BLOB or NULL
    std::int64_t int64(int col) const;
    double real(int col) const;
    std::string bytes(int col) const;  // TEXT or BLOB, byte for byte
    const void* blob(int col, std::size_t* n) const;

private:
    Connection& c_;
    sqlite3_stmt* s_ = nullptr;
    std::size_t slot_ = 0;
    bool owned_ = false;  // a private statement, finalized here
    int rc_ = 0;          // first prepare/bind failure
};

// Makes one CatalogDb call atomic: BEGIN IMMEDIATE ... COMMIT when no transaction is open, a
// savepoint inside the caller's Transaction otherwise. Destroyed without commit(): rolled back,
// leaving the caller's Transaction as it was before the call.
class WriteScope {
public:
    WriteScope(Connection& c, std::string_view op);
    ~WriteScope();
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;

    const Status& started() const { return started_; }
    Status commit();

private:
    Connection& c_;
    std::string_view op_;
    Status started_;
    bool savepoint_ = false;
    bool open_ = false;
};

std::int64_t now_ms();  // Unix time in milliseconds

}  // namespace rv::catalog
