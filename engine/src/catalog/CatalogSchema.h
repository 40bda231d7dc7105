// The catalog's tables, and the steps that bring an older file up to CatalogDb::kSchemaVersion.
#pragma once

#include "catalog/Connection.h"

namespace rv::catalog {

// PRAGMA application_id of every RuVision catalog ("RVct"): tells our files from other SQLite files.
inline constexpr int kApplicationId = 0x52566374;

// Creates the schema in a new file, migrates an older one (under the write lock, once, even when
// several processes open the file together), refuses a newer one or another application's database.
Status ensure_schema(Connection& c);
// For a read-only connection: the file must be a RuVision catalog of exactly this schema version
// (an older one needs one opening with write access, which migrates it).
[[nodiscard]] Status check_schema(Connection& c);

}  // namespace rv::catalog
