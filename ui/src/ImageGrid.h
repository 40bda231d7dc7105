// A grid of thumbnails (folder contents or ranked results): a QListView in icon mode over an
// ImageGridModel, painted by a ThumbnailDelegate, with the actions a person expects on an image.
//
// Thread: GUI thread. Scrolling drops thumbnail loads queued for cells that went out of view
// (the cells in view ask again as they repaint), so a fast scroll through 100,000 images loads
// what is on screen, not everything passed on the way.
#pragma once

#include <QListView>

#include "ImageGridModel.h"
#include "ThumbnailCache.h"
#include "ThumbnailDelegate.h"

namespace rv::ui {

class ImageGrid : public QListView {
    Q_OBJECT
public:
    ImageGrid(ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    ImageGridModel* gridModel() const { return model_; }
    ThumbnailDelegate* delegate() const { return delegate_; }
    void setThumbnailSide(int side);
    QString currentPath() const;

signals:
    void currentPathChanged(const QString& path);
    void queryRequested(const QString& path);  // double-click, Enter, or "Find Similar"
    void contextMenuRequestedFor(const QString& path, const QPoint& globalPos);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void startDrag(Qt::DropActions supported) override;

private:
    ThumbnailCache* thumbnails_;
    ImageGridModel* model_;
    ThumbnailDelegate* delegate_;
};

}  // namespace rv::ui
