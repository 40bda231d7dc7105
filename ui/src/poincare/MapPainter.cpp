#include "poincare/MapPainter.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>

#include <algorithm>
#include <cmath>

#include "DisplayName.h"
#include "ThumbnailSource.h"
#include "ruvision/engine/Hyperbolic.h"

namespace rv::ui {

namespace {

constexpr double kRadToDeg = 57.29577951308232;
constexpr double kThumbnailPx = 12;  // nodes at least this big (radius) show their thumbnail

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
    if (node == marks.query || marks.queryPath.contains(node)) return kQuery;
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
    // Two sizes only: a node whose size changes while the disk moves crosses a step rarely, and
    // each crossing costs a decode on the loader's threads.
    return side <= 110 ? 96 : 256;
}

void MapPainter::paint(QPainter& p, const QRectF& disk, const MapData& map, const MapLayout& layout,
                       const MapHighlights& marks, bool moving) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    // The disk: light at the centre where the focus is, darker toward the rim (drawn once per
    // size, then blitted).
    const int side = static_cast<int>(std::ceil(disk.width())) + 4;
    if (backdrop_.width() != side) {
        backdrop_ = QPixmap(side, side);
        backdrop_.fill(Qt::transparent);
        QPainter q(&backdrop_);
        q.setRenderHint(QPainter::Antialiasing, true);
        const QRectF box(2, 2, disk.width(), disk.height());
        QRadialGradient glow(box.center(), box.width() / 2);
        glow.setColorAt(0, QColor(58, 62, 72));
        glow.setColorAt(0.75, QColor(38, 40, 46));
        glow.setColorAt(1, QColor(26, 27, 31));
        q.setPen(QPen(QColor(92, 98, 110), 1.5));
        q.setBrush(glow);
        q.drawEllipse(box);
    }
    p.drawPixmap(QPoint(static_cast<int>(std::lround(disk.x() - 2)), static_cast<int>(std::lround(disk.y() - 2))), backdrop_);

    // Edges aliased while the disk moves: Qt's aliased cosmetic lines are several times cheaper,
    // and motion hides the steps.
    p.setRenderHint(QPainter::Antialiasing, !moving);
    paintEdges(p, disk, layout);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::SmoothPixmapTransform, !moving);
    // Smallest first, so the large ones near the centre lie on top.
    for (auto it = layout.nodes.rbegin(); it != layout.nodes.rend(); ++it) paintNode(p, disk, map, *it, marks, moving);
    if (!layout.nodes.empty()) paintCaption(p, disk, map, layout.nodes.front());
    p.restore();
}

void MapPainter::paintEdges(QPainter& p, const QRectF& disk, const MapLayout& layout) const {
    // Each geodesic as a polyline of about 12 px segments (a straight line when the arc bows less
    // than half a pixel): stroking one QPainterPath of thousands of arcs, some of huge radius,
    // cost Qt's stroker tens of milliseconds a frame.
    const double R = disk.width() / 2;
    const QPointF centre = disk.center();
    std::vector<QLineF>& lines = lines_;
    lines.clear();
    for (const MapNode& m : layout.nodes) {
        if (m.from < 0) continue;
        const MapNode& f = layout.nodes[static_cast<std::size_t>(m.from)];
        const QPointF a = toScreen(disk, f.w), b = toScreen(disk, m.w);
        if (std::abs(a.x() - b.x()) + std::abs(a.y() - b.y()) < 1.5) continue;
        const hyperbolic::GeodesicArc arc = hyperbolic::geodesic_arc(f.w, m.w);
        const double rr = arc.radius * R;
        const double sagitta = arc.straight ? 0 : rr * (1 - std::cos(arc.sweep / 2));
        if (arc.straight || sagitta < 0.5) {
            lines.emplace_back(a, b);
            continue;
        }
        const int steps = std::clamp(static_cast<int>(std::abs(arc.sweep) * rr / 12), 2, 24);
        const QPointF c(centre.x() + R * arc.centre.real(), centre.y() - R * arc.centre.imag());
        QPointF prev = a;
        for (int i = 1; i <= steps; ++i) {
            const double t = arc.start_angle + arc.sweep * i / steps;
            const QPointF q = i == steps ? b : QPointF(c.x() + rr * std::cos(t), c.y() - rr * std::sin(t));
            lines.emplace_back(prev, q);
            prev = q;
        }
    }
    QPen pen(kEdge, 1.0);
    pen.setCosmetic(true);  // Qt's cosmetic stroker: several times faster than a stroked 1.2 px pen
    p.setPen(pen);
    p.drawLines(lines.data(), static_cast<int>(lines.size()));
}

const QPixmap& MapPainter::dotSprite(const QColor& fill, const QColor& ring, int diameter) const {
    if (sprites_.size() > 4096) sprites_.clear();
    const QString key = QStringLiteral("d%1/%2/%3").arg(fill.rgba()).arg(ring.isValid() ? ring.rgba() : 0).arg(diameter);
    auto it = sprites_.find(key);
    if (it != sprites_.end()) return it.value();
    const int pad = ring.isValid() ? 3 : 1;
    QPixmap sprite(diameter + 2 * pad, diameter + 2 * pad);
    sprite.fill(Qt::transparent);
    QPainter q(&sprite);
    q.setRenderHint(QPainter::Antialiasing, true);
    q.setPen(ring.isValid() ? QPen(ring, 2) : Qt::NoPen);
    q.setBrush(fill);
    q.drawEllipse(QRectF(pad, pad, diameter, diameter));
    q.end();
    return sprites_.insert(key, sprite).value();
}

const QPixmap& MapPainter::markerSprite(std::int64_t count, int radius, const QColor& ring) const {
    if (sprites_.size() > 4096) sprites_.clear();
    const QString key = QStringLiteral("m%1/%2/%3").arg(count).arg(radius).arg(ring.isValid() ? ring.rgba() : 0);
    auto it = sprites_.find(key);
    if (it != sprites_.end()) return it.value();
    const QString label = QLocale().toString(static_cast<qlonglong>(count));
    QFont font;
    font.setPixelSize(static_cast<int>(std::clamp(radius * 0.8, 9.0, 13.0)));
    font.setBold(true);
    const double r = std::max({static_cast<double>(radius), QFontMetricsF(font).horizontalAdvance(label) / 2 + 4, 8.0});
    const int side = static_cast<int>(std::ceil(2 * r)) + 6;
    QPixmap sprite(side, side);
    sprite.fill(Qt::transparent);
    QPainter q(&sprite);
    q.setRenderHint(QPainter::Antialiasing, true);
    q.setPen(ring.isValid() ? QPen(ring, 2.5) : QPen(QColor(150, 180, 220, 200), 1));
    q.setBrush(kMarker);
    const QRectF box(side / 2.0 - r, side / 2.0 - r, 2 * r, 2 * r);
    q.drawEllipse(box);
    q.setFont(font);
    q.setPen(Qt::white);
    q.drawText(box, Qt::AlignCenter, label);
    q.end();
    return sprites_.insert(key, sprite).value();
}

void MapPainter::blit(QPainter& p, QPointF centre, const QPixmap& sprite) {
    // At whole pixels: the raster engine's plain blit, not its transformed path.
    p.drawPixmap(QPoint(static_cast<int>(std::lround(centre.x() - sprite.width() / 2.0)),
                        static_cast<int>(std::lround(centre.y() - sprite.height() / 2.0))),
                 sprite);
}

const QPixmap& MapPainter::badgeSprite(std::int64_t size, int fontPx) const {
    if (sprites_.size() > 4096) sprites_.clear();
    const QString key = QStringLiteral("b%1/%2").arg(size).arg(fontPx);
    auto it = sprites_.find(key);
    if (it != sprites_.end()) return it.value();
    const QString label = QLocale().toString(static_cast<qlonglong>(size));
    QFont font;
    font.setPixelSize(fontPx);
    font.setBold(true);
    const QFontMetricsF fm(font);
    QPixmap sprite(static_cast<int>(std::ceil(fm.horizontalAdvance(label))) + 8, static_cast<int>(std::ceil(fm.height())) + 2);
    sprite.fill(Qt::transparent);
    QPainter q(&sprite);
    q.setRenderHint(QPainter::Antialiasing, true);
    q.setPen(Qt::NoPen);
    q.setBrush(QColor(20, 22, 26, 200));
    q.drawRoundedRect(QRectF(sprite.rect()), 4, 4);
    q.setFont(font);
    q.setPen(Qt::white);
    q.drawText(QRectF(sprite.rect()), Qt::AlignCenter, label);
    q.end();
    return sprites_.insert(key, sprite).value();
}

void MapPainter::paintCaption(QPainter& p, const QRectF& disk, const MapData& map, const MapNode& m) const {
    // The node at the centre says what it is, under its thumbnail.
    if (m.marker || m.radiusPx < 24) return;
    const HierarchyNode& node = map.hierarchy.nodes[static_cast<std::size_t>(m.node)];
    QString text = displayName(map.pathOf(m.node));
    if (node.kind != HierarchyNode::Kind::Image)
        text = QCoreApplication::translate("MapPainter", "%Ln image(s)", nullptr, node.size) + QStringLiteral(" · ") + text;
    QFont font = p.font();
    font.setPixelSize(12);
    const QFontMetricsF fm(font);
    text = fm.elidedText(text, Qt::ElideMiddle, std::max(200.0, m.radiusPx * 4.5));
    const QPointF c = toScreen(disk, m.w);
    const double w = fm.horizontalAdvance(text) + 12, h = fm.height() + 4;
    const QRectF box(c.x() - w / 2, c.y() + m.radiusPx * 0.72 + 6, w, h);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(18, 19, 22, 210));
    p.drawRoundedRect(box, h / 2, h / 2);
    p.setFont(font);
    p.setPen(QColor(235, 238, 243));
    p.drawText(box, Qt::AlignCenter, text);
}

void MapPainter::paintNode(QPainter& p, const QRectF& disk, const MapData& map, const MapNode& m,
                           const MapHighlights& marks, bool moving) const {
    const HierarchyNode& node = map.hierarchy.nodes[static_cast<std::size_t>(m.node)];
    const QPointF c = toScreen(disk, m.w);
    const QColor ring = ringColour(m.node, marks);
    if (m.marker) {
        // A collapsed level: one disc with the number of images beyond it (a sprite: text
        // layout is the dearest thing a frame would do otherwise).
        const int r = static_cast<int>(std::lround(std::max(m.radiusPx, 8.0)));
        const QPixmap& sprite = markerSprite(m.count, r, ring);
        blit(p, c, sprite);
        return;
    }
    if (m.radiusPx < kThumbnailPx) {
        const double r = std::max(m.radiusPx * 0.7, 1.5);
        const QPixmap& sprite = dotSprite(dotColour(node.kind), ring, static_cast<int>(std::lround(r * 2)));
        blit(p, c, sprite);
        return;
    }
    // A thumbnail of the representative, a square inscribed in the node's disc; groups look like
    // a stack of prints.
    const double half = m.radiusPx * 0.72;
    const QRectF box(c.x() - half, c.y() - half, 2 * half, 2 * half);
    const bool group = node.kind != HierarchyNode::Kind::Image;
    const double corner = std::max(2.0, half * 0.08);
    p.setRenderHint(QPainter::Antialiasing, !moving);
    if (group && half >= 14) {
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
        const QPixmap& badge = badgeSprite(node.size, static_cast<int>(std::clamp(half * 0.28, 9.0, 14.0)));
        p.drawPixmap(QPoint(static_cast<int>(std::lround(box.right() - badge.width() - 2)),
                            static_cast<int>(std::lround(box.bottom() - badge.height() - 2))),
                     badge);
    }
    p.setRenderHint(QPainter::Antialiasing, true);
}

}  // namespace rv::ui
