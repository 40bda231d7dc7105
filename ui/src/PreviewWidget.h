// A single-image viewer: fit to window, zoom around the cursor, pan by dragging or arrow keys.
//
// Thread: GUI thread only. setImage() returns at once; decoding runs on a QtConcurrent worker
// (QImageReader, EXIF orientation applied) and the newest request wins: a decode started for an
// earlier setImage() is cancelled if still queued and its result dropped if it finishes later.
// Smooth downscaled copies for zoom < 100% are also made on a worker, after zooming settles.
//
// Units: zoomFactor() is screen (device) pixels per original image pixel, 1 = 100%. The decode is
// capped at kMaxDecodeSide on the long side and at kMaxDecodePixels or Qt's image allocation limit
// (QImageReader::allocationLimit(), 128 MB in Qt 6.4), whichever is less, so memory stays bounded;
// zoom is still measured against the original size, so a capped image at 100% is shown at its true
// size from fewer pixels. JPEG scales while decoding (in n/8 steps), so any JPEG fits; Qt reads
// some other images (e.g. RGB PNG) row by row into the scaled size and refuses the rest beyond
// the allocation limit, and then the widget shows the reader's error.
#pragma once

#include <QAbstractScrollArea>
#include <QFutureWatcher>
#include <QImage>
#include <QPointF>
#include <QString>

class QTimer;

namespace rv::ui {

class RegionSelector;

class PreviewWidget : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kMaxDecodeSide = 8192;
    static constexpr qint64 kMaxDecodePixels = 40'000'000;

    // A picture decoded for showing: at most `maxSide` px on the longer side and the pixel budget
    // above, transparency over the engine's grey; `originalSize` the stored size after EXIF
    // orientation. Any thread; never throws: every failure is `error`. The pair view uses it too.
    struct Decoded {
        QImage image;
        QSize originalSize;
        QString error;  // names the reason; empty on success
    };
    static Decoded decode(const QString& path, int maxSide = kMaxDecodeSide);

    explicit PreviewWidget(QWidget* parent = nullptr);
    ~PreviewWidget() override;

    // Shows "Loading…", then the image (in fit mode) or the file and the reason it failed.
    // An empty path clears the view.
    void setImage(const QString& path);
    void clear() { setImage(QString()); }
    QString path() const { return path_; }

    // Double-click: false (default) toggles fit / 100 % at the cursor; true emits
    // openRequested() instead (the dock's preview opens the full-window view).
    void setDoubleClickOpens(bool opens) { doubleClickOpens_ = opens; }

    bool isLoading() const { return state_ == State::Loading; }
    bool hasImage() const { return state_ == State::Ready; }
    QString errorString() const { return error_; }
    QSize imageSize() const { return originalSize_; }      // original pixels, orientation applied
    QSize decodedSize() const { return image_.size(); }    // what was decoded (<= imageSize)

    double zoomFactor() const { return zoom_; }
    bool isFitMode() const { return fit_; }
    // The zoom fit mode uses for the current viewport: the whole image visible, never above 100%.
    double fitZoomFactor() const;
    // The original-image pixel position under a viewport point (may lie outside the image).
    QPointF mapToImage(QPointF viewportPos) const;

    // Search by region (i13-region): the rectangle drawn on the image (viewer/RegionSelector.h), in
    // fractions of the image; null when none. Cleared by a new image and by Esc.
    QRectF selectedRegion() const;
    void clearRegion();
    // Shows `path` with `region` drawn on it (once decoded): where a region query came from.
    void showRegion(const QString& path, const QRectF& region);
    // The pixels of `region` (fractions) in the decoded image (for the query card); null if none.
    QImage regionImage(const QRectF& region) const;

public slots:
    void zoomIn();
    void zoomOut();
    void fit();
    void actualSize();
    // Zoom keeping the image point under `anchor` (viewport coordinates) in place; leaves fit mode.
    void setZoomFactor(double zoom, QPointF anchor);

signals:
    // Once per setImage() that was not superseded. error names the file and the reason.
    void loaded(bool ok, const QString& error);
    // Every setImage() with another path than the one shown (also "" when cleared).
    void pathChanged(const QString& path);
    void openRequested(const QString& path);
    void zoomChanged(double zoom);
    // "Search This Region" (button or context menu) on the image shown from `path`.
    void regionSearchRequested(const QString& path, const QRectF& region);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    enum class State { Empty, Loading, Ready, Failed };

    void onDecoded(const Decoded& result);
    QSizeF displaySize() const;  // device-independent pixels at the current zoom
    QRectF imageRect() const;    // where the image is drawn, viewport coordinates
    void updateScrollRange();
    void applyZoom(double zoom, QPointF anchor, bool fitMode);
    void scheduleSmoothScale();
    void startSmoothScale();
    bool canPan() const;

    QString path_;
    State state_ = State::Empty;
    QString error_;        // as in loaded(): "Cannot open <path>: <reason>"
    QString errorReason_;
    QImage image_;
    QSize originalSize_;
    double zoom_ = 1.0;
    bool fit_ = true;
    quint64 request_ = 0;           // id of the newest setImage(); older results are dropped
    QImage smooth_;                 // image_ scaled with area averaging to smoothFor_
    QSize smoothFor_;               // device pixels
    quint64 smoothRequest_ = 0;
    QTimer* smoothTimer_ = nullptr;
    QPoint dragStart_;
    QPoint dragScroll_;
    bool dragging_ = false;
    bool doubleClickOpens_ = false;
    QFutureWatcher<Decoded>* pendingDecode_ = nullptr;  // newest decode, cancelled when replaced
    RegionSelector* region_ = nullptr;  // search by region (i13-region)
    QRectF pendingRegion_;              // showRegion()'s, drawn when its image is decoded
};

}  // namespace rv::ui
