// CatalogDb: weak-edit twins (schema 9's twins table; augment/EditTwins.h, library/TwinSearch).
// Statements are prepared per call (catalog/CatalogQuery.h).
#include <sqlite3.h>

#include <string>

#include "catalog/CatalogQuery.h"
#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv {

using catalog::Query;
using catalog::read_vector;
using catalog::Sql;
using catalog::Stmt;
using catalog::WriteScope;

Status CatalogDb::put_twins(std::int64_t file_id, std::string_view model_id, const float* data, int n, int dim) {
    constexpr std::string_view op = "put_twins";
    if (model_id.empty()) return db_->error(op, "empty model id");
    if (n < 0 || (n > 0 && (dim <= 0 || data == nullptr)))
        return db_->error(op, "file " + std::to_string(file_id) + ": " + std::to_string(n) + " twins of dimension " +
                                  std::to_string(dim));
    for (int i = 0; i < n; ++i)
        if (auto bad = vector_problem(data + static_cast<std::size_t>(i) * dim, dim); !bad.empty())
            return db_->error(op, "file " + std::to_string(file_id) + " twin " + std::to_string(i) + ": " + bad);
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    if (auto st = catalog::run_for_file(*db_, op, "DELETE FROM twins WHERE file_id = ?1", file_id); !st) return st;
    for (int i = 0; i < n; ++i) {
        Query q(db_->db(), "INSERT INTO twins(file_id, idx, model_id, dim, vector) VALUES (?1, ?2, ?3, ?4, ?5)");
        q.int64(1, file_id);
        q.int64(2, i);
        q.text(3, model_id);
        q.int64(4, dim);
        q.blob(5, data + static_cast<std::size_t>(i) * dim, static_cast<std::size_t>(dim) * sizeof(float));
        if (int rc = q.step(); rc != SQLITE_DONE) {
            if ((rc & 0xff) == SQLITE_CONSTRAINT)
                return db_->error(op, "file " + std::to_string(file_id) + " twin " + std::to_string(i) +
                                          " breaks the table's rules (" + sqlite3_errmsg(db_->db()) + ")");
            return db_->sql_error(op, rc);
        }
    }
    return scope.commit();
}

Status CatalogDb::clear_twins(std::int64_t file_id) {
    return catalog::run_for_file(*db_, "clear_twins", "DELETE FROM twins WHERE file_id = ?1", file_id);
}

Result<std::vector<float>> CatalogDb::twins(std::int64_t file_id, std::string_view model_id, int* dim) {
    constexpr std::string_view op = "twins";
    Query q(db_->db(), "SELECT idx, dim, vector FROM twins WHERE file_id = ?1 AND model_id = ?2 ORDER BY idx");
    q.int64(1, file_id);
    q.text(2, model_id);
    std::vector<float> out, v;
    int first = 0, rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        sqlite3_stmt* s = q.get();
        const int d = sqlite3_column_int(s, 1);
        std::string bad = read_vector(s, 2, d, &v);
        if (bad.empty() && first && d != first) bad = "its dimension differs from the file's first twin";
        if (!bad.empty())
            return db_->error(op, "file " + std::to_string(file_id) + " twin " +
                                      std::to_string(sqlite3_column_int(s, 0)) + ": " + bad);
        first = d;
        out.insert(out.end(), v.begin(), v.end());
    }
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    if (dim) *dim = first;
    return out;
}

Result<std::vector<float>> CatalogDb::quarter_turn(std::int64_t file_id, std::string_view model_id) {
    constexpr std::string_view op = "quarter_turn";
    Query q(db_->db(), "SELECT dim, rotated FROM features WHERE file_id = ?1 AND model_id = ?2 AND rotated IS NOT NULL");
    q.int64(1, file_id);
    q.text(2, model_id);
    std::vector<float> v;
    int rc = q.step();
    if (rc == SQLITE_DONE) return v;
    if (rc != SQLITE_ROW) return db_->sql_error(op, rc);
    if (auto bad = read_vector(q.get(), 1, sqlite3_column_int(q.get(), 0), &v); !bad.empty())
        return db_->error(op, "file " + std::to_string(file_id) + ": the rotated feature: " + bad);
    return v;
}

Status CatalogDb::for_each_quarter_turn(std::string_view model_id, const TwinVisitor& visit,
                                        const DamagedVisitor& damaged) {
    return catalog::stream_vectors(
        *db_, "for_each_quarter_turn",
        "SELECT f.id, 0, e.dim, e.rotated FROM features e JOIN files f ON f.id = e.file_id "
        "WHERE e.model_id = ?1 AND e.rotated IS NOT NULL AND f.status = 'indexed' AND f.model_id = ?1 ORDER BY f.id",
        model_id,
        [](sqlite3_stmt* s, int, std::vector<float>* v) {
            std::string bad = read_vector(s, 3, sqlite3_column_int(s, 2), v);
            return bad.empty() ? bad : "the rotated feature: " + bad;
        },
        visit, damaged);
}

Result<std::int64_t> CatalogDb::quarter_turn_count(std::string_view model_id) {
    Stmt s(*db_, Sql::QuarterTurnCount);
    s.bind_text(1, model_id);
    if (int rc = s.step(); rc != SQLITE_ROW) return db_->sql_error("quarter_turn_count", rc);
    return s.int64(0);
}

Status CatalogDb::for_each_twin(std::string_view model_id, const TwinVisitor& visit, const DamagedVisitor& damaged) {
    return catalog::stream_vectors(
        *db_, "for_each_twin",
        "SELECT t.file_id, t.idx, t.dim, t.vector FROM twins t JOIN files f ON f.id = t.file_id "
        "WHERE t.model_id = ?1 AND f.status = 'indexed' AND f.model_id = ?1 ORDER BY t.file_id, t.idx",
        model_id,
        [](sqlite3_stmt* s, int idx, std::vector<float>* v) {
            std::string bad = read_vector(s, 3, sqlite3_column_int(s, 2), v);
            return bad.empty() ? bad : "twin " + std::to_string(idx) + ": " + bad;
        },
        visit, damaged);
}

Result<std::vector<std::int64_t>> CatalogDb::files_without_twins(std::string_view model_id) {
    return catalog::files_without_rows(*db_, "files_without_twins", "twins", model_id);
}

Result<std::int64_t> CatalogDb::twin_count(std::string_view model_id) {
    return catalog::rows_of_indexed_files(*db_, "twin_count", "twins", model_id);
}

}  // namespace rv
