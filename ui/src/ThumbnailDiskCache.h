// The on-disk thumbnail cache shared with file managers: freedesktop.org Thumbnail Managing
// Standard 0.8 (https://specifications.freedesktop.org/thumbnail-spec/).
//
// Layout under root() ($XDG_CACHE_HOME/thumbnails, default ~/.cache/thumbnails):
//   normal/ large/ x-large/ xx-large/   <md5 of the file URI, lowercase hex>.png, at most
//                                       128 / 256 / 512 / 1024 px on the longer side
//   fail/ruvision-<version>/            same names: an empty PNG records that we could not make
//                                       a thumbnail of that file version
// A stored PNG stands for a file only while its tEXt Thumb::URI equals the file's URI and
// Thumb::MTime equals the file's mtime in whole seconds (and Thumb::Size its byte size, when the
// writer recorded it); anything else is stale and is regenerated.
//
// Thread: every member is const and touches only the file system, so one instance may be used
// from any number of threads at once. Writes are atomic (temporary file in the target folder,
// then rename(2)), so readers in this or other programs never see half a PNG. Folders are created
// 0700, files 0600.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

#include "ruvision/engine/Result.h"

namespace rv::ui {

// What a thumbnail is checked against: the source file as it is now. Read on a worker (stat).
struct ThumbnailSourceFile {
    QString absPath;     // absolute, cleaned; symlinks not resolved (the URI names the link)
    QByteArray uri;      // file:// URI, percent-encoded (QUrl::toEncoded)
    qint64 mtime = 0;    // seconds since the epoch
    qint64 size = -1;    // bytes
    bool exists = false;

    static ThumbnailSourceFile stat(const QString& path);
};

class ThumbnailDiskCache {
public:
    // The standard sizes, smallest first, in pixels (longer side).
    static constexpr int kStandardSizes[] = {128, 256, 512, 1024};

    // `root` is the "thumbnails" folder itself; `failDirName` the per-program folder in fail/.
    explicit ThumbnailDiskCache(QString root = defaultRoot(), QString failDirName = defaultFailDirName());

    // $XDG_CACHE_HOME/thumbnails if the variable is set and not empty, else ~/.cache/thumbnails.
    // Read when called: set XDG_CACHE_HOME before constructing the cache.
    static QString defaultRoot();
    static QString defaultFailDirName();  // "ruvision-<version>"

    // The smallest standard size >= sidePx (device pixels); 1024 for anything larger.
    static int standardSizeFor(int sidePx);
    // "normal", "large", "x-large", "xx-large"; empty for a size that is not standard.
    static QString folderName(int standardSize);
    // "<md5 hex>.png" for a URI.
    static QString fileNameFor(const QByteArray& uri);

    const QString& root() const { return root_; }
    QString thumbnailPath(const QByteArray& uri, int standardSize) const;
    QString failurePath(const QByteArray& uri) const;
    // True for files inside root(): the standard forbids thumbnailing thumbnails.
    bool contains(const QString& absPath) const;

    // The stored thumbnail of `file` at `standardSize`, or a null image if there is none, it is
    // stale, unreadable or larger than the standard allows.
    QImage readValid(const ThumbnailSourceFile& file, int standardSize) const;
    // Stores `thumbnail` (scaled to fit standardSize if larger) with the required keys.
    // `originalSize` (pixels, as displayed) goes to Thumb::Image::Width/Height when valid.
    rv::Status write(const ThumbnailSourceFile& file, int standardSize, QImage thumbnail,
                     QSize originalSize = {}) const;

    // A failure this program recorded for this version of `file` (`recorded` is false when there
    // is none, or it is stale because the file changed since), with the reason stored with it.
    struct Failure {
        bool recorded = false;
        QString reason;
    };
    Failure readFailure(const ThumbnailSourceFile& file) const;
    rv::Status writeFailure(const ThumbnailSourceFile& file, const QString& reason) const;

private:
    // Creates root/sub... with 0700 for each missing level below the parent of root.
    rv::Status ensureFolder(const QString& relative) const;
    rv::Status writeAtomically(const QString& folderRelative, const QString& fileName,
                               const QImage& image) const;

    QString root_;
    QString failDirName_;
};

}  // namespace rv::ui
