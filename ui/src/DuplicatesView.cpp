#include "DuplicatesView.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QtConcurrent>

#include <algorithm>

#include "FileActions.h"
#include "ThumbnailSource.h"

namespace rv::ui {

namespace {

// Wording shared with the cards.
QString fileCount(int n) { return DuplicateCards::fileCountText(n); }
QString sizeText(qint64 bytes) { return DuplicateCards::sizeText(bytes); }
// English singular and plural without a translation file; both forms go through tr().
QString groupCountText(int n) {
    return n == 1 ? DuplicatesView::tr("1 group") : DuplicatesView::tr("%1 groups").arg(n);
}

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
    : QWidget(parent) {
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
    cards_ = new DuplicateCards(groups_, thumbnails, this);
    cards_->setKeepSetter([this](const QString& path, bool keep) { return setKept(path, keep); });
    connect(cards_, &DuplicateCards::previewRequested, this, &DuplicatesView::previewRequested);

    auto* header = new QHBoxLayout;
    header->addWidget(summary_, 1);
    header->addWidget(suggestButton_);
    header->addWidget(trashButton_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(cards_, 1);
    header->setContentsMargins(8, 6, 8, 0);

    connect(suggestButton_, &QPushButton::clicked, this, &DuplicatesView::keepSuggested);
    connect(trashButton_, &QPushButton::clicked, this, &DuplicatesView::trashUnchecked);
    if (thumbnails)
        connect(thumbnails, &ThumbnailSource::thumbnailReady, cards_, [this](const QString& path) {
            const Where w = find(path);
            if (w.group >= 0) cards_->updateCard(w.group, w.card);
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
    cards_->reset();
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
    cards_->updateCard(w.group, w.card);
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
    cards_->viewport()->update();
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
    cards_->setTrashing(true);
    updateHeader();
    auto* watcher = new QFutureWatcher<TrashResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        trashing_ = false;
        cards_->setTrashing(false);
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
    cards_->relayout();
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

QWidget* DuplicatesView::cardArea() const { return cards_->viewport(); }

QRect DuplicatesView::cardRect(const QString& path) const {
    const Where w = find(path);
    return w.group < 0 ? QRect() : cards_->cardRect(w.group, w.card);
}

QRect DuplicatesView::keepBoxRect(const QString& path) const {
    const Where w = find(path);
    return w.group < 0 ? QRect() : cards_->keepBoxRect(cards_->cardRect(w.group, w.card));
}

}  // namespace rv::ui
