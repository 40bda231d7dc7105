// The items of an image grid: a folder's files, or a ranked search result, with thumbnails from a
// ThumbnailSource. A ranked result may carry copies of its picture (rv::SearchCopy): the row shows
// how many, and toggleCopies() shows them as rows right under it, or hides them again.
//
// Thread: GUI thread. Nothing here touches the disk: paths are taken as given (no stat), file
// names are derived from the path text, and DecorationRole only asks the ThumbnailSource, which
// never decodes synchronously. Sized for 100,000 rows: setting them is one vector and one hash
// build; a thumbnail arriving repaints only its row.
#pragma once

#include <QAbstractListModel>
#include <QFuture>
#include <QHash>
#include <QPointer>
#include <QStringList>
#include <QVector>

#include "ThumbnailSource.h"

class QThreadPool;

namespace rv::ui {

class ImageGridModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        PathRole = Qt::UserRole + 1,  // QString, absolute path
        ScoreRole,                    // float: the shown (calibrated) score in [0, 1], or invalid when none
        RankRole,                     // int, 1 = best, or an invalid QVariant when none
        ThumbnailFailedRole,          // bool: the source could not make a thumbnail
        CopiesRole,                   // int: copies of this row's picture (0 on other rows)
        CopiesShownRole,              // bool: those copies are shown as rows under it
        CopyOfRole,                   // int: on a copy's row, the rank of its picture; else invalid
        // Marks (ui/src/marks): on a result row only (a ranked row that is not a copy).
        MarkRole,      // int (MarkState): the person's verdict on (query, this row's file)
        MarkableRole,  // bool: the row can be marked; false: controls shown disabled; invalid: none
        MoveRole,      // int: places this row moved up (> 0) or down (< 0) in the last re-rank,
                       // kMovedIn for a row that was not shown before; invalid: none to show
        WordRole,      // QString: the score's word ("same picture", ...) on a result row; invalid: none
    };
    static constexpr int kMovedIn = 1 << 20;

    struct Copy {
        QString path;  // absolute
        float score = 0.0f;
        QString why;   // why it is the same picture, for a person ("same content", ...)
    };
    struct Result {
        QString path;  // absolute
        float score = 0.0f;
        QVector<Copy> copies = {};  // the same picture in other files, best score first
        QString word = {};          // what the score means, for a person ("same picture", ...)
    };

    // `thumbnails` is not owned and may be null (no decorations); if it is destroyed first the
    // model just stops showing thumbnails.
    explicit ImageGridModel(ThumbnailSource* thumbnails, QObject* parent = nullptr);

    // Replaces the rows by these absolute paths, in this order, without score or rank.
    void setFolderFiles(const QStringList& absPaths);
    // Replaces the rows by a ranked result, best first: row i gets rank i + 1 and its score.
    void setResults(const QVector<Result>& ranked);
    void clear();

    // Shows or hides the copies of the picture at `row` (a result row with copies, or one of its
    // shown copies). Returns false if the row has none.
    bool toggleCopies(int row);
    // The row of the result a row belongs to (itself for a result row), -1 if out of range.
    int resultRowOf(int row) const;
    // The side (device-independent px) DecorationRole asks the ThumbnailSource for; set it with
    // the delegate's. Changing it refreshes the decorations of all rows.
    void setThumbnailSide(int side);
    int thumbnailSide() const { return side_; }

    QString pathAt(int row) const;
    // The copies folded under a result row (empty on other rows and on a copy's own row).
    QVector<Copy> copiesAt(int row) const;
    int rowOf(const QString& path) const;  // -1 if absent

    // Marks of the ranked rows (MarkRole, MarkableRole, MoveRole), kept across setResults() and
    // clear(): they belong to the query, which the caller changes with setMarks().
    enum class Marking { Off, Disabled, On };  // no controls; shown disabled (with `reason`); usable
    void setMarking(Marking marking, const QString& reason = {});
    Marking marking() const { return marking_; }
    QString markingReason() const { return markingReason_; }
    // Path -> MarkState (as int); paths not listed are unmarked.
    void setMarks(const QHash<QString, int>& marks);
    void setMark(const QString& path, int state);
    int markOf(const QString& path) const { return marks_.value(path, 0); }
    // Path -> MoveRole value; empty: no moves shown.
    void setMoves(const QHash<QString, int>& moves);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Item {
        QString path;
        float score = 0.0f;
        int rank = 0;  // 0 = none; a copy's row: its picture's rank
        bool hasScore = false;
        bool isCopy = false;     // a copy shown under its picture's row
        bool copiesShown = false;
        QVector<Copy> copies;    // on a result row; a copy's row keeps its `why` in copies[0]
        QString word = {};
    };

    void replaceItems(QVector<Item> items);
    void reindex();
    void onThumbnailReady(const QString& path);

    QPointer<ThumbnailSource> thumbnails_;
    QVector<Item> items_;
    // Path -> row. Paths are expected unique; for a duplicate, the first row is kept (and
    // refreshed when its thumbnail arrives; the other rows catch up at their next repaint).
    QHash<QString, int> rowOfPath_;
    int side_ = 128;
    Marking marking_ = Marking::Off;
    QString markingReason_;
    QHash<QString, int> marks_, moves_;
    void marksChanged();  // repaints every row's marks
};

// The engine's word for a score (SearchResult::word: "same picture", "very similar", "related")
// as the person reads it, translated.
QString scoreWordText(const QString& engineWord);

// Image files directly in `folder` (not recursive, hidden files skipped), by the engine's list of
// image extensions (jpg jpeg jpe png webp tif tiff bmp gif, any case), as absolute paths in
// natural order of file name ("IMG_2" before "IMG_10"). Runs on `pool` (a worker thread); an
// unreadable folder gives an empty list.
QFuture<QStringList> listImagesAsync(const QString& folder, QThreadPool* pool = nullptr);

}  // namespace rv::ui
