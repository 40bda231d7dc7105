#include "poincare/MapPainter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>

#include <algorithm>
#include <cmath>

#include "ThumbnailSource.h"
#include "ruvision/engine/Hyperbolic.h"

namespace rv::ui {

namespace {

constexpr double kRadToDeg = 57.29577951308232;
constexpr double kThumbnailPx = 9;  // nodes at least this big (radius) show their thumbnail

const QColor kEdge(196, 202, 214, 80);
const QColor kGroupDot(200, 205, 214);
const QColor kImageDot(143, 163, 191);
const QColor kDuplicatesDot(224, 176, 80);
const QColor kMarker(58, 96, 150, 215);
const QColor kHit(255, 159, 28);
const QColor kQuery(53, 208, 255);
const QColor kNeighbour(123, 216, 143);

QColor dotColour(HierarchyNode::Kind kind) {
    switch (kind) {
    case HierarchyNode::Kind::Image: return kImageDot;
    case HierarchyNode::Kind::Duplicates: return kDuplicatesDot;
    default: return kGroupDot;
    }
}

// The ring a highlighted node gets (invalid colour: none), strongest first.
QColor ringColour(int node, const MapHighlights& marks) {
    if (node == marks.query || node == marks.queryGroup) return kQuery;
    if (marks.hits.contains(node)) return kHit;
    if (marks.neighbours.contains(node)) return kNeighbour;
    if (node == marks.hover) return QColor(Qt::white);
    return {};
}

}  // namespace

QPointF MapPainter::toScreen(const QRectF& disk, std::complex<double> w) {
    const QPointF c = disk.center();
    const double r = disk.width() / 2;
    return {c.x() + r * w.real(), c.y() - r * w.imag()};
}

std::complex<double> MapPainter::toDisk(const QRectF& disk, QPointF p) {
    const QPointF c = disk.center();
    const double r = disk.width() / 2;
    return {(p.x() - c.x()) / r, -(p.y() - c.y()) / r};
}

int MapPainter::thumbnailSide(double side) {
    for (int s : {48, 96, 192}) if (side <= s) return s;
    return 320;
}

void MapPainter::paint(QPainter& p, const QRectF& disk, const MapData& map, const MapLayout& layout,
                       const MapHighlights& marks, bool moving) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    // The disk: light at the centre where the focus is, darker toward the rim.
    QRadialGradient glow(disk.center(), disk.width() / 2);
    glow.setColorAt(0, QColor(58, 62, 72));
    glow.setColorAt(0.75, QColor(38, 40, 46));
    glow.setColorAt(1, QColor(26, 27, 31));
    p.setPen(QPen(QColor(92, 98, 110), 1.5));
    p.setBrush(glow);
    p.drawEllipse(disk);

    paintEdges(p, disk, layout);
    p.setRenderHint(QPainter::SmoothPixmapTransform, !moving);
    // Smallest first, so the large ones near the centre lie on top.
    for (auto it = layout.nodes.rbegin(); it != layout.nodes.rend(); ++it) paintNode(p, disk, map, *it, marks, moving);
    p.restore();
}

void MapPainter::paintEdges(QPainter& p, const QRectF& disk, const MapLayout& layout) const {
    const double R = disk.width() / 2;
    QPainterPath path;
    for (const MapNode& m : layout.nodes) {
        if (m.from < 0) continue;
        const MapNode& f = layout.nodes[static_cast<std::size_t>(m.from)];
        const QPointF a = toScreen(disk, f.w), b = toScreen(disk, m.w);
        if (std::abs(a.x() - b.x()) + std::abs(a.y() - b.y()) < 1.5) continue;
        const hyperbolic::GeodesicArc arc = hyperbolic::geodesic_arc(f.w, m.w);
        if (arc.straight || arc.radius * R > 1e5) {
            path.moveTo(a);
            path.lineTo(b);
            continue;
        }
        const double rr = arc.radius * R;
        const QPointF c = toScreen(disk, arc.centre);
        const QRectF box(c.x() - rr, c.y() - rr, 2 * rr, 2 * rr);
        path.arcMoveTo(box, arc.start_angle * kRadToDeg);
        path.arcTo(box, arc.start_angle * kRadToDeg, arc.sweep * kRadToDeg);
    }
    p.setPen(QPen(kEdge, 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
}

void MapPainter::paintNode(QPainter& p, const QRectF& disk, const MapData& map, const MapNode& m,
                           const MapHighlights& marks, bool moving) const {
    const HierarchyNode& node = map.hierarchy.nodes[static_cast<std::size_t>(m.node)];
    const QPointF c = toScreen(disk, m.w);
    const QColor ring = ringColour(m.node, marks);
    if (m.marker) {
        // A collapsed level: one disc with the number of images beyond it.
        const QString label = QLocale().toString(static_cast<qlonglong>(m.count));
        QFont font = p.font();
        font.setPixelSize(static_cast<int>(std::clamp(m.radiusPx * 0.8, 9.0, 13.0)));
        font.setBold(true);
        const double textW = QFontMetricsF(font).horizontalAdvance(label);
        const double r = std::max({m.radiusPx, textW / 2 + 4, 8.0});
        p.setPen(ring.isValid() ? QPen(ring, 2.5) : QPen(QColor(150, 180, 220, 200), 1));
        p.setBrush(kMarker);
        p.drawEllipse(c, r, r);
        p.setFont(font);
        p.setPen(Qt::white);
        p.drawText(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), Qt::AlignCenter, label);
        return;
    }
    if (m.radiusPx < kThumbnailPx) {
        const double r = std::max(m.radiusPx * 0.7, 1.5);
        p.setPen(ring.isValid() ? QPen(ring, 2) : Qt::NoPen);
        p.setBrush(dotColour(node.kind));
        p.drawEllipse(c, r, r);
        return;
    }
    // A thumbnail of the representative, a square inscribed in the node's disc; groups look like
    // a stack of prints.
    const double half = m.radiusPx * 0.72;
    const QRectF box(c.x() - half, c.y() - half, 2 * half, 2 * half);
    const bool group = node.kind != HierarchyNode::Kind::Image;
    const double corner = std::max(2.0, half * 0.08);
    if (group) {
        const double step = std::max(2.0, half * 0.07);
        p.setPen(QPen(QColor(20, 20, 24, 160), 1));
        for (int i = 2; i >= 1; --i) {
            p.setBrush(i == 2 ? QColor(120, 126, 138) : QColor(170, 175, 186));
            p.drawRoundedRect(box.translated(step * i, -step * i), corner, corner);
        }
    }
    const QString path = map.pathOf(m.node);
    const QPixmap pixmap = thumbnails_ && !path.isEmpty() ? thumbnails_->thumbnail(path, thumbnailSide(2 * half)) : QPixmap();
    if (pixmap.isNull()) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(70, 74, 84));
        p.drawRoundedRect(box, corner, corner);
    } else {
        const double pw = pixmap.width(), ph = pixmap.height(), s = std::min(pw, ph);
        const QRectF crop((pw - s) / 2, (ph - s) / 2, s, s);
        if (moving || half < 24) {
            p.drawPixmap(box, pixmap, crop);
        } else {
            QPainterPath clip;
            clip.addRoundedRect(box, corner, corner);
            p.save();
            p.setClipPath(clip, Qt::IntersectClip);
            p.drawPixmap(box, pixmap, crop);
            p.restore();
        }
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(ring.isValid() ? QPen(ring, std::clamp(half * 0.08, 2.0, 4.0)) : QPen(QColor(255, 255, 255, 150), 1));
    p.drawRoundedRect(box, corner, corner);
    // A group's size on a badge, when there is room for it.
    if (group && half >= 18) {
        const QString label = QLocale().toString(static_cast<qlonglong>(node.size));
        QFont font = p.font();
        font.setPixelSize(static_cast<int>(std::clamp(half * 0.28, 9.0, 14.0)));
        font.setBold(true);
        const QFontMetricsF fm(font);
        const QRectF badge(box.right() - fm.horizontalAdvance(label) - 10, box.bottom() - fm.height() - 4,
                           fm.horizontalAdvance(label) + 8, fm.height() + 2);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(20, 22, 26, 200));
        p.drawRoundedRect(badge, 4, 4);
        p.setFont(font);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, label);
    }
}

}  // namespace rv::ui
