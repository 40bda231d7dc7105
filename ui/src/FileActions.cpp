#include "FileActions.h"

#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QUrl>

namespace rv::ui {

bool openWithSystemViewer(const QString& path) {
    return QDesktopServices::openUrl(QUrl::fromLocalFile(path));
}

bool showInFolder(const QString& path) {
    const QFileInfo info(path);
    const QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    if (!QFileInfo(folder).isDir()) return false;
    const QUrl folderUrl = QUrl::fromLocalFile(folder);

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
                         [process, folderUrl](int code, QProcess::ExitStatus status) {
                             if (status != QProcess::NormalExit || code != 0) QDesktopServices::openUrl(folderUrl);
                             process->deleteLater();
                         });
        QObject::connect(process, &QProcess::errorOccurred, process, [process, folderUrl](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart) return;  // other errors end in finished()
            QDesktopServices::openUrl(folderUrl);
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
    QDesktopServices::openUrl(folderUrl);
    return true;
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
