// The card area of DuplicatesView: groups of near-duplicate pictures laid out as rows of painted
// cards (thumbnail, name, folder, size, a "Keep" box), with keyboard focus, hit tests and tooltips.
//
// Thread: GUI thread only.
// Ownership: the cards own no data. They hold a reference to the group vector given to the
// constructor; the owner (DuplicatesView) keeps it valid while the cards can paint, get input or be
// called, changes it only on the GUI thread, then calls reset() or relayout() (groups or cards added
// or removed) or updateCard() (a keep flag changed). The cards never change that vector: a Keep
// click or Space asks the owner's KeepSetter, which updates the data and the card.
// Scale: cards are painted, not widgets; a card's thumbnail is asked for only when it is painted.
// Units: device-independent pixels. Rects are in viewport() coordinates; content y = viewport y +
// vertical scroll value.
#pragma once

#include <QAbstractScrollArea>
#include <QPointer>
#include <QRect>
#include <QString>

#include <functional>
#include <vector>

class QPainter;

namespace rv::ui {

class ThumbnailSource;

// One picture of a group. `path` is QFile::decodeName() of the engine's bytes.
struct DuplicateCard {
    QString path, name, folder;  // full path; file name; native-separator folder
    qint64 bytes = 0;            // file size
    int width = 0, height = 0;   // pixels; 0 if unknown
    float score = 0;             // similarity to the group's first card
    bool keep = false;           // checked: stays; unchecked: goes to the trash
    // Pixels verified it is the same picture as the group's first card (true for the first card).
    // An unverified card is only "similar": always kept, its Keep box locked.
    bool verified = false;
    QString note;                // why (not) verified, shown in the tooltip
    int orientation = 0;         // rv::DuplicateMember::orientation (turned/mirrored against the first card)
    qint64 mtimeNs = 0;          // modification time, nanoseconds since the epoch
};
// Cards of one group; the first is the group's reference picture.
struct DuplicateCardGroup {
    std::vector<DuplicateCard> cards;
    int suggested = -1;    // the card suggested to keep (rv::suggest_keep), -1 if none
    QString keepReason;    // why, for a person ("not turned, oldest file")
};
// A card's place: indices into the group vector and its cards; -1 for none.
struct DuplicateCardPos {
    int group = -1, card = -1;
};

class DuplicateCards : public QAbstractScrollArea {
    Q_OBJECT
public:
    // The line above group g's cards: its number, size and the suggested keep with the reason.
    QString groupTitle(int g) const;
    static constexpr int kThumbSide = 160;  // device-independent pixels
    // Asked to set a card's keep flag (and update the card); false if refused.
    using KeepSetter = std::function<bool(const QString& path, bool keep)>;

    // `groups` is not owned (see the file comment). `thumbnails` is not owned and may be null (no
    // pictures); the cards do not listen to it: the owner repaints a card via updateCard().
    DuplicateCards(const std::vector<DuplicateCardGroup>& groups, ThumbnailSource* thumbnails, QWidget* parent);

    // Without a setter, clicks on a Keep box only move the focus.
    void setKeepSetter(KeepSetter setter) { keepSetter_ = std::move(setter); }
    // While true, Keep boxes paint disabled and a refused toggle says files are being trashed.
    // Does not repaint by itself: the new state shows on the next paint of each card.
    void setTrashing(bool trashing) {
        trashing_ = trashing;
        viewport()->update();  // Keep boxes are drawn disabled while trashing
    }

    // After new groups: drops the focus, scrolls to the top and lays out again.
    void reset();
    // After the groups, the width, the font or the style changed; keeps the focus if still valid.
    void relayout();

    // Card `c` of group `g` (both must be valid), in viewport coordinates.
    QRect cardRect(int g, int c) const;
    // The Keep box inside a card rect from cardRect().
    QRect keepBoxRect(const QRect& card) const;
    void updateCard(int g, int c) { viewport()->update(cardRect(g, c)); }

    // Shared wording: "1 file" / "N files"; a size in SI units ("1.2 MB").
    static QString fileCountText(int n);
    static QString sizeText(qint64 bytes);

    // The focused card's path, empty if none.
    QString currentPath() const;

signals:
    void previewRequested(const QString& path);  // double-click or Enter on a card
    // The focused card changed (a click, the arrow keys): the window previews it.
    void currentPathChanged(const QString& path);
    // A right click (or the menu key) on a card, made the focused card: the owner shows a menu.
    void contextMenuRequestedFor(const QString& path, const QPoint& globalPos);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;  // tooltips

private:
    static constexpr int kMargin = 12, kSpacing = 10, kPad = 8, kGroupGap = 14;

    int groupHeight(int g) const;
    DuplicateCardPos cardAt(QPoint pos) const;  // {} if `pos` is on no card
    void setFocusCard(DuplicateCardPos w);      // scrolls the card into view
    void toggle(DuplicateCardPos w);
    void paintCard(QPainter& p, const DuplicateCard& c, const QRect& r, bool reference, bool suggested, bool focused);
    static QString dimensions(const DuplicateCard& c);
    static QString score(const DuplicateCard& c);

    const std::vector<DuplicateCardGroup>& groups_;
    QPointer<ThumbnailSource> thumbnails_;
    KeepSetter keepSetter_;
    bool trashing_ = false;
    std::vector<int> groupTop_;  // content y of each group's top
    DuplicateCardPos focus_;
    int contentH_ = 0, perLine_ = 1, line_ = 16, check_ = 16, cardW_ = 0, cardH_ = 0, headerH_ = 0;
};

}  // namespace rv::ui
