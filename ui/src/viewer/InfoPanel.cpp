#include "InfoPanel.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTextBrowser>
#include <QLocale>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>

namespace rv::ui {

namespace {

QString number(double v, int decimals) {
    QString s = QLocale().toString(v, 'f', decimals);
    // 5.60 -> 5.6, 50.0 -> 50
    const QChar point = QLocale().decimalPoint().at(0);
    if (s.contains(point)) {
        while (s.endsWith(QLatin1Char('0'))) s.chop(1);
        if (s.endsWith(point)) s.chop(1);
    }
    return s;
}

QString exposure(double seconds) {
    if (seconds <= 0) return {};
    if (seconds < 0.5) return QObject::tr("1/%1 s").arg(qRound(1.0 / seconds));
    return QObject::tr("%1 s").arg(number(seconds, 1));
}

}  // namespace

QList<QPair<QString, QString>> describeImage(const QString& path, const rv::ImageInfo& info, QSize decodedSize) {
    QList<QPair<QString, QString>> rows;
    const QFileInfo file(path);
    rows.append({QObject::tr("Name"), file.fileName()});

    QSize size(info.width, info.height);
    if (size.isEmpty()) size = decodedSize;
    else if (info.exif.orientation >= 5) size.transpose();  // shown turned: say what is seen
    if (!size.isEmpty())
        rows.append({QObject::tr("Dimensions"), QObject::tr("%1 × %2 px (%3 MP)")
                                                   .arg(size.width())
                                                   .arg(size.height())
                                                   .arg(number(double(size.width()) * size.height() / 1e6, 1))});
    rows.append({QObject::tr("File size"), QObject::tr("%1 (%2 bytes)")
                                              .arg(QLocale().formattedDataSize(qint64(info.file_size)),
                                                   QLocale().toString(qulonglong(info.file_size)))});
    if (!info.format.empty()) rows.append({QObject::tr("Format"), QString::fromStdString(info.format)});

    const QDateTime taken = QDateTime::fromString(QString::fromStdString(info.exif.date_original),
                                                  QStringLiteral("yyyy:MM:dd HH:mm:ss"));
    if (taken.isValid())
        rows.append({QObject::tr("Taken"), taken.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                                               QObject::tr(" (EXIF date)")});
    else if (info.modified_unix != 0)
        rows.append({QObject::tr("Modified"),
                     QDateTime::fromSecsSinceEpoch(info.modified_unix).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                         QObject::tr(" (file date; no EXIF date)")});

    const QString make = QString::fromStdString(info.exif.make), model = QString::fromStdString(info.exif.model);
    QString camera = model;
    // "Canon" + "Canon EOS 80D" reads "Canon EOS 80D"; "NIKON CORPORATION" + "NIKON D750" too.
    if (!make.isEmpty() && !model.startsWith(make.section(QLatin1Char(' '), 0, 0), Qt::CaseInsensitive))
        camera = model.isEmpty() ? make : make + QLatin1Char(' ') + model;
    if (!camera.isEmpty()) rows.append({QObject::tr("Camera"), camera});
    if (!info.exif.lens.empty()) rows.append({QObject::tr("Lens"), QString::fromStdString(info.exif.lens)});
    QStringList shot;
    if (info.exif.f_number > 0) shot << QStringLiteral("f/") + number(info.exif.f_number, 1);
    if (info.exif.exposure_time > 0) shot << exposure(info.exif.exposure_time);
    if (info.exif.iso > 0) shot << QObject::tr("ISO %1").arg(info.exif.iso);
    if (info.exif.focal_length > 0) shot << QObject::tr("%1 mm").arg(number(info.exif.focal_length, 1));
    if (!shot.isEmpty()) rows.append({QObject::tr("Exposure"), shot.join(QStringLiteral(" · "))});
    if (!info.exif_problem.empty())
        rows.append({QObject::tr("EXIF"), QObject::tr("damaged: %1").arg(QString::fromStdString(info.exif_problem))});

    rows.append({QObject::tr("Folder"), QDir::toNativeSeparators(file.absolutePath())});
    rows.append({QObject::tr("Path"), QDir::toNativeSeparators(file.absoluteFilePath())});
    return rows;
}

InfoPanel::InfoPanel(QWidget* parent) : QWidget(parent), label_(new QTextBrowser(this)) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(4, 4, 4, 4);
    label_->setFrameShape(QFrame::NoFrame);
    label_->setOpenLinks(false);
    label_->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    label_->viewport()->setAutoFillBackground(false);  // the panel's background, light or dark
    label_->setFocusPolicy(Qt::ClickFocus);             // the keys stay with the image
    column->addWidget(label_);
}

InfoPanel::~InfoPanel() {
    if (pending_) pending_->cancel();
}

void InfoPanel::setPath(const QString& path) {
    if (path == path_) return;
    path_ = path;
    decoded_ = {};
    shown_ = {};
    if (pending_) {
        pending_->cancel();
        pending_ = nullptr;
    }
    ++request_;
    if (path_.isEmpty()) {
        stale_ = false;
        label_->clear();
        return;
    }
    stale_ = !isVisible();
    if (!stale_) start();
}

void InfoPanel::setDecodedSize(const QSize& size) {
    decoded_ = size;
    if (shown_.ok) render();
}

void InfoPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) {
        stale_ = false;
        start();
    }
}

void InfoPanel::start() {
    const quint64 id = ++request_;
    label_->setHtml(tr("<i>Reading…</i>"));
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        if (pending_ == watcher) pending_ = nullptr;
        if (id != request_ || watcher->isCanceled()) return;
        shown_ = watcher->result();
        render();
        emit updated();
    });
    const std::string file = QFile::encodeName(path_).toStdString();
    watcher->setFuture(QtConcurrent::run([file] {
        Loaded out;
        auto info = rv::read_image_info(file);
        if (info.ok()) {
            out.ok = true;
            out.info = std::move(info.value());
        } else {
            out.error = QString::fromStdString(info.error().message);
        }
        return out;
    }));
    pending_ = watcher;
}

void InfoPanel::render() {
    if (!shown_.ok) {
        label_->setHtml(tr("Cannot read %1").arg(shown_.error.toHtmlEscaped()));
        return;
    }
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    for (const auto& row : describeImage(path_, shown_.info, decoded_))
        html += QStringLiteral("<tr><td style='padding-right:8px; color:%1' valign='top'>%2</td><td>%3</td></tr>")
                    .arg(muted, row.first.toHtmlEscaped(), row.second.toHtmlEscaped());
    label_->setHtml(html + QStringLiteral("</table>"));
}

QString InfoPanel::plainText() const {
    if (!shown_.ok) return shown_.error.isEmpty() ? QString() : tr("Cannot read %1").arg(shown_.error);
    QStringList lines;
    for (const auto& row : describeImage(path_, shown_.info, decoded_)) lines << row.first + QStringLiteral(": ") + row.second;
    return lines.join(QLatin1Char('\n'));
}

}  // namespace rv::ui
