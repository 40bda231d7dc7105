// A rectangle drawn on the preview's image for search by region (rv::Library::search_region).
//
// Drag with the left button on the image (Shift+drag when the image is zoomed in and a plain drag
// pans) to draw it; it stays in image fractions through zoom and pan. A "Search This Region"
// button appears at its corner (and in the context menu the owner builds); Esc, a click outside it
// or a new image clears it. GUI thread only; owned by its PreviewWidget.
#pragma once

#include <QObject>
#include <QPointF>
#include <QRectF>

class QMouseEvent;
class QPainter;
class QToolButton;
class QWidget;

namespace rv::ui {

class RegionSelector : public QObject {
    Q_OBJECT
public:
    // `viewport`: where the image is drawn and the button lives.
    explicit RegionSelector(QWidget* viewport);

    // The rectangle in fractions of the image (x, y, w, h in [0, 1]); null when there is none.
    QRectF region() const { return region_; }
    bool hasRegion() const { return !region_.isNull(); }
    void clear();
    // Shows `region` (fractions, clipped to the image) as if drawn; a null rectangle clears.
    void set(const QRectF& region);

    // Mouse events of the viewport; `imageRect` where the image is drawn (viewport coordinates),
    // `pans` whether a plain drag pans the image. Return true when the event was taken.
    bool press(QMouseEvent* event, const QRectF& imageRect, bool pans);
    bool move(QMouseEvent* event, const QRectF& imageRect);
    bool release(QMouseEvent* event, const QRectF& imageRect);
    // Draws the rectangle (and dims the rest) and places the button.
    void paint(QPainter& painter, const QRectF& imageRect);

    // Rectangles smaller than this share of the image's width or height are dropped as clicks.
    static constexpr double kMinSide = 0.02;

signals:
    void searchRequested(const QRectF& region);
    void changed();

private:
    QRectF toFractions(QPointF a, QPointF b, const QRectF& imageRect) const;

    QWidget* viewport_;
    QToolButton* button_;
    QRectF region_;
    bool drawing_ = false;
    QPointF anchor_;  // viewport coordinates of the press
};

}  // namespace rv::ui
