// Paints one grid cell of an ImageGridModel: the thumbnail centred in a square of thumbnailSide()
// px (aspect kept, never enlarged), a placeholder while it loads, a broken-image mark when it
// failed, the file name elided below, the similarity score ("0.93") in the top-right corner and
// the rank ("#1") in the top-left corner when the row has them. Selection and hover use the
// view's palette (Highlight / HighlightedText), so light and dark themes both work.
//
// Thread: GUI thread. Painting reads only model data (DecorationRole never decodes).
// Meant for a QListView in IconMode with setUniformItemSizes(true): every cell has the same
// sizeHint, which depends only on the side and the view's font.
#pragma once

#include <QStyledItemDelegate>

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

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    int side_ = 160;
};

}  // namespace rv::ui
