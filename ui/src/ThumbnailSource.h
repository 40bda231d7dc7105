// Where views get thumbnails from, without knowing how they are made or cached.
//
// Thread: GUI thread only. thumbnail() never blocks on disk or decoding: it returns what is in
// memory (null if nothing yet) and, if nothing is there, queues a background load; when that load
// ends, thumbnailReady(path) is emitted on the GUI thread (also when it failed: thumbnail() then
// returns a null pixmap and failed(path) is true).
#pragma once

#include <QObject>
#include <QPixmap>
#include <QString>

namespace rv::ui {

class ThumbnailSource : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // A thumbnail fitting in side x side pixels (device-independent), aspect kept; null if not
    // loaded yet or failed.
    virtual QPixmap thumbnail(const QString& path, int side) = 0;
    virtual bool failed(const QString& path) const = 0;

signals:
    void thumbnailReady(const QString& path);
};

}  // namespace rv::ui
