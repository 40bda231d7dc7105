// Where a person is in an ImageGrid (the current picture and the scroll), kept across a refill of
// its model after the library changed (LibraryService::libraryChanged): the same picture stays
// current, under its new path if it moved, and the view stays where it was.
//
// Thread: GUI thread.
#pragma once

#include <QHash>
#include <QString>

namespace rv::ui {

class ImageGrid;

struct GridPlace {
    QString current;  // path of the current picture, empty if none
    int scroll = 0;   // vertical scroll bar value
};

GridPlace gridPlace(const ImageGrid* grid);
// After the grid's model was refilled: selects `place.current` (or its new path in `moved`, old
// path -> new) if the grid still shows it, and scrolls back to where the view was (then, if that
// picture is out of view, just enough to show it). Returns false if the picture is gone.
bool restoreGridPlace(ImageGrid* grid, const GridPlace& place, const QHash<QString, QString>& moved = {});

}  // namespace rv::ui
