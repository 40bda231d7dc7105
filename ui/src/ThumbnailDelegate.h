// Paints one grid cell of an ImageGridModel: the thumbnail centred in a square of thumbnailSide()
// px (aspect kept, never enlarged), a placeholder while it loads, a broken-image mark when it
// failed, the name a person reads (DisplayName.h) elided below, the similarity score ("0.973", as
// the engine gives it) in the top-right corner and the rank ("#1") in the top-left corner when
// the row has them. A result with copies of its picture has a "+2 copies" badge at the bottom
// right; clicking it shows or hides the copies (ImageGridModel::toggleCopies). A copy's row is
// tinted, marked "copy of #3" and has no rank of its own. Selection and hover use the view's
// palette (Highlight / HighlightedText), so light and dark themes both work.
//
// Result cards of a query carry marks (ImageGridModel::MarkableRole valid): alike / different
// buttons at the bottom left while the pointer is over the card (a click on one asks for that
// verdict: markRequested(); the click goes no further), the badge of the card's mark otherwise,
// and the card's move in the last re-rank next to its rank (marks/MarkControls.h).
//
// Thread: GUI thread. Painting reads only model data (DecorationRole never decodes).
// Meant for a QListView in IconMode with setUniformItemSizes(true): every cell has the same
// sizeHint, which depends only on the side and the view's font.
#pragma once

#include <QStyledItemDelegate>

#include "marks/MarkState.h"

namespace rv::ui {

class ThumbnailDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kMinSide = 64;   // device-independent px
    static constexpr int kMaxSide = 512;

    explicit ThumbnailDelegate(QObject* parent = nullptr);

    // Clamped to [kMinSide, kMaxSide]. Emits sizeHintChanged(QModelIndex()), which makes the
    // views using this delegate lay their items out again.
    void setThumbnailSide(int side);
    int thumbnailSide() const { return side_; }

    // Where the thumbnail square lies in a cell of rect `cell` (for hit tests and tests).
    QRect thumbnailRect(const QRect& cell) const;
    // Where the copies badge of `index` lies in a cell of rect `cell` (empty if it has none).
    QRect copiesBadgeRect(const QRect& cell, const QModelIndex& index, const QFont& font) const;
    // The text of that badge: "+2 copies", or "Hide 2 copies" while they are shown.
    static QString copiesBadgeText(const QModelIndex& index);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    // A click on the copies badge toggles the copies (the click goes no further).
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;
    // Where the alike / different button of `index` lies in a cell of rect `cell` (empty if the
    // row has no mark controls).
    QRect markButtonRect(const QRect& cell, const QModelIndex& index, MarkState which, const QFont& font) const;
    // Tooltips of the mark buttons.
    bool helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                   const QModelIndex& index) override;

signals:
    // A click on a mark button of an enabled row: the person asks for `which` on `path`.
    void markRequested(const QString& path, rv::ui::MarkState which);

private:
    int side_ = 160;
};

}  // namespace rv::ui
