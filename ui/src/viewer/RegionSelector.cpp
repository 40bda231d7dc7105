#include "viewer/RegionSelector.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>
#include <QWidget>

#include <algorithm>

namespace rv::ui {

RegionSelector::RegionSelector(QWidget* viewport) : QObject(viewport), viewport_(viewport) {
    button_ = new QToolButton(viewport);
    button_->setText(tr("Search This Region"));
    button_->setToolTip(tr("Find library images with a part like this rectangle (Esc clears it)"));
    button_->setObjectName(QStringLiteral("searchRegionButton"));
    button_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button_->setCursor(Qt::ArrowCursor);
    button_->hide();
    connect(button_, &QToolButton::clicked, this, [this] {
        if (hasRegion()) emit searchRequested(region_);
    });
}

void RegionSelector::clear() {
    const bool had = hasRegion() || drawing_;
    region_ = QRectF();
    drawing_ = false;
    button_->hide();
    if (had) {
        viewport_->update();
        emit changed();
    }
}

void RegionSelector::set(const QRectF& region) {
    if (region.isNull()) return clear();
    region_ = region.intersected(QRectF(0, 0, 1, 1));
    drawing_ = false;
    viewport_->update();
    emit changed();
}

QRectF RegionSelector::toFractions(QPointF a, QPointF b, const QRectF& img) const {
    if (img.width() <= 0 || img.height() <= 0) return {};
    auto fx = [&](double x) { return std::clamp((x - img.left()) / img.width(), 0.0, 1.0); };
    auto fy = [&](double y) { return std::clamp((y - img.top()) / img.height(), 0.0, 1.0); };
    const double x0 = std::min(fx(a.x()), fx(b.x())), x1 = std::max(fx(a.x()), fx(b.x()));
    const double y0 = std::min(fy(a.y()), fy(b.y())), y1 = std::max(fy(a.y()), fy(b.y()));
    return {x0, y0, x1 - x0, y1 - y0};
}

bool RegionSelector::press(QMouseEvent* e, const QRectF& img, bool pans) {
    if (e->button() != Qt::LeftButton) return false;
    if (pans && !(e->modifiers() & Qt::ShiftModifier)) return false;
    if (!img.contains(e->position())) {
        clear();
        return false;
    }
    drawing_ = true;
    anchor_ = e->position();
    region_ = QRectF();
    button_->hide();
    viewport_->setCursor(Qt::CrossCursor);
    return true;
}

bool RegionSelector::move(QMouseEvent* e, const QRectF& img) {
    if (!drawing_) return false;
    region_ = toFractions(anchor_, e->position(), img);
    viewport_->update();
    return true;
}

bool RegionSelector::release(QMouseEvent* e, const QRectF& img) {
    if (!drawing_ || e->button() != Qt::LeftButton) return false;
    drawing_ = false;
    viewport_->unsetCursor();
    region_ = toFractions(anchor_, e->position(), img);
    if (region_.width() < kMinSide || region_.height() < kMinSide) region_ = QRectF();  // a click
    viewport_->update();
    emit changed();
    return true;
}

void RegionSelector::paint(QPainter& p, const QRectF& img) {
    if (region_.isNull() || region_.width() <= 0 || region_.height() <= 0) {
        button_->hide();
        return;
    }
    const QRectF r(img.left() + region_.x() * img.width(), img.top() + region_.y() * img.height(),
                   region_.width() * img.width(), region_.height() * img.height());
    QPainterPath outside;
    outside.addRect(img);
    QPainterPath inside;
    inside.addRect(r);
    p.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 110));
    p.setPen(QPen(QColor(255, 255, 255), 2, Qt::SolidLine));
    p.drawRect(r);
    p.setPen(QPen(QColor(30, 120, 230), 2, Qt::DashLine));
    p.drawRect(r);
    if (drawing_) return;
    button_->adjustSize();
    const QSize s = button_->size();
    QPointF at(r.right() - s.width(), r.bottom() + 6);
    if (at.y() + s.height() > viewport_->height()) at.setY(r.bottom() - s.height() - 6);
    at.setX(std::clamp(at.x(), 2.0, std::max(2.0, viewport_->width() - s.width() - 2.0)));
    at.setY(std::clamp(at.y(), 2.0, std::max(2.0, viewport_->height() - s.height() - 2.0)));
    button_->move(at.toPoint());
    button_->show();
}

}  // namespace rv::ui
