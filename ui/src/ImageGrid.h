// A grid of thumbnails (folder contents or ranked results): a QListView in icon mode over an
// ImageGridModel, painted by a ThumbnailDelegate, with the actions a person expects on an image:
// double-click views it (full window), Enter asks for similar images, the context menu the rest.
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

    // After a file was renamed on disk: its row shows `newPath` at once (same row, score, rank),
    // selection and scroll kept. No-op if `oldPath` is not shown.
    void replacePath(const QString& oldPath, const QString& newPath);
    // After a file went to the trash: its row goes, selection and scroll kept (the current item
    // moves to the next row). The grid remembers where it was until its rows are replaced, so
    // restorePath() can put it back there (Undo). Both no-ops for a path not shown/remembered.
    void removePath(const QString& path);
    void restorePath(const QString& path);

signals:
    void currentPathChanged(const QString& path);
    void queryRequested(const QString& path);  // Enter, or "Find Similar"
    void viewRequested(const QString& path);   // double-click: the full-window view
    void contextMenuRequestedFor(const QString& path, const QPoint& globalPos);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void startDrag(Qt::DropActions supported) override;

private:
    struct Row {
        QString path;
        float score = 0.0f;
        bool hasScore = false;
    };
    QVector<Row> rows() const;
    // Replaces the rows, making `current` the current item and keeping the selection (a path
    // renamed from `from` to `to` stays selected) and the scroll offset.
    void rebuild(const QVector<Row>& rows, const QString& current, const QString& from = {}, const QString& to = {});

    ThumbnailCache* thumbnails_;
    QHash<QString, int> removedAt_;  // path -> row it had, for restorePath()
    QHash<QString, Row> removed_;
    bool rebuilding_ = false;
    ImageGridModel* model_;
    ThumbnailDelegate* delegate_;
};

}  // namespace rv::ui
