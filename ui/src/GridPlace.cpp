#include "GridPlace.h"

#include <QScrollBar>

#include "ImageGrid.h"

namespace rv::ui {

GridPlace gridPlace(const ImageGrid* grid) { return {grid->currentPath(), grid->verticalScrollBar()->value()}; }

bool restoreGridPlace(ImageGrid* grid, const GridPlace& place, const QHash<QString, QString>& moved) {
    grid->doItemsLayout();  // the scroll range of the new rows, now rather than on the next paint
    grid->verticalScrollBar()->setValue(place.scroll);
    if (place.current.isEmpty()) return false;
    const int row = grid->gridModel()->rowOf(moved.value(place.current, place.current));
    if (row < 0) return false;
    const QModelIndex index = grid->gridModel()->index(row);
    grid->setCurrentIndex(index);
    grid->scrollTo(index, QAbstractItemView::EnsureVisible);
    return true;
}

}  // namespace rv::ui
