#include "IndexingPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <vector>

#include "ruvision/engine/ImageFormats.h"

namespace rv::ui {

QString timeLeftText(int done, int total, double ips) {
    if (ips <= 0 || done <= 0 || total <= done) return {};
    const double s = (total - done) / ips;
    if (s < 60) return QObject::tr("%1 s left").arg(static_cast<int>(std::ceil(s)));
    if (s < 3600) return QObject::tr("%1 min left").arg(static_cast<int>(std::ceil(s / 60)));
    return QObject::tr("%1 h %2 min left").arg(static_cast<int>(s / 3600)).arg(static_cast<int>(std::fmod(s, 3600) / 60));
}

QString unsupportedFormatsText(const QList<FileError>& errors) {
    std::vector<rv::CatalogFileError> all;
    all.reserve(static_cast<std::size_t>(errors.size()));
    for (const auto& e : errors) all.push_back({0, QFile::encodeName(e.path).toStdString(), {}});
    qint64 files = 0;
    QStringList parts;
    for (const auto& u : rv::count_unsupported_formats(all)) {
        files += u.files;
        parts << QStringLiteral("%L1 %2").arg(u.files).arg(QString::fromStdString(u.format));
    }
    if (files == 0) return {};
    return QObject::tr("%Ln file(s) in formats RuVision cannot read: %1", nullptr, static_cast<int>(files))
        .arg(parts.join(QStringLiteral(", ")));
}

IndexingPanel::IndexingPanel(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    bar_ = new QProgressBar(this);
    bar_->setMaximumWidth(220);
    bar_->setTextVisible(false);
    label_ = new QLabel(this);
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop indexing; what is done is kept and the next start resumes"));
    errorsButton_ = new QToolButton(this);
    errorsButton_->setToolTip(tr("Files that could not be indexed, and why"));
    errorsButton_->setAutoRaise(true);
    row->addWidget(bar_);
    row->addWidget(label_);
    row->addWidget(cancel_);
    row->addWidget(errorsButton_);
    connect(cancel_, &QToolButton::clicked, this, &IndexingPanel::cancelRequested);
    connect(errorsButton_, &QToolButton::clicked, this, &IndexingPanel::showErrors);
    bar_->hide();
    cancel_->hide();
    errorsButton_->hide();
}

void IndexingPanel::started() {
    bar_->setRange(0, 0);  // busy until the scan knows the total
    bar_->show();
    cancel_->show();
    cancel_->setEnabled(true);
    label_->setText(tr("Scanning folders…"));
}

void IndexingPanel::progress(int done, int total, const QString& current, int errors, double ips) {
    bar_->setRange(0, std::max(total, 1));
    bar_->setValue(done);
    QString text = tr("Indexing %L1 / %L2 · %3 img/s").arg(done).arg(total).arg(ips, 0, 'f', 1);
    const QString left = timeLeftText(done, total, ips);
    if (!left.isEmpty()) text += QStringLiteral(" · ") + left;
    if (errors > 0) text += QStringLiteral(" · ") + tr("%n error(s)", nullptr, errors);
    label_->setText(text);
    label_->setToolTip(current);
}

void IndexingPanel::finished(bool ok, const QString& error, const IndexSummary& s, const QList<FileError>& errors) {
    bar_->hide();
    cancel_->hide();
    errors_ = errors;
    unsupported_ = unsupportedFormatsText(errors_);
    if (!ok) {
        label_->setText(tr("Indexing failed: %1").arg(error));
    } else {
        QString text = s.cancelled ? tr("Indexing cancelled: %Ln new image(s) indexed; the rest resumes next time", nullptr,
                                            static_cast<int>(s.embedded))
                                   : tr("Up to date: %Ln image(s) (%L1 new, %L2 moved, %L3 removed) in %4 s", nullptr,
                                        static_cast<int>(s.found))
                                         .arg(s.embedded)
                                         .arg(s.moved)
                                         .arg(s.removed)
                                         .arg(s.seconds, 0, 'f', 1);
        if (!unsupported_.isEmpty()) text += QStringLiteral(" · ") + unsupported_;
        label_->setText(text);
    }
    label_->setToolTip({});
    errorsButton_->setVisible(!errors_.isEmpty());
    errorsButton_->setText(tr("%n error(s)…", nullptr, errors_.size()));
}

QString IndexingPanel::text() const { return label_->text(); }

void IndexingPanel::showErrors() {
    auto* dialog = new QDialog(window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Files That Could Not Be Indexed"));
    auto* layout = new QVBoxLayout(dialog);
    if (!unsupported_.isEmpty()) {
        auto* formats = new QLabel(unsupported_ + QStringLiteral(". ") +
                                       tr("Convert them to JPEG, PNG, WebP, TIFF or HEIC to find them by their picture."),
                                   dialog);
        formats->setObjectName(QStringLiteral("unsupportedFormats"));
        formats->setWordWrap(true);
        layout->addWidget(formats);
    }
    auto* table = new QTableWidget(errors_.size(), 3, dialog);
    table->setHorizontalHeaderLabels({tr("File"), tr("Folder"), tr("Reason")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    for (int i = 0; i < errors_.size(); ++i) {
        // Names alone are ambiguous (every camera writes IMG_0001.JPG): the folder has its column.
        const QFileInfo info(errors_[i].path);
        auto* file = new QTableWidgetItem(info.fileName());
        file->setToolTip(errors_[i].path);
        table->setItem(i, 0, file);
        auto* folder = new QTableWidgetItem(QDir::toNativeSeparators(info.path()));
        folder->setToolTip(errors_[i].path);
        table->setItem(i, 1, folder);
        // The engine's reason starts with the path: show only the reason.
        QString reason = errors_[i].reason;
        if (reason.startsWith(errors_[i].path + QStringLiteral(": "))) reason = reason.mid(errors_[i].path.size() + 2);
        auto* why = new QTableWidgetItem(reason);
        why->setToolTip(errors_[i].reason);
        table->setItem(i, 2, why);
    }
    table->resizeColumnToContents(0);
    table->resizeColumnToContents(1);
    table->setSortingEnabled(true);
    layout->addWidget(table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    auto* copy = buttons->addButton(tr("Copy List"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, dialog, [this] {
        QString all;
        for (const auto& e : errors_) all += e.path + QLatin1Char('\t') + e.reason + QLatin1Char('\n');
        QApplication::clipboard()->setText(all);
    });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(960, 360);
    dialog->show();
}

}  // namespace rv::ui
