#include "ThumbnailDiskCache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QTemporaryFile>
#include <QUrl>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

#ifndef RUVISION_VERSION
#define RUVISION_VERSION "0"
#endif

namespace rv::ui {
namespace {

const QString kUriKey = QStringLiteral("Thumb::URI");
const QString kMTimeKey = QStringLiteral("Thumb::MTime");
const QString kSizeKey = QStringLiteral("Thumb::Size");
const QString kReasonKey = QStringLiteral("RuVision::Reason");  // ours, only in fail/ records

constexpr QFile::Permissions kFolderPermissions =
    QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;

rv::Error error(const QString& what) { return rv::Error{what.toStdString()}; }

// Thumb::MTime is an integer by the standard; a few writers store "123.0", accept that too.
bool parseSeconds(const QString& text, qint64* seconds) {
    bool ok = false;
    *seconds = text.toLongLong(&ok);
    if (!ok) *seconds = static_cast<qint64>(text.toDouble(&ok));
    return ok;
}

// Whether the keys in `texts` (a PNG's tEXt, by key) describe `file` as it is now.
template <class TextOf>
bool describes(const TextOf& textOf, const ThumbnailSourceFile& file) {
    if (textOf(kUriKey).toUtf8() != file.uri) return false;
    qint64 mtime = 0;
    if (!parseSeconds(textOf(kMTimeKey), &mtime) || mtime != file.mtime) return false;
    const QString size = textOf(kSizeKey);
    if (!size.isEmpty() && size.toLongLong() != file.size) return false;
    return true;
}

void setSourceKeys(QImage* image, const ThumbnailSourceFile& file) {
    image->setText(kUriKey, QString::fromLatin1(file.uri));
    image->setText(kMTimeKey, QString::number(file.mtime));
    image->setText(kSizeKey, QString::number(file.size));
    image->setText(QStringLiteral("Software"), QStringLiteral("RuVision " RUVISION_VERSION));
}

}  // namespace

ThumbnailSourceFile ThumbnailSourceFile::stat(const QString& path) {
    ThumbnailSourceFile file;
    const QFileInfo info(path);
    file.absPath = info.absoluteFilePath();
    file.uri = QUrl::fromLocalFile(file.absPath).toEncoded();
    file.exists = info.isFile();
    if (file.exists) {
        file.mtime = info.lastModified().toSecsSinceEpoch();
        file.size = info.size();
    }
    return file;
}

ThumbnailDiskCache::ThumbnailDiskCache(QString root, QString failDirName)
    : root_(QDir::cleanPath(std::move(root))), failDirName_(std::move(failDirName)) {}

QString ThumbnailDiskCache::defaultRoot() {
    QString base = qEnvironmentVariable("XDG_CACHE_HOME");
    if (base.isEmpty()) base = QDir::homePath() + QStringLiteral("/.cache");
    return base + QStringLiteral("/thumbnails");
}

QString ThumbnailDiskCache::defaultFailDirName() { return QStringLiteral("ruvision-" RUVISION_VERSION); }

int ThumbnailDiskCache::standardSizeFor(int sidePx) {
    for (int size : kStandardSizes)
        if (size >= sidePx) return size;
    return kStandardSizes[std::size(kStandardSizes) - 1];
}

QString ThumbnailDiskCache::folderName(int standardSize) {
    switch (standardSize) {
    case 128: return QStringLiteral("normal");
    case 256: return QStringLiteral("large");
    case 512: return QStringLiteral("x-large");
    case 1024: return QStringLiteral("xx-large");
    default: return {};
    }
}

QString ThumbnailDiskCache::fileNameFor(const QByteArray& uri) {
    return QString::fromLatin1(QCryptographicHash::hash(uri, QCryptographicHash::Md5).toHex()) +
           QStringLiteral(".png");
}

QString ThumbnailDiskCache::thumbnailPath(const QByteArray& uri, int standardSize) const {
    return root_ + u'/' + folderName(standardSize) + u'/' + fileNameFor(uri);
}

QString ThumbnailDiskCache::failurePath(const QByteArray& uri) const {
    return root_ + QStringLiteral("/fail/") + failDirName_ + u'/' + fileNameFor(uri);
}

bool ThumbnailDiskCache::contains(const QString& absPath) const {
    return absPath.startsWith(root_ + u'/');
}

QImage ThumbnailDiskCache::readValid(const ThumbnailSourceFile& file, int standardSize) const {
    if (!file.exists || folderName(standardSize).isEmpty()) return {};
    QImageReader reader(thumbnailPath(file.uri, standardSize), "png");
    if (!reader.canRead()) return {};
    // Most writers put tEXt before the pixels: a stale thumbnail is then rejected undecoded.
    if (!reader.text(kUriKey).isEmpty() &&
        !describes([&](const QString& key) { return reader.text(key); }, file))
        return {};
    QImage image = reader.read();
    if (image.isNull() || std::max(image.width(), image.height()) > standardSize) return {};
    if (!describes([&](const QString& key) { return image.text(key); }, file)) return {};
    return image;
}

rv::Status ThumbnailDiskCache::write(const ThumbnailSourceFile& file, int standardSize,
                                     QImage thumbnail, QSize originalSize) const {
    const QString folder = folderName(standardSize);
    if (folder.isEmpty()) return error(QStringLiteral("%1 px is not a standard thumbnail size").arg(standardSize));
    if (thumbnail.isNull()) return error(QStringLiteral("no thumbnail to store"));
    if (std::max(thumbnail.width(), thumbnail.height()) > standardSize)
        thumbnail = thumbnail.scaled(standardSize, standardSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    setSourceKeys(&thumbnail, file);
    if (originalSize.isValid()) {
        thumbnail.setText(QStringLiteral("Thumb::Image::Width"), QString::number(originalSize.width()));
        thumbnail.setText(QStringLiteral("Thumb::Image::Height"), QString::number(originalSize.height()));
    }
    return writeAtomically(folder, fileNameFor(file.uri), thumbnail);
}

ThumbnailDiskCache::Failure ThumbnailDiskCache::readFailure(const ThumbnailSourceFile& file) const {
    if (!file.exists) return {};
    QImageReader reader(failurePath(file.uri), "png");
    const QImage marker = reader.read();
    if (marker.isNull() || !describes([&](const QString& key) { return marker.text(key); }, file))
        return {};
    return {true, marker.text(kReasonKey)};
}

rv::Status ThumbnailDiskCache::writeFailure(const ThumbnailSourceFile& file, const QString& reason) const {
    QImage marker(1, 1, QImage::Format_ARGB32);
    marker.fill(Qt::transparent);
    setSourceKeys(&marker, file);
    // PNG text must be Latin-1 to stay tEXt; the reason is for our tooltips only.
    marker.setText(kReasonKey, QString::fromLatin1(reason.left(200).toLatin1()));
    return writeAtomically(QStringLiteral("fail/") + failDirName_, fileNameFor(file.uri), marker);
}

rv::Status ThumbnailDiskCache::ensureFolder(const QString& relative) const {
    const QFileInfo rootInfo(root_);
    if (!QDir().mkpath(rootInfo.absolutePath()))
        return error(QStringLiteral("cannot create %1").arg(rootInfo.absolutePath()));
    QString path = root_;
    QStringList parts = relative.split(u'/', Qt::SkipEmptyParts);
    parts.prepend(QString());  // the root itself
    for (const QString& part : parts) {
        if (!part.isEmpty()) path += u'/' + part;
        if (QFileInfo(path).isDir()) continue;
        // Another thread or program may create it between the check and mkdir: only the end
        // state counts.
        QDir().mkdir(path, kFolderPermissions);
        if (!QFileInfo(path).isDir()) return error(QStringLiteral("cannot create folder %1").arg(path));
    }
    return {};
}

rv::Status ThumbnailDiskCache::writeAtomically(const QString& folderRelative, const QString& fileName,
                                               const QImage& image) const {
    if (rv::Status made = ensureFolder(folderRelative); !made) return made;
    const QString folder = root_ + u'/' + folderRelative;
    const QString target = folder + u'/' + fileName;
    // QTemporaryFile creates the file 0600, in the target's folder so rename(2) is atomic.
    QTemporaryFile temp(folder + QStringLiteral("/.ruvision-XXXXXX.part"));
    if (!temp.open()) return error(QStringLiteral("cannot create a file in %1: %2").arg(folder, temp.errorString()));
    QImageWriter writer(&temp, "png");
    if (!writer.write(image) || !temp.flush())
        return error(QStringLiteral("cannot write %1: %2").arg(target, writer.errorString()));
    if (std::rename(QFile::encodeName(temp.fileName()).constData(), QFile::encodeName(target).constData()) != 0)
        return error(QStringLiteral("cannot rename to %1: %2").arg(target, QString::fromLocal8Bit(std::strerror(errno))));
    temp.setAutoRemove(false);  // it is the target now
    return {};
}

}  // namespace rv::ui
