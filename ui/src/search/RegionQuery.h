// Asking the service for a query of the history (QueryHistory.h): a file, pixels, or a region of
// a file (search by region, i13-region). Returns the id searchFinished() will carry.
#pragma once

#include "LibraryService.h"
#include "QueryHistory.h"

namespace rv::ui {

inline quint64 askSearch(LibraryService& service, const Query& q) {
    if (!q.region.isNull()) return service.searchRegion(q.regionOf, q.region, q.label);
    return q.path.isEmpty() ? service.search(q.image, q.label) : service.search(q.path);
}

}  // namespace rv::ui
