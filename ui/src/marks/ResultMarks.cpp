#include "marks/ResultMarks.h"

#include <QAction>
#include <QKeyEvent>

#include "DisplayName.h"
#include "FileCommands.h"
#include "ImageGrid.h"
#include "LibraryService.h"
#include "QueryHistory.h"
#include "search/SearchPage.h"

namespace rv::ui {

ResultMarks::ResultMarks(LibraryService* service, SearchPage* page, QObject* parent)
    : QObject(parent), service_(service), page_(page) {
    ImageGrid* grid = page_->grid();
    alike_ = new QAction(tr("Alike"), this);
    alike_->setShortcut(Qt::Key_A);
    alike_->setToolTip(tr("The selected result is the kind of picture you are looking for (A; again: remove the mark)"));
    different_ = new QAction(tr("Different"), this);
    different_->setShortcut(Qt::Key_D);
    different_->setToolTip(tr("The selected result is not what you are looking for (D; again: remove the mark)"));
    for (QAction* a : {alike_, different_}) {
        a->setStatusTip(a->toolTip());
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        grid->addAction(a);
    }
    for (QAction* a : {alike_, different_})
        connect(a, &QAction::triggered, this, [this, a] {
            if (!page_->isVisible()) return emit message(tr("Marks are given on the results of the Similar tab."));
            toggle(currentResult(), a == alike_ ? MarkState::Alike : MarkState::Different);
        });
    grid->installEventFilter(this);

    undo_ = new QAction(tr("Undo Mark"), this);
    undo_->setShortcut(QKeySequence::Undo);
    redo_ = new QAction(tr("Redo Mark"), this);
    redo_->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence(tr("Ctrl+Y"))});
    for (QAction* a : {undo_, redo_}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        page_->addAction(a);
    }
    connect(undo_, &QAction::triggered, this, &ResultMarks::triggerUndo);
    connect(redo_, &QAction::triggered, &stack_, &QUndoStack::redo);
    connect(&stack_, &QUndoStack::indexChanged, this, &ResultMarks::updateUndoText);
    updateUndoText();

    movesTimer_.setSingleShot(true);
    movesTimer_.setInterval(kMovesShownMs);
    connect(&movesTimer_, &QTimer::timeout, this, [this] { page_->grid()->gridModel()->setMoves({}); });

    connect(page_, &SearchPage::queryChanged, this, &ResultMarks::onQueryChanged);
    // Queued: the window's searchFinished handler and this object's both run first, in any order.
    connect(page_, &SearchPage::resultsShown, this, &ResultMarks::afterResults, Qt::QueuedConnection);
    connect(grid->delegate(), &ThumbnailDelegate::markRequested, this,
            [this](const QString& path, MarkState which) { toggle(path, which); });
    connect(service_, &LibraryService::marksLoaded, this, &ResultMarks::onMarksLoaded);
    connect(service_, &LibraryService::markStored, this, &ResultMarks::onMarkStored);
    connect(service_, &LibraryService::opened, this, [this] { stack_.clear(); });  // marks of another library
    connect(service_, &LibraryService::searchFinished, this,
            [this](quint64 id, const QString&, const QVector<SearchHit>&, const QString& error) {
                lastFinished_ = id;
                if (id == rerankId_ && !error.isEmpty()) {
                    rerankId_ = 0;
                    emit message(tr("The results could not be re-ranked: %1").arg(error));
                } else if (rerankId_ != 0 && id > rerankId_) {
                    rerankId_ = 0;  // overtaken by a newer search (its results re-rank again, afterResults)
                }
            });
}

void ResultMarks::setFileCommands(FileCommands* files) {
    files_ = files;
    connect(files, &FileCommands::trashed, this, [this] {
        trashNewer_ = true;
        updateUndoText();
    });
    connect(files->undoAction(), &QAction::changed, this, &ResultMarks::updateUndoText);
    updateUndoText();
}

QString ResultMarks::currentResult() const {
    const ImageGrid* grid = page_->grid();
    if (!grid->currentIndex().isValid()) return {};
    return grid->gridModel()->pathAt(grid->gridModel()->resultRowOf(grid->currentIndex().row()));
}

bool ResultMarks::toggle(const QString& path, MarkState which) {
    ImageGridModel* model = page_->grid()->gridModel();
    if (model->marking() != ImageGridModel::Marking::On) {
        emit message(model->marking() == ImageGridModel::Marking::Off ? tr("Marks are given on the results of a query.")
                                                                       : model->markingReason());
        return false;
    }
    const int row = model->rowOf(path);
    if (path.isEmpty() || row < 0 || model->resultRowOf(row) != row) {
        emit message(tr("Select a result first: marks are given on the results of the query."));
        return false;
    }
    MarkChange change;
    change.query = libQuery_;
    change.result = path;
    change.search = searchNo_;
    change.before = MarkState(model->markOf(path));
    change.after = change.before == which ? MarkState::None : which;
    trashNewer_ = false;
    stack_.push(new MarkCommand(change, [this](const MarkChange& c, MarkState state) { apply(c, state); }));
    return true;
}

void ResultMarks::apply(const MarkChange& change, MarkState state) {
    service_->setMark(change.query, change.result, state, change.search);
    if (change.query != libQuery_) return;  // another query's mark (undone later): the catalog only
    page_->grid()->gridModel()->setMark(change.result, int(state));
    if (state == MarkState::None && change.search == searchNo_ && change.before == MarkState::None &&
        change.after != MarkState::None)
        session_.remove(change.result);  // undone: as if never given in this search
    else
        session_.insert(change.result, state);
    const QString name = displayName(change.result);
    emit message(state == MarkState::Alike       ? tr("%1 marked alike: re-ranking…").arg(name)
                 : state == MarkState::Different ? tr("%1 marked different: re-ranking…").arg(name)
                                                 : tr("Mark on %1 removed: re-ranking…").arg(name));
    rerank(change.result);
}

void ResultMarks::rerank(const QString& focus) {
    if (libQuery_.isEmpty()) return;
    QStringList alike, different;
    for (auto it = session_.constBegin(); it != session_.constEnd(); ++it) {
        if (*it == MarkState::Alike) alike << it.key();
        else if (*it == MarkState::Different) different << it.key();
    }
    const ImageGridModel* model = page_->grid()->gridModel();
    if (rerankId_ == 0) {  // a re-rank overtaking a pending one keeps the ranks the person saw
        ranksBefore_.clear();
        for (int row = 0; row < model->rowCount(); ++row)
            if (const QVariant rank = model->index(row).data(ImageGridModel::RankRole); rank.isValid())
                ranksBefore_.insert(model->pathAt(row), rank.toInt());
    }
    focus_ = focus;
    rerankId_ = service_->searchWithMarks(libQuery_, alike, different);
}

void ResultMarks::afterResults() {
    ImageGrid* grid = page_->grid();
    ImageGridModel* model = grid->gridModel();
    if (rerankId_ != 0 && lastFinished_ == rerankId_) {
        rerankId_ = 0;
        QHash<QString, int> moves;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QVariant rank = model->index(row).data(ImageGridModel::RankRole);
            if (!rank.isValid()) continue;
            const auto before = ranksBefore_.constFind(model->pathAt(row));
            const int move = before == ranksBefore_.constEnd() ? ImageGridModel::kMovedIn : *before - rank.toInt();
            if (move != 0) moves.insert(model->pathAt(row), move);
        }
        model->setMoves(moves);
        movesTimer_.start();
        if (const int row = model->rowOf(focus_); row >= 0) {
            grid->setCurrentIndex(model->index(row));
            grid->scrollTo(model->index(row), QAbstractItemView::PositionAtCenter);
        }
        emit message(tr("Re-ranked with your marks: %n picture(s) moved", nullptr, int(moves.size())));
    } else if (rerankId_ == 0 && !session_.isEmpty() && !libQuery_.isEmpty()) {
        // The same query answered again without this search's marks (the library changed): re-rank.
        rerank(currentResult());
    }
}

void ResultMarks::onQueryChanged(const Query& query) {
    ImageGridModel* model = page_->grid()->gridModel();
    ++searchNo_;
    session_.clear();
    libQuery_.clear();
    rerankId_ = 0;
    movesTimer_.stop();
    model->setMoves({});
    model->setMarks({});
    query_ = query.path;
    loading_ = !query.path.isEmpty() && service_->isOpen();
    if (loading_) {
        model->setMarking(ImageGridModel::Marking::Disabled, tr("Looking up the marks of this query…"));
        service_->loadMarks(query.path);
    } else if (!query.image.isNull()) {
        model->setMarking(ImageGridModel::Marking::Disabled,
                          tr("Marks need a query that is a file of the library: this one is %1. Find images "
                             "similar to a library file to mark its results.")
                              .arg(query.label.isEmpty() ? tr("pixels, not a file") : query.label.toLower()));
    } else {
        model->setMarking(query.path.isEmpty() ? ImageGridModel::Marking::Off : ImageGridModel::Marking::Disabled,
                          tr("No library is open."));
    }
}

void ResultMarks::onMarksLoaded(const QString& query, const QString& libraryQuery, const QHash<QString, int>& marks,
                                const QString& error) {
    if (!loading_ || query != query_) return;  // an older query's marks
    loading_ = false;
    ImageGridModel* model = page_->grid()->gridModel();
    if (!error.isEmpty()) {
        model->setMarking(ImageGridModel::Marking::Disabled, tr("The marks cannot be read: %1").arg(error));
        return;
    }
    if (libraryQuery.isEmpty()) {
        model->setMarking(ImageGridModel::Marking::Disabled,
                          tr("%1 is not a file of the library: only the results of a library file can be marked. "
                             "Add its folder to the library to mark them.")
                              .arg(displayName(query)));
        return;
    }
    libQuery_ = libraryQuery;
    model->setMarks(marks);
    model->setMarking(ImageGridModel::Marking::On);
}

void ResultMarks::onMarkStored(const QString& query, const QString& result, MarkState, const QString& error) {
    if (error.isEmpty()) return;
    emit message(tr("The mark on %1 was not stored: %2").arg(displayName(result), error));
    if (query == libQuery_) {  // show what the catalog holds
        loading_ = true;
        service_->loadMarks(query_);
    }
}

void ResultMarks::triggerUndo() {
    if (trashNewer_ && files_ && files_->undoAction()->isEnabled()) {
        trashNewer_ = false;
        files_->undoTrash();
    } else {
        stack_.undo();
    }
    updateUndoText();
}

void ResultMarks::updateUndoText() {
    const bool trash = trashNewer_ && files_ && files_->undoAction()->isEnabled();
    undo_->setText(trash ? tr("Undo Trash") : stack_.canUndo() ? tr("Undo %1").arg(stack_.undoText()) : tr("Undo Mark"));
    undo_->setEnabled(trash || stack_.canUndo());
    redo_->setText(stack_.canRedo() ? tr("Redo %1").arg(stack_.redoText()) : tr("Redo Mark"));
    redo_->setEnabled(stack_.canRedo());
}

bool ResultMarks::eventFilter(QObject* watched, QEvent* event) {
    // A and D reach the grid as key presses if a shortcut did not take them (the grid's type-ahead
    // search would otherwise jump to a file name starting with that letter).
    if (watched == page_->grid() && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::NoModifier && (key->key() == Qt::Key_A || key->key() == Qt::Key_D)) {
            (key->key() == Qt::Key_A ? alike_ : different_)->trigger();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace rv::ui
