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
#include <QRectF>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
#include <QVector>

#include <atomic>
#include <memory>
#include <vector>

#include "learning/LearningData.h"
#include "learning/TuneData.h"
#include "ruvision/engine/Library.h"
#include "marks/MarkState.h"
#include "ruvision/engine/Marks.h"
#include "pairs/PairTypes.h"
#include "poincare/MapData.h"

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
    // What a person reads (i13-search): the calibrated score in [0, 1] (SearchResult::shown; a
    // copy carries its picture's), and its word ("same picture", "very similar", "related", "").
    float score = 0;
    QVector<Copy> copies = {};
    QString word = {};
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

    // --- marks (i11-marks) --- (ui/src/marks/ServiceMarks.cpp)
    // The person's verdict on (query, result), two files of the library: stored (Alike, Different;
    // source "search") or removed (None) on the writer, then the fast adapter is updated
    // (rv::update_fast_adapter_after_mark). `search` is a number the caller gives each search it
    // shows: the first mark stored for it records that search as a session refined by that mark
    // (rv::search_with_feedback) and every mark of it carries the session's id (0: no session). Queued behind a
    // running learn or indexing run, never waited for. Reports markStored().
    void setMark(const QString& query, const QString& result, rv::ui::MarkState state, quint64 search);
    // The marks whose pair includes `query`, read on the writer (rv::marks_of_file). Reports marksLoaded().
    void loadMarks(const QString& query);
    // `query` (a library file) searched again with in-session feedback (rv::SearchOptions alike /
    // different, library files) on the reader. Like search(): replaces the search before it and
    // reports searchFinished() with the returned id.
    quint64 searchWithMarks(const QString& query, const QStringList& alike, const QStringList& different, int k = 200);
    // "Not a duplicate" in the duplicates view: the person says `a` and `b` are not the same
    // picture. The one place that decides how that is stored: alike, source "duplicates" (which
    // duplicate calibration counts as "not the same picture"; not "different", which learning reads as unlike).
    // Reports notDuplicateStored().
    void markNotDuplicate(const QString& a, const QString& b);
    // --- learning panel (i11-panel); defined in learning/ServiceLearning.cpp ---
    // Marks, versions, learn and activation run on the writer pool (a learn or an activation can
    // hold it for seconds: nothing here waits for it); searches on the reader. Each answers with
    // the signal named below, on the GUI thread, for the library open when it was asked.
    void listMarks();                                   // -> marksListed
    void removeMarks(const QVector<rv::ui::MarkRow>& marks);  // -> marksChanged, marksListed
    void exportMarks(const QString& file);              // -> marksExported
    void importMarks(const QString& file);              // -> marksImported, marksChanged
    void listVersions();                                // -> versionsListed
    // Learn Now: trains, stores and (if the guard lets it) activates a version. Ignored (false)
    // while a learn or an activation runs or is queued.
    bool learnNow() { return startLearn(false); }
    // Makes `version` active (0: none), whatever the guard said. Ignored (false) while busy.
    bool activateVersion(qint64 version);
    void cancelLearning();                              // the running or queued learn / activation
    bool isLearning() const { return learning_; }
    // Background learning: after at least `minNewMarks` marks more than the newest version learned
    // from, and `quietMs` without a new mark, a learn starts by itself; never while indexing or
    // learning. Checked every `pollMs` (a count on the writer). Off until enabled.
    void setAutoLearn(bool on, int minNewMarks = 10, int quietMs = 20000, int pollMs = 5000);
    bool autoLearn() const { return autoLearnOn_; }
    // The same query with and without the adapter (rv::SearchOptions::no_adapter), for Compare.
    // Returns the id compareFinished() carries; a newer compare replaces an older one.
    quint64 compare(const QString& imagePath, int k = 60);
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
    // --- hierarchy (i12-view) --- (ui/src/poincare/ServiceHierarchy.cpp)
    // The library's stored hierarchy (rv::load_hierarchy on the reader, with its images' paths from
    // a read-only catalog connection): loaded when a library opens and after each update, reported
    // by hierarchyLoaded() (a null map when none is stored). The service keeps it up to date by
    // itself: updateHierarchy() after an indexing run that changed files (or when none is stored,
    // or it is stale) and after a learn or activation that changed the active version.
    void loadHierarchy();
    // rv::update_hierarchy on the writer (after what is queued there), progress by
    // hierarchyProgress(), then hierarchyUpdated() and a reload. While one runs, another is
    // queued once (false).
    bool updateHierarchy();
    void cancelHierarchy();  // the running update stops; the stored hierarchy stays as it was
    bool isBuildingHierarchy() const { return hierarchyBuilding_; }
    bool isLoadingHierarchy() const { return hierarchyLoading_ > 0; }
    // Search at a level (rv::search_at_level) for an image file, on the reader: k hits. Returns the
    // id levelSearchFinished() carries; an older request's answer is dropped.
    quint64 searchAtLevel(const QString& imagePath, int level, int k = 12);
    // --- tuning (i13-tune) --- (ui/src/learning/ServiceTuning.cpp)
    // Self-supervised tuning (rv::tune) on the writer pool, cancellable; searches go on on the
    // reader. tuneNow() starts one (false: one runs already, or no library). With auto tune on,
    // after an indexing run that added or changed images, rv::tune_due(minImages) is asked on the
    // writer and a tune starts when it is due; an indexing run that starts meanwhile cancels an
    // automatic tune (it would wait behind it) and the check is made again after that run.
    // Opening another library or destroying the service cancels the running tune.
    bool tuneNow() { return startTune(false); }
    void cancelTuning();
    bool isTuning() const { return tuning_; }
    void setAutoTune(bool on, int minImages = 50);
    bool autoTune() const { return autoTuneOn_; }

    // --- region search (i13-region) --- (search/ServiceRegion.cpp)
    // `region` (fractions of the image, rv::RegionRect) of `imagePath` searched by region
    // (rv::Library::search_region) on the reader; like search(): replaces the search before it
    // and answers with searchFinished() carrying the returned id and `label`.
    quint64 searchRegion(const QString& imagePath, const QRectF& region, const QString& label, int k = 200);

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

    // --- marks (i11-marks) ---
    // A setMark() done: `state` is now the pair's verdict in the catalog (unless `error`).
    void markStored(const QString& query, const QString& result, rv::ui::MarkState state, const QString& error);
    // loadMarks(): `libraryQuery` is the query's path as the catalog has it (empty: not a file of
    // the library, `error` empty; or the catalog failed, `error` says why); `marks` maps the other
    // file of each of its pairs (catalog path) to its MarkState (as int).
    void marksLoaded(const QString& query, const QString& libraryQuery, const QHash<QString, int>& marks,
                     const QString& error);
    void notDuplicateStored(const QString& a, const QString& b, const QString& error);
    // --- learning panel (i11-panel) ---
    void marksListed(const QVector<rv::ui::MarkRow>& marks, const QString& error);
    void marksChanged();  // marks were removed or imported through this service
    void marksExported(const QString& file, qint64 count, const QString& error);
    void marksImported(const rv::ui::MarkImportReport& report);
    void versionsListed(const QVector<rv::ui::VersionRow>& versions, const QString& error);
    void learnStarted(rv::ui::LearnOutcome::Kind kind, bool automatic, qint64 version);
    // stage: "waiting", "training" (step of steps) or "re-projecting" (features of total).
    void learnProgress(const QString& stage, qint64 done, qint64 total);
    void learnFinished(const rv::ui::LearnOutcome& outcome);  // then versionsListed follows
    void compareFinished(quint64 id, const QVector<rv::ui::SearchHit>& withAdapter,
                         const QVector<rv::ui::SearchHit>& without, const QString& error);
    // --- pairs (i11-pairs) ---
    void pairsReady(quint64 id, const QVector<rv::ui::PairItem>& pairs, const rv::ui::PairThreshold& threshold,
                    const QString& error);
    void pairMarkStored(const rv::ui::PairItem& pair, bool ok, const QString& error);
    void pairThresholdChanged(const rv::ui::PairThreshold& threshold);
    // --- hierarchy (i12-view) ---
    // map: null when the library has no stored hierarchy yet (error empty) or it could not be read.
    void hierarchyLoaded(std::shared_ptr<const rv::ui::MapData> map, const QString& error);
    void hierarchyProgress(qint64 done, qint64 total);  // of the running update; (0, 0) when it starts
    void hierarchyUpdated(const rv::ui::MapBuildInfo& info, const QString& error);  // error "cancelled" when cancelled
    void levelSearchFinished(quint64 id, const rv::ui::LevelResult& result, const QString& error);
    // --- tuning (i13-tune) ---
    void tuneStarted(bool automatic);
    // stage: "waiting", "views" (images of total), "training" (step of steps), "re-projecting".
    void tuneProgress(const QString& stage, qint64 done, qint64 total);
    void tuneFinished(const rv::ui::TuneOutcome& outcome);  // then versionsListed follows

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

    // --- marks (i11-marks) ---
    // setMark()'s search number -> the session recorded for it. Read and written on the writer only.
    std::shared_ptr<QHash<quint64, qint64>> markSessions_ = std::make_shared<QHash<quint64, qint64>>();
    // --- learning panel (i11-panel) ---
    bool startLearn(bool automatic);
    void finishLearn(const LearnOutcome& outcome);
    void checkAutoLearn();  // the poll: counts marks on the writer, may start a learn
    bool learning_ = false;
    std::shared_ptr<std::atomic<bool>> learnCancel_;
    bool autoLearnOn_ = false;
    int autoMinNew_ = 10, autoQuietMs_ = 20000;
    bool autoChecking_ = false;      // a count is queued on the writer
    qint64 autoFailedAt_ = -1;       // mark count when a background learn failed: not again until it changes
    QTimer autoLearnTimer_;
    std::atomic<quint64> latestCompare_{0};
    // --- pairs (i11-pairs) ---
    // Writer thread: reports the calibrated threshold unless a newer mark change (id) follows.
    void refreshPairThreshold(const std::shared_ptr<Library>& lib, quint64 id);
    std::atomic<quint64> latestPairs_{0};      // newest requestPairs()
    std::atomic<quint64> latestThreshold_{0};  // newest threshold refresh (older ones skipped)
    // --- hierarchy (i12-view) ---
    void connectHierarchy();  // the constructor's: follows open, indexing and learning
    void stopHierarchy();     // cancels the running update (the destructor)
    void openHierarchy(const QString& dir, quint64 openId);  // open(): cancels, and reads the stored map early
    void checkHierarchy(bool filesChanged);  // updates it when needed
    enum class MapState { Unknown, None, Stale, Fresh };
    MapState mapState_ = MapState::Unknown;
    bool mapCheckWanted_ = false;      // indexing ended before the load said what is stored
    bool mapCheckChanged_ = false;     // ... and it changed files
    bool hierarchyBuilding_ = false;
    bool hierarchyAgain_ = false;      // asked while building: once more after it
    int hierarchyLoading_ = 0;         // loads out
    quint64 mapLoad_ = 0;              // the newest load's id
    quint64 mapShown_ = 0;             // the id of the load whose map was reported last (older ones dropped)
    std::shared_ptr<std::atomic<bool>> hierarchyCancel_ = std::make_shared<std::atomic<bool>>(false);
    // (i13-mend) the map the early read showed and its header, kept until the opened library's
    // first load, which then asks only whether it is stale
    std::shared_ptr<const MapData> earlyMap_;
    StoredHierarchyInfo earlyInfo_;
    std::atomic<quint64> latestLevelSearch_{0};
    // --- tuning (i13-tune) ---
    void connectTuning();  // the constructor's: follows indexing
    bool startTune(bool automatic);
    void checkAutoTune();  // asks rv::tune_due on the writer, may start a tune
    bool tuning_ = false;
    bool tuneAutomatic_ = false;  // the running tune was started by auto tune
    bool tunePending_ = false;    // the library changed (or an automatic tune gave way) since the last due check
    bool autoTuneOn_ = false;
    int autoTuneMin_ = 50;
    std::shared_ptr<std::atomic<bool>> tuneCancel_;
};

}  // namespace rv::ui
