#include "ThumbnailLoader.h"

#include "EngineImageReader.h"
#include "TransparencyBackdrop.h"
#include "TsanHandOff.h"

#include <QFileInfo>
#include <QImageReader>
#include <QMetaObject>
#include <QMutexLocker>

#include <exception>

namespace rv::ui {
namespace {

// Bytes the decoder allocates to decode an image of `full` pixels aimed at `target`: the JPEG
// decoder scales by 1/2, 1/4 or 1/8 inside the IDCT (QImageReader::setScaledSize), every other
// format we read is decoded at full size first and then scaled.
qint64 decodeBytes(const QByteArray& format, QSize full, QSize target) {
    qint64 w = full.width(), h = full.height();
    if (format == "jpeg" || format == "jpg") {
        int denominator = 1;
        while (denominator < 8 && w / (2 * denominator) >= target.width() &&
               h / (2 * denominator) >= target.height())
            denominator *= 2;
        w = (w + denominator - 1) / denominator;
        h = (h + denominator - 1) / denominator;
    }
    return w * h * 4;
}

struct Decoded {
    QImage image;     // fits standardSize, orientation applied
    QSize original;   // the source's size as displayed (after orientation)
    QString error;
};

// Decodes `path` straight to at most standardSize px on the longer side. Never allocates more
// than QImageReader::allocationLimit() (process-wide, 256 MB by default): bigger images fail
// with a reason instead of exhausting memory.
Decoded decodeScaled(const QString& path, int standardSize) {
    if (EngineImageReader::handles(path)) {  // HEIC, AVIF, camera RAW: no Qt reader
        EngineImage e = EngineImageReader::read(path, standardSize);
        return {std::move(e.image), e.original, e.error};
    }
    const QString name = QFileInfo(path).fileName();
    QImageReader reader(path);
    reader.setAutoTransform(true);  // EXIF orientation
    if (!reader.canRead())
        return {{}, {}, QStringLiteral("%1 is not a readable image (%2)").arg(name, reader.errorString())};

    const QSize full = reader.size();  // stored orientation; invalid if the format cannot tell
    if (full.isValid()) {
        const QSize target = (full.width() > standardSize || full.height() > standardSize)
                                 ? full.scaled(standardSize, standardSize, Qt::KeepAspectRatio).expandedTo({1, 1})
                                 : full;
        const qint64 limit = qint64(QImageReader::allocationLimit()) * 1024 * 1024;
        if (limit > 0 && decodeBytes(reader.format(), full, target) > limit)
            return {{}, {}, QStringLiteral("%1 is too large to decode (%2 x %3 pixels)")
                                .arg(name).arg(full.width()).arg(full.height())};
        if (target != full) reader.setScaledSize(target);
    }
    // Read the transformation before read(): it comes from the header.
    const bool transposed = reader.transformation() & QImageIOHandler::TransformationRotate90;
    QImage image = reader.read();
    if (image.isNull())
        return {{}, {}, QStringLiteral("cannot decode %1 (%2)").arg(name, reader.errorString())};
    if (std::max(image.width(), image.height()) > standardSize)  // the format could not report its size
        image = image.scaled(standardSize, standardSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QSize original = full.isValid() ? full : image.size();
    if (full.isValid() && transposed) original.transpose();
    return {std::move(image), original, {}};
}

}  // namespace

namespace {
char drainChannel = 0;  // the pool's hand-offs (TsanHandOff.h)
}  // namespace

ThumbnailLoader::ThumbnailLoader(ThumbnailDiskCache disk, QObject* parent)
    : QObject(parent), disk_(std::move(disk)) {
    pool_.setMaxThreadCount(2);
    pool_.setThreadPriority(QThread::LowPriority);
    pool_.setObjectName(QStringLiteral("ThumbnailLoader"));
}

ThumbnailLoader::~ThumbnailLoader() {
    cancelPending();
    waitForTasks<&drainChannel>(pool_);
    // The workers' last deliveries queued to this loader are deleted with it, unrun.
    tsanAcquire(&guiQueueChannel);
}

bool ThumbnailLoader::event(QEvent* e) { return runPostedCall(e) || QObject::event(e); }

void ThumbnailLoader::request(const QString& path, int sidePx, qreal dpr) {
    if (path.isEmpty() || sidePx <= 0) return;
    const Key key{path, sidePx};
    bool startDrainer = false;
    {
        QMutexLocker lock(&mutex_);
        if (running_.contains(key)) return;
        const quint64 seq = nextSeq_++;
        if (auto queued = queuedSeq_.find(key); queued != queuedSeq_.end()) {
            auto node = queued_.extract(*queued);  // asked again: it becomes the newest
            node.key() = seq;
            queued_.insert(std::move(node));
            *queued = seq;
            return;
        }
        queued_.emplace(seq, Job{path, sidePx, dpr > 0 ? dpr : 1.0});
        queuedSeq_.insert(key, seq);
        // Invariant: while queued_ is not empty, at least one drainer runs or is about to.
        if (drainers_ < pool_.maxThreadCount()) {
            ++drainers_;
            startDrainer = true;
        }
    }
    if (startDrainer) startTask<&drainChannel>(pool_, [this] { drain(); });
}

int ThumbnailLoader::cancelPending() {
    QMutexLocker lock(&mutex_);
    const int dropped = int(queued_.size());
    queued_.clear();
    queuedSeq_.clear();
    return dropped;
}

int ThumbnailLoader::queuedCount() const {
    QMutexLocker lock(&mutex_);
    return int(queued_.size());
}

ThumbnailLoader::Stats ThumbnailLoader::stats() const {
    return {diskHits_.load(), decoded_.load(), failed_.load(), failureHits_.load()};
}

void ThumbnailLoader::drain() {
    for (;;) {
        Job job;
        {
            QMutexLocker lock(&mutex_);
            if (queued_.empty()) {
                --drainers_;
                return;
            }
            auto newest = std::prev(queued_.end());
            job = std::move(newest->second);
            queued_.erase(newest);
            const Key key{job.path, job.sidePx};
            queuedSeq_.remove(key);
            running_.insert(key);
        }
        ThumbnailResult result;
        Stats counters;
        try {
            result = produce(disk_, job.path, job.sidePx, job.dpr, &counters);
        } catch (const std::exception& e) {  // bad_alloc from a decoder: report, never propagate
            result = {job.path, job.sidePx, {}, QStringLiteral("internal error: %1").arg(QString::fromLocal8Bit(e.what()))};
            counters.failed = 1;
        } catch (...) {
            result = {job.path, job.sidePx, {}, QStringLiteral("internal error")};
            counters.failed = 1;
        }
        diskHits_ += counters.diskHits;
        decoded_ += counters.decoded;
        failed_ += counters.failed;
        failureHits_ += counters.failureHits;
        // Queued to the loader's thread; discarded there if the loader is gone by then.
        postCall(this, [this, result] { deliver(result); });
    }
}

void ThumbnailLoader::deliver(ThumbnailResult result) {
    {
        QMutexLocker lock(&mutex_);
        running_.remove(Key{result.path, result.sidePx});
    }
    emit finished(result);
}

ThumbnailResult ThumbnailLoader::produce(const ThumbnailDiskCache& disk, const QString& path, int sidePx,
                                         qreal dpr, Stats* counters) {
    Stats local;
    Stats& count = counters ? *counters : local;
    ThumbnailResult result{path, sidePx, {}, {}};
    const ThumbnailSourceFile file = ThumbnailSourceFile::stat(path);
    if (!file.exists) {
        // Not recorded as a failure: the file may appear (mount, sync) and is then worth a try.
        result.error = QStringLiteral("%1 is missing or not a file").arg(path);
        ++count.failed;
        return result;
    }
    const int standard = ThumbnailDiskCache::standardSizeFor(sidePx);
    const bool cacheable = !disk.contains(file.absPath);

    QImage image;
    if (cacheable) {
        for (int size : ThumbnailDiskCache::kStandardSizes) {
            if (size < standard) continue;
            image = disk.readValid(file, size);
            if (image.isNull()) continue;
            ++count.diskHits;
            if (size != standard)  // a larger one from another program: keep ours for next time
                (void)disk.write(file, standard, image);
            break;
        }
        if (image.isNull()) {
            const auto failure = disk.readFailure(file);
            if (failure.recorded) {
                result.error = failure.reason.isEmpty()
                                   ? QStringLiteral("%1 could not be read earlier").arg(file.absPath)
                                   : failure.reason;
                ++count.failed;
                ++count.failureHits;
                return result;
            }
        }
    }
    if (image.isNull()) {
        Decoded decoded = decodeScaled(file.absPath, standard);
        ++count.decoded;
        if (!decoded.error.isEmpty()) {
            if (cacheable) (void)disk.writeFailure(file, decoded.error);
            result.error = decoded.error;
            ++count.failed;
            return result;
        }
        image = std::move(decoded.image);
        // A read-only or full cache only costs the next run a decode: not an error for the view.
        if (cacheable) (void)disk.write(file, standard, image, decoded.original);
    }

    if (std::max(image.width(), image.height()) > sidePx)
        image = image.scaled(sidePx, sidePx, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    // Transparency resolved here, for decoded and cached thumbnails alike (the disk cache keeps
    // the alpha, as the freedesktop spec has it); RGB32 is drawn without converting.
    image = overTransparencyBackdrop(image);
    image.setDevicePixelRatio(dpr);
    result.image = std::move(image);
    return result;
}

}  // namespace rv::ui
