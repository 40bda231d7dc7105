// The GUI's only way to the engine: owns an rv::Library and runs every engine call off the GUI
// thread, reporting back through signals.
//
// Threads: all public methods are called on the GUI thread, and every signal is emitted on it.
// Engine work runs on two private single-thread pools:
//   writer: open, indexing, add/remove roots, forget (the library's single writer);
//   reader: search, duplicates, status (rv::Library allows these while the writer indexes).
// A search replaces the one before it: a queued older request is skipped and a result that is no
// longer the newest is dropped, so search-as-you-click shows only the last query's results.
// Destroying the service cancels indexing and waits for both pools (the engine stops after the
// file it is on and saves what it has: the next start resumes from there).
#pragma once

#include <QFileSystemWatcher>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
#include <QVector>

#include <atomic>
#include <memory>
#include <vector>

#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "pairs/PairTypes.h"

namespace rv::ui {

// One picture of a search (rv::SearchResult): its largest file, and the other files that are the
// same picture (rv::SearchCopy), best score first.
struct SearchHit {
    struct Copy {
        QString path;
        float score = 0;
        QString why;  // why it is the same picture, for a person
    };
    QString path;
    float score = 0;  // cosine similarity, 1 = identical
    QVector<Copy> copies = {};
};

struct FileError {
    QString path, reason;
};

struct IndexSummary {
    qint64 found = 0, embedded = 0, unchanged = 0, moved = 0, removed = 0, failed = 0;
    bool cancelled = false;
    double seconds = 0;
};

// What the window shows about the open library.
struct LibrarySnapshot {
    QString dir, model, indexState;
    int dim = 0;
    qint64 files = 0, indexed = 0, pending = 0, errors = 0, vectors = 0;
    QStringList roots;
    QHash<QString, QString> offlineRoots;  // root -> why the last indexing run found it offline
};

// What changed in the open library since the last libraryChanged(): files found new, changed,
// moved or vanished by an indexing run (the file watcher's, F5's, after a root was added or files
// restored), files the person trashed, roots added, removed, gone offline or back.
struct LibraryChange {
    qint64 embedded = 0, moved = 0, removed = 0;  // files, as in IndexSummary
    QHash<QString, QString> movedPaths;           // old path -> new path, of the moved files
    QStringList forgotten;                        // trashed by the person (forget())
    bool rootsChanged = false;                    // the roots or their offline state
    bool isEmpty() const {
        return embedded == 0 && moved == 0 && removed == 0 && forgotten.isEmpty() && !rootsChanged;
    }
};

class LibraryService : public QObject {
    Q_OBJECT
public:
    explicit LibraryService(QObject* parent = nullptr);
    ~LibraryService() override;

    // Opens (creating if needed) the library in `dir`, closing the current one; then re-scans its
    // roots in the background. Reports opened().
    void open(const QString& dir);
    bool isOpen() const { return static_cast<bool>(library_); }
    const LibrarySnapshot& snapshot() const { return snapshot_; }

    void addRoot(const QString& folder);     // then indexes it
    void removeRoot(const QString& folder);  // forgets its files; the files stay on disk
    void rescan();                           // re-scans every root (new, changed, moved, vanished)
    void cancelIndexing();
    bool isIndexing() const { return indexing_; }

    // Returns the request id that searchFinished() will carry.
    quint64 search(const QString& imagePath, int k = 200);
    quint64 search(const QImage& image, const QString& label, int k = 200);
    void findDuplicates(float threshold = -1);
    void forget(const QStringList& paths);  // files the user moved to the trash
    void refreshSnapshot();
    // The folders watched for changes (the roots and their subfolders, up to a limit).
    QStringList watchedFolders() const { return watcher_.directories(); }
    // Errors of the last indexing run (file, reason).
    const QList<FileError>& fileErrors() const { return fileErrors_; }

    // --- pairs (i11-pairs); ui/src/pairs/ServicePairs.cpp ---
    // The next `count` pairs the engine is least sure of (rv::uncertain_pairs), never one of `skip`
    // (file id pairs) nor a marked one; runs on the writer after the marks queued before it.
    // Returns the request id pairsReady() carries; an older request's answer is dropped.
    quint64 requestPairs(int count, const QVector<QPair<qint64, qint64>>& skip);
    // Stores the verdict on the pair (source Pairs) on the writer, then reports pairMarkStored() and
    // the threshold it calibrates (pairThresholdChanged()).
    void markPair(const PairItem& pair, rv::MarkVerdict verdict);
    // Removes the pair's mark (the person went back), then reports the threshold again.
    void unmarkPair(const PairItem& pair);

signals:
    void opened(bool ok, const QString& error);
    void snapshotChanged(const rv::ui::LibrarySnapshot& snapshot);
    void indexingStarted();
    void indexProgress(int done, int total, const QString& current, int errors, double imagesPerSecond);
    void indexFinished(bool ok, const QString& error, const rv::ui::IndexSummary& summary);
    void searchFinished(quint64 id, const QString& query, const QVector<rv::ui::SearchHit>& hits,
                        const QString& error);
    void duplicatesFinished(const std::vector<rv::DuplicateGroup>& groups, const QString& error);
    // The library changed (see LibraryChange); emitted after snapshotChanged() of the new state,
    // at most once per indexing run, removal or forget. Views follow it: every view shows the
    // library as it now is without the person asking.
    void libraryChanged(const rv::ui::LibraryChange& change);
    // A failed add/remove/forget, for the status bar.
    void problem(const QString& text);

    // --- pairs (i11-pairs) ---
    void pairsReady(quint64 id, const QVector<rv::ui::PairItem>& pairs, const rv::ui::PairThreshold& threshold,
                    const QString& error);
    void pairMarkStored(const rv::ui::PairItem& pair, bool ok, const QString& error);
    void pairThresholdChanged(const rv::ui::PairThreshold& threshold);

protected:
    bool event(QEvent* e) override;  // runs the calls post() queued

private:
    void startIndexing(const QStringList& newRoots);
    void watchRoots();
    void mergeChange(const LibraryChange& change);  // into pendingChange_
    void emitChange();                              // emits pendingChange_ unless empty, and clears it  // watches the roots' folders for changes (listed off the GUI thread)
    quint64 runSearch(const QString& label, std::function<Result<std::vector<SearchResult>>(Library&)> query);
    template <class F>
    void post(F&& f);  // runs f on the GUI thread (dropped if this service is gone)

    std::shared_ptr<Library> library_;
    LibrarySnapshot snapshot_;
    QList<FileError> fileErrors_;
    LibraryChange pendingChange_;  // reported by the next snapshot refresh
    bool haveSnapshot_ = false;    // a snapshot of the open library arrived (the first is no change)
    QThreadPool writer_, reader_;
    // The running indexing run's cancel flag (each run has its own, so a new run or library never
    // clears an old run's cancel).
    std::shared_ptr<std::atomic<bool>> indexCancel_ = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> duplicatesCancel_;  // of the newest duplicates request
    std::atomic<quint64> latestSearch_{0};
    quint64 openRequest_ = 0;  // the newest open() (GUI thread)
    bool indexing_ = false;
    bool rescanWanted_ = false;   // a change arrived while indexing: scan again when done
    bool userCancelled_ = false;  // the person cancelled the running run (no automatic rescan)
    QFileSystemWatcher watcher_;
    QTimer rescanTimer_;  // debounces folder-change notifications

    // --- pairs (i11-pairs) ---
    // Writer thread: reports the calibrated threshold unless a newer mark change (id) follows.
    void refreshPairThreshold(const std::shared_ptr<Library>& lib, quint64 id);
    std::atomic<quint64> latestPairs_{0};      // newest requestPairs()
    std::atomic<quint64> latestThreshold_{0};  // newest threshold refresh (older ones skipped)
};

}  // namespace rv::ui
