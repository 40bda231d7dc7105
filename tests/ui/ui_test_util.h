// Shared by the GUI tests that drive the real engine (test_library_service, test_main_window):
// real photos to index, and a private home for QSettings, the thumbnail cache and the trash.
#pragma once

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QStringList>
#include <QTemporaryDir>
#include <QVector>

#include <algorithm>

#include "private_home.h"

namespace ui_test {

constexpr int kWait = 180000;  // ms; a generous ceiling for engine work on a loaded 2-core machine

// Real photos from /usr/share/backgrounds/mate/nature, sorted by name, written into `folder` as
// JPEGs of at most `maxSide` px (longer side). Returns their paths; empty if the package is missing.
inline QStringList writeScaledPhotos(const QString& folder, int count, int maxSide) {
    QStringList sources;
    QDirIterator it(QStringLiteral("/usr/share/backgrounds/mate/nature"), {QStringLiteral("*.jpg")}, QDir::Files);
    while (it.hasNext()) sources << it.next();
    std::sort(sources.begin(), sources.end());
    QStringList out;
    QDir().mkpath(folder);
    for (const QString& source : sources) {
        if (out.size() == count) break;
        QImageReader reader(source);
        reader.setAutoTransform(true);
        QImage image = reader.read();
        if (image.isNull()) continue;
        if (std::max(image.width(), image.height()) > maxSide)
            image = image.scaled(maxSide, maxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        const QString path = folder + QLatin1Char('/') + QFileInfo(source).fileName();
        if (!image.save(path, "JPEG", 90)) return {};
        out << path;
    }
    return out;
}

// A photo of MATE's three collections and the collection it is in (its "class" for a person).
struct MatePhoto {
    QString path, group;
};

// The three collections (/usr/share/backgrounds/mate/{nature,desktop,abstract}) as JPEGs of at
// most 640 px in `root`, "group_name.jpg", in name order; the Elephants wallpaper's larger
// renditions left out (copies of one picture). Empty when mate-backgrounds is not installed.
inline QVector<MatePhoto> writeMateCollections(const QString& root) {
    QVector<MatePhoto> out;
    QDir().mkpath(root);
    for (const QString group : {"nature", "desktop", "abstract"}) {
        QDir dir(QStringLiteral("/usr/share/backgrounds/mate/") + group);
        for (const QString& name : dir.entryList({"*.jpg", "*.png"}, QDir::Files, QDir::Name)) {
            if (name.startsWith(QLatin1String("Elephants_"))) continue;
            const QImage image = QImage(dir.filePath(name)).scaled(640, 640, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            const QString to = root + QLatin1Char('/') + group + QLatin1Char('_') + QFileInfo(name).completeBaseName() +
                               QStringLiteral(".jpg");
            if (!image.isNull() && image.convertToFormat(QImage::Format_RGB888).save(to, "JPEG", 90)) out.push_back({to, group});
        }
    }
    return out;
}

// Call before the application object exists: QSettings, the thumbnail cache and the trash read
// XDG_* once. Points them into `home` (private_home.h); defaults the platform to offscreen and the
// models to the build's.
inline void isolateEnvironment(const QTemporaryDir& home) {
    ui_home::usePrivateHome(home);
    if (qEnvironmentVariableIsEmpty("RUVISION_MODELS")) qputenv("RUVISION_MODELS", RUVISION_MODELS_DIR);
}

}  // namespace ui_test
