#include "ThumbnailDelegate.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include "ImageGridModel.h"

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

// A dark rounded label over the photo; white on dark reads on any photo, light or dark theme.
// `topRight` chooses the corner of `area` (else top-left).
void paintBadge(QPainter* painter, const QRect& area, const QString& text, const QFont& baseFont, bool topRight) {
    QFont font = baseFont;
    font.setBold(true);
    if (font.pointSizeF() > 0) font.setPointSizeF(font.pointSizeF() * 0.85);
    const QFontMetrics metrics(font);
    const QSize size(metrics.horizontalAdvance(text) + 8, metrics.height() + 2);
    const int x = topRight ? area.right() + 1 - kBadgeInset - size.width() : area.left() + kBadgeInset;
    const QRect badge(QPoint(x, area.top() + kBadgeInset), size);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, 170));
    painter->drawRoundedRect(badge, 4, 4);
    painter->setFont(font);
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

    if (const QVariant rank = index.data(ImageGridModel::RankRole); rank.isValid())
        paintBadge(painter, area, QStringLiteral("#%1").arg(rank.toInt()), option.font, false);
    if (const QVariant score = index.data(ImageGridModel::ScoreRole); score.isValid())
        paintBadge(painter, area, QString::number(score.toDouble(), 'f', 2), option.font, true);

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
