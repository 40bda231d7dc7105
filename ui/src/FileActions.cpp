#include "FileActions.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QUrl>

#include <cerrno>
#include <cstring>
#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <stdio.h>
#endif

namespace rv::ui {

namespace {

// What xdg-open's exit status means (xdg-utils' documented codes).
QString xdgOpenReason(int code) {
    switch (code) {
        case 1: return QObject::tr("xdg-open refused the command line");
        case 2: return QObject::tr("the file does not exist");
        case 3: return QObject::tr("a tool xdg-open needs is missing (no desktop environment or MIME tools found)");
        case 4: return QObject::tr("no application could open it");
        default: return QObject::tr("xdg-open ended with status %1").arg(code);
    }
}

// Runs `program args` and reports a start failure or a non-zero exit through onFailure. The
// process is not detached so that its exit status can be read; it deletes itself when done (a
// launcher that waits for the application it started just stays until that application ends).
void launch(const QString& program, const QStringList& args, const QString& shown, bool isXdgOpen,
            LaunchFailure onFailure) {
    auto* process = new QProcess;  // no parent: it may outlive any window
    process->setStandardOutputFile(QProcess::nullDevice());
    const QString name = QFileInfo(program).fileName();
    QObject::connect(process, &QProcess::errorOccurred, process, [process, name, shown, onFailure](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart) return;  // other errors end in finished()
        if (onFailure)
            onFailure(QObject::tr("Cannot open %1: %2 could not be started (%3)").arg(shown, name, process->errorString()));
        process->deleteLater();
    });
    QObject::connect(process, &QProcess::finished, process,
                     [process, name, shown, isXdgOpen, onFailure](int code, QProcess::ExitStatus status) {
                         process->deleteLater();
                         if (status == QProcess::NormalExit && code == 0) return;
                         QString reason = status != QProcess::NormalExit ? QObject::tr("%1 crashed").arg(name)
                                          : isXdgOpen                   ? xdgOpenReason(code)
                                                                        : QObject::tr("%1 ended with status %2").arg(name).arg(code);
                         const QString err = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
                         if (!err.isEmpty()) reason += QStringLiteral(" — ") + err.section(QLatin1Char('\n'), 0, 2);
                         if (onFailure) onFailure(QObject::tr("Cannot open %1: %2").arg(shown, reason));
                     });
    process->start(program, args);
}

}  // namespace

bool openWithSystemViewer(const QString& path, LaunchFailure onFailure) {
    const QString shown = QDir::toNativeSeparators(path);
    const QString xdgOpen = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
    if (!xdgOpen.isEmpty()) {
        launch(xdgOpen, {path}, shown, true, std::move(onFailure));
        return true;
    }
    // GLib's launcher is on most desktops that lack xdg-utils.
    const QString gio = QStandardPaths::findExecutable(QStringLiteral("gio"));
    if (!gio.isEmpty()) {
        launch(gio, {QStringLiteral("open"), path}, shown, false,
               [onFailure](const QString& message) {
                   if (onFailure)
                       onFailure(message + QLatin1Char('\n') +
                                 QObject::tr("xdg-open is not installed: install xdg-utils."));
               });
        return true;
    }
    if (onFailure)
        onFailure(QObject::tr("Cannot open %1: xdg-open is not installed: install xdg-utils.").arg(shown));
    return false;
}

bool showInFolder(const QString& path, LaunchFailure onFailure) {
    const QFileInfo info(path);
    const QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    if (!QFileInfo(folder).isDir()) {
        if (onFailure) onFailure(QObject::tr("Cannot show %1: the folder %2 no longer exists.").arg(path, folder));
        return false;
    }

#ifdef Q_OS_LINUX
    // Qt6::DBus is not linked into the UI, so the freedesktop call goes through dbus-send; any
    // failure (no file manager service, no bus, no dbus-send) falls back to opening the folder.
    const QString dbusSend = QStandardPaths::findExecutable(QStringLiteral("dbus-send"));
    if (!dbusSend.isEmpty() && qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS") && info.exists()) {
        // dbus-send splits array items at commas: a comma in the name is percent-encoded instead.
        QString url = QUrl::fromLocalFile(info.absoluteFilePath()).toString(QUrl::FullyEncoded);
        url.replace(QLatin1Char(','), QLatin1String("%2C"));
        auto* process = new QProcess;  // deletes itself when done; no parent outlives it on purpose
        QObject::connect(process, &QProcess::finished, process,
                         [process, folder, onFailure](int code, QProcess::ExitStatus status) {
                             if (status != QProcess::NormalExit || code != 0) openWithSystemViewer(folder, onFailure);
                             process->deleteLater();
                         });
        QObject::connect(process, &QProcess::errorOccurred, process, [process, folder, onFailure](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart) return;  // other errors end in finished()
            openWithSystemViewer(folder, onFailure);
            process->deleteLater();
        });
        process->start(dbusSend, {QStringLiteral("--session"), QStringLiteral("--print-reply"),
                                  QStringLiteral("--reply-timeout=3000"),
                                  QStringLiteral("--dest=org.freedesktop.FileManager1"),
                                  QStringLiteral("--type=method_call"), QStringLiteral("/org/freedesktop/FileManager1"),
                                  QStringLiteral("org.freedesktop.FileManager1.ShowItems"),
                                  QStringLiteral("array:string:") + url, QStringLiteral("string:")});
        return true;
    }
#endif
    return openWithSystemViewer(folder, std::move(onFailure));
}

QString renameFile(const QString& path, const QString& newName, QString* newPath) {
    const QString name = newName.trimmed();
    if (name.isEmpty()) return QObject::tr("The name is empty");
    if (name.contains(QLatin1Char('/')) || name.contains(QChar(0)))
        return QObject::tr("A name cannot contain “/”");
    if (name == QLatin1String(".") || name == QLatin1String("..")) return QObject::tr("“%1” is not a file name").arg(name);
    const QFileInfo from(path);
    if (!from.exists() && !from.isSymLink()) return QObject::tr("The file no longer exists");
    if (from.fileName() == name) return QObject::tr("The name is unchanged");
    const QString target = from.dir().filePath(name);
    const QByteArray fromBytes = QFile::encodeName(path), toBytes = QFile::encodeName(target);
#ifdef Q_OS_LINUX
    // RENAME_NOREPLACE: the check for an existing name and the rename are one step.
    if (::renameat2(AT_FDCWD, fromBytes.constData(), AT_FDCWD, toBytes.constData(), RENAME_NOREPLACE) != 0) {
        const int err = errno;
        if (err == EEXIST) return QObject::tr("“%1” already exists in this folder").arg(name);
        if (err != EINVAL && err != ENOSYS) return QString::fromLocal8Bit(std::strerror(err));
        // A file system without RENAME_NOREPLACE: check, then rename.
        if (QFileInfo::exists(target)) return QObject::tr("“%1” already exists in this folder").arg(name);
        if (::rename(fromBytes.constData(), toBytes.constData()) != 0)
            return QString::fromLocal8Bit(std::strerror(errno));
    }
#else
    if (QFileInfo::exists(target)) return QObject::tr("“%1” already exists in this folder").arg(name);
    QFile file(path);
    if (!file.rename(target)) return file.errorString();
#endif
    if (newPath) *newPath = target;
    return {};
}

TrashResult moveToTrash(const QStringList& paths) {
    TrashResult result;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists() && !info.isSymLink()) {
            result.failed.append({path, QObject::tr("File not found")});
            continue;
        }
        QFile file(path);
        if (file.moveToTrash()) {
            result.trashed.append(path);
            result.trashedTo.append(file.fileName());  // Qt points the QFile at the trashed file
        } else {
            const QString reason = file.errorString();
            result.failed.append({path, reason.isEmpty() ? QObject::tr("Cannot move to the trash") : reason});
        }
    }
    return result;
}

namespace {

// The Path= value of a .trashinfo, as written (empty if unreadable). The specification wants it
// percent-encoded; Qt 6.4's moveToTrash() writes it as it is: callers try both readings.
QByteArray trashInfoPath(const QString& infoFile) {
    QFile f(infoFile);
    if (!f.open(QIODevice::ReadOnly)) return {};
    bool inSection = false;
    while (!f.atEnd()) {
        QByteArray line = f.readLine();
        if (line.endsWith('\n')) line.chop(1);
        if (line.startsWith('[')) inSection = line == "[Trash Info]";
        else if (inSection && line.startsWith("Path=")) return line.mid(5);
    }
    return {};
}

// Whether a Path= value names `original`: absolute, or relative to the top of the volume for a
// volume's own trash; percent-encoded or not.
bool namesPath(const QByteArray& value, const QString& original) {
    if (value.isEmpty()) return false;
    for (const QString& named : {QFile::decodeName(value), QFile::decodeName(QByteArray::fromPercentEncoding(value))}) {
        if (QDir::isAbsolutePath(named) ? QDir::cleanPath(named) == QDir::cleanPath(original)
                                        : original.endsWith(QLatin1Char('/') + named))
            return true;
    }
    return false;
}

}  // namespace

RestoreResult restoreFromTrash(const QList<QPair<QString, QString>>& items) {
    RestoreResult result;
    for (const auto& item : items) {
        // Named, not structured bindings: clang 14 (the sanitizer builds) cannot capture those.
        const QString& original = item.first;
        const QString& trashed = item.second;
        auto fail = [&](const QString& reason) { result.failed.append({original, reason}); };
        const QFileInfo inTrash(trashed);
        const QDir filesDir = inTrash.dir();
        if (filesDir.dirName() != QLatin1String("files")) {
            fail(QObject::tr("Not a file in a trash folder: %1").arg(trashed));
            continue;
        }
        QDir trashDir = filesDir;
        trashDir.cdUp();
        const QString info = trashDir.filePath(QStringLiteral("info/") + inTrash.fileName() + QStringLiteral(".trashinfo"));
        if (!namesPath(trashInfoPath(info), original)) {
            fail(QObject::tr("The trash has no record of this file"));
            continue;
        }
        if (!inTrash.exists() && !inTrash.isSymLink()) {
            fail(QObject::tr("No longer in the trash"));
            continue;
        }
        const QFileInfo target(original);
        if (target.exists() || target.isSymLink()) {
            fail(QObject::tr("Another file is already at this path"));
            continue;
        }
        if (!QDir().mkpath(target.absolutePath())) {
            fail(QObject::tr("Cannot create the folder %1").arg(target.absolutePath()));
            continue;
        }
        QFile file(trashed);
        if (!file.rename(original)) {
            const QString reason = file.errorString();
            fail(reason.isEmpty() ? QObject::tr("Cannot move back from the trash") : reason);
            continue;
        }
        QFile::remove(info);  // a stale record would only show as a broken entry in the trash
        result.restored.append(original);
    }
    return result;
}

}  // namespace rv::ui
