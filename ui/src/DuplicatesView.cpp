#include "DuplicatesView.h"

#include <QAbstractScrollArea>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QStyleOptionButton>
#include <QToolTip>
#include <QtConcurrent>

#include <algorithm>

#include "FileActions.h"
#include "ThumbnailSource.h"

namespace rv::ui {

namespace {

// English singular and plural without a translation file; both forms go through tr().
QString fileCount(int n) { return n == 1 ? DuplicatesView::tr("1 file") : DuplicatesView::tr("%1 files").arg(n); }
QString groupCountText(int n) {
    return n == 1 ? DuplicatesView::tr("1 group") : DuplicatesView::tr("%1 groups").arg(n);
}
QString sizeText(qint64 bytes) { return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }

// Index of the best of `n` items by (pixels, bytes), the first on ties.
template <class Key>
int bestIndex(int n, Key key) {
    int best = -1;
    std::pair<qint64, qint64> bestKey{-1, -1};
    for (int i = 0; i < n; ++i) {
        const auto k = key(i);
        if (k > bestKey) {
            best = i;
            bestKey = k;
        }
    }
    return best;
}

}  // namespace

// The cards, painted. Geometry is in viewport coordinates; content y = viewport y + scroll.
// Reads and changes the view's groups through the view (a friend), never owns data.
class DuplicatesView::Canvas : public QAbstractScrollArea {
public:
    explicit Canvas(DuplicatesView* view) : QAbstractScrollArea(view), view_(view) {
        setFocusPolicy(Qt::StrongFocus);
        setFrameShape(QFrame::NoFrame);
        // Always on: a bar that comes and goes would change the cards per line, and the height.
        setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        viewport()->setBackgroundRole(QPalette::Window);
    }

    void reset() {
        focus_ = {};
        verticalScrollBar()->setValue(0);
        relayout();
    }

    // After the groups or the width changed.
    void relayout() {
        const QFontMetrics fm(font());
        line_ = fm.height();
        check_ = std::max(line_, style()->pixelMetric(QStyle::PM_IndicatorHeight, nullptr, this));
        cardW_ = kThumbSide + 2 * kPad;
        cardH_ = kPad + kThumbSide + kPad / 2 + 3 * line_ + check_ + kPad;
        headerH_ = line_ + 10;
        perLine_ = std::max(1, (viewport()->width() - 2 * kMargin + kSpacing) / (cardW_ + kSpacing));
        groupTop_.resize(view_->groups_.size());
        int y = kMargin;
        for (std::size_t g = 0; g < view_->groups_.size(); ++g) {
            groupTop_[g] = y;
            y += groupHeight(int(g));
        }
        contentH_ = y + kMargin;
        verticalScrollBar()->setRange(0, std::max(0, contentH_ - viewport()->height()));
        verticalScrollBar()->setPageStep(viewport()->height());
        verticalScrollBar()->setSingleStep(cardH_ / 4);
        if (focus_.group >= int(view_->groups_.size()) ||
            (focus_.group >= 0 && focus_.card >= int(view_->groups_[focus_.group].cards.size())))
            focus_ = {};
        viewport()->update();
    }

    QRect cardRect(int g, int c) const {
        const int x = kMargin + (c % perLine_) * (cardW_ + kSpacing);
        const int y = groupTop_[g] + headerH_ + (c / perLine_) * (cardH_ + kSpacing) - verticalScrollBar()->value();
        return {x, y, cardW_, cardH_};
    }
    QRect keepBoxRect(const QRect& card) const {
        return {card.left() + kPad, card.bottom() - kPad - check_ + 1, (card.width() - 2 * kPad) * 3 / 5, check_};
    }

    void updateCard(int g, int c) { viewport()->update(cardRect(g, c)); }

protected:
    void resizeEvent(QResizeEvent* event) override {
        QAbstractScrollArea::resizeEvent(event);
        relayout();
    }
    void changeEvent(QEvent* event) override {
        QAbstractScrollArea::changeEvent(event);
        if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) relayout();
    }
    void scrollContentsBy(int, int) override { viewport()->update(); }

    void paintEvent(QPaintEvent* event) override {
        QPainter p(viewport());
        const auto& groups = view_->groups_;
        if (groups.empty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(viewport()->rect(), Qt::AlignCenter, DuplicatesView::tr("No near-duplicates to show."));
            return;
        }
        const int top = verticalScrollBar()->value() + event->rect().top();
        const int bottom = verticalScrollBar()->value() + event->rect().bottom();
        auto first = std::upper_bound(groupTop_.begin(), groupTop_.end(), top);
        for (int g = std::max(0, int(first - groupTop_.begin()) - 1); g < int(groups.size()) && groupTop_[g] <= bottom; ++g) {
            const int y = groupTop_[g] - verticalScrollBar()->value();
            if (g > 0) {
                p.setPen(palette().color(QPalette::Mid));
                p.drawLine(kMargin, y - kGroupGap / 2, viewport()->width() - kMargin, y - kGroupGap / 2);
            }
            const auto& cards = groups[g].cards;
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(kMargin, y, viewport()->width() - 2 * kMargin, headerH_), Qt::AlignLeft | Qt::AlignVCenter,
                       DuplicatesView::tr("Group %1 · %2").arg(g + 1).arg(fileCount(int(cards.size()))));
            for (int c = 0; c < int(cards.size()); ++c) {
                const QRect r = cardRect(g, c);
                if (r.intersects(event->rect())) paintCard(p, cards[c], r, c == 0, focus_.group == g && focus_.card == c);
            }
        }
    }

    void mousePressEvent(QMouseEvent* event) override {
        const Where w = cardAt(event->position().toPoint());
        if (w.group < 0 || event->button() != Qt::LeftButton) return;
        const bool onBox = keepBoxRect(cardRect(w.group, w.card)).contains(event->position().toPoint());
        setFocusCard(w);  // may scroll the card into view
        if (onBox) toggle(w);
    }
    void mouseDoubleClickEvent(QMouseEvent* event) override {
        const Where w = cardAt(event->position().toPoint());
        if (w.group < 0 || event->button() != Qt::LeftButton) return;
        const bool onBox = keepBoxRect(cardRect(w.group, w.card)).contains(event->position().toPoint());
        setFocusCard(w);
        if (onBox)
            toggle(w);  // a quick second click on the box
        else
            emit view_->previewRequested(view_->groups_[w.group].cards[w.card].path);
    }

    void keyPressEvent(QKeyEvent* event) override {
        const auto& groups = view_->groups_;
        if (groups.empty()) return QAbstractScrollArea::keyPressEvent(event);
        Where w = focus_.group < 0 ? Where{0, 0} : focus_;
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
            if (focus_.group >= 0) emit view_->previewRequested(groups[focus_.group].cards[focus_.card].path);
            return;
        default:
            return QAbstractScrollArea::keyPressEvent(event);
        }
        setFocusCard(w);
    }

    bool viewportEvent(QEvent* event) override {
        if (event->type() != QEvent::ToolTip) return QAbstractScrollArea::viewportEvent(event);
        auto* help = static_cast<QHelpEvent*>(event);
        const Where w = cardAt(help->pos());
        if (w.group < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const Card& c = view_->groups_[w.group].cards[w.card];
        const QRect r = cardRect(w.group, w.card);
        QString text;
        if (keepBoxRect(r).contains(help->pos())) {
            text = DuplicatesView::tr("Checked: kept. Unchecked: moved to the Trash by “Move Unchecked to Trash…”.\n"
                                      "At least one file of each group stays checked.");
        } else {
            text = QDir::toNativeSeparators(c.path) + QLatin1Char('\n') + dimensions(c) + QStringLiteral(" · ") +
                   sizeText(c.bytes) +
                   (w.card == 0 ? DuplicatesView::tr("\nThe group's reference picture")
                                : DuplicatesView::tr("\nSimilarity to the group's first picture: %1").arg(score(c))) +
                   DuplicatesView::tr("\nDouble-click to preview");
        }
        QToolTip::showText(help->globalPos(), text, viewport(), r);
        return true;
    }

private:
    static constexpr int kMargin = 12, kSpacing = 10, kPad = 8, kGroupGap = 14;

    int groupHeight(int g) const {
        const int n = int(view_->groups_[g].cards.size());
        const int lines = (n + perLine_ - 1) / perLine_;
        return headerH_ + lines * cardH_ + (lines - 1) * kSpacing + kGroupGap;
    }

    Where cardAt(QPoint pos) const {
        const int y = pos.y() + verticalScrollBar()->value();
        const auto it = std::upper_bound(groupTop_.begin(), groupTop_.end(), y);
        if (it == groupTop_.begin()) return {};
        const int g = int(it - groupTop_.begin()) - 1;
        for (int c = 0; c < int(view_->groups_[g].cards.size()); ++c)
            if (cardRect(g, c).contains(pos)) return {g, c};
        return {};
    }

    void setFocusCard(Where w) {
        if (focus_.group >= 0) updateCard(focus_.group, focus_.card);
        focus_ = w;
        const QRect r = cardRect(w.group, w.card);
        if (r.top() < 0)
            verticalScrollBar()->setValue(verticalScrollBar()->value() + r.top() - kMargin);
        else if (r.bottom() > viewport()->height())
            verticalScrollBar()->setValue(verticalScrollBar()->value() + r.bottom() - viewport()->height() + kMargin);
        updateCard(w.group, w.card);
    }

    void toggle(Where w) {
        const Card& c = view_->groups_[w.group].cards[w.card];
        if (!view_->setKept(c.path, !c.keep)) {
            const QString why = view_->trashing_ ? DuplicatesView::tr("Files are being moved to the Trash.")
                                                 : DuplicatesView::tr("At least one file of each group is kept.");
            QToolTip::showText(viewport()->mapToGlobal(keepBoxRect(cardRect(w.group, w.card)).center()), why, viewport());
        }
    }

    static QString dimensions(const Card& c) {
        if (c.width <= 0 || c.height <= 0) return DuplicatesView::tr("size unknown");
        return QStringLiteral("%1×%2").arg(c.width).arg(c.height);
    }
    static QString score(const Card& c) { return QLocale().toString(double(c.score), 'f', 2); }

    void paintCard(QPainter& p, const Card& c, const QRect& r, bool reference, bool focused) {
        const QPalette& pal = palette();
        p.save();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(c.keep ? QPen(pal.color(QPalette::Highlight), 2) : QPen(pal.color(QPalette::Mid), 1));
        p.setBrush(pal.base());
        p.drawRoundedRect(QRectF(r).adjusted(1, 1, -1, -1), 4, 4);
        p.restore();

        const QRect thumb(r.left() + kPad, r.top() + kPad, kThumbSide, kThumbSide);
        const QPixmap pix = view_->thumbnails_ ? view_->thumbnails_->thumbnail(c.path, kThumbSide) : QPixmap();
        if (!pix.isNull()) {
            QSizeF size = pix.deviceIndependentSize();
            size.scale(size.boundedTo(QSizeF(thumb.size())), Qt::KeepAspectRatio);
            QRectF target(QPointF(), size);
            target.moveCenter(QRectF(thumb).center());
            p.save();
            p.setRenderHint(QPainter::SmoothPixmapTransform, true);
            p.drawPixmap(target, pix, QRectF(pix.rect()));
            p.restore();
        } else {
            const bool failed = view_->thumbnails_ && view_->thumbnails_->failed(c.path);
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(thumb, Qt::AlignCenter, failed ? DuplicatesView::tr("No preview") : DuplicatesView::tr("Loading…"));
        }
        if (!c.keep) {  // dimmed: this one goes to the trash
            QColor veil = pal.color(QPalette::Base);
            veil.setAlpha(150);
            p.fillRect(thumb, veil);
        }

        const int w = r.width() - 2 * kPad;
        int y = thumb.bottom() + 1 + kPad / 2;
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
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
        box.text = DuplicatesView::tr("Keep");
        box.state = QStyle::State_Enabled | (c.keep ? QStyle::State_On : QStyle::State_Off);
        if (view_->trashing_) box.state &= ~QStyle::State_Enabled;
        style()->drawControl(QStyle::CE_CheckBox, &box, &p, viewport());
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(box.rect.right(), box.rect.top(), r.right() - kPad - box.rect.right(), check_),
                   Qt::AlignRight | Qt::AlignVCenter, reference ? DuplicatesView::tr("reference") : score(c));

        if (focused && hasFocus()) {
            QStyleOptionFocusRect f;
            f.initFrom(viewport());
            f.rect = r.adjusted(3, 3, -3, -3);
            style()->drawPrimitive(QStyle::PE_FrameFocusRect, &f, &p, viewport());
        }
    }

    DuplicatesView* view_;
    std::vector<int> groupTop_;  // content y of each group's top
    Where focus_;
    int contentH_ = 0, perLine_ = 1, line_ = 16, check_ = 16, cardW_ = 0, cardH_ = 0, headerH_ = 0;
};

int suggestedKeepIndex(const std::vector<rv::DuplicateMember>& members) {
    return bestIndex(int(members.size()), [&](int i) {
        const auto& m = members[i];
        return std::pair<qint64, qint64>{qint64(m.width) * m.height, m.size};
    });
}

int DuplicatesView::suggestedCard(const std::vector<Card>& cards) {
    return bestIndex(int(cards.size()), [&](int i) {
        const auto& c = cards[i];
        return std::pair<qint64, qint64>{qint64(c.width) * c.height, c.bytes};
    });
}

DuplicatesView::DuplicatesView(ThumbnailSource* thumbnails, QWidget* parent)
    : QWidget(parent), thumbnails_(thumbnails) {
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setTextFormat(Qt::PlainText);
    suggestButton_ = new QPushButton(tr("Keep Suggested"), this);
    suggestButton_->setObjectName(QStringLiteral("suggestButton"));
    suggestButton_->setToolTip(tr("In every group, keep only the file with the most pixels (then the largest file)"));
    trashButton_ = new QPushButton(tr("Move Unchecked to Trash…"), this);
    trashButton_->setObjectName(QStringLiteral("trashButton"));
    trashButton_->setToolTip(tr("Move every file whose Keep box is unchecked to the desktop Trash, "
                                "after confirming. Files can be restored from the Trash."));
    canvas_ = new Canvas(this);

    auto* header = new QHBoxLayout;
    header->addWidget(summary_, 1);
    header->addWidget(suggestButton_);
    header->addWidget(trashButton_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(canvas_, 1);
    header->setContentsMargins(8, 6, 8, 0);

    connect(suggestButton_, &QPushButton::clicked, this, &DuplicatesView::keepSuggested);
    connect(trashButton_, &QPushButton::clicked, this, &DuplicatesView::trashUnchecked);
    if (thumbnails)
        connect(thumbnails, &ThumbnailSource::thumbnailReady, canvas_, [this](const QString& path) {
            const Where w = find(path);
            if (w.group >= 0) canvas_->updateCard(w.group, w.card);
        });

    confirmer_ = [this](int count, qint64 bytes) {
        const QString text = tr("Move the unchecked %1 (%2) to the Trash?").arg(fileCount(count), sizeText(bytes));
        return QMessageBox::question(this, tr("Move to Trash"), text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Yes;
    };
    reporter_ = [this](const QList<QPair<QString, QString>>& failed) { showFailures(failed); };
    updateHeader();
}

DuplicatesView::~DuplicatesView() = default;

void DuplicatesView::setGroups(const std::vector<rv::DuplicateGroup>& groups) {
    groups_.clear();
    groups_.reserve(groups.size());
    for (const rv::DuplicateGroup& g : groups) {
        if (g.members.size() < 2) continue;
        Group group;
        group.cards.reserve(g.members.size());
        for (const rv::DuplicateMember& m : g.members) {
            Card c;
            c.path = QFile::decodeName(QByteArray::fromStdString(m.path));
            const QFileInfo info(c.path);  // string work only: no disk access
            c.name = info.fileName();
            c.folder = QDir::toNativeSeparators(info.path());
            c.bytes = m.size;
            c.width = m.width;
            c.height = m.height;
            c.score = m.score;
            group.cards.push_back(std::move(c));
        }
        group.cards[suggestedKeepIndex(g.members)].keep = true;
        groups_.push_back(std::move(group));
    }
    rebuildIndex();
    canvas_->reset();
    updateHeader();
}

QStringList DuplicatesView::groupPaths(int group) const {
    QStringList out;
    if (group < 0 || group >= groupCount()) return out;
    for (const Card& c : groups_[group].cards) out.append(c.path);
    return out;
}

DuplicatesView::Where DuplicatesView::find(const QString& path) const { return where_.value(path); }

void DuplicatesView::rebuildIndex() {
    where_.clear();
    for (int g = 0; g < groupCount(); ++g)
        for (int c = 0; c < int(groups_[g].cards.size()); ++c) where_.insert(groups_[g].cards[c].path, {g, c});
}

bool DuplicatesView::isKept(const QString& path) const {
    const Where w = find(path);
    return w.group >= 0 && groups_[w.group].cards[w.card].keep;
}

bool DuplicatesView::setKept(const QString& path, bool keep) {
    const Where w = find(path);
    if (w.group < 0 || trashing_) return false;
    auto& cards = groups_[w.group].cards;
    if (cards[w.card].keep == keep) return true;
    if (!keep && std::count_if(cards.begin(), cards.end(), [](const Card& c) { return c.keep; }) <= 1) return false;
    cards[w.card].keep = keep;
    canvas_->updateCard(w.group, w.card);
    updateHeader();
    emit keepChanged(path, keep);
    return true;
}

void DuplicatesView::keepSuggested() {
    if (trashing_) return;
    for (Group& g : groups_) {
        const int best = suggestedCard(g.cards);
        for (int i = 0; i < int(g.cards.size()); ++i) g.cards[i].keep = i == best;
    }
    canvas_->viewport()->update();
    updateHeader();
}

QStringList DuplicatesView::uncheckedPaths() const {
    QStringList out;
    for (const Group& g : groups_) {
        // The invariant makes this always true; checked again because trashing cannot be undone here.
        if (std::none_of(g.cards.begin(), g.cards.end(), [](const Card& c) { return c.keep; })) continue;
        for (const Card& c : g.cards)
            if (!c.keep) out.append(c.path);
    }
    return out;
}

qint64 DuplicatesView::uncheckedBytes() const {
    qint64 total = 0;
    for (const Group& g : groups_)
        for (const Card& c : g.cards)
            if (!c.keep) total += c.bytes;
    return total;
}

void DuplicatesView::updateHeader() {
    const QStringList unchecked = uncheckedPaths();
    if (groups_.empty()) {
        summary_->setText(tr("No near-duplicate groups."));
    } else {
        summary_->setText(tr("%1 of near-duplicates · %2 unchecked (%3)")
                              .arg(groupCountText(groupCount()), fileCount(int(unchecked.size())),
                                   sizeText(uncheckedBytes())));
    }
    trashButton_->setEnabled(!trashing_ && !unchecked.isEmpty());
    trashButton_->setText(trashing_ ? tr("Moving to Trash…") : tr("Move Unchecked to Trash…"));
    suggestButton_->setEnabled(!trashing_ && !groups_.empty());
}

void DuplicatesView::trashUnchecked() {
    if (trashing_) return;
    const QStringList paths = uncheckedPaths();
    if (paths.isEmpty() || !confirmer_ || !confirmer_(int(paths.size()), uncheckedBytes())) return;
    trashing_ = true;
    updateHeader();
    auto* watcher = new QFutureWatcher<TrashResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        trashing_ = false;
        applyTrashResult(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&moveToTrash, paths));
}

void DuplicatesView::applyTrashResult(const TrashResult& result) {
    const QSet<QString> gone(result.trashed.begin(), result.trashed.end());
    std::vector<Group> left;
    left.reserve(groups_.size());
    for (Group& g : groups_) {
        std::erase_if(g.cards, [&](const Card& c) { return gone.contains(c.path); });
        if (g.cards.size() < 2) continue;  // nothing left to choose between
        if (std::none_of(g.cards.begin(), g.cards.end(), [](const Card& c) { return c.keep; }))
            g.cards[suggestedCard(g.cards)].keep = true;
        left.push_back(std::move(g));
    }
    groups_ = std::move(left);
    rebuildIndex();
    canvas_->relayout();
    updateHeader();
    if (!result.failed.isEmpty() && reporter_) reporter_(result.failed);
    if (!result.trashed.isEmpty()) emit filesTrashed(result.trashed);
    emit trashFinished(int(result.trashed.size()), int(result.failed.size()));
}

void DuplicatesView::showFailures(const QList<QPair<QString, QString>>& failed) {
    constexpr int kListed = 10;
    QStringList lines, all;
    for (const auto& [path, reason] : failed) {
        const QString line = QStringLiteral("%1 — %2").arg(QDir::toNativeSeparators(path), reason);
        if (lines.size() < kListed) lines.append(line);
        all.append(line);
    }
    QString text = tr("%1 could not be moved to the Trash and stayed in place:").arg(fileCount(int(failed.size()))) +
                   QStringLiteral("\n\n") + lines.join(QLatin1Char('\n'));
    if (failed.size() > kListed) text += QLatin1Char('\n') + tr("…and %1 more.").arg(failed.size() - kListed);
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Move to Trash"), text, QMessageBox::Ok, this);
    box->setDetailedText(all.join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // window-modal, does not block
}

QWidget* DuplicatesView::cardArea() const { return canvas_->viewport(); }

QRect DuplicatesView::cardRect(const QString& path) const {
    const Where w = find(path);
    return w.group < 0 ? QRect() : canvas_->cardRect(w.group, w.card);
}

QRect DuplicatesView::keepBoxRect(const QString& path) const {
    const Where w = find(path);
    return w.group < 0 ? QRect() : canvas_->keepBoxRect(canvas_->cardRect(w.group, w.card));
}

}  // namespace rv::ui
