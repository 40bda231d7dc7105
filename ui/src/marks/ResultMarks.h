// Alike / different marks on the results of the Similar page: the controls' clicks and keys
// (A, D), the marks already stored for the query shown (their badges), the in-session re-rank a
// mark causes (shown as each card's move: "▲3", "▼5", "new", for a few seconds, the marked card
// kept current and in view) and Undo / Redo of marks.
//
// The pair is (the query's library file, the result). A query that is not a library file
// (pasted or dropped pixels, a file outside the library) cannot be marked: the controls are
// shown disabled and say why. Marks are written through LibraryService::setMark (writer pool,
// never waited for: the badge shows at once); the re-rank asks LibraryService::searchWithMarks
// with the verdicts given in this search (reader pool).
//
// Undo: one Ctrl+Z on the results. Where a trash on the results (FileCommands) is newer than the
// last mark, Ctrl+Z undoes that trash, as before marks existed; otherwise the last mark. The Edit
// menu names which ("Undo Mark “x.jpg” Alike" / "Undo Trash").
//
// Thread: GUI thread. Not owned: the service, the page and the file commands, which must outlive
// this object (give it the window as parent).
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUndoStack>

#include "marks/MarkState.h"
#include "marks/MarkUndo.h"

class QAction;

namespace rv::ui {

class FileCommands;
class LibraryService;
class SearchPage;
struct Query;

class ResultMarks : public QObject {
    Q_OBJECT
public:
    static constexpr int kMovesShownMs = 8000;

    ResultMarks(LibraryService* service, SearchPage* page, QObject* parent);
    // The results grid's trash, whose Undo shares Ctrl+Z with the marks' (see the file comment).
    void setFileCommands(FileCommands* files);

    // "Alike" (A) and "Different" (D) on the current result; Undo / Redo of marks (Ctrl+Z,
    // Ctrl+Shift+Z) on the Similar page. For the window's menus.
    QAction* alikeAction() const { return alike_; }
    QAction* differentAction() const { return different_; }
    QAction* undoAction() const { return undo_; }
    QAction* redoAction() const { return redo_; }
    QUndoStack* undoStack() { return &stack_; }

    // Marks the result `path` `which`, or removes its mark if it has that one already (an undoable
    // step). False, and message() says why, when the query cannot be marked or `path` is not a
    // result shown.
    bool toggle(const QString& path, MarkState which);
    // The query's path as the catalog has it; empty while unknown or when it is not a library file.
    QString libraryQuery() const { return libQuery_; }
    // No marks being read and no re-rank pending (for --screenshot and tests).
    bool isSettled() const { return !loading_ && rerankId_ == 0; }

signals:
    void message(const QString& text);  // for the status bar

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onQueryChanged(const Query& query);
    void onMarksLoaded(const QString& query, const QString& libraryQuery, const QHash<QString, int>& marks,
                       const QString& error);
    void onMarkStored(const QString& query, const QString& result, MarkState state, const QString& error);
    void afterResults();  // queued after SearchPage::resultsShown
    void apply(const MarkChange& change, MarkState state);
    void rerank(const QString& focus);
    void triggerUndo();
    void updateUndoText();
    QString currentResult() const;  // the picture of the grid's current row, "" if none

    LibraryService* service_;
    SearchPage* page_;
    QPointer<FileCommands> files_;
    QUndoStack stack_;
    QAction *alike_, *different_, *undo_, *redo_;
    QTimer movesTimer_;
    QString query_;             // the query as the window gave it ("" for pixels or none)
    QString libQuery_;          // its catalog path once known to be a library file
    quint64 searchNo_ = 0;      // numbers each query shown (LibraryService::setMark's `search`)
    bool loading_ = false;      // its marks are being read
    QHash<QString, MarkState> session_;  // verdicts given in this search: the re-rank's feedback
    quint64 rerankId_ = 0;      // the pending re-rank's search id (0: none)
    quint64 lastFinished_ = 0;  // the id of the last search answered
    QHash<QString, int> ranksBefore_;  // path -> rank before the pending re-rank
    QString focus_;             // the card to keep current after it
    bool trashNewer_ = false;   // a trash happened after the last mark
};

}  // namespace rv::ui
