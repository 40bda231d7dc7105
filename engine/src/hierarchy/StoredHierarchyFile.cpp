// read_stored_hierarchy (Hierarchy.h): the stored tree straight from a library's catalog file.
#include "hierarchy/HierarchyStore.h"
#include "ruvision/engine/Hierarchy.h"

namespace rv {

Result<std::optional<Hierarchy>> read_stored_hierarchy(const std::filesystem::path& dir, StoredHierarchyInfo* info) {
    auto db = CatalogDb::open(dir / "catalog.sqlite", CatalogDb::OpenMode::ReadOnly);
    if (!db) return db.error();
    auto stored = hierarchy::read_stored(*db, false);
    if (!stored) return stored.error();
    if (!*stored) return std::optional<Hierarchy>();
    if (info) *info = hierarchy::info_of((*stored)->header);
    return std::optional<Hierarchy>(std::move((*stored)->tree));
}

}  // namespace rv
