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
#include <QShortcut>
#include <QtConcurrent>

#include <algorithm>

#include "FileActions.h"
#include "ruvision/engine/KeepSuggestion.h"
#include "ThumbnailSource.h"

namespace rv::ui {

namespace {

// Wording shared with the cards.
QString fileCount(int n) { return DuplicateCards::fileCountText(n); }
QString sizeText(qint64 bytes) { return DuplicateCards::sizeText(bytes); }
// One plural message: each language says how many forms it has (English's in ruvision_en.ts).
QString groupCountText(int n) {
    return DuplicatesView::tr("%n group(s)", nullptr, n);
}

}  // namespace

int suggestedKeepIndex(const std::vector<rv::DuplicateMember>& members) { return rv::suggest_keep(members).index; }

QString keepReasonText(unsigned reasons) {
    const std::pair<unsigned, QString> text[] = {
        {rv::kKeepMorePixels, DuplicatesView::tr("most pixels")},
        {rv::kKeepUpright, DuplicatesView::tr("not turned")},
        {rv::kKeepLargerFile, DuplicatesView::tr("largest file")},
        {rv::kKeepOlder, DuplicatesView::tr("oldest file")},
        {rv::kKeepPlainName, DuplicatesView::tr("name without a copy mark")},
        {rv::kKeepFirst, DuplicatesView::tr("the first of equal files")}};
    QStringList parts;
    for (const auto& t : text)
        if (reasons & t.first) parts.append(t.second);
    return parts.join(DuplicatesView::tr(", "));
}

void DuplicatesView::suggest(Group& group) {
    std::vector<rv::DuplicateMember> members;
    members.reserve(group.cards.size());
    for (const Card& c : group.cards) {
        rv::DuplicateMember m;
        m.path = QFile::encodeName(c.path).toStdString();
        m.size = c.bytes;
        m.width = c.width;
        m.height = c.height;
        m.verified = c.verified;
        m.orientation = c.orientation;
        m.mtime_ns = c.mtimeNs;
        members.push_back(std::move(m));
    }
    const rv::KeepSuggestion s = rv::suggest_keep(members);
    group.suggested = s.index;
    group.keepReason = s.index < 0 ? QString() : keepReasonText(s.reasons);
}

// Unverified cards are kept; if no verified card is, the suggested one is.
// The suggestion is made again (cards may have left the group).
void DuplicatesView::enforceKeepRules(Group& group) {
    suggest(group);
    for (Card& c : group.cards)
        if (!c.verified) c.keep = true;
    if (std::none_of(group.cards.begin(), group.cards.end(), [](const Card& c) { return c.verified && c.keep; }))
        if (group.suggested >= 0) group.cards[group.suggested].keep = true;
}

QString DuplicatesView::confirmationText(const QStringList& paths, qint64 bytes) {
    constexpr int kListed = 20;
    QStringList lines;
    for (int i = 0; i < paths.size() && i < kListed; ++i) lines.append(QDir::toNativeSeparators(paths[i]));
    QString text = tr("Move these %1 (%2) to the Trash?").arg(fileCount(int(paths.size())), sizeText(bytes)) +
                   QStringLiteral("\n\n") + lines.join(QLatin1Char('\n'));
    if (paths.size() > kListed) text += QLatin1Char('\n') + tr("…and %1 more (see Details).").arg(paths.size() - kListed);
    text += QStringLiteral("\n\n") + tr("Each was verified on its pixels to be the same picture as a file that stays. "
                                         "Undo Trash (Ctrl+Z) brings them back.");
    return text;
}

DuplicatesView::DuplicatesView(ThumbnailSource* thumbnails, QWidget* parent)
    : QWidget(parent) {
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setTextFormat(Qt::PlainText);
    suggestButton_ = new QPushButton(tr("Keep Suggested"), this);
    suggestButton_->setObjectName(QStringLiteral("suggestButton"));
    suggestButton_->setToolTip(tr("In every group, keep only the suggested file: the most pixels; on equal pixels the one "
                                  "not turned, then the clearly larger file, the oldest, a name without a copy mark"));
    trashButton_ = new QPushButton(tr("Move Unchecked to Trash…"), this);
    trashButton_->setObjectName(QStringLiteral("trashButton"));
    trashButton_->setToolTip(tr("Move every file whose Keep box is unchecked to the desktop Trash, "
                                "after confirming. Files can be restored from the Trash."));
    undoButton_ = new QPushButton(tr("Undo Trash"), this);
    undoButton_->setObjectName(QStringLiteral("undoButton"));
    undoButton_->setToolTip(tr("Move the files of the last trash back to where they were (%1)")
                                .arg(QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)));
    auto* undoShortcut = new QShortcut(QKeySequence::Undo, this);
    undoShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(undoShortcut, &QShortcut::activated, this, &DuplicatesView::undoTrash);
    cards_ = new DuplicateCards(groups_, thumbnails, this);
    cards_->setKeepSetter([this](const QString& path, bool keep) { return setKept(path, keep); });
    connect(cards_, &DuplicateCards::previewRequested, this, &DuplicatesView::previewRequested);
    connect(cards_, &DuplicateCards::currentPathChanged, this, &DuplicatesView::currentPathChanged);

    auto* header = new QHBoxLayout;
    header->addWidget(summary_, 1);
    header->addWidget(suggestButton_);
    header->addWidget(trashButton_);
    header->addWidget(undoButton_);
    setUpNotDuplicate(header);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(cards_, 1);
    header->setContentsMargins(8, 6, 8, 0);

    connect(suggestButton_, &QPushButton::clicked, this, &DuplicatesView::keepSuggested);
    connect(trashButton_, &QPushButton::clicked, this, &DuplicatesView::trashUnchecked);
    connect(undoButton_, &QPushButton::clicked, this, &DuplicatesView::undoTrash);
    if (thumbnails)
        connect(thumbnails, &ThumbnailSource::thumbnailReady, cards_, [this](const QString& path) {
            const Where w = find(path);
            if (w.group >= 0) cards_->updateCard(w.group, w.card);
        });

    confirmer_ = [this](const QStringList& paths, qint64 bytes) {
        QMessageBox box(QMessageBox::Question, tr("Move to Trash"), confirmationText(paths, bytes),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setDefaultButton(QMessageBox::Cancel);
        QStringList all;
        for (const QString& p : paths) all.append(QDir::toNativeSeparators(p));
        box.setDetailedText(all.join(QLatin1Char('\n')));
        return box.exec() == QMessageBox::Yes;
    };
    reporter_ = [this](const QList<QPair<QString, QString>>& failed) { showFailures(failed); };
    updateHeader();
}

DuplicatesView::~DuplicatesView() = default;

void DuplicatesView::setGroups(const std::vector<rv::DuplicateGroup>& groups, bool keepChoices) {
    // The person's choices, by the sorted paths of their group.
    QHash<QString, QHash<QString, bool>> choices;
    if (keepChoices)
        for (const Group& g : groups_) {
            QStringList paths;
            QHash<QString, bool> keep;
            for (const Card& c : g.cards) paths.append(c.path), keep.insert(c.path, c.keep);
            paths.sort();
            choices.insert(paths.join(QChar(0)), keep);
        }
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
            c.verified = m.verified;
            c.note = QString::fromStdString(m.pixel_note);
            c.orientation = m.orientation;
            c.mtimeNs = m.mtime_ns;
            group.cards.push_back(std::move(c));
        }
        suggest(group);
        QStringList paths;
        for (const Card& c : group.cards) paths.append(c.path);
        paths.sort();
        const auto before = choices.constFind(paths.join(QChar(0)));
        for (int i = 0; i < int(group.cards.size()); ++i)
            group.cards[i].keep = before != choices.constEnd() ? before->value(group.cards[i].path)
                                                                : i == group.suggested || !group.cards[i].verified;
        enforceKeepRules(group);
        groups_.push_back(std::move(group));
    }
    beforeTrash_.clear();  // an undo brings files back but no longer these cards
    dropSeparated();
    rebuildIndex();
    if (keepChoices) cards_->relayout();
    else cards_->reset();
    updateHeader();
}

QString DuplicatesView::suggestedPath(int group) const {
    if (group < 0 || group >= groupCount() || groups_[group].suggested < 0) return {};
    return groups_[group].cards[groups_[group].suggested].path;
}

QString DuplicatesView::keepReason(int group) const {
    return group < 0 || group >= groupCount() ? QString() : groups_[group].keepReason;
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
    if (!keep && !cards[w.card].verified) return false;
    if (!keep && std::count_if(cards.begin(), cards.end(), [](const Card& c) { return c.verified && c.keep; }) <= 1)
        return false;
    cards[w.card].keep = keep;
    cards_->updateCard(w.group, w.card);
    updateHeader();
    emit keepChanged(path, keep);
    return true;
}

void DuplicatesView::keepSuggested() {
    if (trashing_) return;
    for (Group& g : groups_) {
        suggest(g);
        for (int i = 0; i < int(g.cards.size()); ++i) g.cards[i].keep = i == g.suggested || !g.cards[i].verified;
    }
    cards_->viewport()->update();
    updateHeader();
}

QStringList DuplicatesView::uncheckedPaths() const {
    QStringList out;
    for (const Group& g : groups_) {
        // The invariants make these checks redundant; checked again because the trash is about trust.
        if (std::none_of(g.cards.begin(), g.cards.end(), [](const Card& c) { return c.verified && c.keep; })) continue;
        for (const Card& c : g.cards)
            if (!c.keep && c.verified) out.append(c.path);
    }
    return out;
}

qint64 DuplicatesView::uncheckedBytes() const {
    qint64 total = 0;
    const QStringList unchecked = uncheckedPaths();
    const QSet<QString> counted(unchecked.begin(), unchecked.end());
    for (const Group& g : groups_)
        for (const Card& c : g.cards)
            if (counted.contains(c.path)) total += c.bytes;
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
    undoButton_->setEnabled(!trashing_ && !lastTrash_.isEmpty());
    if (notDuplicateButton_) notDuplicateButton_->setEnabled(!trashing_ && find(currentPath()).group >= 0);
}

bool DuplicatesView::isVerified(const QString& path) const {
    const Where w = find(path);
    return w.group >= 0 && groups_[w.group].cards[w.card].verified;
}

QStringList DuplicatesView::undoablePaths() const {
    QStringList out;
    for (const auto& item : lastTrash_) out.append(item.first);
    return out;
}

void DuplicatesView::setBusy(bool busy) {
    trashing_ = busy;
    cards_->setTrashing(busy);
    updateHeader();
}

void DuplicatesView::trashUnchecked() {
    if (trashing_) return;
    const QStringList paths = uncheckedPaths();
    if (paths.isEmpty() || !confirmer_ || !confirmer_(paths, uncheckedBytes())) return;
    setBusy(true);
    beforeTrash_ = groups_;
    auto* watcher = new QFutureWatcher<TrashResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        setBusy(false);
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
        enforceKeepRules(g);
        left.push_back(std::move(g));
    }
    groups_ = std::move(left);
    lastTrash_.clear();
    for (int i = 0; i < result.trashed.size() && i < result.trashedTo.size(); ++i)
        lastTrash_.append({result.trashed[i], result.trashedTo[i]});
    if (lastTrash_.isEmpty()) beforeTrash_.clear();
    rebuildIndex();
    cards_->relayout();
    updateHeader();
    if (!result.failed.isEmpty() && reporter_) reporter_(result.failed);
    if (!result.trashed.isEmpty()) emit filesTrashed(result.trashed);
    emit trashFinished(int(result.trashed.size()), int(result.failed.size()));
}

void DuplicatesView::undoTrash() {
    if (trashing_ || lastTrash_.isEmpty()) return;
    setBusy(true);
    auto* watcher = new QFutureWatcher<RestoreResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        setBusy(false);
        applyRestoreResult(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&restoreFromTrash, lastTrash_));
}

void DuplicatesView::applyRestoreResult(const RestoreResult& result) {
    const QSet<QString> back(result.restored.begin(), result.restored.end());
    QSet<QString> stillTrashed;
    QList<QPair<QString, QString>> left;  // files that stay in the trash: a second undo may retry
    for (const auto& item : lastTrash_)
        if (!back.contains(item.first)) {
            stillTrashed.insert(item.first);
            left.append(item);
        }
    lastTrash_ = left;
    if (!beforeTrash_.empty() && !back.isEmpty()) {
        // The cards as they were before that trash, less the files still in the trash.
        std::vector<Group> restored;
        for (Group& g : beforeTrash_) {
            std::erase_if(g.cards, [&](const Card& c) { return stillTrashed.contains(c.path); });
            if (g.cards.size() < 2) continue;
            enforceKeepRules(g);
            restored.push_back(std::move(g));
        }
        groups_ = std::move(restored);
        rebuildIndex();
        cards_->relayout();
    }
    if (lastTrash_.isEmpty()) beforeTrash_.clear();
    updateHeader();
    if (!result.failed.isEmpty() && reporter_) {
        reportingUndo_ = true;
        reporter_(result.failed);
        reportingUndo_ = false;
    }
    if (!result.restored.isEmpty()) emit filesRestored(result.restored);
    emit undoFinished(int(result.restored.size()), int(result.failed.size()));
}

void DuplicatesView::showFailures(const QList<QPair<QString, QString>>& failed) {
    constexpr int kListed = 10;
    QStringList lines, all;
    for (const auto& [path, reason] : failed) {
        const QString line = QStringLiteral("%1 — %2").arg(QDir::toNativeSeparators(path), reason);
        if (lines.size() < kListed) lines.append(line);
        all.append(line);
    }
    const QString heading = reportingUndo_ ? tr("%1 could not be brought back from the Trash:")
                                           : tr("%1 could not be moved to the Trash and stayed in place:");
    QString text = heading.arg(fileCount(int(failed.size()))) +
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
