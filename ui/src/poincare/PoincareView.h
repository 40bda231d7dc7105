// The Poincaré disk of a library's hierarchy, as a widget: general groups near the centre,
// specific ones and images toward the rim (MapLayout decides what is drawn, MapPainter draws it).
//
// Moving: a click on a node re-centres the disk on it by a Möbius transformation, animated along
// the geodesic (~250 ms); a drag moves the disk under the pointer (the point grabbed stays under
// it); a double-click drills down (centres on that group and makes it the focus, its children
// spread around it; on an image: imageActivated()); Backspace goes up one level (the focus's
// parent). Hovering a node shows a tooltip (size, depth, representative's name, a few members).
//
// A new map (setMap(), e.g. after the hierarchy was updated) keeps the focus on the node with the
// same id when it is still there. The map's points are laid out for display (MapEmbedding.h).
//
// Thread: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include <memory>

#include "poincare/MapData.h"
#include "poincare/MapLayout.h"
#include "poincare/MapPainter.h"
#include "ruvision/engine/Hyperbolic.h"

class QVariantAnimation;

namespace rv::ui {

class ThumbnailSource;

class PoincareView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kAnimationMs = 250;

    explicit PoincareView(ThumbnailSource* thumbnails, QWidget* parent = nullptr);
    ~PoincareView() override;

    // Shows `map` (null: none). Keeps the focus on the node of the same id if it is still there,
    // else centres on the root.
    void setMap(std::shared_ptr<const MapData> map);
    const MapData* map() const { return map_.get(); }
    void setHighlights(const MapHighlights& marks);
    const MapHighlights& highlights() const { return marks_; }

    // Centres the disk on `node`, animated (or at once).
    void centreOn(int node, bool animated = true);
    // Makes `node` the focus and centres on it (double-click on a group).
    void drillDown(int node);
    // The focus's parent becomes the focus (Backspace). False at the root.
    bool goUp();
    int focus() const { return focus_; }
    bool isAnimating() const;
    // Moves the disk as a drag from `from` to `to` (widget pixels) does.
    void dragBy(QPointF from, QPointF to);

    // What is drawn now (layout of the current view) and where a node is on screen.
    const MapLayout& layout() const;
    QRectF diskRect() const;
    QPointF screenPos(int node) const;    // of a drawn node; (-1, -1) if not drawn
    int nodeAtPos(QPointF pos) const;    // the drawn node under a widget point, or -1
    std::complex<double> viewPoint(int node) const;  // where `node` is in the view's disk
    QString tooltipFor(int node) const;
    // Paints the view as it is into `p` over a `size` area (the frame bench, screenshots).
    void render(QPainter& p, QSize size);

signals:
    void focusChanged(int node);
    void imageActivated(const QString& path);
    // The node nearest the centre changed (after a drag or an animation ends).
    void settled();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;  // tooltips
    void resizeEvent(QResizeEvent* event) override;

private:
    void invalidate();
    void setFocusNode(int node);
    MapParams params() const;

    MapPainter painter_;
    std::shared_ptr<const MapData> map_;
    hyperbolic::DiskMap view_ = hyperbolic::identity_map();
    hyperbolic::DiskMap animFrom_ = hyperbolic::identity_map();
    std::complex<double> animTarget_;  // the animated node's place in animFrom_'s view
    QVariantAnimation* animation_ = nullptr;
    MapHighlights marks_;
    int focus_ = -1;
    int hint_ = 0;  // where the layout's walk starts looking for the centre
    mutable MapLayout layout_;
    mutable bool layoutValid_ = false;
    QPointF press_, last_;
    bool pressed_ = false, dragging_ = false;
};

}  // namespace rv::ui
