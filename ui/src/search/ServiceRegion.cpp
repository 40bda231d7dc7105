// LibraryService's region search block (LibraryService.h, "region search (i13-region)"): a
// rectangle of an image searched by region on the reader, answered like any search.
//
// Threads: searchRegion() runs on the GUI thread; the engine's search_region on reader_ (through
// runSearch, which drops an answer that is no longer the newest).
#include "LibraryService.h"
#include "ServiceCalls.h"

namespace rv::ui {

quint64 LibraryService::searchRegion(const QString& imagePath, const QRectF& region, const QString& label, int k) {
    const RegionRect rect{region.x(), region.y(), region.width(), region.height()};
    return runSearch(label, [path = fspath(imagePath), rect, k](Library& lib) { return lib.search_region(path, rect, k); });
}

}  // namespace rv::ui
