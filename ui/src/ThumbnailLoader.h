// Makes thumbnails on background threads: from the shared disk cache when a valid one is there,
// else by decoding the image at reduced size (and storing the result for next time).
//
// Threads: the loader lives on the GUI thread; request(), cancelPending(), queuedCount() are
// called there. Jobs run on a private QThreadPool of at most 2 threads (low priority where the
// OS honours it), so the global pool (QtConcurrent users) and the GUI stay free. `finished` is emitted
// on the loader's thread, one emission per job that ran. Nothing a job does throws out of it:
// every failure arrives as ThumbnailResult::error.
//
// Order: the most recently requested job runs first (LIFO), so while the user scrolls, the cells
// on screen now load before those scrolled past. Requests for a (path, size) already queued or
// running are merged (a queued one moves to the front). cancelPending() drops every queued job
// (the running ones finish), typically when the view scrolls; the view asks again for what it
// still shows at its next paint.
#pragma once

#include <QHash>
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <map>

#include "ThumbnailDiskCache.h"

namespace rv::ui {

struct ThumbnailResult {
    QString path;       // as requested
    int sidePx = 0;     // as requested (device pixels)
    QImage image;       // fits sidePx x sidePx, devicePixelRatio set; null iff error is set
    QString error;      // why there is no thumbnail, in words for a tooltip
};

class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    // Counters since construction (any thread may read them).
    struct Stats {
        int diskHits = 0;      // served from a valid PNG in the disk cache
        int decoded = 0;       // source images decoded
        int failed = 0;        // jobs that ended in an error (including recorded failures)
        int failureHits = 0;   // of those, answered by an earlier failure record
    };

    explicit ThumbnailLoader(ThumbnailDiskCache disk = ThumbnailDiskCache(), QObject* parent = nullptr);
    // Drops queued jobs and waits for the running ones (at most 2 decodes); results still in
    // flight are discarded with the loader.
    ~ThumbnailLoader() override;

    // Queues a thumbnail of `path` fitting sidePx x sidePx device pixels; the image gets
    // devicePixelRatio `dpr`. GUI thread.
    void request(const QString& path, int sidePx, qreal dpr = 1.0);
    // Returns how many queued jobs were dropped.
    int cancelPending();
    int queuedCount() const;

    Stats stats() const;
    const ThumbnailDiskCache& diskCache() const { return disk_; }

    // The whole job, synchronously on the calling thread (what a worker runs). Public so tests can
    // check the pipeline without threads.
    static ThumbnailResult produce(const ThumbnailDiskCache& disk, const QString& path, int sidePx,
                                   qreal dpr, Stats* counters = nullptr);

signals:
    void finished(const rv::ui::ThumbnailResult& result);

protected:
    bool event(QEvent* e) override;  // runs the deliveries the workers queued

private:
    using Key = std::pair<QString, int>;  // (path, sidePx)
    struct Job {
        QString path;
        int sidePx = 0;
        qreal dpr = 1.0;
    };

    void drain();  // worker: runs queued jobs, newest first, until none is left
    void deliver(ThumbnailResult result);  // GUI thread

    const ThumbnailDiskCache disk_;
    QThreadPool pool_;

    mutable QMutex mutex_;  // guards the members below
    std::map<quint64, Job> queued_;     // by request sequence number; the back is the newest
    QHash<Key, quint64> queuedSeq_;     // key -> its sequence number in queued_
    QSet<Key> running_;                 // started, result not yet delivered
    quint64 nextSeq_ = 0;
    int drainers_ = 0;                  // worker loops started and not yet returned

    std::atomic<int> diskHits_{0}, decoded_{0}, failed_{0}, failureHits_{0};
};

}  // namespace rv::ui

Q_DECLARE_METATYPE(rv::ui::ThumbnailResult)
