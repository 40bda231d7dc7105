#include "learning/LearningPanel.h"
#include "learning/TuneStatus.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "ThumbnailCache.h"
#include "learning/CompareDialog.h"
#include "learning/MarksTable.h"
#include "learning/VersionsView.h"

namespace rv::ui {

namespace {

constexpr const char* kAutoKey = "learning/background";

QString auc(double v) { return QString::number(v, 'f', 2); }

}  // namespace

LearningPanel::LearningPanel(LibraryService* service, ThumbnailCache* thumbnails, QWidget* parent)
    : QWidget(parent), service_(service), thumbnails_(thumbnails) {
    auto* column = new QVBoxLayout(this);

    // Top: counts, learning controls, what happened last.
    auto* top = new QHBoxLayout;
    counts_ = new QLabel(this);
    counts_->setTextFormat(Qt::RichText);
    top->addWidget(counts_, 1);
    learnButton_ = new QPushButton(tr("Learn Now"), this);
    learnButton_->setToolTip(tr("Train a new version on every mark now; it becomes active only if it orders the "
                                "held-out marks better than the active one"));
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    autoBox_ = new QCheckBox(tr("Learn in the background"), this);
    autoBox_->setToolTip(tr("After 10 new marks and 20 s without another, learn by itself (never while indexing)"));
    compareButton_ = new QPushButton(tr("Compare…"), this);
    compareButton_->setToolTip(tr("The current query's results with and without the adapter, side by side"));
    for (QWidget* w : std::initializer_list<QWidget*>{learnButton_, cancelButton_, autoBox_, compareButton_}) top->addWidget(w);
    column->addLayout(top);

    auto* line = new QHBoxLayout;
    stage_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(260);
    progress_->setTextVisible(true);
    progress_->hide();
    line->addWidget(stage_);
    line->addWidget(progress_);
    outcome_ = new QLabel(this);
    outcome_->setWordWrap(true);
    outcome_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    line->addWidget(outcome_, 1);
    column->addLayout(line);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildMarks());
    split->addWidget(buildVersions());
    split->setStretchFactor(0, 6);
    split->setStretchFactor(1, 5);
    split->setSizes({600, 500});
    column->addWidget(split, 1);

    report_ = new QPlainTextEdit(this);
    report_->setReadOnly(true);
    report_->setMaximumHeight(90);
    report_->hide();
    column->addWidget(report_);

    compareDialog_ = new CompareDialog(service_, thumbnails_, this);

    connect(learnButton_, &QPushButton::clicked, service_, [this] { service_->learnNow(); });
    connect(cancelButton_, &QPushButton::clicked, service_, &LibraryService::cancelLearning);
    connect(compareButton_, &QPushButton::clicked, this, &LearningPanel::compare);
    autoBox_->setChecked(QSettings().value(kAutoKey, true).toBool());
    connect(autoBox_, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(kAutoKey, on);
        service_->setAutoLearn(on);
    });
    service_->setAutoLearn(autoBox_->isChecked());
    connectService();
    updateCounts();
    updateButtons();
}

QWidget* LearningPanel::buildMarks() {
    auto* box = new QGroupBox(tr("Marks"), this);
    auto* v = new QVBoxLayout(box);
    auto* filters = new QHBoxLayout;
    filterEdit_ = new QLineEdit(box);
    filterEdit_->setPlaceholderText(tr("Filter by file name"));
    filterEdit_->setClearButtonEnabled(true);
    verdictBox_ = new QComboBox(box);
    verdictBox_->addItems({tr("All verdicts"), tr("Alike"), tr("Different")});
    filters->addWidget(filterEdit_, 1);
    filters->addWidget(verdictBox_);
    v->addLayout(filters);

    marks_ = new MarksModel(thumbnails_, box);
    filter_ = new MarksFilter(box);
    filter_->setSourceModel(marks_);
    marksView_ = new QTableView(box);
    marksView_->setModel(filter_);
    marksView_->setItemDelegateForColumn(MarksModel::PairColumn, new MarkPairDelegate(marksView_));
    marksView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    marksView_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    marksView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    marksView_->verticalHeader()->hide();
    marksView_->verticalHeader()->setDefaultSectionSize(MarksModel::kThumbSide + 8);
    marksView_->horizontalHeader()->setSectionResizeMode(MarksModel::PairColumn, QHeaderView::Fixed);
    marksView_->setColumnWidth(MarksModel::PairColumn, 2 * MarksModel::kThumbSide + 30);
    marksView_->horizontalHeader()->setStretchLastSection(true);
    marksView_->setWordWrap(false);
    // Widths from the longest texts these columns can hold, not measured row by row: a library
    // may have thousands of marks, listed again after every change.
    const QFontMetrics fm = marksView_->fontMetrics();
    auto fit = [&](int column, const QStringList& texts) {
        int w = 0;
        for (const QString& t : texts) w = std::max(w, fm.horizontalAdvance(t));
        marksView_->setColumnWidth(column, w + 16);
    };
    fit(MarksModel::VerdictColumn, {tr("Verdict"), tr("alike"), tr("different")});
    QStringList sources{tr("Source")};
    for (const char* source : {"search", "duplicates", "pairs", "import"}) sources << MarksModel::sourceText(QLatin1String(source));
    fit(MarksModel::SourceColumn, sources);
    fit(MarksModel::TimeColumn, {QStringLiteral("2026-12-31 23:59")});
    marksView_->setAlternatingRowColors(true);
    v->addWidget(marksView_, 1);

    auto* buttons = new QHBoxLayout;
    removeButton_ = new QPushButton(tr("Remove"), box);
    removeButton_->setToolTip(tr("Remove the selected marks from the library (Del in the list)"));
    // Del on the list only: on the grids it moves a file to the trash.
    auto* removeAction = new QAction(tr("Remove Marks"), marksView_);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    marksView_->addAction(removeAction);
    connect(removeAction, &QAction::triggered, this, &LearningPanel::removeSelectedMarks);
    auto* exportButton = new QPushButton(tr("Export…"), box);
    auto* importButton = new QPushButton(tr("Import…"), box);
    buttons->addWidget(removeButton_);
    buttons->addStretch(1);
    buttons->addWidget(exportButton);
    buttons->addWidget(importButton);
    v->addLayout(buttons);

    connect(filterEdit_, &QLineEdit::textChanged, filter_, &MarksFilter::setText);
    connect(verdictBox_, &QComboBox::currentIndexChanged, filter_,
            [this](int i) { filter_->setVerdict(static_cast<MarksFilter::Verdict>(i)); });
    connect(marksView_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LearningPanel::updateButtons);
    connect(removeButton_, &QPushButton::clicked, this, &LearningPanel::removeSelectedMarks);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export Marks"),
            QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QStringLiteral("/marks.jsonl"),
            tr("JSON lines (*.jsonl *.json);;All files (*)"));
        if (!file.isEmpty()) exportMarksTo(file);
    });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Import Marks"), QString(),
                                                          tr("JSON lines (*.jsonl *.json);;All files (*)"));
        if (!file.isEmpty()) importMarksFrom(file);
    });
    return box;
}

QWidget* LearningPanel::buildVersions() {
    auto* box = new QGroupBox(tr("Adapter versions"), this);
    auto* v = new QVBoxLayout(box);
    chart_ = new VersionsChart(box);
    v->addWidget(chart_, 1);
    versions_ = new VersionsModel(box);
    versionsView_ = new QTableView(box);
    versionsView_->setModel(versions_);
    versionsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    versionsView_->setSelectionMode(QAbstractItemView::SingleSelection);
    versionsView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    versionsView_->verticalHeader()->hide();
    versionsView_->horizontalHeader()->setStretchLastSection(true);
    versionsView_->setWordWrap(false);
    versionsView_->horizontalHeader()->setResizeContentsPrecision(64);
    v->addWidget(versionsView_, 1);
    tuneStatus_ = new TuneStatus(service_, box);  // self-supervised tuning (i13-tune)
    v->addWidget(tuneStatus_);
    auto* buttons = new QHBoxLayout;
    activateButton_ = new QPushButton(tr("Activate"), box);
    noAdapterButton_ = new QPushButton(tr("Use No Adapter"), box);
    noAdapterButton_->setToolTip(tr("Search on the plain features, exactly as before any learning"));
    buttons->addWidget(activateButton_);
    buttons->addWidget(noAdapterButton_);
    buttons->addStretch(1);
    v->addLayout(buttons);
    connect(versionsView_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LearningPanel::updateButtons);
    connect(activateButton_, &QPushButton::clicked, this, &LearningPanel::activateSelectedVersion);
    connect(noAdapterButton_, &QPushButton::clicked, this, &LearningPanel::useNoAdapter);
    return box;
}

void LearningPanel::connectService() {
    connect(service_, &LibraryService::opened, this, [this](bool ok) {
        marks_->setMarks({});
        versions_->setVersions({});
        chart_->setVersions({});
        outcome_->clear();
        pendingLists_ = 0;  // answers for the previous library are dropped
        if (ok) refresh();
    });
    connect(service_, &LibraryService::marksListed, this, &LearningPanel::showMarks);
    connect(service_, &LibraryService::versionsListed, this, &LearningPanel::showVersions);
    connect(service_, &LibraryService::marksChanged, this, [this] { updateButtons(); });
    // Files moved, trashed or gone take their marks with them (or along): list again.
    connect(service_, &LibraryService::libraryChanged, this, [this] {
        ++pendingLists_;
        service_->listMarks();
    });
    connect(service_, &LibraryService::learnStarted, this, [this](LearnOutcome::Kind kind, bool automatic, qint64 version) {
        progress_->show();
        progress_->setRange(0, 0);
        if (kind == LearnOutcome::Learn)
            stage_->setText(automatic ? tr("Learning in the background from the new marks…") : tr("Learning…"));
        else
            stage_->setText(version > 0 ? tr("Activating version %1…").arg(version) : tr("Switching the adapter off…"));
        updateButtons();
    });
    connect(service_, &LibraryService::learnProgress, this, [this](const QString& stage, qint64 done, qint64 total) {
        if (stage == QLatin1String("waiting")) {
            stage_->setText(tr("Waiting for indexing to finish…"));
            progress_->setRange(0, 0);
            return;
        }
        stage_->setText(stage == QLatin1String("training") ? tr("Training: step %1 of %2").arg(done).arg(total)
                                                           : tr("Re-projecting: %L1 of %L2 features").arg(done).arg(total));
        progress_->setRange(0, static_cast<int>(std::min<qint64>(total, 1 << 30)));
        progress_->setValue(static_cast<int>(std::min<qint64>(done, 1 << 30)));
    });
    connect(service_, &LibraryService::learnFinished, this, [this](const LearnOutcome& o) {
        ++pendingLists_;  // the service lists the versions next
        showOutcome(o);
    });
    connect(service_, &LibraryService::marksExported, this, [this](const QString& file, qint64 count, const QString& error) {
        if (error.isEmpty()) showReport(tr("Exported %n mark(s) to %1.", nullptr, static_cast<int>(count)).arg(file));
        else showReport(tr("Export failed: %1").arg(error));
    });
    connect(service_, &LibraryService::marksImported, this, [this](const MarkImportReport& r) {
        if (!r.error.isEmpty()) return showReport(tr("Import failed, nothing stored: %1").arg(r.error));
        QString text = tr("Imported %n mark(s) from %1.", nullptr, static_cast<int>(r.imported)).arg(r.file);
        if (!r.problems.isEmpty())
            text += QLatin1Char(' ') + tr("%n line(s) could not be placed:", nullptr, static_cast<int>(r.problems.size()));
        showReport(text, r.problems);
    });
}

void LearningPanel::refresh() {
    if (!service_->isOpen()) return;
    pendingLists_ += 2;
    service_->listMarks();
    service_->listVersions();
}

void LearningPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();  // marks made elsewhere (the results grid, another process) since it was last shown
}

void LearningPanel::showMarks(const QVector<MarkRow>& marks, const QString& error) {
    pendingLists_ = std::max(0, pendingLists_ - 1);
    if (!error.isEmpty()) return showReport(tr("The marks cannot be listed: %1").arg(error));
    marks_->setMarks(marks);
    updateCounts();
    updateButtons();
}

void LearningPanel::showVersions(const QVector<VersionRow>& versions, const QString& error) {
    pendingLists_ = std::max(0, pendingLists_ - 1);
    if (!error.isEmpty()) return showReport(tr("The adapter versions cannot be listed: %1").arg(error));
    const qint64 selected = selectedVersion();
    versions_->setVersions(versions);
    chart_->setVersions(versions);
    // Measured on the rows a person can see (at most 64), and only when shown: a hidden tab is
    // listed again after every learn and activation.
    if (isVisible()) versionsView_->resizeColumnsToContents();
    for (int r = 0; r < versions_->rowCount(); ++r)
        if (versions_->index(r, 0).data(VersionsModel::VersionRole).toLongLong() == selected) versionsView_->selectRow(r);
    updateCounts();
    updateButtons();
}

void LearningPanel::showOutcome(const LearnOutcome& o) {
    progress_->hide();
    stage_->clear();
    QString text;
    if (o.kind == LearnOutcome::Learn) {
        if (o.cancelled) text = tr("Learning cancelled: nothing was stored.");
        else if (!o.ok) text = tr("Learning failed: %1").arg(o.error);
        else if (o.activated)
            text = tr("Version %1 learned from %n mark(s), active: held-out %2 → %3.", nullptr, static_cast<int>(o.marks))
                       .arg(o.version)
                       .arg(auc(o.before), auc(o.after));
        else
            text = tr("Version %1 learned from %n mark(s), not active: %2", nullptr, static_cast<int>(o.marks))
                       .arg(o.version)
                       .arg(o.reason);
        if (o.automatic) text = tr("In the background: %1").arg(text);
    } else if (o.cancelled) {
        text = tr("Activation cancelled: the active version stays as it was.");
    } else if (!o.ok) {
        text = tr("Activation failed: %1").arg(o.error);
    } else {
        text = o.version > 0 ? tr("Version %1 is active: searches use it now.").arg(o.version)
                             : tr("No adapter is active: searches use the plain features.");
    }
    outcome_->setText(text);
    updateButtons();
}

void LearningPanel::showReport(const QString& summary, const QStringList& details) {
    QStringList lines{summary};
    lines += details;
    report_->setPlainText(lines.join(QLatin1Char('\n')));
    report_->show();
}

void LearningPanel::updateCounts() {
    const int total = marks_->rowCount();
    const int alike = marks_->alikeCount();
    const qint64 active = versions_->activeVersion();
    counts_->setText(tr("<b>%n mark(s)</b>: %1 alike, %2 different · %3", nullptr, total)
                         .arg(alike)
                         .arg(total - alike)
                         .arg(active > 0 ? tr("active adapter: <b>version %1</b>").arg(active)
                                         : tr("no adapter version active")));
}

qint64 LearningPanel::selectedVersion() const {
    const auto rows = versionsView_->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(VersionsModel::VersionRole).toLongLong();
}

void LearningPanel::updateButtons() {
    const bool open = service_->isOpen(), busy = service_->isLearning();
    learnButton_->setEnabled(open && !busy && marks_->rowCount() > 0);
    cancelButton_->setEnabled(busy);
    removeButton_->setEnabled(open && marksView_->selectionModel()->hasSelection());
    const qint64 selected = selectedVersion(), active = versions_->activeVersion();
    activateButton_->setText(selected > 0 && active > selected ? tr("Roll Back to Version %1").arg(selected)
                             : selected > 0                    ? tr("Activate Version %1").arg(selected)
                                                               : tr("Activate"));
    activateButton_->setEnabled(open && !busy && selected > 0 && selected != active);
    noAdapterButton_->setEnabled(open && !busy && active > 0);
}

void LearningPanel::removeSelectedMarks() {
    QVector<MarkRow> rows;
    for (const QModelIndex& i : marksView_->selectionModel()->selectedRows())
        rows.push_back(marks_->mark(filter_->mapToSource(i).row()));
    if (rows.isEmpty()) return;
    ++pendingLists_;  // the service lists the marks after removing
    service_->removeMarks(rows);
    showReport(tr("Removed %n mark(s).", nullptr, static_cast<int>(rows.size())));
}

void LearningPanel::exportMarksTo(const QString& file) { service_->exportMarks(file); }

void LearningPanel::importMarksFrom(const QString& file) {
    ++pendingLists_;
    service_->importMarks(file);
}

void LearningPanel::activateSelectedVersion() {
    if (const qint64 v = selectedVersion(); v > 0) service_->activateVersion(v);
}

void LearningPanel::useNoAdapter() { service_->activateVersion(0); }

void LearningPanel::compare() {
    const QString query = queryProvider_ ? queryProvider_() : QString();
    if (query.isEmpty()) {
        showReport(tr("Compare needs a query: ask for images like a file first (select it and press Enter), "
                      "then Compare."));
        return;
    }
    compareDialog_->compare(query, versions_->activeVersion());
    compareDialog_->show();
    compareDialog_->raise();
}

}  // namespace rv::ui
