// The learning panel's adapter versions: a table (version, active, made by, marks, held-out
// before / after, reason) and a Qt Charts chart of each version's held-out score
// (held_out_after, the pair AUC on the marks the guard held out), the active version marked.
//
// Thread: GUI thread. Shows what LibraryService::versionsListed gave; does no engine work.
#pragma once

#include <QAbstractTableModel>
#include <QWidget>

#include "learning/LearningData.h"

class QChartView;
class QChart;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace rv::ui {

class VersionsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { VersionColumn, ActiveColumn, SourceColumn, MarksColumn, BeforeColumn, AfterColumn, ReasonColumn, ColumnCount };
    enum Role { VersionRole = Qt::UserRole + 1 };
    using QAbstractTableModel::QAbstractTableModel;

    void setVersions(const QVector<VersionRow>& versions);  // any order; shown newest first
    const QVector<VersionRow>& versions() const { return versions_; }
    qint64 activeVersion() const;  // 0: none

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    QVector<VersionRow> versions_;
};

// Held-out score per version: a line through every measured version, a dot on each, the active
// one larger and labelled. Versions without a measurement (imports: -1) have no point.
class VersionsChart : public QWidget {
    Q_OBJECT
public:
    explicit VersionsChart(QWidget* parent = nullptr);
    void setVersions(const QVector<VersionRow>& versions);
    // For tests: the points drawn, (version, held-out score), and the active one's (or null).
    QList<QPointF> points() const;
    QList<QPointF> activePoints() const;

private:
    QChartView* view_;
    QChart* chart_;
    QLineSeries* line_;
    QScatterSeries* dots_;
    QScatterSeries* active_;
    QValueAxis *x_, *y_;
};

}  // namespace rv::ui
