// CatalogDb: the stored hierarchy (schema version 7) and the list of files with a feature.
#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "catalog/Connection.h"
#include "ruvision/engine/CatalogDb.h"

namespace rv {

using catalog::Sql;
using catalog::Stmt;
using catalog::WriteScope;

namespace {

bool known_kind(const std::string& k) { return k == "root" || k == "group" || k == "duplicates" || k == "image"; }

}  // namespace

Status CatalogDb::replace_hierarchy(const CatalogHierarchyHeader& h, const std::vector<CatalogHierarchyNode>& nodes) {
    constexpr std::string_view op = "replace_hierarchy";
    // Checked before anything is written: a bad node leaves the stored hierarchy as it was.
    for (const auto& n : nodes) {
        if (!known_kind(n.kind))
            return db_->error(op, "node " + std::to_string(n.id) + " has an unknown kind \"" + n.kind + "\"");
        if (!std::isfinite(n.x) || !std::isfinite(n.y) || n.x * n.x + n.y * n.y >= 1.0)
            return db_->error(op, "node " + std::to_string(n.id) + " is not a point of the open unit disk");
    }
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    for (Sql clear : {Sql::HierarchyHeaderClear, Sql::HierarchyNodesClear}) {
        Stmt s(*db_, clear);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    {
        Stmt s(*db_, Sql::HierarchyHeaderSet);
        s.bind_text(1, h.model_id);
        s.bind(2, h.adapter_version);
        s.bind(3, h.dim);
        s.bind_double(4, h.scale);
        s.bind(5, h.next_id);
        s.bind(6, h.built);
        s.bind(7, h.updated);
        s.bind_double(8, h.mean_distortion);
        s.bind_double(9, h.max_distortion);
        s.bind_double(10, h.map);
        s.bind(11, h.pairs);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    for (const auto& n : nodes) {
        Stmt s(*db_, Sql::HierarchyNodeInsert);
        s.bind(1, n.id);
        if (n.parent >= 0) s.bind(2, n.parent);
        else s.bind_null(2);
        s.bind_text(3, n.kind);
        s.bind(4, n.depth);
        s.bind(5, n.size);
        if (n.representative >= 0) s.bind(6, n.representative);
        else s.bind_null(6);
        if (n.file_id > 0) s.bind(7, n.file_id);
        else s.bind_null(7);
        s.bind(8, n.position);
        s.bind_double(9, n.x);
        s.bind_double(10, n.y);
        if (n.centroid.empty()) s.bind_null(11);
        else s.bind_blob(11, n.centroid.data(), n.centroid.size() * sizeof(float));
        if (int rc = s.step(); rc != SQLITE_DONE) {
            if ((rc & 0xff) == SQLITE_CONSTRAINT)
                return db_->error(op, "node " + std::to_string(n.id) + " breaks the table's rules (" +
                                          sqlite3_errmsg(db_->db()) + ")");
            return db_->sql_error(op, rc);
        }
    }
    return scope.commit();
}

Result<std::optional<CatalogHierarchyHeader>> CatalogDb::hierarchy_header() {
    Stmt s(*db_, Sql::HierarchyHeaderGet);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<CatalogHierarchyHeader>();
    if (rc != SQLITE_ROW) return db_->sql_error("hierarchy_header", rc);
    CatalogHierarchyHeader h;
    h.model_id = s.bytes(0);
    h.adapter_version = s.int64(1);
    h.dim = static_cast<int>(s.int64(2));
    h.scale = s.real(3);
    h.next_id = s.int64(4);
    h.built = s.int64(5);
    h.updated = s.int64(6);
    h.mean_distortion = s.real(7);
    h.max_distortion = s.real(8);
    h.map = s.real(9);
    h.pairs = s.int64(10);
    return std::optional<CatalogHierarchyHeader>(std::move(h));
}

Result<std::vector<CatalogHierarchyNode>> CatalogDb::hierarchy_nodes(bool with_centroids) {
    constexpr std::string_view op = "hierarchy_nodes";
    std::vector<CatalogHierarchyNode> out;
    Stmt s(*db_, with_centroids ? Sql::HierarchyNodeListWithCentroids : Sql::HierarchyNodeList);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        CatalogHierarchyNode n;
        n.id = s.int64(0);
        n.parent = s.is_null(1) ? -1 : s.int64(1);
        n.kind = s.bytes(2);
        n.depth = static_cast<int>(s.int64(3));
        n.size = s.int64(4);
        n.representative = s.is_null(5) ? -1 : s.int64(5);
        n.file_id = s.is_null(6) ? 0 : s.int64(6);
        n.position = static_cast<int>(s.int64(7));
        // A coordinate that is not a number (a row edited behind the library's back, 'nan' as text)
        // is NaN here, never the 0 SQLite reads it as: the hierarchy's reader names the node.
        n.x = s.is_number(8) ? s.real(8) : std::numeric_limits<double>::quiet_NaN();
        n.y = s.is_number(9) ? s.real(9) : std::numeric_limits<double>::quiet_NaN();
        // Column 10: the centroid, or without centroids its length() (SQLite reads no blob for it).
        if (s.is_null(10)) {
            n.centroid_bytes = 0;
        } else if (!with_centroids) {
            n.centroid_bytes = s.int64(10);
        } else {
            std::size_t bytes = 0;
            const void* p = s.blob(10, &bytes);
            n.centroid_bytes = static_cast<std::int64_t>(bytes);
            if (bytes % sizeof(float) == 0) {
                n.centroid.resize(bytes / sizeof(float));
                if (bytes) std::memcpy(n.centroid.data(), p, bytes);
            }
        }
        out.push_back(std::move(n));
    }
    if (rc != SQLITE_DONE) return db_->sql_error(op, rc);
    return out;
}

Status CatalogDb::clear_hierarchy() {
    constexpr std::string_view op = "clear_hierarchy";
    WriteScope scope(*db_, op);
    if (!scope.started()) return scope.started();
    for (Sql clear : {Sql::HierarchyHeaderClear, Sql::HierarchyNodesClear}) {
        Stmt s(*db_, clear);
        if (int rc = s.step(); rc != SQLITE_DONE) return db_->sql_error(op, rc);
    }
    return scope.commit();
}

Result<std::vector<std::int64_t>> CatalogDb::feature_file_ids(std::string_view model_id) {
    std::vector<std::int64_t> out;
    Stmt s(*db_, Sql::FeatureIdsOfModel);
    s.bind_text(1, model_id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.int64(0));
    if (rc != SQLITE_DONE) return db_->sql_error("feature_file_ids", rc);
    return out;
}

Result<std::vector<std::int64_t>> CatalogDb::indexed_files_updated_since(std::int64_t time_ms) {
    std::vector<std::int64_t> out;
    Stmt s(*db_, Sql::FilesIndexedSince);
    s.bind(1, time_ms);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.int64(0));
    if (rc != SQLITE_DONE) return db_->sql_error("indexed_files_updated_since", rc);
    return out;
}

}  // namespace rv
