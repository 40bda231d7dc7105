// The pair view's pictures (PairPicture.h).
#include "pairs/PairPicture.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>
#include <QtConcurrent>


#include "DisplayName.h"
#include "PreviewWidget.h"

namespace rv::ui {

PairPicture PairPictureCache::decode(const QString& path) {
    PairPicture out;
    const QFileInfo info(path);
    if (!info.isFile()) {
        out.error = info.exists() ? QCoreApplication::translate("rv::ui::PairPane", "not a file")
                                  : QCoreApplication::translate("rv::ui::PairPane", "file not found");
        return out;
    }
    out.bytes = info.size();
    // The preview's decode: the same readers, scaling while decoding and pixel budget.
    PreviewWidget::Decoded d = PreviewWidget::decode(path, kMaxSide);
    out.image = std::move(d.image);
    out.original = d.originalSize;
    out.error = d.error;
    return out;
}

QFuture<PairPicture> PairPictureCache::get(const QString& path) {
    auto it = futures_.find(path);
    if (it != futures_.end()) return *it;
    QFuture<PairPicture> f = QtConcurrent::run(&PairPictureCache::decode, path);
    futures_.insert(path, f);
    return f;
}

void PairPictureCache::keepOnly(const QStringList& paths) {
    for (auto it = futures_.begin(); it != futures_.end();) {
        if (paths.contains(it.key())) ++it;
        else it = futures_.erase(it);
    }
}

// The picture, fitted and centred, or a line of text while loading or after a failure.
class PairPane::Area : public QWidget {
public:
    using QWidget::QWidget;
    void set(const QImage& image, const QString& text) {
        image_ = image;
        text_ = text;
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Base).darker(105));
        if (image_.isNull()) {
            p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, text_);
            return;
        }
        QSizeF s = image_.size();
        s.scale(QSizeF(size()), Qt::KeepAspectRatio);
        if (s.width() > image_.width() || s.height() > image_.height()) s = image_.size();  // never above 100 %
        const QRectF target((width() - s.width()) / 2, (height() - s.height()) / 2, s.width(), s.height());
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(target, image_);
    }

private:
    QImage image_;
    QString text_;
};

PairPane::PairPane(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    area_ = new Area(this);
    area_->setMinimumSize(200, 150);
    area_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    name_ = new QLabel(this);
    name_->setAlignment(Qt::AlignHCenter);
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = name_->font();
    bold.setBold(true);
    name_->setFont(bold);
    sizes_ = new QLabel(this);
    sizes_->setAlignment(Qt::AlignHCenter);
    column->addWidget(area_, 1);
    column->addWidget(name_);
    column->addWidget(sizes_);
}

QString PairPane::caption() const { return name_->text() + QLatin1Char('\n') + sizes_->text(); }

void PairPane::showPicture(const QString& path, PairPictureCache& cache) {
    if (watcher_) {
        watcher_->disconnect(this);
        watcher_->deleteLater();
        watcher_ = nullptr;
    }
    path_ = path;
    name_->setText(path.isEmpty() ? QString() : displayName(path));
    name_->setToolTip(path);
    sizes_->clear();
    if (path.isEmpty()) {
        loading_ = false;
        area_->set({}, {});
        return;
    }
    loading_ = true;
    const QFuture<PairPicture> f = cache.get(path);
    if (f.isFinished()) {  // prefetched
        shown(f.result());
        return;
    }
    area_->set({}, tr("Loading…"));
    watcher_ = new QFutureWatcher<PairPicture>(this);
    connect(watcher_, &QFutureWatcher<PairPicture>::finished, this, [this, w = watcher_] {
        if (w != watcher_) return;
        watcher_ = nullptr;
        w->deleteLater();
        shown(w->result());
    });
    watcher_->setFuture(f);
}

void PairPane::shown(const PairPicture& p) {
    loading_ = false;
    if (!p.error.isEmpty() || p.image.isNull()) {
        area_->set({}, tr("Cannot show %1: %2").arg(displayName(path_), p.error.isEmpty() ? tr("no image data") : p.error));
        sizes_->setText(p.bytes >= 0 ? QLocale().formattedDataSize(p.bytes, 1, QLocale::DataSizeSIFormat) : QString());
        emit loaded(false);
        return;
    }
    area_->set(p.image, {});
    QString text = tr("%1 × %2 px").arg(p.original.width()).arg(p.original.height());
    if (p.bytes >= 0) text += QStringLiteral(" · ") + QLocale().formattedDataSize(p.bytes, 1, QLocale::DataSizeSIFormat);
    sizes_->setText(text);
    emit loaded(true);
}

}  // namespace rv::ui
