#include "DuplicateCards.h"

#include <QContextMenuEvent>

#include <QDir>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>
#include <QStyleOptionButton>
#include <QStyleOptionFocusRect>
#include <QToolTip>

#include <algorithm>

#include "ThumbnailSource.h"

namespace rv::ui {

// One plural message: each language says how many forms it has (English's in ruvision_en.ts).
QString DuplicateCards::fileCountText(int n) { return tr("%n file(s)", nullptr, n); }
QString DuplicateCards::sizeText(qint64 bytes) {
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

DuplicateCards::DuplicateCards(const std::vector<DuplicateCardGroup>& groups, ThumbnailSource* thumbnails,
                               QWidget* parent)
    : QAbstractScrollArea(parent), groups_(groups), thumbnails_(thumbnails) {
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    // Always on: a bar that comes and goes would change the cards per line, and the height.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setBackgroundRole(QPalette::Window);
}

void DuplicateCards::reset() {
    focus_ = {};
    verticalScrollBar()->setValue(0);
    relayout();
}

void DuplicateCards::relayout() {
    const QFontMetrics fm(font());
    line_ = fm.height();
    check_ = std::max(line_, style()->pixelMetric(QStyle::PM_IndicatorHeight, nullptr, this));
    cardW_ = kThumbSide + 2 * kPad;
    cardH_ = kPad + kThumbSide + kPad / 2 + 3 * line_ + check_ + kPad;
    headerH_ = line_ + 10;
    perLine_ = std::max(1, (viewport()->width() - 2 * kMargin + kSpacing) / (cardW_ + kSpacing));
    groupTop_.resize(groups_.size());
    int y = kMargin;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        groupTop_[g] = y;
        y += groupHeight(int(g));
    }
    contentH_ = y + kMargin;
    verticalScrollBar()->setRange(0, std::max(0, contentH_ - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(cardH_ / 4);
    if (focus_.group >= int(groups_.size()) ||
        (focus_.group >= 0 && focus_.card >= int(groups_[focus_.group].cards.size())))
        focus_ = {};
    viewport()->update();
}

QRect DuplicateCards::cardRect(int g, int c) const {
    const int x = kMargin + (c % perLine_) * (cardW_ + kSpacing);
    const int y = groupTop_[g] + headerH_ + (c / perLine_) * (cardH_ + kSpacing) - verticalScrollBar()->value();
    return {x, y, cardW_, cardH_};
}

QRect DuplicateCards::keepBoxRect(const QRect& card) const {
    return {card.left() + kPad, card.bottom() - kPad - check_ + 1, (card.width() - 2 * kPad) * 3 / 5, check_};
}

void DuplicateCards::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    relayout();
}

void DuplicateCards::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) relayout();
}

void DuplicateCards::scrollContentsBy(int, int) { viewport()->update(); }

void DuplicateCards::paintEvent(QPaintEvent* event) {
    QPainter p(viewport());
    if (groups_.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(viewport()->rect(), Qt::AlignCenter, tr("No near-duplicates to show."));
        return;
    }
    const int top = verticalScrollBar()->value() + event->rect().top();
    const int bottom = verticalScrollBar()->value() + event->rect().bottom();
    auto first = std::upper_bound(groupTop_.begin(), groupTop_.end(), top);
    for (int g = std::max(0, int(first - groupTop_.begin()) - 1); g < int(groups_.size()) && groupTop_[g] <= bottom; ++g) {
        const int y = groupTop_[g] - verticalScrollBar()->value();
        if (g > 0) {
            p.setPen(palette().color(QPalette::Mid));
            p.drawLine(kMargin, y - kGroupGap / 2, viewport()->width() - kMargin, y - kGroupGap / 2);
        }
        const auto& cards = groups_[g].cards;
        p.setPen(palette().color(QPalette::WindowText));
        const QRect title(kMargin, y, viewport()->width() - 2 * kMargin, headerH_);
        p.drawText(title, Qt::AlignLeft | Qt::AlignVCenter, fontMetrics().elidedText(groupTitle(g), Qt::ElideRight, title.width()));
        for (int c = 0; c < int(cards.size()); ++c) {
            const QRect r = cardRect(g, c);
            if (r.intersects(event->rect()))
                paintCard(p, cards[c], r, c == 0, c == groups_[g].suggested && !groups_[g].keepReason.isEmpty(),
                          focus_.group == g && focus_.card == c);
        }
    }
}

QString DuplicateCards::groupTitle(int g) const {
    const auto& group = groups_[g];
    QString title = tr("Group %1 · %2").arg(g + 1).arg(fileCountText(int(group.cards.size())));
    // No reason: no other member is a verified copy of the suggestion, so there is nothing to choose.
    if (group.suggested < 0 || group.suggested >= int(group.cards.size()) || group.keepReason.isEmpty())
        title += tr(" · Similar pictures, none a verified copy of another: every file is kept");
    else
        title += tr(" · Suggested keep: %1 (%2)").arg(group.cards[group.suggested].name, group.keepReason);
    return title;
}

QString DuplicateCards::currentPath() const {
    if (focus_.group < 0 || focus_.group >= int(groups_.size()) || focus_.card >= int(groups_[focus_.group].cards.size()))
        return {};
    return groups_[focus_.group].cards[focus_.card].path;
}

void DuplicateCards::mousePressEvent(QMouseEvent* event) {
    const DuplicateCardPos w = cardAt(event->position().toPoint());
    if (w.group < 0 || event->button() != Qt::LeftButton) return;
    const bool onBox = keepBoxRect(cardRect(w.group, w.card)).contains(event->position().toPoint());
    setFocusCard(w);  // may scroll the card into view
    if (onBox) toggle(w);
}

void DuplicateCards::mouseDoubleClickEvent(QMouseEvent* event) {
    const DuplicateCardPos w = cardAt(event->position().toPoint());
    if (w.group < 0 || event->button() != Qt::LeftButton) return;
    const bool onBox = keepBoxRect(cardRect(w.group, w.card)).contains(event->position().toPoint());
    setFocusCard(w);
    if (onBox)
        toggle(w);  // a quick second click on the box
    else
        emit previewRequested(groups_[w.group].cards[w.card].path);
}

void DuplicateCards::keyPressEvent(QKeyEvent* event) {
    const auto& groups = groups_;
    if (groups.empty()) return QAbstractScrollArea::keyPressEvent(event);
    DuplicateCardPos w = focus_.group < 0 ? DuplicateCardPos{0, 0} : focus_;
    const int n = int(groups[w.group].cards.size());
    switch (event->key()) {
    case Qt::Key_Left:
        if (w.card > 0) --w.card;
        else if (w.group > 0) w = {w.group - 1, int(groups[w.group - 1].cards.size()) - 1};
        break;
    case Qt::Key_Right:
        if (w.card + 1 < n) ++w.card;
        else if (w.group + 1 < int(groups.size())) w = {w.group + 1, 0};
        break;
    case Qt::Key_Up:
        if (w.card >= perLine_) w.card -= perLine_;
        else if (w.group > 0) w = {w.group - 1, int(groups[w.group - 1].cards.size()) - 1};
        break;
    case Qt::Key_Down:
        if (w.card + perLine_ < n) w.card += perLine_;
        else if (w.group + 1 < int(groups.size())) w = {w.group + 1, std::min(w.card % perLine_, int(groups[w.group + 1].cards.size()) - 1)};
        break;
    case Qt::Key_Space:
        if (focus_.group >= 0) toggle(focus_);
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (focus_.group >= 0) emit previewRequested(groups[focus_.group].cards[focus_.card].path);
        return;
    default:
        return QAbstractScrollArea::keyPressEvent(event);
    }
    setFocusCard(w);
}

void DuplicateCards::contextMenuEvent(QContextMenuEvent* event) {
    DuplicateCardPos w = focus_;
    if (event->reason() == QContextMenuEvent::Mouse) w = cardAt(viewport()->mapFrom(this, event->pos()));
    if (w.group < 0) return;
    setFocusCard(w);
    const QPoint at = event->reason() == QContextMenuEvent::Mouse ? event->globalPos()
                                                                  : viewport()->mapToGlobal(cardRect(w.group, w.card).center());
    emit contextMenuRequestedFor(groups_[w.group].cards[w.card].path, at);
}

bool DuplicateCards::viewportEvent(QEvent* event) {
    if (event->type() != QEvent::ToolTip) return QAbstractScrollArea::viewportEvent(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const DuplicateCardPos w = cardAt(help->pos());
    if (w.group < 0) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    const DuplicateCard& c = groups_[w.group].cards[w.card];
    const QRect r = cardRect(w.group, w.card);
    QString text;
    if (keepBoxRect(r).contains(help->pos())) {
        text = c.verified ? tr("Checked: kept. Unchecked: moved to the Trash by “Move Unchecked to Trash…”.\n"
                               "At least one file of each group stays checked.")
                          : tr("Similar, not verified: the pixels do not show that this is the same picture, "
                               "so it is always kept.\n") +
                                c.note;
    } else {
        text = QDir::toNativeSeparators(c.path) + QLatin1Char('\n') + dimensions(c) + QStringLiteral(" · ") +
               sizeText(c.bytes) +
               (w.card == 0 ? tr("\nThe group's reference picture")
                            : tr("\nSimilarity to the group's first picture: %1").arg(score(c)) +
                                  (c.verified ? tr("\nVerified on pixels: the same picture")
                                              : tr("\nSimilar, not verified: ") + c.note)) +
               (w.card == groups_[w.group].suggested && !groups_[w.group].keepReason.isEmpty() ? tr("\nSuggested keep: %1").arg(groups_[w.group].keepReason)
                                                     : QString()) +
               (c.keep ? QString() : tr("\nUnchecked: goes to the Trash with “Move Unchecked to Trash…”")) +
               tr("\nClick to preview; double-click or Enter also opens a hidden preview");
    }
    QToolTip::showText(help->globalPos(), text, viewport(), r);
    return true;
}

int DuplicateCards::groupHeight(int g) const {
    const int n = int(groups_[g].cards.size());
    const int lines = (n + perLine_ - 1) / perLine_;
    return headerH_ + lines * cardH_ + (lines - 1) * kSpacing + kGroupGap;
}

DuplicateCardPos DuplicateCards::cardAt(QPoint pos) const {
    const int y = pos.y() + verticalScrollBar()->value();
    const auto it = std::upper_bound(groupTop_.begin(), groupTop_.end(), y);
    if (it == groupTop_.begin()) return {};
    const int g = int(it - groupTop_.begin()) - 1;
    for (int c = 0; c < int(groups_[g].cards.size()); ++c)
        if (cardRect(g, c).contains(pos)) return {g, c};
    return {};
}

void DuplicateCards::setFocusCard(DuplicateCardPos w) {
    if (focus_.group >= 0) updateCard(focus_.group, focus_.card);
    const bool moved = focus_.group != w.group || focus_.card != w.card;
    focus_ = w;
    const QRect r = cardRect(w.group, w.card);
    if (r.top() < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() + r.top() - kMargin);
    else if (r.bottom() > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + r.bottom() - viewport()->height() + kMargin);
    updateCard(w.group, w.card);
    if (moved) emit currentPathChanged(groups_[w.group].cards[w.card].path);
}

void DuplicateCards::toggle(DuplicateCardPos w) {
    if (!keepSetter_) return;
    const DuplicateCard& c = groups_[w.group].cards[w.card];
    if (!keepSetter_(c.path, !c.keep)) {
        const QString why = trashing_    ? tr("Files are being moved to the Trash.")
                            : !c.verified ? tr("Similar, but not verified to be the same picture: it stays.")
                                          : tr("At least one file of each group is kept.");
        QToolTip::showText(viewport()->mapToGlobal(keepBoxRect(cardRect(w.group, w.card)).center()), why, viewport());
    }
}

QString DuplicateCards::dimensions(const DuplicateCard& c) {
    if (c.width <= 0 || c.height <= 0) return tr("size unknown");
    return QStringLiteral("%1×%2").arg(c.width).arg(c.height);
}

QString DuplicateCards::score(const DuplicateCard& c) { return QLocale().toString(double(c.score), 'f', 2); }

void DuplicateCards::paintCard(QPainter& p, const DuplicateCard& c, const QRect& r, bool reference, bool suggested,
                               bool focused) {
    const QPalette& pal = palette();
    // A card that goes to the trash keeps its picture as it is (a veil turns dark pictures grey):
    // it gets a red border, a red "Trash" ribbon over the picture's corner and a struck-out name.
    const QColor trashRed(200, 30, 30);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(c.keep ? QPen(pal.color(QPalette::Highlight), 2) : QPen(trashRed, 3));
    p.setBrush(pal.base());
    p.drawRoundedRect(QRectF(r).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
    p.restore();

    const QRect thumb(r.left() + kPad, r.top() + kPad, kThumbSide, kThumbSide);
    const QPixmap pix = thumbnails_ ? thumbnails_->thumbnail(c.path, kThumbSide) : QPixmap();
    QRect picture = thumb;  // where the picture is drawn (the ribbon and badge sit on it)
    if (!pix.isNull()) {
        QSizeF size = pix.deviceIndependentSize();
        size.scale(size.boundedTo(QSizeF(thumb.size())), Qt::KeepAspectRatio);
        QRectF target(QPointF(), size);
        target.moveCenter(QRectF(thumb).center());
        p.save();
        p.setRenderHint(QPainter::SmoothPixmapTransform, true);
        p.drawPixmap(target, pix, QRectF(pix.rect()));
        p.restore();
        picture = target.toAlignedRect() & thumb;
    } else {
        const bool failed = thumbnails_ && thumbnails_->failed(c.path);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(thumb, Qt::AlignCenter, failed ? tr("No preview") : tr("Loading…"));
    }
    if (!c.keep) {  // a ribbon across the top-left corner of the picture
        p.save();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setClipRect(picture);
        const int band = line_ + 6;
        p.translate(picture.left() + band * 1.6, picture.top() + band * 1.6);
        p.rotate(-45);
        const QRect ribbon(-kThumbSide / 2, -band / 2, kThumbSide, band);
        p.fillRect(ribbon, trashRed);
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(Qt::white);
        p.drawText(ribbon, Qt::AlignCenter, tr("Trash"));
        p.restore();
    } else if (suggested) {  // a small badge: this is the file the suggestion keeps
        const QString text = tr("Suggested");
        const int tw = fontMetrics().horizontalAdvance(text) + 10;
        const QRect badge(picture.left() + 4, picture.top() + 4, tw, line_ + 4);
        p.save();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::Highlight));
        p.drawRoundedRect(badge, 3, 3);
        p.setPen(pal.color(QPalette::HighlightedText));
        p.drawText(badge, Qt::AlignCenter, text);
        p.restore();
    }
    if (!c.verified) {  // a banner across the thumbnail's foot: this one is only similar
        const QRect banner(thumb.left(), thumb.bottom() + 1 - line_ - 4, thumb.width(), line_ + 4);
        QColor back = pal.color(QPalette::ToolTipBase);
        back.setAlpha(220);
        p.fillRect(banner, back);
        p.setPen(pal.color(QPalette::ToolTipText));
        p.drawText(banner, Qt::AlignCenter, fontMetrics().elidedText(tr("similar, not verified"), Qt::ElideRight, banner.width() - 4));
    }

    const int w = r.width() - 2 * kPad;
    int y = thumb.bottom() + 1 + kPad / 2;
    QFont bold = font();
    bold.setBold(true);
    bold.setStrikeOut(!c.keep);
    p.setFont(bold);
    p.setPen(c.keep ? pal.color(QPalette::Text) : trashRed);
    p.drawText(QRect(thumb.left(), y, w, line_), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(bold).elidedText(c.name, Qt::ElideMiddle, w));
    p.setFont(font());
    y += line_;
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(thumb.left(), y, w, line_), Qt::AlignLeft | Qt::AlignVCenter,
               fontMetrics().elidedText(c.folder, Qt::ElideMiddle, w));
    y += line_;
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(thumb.left(), y, w, line_), Qt::AlignLeft | Qt::AlignVCenter,
               dimensions(c) + QStringLiteral(" · ") + sizeText(c.bytes));

    QStyleOptionButton box;
    box.initFrom(viewport());
    box.rect = keepBoxRect(r);
    box.text = tr("Keep");
    box.state = QStyle::State_Enabled | (c.keep ? QStyle::State_On : QStyle::State_Off);
    if (trashing_ || !c.verified) box.state &= ~QStyle::State_Enabled;
    style()->drawControl(QStyle::CE_CheckBox, &box, &p, viewport());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(box.rect.right(), box.rect.top(), r.right() - kPad - box.rect.right(), check_),
               Qt::AlignRight | Qt::AlignVCenter,
               reference ? tr("reference") : c.verified ? score(c) : tr("similar"));

    if (focused && hasFocus()) {
        QStyleOptionFocusRect f;
        f.initFrom(viewport());
        f.rect = r.adjusted(3, 3, -3, -3);
        style()->drawPrimitive(QStyle::PE_FrameFocusRect, &f, &p, viewport());
    }
}

}  // namespace rv::ui
