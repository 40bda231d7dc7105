// One mark given on a result card, as an undoable step (QUndoStack): redo sets the pair's new
// verdict, undo puts back the one it had (or none). What "setting" means (the catalog write, the
// card's badge, the re-rank) is the Apply callback of ResultMarks.
//
// Thread: GUI thread.
#pragma once

#include <QString>
#include <QUndoCommand>

#include <functional>

#include "marks/MarkState.h"

namespace rv::ui {

struct MarkChange {
    QString query, result;  // library files, paths as the catalog has them
    quint64 search = 0;     // the search it was given in (LibraryService::setMark)
    MarkState before = MarkState::None, after = MarkState::None;
};

class MarkCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const MarkChange& change, MarkState state)>;
    MarkCommand(MarkChange change, Apply apply);
    void redo() override { apply_(change_, change_.after); }
    void undo() override { apply_(change_, change_.before); }
    const MarkChange& change() const { return change_; }

private:
    MarkChange change_;
    Apply apply_;
};

// "Mark “IMG_2.jpg” Alike", "Remove the Mark on “IMG_2.jpg”" (for Undo / Redo menu entries).
QString markCommandText(const MarkChange& change);

}  // namespace rv::ui
