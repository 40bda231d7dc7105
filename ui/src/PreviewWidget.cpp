#include "PreviewWidget.h"
#include "EngineImageReader.h"
#include "TransparencyBackdrop.h"
#include "viewer/RegionSelector.h"
#include <QContextMenuEvent>
#include <QMenu>

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

namespace rv::ui {

namespace {

constexpr double kZoomStep = 1.25;  // per key press or wheel notch
constexpr double kMinZoom = 0.01;   // unless the fit zoom is smaller
constexpr double kMaxZoom = 32.0;
// From this many device pixels per decoded pixel on, pixels are drawn as crisp squares (pixel
// peeping) instead of being interpolated.
constexpr double kNearestFromScale = 3.0;
// Below this many device pixels per decoded pixel, bilinear drawing aliases visibly: a smooth
// (area-averaged) copy is made on a worker. Between it and 1, bilinear is good enough, and the copy
// would cost up to the decoded image's memory again.
constexpr double kSmoothCopyBelowScale = 0.5;

// Zoom after `steps` steps (fractional for fine wheels), landing exactly on 100% when crossing it
// so the keys and the wheel can always return to actual pixels.
double steppedZoom(double zoom, double steps) {
    const double next = zoom * std::pow(kZoomStep, steps);
    if ((zoom < 1.0 && next > 1.0) || (zoom > 1.0 && next < 1.0)) return 1.0;
    return next;
}

}  // namespace

PreviewWidget::PreviewWidget(QWidget* parent) : QAbstractScrollArea(parent) {
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    // Scroll bars only hold the pan offset: showing them would change the viewport, and with it
    // the fit zoom, whenever they appear.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    smoothTimer_ = new QTimer(this);
    smoothTimer_->setSingleShot(true);
    smoothTimer_->setInterval(120);  // ms after the last zoom or resize
    connect(smoothTimer_, &QTimer::timeout, this, &PreviewWidget::startSmoothScale);
    region_ = new RegionSelector(viewport());  // search by region (i13-region)
    connect(region_, &RegionSelector::searchRequested, this,
            [this](const QRectF& r) { emit regionSearchRequested(path_, r); });
}

QRectF PreviewWidget::selectedRegion() const { return region_->region(); }
void PreviewWidget::clearRegion() { region_->clear(); }

void PreviewWidget::showRegion(const QString& path, const QRectF& region) {
    if (path != path_ || state_ == State::Failed || state_ == State::Empty) setImage(path);
    if (state_ == State::Ready) region_->set(region);
    else pendingRegion_ = region;
}

QImage PreviewWidget::regionImage(const QRectF& r) const {
    if (state_ != State::Ready || r.isNull()) return {};
    const QRect px(int(r.x() * image_.width()), int(r.y() * image_.height()), std::max(1, int(r.width() * image_.width())),
                   std::max(1, int(r.height() * image_.height())));
    return image_.copy(px);
}

void PreviewWidget::contextMenuEvent(QContextMenuEvent* event) {
    if (state_ != State::Ready || !region_->hasRegion()) return;
    QMenu menu(this);
    menu.addAction(tr("Search This Region"), this, [this] { emit regionSearchRequested(path_, region_->region()); });
    menu.addAction(tr("Clear Rectangle"), this, [this] { region_->clear(); });
    menu.exec(event->globalPos());
}

PreviewWidget::~PreviewWidget() {
    // A queued decode need not run; a running one finishes on its own (it holds no `this`).
    if (pendingDecode_) pendingDecode_->cancel();
}

// Worker thread. Never throws: every failure becomes `reason`.
PreviewWidget::Decoded PreviewWidget::decode(const QString& path, int maxSide) {
    Decoded out;
    try {
        const QFileInfo info(path);
        if (!info.exists()) {
            out.error = tr("file not found");
            return out;
        }
        if (info.isDir()) {
            out.error = tr("is a folder");
            return out;
        }
        if (EngineImageReader::handles(path)) {  // HEIC, AVIF, camera RAW: no Qt reader
            EngineImage e = EngineImageReader::read(path, maxSide);
            return {std::move(e.image), e.original, e.reason};
        }
        QImageReader reader(path);
        reader.setAutoTransform(true);
        const QSize raw = reader.size();  // stored orientation; invalid if the header says nothing
        if (raw.isValid() && !raw.isEmpty()) {
            // Decoded as 4-byte pixels; above Qt's allocation limit the reader would refuse the image.
            const double limitBytes = double(QImageReader::allocationLimit()) * 1024 * 1024;
            const double budget = limitBytes > 0 ? std::min(double(kMaxDecodePixels), 0.98 * limitBytes / 4)
                                                 : double(kMaxDecodePixels);
            const double pixels = double(raw.width()) * raw.height();
            double scale = std::min({1.0, double(maxSide) / std::max(raw.width(), raw.height()),
                                     std::sqrt(budget / pixels)});
            // The JPEG reader decodes at the next n/8 scale at or above the asked size, and the
            // allocation limit applies to that: ask for an n/8 size so the decode itself fits.
            if (scale < 1.0 && scale >= 0.125) scale = std::floor(scale * 8) / 8;
            if (scale < 1.0)
                reader.setScaledSize(QSize(std::max(1, int(raw.width() * scale)), std::max(1, int(raw.height() * scale))));
        }
        QImage image = reader.read();
        if (image.isNull()) {
            out.error = reader.errorString();
            return out;
        }
        const bool turned = reader.transformation() & QImageIOHandler::TransformationRotate90;
        out.originalSize = raw.isValid() ? (turned ? raw.transposed() : raw) : image.size();
        // Transparency over the engine's grey, as thumbnails and the network see it; RGB32 is also
        // what the raster painter draws fastest.
        image = overTransparencyBackdrop(image);
        if (image.isNull()) {
            out.error = tr("not enough memory");
            return out;
        }
        out.image = std::move(image);
    } catch (const std::exception& e) {
        out.error = QString::fromLocal8Bit(e.what());
    } catch (...) {
        out.error = tr("unexpected decoder failure");
    }
    return out;
}

void PreviewWidget::setImage(const QString& path) {
    const quint64 id = ++request_;
    region_->clear();
    pendingRegion_ = QRectF();
    if (pendingDecode_) {
        pendingDecode_->cancel();  // not yet started: never runs; running: its result is dropped
        pendingDecode_ = nullptr;
    }
    ++smoothRequest_;
    smoothTimer_->stop();
    smooth_ = {};
    smoothFor_ = {};
    image_ = {};
    originalSize_ = {};
    error_.clear();
    errorReason_.clear();
    const bool changed = path != path_;
    path_ = path;
    if (changed) emit pathChanged(path_);
    fit_ = true;
    zoom_ = 1.0;
    dragging_ = false;
    updateScrollRange();
    viewport()->update();
    if (path.isEmpty()) {
        state_ = State::Empty;
        return;
    }
    state_ = State::Loading;
    auto* watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        if (pendingDecode_ == watcher) pendingDecode_ = nullptr;
        if (id != request_ || watcher->isCanceled()) return;  // superseded by a newer setImage()
        onDecoded(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path] { return PreviewWidget::decode(path); }));
    pendingDecode_ = watcher;
}

void PreviewWidget::onDecoded(const Decoded& result) {
    if (!result.error.isEmpty() || result.image.isNull()) {
        state_ = State::Failed;
        errorReason_ = result.error.isEmpty() ? tr("no image data") : result.error;
        error_ = tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(path_), errorReason_);
        viewport()->update();
        emit loaded(false, error_);
        return;
    }
    state_ = State::Ready;
    image_ = result.image;
    originalSize_ = result.originalSize;
    fit_ = true;
    zoom_ = fitZoomFactor();
    updateScrollRange();
    startSmoothScale();
    region_->set(std::exchange(pendingRegion_, QRectF()));
    viewport()->update();
    emit zoomChanged(zoom_);
    emit loaded(true, QString());
}

double PreviewWidget::fitZoomFactor() const {
    if (originalSize_.isEmpty()) return 1.0;
    const QSize vp = viewport()->size();
    const double dpr = devicePixelRatioF();
    const double fitted = std::min(vp.width() * dpr / originalSize_.width(), vp.height() * dpr / originalSize_.height());
    return std::clamp(fitted, 1e-4, 1.0);
}

QSizeF PreviewWidget::displaySize() const {
    if (originalSize_.isEmpty()) return {};
    return QSizeF(originalSize_) * (zoom_ / devicePixelRatioF());
}

QRectF PreviewWidget::imageRect() const {
    const QSizeF shown = displaySize();
    const QSize vp = viewport()->size();
    const double x = shown.width() <= vp.width() ? std::floor((vp.width() - shown.width()) / 2)
                                                 : -horizontalScrollBar()->value();
    const double y = shown.height() <= vp.height() ? std::floor((vp.height() - shown.height()) / 2)
                                                   : -verticalScrollBar()->value();
    return {QPointF(x, y), shown};
}

QPointF PreviewWidget::mapToImage(QPointF viewportPos) const {
    const QRectF r = imageRect();
    if (r.isEmpty()) return {};
    return {(viewportPos.x() - r.x()) * originalSize_.width() / r.width(),
            (viewportPos.y() - r.y()) * originalSize_.height() / r.height()};
}

void PreviewWidget::updateScrollRange() {
    const QSizeF shown = displaySize();
    const QSize vp = viewport()->size();
    horizontalScrollBar()->setRange(0, std::max(0, int(std::ceil(shown.width() - vp.width()))));
    verticalScrollBar()->setRange(0, std::max(0, int(std::ceil(shown.height() - vp.height()))));
    horizontalScrollBar()->setPageStep(vp.width());
    verticalScrollBar()->setPageStep(vp.height());
    horizontalScrollBar()->setSingleStep(std::max(16, vp.width() / 10));
    verticalScrollBar()->setSingleStep(std::max(16, vp.height() / 10));
    if (dragging_) return;
    if (canPan())
        viewport()->setCursor(Qt::OpenHandCursor);
    else
        viewport()->unsetCursor();
}

bool PreviewWidget::canPan() const {
    return hasImage() && (horizontalScrollBar()->maximum() > 0 || verticalScrollBar()->maximum() > 0);
}

void PreviewWidget::applyZoom(double zoom, QPointF anchor, bool fitMode) {
    if (!hasImage()) return;
    const QRectF before = imageRect();
    // The image point under the anchor, as a fraction of the image; it stays under the anchor.
    const QPointF at((anchor.x() - before.x()) / before.width(), (anchor.y() - before.y()) / before.height());
    const double old = zoom_;
    zoom_ = std::clamp(zoom, std::min(kMinZoom, fitZoomFactor()), kMaxZoom);
    fit_ = fitMode;
    updateScrollRange();
    const QSizeF shown = displaySize();
    horizontalScrollBar()->setValue(qRound(at.x() * shown.width() - anchor.x()));
    verticalScrollBar()->setValue(qRound(at.y() * shown.height() - anchor.y()));
    scheduleSmoothScale();
    viewport()->update();
    if (zoom_ != old) emit zoomChanged(zoom_);
}

void PreviewWidget::setZoomFactor(double zoom, QPointF anchor) { applyZoom(zoom, anchor, false); }

void PreviewWidget::zoomIn() { applyZoom(steppedZoom(zoom_, 1), QRectF(viewport()->rect()).center(), false); }

void PreviewWidget::zoomOut() {
    const double fitted = fitZoomFactor();
    const double next = steppedZoom(zoom_, -1);
    // Zooming out through the fit size lands on fit mode, which then follows the window.
    if (zoom_ > fitted && next <= fitted)
        fit();
    else
        applyZoom(next, QRectF(viewport()->rect()).center(), false);
}

void PreviewWidget::fit() { applyZoom(fitZoomFactor(), QRectF(viewport()->rect()).center(), true); }

void PreviewWidget::actualSize() { applyZoom(1.0, QRectF(viewport()->rect()).center(), false); }

void PreviewWidget::scheduleSmoothScale() {
    const QSize target = (displaySize() * devicePixelRatioF()).toSize();
    if (target == smoothFor_ && !smooth_.isNull()) return;
    ++smoothRequest_;  // a copy for another size, still being made, is now useless
    smooth_ = {};
    smoothFor_ = {};
    smoothTimer_->start();
}

// GUI thread; the scaling itself runs on a worker, from a shared (read-only) copy of image_.
void PreviewWidget::startSmoothScale() {
    if (!hasImage()) return;
    const double dpr = devicePixelRatioF();
    const QSize target = (displaySize() * dpr).toSize();
    if (target.isEmpty() || target.width() >= image_.width() * kSmoothCopyBelowScale) return;
    const quint64 id = ++smoothRequest_;
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, target, dpr] {
        watcher->deleteLater();
        if (id != smoothRequest_) return;
        smooth_ = watcher->result();
        if (smooth_.isNull()) return;  // out of memory: bilinear drawing stays
        smooth_.setDevicePixelRatio(dpr);
        smoothFor_ = target;
        viewport()->update();
    });
    watcher->setFuture(QtConcurrent::run([image = image_, target] {
        return image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }));
}

void PreviewWidget::paintEvent(QPaintEvent* event) {
    QPainter painter(viewport());
    const QRect area = viewport()->rect().adjusted(12, 12, -12, -12);
    if (state_ == State::Loading) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, tr("Loading…"));
        return;
    }
    if (state_ == State::Failed) {
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Cannot open %1\n%2").arg(QDir::toNativeSeparators(path_), errorReason_));
        return;
    }
    if (state_ != State::Ready) return;

    const QRectF target = imageRect();
    const QSize targetDevice = (target.size() * devicePixelRatioF()).toSize();
    const QRectF visible = target.intersected(QRectF(event->rect()));
    if (!smooth_.isNull() && smoothFor_ == targetDevice) {
        painter.drawImage(target.topLeft(), smooth_);
    } else if (!visible.isEmpty()) {
        const double deviceScale = targetDevice.width() / double(image_.width());
        painter.setRenderHint(QPainter::SmoothPixmapTransform, deviceScale < kNearestFromScale);
        const double sx = image_.width() / target.width(), sy = image_.height() / target.height();
        const QRectF source((visible.x() - target.x()) * sx, (visible.y() - target.y()) * sy, visible.width() * sx,
                            visible.height() * sy);
        painter.drawImage(visible, image_, source);
    }
    region_->paint(painter, target);  // search by region (i13-region)
}

void PreviewWidget::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    if (!hasImage()) return;
    if (fit_) {
        const double old = zoom_;
        zoom_ = fitZoomFactor();
        if (zoom_ != old) emit zoomChanged(zoom_);
    }
    updateScrollRange();
    scheduleSmoothScale();
}

void PreviewWidget::wheelEvent(QWheelEvent* event) {
    if (!hasImage() || event->angleDelta().y() == 0) {
        event->ignore();
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;  // one notch = 120; touchpads send less
    const double fitted = fitZoomFactor();
    const double next = steppedZoom(zoom_, steps);
    if (steps < 0 && zoom_ > fitted && next <= fitted)
        fit();
    else
        applyZoom(next, event->position(), false);
    event->accept();
}

void PreviewWidget::keyPressEvent(QKeyEvent* event) {
    const auto key = event->key();
    if (key == Qt::Key_Escape && region_->hasRegion()) {
        region_->clear();
    } else if (event->matches(QKeySequence::ZoomIn) || key == Qt::Key_Plus || key == Qt::Key_Equal) {
        zoomIn();
    } else if (event->matches(QKeySequence::ZoomOut) || key == Qt::Key_Minus || key == Qt::Key_Underscore) {
        zoomOut();
    } else if (key == Qt::Key_0) {  // also Ctrl+0 and the keypad's 0
        fit();
    } else if (key == Qt::Key_1 && !(event->modifiers() & Qt::ControlModifier)) {
        actualSize();
    } else if (canPan() && (key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down)) {
        QScrollBar* bar = (key == Qt::Key_Left || key == Qt::Key_Right) ? horizontalScrollBar() : verticalScrollBar();
        const int sign = (key == Qt::Key_Left || key == Qt::Key_Up) ? -1 : 1;
        bar->setValue(bar->value() + sign * bar->singleStep());
    } else {
        // Unzoomed arrows and everything else go to the parent (e.g. next/previous image).
        event->ignore();
        return;
    }
    event->accept();
}

void PreviewWidget::mousePressEvent(QMouseEvent* event) {
    if (state_ == State::Ready && region_->press(event, imageRect(), canPan())) return;
    if (event->button() != Qt::LeftButton || !canPan()) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    dragging_ = true;
    dragStart_ = event->position().toPoint();
    dragScroll_ = QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    viewport()->setCursor(Qt::ClosedHandCursor);
}

void PreviewWidget::mouseMoveEvent(QMouseEvent* event) {
    if (region_->move(event, imageRect())) return;
    if (!dragging_) return;
    const QPoint moved = event->position().toPoint() - dragStart_;
    horizontalScrollBar()->setValue(dragScroll_.x() - moved.x());
    verticalScrollBar()->setValue(dragScroll_.y() - moved.y());
}

void PreviewWidget::mouseReleaseEvent(QMouseEvent* event) {
    if (region_->release(event, imageRect())) return;
    if (event->button() == Qt::LeftButton && dragging_) {
        dragging_ = false;
        updateScrollRange();  // restores the cursor
    }
}

void PreviewWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || path_.isEmpty()) return;
    if (doubleClickOpens_) {
        emit openRequested(path_);
        return;
    }
    if (!hasImage()) return;
    if (fit_ && std::abs(zoom_ - 1.0) > 1e-9)
        applyZoom(1.0, event->position(), false);
    else
        fit();
}

void PreviewWidget::scrollContentsBy(int, int) { viewport()->update(); }

}  // namespace rv::ui
