// DuplicatesView's "Not a duplicate" (DuplicatesView.h): the verdict's pairs, and the groups
// updated in place.
#include "DuplicatesView.h"

#include <QAction>
#include <QHBoxLayout>
#include <QMenu>
#include <QPushButton>

namespace rv::ui {

void DuplicatesView::setUpNotDuplicate(QHBoxLayout* header) {
    notDuplicateAction_ = new QAction(tr("Not a Duplicate"), this);
    notDuplicateAction_->setShortcut(Qt::Key_N);
    notDuplicateAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    notDuplicateAction_->setToolTip(tr("The selected picture is not the same picture as its group's first one: it "
                                       "leaves the group, and RuVision learns from it (N)"));
    addAction(notDuplicateAction_);
    connect(notDuplicateAction_, &QAction::triggered, this, [this] { markNotDuplicate(currentPath()); });
    notDuplicateButton_ = new QPushButton(tr("Not a Duplicate"), this);
    notDuplicateButton_->setObjectName(QStringLiteral("notDuplicateButton"));
    notDuplicateButton_->setToolTip(notDuplicateAction_->toolTip() + tr("; click a card first"));
    connect(notDuplicateButton_, &QPushButton::clicked, notDuplicateAction_, &QAction::trigger);
    header->insertWidget(1, notDuplicateButton_);
    connect(cards_, &DuplicateCards::contextMenuRequestedFor, this, &DuplicatesView::showCardMenu);
    connect(cards_, &DuplicateCards::currentPathChanged, this, [this] { updateHeader(); });  // the button follows the focus
}

void DuplicatesView::showCardMenu(const QString& path, const QPoint& globalPos) {
    const Where w = find(path);
    if (w.group < 0) return;
    QMenu menu(this);
    QAction* one = menu.addAction(w.card == 0 ? tr("Not a Duplicate of the Others") : tr("Not a Duplicate"));
    one->setShortcut(notDuplicateAction_->shortcut());
    QAction* all = menu.addAction(tr("None of This Group Are Duplicates"));
    menu.addSeparator();
    QAction* preview = menu.addAction(tr("Preview"));
    for (QAction* a : {one, all}) a->setEnabled(!trashing_);
    QAction* chosen = menu.exec(globalPos);
    if (chosen == one) markNotDuplicate(path);
    else if (chosen == all) markGroupNotDuplicates(path);
    else if (chosen == preview) emit previewRequested(path);
}

bool DuplicatesView::markNotDuplicate(const QString& path) {
    const Where w = find(path);
    if (w.group < 0 || trashing_) return false;
    if (w.card == 0) return markGroupNotDuplicates(path);  // the reference: against every other card
    separate(w.group, {w.card});
    return true;
}

bool DuplicatesView::markGroupNotDuplicates(const QString& path) {
    const Where w = find(path);
    if (w.group < 0 || trashing_) return false;
    QList<int> cards;
    for (int c = 1; c < int(groups_[w.group].cards.size()); ++c) cards << c;
    separate(w.group, cards);
    return true;
}

void DuplicatesView::separate(int g, const QList<int>& cards) {
    Group& group = groups_[g];
    const QString reference = group.cards[0].path;
    QList<QPair<QString, QString>> pairs;
    for (int c : cards) {
        pairs.append({group.cards[c].path, reference});
        separated_.insert(pairKey(group.cards[c].path, reference));
    }
    for (auto it = cards.rbegin(); it != cards.rend(); ++it) group.cards.erase(group.cards.begin() + *it);
    if (group.cards.size() < 2) groups_.erase(groups_.begin() + g);
    else enforceKeepRules(group);
    beforeTrash_.clear();  // an undo of an earlier trash brings its files back, not these cards
    rebuildIndex();
    cards_->relayout();
    updateHeader();
    emit notDuplicate(pairs);
}

QString DuplicatesView::pairKey(const QString& a, const QString& b) {
    return a < b ? a + QChar(0) + b : b + QChar(0) + a;
}

void DuplicatesView::dropSeparated() {
    // The engine does not read these verdicts when it groups (until "same picture" marks exist):
    // a recomputation after a library change would otherwise bring a separated card back.
    if (separated_.isEmpty()) return;
    for (Group& group : groups_) {
        const QString reference = group.cards.front().path;
        const auto before = group.cards.size();
        std::erase_if(group.cards, [&](const Card& c) { return separated_.contains(pairKey(c.path, reference)); });
        if (group.cards.size() != before && group.cards.size() >= 2) enforceKeepRules(group);
    }
    std::erase_if(groups_, [](const Group& g) { return g.cards.size() < 2; });
}

}  // namespace rv::ui
