// The learning panel's list of marks: a table model of MarkRow (both files' thumbnails in the
// first column, then verdict, source, time), a filter (text on the files' names, and verdict),
// and the delegate that paints the pair of thumbnails.
//
// Thread: GUI thread. Thumbnails come from a ThumbnailSource (never decoded here); a thumbnail
// arriving repaints the rows that show that file.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>

#include "learning/LearningData.h"

namespace rv::ui {

class ThumbnailSource;

class MarksModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PairColumn, VerdictColumn, SourceColumn, TimeColumn, ColumnCount };
    enum Role { PathARole = Qt::UserRole + 1, PathBRole, AlikeRole };
    static constexpr int kThumbSide = 64;  // each thumbnail, device-independent px

    // `thumbnails` is not owned and may be null.
    explicit MarksModel(ThumbnailSource* thumbnails, QObject* parent = nullptr);

    void setMarks(const QVector<MarkRow>& marks);
    const QVector<MarkRow>& marks() const { return marks_; }
    const MarkRow& mark(int row) const { return marks_[row]; }
    int alikeCount() const;
    ThumbnailSource* thumbnails() const { return thumbnails_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    // Where a mark was made, for a person: the catalog's source ("search", "duplicates", "pairs",
    // "import") in the window's language; an unknown source as stored.
    static QString sourceText(const QString& source);

private:
    void onThumbnailReady(const QString& path);

    ThumbnailSource* thumbnails_;
    QVector<MarkRow> marks_;
    QHash<QString, QVector<int>> rowsOf_;  // path -> rows showing it
};

// Rows whose file names contain the text (case-insensitive), of the chosen verdict.
class MarksFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum Verdict { Any, Alike, Different };
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setText(const QString& text);
    void setVerdict(Verdict v);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString text_;
    Verdict verdict_ = Any;
};

// Paints the pair column: the two thumbnails side by side, an "=" (alike) or "≠" (different)
// between them.
class MarkPairDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace rv::ui
