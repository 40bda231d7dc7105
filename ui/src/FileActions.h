// What the user can do with a file outside RuVision: open it, show it in the file manager, move
// it to the trash. Free functions, no state.
//
// Thread: openWithSystemViewer() and showInFolder() on the GUI thread (they talk to the desktop).
// moveToTrash() and restoreFromTrash() are reentrant: any thread, they only touch the file system
// (the duplicates view runs them on a worker so a thousand files do not freeze the window).
// Paths are local file paths as Qt sees them (QFile::decodeName of the file system's bytes).
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace rv::ui {

// Opens the file with the desktop's default application (a folder: in the file manager).
// False if the desktop refused at once; most launchers report failure only to the user.
bool openWithSystemViewer(const QString& path);

// Opens the file manager on the folder holding `path`, with the file selected where the desktop
// supports it (freedesktop FileManager1.ShowItems over the session bus, through dbus-send, on Linux
// when a session bus is set); otherwise just the folder. Asynchronous: returns false only when the
// folder does not exist.
bool showInFolder(const QString& path);

struct TrashResult {
    QStringList trashed;                     // moved to the trash, in input order
    QStringList trashedTo;                   // where each trashed file now is (Trash/files/NAME), parallel to `trashed`
    QList<QPair<QString, QString>> failed;   // (path, reason), in input order; the file is untouched
};

// Moves each file to the user's trash (freedesktop Trash: $XDG_DATA_HOME/Trash, or the volume's
// .Trash-UID for other volumes), never deleting outright: a file that cannot be trashed is left as
// it is and reported in `failed`. Never throws.
TrashResult moveToTrash(const QStringList& paths);

struct RestoreResult {
    QStringList restored;                   // original paths the files are back at, in input order
    QList<QPair<QString, QString>> failed;  // (original path, reason); the trashed file is untouched
};

// Undoes moveToTrash(): for each (original path, path in the trash) pair, as TrashResult gives
// them, moves Trash/files/NAME back to the original path and removes Trash/info/NAME.trashinfo.
// Refused for a pair whose .trashinfo does not name that original path (the trash entry is not
// ours), and when a file already exists at the original path (never overwritten). The original
// folder is created again if it vanished. Reentrant, any thread; never throws.
RestoreResult restoreFromTrash(const QList<QPair<QString, QString>>& items);

}  // namespace rv::ui
