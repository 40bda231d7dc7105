#include "QueryCard.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "DisplayName.h"

namespace rv::ui {
namespace {

struct HeaderSize {
    QSize size;     // orientation applied; invalid if unreadable
    QString error;
};

// Worker thread: reads only the file's header.
HeaderSize readHeaderSize(const QString& path) {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (!size.isValid()) return {{}, reader.errorString()};
    if (reader.transformation() & QImageIOHandler::TransformationRotate90) size.transpose();
    return {size, {}};
}

}  // namespace

QueryCard::QueryCard(ThumbnailSource* thumbnails, QWidget* parent) : QFrame(parent), thumbnails_(thumbnails) {
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("The query: click to preview it"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(8, 6, 10, 6);
    thumbnail_ = new QLabel(this);
    thumbnail_->setFixedSize(kThumbnailSide, kThumbnailSide);
    thumbnail_->setAlignment(Qt::AlignCenter);
    row->addWidget(thumbnail_);
    auto* text = new QVBoxLayout;
    auto* caption = new QLabel(tr("QUERY"), this);
    QFont small = caption->font();
    small.setBold(true);
    if (small.pointSizeF() > 0) small.setPointSizeF(small.pointSizeF() * 0.8);
    caption->setFont(small);
    caption->setForegroundRole(QPalette::PlaceholderText);
    text->addWidget(caption);
    name_ = new QLabel(this);
    QFont bold = name_->font();
    bold.setBold(true);
    name_->setFont(bold);
    name_->setTextFormat(Qt::PlainText);
    text->addWidget(name_);
    details_ = new QLabel(this);
    details_->setTextFormat(Qt::PlainText);
    details_->setWordWrap(true);
    details_->setMaximumWidth(360);
    text->addWidget(details_);
    text->addStretch(1);
    row->addLayout(text, 1);
    if (thumbnails) connect(thumbnails, &ThumbnailSource::thumbnailReady, this, &QueryCard::onThumbnailReady);
    clear();
}

void QueryCard::clear() {
    ++request_;
    path_.clear();
    pixels_ = {};
    sizeError_.clear();
    sizePending_ = false;
    thumbnail_->clear();
    name_->clear();
    details_->clear();
    hide();
}

void QueryCard::setFile(const QString& path) {
    clear();
    path_ = path;
    name_->setText(displayName(path));
    setToolTip(tr("The query: %1\nClick to preview it").arg(path));
    onThumbnailReady(path);
    sizePending_ = true;
    const quint64 request = request_;
    QtConcurrent::run(readHeaderSize, path).then(this, [this, request](const HeaderSize& header) {
        if (request != request_) return;  // an older query's answer
        sizePending_ = false;
        pixels_ = header.size;
        sizeError_ = header.error;
        showDetails();
    });
    showDetails();
    show();
}

void QueryCard::setImage(const QImage& image, const QString& label) {
    clear();
    name_->setText(label);
    setToolTip(label);
    pixels_ = image.size();
    if (!image.isNull()) {
        const qreal dpr = devicePixelRatioF();
        QPixmap pixmap = QPixmap::fromImage(
            image.scaled(QSize(kThumbnailSide, kThumbnailSide) * dpr, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        pixmap.setDevicePixelRatio(dpr);
        thumbnail_->setPixmap(pixmap);
    }
    showDetails();
    show();
}

QString QueryCard::name() const { return name_->text(); }
QString QueryCard::details() const { return details_->text(); }
bool QueryCard::hasThumbnail() const { return !thumbnail_->pixmap().isNull(); }

void QueryCard::showDetails() {
    QStringList lines;
    if (pixels_.isValid())
        lines << tr("%1 × %2 px").arg(pixels_.width()).arg(pixels_.height());
    else if (sizePending_)
        lines << tr("reading its size…");
    else if (!sizeError_.isEmpty())
        lines << tr("size unknown: %1").arg(sizeError_);
    if (!path_.isEmpty()) lines << tr("in %1").arg(QFileInfo(path_).path());
    details_->setText(lines.join(u'\n'));
}

void QueryCard::onThumbnailReady(const QString& path) {
    if (path.isEmpty() || path != path_ || !thumbnails_) return;
    const QPixmap pixmap = thumbnails_->thumbnail(path, kThumbnailSide);
    if (!pixmap.isNull()) thumbnail_->setPixmap(pixmap);
    else if (thumbnails_->failed(path)) thumbnail_->setText(tr("no preview"));
}

void QueryCard::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint())) emit clicked();
    QFrame::mouseReleaseEvent(event);
}

}  // namespace rv::ui
