// CatalogDb: what searches learned about each feature space (schema version 8, table
// search_calibration; CatalogSchema.cpp documents it).
#include <sqlite3.h>

#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

using catalog::Sql;
using catalog::Stmt;
using catalog::WriteScope;

Result<std::optional<CatalogSearchCalibration>> CatalogDb::search_calibration(std::string_view model_id,
                                                                              std::int64_t adapter_version) {
    Stmt s(*db_, Sql::SearchCalibrationGet);
    s.bind_text(1, model_id);
    s.bind(2, adapter_version);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<CatalogSearchCalibration>();
    if (rc != SQLITE_ROW) return db_->sql_error("search_calibration", rc);
    CatalogSearchCalibration c;
    c.model_id = s.bytes(0);
    c.adapter_version = s.int64(1);
    c.images = s.int64(2);
    if (!s.is_null(3)) c.whitening = s.bytes(3);
    c.calibration = s.bytes(4);
    c.built = s.int64(5);
    return std::optional<CatalogSearchCalibration>(std::move(c));
}

Status CatalogDb::store_search_calibration(const CatalogSearchCalibration& row) {
    constexpr std::string_view op = "store_search_calibration";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    Stmt s(*db_, Sql::SearchCalibrationSet);
    s.bind_text(1, row.model_id);
    s.bind(2, row.adapter_version);
    s.bind(3, row.images);
    if (row.whitening.empty()) s.bind_null(4);
    else s.bind_blob(4, row.whitening.data(), row.whitening.size());
    s.bind_text(5, row.calibration);
    s.bind(6, row.built);
    if (int rc = s.step(); rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            return db_->error(op, std::string("the row breaks the table's rules (") + sqlite3_errmsg(db_->db()) + ")");
        return db_->sql_error(op, rc);
    }
    return scope.commit();
}

}  // namespace rv
