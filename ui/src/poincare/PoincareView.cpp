#include "poincare/PoincareView.h"

#include <QEasingCurve>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>

#include "DisplayName.h"
#include "ThumbnailSource.h"

namespace rv::ui {

namespace {

using hyperbolic::Complex;

Complex pointOf(const MapData& map, int node) {
    const auto& n = map.hierarchy.nodes[static_cast<std::size_t>(node)];
    return {n.x, n.y};
}

// A pointer outside the disk grabs the rim's point (a drag from there still turns the disk).
Complex clampToDisk(Complex w) {
    const double m = std::abs(w);
    return m > 0.97 ? w * (0.97 / m) : w;
}

}  // namespace

PoincareView::PoincareView(ThumbnailSource* thumbnails, QWidget* parent)
    : QWidget(parent), painter_(thumbnails), animation_(new QVariantAnimation(this)) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(240, 240);
    setAttribute(Qt::WA_OpaquePaintEvent);
    animation_->setDuration(kAnimationMs);
    animation_->setStartValue(0.0);
    animation_->setEndValue(1.0);
    animation_->setEasingCurve(QEasingCurve::InOutCubic);
    connect(animation_, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        const double t = v.toDouble();
        view_ = hyperbolic::compose(hyperbolic::recentre(hyperbolic::geodesic_point(0.0, animTarget_, t)), animFrom_);
        invalidate();
    });
    connect(animation_, &QVariantAnimation::finished, this, [this] {
        view_ = hyperbolic::compose(hyperbolic::recentre(animTarget_), animFrom_);
        invalidate();
        emit settled();
    });
    if (thumbnails) connect(thumbnails, &ThumbnailSource::thumbnailReady, this, [this] { update(); });
}

PoincareView::~PoincareView() = default;

void PoincareView::setMap(std::shared_ptr<const MapData> map) {
    // The focus is kept across maps of one library (node ids are stable there, not elsewhere).
    const qint64 focusId = map_ && map && map_->dir == map->dir && focus_ >= 0
                               ? map_->hierarchy.nodes[static_cast<std::size_t>(focus_)].id
                               : -1;
    animation_->stop();
    map_ = std::move(map);
    focus_ = -1;
    hint_ = 0;
    view_ = hyperbolic::identity_map();
    if (map_ && !map_->hierarchy.nodes.empty()) {
        int at = focusId >= 0 ? map_->indexOfId(focusId) : -1;
        if (at < 0) at = 0;
        focus_ = hint_ = at;
        view_ = hyperbolic::recentre(pointOf(*map_, at));
    }
    marks_.focus = focus_;
    invalidate();
    emit focusChanged(focus_);
}

void PoincareView::setHighlights(const MapHighlights& marks) {
    const int hover = marks_.hover, focus = marks_.focus;
    marks_ = marks;
    marks_.hover = hover;
    marks_.focus = focus;
    update();
}

void PoincareView::invalidate() {
    layoutValid_ = false;
    update();
}

MapParams PoincareView::params() const {
    MapParams p;
    p.radiusPx = diskRect().width() / 2;
    return p;
}

const MapLayout& PoincareView::layout() const {
    if (!layoutValid_) {
        static const MapLayout empty;
        layout_ = map_ ? layoutMap(map_->hierarchy, view_, hint_, focus_, params()) : empty;
        layoutValid_ = true;
    }
    return layout_;
}

QRectF PoincareView::diskRect() const {
    const double side = std::max(10.0, std::min(width(), height()) - 24.0);
    return {(width() - side) / 2, (height() - side) / 2, side, side};
}

std::complex<double> PoincareView::viewPoint(int node) const {
    if (!map_ || node < 0 || node >= static_cast<int>(map_->hierarchy.nodes.size())) return {2.0, 2.0};
    return view_(pointOf(*map_, node));
}

QPointF PoincareView::screenPos(int node) const {
    for (const MapNode& m : layout().nodes)
        if (m.node == node) return MapPainter::toScreen(diskRect(), m.w);
    return {-1, -1};
}

int PoincareView::nodeAtPos(QPointF pos) const {
    const MapLayout& l = layout();
    const int i = nodeAt(l, MapPainter::toDisk(diskRect(), pos), diskRect().width() / 2);
    return i < 0 ? -1 : l.nodes[static_cast<std::size_t>(i)].node;
}

bool PoincareView::isAnimating() const { return animation_->state() == QAbstractAnimation::Running; }

void PoincareView::centreOn(int node, bool animated) {
    if (!map_ || node < 0 || node >= static_cast<int>(map_->hierarchy.nodes.size())) return;
    animation_->stop();
    animFrom_ = view_;
    animTarget_ = view_(pointOf(*map_, node));
    hint_ = node;
    if (!animated) {
        view_ = hyperbolic::compose(hyperbolic::recentre(animTarget_), animFrom_);
        invalidate();
        emit settled();
        return;
    }
    animation_->start();
}

void PoincareView::setFocusNode(int node) {
    if (node == focus_) return;
    focus_ = node;
    marks_.focus = node;
    invalidate();
    emit focusChanged(node);
}

void PoincareView::drillDown(int node) {
    if (!map_ || node < 0 || node >= static_cast<int>(map_->hierarchy.nodes.size())) return;
    setFocusNode(node);
    centreOn(node);
}

bool PoincareView::goUp() {
    if (!map_ || focus_ < 0) return false;
    const int parent = map_->hierarchy.nodes[static_cast<std::size_t>(focus_)].parent;
    if (parent < 0) {
        centreOn(focus_);
        return false;
    }
    drillDown(parent);
    return true;
}

void PoincareView::dragBy(QPointF from, QPointF to) {
    const QRectF disk = diskRect();
    const Complex a = clampToDisk(MapPainter::toDisk(disk, from)), b = clampToDisk(MapPainter::toDisk(disk, to));
    if (a == b) return;
    animation_->stop();
    const hyperbolic::DiskMap move = hyperbolic::compose(hyperbolic::inverse(hyperbolic::recentre(b)), hyperbolic::recentre(a));
    view_ = hyperbolic::compose(move, view_);
    if (!layout().nodes.empty()) hint_ = layout().start;
    invalidate();
}

QString PoincareView::tooltipFor(int node) const {
    if (!map_ || node < 0 || node >= static_cast<int>(map_->hierarchy.nodes.size())) return {};
    const auto& nodes = map_->hierarchy.nodes;
    const HierarchyNode& n = nodes[static_cast<std::size_t>(node)];
    const QString rep = map_->pathOf(node);
    const QLocale locale;
    if (n.kind == HierarchyNode::Kind::Image)
        return tr("%1\nlevel %2 · %3").arg(displayName(rep)).arg(std::max(0, n.depth - 1)).arg(rep);
    const QString images = tr("%Ln image(s)", nullptr, n.size);
    const QString head = n.kind == HierarchyNode::Kind::Root         ? tr("The whole library: %1").arg(images)
                         : n.kind == HierarchyNode::Kind::Duplicates ? tr("Near-duplicates: %1").arg(images)
                                                                     : tr("Group of %1").arg(images);
    // A few members: images met first in a walk down from the node, the representative left out.
    QStringList members;
    std::vector<int> queue{node};
    for (std::size_t i = 0; i < queue.size() && members.size() < 4 && queue.size() < 4000; ++i) {
        const HierarchyNode& q = nodes[static_cast<std::size_t>(queue[i])];
        if (q.kind == HierarchyNode::Kind::Image && queue[i] != n.representative)
            members << displayName(map_->paths.value(q.file_id));
        for (int c : q.children) queue.push_back(c);
    }
    QString text = tr("%1 · level %2 (depth %3)").arg(head).arg(std::max(0, n.depth - 1)).arg(n.depth);
    if (!rep.isEmpty()) text += QLatin1Char('\n') + tr("Representative: %1").arg(displayName(rep));
    if (!members.isEmpty()) text += QLatin1Char('\n') + tr("Also: %1").arg(members.join(QStringLiteral(", ")));
    if (n.size > members.size() + 1) text += tr(" and %L1 more").arg(n.size - members.size() - 1);
    return text;
}

void PoincareView::render(QPainter& p, QSize size) {
    if (size != this->size()) resize(size);
    p.fillRect(QRect(QPoint(0, 0), size), QColor(30, 32, 36));
    if (!map_) return;
    if (map_->hierarchy.nodes.empty() || map_->hierarchy.nodes[0].size == 0) {
        p.setPen(QColor(200, 204, 212));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No images in the library yet.\nThe map is drawn once its folders are indexed."));
        return;
    }
    painter_.paint(p, diskRect(), *map_, layout(), marks_, dragging_ || isAnimating());
}

void PoincareView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(30, 32, 36));
    if (!map_) return;
    if (map_->hierarchy.nodes.empty() || map_->hierarchy.nodes[0].size == 0) {
        p.setPen(QColor(200, 204, 212));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No images in the library yet.\nThe map is drawn once its folders are indexed."));
        return;
    }
    painter_.paint(p, diskRect(), *map_, layout(), marks_, dragging_ || isAnimating());
}

void PoincareView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    pressed_ = true;
    dragging_ = false;
    press_ = last_ = event->position();
}

void PoincareView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (pressed_) {
        if (!dragging_ && (pos - press_).manhattanLength() > 4) dragging_ = true;
        if (dragging_) {
            dragBy(last_, pos);
            last_ = pos;
        }
        return;
    }
    const int hover = nodeAtPos(pos);
    if (hover != marks_.hover) {
        marks_.hover = hover;
        update();
    }
}

void PoincareView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !pressed_) return QWidget::mouseReleaseEvent(event);
    pressed_ = false;
    if (dragging_) {
        dragging_ = false;
        invalidate();
        emit settled();
        return;
    }
    const int node = nodeAtPos(event->position());
    if (node >= 0) centreOn(node);
}

void PoincareView::mouseDoubleClickEvent(QMouseEvent* event) {
    const int node = nodeAtPos(event->position());
    if (node < 0 || !map_) return;
    if (map_->hierarchy.nodes[static_cast<std::size_t>(node)].kind == HierarchyNode::Kind::Image) {
        emit imageActivated(map_->pathOf(node));
        return;
    }
    drillDown(node);
}

void PoincareView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Backspace) {
        goUp();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && marks_.hover >= 0) {
        drillDown(marks_.hover);
        return;
    }
    QWidget::keyPressEvent(event);
}

bool PoincareView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipFor(nodeAtPos(help->pos()));
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void PoincareView::resizeEvent(QResizeEvent* event) {
    layoutValid_ = false;
    QWidget::resizeEvent(event);
}

}  // namespace rv::ui
