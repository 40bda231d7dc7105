// What the user can do with a file outside RuVision: open it, show it in the file manager, move
// it to the trash. Free functions, no state.
//
// Thread: openWithSystemViewer() and showInFolder() on the GUI thread (they talk to the desktop).
// moveToTrash(), restoreFromTrash() and renameFile() are reentrant: any thread, they only touch the file system
// (the duplicates view runs them on a worker so a thousand files do not freeze the window).
// Paths are local file paths as Qt sees them (QFile::decodeName of the file system's bytes).
#pragma once

#include <QList>
#include <functional>
#include <QPair>
#include <QString>
#include <QStringList>

namespace rv::ui {

// Called on the GUI thread when a desktop launcher fails, with a sentence naming the file and
// what is missing or what went wrong (e.g. "xdg-open is not installed: install xdg-utils").
using LaunchFailure = std::function<void(const QString& message)>;

// Opens the file with the desktop's default application (a folder: in the file manager), through
// `xdg-open` (xdg-utils), or `gio open` (GLib) when xdg-open is missing. Asynchronous: returns
// false, and reports through onFailure, when no launcher is installed; a launcher that fails to
// start or exits non-zero (xdg-open: no application for the type, file gone, ...) is reported
// through onFailure when it ends. onFailure may be empty (failures then go unreported).
bool openWithSystemViewer(const QString& path, LaunchFailure onFailure = {});

// Opens the file manager on the folder holding `path`, with the file selected where the desktop
// supports it (freedesktop FileManager1.ShowItems over the session bus, through dbus-send, on Linux
// when a session bus is set); otherwise, or when that call fails, the folder through
// openWithSystemViewer() (whose failures reach onFailure). Returns false when the folder does not
// exist (also reported).
bool showInFolder(const QString& path, LaunchFailure onFailure = {});

// Renames the file at `path` to `newName` in the same folder, never overwriting: refused (with the
// reason, in the user's words) for an empty name, one holding '/', "." or "..", a name already
// taken, a vanished file or a refusal of the file system (read-only folder, permissions). On
// success returns "" and sets *newPath. Reentrant, any thread; never throws.
QString renameFile(const QString& path, const QString& newName, QString* newPath);

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
