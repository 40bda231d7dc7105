// The marks painted on a result card (ThumbnailDelegate): the alike / different buttons shown
// on hover, the badge of a marked card ("✓ alike" on green, "✗ different" on red: a sign and a
// word, so the colour is never the only cue) and the move of the last re-rank ("▲3", "▼5", "new").
//
// Thread: GUI thread. Geometry in the cell's coordinates (device-independent px), from the
// thumbnail square `area` of ThumbnailDelegate::thumbnailRect() and the view's font.
#pragma once

#include <QFont>
#include <QRect>
#include <QString>

#include "marks/MarkState.h"

class QPainter;

namespace rv::ui::marks {

// Where the button for `which` (Alike or Different) lies: bottom-left of the thumbnail, alike first.
QRect buttonRect(const QRect& area, MarkState which, const QFont& font);
// The two buttons; the one of the card's `mark` filled in its colour. Disabled: greyed, no fill.
void paintButtons(QPainter* painter, const QRect& area, MarkState mark, bool enabled, const QFont& font);
// The badge of a marked card (nothing for None).
void paintBadge(QPainter* painter, const QRect& area, MarkState mark, const QFont& font);
QString badgeText(MarkState mark);  // "✓ alike", "✗ different", "" for None
// The move of a re-rank (ImageGridModel::MoveRole), painted from `left` along the thumbnail's top.
void paintMove(QPainter* painter, const QRect& area, int left, int move, const QFont& font);
QString moveText(int move);  // "▲3", "▼5", "new", "" for 0
// The tooltip of a button: what it does, its key, and how to undo it; or why marking is off.
QString buttonToolTip(MarkState which, MarkState mark, bool enabled, const QString& disabledReason);

}  // namespace rv::ui::marks
