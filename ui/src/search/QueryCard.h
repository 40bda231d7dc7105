// The query at the head of the results: its thumbnail, the name a person reads, its pixel size
// and, for a file, its folder, under a "Query" caption, so that whatever the query came from (a
// library file, a file outside the library, pasted or dropped pixels) the person sees what was
// asked, set apart from the ranked results.
//
// Thread: GUI thread. A file's thumbnail comes from the ThumbnailSource (never decoded here); its
// pixel size is read from the file's header on a QtConcurrent worker, and a late answer for an
// older query is dropped. Pixels not in a file are scaled here once (a thumbnail-sized copy).
#pragma once

#include <QFrame>
#include <QImage>
#include <QPointer>
#include <QSize>

#include "ThumbnailSource.h"

class QLabel;

namespace rv::ui {

class QueryCard : public QFrame {
    Q_OBJECT
public:
    static constexpr int kThumbnailSide = 112;  // device-independent px

    // `thumbnails` is not owned; may be null (no thumbnail for files).
    explicit QueryCard(ThumbnailSource* thumbnails, QWidget* parent = nullptr);

    // A query by file (inside the library or not).
    void setFile(const QString& path);
    // A query by pixels not in a file; `label` names them ("Pasted image").
    void setImage(const QImage& image, const QString& label);
    void clear();

    QString name() const;     // the name shown
    QString details() const;  // "2560 × 1600 px" and, for a file, its folder (plain text)
    QString path() const { return path_; }  // the file, or "" for pixels
    bool hasThumbnail() const;
    // The pixel size is known (or could not be read): nothing is pending.
    bool isSettled() const { return !sizePending_; }

signals:
    void clicked();  // the person clicked the card (e.g. to preview the query)

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void onThumbnailReady(const QString& path);
    void showDetails();

    QPointer<ThumbnailSource> thumbnails_;
    QLabel* thumbnail_;
    QLabel* name_;
    QLabel* details_;
    QString path_;
    QSize pixels_;           // invalid while unknown
    QString sizeError_;      // why the size could not be read
    bool sizePending_ = false;
    quint64 request_ = 0;    // the newest setFile/setImage
};

}  // namespace rv::ui
