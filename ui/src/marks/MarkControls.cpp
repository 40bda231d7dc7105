#include "marks/MarkControls.h"

#include <QCoreApplication>
#include <QFontMetrics>
#include <QPainter>

#include "ImageGridModel.h"

namespace rv::ui::marks {
namespace {

constexpr int kInset = 4;  // from the thumbnail's edge, px

QString tr(const char* text) { return QCoreApplication::translate("rv::ui::marks", text); }

QFont boldSmaller(const QFont& base) {
    QFont font = base;
    font.setBold(true);
    if (font.pointSizeF() > 0) font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

QColor colourOf(MarkState s) { return s == MarkState::Alike ? QColor(25, 125, 55, 235) : QColor(185, 35, 35, 235); }
QString signOf(MarkState s) { return s == MarkState::Alike ? QStringLiteral("\u2713") : QStringLiteral("\u2717"); }

}  // namespace

QRect buttonRect(const QRect& area, MarkState which, const QFont& font) {
    const int side = std::max(22, QFontMetrics(boldSmaller(font)).height() + 8);
    const int x = area.left() + kInset + (which == MarkState::Different ? side + kInset : 0);
    return QRect(x, area.bottom() + 1 - kInset - side, side, side);
}

void paintButtons(QPainter* painter, const QRect& area, MarkState mark, bool enabled, const QFont& font) {
    for (MarkState which : {MarkState::Alike, MarkState::Different}) {
        const QRect r = buttonRect(area, which, font);
        const bool on = enabled && mark == which;
        painter->setPen(QPen(QColor(255, 255, 255, enabled ? 220 : 110), 1.5));
        painter->setBrush(on ? colourOf(which) : QColor(0, 0, 0, enabled ? 170 : 110));
        painter->drawEllipse(QRectF(r).adjusted(0.75, 0.75, -0.75, -0.75));
        QFont f = boldSmaller(font);
        f.setPointSizeF(std::max(1.0, f.pointSizeF()) * 1.2);
        painter->setFont(f);
        painter->setPen(enabled ? Qt::white : QColor(255, 255, 255, 110));
        painter->drawText(r, Qt::AlignCenter, signOf(which));
    }
}

QString badgeText(MarkState mark) {
    if (mark == MarkState::Alike) return signOf(mark) + QLatin1Char(' ') + tr("alike");
    if (mark == MarkState::Different) return signOf(mark) + QLatin1Char(' ') + tr("different");
    return {};
}

void paintBadge(QPainter* painter, const QRect& area, MarkState mark, const QFont& font) {
    const QString text = badgeText(mark);
    if (text.isEmpty()) return;
    const QFont f = boldSmaller(font);
    const QFontMetrics metrics(f);
    const QSize size(metrics.horizontalAdvance(text) + 10, metrics.height() + 4);
    const QRect r(QPoint(area.left() + kInset, area.bottom() + 1 - kInset - size.height()), size);
    painter->setPen(QPen(QColor(255, 255, 255, 200), 1));
    painter->setBrush(colourOf(mark));
    painter->drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter->setFont(f);
    painter->setPen(Qt::white);
    painter->drawText(r, Qt::AlignCenter, text);
}

QString moveText(int move) {
    if (move == ImageGridModel::kMovedIn) return tr("new");
    if (move > 0) return QStringLiteral("\u25B2%1").arg(move);
    if (move < 0) return QStringLiteral("\u25BC%1").arg(-move);
    return {};
}

void paintMove(QPainter* painter, const QRect& area, int left, int move, const QFont& font) {
    const QString text = moveText(move);
    if (text.isEmpty()) return;
    const QFont f = boldSmaller(font);
    const QFontMetrics metrics(f);
    const QSize size(metrics.horizontalAdvance(text) + 8, metrics.height() + 2);
    const QRect r(QPoint(left, area.top() + kInset), size);
    const QColor fill = move == ImageGridModel::kMovedIn ? QColor(20, 90, 170, 230)
                        : move > 0                       ? QColor(25, 125, 55, 230)
                                                         : QColor(170, 90, 10, 230);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(r, 4, 4);
    painter->setFont(f);
    painter->setPen(Qt::white);
    painter->drawText(r, Qt::AlignCenter, text);
}

QString buttonToolTip(MarkState which, MarkState mark, bool enabled, const QString& disabledReason) {
    if (!enabled) return disabledReason;
    const bool alike = which == MarkState::Alike;
    if (mark == which)
        return alike ? tr("Marked alike to the query: click again (or press A) to remove the mark")
                     : tr("Marked different from the query: click again (or press D) to remove the mark");
    return alike ? tr("Alike (A): this is the kind of picture you are looking for; the results re-rank at once")
                 : tr("Different (D): this is not what you are looking for; the results re-rank at once");
}

}  // namespace rv::ui::marks
