// CatalogDb: regional descriptors (schema 8's regions table; search by region, region/).
// Statements are prepared per call (catalog/CatalogQuery.h).
#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <string>

#include "catalog/CatalogQuery.h"
#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv {

using catalog::Query;
using catalog::read_vector;
using catalog::WriteScope;

namespace {

bool box_ok(double x, double y, double w, double h) {
    return std::isfinite(x) && std::isfinite(y) && std::isfinite(w) && std::isfinite(h) && x >= 0 && y >= 0 &&
           w > 0 && h > 0 && x + w <= 1.000001 && y + h <= 1.000001;
}

}  // namespace

Status CatalogDb::put_regions(std::int64_t file_id, std::string_view model_id, const std::vector<CatalogRegion>& regions) {
    constexpr std::string_view op = "put_regions";
    if (model_id.empty()) return db_->error(op, "empty model id");
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const CatalogRegion& r = regions[i];
        const std::string which = "file " + std::to_string(file_id) + " region " + std::to_string(r.idx);
        if (r.idx < 0) return db_->error(op, which + ": a negative index");
        if (!box_ok(r.x, r.y, r.w, r.h)) return db_->error(op, which + ": the box is not inside the image");
        if (r.vector.empty() || r.vector.size() != regions[0].vector.size())
            return db_->error(op, which + ": its vector is empty or of another dimension than the first");
        if (auto bad = vector_problem(r.vector.data(), static_cast<int>(r.vector.size())); !bad.empty())
            return db_->error(op, which + ": " + bad);
    }
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    if (auto st = catalog::run_for_file(*db_, op, "DELETE FROM regions WHERE file_id = ?1", file_id); !st) return st;
    for (const CatalogRegion& r : regions) {
        Query q(db_->db(), "INSERT INTO regions(file_id, idx, model_id, x, y, w, h, dim, vector) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        q.int64(1, file_id);
        q.int64(2, r.idx);
        q.text(3, model_id);
        q.real(4, r.x);
        q.real(5, r.y);
        q.real(6, r.w);
        q.real(7, r.h);
        q.int64(8, static_cast<std::int64_t>(r.vector.size()));
        q.blob(9, r.vector.data(), r.vector.size() * sizeof(float));
        if (int rc = q.step(); rc != SQLITE_DONE) {
            if ((rc & 0xff) == SQLITE_CONSTRAINT)
                return db_->error(op, "file " + std::to_string(file_id) + " region " + std::to_string(r.idx) +
                                          " breaks the table's rules (" + sqlite3_errmsg(db_->db()) + ")");
            return db_->sql_error(op, rc);
        }
    }
    return scope.commit();
}

Status CatalogDb::clear_regions(std::int64_t file_id) {
    return catalog::run_for_file(*db_, "clear_regions", "DELETE FROM regions WHERE file_id = ?1", file_id);
}

Result<std::vector<CatalogRegion>> CatalogDb::regions(std::int64_t file_id, std::string_view model_id) {
    constexpr std::string_view op = "regions";
    Query q(db_->db(), "SELECT idx, x, y, w, h, dim, vector FROM regions WHERE file_id = ?1 AND model_id = ?2 ORDER BY idx");
    q.int64(1, file_id);
    q.text(2, model_id);
    std::vector<CatalogRegion> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        sqlite3_stmt* s = q.get();
        CatalogRegion r;
        r.idx = sqlite3_column_int(s, 0);
        r.x = static_cast<float>(sqlite3_column_double(s, 1));
        r.y = static_cast<float>(sqlite3_column_double(s, 2));
        r.w = static_cast<float>(sqlite3_column_double(s, 3));
        r.h = static_cast<float>(sqlite3_column_double(s, 4));
        if (auto bad = read_vector(s, 6, sqlite3_column_int(s, 5), &r.vector); !bad.empty())
            return db_->error(op, "file " + std::to_string(file_id) + " region " + std::to_string(r.idx) + ": " + bad);
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return out;
}

Status CatalogDb::for_each_region(std::string_view model_id, const RegionVisitor& visit, const DamagedVisitor& damaged) {
    return catalog::stream_vectors(
        *db_, "for_each_region",
        "SELECT r.file_id, r.idx, r.x, r.y, r.w, r.h, r.dim, r.vector FROM regions r JOIN files f ON f.id = r.file_id "
        "WHERE r.model_id = ?1 AND f.status = 'indexed' AND f.model_id = ?1 ORDER BY r.file_id, r.idx",
        model_id,
        [](sqlite3_stmt* s, int idx, std::vector<float>* v) {
            std::string bad = box_ok(sqlite3_column_double(s, 2), sqlite3_column_double(s, 3),
                                     sqlite3_column_double(s, 4), sqlite3_column_double(s, 5))
                                  ? read_vector(s, 7, sqlite3_column_int(s, 6), v)
                                  : "the box is not inside the image";
            return bad.empty() ? bad : "region " + std::to_string(idx) + ": " + bad;
        },
        visit, damaged);
}

Result<std::vector<std::int64_t>> CatalogDb::files_without_regions(std::string_view model_id) {
    return catalog::files_without_rows(*db_, "files_without_regions", "regions", model_id);
}

Result<std::int64_t> CatalogDb::region_count(std::string_view model_id) {
    return catalog::rows_of_indexed_files(*db_, "region_count", "regions", model_id);
}

}  // namespace rv
