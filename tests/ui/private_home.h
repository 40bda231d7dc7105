// A private home for a program that runs the real window: the GUI tests (ui_test_util.h) and the
// GUI benches (bench/ui_stall_common.h), so that none touches the person's thumbnails or settings.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace ui_home {

// Call before the application object exists: QSettings, the thumbnail cache and the trash read
// XDG_* once. Points the XDG cache, config and data homes into folders of `home` (which must outlive
// the application); the platform is offscreen unless QT_QPA_PLATFORM or -platform says otherwise.
inline void usePrivateHome(const QTemporaryDir& home) {
    for (const char* var : {"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) {
        const QString sub = home.filePath(QString::fromLatin1(var));
        QDir().mkpath(sub);
        qputenv(var, QFile::encodeName(sub));
    }
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
}

}  // namespace ui_home
