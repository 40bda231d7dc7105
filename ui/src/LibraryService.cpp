#include "LibraryService.h"
#include "ServiceCalls.h"

#include "TsanHandOff.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QSet>
#include <QPainter>

#include <chrono>
#include <utility>
#include <cstring>

namespace rv::ui {

namespace {


// RGB8 copy of a QImage for the engine (alpha composited on white, as viewers show it).
RgbImage to_rgb(const QImage& image) {
    QImage rgb(image.size(), QImage::Format_RGB888);
    rgb.fill(Qt::white);
    {
        QPainter p(&rgb);
        p.drawImage(0, 0, image);
    }
    RgbImage out{rgb.width(), rgb.height(), {}};
    out.data.resize(static_cast<std::size_t>(rgb.width()) * rgb.height() * 3);
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(&out.data[static_cast<std::size_t>(y) * rgb.width() * 3], rgb.constScanLine(y),
                    static_cast<std::size_t>(rgb.width()) * 3);
    return out;
}

}  // namespace

// Channels of the two pools' hand-offs (TsanHandOff.h; declared in ServiceCalls.h).
char writerChannel = 0, readerChannel = 0;

LibraryService::LibraryService(QObject* parent) : QObject(parent) {
    writer_.setMaxThreadCount(1);
    reader_.setMaxThreadCount(1);
    rescanTimer_.setSingleShot(true);
    rescanTimer_.setInterval(3000);
    connect(&rescanTimer_, &QTimer::timeout, this, &LibraryService::rescan);
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, [this] { rescanTimer_.start(); });
    connectHierarchy();
    connectTuning();
}

LibraryService::~LibraryService() {
    *indexCancel_ = true;
    if (duplicatesCancel_) *duplicatesCancel_ = true;
    if (learnCancel_) *learnCancel_ = true;
    cancelTuning();
    stopHierarchy();
    latestSearch_ = ~quint64{0};
    waitForTasks<&writerChannel>(writer_);
    waitForTasks<&readerChannel>(reader_);
    // The pools' last calls queued to this service are deleted with it, unrun.
    tsanAcquire(&guiQueueChannel);
}

bool LibraryService::event(QEvent* e) { return runPostedCall(e) || QObject::event(e); }

template <class F>
void LibraryService::post(F&& f) {
    postCall(this, std::forward<F>(f));
}

void LibraryService::open(const QString& dir) {
    // The previous library's work is cancelled, not waited for: its results are dropped when
    // they arrive (they carry the old library), and this open runs after it on the writer.
    *indexCancel_ = true;
    if (duplicatesCancel_) *duplicatesCancel_ = true;
    cancelTuning();
    library_.reset();
    indexing_ = false;
    snapshot_ = {};
    fileErrors_.clear();
    pendingChange_ = {};
    haveSnapshot_ = false;
    const quint64 id = ++openRequest_;
    openHierarchy(dir, id);
    startTask<&writerChannel>(writer_, [this, dir, id] {
        auto lib = Library::open(fspath(dir));
        std::shared_ptr<Library> shared;
        QString error;
        if (lib) shared = std::move(*lib);
        else error = qtext(lib.error().message);
        post([this, dir, shared, error, id] {
            if (id != openRequest_) return;  // a newer open() came meanwhile
            library_ = shared;
            if (!library_) {
                emit opened(false, error);
                return;
            }
            snapshot_.dir = dir;
            emit opened(true, {});
            refreshSnapshot();
            startIndexing({});
        });
    });
}

void LibraryService::refreshSnapshot() {
    if (!library_) return;
    auto lib = library_;
    startTask<&readerChannel>(reader_, [this, lib] {
        auto s = lib->status();
        if (!s) return post([this, lib, e = qtext(s.error().message)] {
            emit problem(e);
            if (lib == library_) emitChange();
        });
        LibrarySnapshot snap;
        snap.model = qtext(s->model_id);
        snap.indexState = qtext(s->index_state);
        snap.dim = s->dim;
        snap.files = s->counts.total;
        snap.indexed = s->counts.indexed;
        snap.pending = s->counts.pending;
        snap.errors = s->counts.errors;
        snap.vectors = static_cast<qint64>(s->index_size);
        for (const auto& r : s->roots) {
            snap.roots << qpath(r.path);
            if (!r.offline.empty()) snap.offlineRoots.insert(qpath(r.path), qtext(r.offline));
        }
        post([this, lib, snap]() mutable {
            if (lib != library_) return;  // another library was opened since
            snap.dir = snapshot_.dir;
            const bool rootsChanged = snap.roots != snapshot_.roots;
            const bool offlineChanged = snap.offlineRoots != snapshot_.offlineRoots;
            snapshot_ = snap;
            if (rootsChanged) watchRoots();
            emit snapshotChanged(snapshot_);
            if (haveSnapshot_ && (rootsChanged || offlineChanged)) pendingChange_.rootsChanged = true;
            haveSnapshot_ = true;
            emitChange();
        });
    });
}

void LibraryService::watchRoots() {
    // The folders under the roots are listed on a worker (a photo tree can hold thousands); the
    // watcher (inotify) then reports files added, removed or renamed in any of them, and a
    // debounced rescan follows. At most kMaxWatched folders, breadth first: deeper changes are
    // found by the next start or F5.
    constexpr int kMaxWatched = 4000;
    const QStringList roots = snapshot_.roots;
    auto listing = std::make_shared<QStringList>();
    // On the reader pool, which the destructor waits for (a listing takes tens of milliseconds).
    startTask<&readerChannel>(reader_, [this, roots, listing] {
        QStringList queue;
        for (const auto& r : roots)
            if (QFileInfo(r).isDir()) queue << r;
        QSet<QString> seen;
        while (!queue.isEmpty() && listing->size() < kMaxWatched) {
            const QString dir = queue.takeFirst();
            const QString real = QFileInfo(dir).canonicalFilePath();
            if (real.isEmpty() || seen.contains(real)) continue;  // symlink loops end here
            seen.insert(real);
            *listing << dir;
            for (const auto& sub : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                queue << dir + QLatin1Char('/') + sub;
        }
        post([this, roots, listing] {
            if (roots != snapshot_.roots) return;  // changed since: a newer listing follows
            // Only what changed: a folder unwatched and watched again loses the events already
            // queued for it (inotify's old watch descriptor), such as a photo added just after
            // the index run that asked for this listing.
            const QStringList watched = watcher_.directories();
            const QSet<QString> wanted(listing->begin(), listing->end()), had(watched.begin(), watched.end());
            QStringList gone, added;
            for (const auto& d : watched)
                if (!wanted.contains(d)) gone << d;
            for (const auto& d : *listing)
                if (!had.contains(d)) added << d;
            if (!gone.isEmpty()) watcher_.removePaths(gone);
            if (!added.isEmpty()) watcher_.addPaths(added);
        });
    });
}

void LibraryService::mergeChange(const LibraryChange& c) {
    LibraryChange& p = pendingChange_;
    p.embedded += c.embedded;
    p.moved += c.moved;
    p.removed += c.removed;
    for (auto it = c.movedPaths.begin(); it != c.movedPaths.end(); ++it) {
        // A file moved twice before anyone looked: its first path leads to the last one.
        for (auto& to : p.movedPaths)
            if (to == it.key()) to = it.value();
        p.movedPaths.insert(it.key(), it.value());
    }
    p.forgotten += c.forgotten;
    p.rootsChanged = p.rootsChanged || c.rootsChanged;
}

void LibraryService::emitChange() {
    if (pendingChange_.isEmpty()) return;
    const LibraryChange change = std::exchange(pendingChange_, {});
    emit libraryChanged(change);
}

void LibraryService::addRoot(const QString& folder) { startIndexing({folder}); }

void LibraryService::rescan() { startIndexing({}); }

void LibraryService::cancelIndexing() {
    userCancelled_ = true;
    *indexCancel_ = true;
}

void LibraryService::startIndexing(const QStringList& newRoots) {
    if (!library_) return;
    if (indexing_) {
        // Roots given now are added by a run after this one; a plain rescan is merged into it.
        rescanWanted_ = true;
        for (const auto& r : newRoots)
            startTask<&writerChannel>(writer_, [lib = library_, r, this] {
                auto st = lib->add_root(fspath(r));
                post([this, e = st ? QString() : qtext(st.error().message)] {
                    if (!e.isEmpty()) emit problem(e);
                    refreshSnapshot();
                });
            });
        return;
    }
    indexing_ = true;
    rescanWanted_ = false;
    userCancelled_ = false;
    indexCancel_ = std::make_shared<std::atomic<bool>>(false);
    emit indexingStarted();
    auto lib = library_;
    startTask<&writerChannel>(writer_, [this, lib, newRoots, cancel = indexCancel_] {
        // New roots are added first, so the folder tree shows them while their files index.
        for (const auto& r : newRoots)
            if (auto st = lib->add_root(fspath(r)); !st) post([this, e = qtext(st.error().message)] { emit problem(e); });
        if (!newRoots.isEmpty()) post([this] { refreshSnapshot(); });
        IndexJobParams params;
        auto last = std::chrono::steady_clock::time_point{};
        auto result = lib->index(params, *cancel, [&](const IndexProgress& p) {
            // At most ten updates a second reach the GUI thread, and always the last one.
            const auto now = std::chrono::steady_clock::now();
            if (p.done != p.total && now - last < std::chrono::milliseconds(100)) return;
            last = now;
            post([this, done = static_cast<int>(p.done), total = static_cast<int>(p.total),
                  current = QFile::decodeName(QByteArray::fromStdString(p.current.string())),
                  errors = static_cast<int>(p.errors), ips = p.images_per_second] {
                emit indexProgress(done, total, current, errors, ips);
            });
        });
        // What searches rank and score with, for the images now indexed (search calibration, i13-search).
        if (result && !result->cancelled)
            if (auto st = lib->update_search_calibration(*cancel); !st)
                post([this, e = qtext(st.error().message)] { emit problem(e); });
        IndexSummary sum;
        QList<FileError> errors;
        QString error;
        LibraryChange change;
        if (result) {
            change.embedded = static_cast<qint64>(result->embedded);
            change.moved = static_cast<qint64>(result->moved);
            change.removed = static_cast<qint64>(result->removed);
            for (const auto& m : result->moved_paths) change.movedPaths.insert(qpath(m.first), qpath(m.second));
            sum = {static_cast<qint64>(result->found),   static_cast<qint64>(result->embedded),
                   static_cast<qint64>(result->unchanged), static_cast<qint64>(result->moved),
                   static_cast<qint64>(result->removed), static_cast<qint64>(result->failed),
                   result->cancelled,                    result->seconds};
            for (const auto& e : result->errors) errors.push_back({qpath(e.path), qtext(e.reason)});
            for (const auto& p : result->scan_problems) errors.push_back({qpath(p.path), qtext(p.reason)});
        } else {
            error = qtext(result.error().message);
        }
        post([this, lib, sum, errors, error, change] {
            if (lib != library_) return;
            indexing_ = false;
            fileErrors_ = errors;
            mergeChange(change);
            emit indexFinished(error.isEmpty(), error, sum);
            refreshSnapshot();
            watchRoots();  // folders may have come or gone
            // A run cancelled by the person stays cancelled; one cancelled to remove a folder, or
            // overtaken by changes, runs again.
            if (rescanWanted_ && !userCancelled_) rescan();
        });
    });
}

void LibraryService::removeRoot(const QString& folder) {
    if (!library_) return;
    if (indexing_) {
        *indexCancel_ = true;  // the running scan may be of that very folder: stop, then scan again
        rescanWanted_ = true;
    }
    startTask<&writerChannel>(writer_, [this, lib = library_, folder] {
        auto st = lib->remove_root(fspath(folder));
        post([this, lib, st_ok = st.ok(), e = st ? QString() : qtext(st.error().message)] {
            if (!st_ok) emit problem(e);
            if (st_ok && lib == library_) pendingChange_.rootsChanged = true;
            refreshSnapshot();
        });
    });
}

void LibraryService::forget(const QStringList& paths) {
    if (!library_ || paths.isEmpty()) return;
    std::vector<std::filesystem::path> files;
    for (const auto& p : paths) files.push_back(fspath(p));
    startTask<&writerChannel>(writer_, [this, lib = library_, files, paths] {
        auto st = lib->forget(files);
        post([this, lib, paths, st_ok = st.ok(), e = st ? QString() : qtext(st.error().message)] {
            if (!st_ok) emit problem(e);
            if (st_ok && lib == library_) pendingChange_.forgotten += paths;
            refreshSnapshot();
        });
    });
}

quint64 LibraryService::runSearch(const QString& label,
                                  std::function<Result<std::vector<SearchResult>>(Library&)> query) {
    const quint64 id = ++latestSearch_;
    if (!library_) {
        post([this, id, label] { emit searchFinished(id, label, {}, tr("No library is open.")); });
        return id;
    }
    startTask<&readerChannel>(reader_, [this, lib = library_, id, label, query = std::move(query)] {
        if (latestSearch_ != id) return;  // a newer query came while this one waited
        auto hits = query(*lib);
        QVector<SearchHit> out;
        QString error;
        if (hits)
            for (const auto& h : *hits) {
                SearchHit hit{qpath(h.path), h.shown, {}, qtext(h.word)};
                for (const auto& c : h.copies) hit.copies.push_back({qpath(c.path), h.shown, qtext(c.why)});
                out.push_back(std::move(hit));
            }
        else
            error = qtext(hits.error().message);
        post([this, id, label, out, error] {
            if (latestSearch_ == id) emit searchFinished(id, label, out, error);
        });
    });
    return id;
}

quint64 LibraryService::search(const QString& imagePath, int k) {
    return runSearch(imagePath, [path = fspath(imagePath), k](Library& lib) { return lib.search(path, k); });
}

quint64 LibraryService::search(const QImage& image, const QString& label, int k) {
    // Converted here, on the GUI thread: a QImage is cheap to copy, but only safe to read while
    // the caller cannot change it.
    auto rgb = std::make_shared<RgbImage>(to_rgb(image));
    return runSearch(label, [rgb, k](Library& lib) { return lib.search(*rgb, k); });
}

void LibraryService::findDuplicates(float threshold) {
    if (!library_) return;
    // A newer request replaces a running one: the running one is cancelled, a queued one skipped.
    if (duplicatesCancel_) *duplicatesCancel_ = true;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    duplicatesCancel_ = cancel;
    startTask<&readerChannel>(reader_, [this, lib = library_, threshold, cancel] {
        if (*cancel) return;
        DuplicateParams params;
        params.threshold = threshold;
        auto groups = lib->duplicates(params, *cancel);
        if (*cancel) return;
        std::vector<DuplicateGroup> out;
        QString error;
        if (groups) out = std::move(*groups);
        else error = qtext(groups.error().message);
        post([this, cancel, out = std::move(out), error] {
            if (!*cancel) emit duplicatesFinished(out, error);
        });
    });
}

}  // namespace rv::ui
