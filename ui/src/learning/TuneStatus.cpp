#include "learning/TuneStatus.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace rv::ui {

namespace {

constexpr const char* kAutoTuneKey = "learning/tuneAfterIndexing";

QString auc(double v) { return QString::number(v, 'f', 3); }

}  // namespace

TuneStatus::TuneStatus(LibraryService* service, QWidget* parent) : QWidget(parent), service_(service) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    auto* line = new QHBoxLayout;
    tuneButton_ = new QPushButton(tr("Tune Now"), this);
    tuneButton_->setToolTip(tr("Tune an adapter version to this library's own images: edited views of each image are "
                               "taught alike; it becomes active only if held-out images are found better"));
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    autoBox_ = new QCheckBox(tr("Tune after indexing"), this);
    autoBox_->setToolTip(tr("After indexing adds images (50 or more in the library, most of them not tuned on yet), "
                            "tune in the background"));
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(200);
    progress_->hide();
    line->addWidget(tuneButton_);
    line->addWidget(cancelButton_);
    line->addWidget(progress_);
    line->addStretch(1);
    line->addWidget(autoBox_);
    column->addLayout(line);
    state_ = new QLabel(this);
    state_->setWordWrap(true);
    state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(state_);

    autoBox_->setChecked(QSettings().value(kAutoTuneKey, true).toBool());
    service_->setAutoTune(autoBox_->isChecked());
    connect(autoBox_, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(kAutoTuneKey, on);
        service_->setAutoTune(on);
    });
    connect(tuneButton_, &QPushButton::clicked, service_, [this] { service_->tuneNow(); });
    connect(cancelButton_, &QPushButton::clicked, service_, &LibraryService::cancelTuning);
    connect(service_, &LibraryService::tuneStarted, this, [this](bool automatic) {
        state_->setText(automatic ? tr("Tuning to the library in the background…") : tr("Tuning to the library…"));
        updateButtons();
    });
    connect(service_, &LibraryService::tuneProgress, this, &TuneStatus::showProgress);
    connect(service_, &LibraryService::tuneFinished, this, &TuneStatus::showOutcome);
    connect(service_, &LibraryService::opened, this, [this] {
        state_->clear();
        progress_->hide();
        updateButtons();
    });
    updateButtons();
}

void TuneStatus::showProgress(const QString& stage, qint64 done, qint64 total) {
    QString what;
    if (stage == QLatin1String("waiting")) what = tr("waiting for indexing or learning to finish");
    else if (stage == QLatin1String("views")) what = tr("decoding and embedding edited views of the images");
    else if (stage == QLatin1String("training")) what = tr("training");
    else what = tr("building the version's index");
    state_->setText(tr("Tuning to the library: %1").arg(what));
    progress_->setVisible(total > 0);
    progress_->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
    progress_->setValue(static_cast<int>(done));
    updateButtons();
}

void TuneStatus::showOutcome(const TuneOutcome& o) {
    progress_->hide();
    QString text;
    if (o.cancelled) {
        text = o.automatic ? tr("Tuning gave way to indexing or was cancelled: nothing was stored.")
                           : tr("Tuning cancelled: nothing was stored.");
    } else if (!o.ok) {
        text = tr("Tuning failed: %1").arg(o.error);
    } else {
        const QString made = tr("Version %1 tuned on %2 (%3 views)")
                                 .arg(o.version)
                                 .arg(tr("%n image(s)", nullptr, o.images))
                                 .arg(o.views);
        text = o.activated ? tr("%1, active: held-out %2 → %3.").arg(made, auc(o.before), auc(o.after))
                           : tr("%1, not active: %2").arg(made, o.reason);
    }
    if (o.automatic && o.ok) text = tr("In the background: %1").arg(text);
    state_->setText(text);
    updateButtons();
}

void TuneStatus::updateButtons() {
    const bool busy = service_->isTuning();
    tuneButton_->setEnabled(!busy && service_->isOpen());
    cancelButton_->setEnabled(busy);
}

}  // namespace rv::ui
