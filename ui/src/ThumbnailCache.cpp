#include "ThumbnailCache.h"

#include <QGuiApplication>
#include <QtMath>

namespace rv::ui {

ThumbnailCache::ThumbnailCache(QObject* parent) : ThumbnailCache(ThumbnailDiskCache(), parent) {}

ThumbnailCache::ThumbnailCache(ThumbnailDiskCache disk, QObject* parent)
    : ThumbnailSource(parent), loader_(std::move(disk)) {
    memory_.setMaxCost(kDefaultMemoryLimit);
    if (qGuiApp) dpr_ = qGuiApp->devicePixelRatio();
    connect(&loader_, &ThumbnailLoader::finished, this, &ThumbnailCache::store);
}

// loader_ is destroyed first of the members: it waits for its running jobs, which only touch the
// disk, and their results are dropped with it.
ThumbnailCache::~ThumbnailCache() = default;

QPixmap ThumbnailCache::thumbnail(const QString& path, int side) {
    if (path.isEmpty() || side <= 0) return {};
    const int sidePx = qCeil(side * dpr_);
    if (const QPixmap* exact = memory_.object({path, sidePx})) return *exact;
    if (failures_.contains(path)) return {};
    loader_.request(path, sidePx, dpr_);

    const auto last = lastSidePx_.constFind(path);
    if (last == lastSidePx_.cend()) return {};
    const QPixmap* standIn = memory_.object({path, *last});
    if (!standIn) {  // evicted since
        lastSidePx_.erase(last);
        return {};
    }
    const int longer = std::max(standIn->width(), standIn->height());
    if (longer <= side * standIn->devicePixelRatio()) return *standIn;
    // Too big for this cell: the copy gets a ratio that makes it fit (copies the pixels, once per
    // paint and only until the right size arrives).
    QPixmap fitted = *standIn;
    fitted.setDevicePixelRatio(qreal(longer) / side);
    return fitted;
}

bool ThumbnailCache::failed(const QString& path) const { return failures_.contains(path); }

QString ThumbnailCache::failureReason(const QString& path) const { return failures_.value(path); }

int ThumbnailCache::cancelPending() { return loader_.cancelPending(); }

void ThumbnailCache::forget(const QString& path) {
    const QList<Key> keys = memory_.keys();
    for (const Key& key : keys)
        if (key.first == path) memory_.remove(key);
    lastSidePx_.remove(path);
    failures_.remove(path);
}

void ThumbnailCache::setMemoryLimit(qint64 bytes) { memory_.setMaxCost(std::max<qint64>(bytes, 0)); }

void ThumbnailCache::setDevicePixelRatio(qreal dpr) { dpr_ = dpr > 0 ? dpr : 1.0; }

void ThumbnailCache::store(const ThumbnailResult& result) {
    if (!result.error.isEmpty()) {
        failures_.insert(result.path, result.error);
    } else {
        failures_.remove(result.path);
        auto* pixmap = new QPixmap(QPixmap::fromImage(result.image));
        const qint64 bytes = qint64(pixmap->width()) * pixmap->height() * std::max(pixmap->depth(), 8) / 8;
        // insert() takes ownership, also when it refuses a pixmap larger than the whole limit.
        if (memory_.insert({result.path, result.sidePx}, pixmap, std::max<qint64>(bytes, 1)))
            lastSidePx_.insert(result.path, result.sidePx);
    }
    emit thumbnailReady(result.path);
}

}  // namespace rv::ui
