// File information about one image: dimensions, file size, date (EXIF DateTimeOriginal, else the
// file's modification time, saying which), camera, lens, exposure, folder and full path (all
// selectable), from rv::read_image_info().
//
// Thread: GUI thread. The file is read on a QtConcurrent worker, only while the panel is visible
// (a hidden panel reads when shown); the newest setPath() wins and older answers are dropped.
#pragma once

#include <QFutureWatcher>
#include <QSize>
#include <QString>
#include <QWidget>

#include "ruvision/engine/ImageInfo.h"

class QTextBrowser;

namespace rv::ui {

class InfoPanel : public QWidget {
    Q_OBJECT
public:
    explicit InfoPanel(QWidget* parent = nullptr);
    ~InfoPanel() override;

    // The image to describe; "" clears the panel.
    void setPath(const QString& path);
    QString path() const { return path_; }
    // The pixel size a decoder found (orientation applied), for formats the reader does not
    // parse (HEIC, RAW); ignored when the reader gave a size.
    void setDecodedSize(const QSize& size);

    bool isLoading() const { return pending_ != nullptr; }
    // What the panel shows, as plain text ("Camera: Canon EOS 80D\n…"), for tests and copying.
    QString plainText() const;

signals:
    void updated();  // a newly read file is shown

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Loaded {
        bool ok = false;
        rv::ImageInfo info;
        QString error;  // names the file
    };
    void start();
    void render();

    QTextBrowser* label_;  // read-only, selectable, wraps long paths anywhere
    QString path_;
    bool stale_ = false;  // path_ changed while hidden: read when shown
    quint64 request_ = 0;
    QFutureWatcher<Loaded>* pending_ = nullptr;
    Loaded shown_;
    QSize decoded_;
};

// The rows InfoPanel shows, as (label, value) pairs in display order. Separated for tests.
QList<QPair<QString, QString>> describeImage(const QString& path, const rv::ImageInfo& info, QSize decodedSize);

}  // namespace rv::ui
