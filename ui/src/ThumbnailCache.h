// The application's ThumbnailSource: pixmaps in memory (bounded in bytes) in front of a
// ThumbnailLoader (background threads, freedesktop disk cache).
//
// Thread: GUI thread only (it creates QPixmaps). One instance serves every view; views that show
// the same file at different sizes each get their own entry, so they never evict each other in a
// loop.
#pragma once

#include <QCache>
#include <QHash>
#include <QPixmap>
#include <QString>

#include "ThumbnailLoader.h"
#include "ThumbnailSource.h"

namespace rv::ui {

class ThumbnailCache final : public ThumbnailSource {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultMemoryLimit = 256ll * 1024 * 1024;  // bytes of pixel data

    // Thumbnails go to `disk` (default: the user's freedesktop cache, read from XDG_CACHE_HOME
    // now). devicePixelRatio() starts as the application's (qApp must exist).
    explicit ThumbnailCache(QObject* parent = nullptr);
    explicit ThumbnailCache(ThumbnailDiskCache disk, QObject* parent = nullptr);
    ~ThumbnailCache() override;

    // `side` in device-independent pixels. Returns at once: the pixmap for (path, side) if in
    // memory; else queues a load (unless the file failed) and returns, while it loads, the
    // pixmap of another size of the same file if one is in memory (its devicePixelRatio set so
    // it fits side x side), or a null pixmap.
    QPixmap thumbnail(const QString& path, int side) override;
    bool failed(const QString& path) const override;
    // Why the file has no thumbnail (for tooltips); empty unless failed(path).
    QString failureReason(const QString& path) const;

    // Drops queued loads (not the running ones); call when the visible range changes a lot
    // (scroll, new folder, new thumbnail size). Visible cells ask again when they repaint.
    int cancelPending();  // how many were dropped
    // The file changed (or was replaced): forget its pixmaps and its failure, so the next
    // thumbnail() call loads it again (the disk cache revalidates by mtime).
    void forget(const QString& path);

    void setMemoryLimit(qint64 bytes);
    qint64 memoryLimit() const { return memory_.maxCost(); }
    qint64 memoryUsed() const { return memory_.totalCost(); }

    // Device pixels per logical pixel used for new requests (e.g. the view's devicePixelRatioF()).
    void setDevicePixelRatio(qreal dpr);
    qreal devicePixelRatio() const { return dpr_; }

    ThumbnailLoader* loader() { return &loader_; }

private:
    using Key = std::pair<QString, int>;  // (path, side in device pixels)

    void store(const ThumbnailResult& result);

    ThumbnailLoader loader_;
    QCache<Key, QPixmap> memory_;
    QHash<QString, int> lastSidePx_;    // path -> the size stored last (a stand-in while loading)
    QHash<QString, QString> failures_;  // path -> reason
    qreal dpr_ = 1.0;
};

}  // namespace rv::ui
