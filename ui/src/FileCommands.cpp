#include "FileCommands.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "FileActions.h"

namespace rv::ui {

namespace {

struct RenameOutcome {
    QString newPath, error;
};

// Rules a name must meet before anything touches the disk (the rename itself re-checks all).
QString nameProblem(const QString& name, const QString& current) {
    const QString n = name.trimmed();
    if (n.isEmpty()) return QObject::tr("The name is empty.");
    if (n.contains(QLatin1Char('/'))) return QObject::tr("A name cannot contain “/”.");
    if (n == QLatin1String(".") || n == QLatin1String("..")) return QObject::tr("“%1” is not a file name.").arg(n);
    if (n == current) return QObject::tr("The name is unchanged.");
    return {};
}

QString askNewNameDialog(QWidget* parent, const QString& path) {
    const QString current = QFileInfo(path).fileName();
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Rename"));
    auto* column = new QVBoxLayout(&dialog);
    auto* where = new QLabel(QObject::tr("New name for %1 in %2:").arg(current, QDir::toNativeSeparators(QFileInfo(path).absolutePath())),
                             &dialog);
    where->setWordWrap(true);
    column->addWidget(where);
    auto* edit = new QLineEdit(current, &dialog);
    edit->setMinimumWidth(360);
    column->addWidget(edit);
    auto* problem = new QLabel(&dialog);
    problem->setStyleSheet(QStringLiteral("color: #c0392b"));
    column->addWidget(problem);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(QObject::tr("Rename"));
    column->addWidget(buttons);
    auto check = [edit, problem, buttons, current] {
        const QString why = nameProblem(edit->text(), current);
        problem->setText(edit->text() == current ? QString() : why);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    };
    QObject::connect(edit, &QLineEdit::textChanged, &dialog, check);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    check();
    edit->setFocus();
    edit->setSelection(0, baseNameLength(current));
    return dialog.exec() == QDialog::Accepted ? edit->text().trimmed() : QString();
}

}  // namespace

int baseNameLength(const QString& fileName) {
    const int dot = int(fileName.lastIndexOf(QLatin1Char('.')));
    return dot > 0 ? dot : int(fileName.size());
}

FileCommands::FileCommands(QWidget* window) : QObject(window), window_(window) {
    confirmTrash = [this](const QString& path) {
        const QFileInfo info(path);
        QMessageBox box(QMessageBox::Question, tr("Move to Trash"),
                        tr("Move “%1” to the trash?").arg(info.fileName()), QMessageBox::Cancel, window_);
        box.setInformativeText(tr("From %1. RuVision forgets it; Undo (Ctrl+Z) or the desktop's trash brings it back.")
                                   .arg(QDir::toNativeSeparators(info.absolutePath())));
        QPushButton* ok = box.addButton(tr("Move to Trash"), QMessageBox::AcceptRole);
        box.setDefaultButton(ok);
        box.exec();
        return box.clickedButton() == ok;
    };
    askNewName = [this](const QString& path) { return askNewNameDialog(window_, path); };
    report = [this](const QString& title, const QString& message) { QMessageBox::warning(window_, title, message); };

    undo_ = new QAction(tr("&Undo Move to Trash"), this);
    undo_->setShortcut(QKeySequence::Undo);
    undo_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    undo_->setEnabled(false);
    connect(undo_, &QAction::triggered, this, &FileCommands::undoTrash);
}

void FileCommands::setBusy(bool busy) {
    busy_ = busy;
    undo_->setEnabled(!busy && !lastTrash_.first.isEmpty());
}

void FileCommands::moveToTrash(const QString& path) {
    if (busy_ || path.isEmpty() || !confirmTrash || !confirmTrash(path)) return;
    setBusy(true);
    auto* watcher = new QFutureWatcher<TrashResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const TrashResult result = watcher->result();
        if (!result.trashed.isEmpty()) lastTrash_ = {result.trashed.first(), result.trashedTo.value(0)};
        setBusy(false);
        for (const auto& failure : result.failed)
            if (report)
                report(tr("Move to Trash"), tr("%1 could not be moved to the trash: %2")
                                                .arg(QDir::toNativeSeparators(failure.first), failure.second));
        for (const QString& p : result.trashed) emit trashed(p);
        emit finished();
    });
    watcher->setFuture(QtConcurrent::run([path] { return rv::ui::moveToTrash({path}); }));
}

void FileCommands::undoTrash() {
    if (busy_ || lastTrash_.first.isEmpty()) return;
    const QPair<QString, QString> item = lastTrash_;
    setBusy(true);
    auto* watcher = new QFutureWatcher<RestoreResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const RestoreResult result = watcher->result();
        if (!result.restored.isEmpty()) lastTrash_ = {};  // a failed undo may be tried again
        setBusy(false);
        for (const auto& failure : result.failed)
            if (report)
                report(tr("Undo Move to Trash"), tr("%1 could not be brought back from the trash: %2")
                                                     .arg(QDir::toNativeSeparators(failure.first), failure.second));
        for (const QString& p : result.restored) emit restored(p);
        emit finished();
    });
    watcher->setFuture(QtConcurrent::run([item] { return restoreFromTrash({item}); }));
}

void FileCommands::rename(const QString& path) {
    if (busy_ || path.isEmpty() || !askNewName) return;
    const QString name = askNewName(path);
    if (name.isEmpty()) return;
    if (const QString why = nameProblem(name, QFileInfo(path).fileName()); !why.isEmpty()) {
        if (report) report(tr("Rename"), tr("%1 cannot be renamed to “%2”: %3").arg(QDir::toNativeSeparators(path), name, why));
        return;
    }
    setBusy(true);
    auto* watcher = new QFutureWatcher<RenameOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, name] {
        watcher->deleteLater();
        const RenameOutcome outcome = watcher->result();
        setBusy(false);
        if (outcome.error.isEmpty()) emit renamed(path, outcome.newPath);
        else if (report)
            report(tr("Rename"), tr("%1 cannot be renamed to “%2”: %3").arg(QDir::toNativeSeparators(path), name, outcome.error));
        emit finished();
    });
    watcher->setFuture(QtConcurrent::run([path, name] {
        RenameOutcome out;
        out.error = renameFile(path, name, &out.newPath);
        return out;
    }));
}

void FileCommands::openWithSystemViewer(const QString& path) {
    QPointer<FileCommands> self(this);
    rv::ui::openWithSystemViewer(path, [self](const QString& message) {
        if (self && self->report) self->report(tr("Open With System Viewer"), message);
    });
}

void FileCommands::showInFolder(const QString& path) {
    QPointer<FileCommands> self(this);
    rv::ui::showInFolder(path, [self](const QString& message) {
        if (self && self->report) self->report(tr("Open Containing Folder"), message);
    });
}

}  // namespace rv::ui
