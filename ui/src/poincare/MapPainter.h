// Paints one MapLayout of a MapData into a square: the disk, edges as geodesic arcs, images and
// groups as thumbnails of their representatives sized by the layout (sharp and big at the centre,
// small toward the rim), small nodes as dots, collapsed levels as markers with their image
// counts, and the highlights (search hits, the query, its neighbours, the focus, the hovered node).
//
// Thread: GUI thread (thumbnails come from a ThumbnailSource, which queues loads and answers from
// memory, never blocking). Holds no state of the view: the widget and the frame bench both use it.
#pragma once

#include <QColor>
#include <QHash>
#include <QLineF>
#include <QPixmap>
#include <QPointF>
#include <QRectF>
#include <QSet>

#include <complex>
#include <cstdint>
#include <vector>

#include "poincare/MapData.h"
#include "poincare/MapLayout.h"

class QPainter;

namespace rv::ui {

class ThumbnailSource;

struct MapHighlights {
    QSet<int> hits;        // nodes found by the search at a level
    QSet<int> neighbours;  // image nodes of the current query's results
    int query = -1;        // the query's own image node (a library file), or -1
    QSet<int> queryPath;   // the groups the query falls in (its ancestors, or where search_at_level located it)
    int focus = -1;        // the node the view is centred on
    int hover = -1;        // the node under the pointer
};

class MapPainter {
public:
    explicit MapPainter(ThumbnailSource* thumbnails) : thumbnails_(thumbnails) {}

    // `disk`: the square the unit disk fills. `moving`: a drag or an animation runs (faster
    // scaling, no thumbnail smoothing).
    void paint(QPainter& p, const QRectF& disk, const MapData& map, const MapLayout& layout, const MapHighlights& marks,
               bool moving) const;

    // The screen point of a view-disk point, and back.
    static QPointF toScreen(const QRectF& disk, std::complex<double> w);
    static std::complex<double> toDisk(const QRectF& disk, QPointF p);
    // The thumbnail side asked of the ThumbnailSource for a drawn side (two sizes, so that a
    // drag does not ask for new sizes every frame).
    static int thumbnailSide(double side);

private:
    void paintEdges(QPainter& p, const QRectF& disk, const MapLayout& layout) const;
    void paintCaption(QPainter& p, const QRectF& disk, const MapData& map, const MapNode& m) const;
    void paintNode(QPainter& p, const QRectF& disk, const MapData& map, const MapNode& m, const MapHighlights& marks,
                   bool moving) const;

    // Dots and markers drawn once into small pixmaps, then blitted (bounded: cleared past 4096).
    const QPixmap& dotSprite(const QColor& fill, const QColor& ring, int diameter) const;
    const QPixmap& markerSprite(std::int64_t count, int radius, const QColor& ring) const;
    const QPixmap& badgeSprite(std::int64_t size, int fontPx) const;
    static void blit(QPainter& p, QPointF centre, const QPixmap& sprite);

    ThumbnailSource* thumbnails_;
    mutable std::vector<QLineF> lines_;  // the edges' segments, kept between frames
    mutable QHash<QString, QPixmap> sprites_;
    mutable QPixmap backdrop_;  // the disk, for the last size painted
};

}  // namespace rv::ui
