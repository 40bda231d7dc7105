#include "learning/VersionsView.h"

#include <QDateTime>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace rv::ui {

namespace {
QString score(double v) { return v < 0 ? QStringLiteral("—") : QString::number(v, 'f', 3); }
}  // namespace

void VersionsModel::setVersions(const QVector<VersionRow>& versions) {
    beginResetModel();
    versions_ = versions;
    std::sort(versions_.begin(), versions_.end(), [](const VersionRow& a, const VersionRow& b) { return a.version > b.version; });
    endResetModel();
}

qint64 VersionsModel::activeVersion() const {
    for (const auto& v : versions_)
        if (v.active) return v.version;
    return 0;
}

int VersionsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(versions_.size()); }
int VersionsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant VersionsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= versions_.size()) return {};
    const VersionRow& v = versions_[index.row()];
    if (role == VersionRole) return v.version;
    if (role == Qt::ToolTipRole)
        return tr("Version %1, made %2\n%3").arg(v.version).arg(QDateTime::fromMSecsSinceEpoch(v.created).toString(Qt::ISODate), v.reason);
    if (role == Qt::FontRole && v.active) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && index.column() != ReasonColumn && index.column() != SourceColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case VersionColumn: return v.version;
    case ActiveColumn: return v.active ? tr("active") : QString();
    case SourceColumn:
        return v.source == QLatin1String("import") ? tr("import") : v.source == QLatin1String("tune") ? tr("tune") : tr("learn");
    case MarksColumn: return v.marks;
    case BeforeColumn: return score(v.before);
    case AfterColumn: return score(v.after);
    case ReasonColumn: return v.reason;
    default: return {};
    }
}

QVariant VersionsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && (section == BeforeColumn || section == AfterColumn))
        return section == BeforeColumn ? tr("Held-out score (pair AUC) of the version active when this one was made")
                                       : tr("Held-out score (pair AUC) of this version, on the same held-out marks");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case VersionColumn: return tr("Version");
    case ActiveColumn: return tr("Active");
    case SourceColumn: return tr("Made by");
    case MarksColumn: return tr("Marks");
    case BeforeColumn: return tr("Before");
    case AfterColumn: return tr("After");
    case ReasonColumn: return tr("Reason");
    default: return {};
    }
}

VersionsChart::VersionsChart(QWidget* parent)
    : QWidget(parent),
      chart_(new QChart),
      line_(new QLineSeries),
      dots_(new QScatterSeries),
      active_(new QScatterSeries),
      x_(new QValueAxis),
      y_(new QValueAxis) {
    chart_->setTitle(tr("Held-out score per version"));
    setToolTip(tr("Each version's pair AUC on the marks the guard held out when it was made (1 = every alike pair "
                  "scores above every different one; 0.5 = chance)"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    chart_->setBackgroundRoundness(0);
    line_->setName(tr("held-out score"));
    dots_->setName(tr("version"));
    dots_->setMarkerSize(9);
    active_->setName(tr("active"));
    active_->setMarkerSize(16);
    active_->setColor(QColor(0x2e, 0x8b, 0x57));
    active_->setPointLabelsVisible(true);
    active_->setPointLabelsFormat(tr("active: version @xPoint"));
    for (auto* s : std::initializer_list<QXYSeries*>{line_, dots_, active_}) chart_->addSeries(s);
    x_->setTitleText(tr("version"));
    x_->setLabelFormat(QStringLiteral("%d"));
    y_->setTitleText(tr("held-out score"));
    y_->setLabelFormat(QStringLiteral("%.2f"));
    chart_->addAxis(x_, Qt::AlignBottom);
    chart_->addAxis(y_, Qt::AlignLeft);
    for (auto* s : std::initializer_list<QXYSeries*>{line_, dots_, active_}) {
        s->attachAxis(x_);
        s->attachAxis(y_);
    }
    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setMinimumHeight(200);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);
    setVersions({});
}

void VersionsChart::setVersions(const QVector<VersionRow>& versions) {
    QVector<VersionRow> sorted = versions;
    std::sort(sorted.begin(), sorted.end(), [](const VersionRow& a, const VersionRow& b) { return a.version < b.version; });
    QList<QPointF> pts, act;
    double lo = 1, hi = 0;
    for (const auto& v : sorted) {
        if (v.after < 0) continue;
        pts << QPointF(v.version, v.after);
        if (v.active) act << QPointF(v.version, v.after);
        lo = std::min(lo, v.after);
        hi = std::max(hi, v.after);
    }
    line_->replace(pts);
    dots_->replace(pts);
    active_->replace(act);
    const qint64 last = sorted.isEmpty() ? 1 : sorted.back().version;
    // Ticks on whole versions: 0 .. last + 1, one tick each up to 10 versions, nice numbers past.
    x_->setRange(0, static_cast<double>(std::max<qint64>(last, 1) + 1));
    if (last <= 10) x_->setTickCount(static_cast<int>(std::max<qint64>(last, 1)) + 2);
    else x_->applyNiceNumbers();
    if (pts.isEmpty()) lo = 0.5, hi = 1.0;
    const double pad = std::max(0.02, (hi - lo) * 0.15);
    // A little room around the scores, within [0, 1], ticks on multiples of 0.05 (0.1 past 10 ticks), ends on multiples of 0.1.
    const double y0 = std::max(0.0, std::floor((lo - pad) * 10) / 10), y1 = std::min(1.0, std::ceil((hi + pad) * 10) / 10);
    y_->setRange(y0, y1);
    const int steps = static_cast<int>(std::lround((y1 - y0) / 0.05));
    y_->setTickCount(steps <= 10 ? steps + 1 : static_cast<int>(std::lround((y1 - y0) / 0.1)) + 1);
}

QList<QPointF> VersionsChart::points() const { return dots_->points(); }
QList<QPointF> VersionsChart::activePoints() const { return active_->points(); }

}  // namespace rv::ui
