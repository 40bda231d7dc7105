// Groups of near-duplicate pictures shown side by side as cards, each with a "Keep" box, a button
// that moves the unchecked files to the trash and one that brings the last trashed files back.
//
// Trust: only a card whose pixels were verified to be the same picture as its group's reference
// (rv::DuplicateMember::verified; the reference itself) can be unchecked; an unverified card is
// shown "similar, not verified", stays checked and is never trashed. The confirmation lists the
// files (paths). "Undo Trash" (Ctrl+Z) restores the last trashed files from the freedesktop trash
// to their paths and brings their cards back; filesRestored() tells the window (which rescans).
//
// Thread: GUI thread only. Trashing runs moveToTrash() (undoing: restoreFromTrash()) on a
// QtConcurrent worker; the result comes back to the GUI thread, where trashed cards (and groups
// left with one file) are removed and filesTrashed() is emitted (restored: filesRestored()). Keep
// boxes are frozen meanwhile. A view destroyed while files move
// lets the worker finish but emits nothing (the next scan finds those files gone). The view never calls the engine: the window passes groups in and
// tells the library about trashed files.
// Invariant: every group keeps at least one checked verified file (the picture survives), and
// every unverified file is checked, so a group is never trashed whole.
// Scale: cards are painted, not widgets, and thumbnails are asked for only when a card is painted,
// so thousands of groups cost a vector of structs. The painting, layout and hit tests live in
// DuplicateCards; this view owns the groups, the keep rules and the trash flow.
// Paths: QFile::decodeName() of the engine's bytes; filesTrashed() gives them back the same way
// (QFile::encodeName() returns the bytes).
#pragma once

#include <QHash>
#include <QPair>
#include <QRect>
#include <QSet>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

#include "DuplicateCards.h"
#include "ruvision/engine/Library.h"

class QAction;
class QHBoxLayout;
class QLabel;
class QPushButton;

namespace rv::ui {

class ThumbnailSource;
struct TrashResult;
struct RestoreResult;

// The member kept by default (rv::suggest_keep: of the verified members, most pixels, the
// majority's orientation, a clearly larger file, the older file, a name without a copy mark).
// -1 if none is verified.
int suggestedKeepIndex(const std::vector<rv::DuplicateMember>& members);
// rv::KeepReason bits in words, translated ("not turned, oldest file").
QString keepReasonText(unsigned reasons);

class DuplicatesView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kThumbSide = DuplicateCards::kThumbSide;  // 160 device-independent pixels
    // Asked before trashing: the files (paths) and their total size in bytes; true = go ahead.
    using Confirmer = std::function<bool(const QStringList& paths, qint64 bytes)>;
    // Told which files could not be trashed, or restored by an undo: (path, reason).
    using FailureReporter = std::function<void(const QList<QPair<QString, QString>>& failed)>;

    // `thumbnails` is not owned and may be null (no pictures); cards repaint on its thumbnailReady.
    explicit DuplicatesView(ThumbnailSource* thumbnails, QWidget* parent = nullptr);
    ~DuplicatesView() override;

    // Replaces the groups (groups of fewer than two files are left out) and suggests what to keep.
    // With keepChoices (the same request computed again after the library changed), a group with
    // exactly the files of a group shown before keeps the person's Keep boxes, and the scroll
    // stays; other groups get the suggestion.
    void setGroups(const std::vector<rv::DuplicateGroup>& groups, bool keepChoices = false);
    // The card with the keyboard focus (last clicked or reached with the arrows), empty if none.
    QString currentPath() const { return cards_->currentPath(); }
    // The file suggested to keep in a group and why ("" if none).
    QString suggestedPath(int group) const;
    QString keepReason(int group) const;
    int groupCount() const { return int(groups_.size()); }
    QStringList groupPaths(int group) const;

    bool isKept(const QString& path) const;
    // False if refused: unknown path, a trash or undo in progress, unchecking an unverified file, or
    // unchecking a group's last kept verified file.
    bool setKept(const QString& path, bool keep);
    // Back to the suggestion for every group.
    void keepSuggested();
    QStringList uncheckedPaths() const;
    qint64 uncheckedBytes() const;
    bool isTrashing() const { return trashing_; }
    bool isVerified(const QString& path) const;
    // Files the last trash moved that Undo Trash would bring back.
    QStringList undoablePaths() const;

    // The default confirmation's text: the count, the size and the paths (the first 20; all of
    // them are in the dialog's details).
    static QString confirmationText(const QStringList& paths, qint64 bytes);
    // Defaults: a QMessageBox question listing the files; a warning box listing the failures (not blocking).
    void setConfirmer(Confirmer confirmer) { confirmer_ = std::move(confirmer); }
    void setFailureReporter(FailureReporter reporter) { reporter_ = std::move(reporter); }

    // Where a card and its Keep box are, in cardArea() coordinates (empty if unknown).
    QWidget* cardArea() const;
    QRect cardRect(const QString& path) const;
    QRect keepBoxRect(const QString& path) const;

    // "Not a duplicate" (ui/src/marks/DuplicateVerdicts.cpp): the person says `path` is not the same
    // picture as its group's first card; on the first card itself, as none of the others. Those
    // cards leave the group at once (a group left with one card goes; no recomputation) and
    // notDuplicate() carries the pairs for the catalog. False if refused (unknown path, a trash or
    // undo running).
    bool markNotDuplicate(const QString& path);
    // The same for every card of `path`'s group against its first: the group goes.
    bool markGroupNotDuplicates(const QString& path);
    // "Not a Duplicate" (N) on the focused card: the header button's and the context menu's action.
    QAction* notDuplicateAction() const { return notDuplicateAction_; }

public slots:
    // Confirms, then trashes the unchecked files in the background.
    void trashUnchecked();
    // Moves the files of the last trash back to their paths (in the background) and shows their
    // cards again as they were before that trash (if the groups were not replaced since).
    void undoTrash();

signals:
    void filesTrashed(const QStringList& paths);  // only files really moved to the trash
    void filesRestored(const QStringList& paths); // back at their paths after Undo Trash
    void trashFinished(int trashed, int failed);
    void undoFinished(int restored, int failed);
    void previewRequested(const QString& path);   // double-click or Enter on a card
    void currentPathChanged(const QString& path); // a click or the arrow keys moved to a card
    void keepChanged(const QString& path, bool keep);
    // Pairs the person said are not the same picture (a member, its group's first card).
    void notDuplicate(const QList<QPair<QString, QString>>& pairs);

private:
    using Card = DuplicateCard;
    using Group = DuplicateCardGroup;
    using Where = DuplicateCardPos;

    Where find(const QString& path) const;
    void rebuildIndex();
    void updateHeader();
    void applyTrashResult(const TrashResult& result);
    void applyRestoreResult(const RestoreResult& result);
    void setBusy(bool busy);
    static void enforceKeepRules(Group& group);
    void showFailures(const QList<QPair<QString, QString>>& failed);
    void setUpNotDuplicate(QHBoxLayout* header);  // the action, the button and the cards' menu
    void showCardMenu(const QString& path, const QPoint& globalPos);
    // Takes cards `cards` (indices) out of group `g`: the verdict's pairs, then the layout.
    void separate(int g, const QList<int>& cards);
    // Groups computed again keep apart the pairs separated in this view (separated_).
    void dropSeparated();
    static QString pairKey(const QString& a, const QString& b);
    static void suggest(Group& group);  // sets group.suggested and keepReason

    std::vector<Group> groups_;  // read by cards_ (by reference) whenever it paints or handles input
    QHash<QString, Where> where_;
    bool trashing_ = false;  // a trash or an undo is running
    QList<QPair<QString, QString>> lastTrash_;  // (original path, path in the trash) of the last trash
    std::vector<Group> beforeTrash_;            // the groups as they were before it (empty: replaced since)
    bool reportingUndo_ = false;                // the failures being reported are of an undo
    Confirmer confirmer_;
    FailureReporter reporter_;
    QLabel* summary_ = nullptr;
    QPushButton* suggestButton_ = nullptr;
    QPushButton* trashButton_ = nullptr;
    QPushButton* undoButton_ = nullptr;
    QPushButton* notDuplicateButton_ = nullptr;
    QAction* notDuplicateAction_ = nullptr;
    QSet<QString> separated_;  // pairKey()s the person said are not the same picture, this session
    DuplicateCards* cards_ = nullptr;  // child widget
};

}  // namespace rv::ui
