#include "ImageGrid.h"

#include <QContextMenuEvent>
#include <QDrag>
#include <QMimeData>
#include <QScrollBar>
#include <QUrl>

namespace rv::ui {

ImageGrid::ImageGrid(ThumbnailCache* thumbnails, QWidget* parent)
    : QListView(parent),
      thumbnails_(thumbnails),
      model_(new ImageGridModel(thumbnails, this)),
      delegate_(new ThumbnailDelegate(this)) {
    setViewMode(QListView::IconMode);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    setLayoutMode(QListView::Batched);
    setBatchSize(500);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSpacing(4);
    setWordWrap(false);
    setModel(model_);
    setItemDelegate(delegate_);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] { thumbnails_->cancelPending(); });
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { emit currentPathChanged(model_->pathAt(current.row())); });
    connect(this, &QListView::activated, this,
            [this](const QModelIndex& index) { emit queryRequested(model_->pathAt(index.row())); });
}

void ImageGrid::setThumbnailSide(int side) {
    delegate_->setThumbnailSide(side);
    model_->setThumbnailSide(delegate_->thumbnailSide());
    thumbnails_->cancelPending();
}

QString ImageGrid::currentPath() const {
    const QModelIndex i = currentIndex();
    return i.isValid() ? model_->pathAt(i.row()) : QString();
}

void ImageGrid::keyPressEvent(QKeyEvent* event) {
    // Enter asks "what looks like this?" (QListView's own activation differs between styles).
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid() &&
        event->modifiers() == Qt::NoModifier) {
        emit queryRequested(currentPath());
        return;
    }
    QListView::keyPressEvent(event);
}

void ImageGrid::contextMenuEvent(QContextMenuEvent* event) {
    const QModelIndex i = indexAt(event->pos());
    if (!i.isValid()) return;
    setCurrentIndex(i);
    emit contextMenuRequestedFor(model_->pathAt(i.row()), event->globalPos());
}

void ImageGrid::startDrag(Qt::DropActions) {
    // Files dragged out land in file managers and other apps as file URLs.
    QList<QUrl> urls;
    for (const QModelIndex& i : selectionModel()->selectedIndexes()) urls << QUrl::fromLocalFile(model_->pathAt(i.row()));
    if (urls.isEmpty()) return;
    auto* mime = new QMimeData;
    mime->setUrls(urls);
    auto* drag = new QDrag(this);
    drag->setMimeData(mime);
    const QPixmap pm = thumbnails_->thumbnail(urls.first().toLocalFile(), 96);
    if (!pm.isNull()) drag->setPixmap(pm);
    drag->exec(Qt::CopyAction);
}

}  // namespace rv::ui
