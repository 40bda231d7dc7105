// What src/hierarchy needs of a Library beyond its public API: the writer's catalog (for
// update_hierarchy, on the writer thread), and the readers' catalog and query embedder with the
// mutex that guards them (for load_hierarchy and search_at_level, on any reader thread). Engine-internal.
#pragma once

#include <filesystem>
#include <mutex>
#include <string_view>

#include "ruvision/engine/Library.h"

namespace rv {

struct HierarchyAccess {
    static CatalogDb& writer(Library& lib) { return *lib.catalog_; }
    static std::mutex& reader_mutex(Library& lib) { return lib.reader_mutex_; }
    static CatalogDb& reader(Library& lib) { return *lib.reader_; }        // under reader_mutex
    static Embedder& query_embedder(Library& lib) { return *lib.query_embedder_; }  // under reader_mutex
    static const std::filesystem::path& dir(Library& lib) { return lib.dir_; }
    static Status check_writable(Library& lib, std::string_view what) { return lib.check_writable(what); }
};

}  // namespace rv
