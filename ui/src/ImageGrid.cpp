#include "ImageGrid.h"

#include <QContextMenuEvent>
#include <QItemSelection>
#include <QMouseEvent>
#include <QDrag>
#include <QMimeData>
#include <QScrollBar>
#include <QUrl>

#include <algorithm>

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
    // Rows replaced from outside (another folder, a new query): a remembered row means nothing now.
    connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        if (rebuilding_) return;
        removedAt_.clear();
        removed_.clear();
    });
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

void ImageGrid::mouseDoubleClickEvent(QMouseEvent* event) {
    // Not QListView's activated(): on styles that activate on a single click it would open the
    // view on every click.
    const QModelIndex i = indexAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && i.isValid()) {
        setCurrentIndex(i);
        emit viewRequested(model_->pathAt(i.row()));
        event->accept();
        return;
    }
    QListView::mouseDoubleClickEvent(event);
}

QVector<ImageGrid::Row> ImageGrid::rows() const {
    QVector<Row> out;
    out.reserve(model_->rowCount());
    for (int r = 0; r < model_->rowCount(); ++r) {
        const QVariant score = model_->index(r).data(ImageGridModel::ScoreRole);
        out.push_back({model_->pathAt(r), score.toFloat(), score.isValid()});
    }
    return out;
}

void ImageGrid::rebuild(const QVector<Row>& rows, const QString& current, const QString& from, const QString& to) {
    const int scroll = verticalScrollBar()->value();
    QStringList selected;
    for (const QModelIndex& i : selectionModel()->selectedIndexes()) {
        const QString p = model_->pathAt(i.row());
        selected << (!from.isEmpty() && p == from ? to : p);
    }
    const bool ranked = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.hasScore; });
    rebuilding_ = true;
    if (ranked) {
        QVector<ImageGridModel::Result> results;
        results.reserve(rows.size());
        for (const Row& r : rows) results.push_back({r.path, r.score});
        model_->setResults(results);
    } else {
        QStringList paths;
        paths.reserve(rows.size());
        for (const Row& r : rows) paths << r.path;
        model_->setFolderFiles(paths);
    }
    rebuilding_ = false;
    const int currentRow = model_->rowOf(current);
    if (currentRow >= 0) selectionModel()->setCurrentIndex(model_->index(currentRow), QItemSelectionModel::NoUpdate);
    QItemSelection selection;
    for (const QString& p : selected)
        if (const int r = model_->rowOf(p); r >= 0) selection.select(model_->index(r), model_->index(r));
    selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    doItemsLayout();  // the scroll range follows the new rows before the offset is restored
    verticalScrollBar()->setValue(scroll);
}

void ImageGrid::replacePath(const QString& oldPath, const QString& newPath) {
    const int row = model_->rowOf(oldPath);
    if (row < 0) return;
    QVector<Row> all = rows();
    all[row].path = newPath;
    const QString current = currentPath();
    rebuild(all, current == oldPath ? newPath : current, oldPath, newPath);
}

void ImageGrid::removePath(const QString& path) {
    const int row = model_->rowOf(path);
    if (row < 0) return;
    QVector<Row> all = rows();
    removed_.insert(path, all[row]);
    removedAt_.insert(path, row);
    all.remove(row);
    QString current = currentPath();
    const bool wasCurrent = current == path;
    if (wasCurrent) current = row < all.size() ? all[row].path : (all.isEmpty() ? QString() : all.last().path);
    rebuild(all, current);
    // The next image takes the removed one's place, selected, as file managers do.
    if (wasCurrent && !current.isEmpty())
        selectionModel()->setCurrentIndex(model_->index(model_->rowOf(current)), QItemSelectionModel::ClearAndSelect);
}

void ImageGrid::restorePath(const QString& path) {
    if (!removed_.contains(path) || model_->rowOf(path) >= 0) return;
    QVector<Row> all = rows();
    const int row = std::clamp(removedAt_.value(path), 0, int(all.size()));
    all.insert(row, removed_.take(path));
    removedAt_.remove(path);
    rebuild(all, currentPath());
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
