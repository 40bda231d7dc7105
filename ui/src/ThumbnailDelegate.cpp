#include "ThumbnailDelegate.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include "ImageGridModel.h"
#include "marks/MarkControls.h"

namespace rv::ui {
namespace {

constexpr int kPadding = 6;   // around the cell's content, px
constexpr int kTextGap = 4;   // between the thumbnail square and the name
constexpr int kBadgeInset = 4;

QPalette::ColorGroup colorGroup(const QStyleOptionViewItem& option) {
    if (!(option.state & QStyle::State_Enabled)) return QPalette::Disabled;
    return (option.state & QStyle::State_Active) ? QPalette::Active : QPalette::Inactive;
}

// A neutral rounded tile: "something will be here".
void paintPlaceholder(QPainter* painter, const QRect& area, const QStyleOptionViewItem& option) {
    QColor tile = option.palette.color(colorGroup(option), QPalette::Mid);
    tile.setAlphaF(0.35f);
    const int inset = area.width() / 10;
    painter->setPen(Qt::NoPen);
    painter->setBrush(tile);
    painter->drawRoundedRect(area.adjusted(inset, inset, -inset, -inset), 6, 6);
}

// The placeholder with a picture frame torn by a zigzag crack: "this file has no thumbnail".
void paintBrokenMark(QPainter* painter, const QRect& area, const QStyleOptionViewItem& option) {
    paintPlaceholder(painter, area, option);
    const qreal s = area.width() / 3.0;
    const QRectF frame(area.center().x() - s / 2, area.center().y() - s * 0.4, s, s * 0.8);
    QColor ink = option.palette.color(colorGroup(option), QPalette::Text);
    ink.setAlphaF(0.6f);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(ink, std::max(1.5, s / 24)));
    painter->drawRect(frame);
    QPainterPath crack;
    crack.moveTo(frame.left() + s * 0.55, frame.top());
    crack.lineTo(frame.left() + s * 0.40, frame.top() + frame.height() * 0.35);
    crack.lineTo(frame.left() + s * 0.62, frame.top() + frame.height() * 0.60);
    crack.lineTo(frame.left() + s * 0.45, frame.bottom());
    painter->setPen(QPen(QColor(0xd0, 0x40, 0x40), std::max(2.0, s / 16), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPath(crack);
}

QFont badgeFont(const QFont& baseFont) {
    QFont font = baseFont;
    font.setBold(true);
    if (font.pointSizeF() > 0) font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

enum class Corner { TopLeft, TopRight, BottomRight };

QRect badgeRect(const QRect& area, const QString& text, const QFont& baseFont, Corner corner) {
    const QFontMetrics metrics(badgeFont(baseFont));
    const QSize size(metrics.horizontalAdvance(text) + 8, metrics.height() + 2);
    const int x = corner == Corner::TopLeft ? area.left() + kBadgeInset : area.right() + 1 - kBadgeInset - size.width();
    const int y = corner == Corner::BottomRight ? area.bottom() + 1 - kBadgeInset - size.height() : area.top() + kBadgeInset;
    return QRect(QPoint(x, y), size);
}

// A dark rounded label over the photo; white on dark reads on any photo, light or dark theme.
void paintBadge(QPainter* painter, const QRect& area, const QString& text, const QFont& baseFont, Corner corner,
                const QColor& fill = QColor(0, 0, 0, 170)) {
    const QRect badge = badgeRect(area, text, baseFont, corner);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(badge, 4, 4);
    painter->setFont(badgeFont(baseFont));
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, text);
}

}  // namespace

ThumbnailDelegate::ThumbnailDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

void ThumbnailDelegate::setThumbnailSide(int side) {
    side = std::clamp(side, kMinSide, kMaxSide);
    if (side == side_) return;
    side_ = side;
    emit sizeHintChanged(QModelIndex());
}

QRect ThumbnailDelegate::thumbnailRect(const QRect& cell) const {
    return QRect(cell.left() + (cell.width() - side_) / 2, cell.top() + kPadding, side_, side_);
}

QString ThumbnailDelegate::copiesBadgeText(const QModelIndex& index) {
    const int copies = index.data(ImageGridModel::CopiesRole).toInt();
    if (copies <= 0) return {};
    if (index.data(ImageGridModel::CopiesShownRole).toBool())
        return tr("Hide %n copy(ies)", nullptr, copies);
    return tr("+%n copy(ies)", nullptr, copies);
}

QRect ThumbnailDelegate::copiesBadgeRect(const QRect& cell, const QModelIndex& index, const QFont& font) const {
    const QString text = copiesBadgeText(index);
    return text.isEmpty() ? QRect() : badgeRect(thumbnailRect(cell), text, font, Corner::BottomRight);
}

bool ThumbnailDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                    const QModelIndex& index) {
    const bool press = event->type() == QEvent::MouseButtonPress || event->type() == QEvent::MouseButtonDblClick;
    if (press || event->type() == QEvent::MouseButtonRelease) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton)
            for (MarkState which : {MarkState::Alike, MarkState::Different})
                if (markButtonRect(option.rect, index, which, option.font).contains(mouse->position().toPoint())) {
                    // On release, like the copies badge; a disabled button takes the click too.
                    if (event->type() == QEvent::MouseButtonRelease && index.data(ImageGridModel::MarkableRole).toBool())
                        emit markRequested(index.data(ImageGridModel::PathRole).toString(), which);
                    return true;
                }
        if (mouse->button() == Qt::LeftButton &&
            copiesBadgeRect(option.rect, index, option.font).contains(mouse->position().toPoint())) {
            // Toggled on release; the press is taken too, so the badge never starts a drag or a query.
            if (event->type() == QEvent::MouseButtonRelease)
                if (auto* grid = qobject_cast<ImageGridModel*>(model)) grid->toggleCopies(index.row());
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

QRect ThumbnailDelegate::markButtonRect(const QRect& cell, const QModelIndex& index, MarkState which,
                                        const QFont& font) const {
    if (!index.data(ImageGridModel::MarkableRole).isValid()) return {};
    return marks::buttonRect(thumbnailRect(cell), which, font);
}

bool ThumbnailDelegate::helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                                  const QModelIndex& index) {
    if (event && event->type() == QEvent::ToolTip)
        for (MarkState which : {MarkState::Alike, MarkState::Different})
            if (markButtonRect(option.rect, index, which, option.font).contains(event->pos())) {
                const auto* grid = qobject_cast<const ImageGridModel*>(index.model());
                QToolTip::showText(event->globalPos(),
                                   marks::buttonToolTip(which, MarkState(index.data(ImageGridModel::MarkRole).toInt()),
                                                        index.data(ImageGridModel::MarkableRole).toBool(),
                                                        grid ? grid->markingReason() : QString()),
                                   view, markButtonRect(option.rect, index, which, option.font));
                return true;
            }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

QSize ThumbnailDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    return QSize(side_ + 2 * kPadding, side_ + 2 * kPadding + kTextGap + option.fontMetrics.height());
}

void ThumbnailDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    painter->save();
    painter->setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform | QPainter::TextAntialiasing);
    const QRect cell = option.rect;
    const QPalette::ColorGroup group = colorGroup(option);
    const bool selected = option.state & QStyle::State_Selected;
    const QVariant copyOf = index.data(ImageGridModel::CopyOfRole);

    if (copyOf.isValid()) {  // a copy shown under its picture: a tinted cell, set apart from results
        QColor tint = option.palette.color(group, QPalette::AlternateBase);
        painter->setPen(QPen(option.palette.color(group, QPalette::Mid), 1, Qt::DashLine));
        painter->setBrush(tint);
        painter->drawRoundedRect(QRectF(cell).adjusted(2.5, 2.5, -2.5, -2.5), 6, 6);
    }
    if (selected || (option.state & QStyle::State_MouseOver)) {
        QColor fill = option.palette.color(group, QPalette::Highlight);
        if (!selected) fill.setAlphaF(0.3f);  // hover: a tint of the selection colour
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(QRectF(cell).adjusted(1, 1, -1, -1), 6, 6);
    }

    const QRect area = thumbnailRect(cell);
    const QPixmap pixmap = index.data(Qt::DecorationRole).value<QPixmap>();
    if (!pixmap.isNull()) {
        const QSizeF natural = pixmap.deviceIndependentSize();
        const QSizeF drawn = (natural.width() > area.width() || natural.height() > area.height())
                                 ? natural.scaled(area.size(), Qt::KeepAspectRatio)
                                 : natural;
        QRectF target(QPointF(), drawn);
        target.moveCenter(QRectF(area).center());
        painter->drawPixmap(target, pixmap, QRectF(pixmap.rect()));
    } else if (index.data(ImageGridModel::ThumbnailFailedRole).toBool()) {
        paintBrokenMark(painter, area, option);
    } else {
        paintPlaceholder(painter, area, option);
    }

    if (const QVariant rank = index.data(ImageGridModel::RankRole); rank.isValid()) {
        const QString text = QStringLiteral("#%1").arg(rank.toInt());
        paintBadge(painter, area, text, option.font, Corner::TopLeft);
        if (const QVariant move = index.data(ImageGridModel::MoveRole); move.isValid())
            marks::paintMove(painter, area, badgeRect(area, text, option.font, Corner::TopLeft).right() + 4,
                             move.toInt(), option.font);
    } else if (copyOf.isValid())
        paintBadge(painter, area, tr("copy of #%1").arg(copyOf.toInt()), option.font, Corner::TopLeft,
                   QColor(60, 60, 60, 200));
    // The calibrated score, three decimals, and its word ("0.962 same picture").
    if (const QVariant score = index.data(ImageGridModel::ScoreRole); score.isValid()) {
        QString text = QString::number(score.toDouble(), 'f', 3);
        if (const QVariant word = index.data(ImageGridModel::WordRole); word.isValid())
            text += QLatin1Char(' ') + scoreWordText(word.toString());
        paintBadge(painter, area, text, option.font, Corner::TopRight);
    }
    if (const QString copies = copiesBadgeText(index); !copies.isEmpty())
        paintBadge(painter, area, copies, option.font, Corner::BottomRight, QColor(20, 90, 170, 220));

    if (const QVariant markable = index.data(ImageGridModel::MarkableRole); markable.isValid()) {
        const auto mark = MarkState(index.data(ImageGridModel::MarkRole).toInt());
        if (option.state & QStyle::State_MouseOver) marks::paintButtons(painter, area, mark, markable.toBool(), option.font);
        else marks::paintBadge(painter, area, mark, option.font);
    }

    const QRect textRect(cell.left() + kPadding, area.bottom() + 1 + kTextGap, cell.width() - 2 * kPadding,
                         option.fontMetrics.height());
    const QString name = option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(),
                                                       Qt::ElideMiddle, textRect.width());
    painter->setFont(option.font);
    painter->setPen(option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignHCenter | Qt::AlignVCenter, name);

    if (option.state & QStyle::State_HasFocus) {
        QColor ring = option.palette.color(group, QPalette::Highlight);
        painter->setPen(QPen(ring, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(cell).adjusted(1.5, 1.5, -1.5, -1.5), 6, 6);
    }
    painter->restore();
}

}  // namespace rv::ui
