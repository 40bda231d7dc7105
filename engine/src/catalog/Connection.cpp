#include "catalog/Connection.h"

#include <sqlite3.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "catalog/CatalogSchema.h"

namespace rv::catalog {

namespace {

// One row, one text column, for the pragmas read at open.
int query_text(sqlite3* db, const char* sql, std::string* out) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            const unsigned char* t = sqlite3_column_text(s, 0);
            *out = t ? reinterpret_cast<const char*>(t) : "";
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            out->clear();
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

// A "file:" URI for `path` (absolute), every byte outside [A-Za-z0-9/._~-] percent-encoded, so
// that '?', '#' and '%' in a folder name stay part of the name.
std::string file_uri(const std::filesystem::path& path, const char* query) {
    static const char* hex = "0123456789ABCDEF";
    std::string uri = "file:";
    for (unsigned char ch : path.string()) {
        if (std::isalnum(ch) || std::strchr("/._~-", ch)) {
            uri += static_cast<char>(ch);
        } else {
            uri += '%';
            uri += hex[ch >> 4];
            uri += hex[ch & 15];
        }
    }
    return uri + "?" + query;
}

bool wal_has_content(const std::filesystem::path& db_file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(db_file.string() + "-wal", ec);
    return !ec && size > 0;
}

// Errors that mean "SQLite could not create or write its -shm/-wal files here", which a reader
// can work around; anything else (a damaged file, a foreign database) is reported as it is.
bool cannot_create_side_files(int rc) {
    switch (rc & 0xff) {
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
        return true;
    default:
        return false;
    }
}

}  // namespace

// Reading without writing. A WAL database is normally read through its -shm file (shared memory
// coordinating readers and the writer), which SQLite creates next to the database. Where it cannot
// (a read-only folder or mount, another user's folder, a full disk) the reader falls back to:
//  - "immutable" when the -wal file is absent or empty: the database file then holds every commit
//    (the last writer checkpointed it at close), and nobody can be writing, since no writer could
//    create its -wal either. SQLite reads it without locks or side files.
//  - "exclusive" when the -wal holds commits not yet copied back (a writer died, or the folder
//    was made read-only after one): locking_mode=EXCLUSIVE set before the first read makes SQLite
//    keep the WAL index in its own memory instead of the -shm file (https://sqlite.org/wal.html,
//    "Use of WAL Without Shared-Memory"). Exclusive mode wants a write lock on the file, which a
//    read-only descriptor cannot take (EBADF), so this connection uses the "unix-none" VFS (no
//    file locks); as above, no writer can be at work where the side files cannot be created.
Status Connection::open_read_only(const std::filesystem::path& name) {
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(file_uri(name, "mode=ro").c_str(), &db_, flags, nullptr);
    std::string out;
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
        rc = query_text(db_, "SELECT count(*) FROM sqlite_schema", &out);
    }
    if (rc == SQLITE_OK) return {};
    if (!cannot_create_side_files(rc)) return sql_error("open", rc);
    const Error first = sql_error("open", rc);
    sqlite3_close_v2(std::exchange(db_, nullptr));

    fallback = wal_has_content(file_) ? "exclusive" : "immutable";
    const std::string uri = file_uri(name, fallback == "immutable" ? "immutable=1" : "mode=ro&vfs=unix-none");
    rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
        if (fallback == "exclusive") rc = query_text(db_, "PRAGMA locking_mode = EXCLUSIVE", &out);
        if (rc == SQLITE_OK) rc = query_text(db_, "SELECT count(*) FROM sqlite_schema", &out);
    }
    if (rc == SQLITE_OK) return {};
    const Error second = sql_error("open", rc);
    return error("open", "cannot read it: " + first.message + "; read without shared memory: " + second.message);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& file, OpenAs how) {
    std::unique_ptr<Connection> c(new Connection(file));
    if (sqlite3_threadsafe() == 0) return c->error("open", "this SQLite library was built without thread support");
    std::error_code ec;
    if (how != OpenAs::Create && !std::filesystem::exists(file, ec)) return c->error("open", "no such file");
    if (std::filesystem::is_directory(file, ec)) return c->error("open", "is a folder, not a catalog file");

    // An absolute name, so that a relative path starting with "file:" is never taken for a URI.
    const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
    const std::filesystem::path name = ec ? file : absolute;
    std::string out;
    int rc;
    if (how == OpenAs::ReadOnly) {
        c->read_only = true;
        if (Status s = c->open_read_only(name); !s) return s.error();
        // A reader neither changes the journal mode nor migrates: it checks the file is one it reads.
        if ((rc = query_text(c->db_, "PRAGMA foreign_keys = ON", &out)) != SQLITE_OK) return c->sql_error("open", rc);
        if (Status s = check_schema(*c); !s) return s.error();
        return c;
    }

    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (how == OpenAs::Create ? SQLITE_OPEN_CREATE : 0);
    rc = sqlite3_open_v2(name.c_str(), &c->db_, flags, nullptr);
    if (rc != SQLITE_OK) return c->sql_error("open", rc);
    sqlite3_extended_result_codes(c->db_, 1);
    sqlite3_busy_timeout(c->db_, kBusyTimeoutMs);
    // SQLite silently opens a file it may not write read-only; a writer must know at once.
    if (sqlite3_db_readonly(c->db_, "main") == 1) return c->error("open", "the file is read-only: writing needs write access");

    // The first read of the file: a non-database, a damaged header or a truncated file fails here.
    if ((rc = query_text(c->db_, "SELECT count(*) FROM sqlite_schema", &out)) != SQLITE_OK)
        return c->sql_error("open", rc);
    // 16 KB pages for a new file (an existing one keeps its size: a WAL file cannot change it).
    // A feature row of 576 floats takes 2.3 KB, with its quarter turn 4.6 KB: on SQLite's default
    // 4 KB pages one such row filled a page (or spilled into a second), 42 % of the catalog was
    // empty space; 16 KB pages hold 6 (or 3) of them: 14 % empty at 500,000 files (README, "Half
    // a million files").
    if ((rc = query_text(c->db_, "PRAGMA page_size = 16384", &out)) != SQLITE_OK) return c->sql_error("open", rc);
    if ((rc = query_text(c->db_, "PRAGMA journal_mode = WAL", &out)) != SQLITE_OK) return c->sql_error("open", rc);
    if (out != "wal")
        return c->error("open", "cannot use write-ahead logging here (journal mode stays '" + out +
                                    "'; a network or read-only file system?)");
    if ((rc = query_text(c->db_, "PRAGMA synchronous = NORMAL", &out)) != SQLITE_OK ||
        (rc = query_text(c->db_, "PRAGMA foreign_keys = ON", &out)) != SQLITE_OK)
        return c->sql_error("open", rc);

    if (Status s = ensure_schema(*c); !s) return s.error();
    return c;
}

Connection::~Connection() {
    if (!db_) return;
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    for (sqlite3_stmt*& s : cache_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
}

Error Connection::error(std::string_view op, std::string_view reason) const {
    std::string m = "catalog " + file_.string() + ": ";
    m.append(op);
    m += ": ";
    m.append(reason);
    return Error{std::move(m)};
}

Error Connection::sql_error(std::string_view op, int rc) const {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return error(op, "not a SQLite database, or damaged beyond reading (" + detail + ")");
    case SQLITE_CORRUPT:
        return error(op, "the database is damaged (" + detail + ")");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        // Only a plain BUSY means the busy timeout ran out; the others come back at once.
        if (rc == SQLITE_BUSY_SNAPSHOT)
            return error(op, "another process changed the library while this one read it; try again (" + detail + ")");
        if (rc == SQLITE_BUSY_RECOVERY)
            return error(op, "another process is recovering the library after a crash; try again (" + detail + ")");
        if (rc != SQLITE_BUSY) return error(op, "the library is busy (" + detail + ")");
        return error(op, "the library is busy: another process kept it locked for more than " +
                             std::to_string(kBusyTimeoutMs / 1000) + " s (" + detail + ")");
    case SQLITE_FULL:
        return error(op, "the disk is full (" + detail + ")");
    case SQLITE_READONLY:
        return error(op, "the catalog is read-only here: this needs write access (" + detail + ")");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM: {
        const int e = db_ ? sqlite3_system_errno(db_) : 0;
        if (e == ENOSPC || e == EDQUOT) return error(op, "the disk is full (" + detail + ": " + std::strerror(e) + ")");
        if (e == EROFS) return error(op, "the file system is read-only (" + detail + ")");
        return error(op, e ? detail + " (" + std::strerror(e) + ")" : detail);
    }
    default:
        return error(op, detail);
    }
}

Status Connection::exec(Sql id, std::string_view op) {
    Stmt s(*this, id);
    const int rc = s.step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sql_error(op, rc);
    return {};
}

Stmt::Stmt(Connection& c, Sql id) : c_(c), slot_(static_cast<std::size_t>(id)) {
    if (!c.in_use_[slot_]) {
        if (!c.cache_[slot_])
            rc_ = sqlite3_prepare_v3(c.db_, sql_text(id), -1, SQLITE_PREPARE_PERSISTENT, &c.cache_[slot_], nullptr);
        s_ = c.cache_[slot_];
        if (s_) c.in_use_[slot_] = true;
    } else {
        owned_ = true;
        rc_ = sqlite3_prepare_v2(c.db_, sql_text(id), -1, &s_, nullptr);
    }
}

Stmt::~Stmt() {
    if (!s_) return;
    if (owned_) {
        sqlite3_finalize(s_);
        return;
    }
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    c_.in_use_[slot_] = false;
}

void Stmt::bind(int i, std::int64_t v) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(s_, i, v);
}

void Stmt::bind_text(int i, std::string_view v) {
    if (rc_ == SQLITE_OK)
        rc_ = sqlite3_bind_text64(s_, i, v.data() ? v.data() : "", v.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void Stmt::bind_blob(int i, const void* p, std::size_t n) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_blob64(s_, i, p ? p : "", n, SQLITE_STATIC);
}

void Stmt::bind_null(int i) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_null(s_, i);
}

void Stmt::bind_double(int i, double v) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_double(s_, i, v);
}

int Stmt::step() { return rc_ != SQLITE_OK ? rc_ : sqlite3_step(s_); }

bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

bool Stmt::is_number(int col) const {
    const int t = sqlite3_column_type(s_, col);
    return t == SQLITE_INTEGER || t == SQLITE_FLOAT;
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(s_, col); }

double Stmt::real(int col) const { return sqlite3_column_double(s_, col); }

std::string Stmt::bytes(int col) const {
    std::size_t n = 0;
    const void* p = blob(col, &n);
    return n ? std::string(static_cast<const char*>(p), n) : std::string();
}

const void* Stmt::blob(int col, std::size_t* n) const {
    const void* p = sqlite3_column_blob(s_, col);  // before column_bytes, so no conversion moves it
    *n = static_cast<std::size_t>(sqlite3_column_bytes(s_, col));
    return p;
}

WriteScope::WriteScope(Connection& c, std::string_view op) : c_(c), op_(op) {
    const bool autocommit = sqlite3_get_autocommit(c.db()) != 0;
    if (c.user_transaction && autocommit) {
        started_ = c.error(op, "the transaction was rolled back by an earlier error; begin a new one");
        return;
    }
    savepoint_ = !autocommit;
    started_ = c.exec(savepoint_ ? Sql::Savepoint : Sql::Begin, op);
    open_ = started_.ok();
}

Status WriteScope::commit() {
    if (!open_) return started_.ok() ? c_.error(op_, "committed twice") : started_;
    Status s = c_.exec(savepoint_ ? Sql::Release : Sql::Commit, op_);
    if (s) open_ = false;
    return s;
}

WriteScope::~WriteScope() {
    if (!open_) return;
    // After some errors (disk full, I/O) SQLite has already rolled the whole transaction back.
    if (sqlite3_get_autocommit(c_.db())) return;
    if (savepoint_) {
        (void)c_.exec(Sql::RollbackToSavepoint, op_);
        (void)c_.exec(Sql::Release, op_);
    } else {
        (void)c_.exec(Sql::Rollback, op_);
    }
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace rv::catalog
