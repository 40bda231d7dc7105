// The commands a person gives on one image file from the grid or the viewer: Move to Trash (with
// a confirmation naming the file, and Undo), Rename (name selected without its extension),
// Open With System Viewer and Open Containing Folder, with every failure shown with the file and
// the reason.
//
// Thread: GUI thread; the trash, restore and rename run on QtConcurrent workers (FileActions),
// their results come back as signals. The dialogs are hooks (defaults: modal dialogs on the
// window) so tests drive the real commands without a person at the keyboard.
#pragma once

#include <QAction>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>

#include <functional>

class QWidget;

namespace rv::ui {

class FileCommands : public QObject {
    Q_OBJECT
public:
    explicit FileCommands(QWidget* window);

    // true = go ahead. Default: a question naming the file.
    std::function<bool(const QString& path)> confirmTrash;
    // The new name, or "" for cancel. Default: a dialog with the name selected up to its extension.
    std::function<QString(const QString& path)> askNewName;
    // Shows a failure. Default: a warning box.
    std::function<void(const QString& title, const QString& message)> report;

    void moveToTrash(const QString& path);
    void rename(const QString& path);
    void openWithSystemViewer(const QString& path);
    void showInFolder(const QString& path);
    // Ctrl+Z where it is added (WidgetWithChildrenShortcut: add it to the widgets it serves, so it
    // never competes with another view's Undo); enabled while a trash can be undone.
    QAction* undoAction() const { return undo_; }
    void undoTrash();
    bool isBusy() const { return busy_; }

signals:
    void trashed(const QString& path);   // now in the trash: the library should forget it
    void restored(const QString& path);  // back from the trash (Undo)
    void renamed(const QString& from, const QString& to);
    void finished();                     // a trash, restore or rename ended (either way)

private:
    void setBusy(bool busy);

    QPointer<QWidget> window_;
    QAction* undo_;
    QPair<QString, QString> lastTrash_;  // (original path, path in the trash)
    bool busy_ = false;
};

// The part of a file name a rename dialog selects: all before the last '.', unless the name
// starts with it (".hidden") or has none (the whole name).
int baseNameLength(const QString& fileName);

}  // namespace rv::ui
