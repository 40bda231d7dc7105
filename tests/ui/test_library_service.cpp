// LibraryService, the GUI's asynchronous wrapper of rv::Library, against the real engine and real
// photos (Debian's mate-backgrounds, scaled to at most 1024 px so the test stays quick): open,
// index a folder with a broken file, search by file and by pixels, the newest search replacing an
// older one, duplicates, forget, remove a folder, a path that cannot be a library, and destroying
// the service mid-indexing followed by a resume.
//
// Every signal is asserted as the GUI thread receives it; waits are generous and nothing is timed.
// XDG_CACHE_HOME, XDG_CONFIG_HOME and XDG_DATA_HOME point into a temporary folder before the
// application object exists; models come from RUVISION_MODELS (set by CTest, else the build's).
#include <QDir>
#include <QDirIterator>
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>

#include "LibraryService.h"
#include "ui_test_util.h"
#include "ruvision/engine/Library.h"

using rv::ui::IndexSummary;
using rv::ui::LibraryChange;
using rv::ui::LibraryService;
using rv::ui::LibrarySnapshot;
using rv::ui::SearchHit;

namespace {

using ui_test::kWait;
using ui_test::writeScaledPhotos;

// Everything a LibraryService reported, typed, in arrival order (GUI thread).
struct ServiceLog {
    struct Progress {
        int done, total, errors;
    };
    struct Search {
        quint64 id;
        QString query;
        QVector<SearchHit> hits;
        QString error;
    };
    struct Duplicates {
        std::vector<rv::DuplicateGroup> groups;
        QString error;
    };

    // Connections live as long as this log (its `context`), whichever of the two goes first.
    explicit ServiceLog(LibraryService* s) {
        QObject::connect(s, &LibraryService::snapshotChanged, &context, [this](const LibrarySnapshot& x) { snapshots << x; });
        QObject::connect(s, &LibraryService::indexProgress, &context,
                         [this](int done, int total, const QString&, int errors, double) {
                             progress.push_back({done, total, errors});
                         });
        QObject::connect(s, &LibraryService::indexFinished, &context, [this](bool ok, const QString& error, const IndexSummary& x) {
            finished << x;
            finishedOk << ok;
            finishedErrors << error;
        });
        QObject::connect(s, &LibraryService::searchFinished, &context,
                         [this](quint64 id, const QString& query, const QVector<SearchHit>& hits, const QString& error) {
                             searches.push_back({id, query, hits, error});
                         });
        QObject::connect(s, &LibraryService::duplicatesFinished, &context,
                         [this](const std::vector<rv::DuplicateGroup>& g, const QString& error) {
                             duplicates.push_back({g, error});
                         });
        QObject::connect(s, &LibraryService::problem, &context, [this](const QString& text) { problems << text; });
        QObject::connect(s, &LibraryService::libraryChanged, &context, [this](const LibraryChange& c) { changes << c; });
    }

    const Search* searchWithId(quint64 id) const {
        for (const auto& s : searches)
            if (s.id == id) return &s;
        return nullptr;
    }
    int searchesWithId(quint64 id) const {
        return static_cast<int>(std::count_if(searches.begin(), searches.end(), [id](const Search& s) { return s.id == id; }));
    }

    QObject context;
    QList<LibrarySnapshot> snapshots;
    QVector<Progress> progress;
    QList<IndexSummary> finished;
    QList<bool> finishedOk;
    QStringList finishedErrors;
    QVector<Search> searches;
    QVector<Duplicates> duplicates;
    QStringList problems;
    QList<LibraryChange> changes;
};

// Hits are a ranking: best first, scores never increase, each file once.
bool isRanking(const QVector<SearchHit>& hits) {
    QSet<QString> seen;
    for (int i = 0; i < hits.size(); ++i) {
        if (i > 0 && hits[i].score > hits[i - 1].score) return false;
        if (seen.contains(hits[i].path)) return false;
        seen.insert(hits[i].path);
    }
    return true;
}

}  // namespace

class TestLibraryService : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void open_refuses_a_path_that_is_a_file();
    // The following share one library: indexed once, then searched, trimmed and emptied in order.
    void add_folder_indexes_it_and_lists_broken_files();
    void search_by_file_ranks_that_photo_first();
    void newer_search_replaces_older();
    void search_by_pixels_finds_the_photo();
    void duplicates_group_a_byte_copy();
    void forget_drops_a_file();
    void remove_folder_forgets_its_files();

    void destroy_while_indexing_keeps_progress_and_resumes();
    void removing_a_folder_mid_run_still_indexes_the_other();
    void a_photo_added_in_a_subfolder_is_indexed_by_itself();
    void changes_report_moves_and_a_root_gone_empty();
    void opening_another_library_mid_run_switches_cleanly();

private:
    bool sharedLibraryIndexed() const { return service_ && service_->snapshot().indexed == photos_.size() + 1; }

    QTemporaryDir tmp_;
    QString folder_;     // photos_, copy_ and broken_
    QStringList photos_;  // distinct real photos in folder_
    QString copy_;       // an exact byte copy of photos_[0], in folder_
    QString broken_;     // a zero-byte .jpg, in folder_
    std::unique_ptr<LibraryService> service_;
    std::unique_ptr<ServiceLog> log_;
};

void TestLibraryService::initTestCase() {
    QVERIFY(tmp_.isValid());
    folder_ = tmp_.filePath(QStringLiteral("photos"));
    photos_ = writeScaledPhotos(folder_, 11, 1024);
    if (photos_.size() < 11) QSKIP("mate-backgrounds (/usr/share/backgrounds/mate/nature) is not installed");
    copy_ = folder_ + QStringLiteral("/copy of ") + QFileInfo(photos_[0]).fileName();
    QVERIFY(QFile::copy(photos_[0], copy_));
    broken_ = folder_ + QStringLiteral("/broken.jpg");
    QFile empty(broken_);
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
}

void TestLibraryService::cleanupTestCase() {
    service_.reset();  // waits for its threads before the temporary folder goes
    log_.reset();
}

void TestLibraryService::open_refuses_a_path_that_is_a_file() {
    const QString file = tmp_.filePath(QStringLiteral("a file, not a folder"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("text");
    f.close();

    LibraryService service;
    QSignalSpy opened(&service, &LibraryService::opened);
    service.open(file);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QCOMPARE(opened[0][0].toBool(), false);
    const QString error = opened[0][1].toString();
    QVERIFY2(error.contains(file), qPrintable(error));  // the message names the path
    QVERIFY(!service.isOpen());
    QVERIFY(!service.isIndexing());
    // A search without a library answers with an error rather than never.
    QSignalSpy searched(&service, &LibraryService::searchFinished);
    const quint64 id = service.search(photos_[0]);
    QTRY_COMPARE(searched.count(), 1);
    QCOMPARE(searched[0][0].value<quint64>(), id);
    QVERIFY(!searched[0][3].toString().isEmpty());
}

void TestLibraryService::add_folder_indexes_it_and_lists_broken_files() {
    service_ = std::make_unique<LibraryService>();
    log_ = std::make_unique<ServiceLog>(service_.get());
    QSignalSpy opened(service_.get(), &LibraryService::opened);
    QSignalSpy started(service_.get(), &LibraryService::indexingStarted);
    service_->open(tmp_.filePath(QStringLiteral("library")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QCOMPARE(opened[0][0].toBool(), true);
    QVERIFY(service_->isOpen());

    // Added while the re-scan that follows open() may still run: the folder is indexed after it.
    service_->addRoot(folder_);
    QTRY_VERIFY_WITH_TIMEOUT(!service_->isIndexing() && !log_->finished.isEmpty(), kWait);
    QVERIFY(started.count() >= 1);
    QVERIFY(log_->finishedOk.last());
    const IndexSummary& sum = log_->finished.last();
    const int good = photos_.size() + 1;  // + the byte copy
    QCOMPARE(sum.found, qint64(good + 1));
    QCOMPARE(sum.embedded, qint64(good));
    QCOMPARE(sum.failed, qint64(1));
    QVERIFY(!sum.cancelled);

    // Progress counts the files to embed, ends at done == total, never runs past total.
    QVERIFY(!log_->progress.isEmpty());
    for (const auto& p : log_->progress) QVERIFY(p.done >= 1 && p.done <= p.total);
    QCOMPARE(log_->progress.last().total, good + 1);
    QCOMPARE(log_->progress.last().done, good + 1);
    QCOMPARE(log_->progress.last().errors, 1);

    // The broken file is listed by path with a reason.
    const auto& errors = service_->fileErrors();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].path, broken_);
    QVERIFY(!errors[0].reason.isEmpty());

    QTRY_VERIFY_WITH_TIMEOUT(!log_->snapshots.isEmpty() && log_->snapshots.last().indexed == good, kWait);
    const LibrarySnapshot& snap = log_->snapshots.last();
    QCOMPARE(snap.roots, QStringList{folder_});
    QCOMPARE(snap.errors, qint64(1));
    QCOMPARE(snap.vectors, qint64(good));
    QCOMPARE(snap.dir, tmp_.filePath(QStringLiteral("library")));
    QVERIFY(!snap.model.isEmpty() && snap.dim > 0);
    QCOMPARE(service_->snapshot().indexed, qint64(good));
    QVERIFY2(log_->problems.isEmpty(), qPrintable(log_->problems.join('\n')));
}

void TestLibraryService::search_by_file_ranks_that_photo_first() {
    if (!sharedLibraryIndexed()) QSKIP("the shared library was not indexed");
    const QString query = photos_[4];
    const quint64 id = service_->search(query);
    QTRY_VERIFY_WITH_TIMEOUT(log_->searchWithId(id), kWait);
    const auto* s = log_->searchWithId(id);
    QVERIFY2(s->error.isEmpty(), qPrintable(s->error));
    QCOMPARE(s->query, query);
    QCOMPARE(s->hits.size(), photos_.size() + 1);  // every indexed file, fewer than k = 200
    QCOMPARE(s->hits[0].path, query);
    QVERIFY2(s->hits[0].score > 0.99f, qPrintable(QString::number(s->hits[0].score)));
    QVERIFY(isRanking(s->hits));
    for (const auto& h : s->hits) QVERIFY(h.path != broken_);
}

void TestLibraryService::newer_search_replaces_older() {
    if (!sharedLibraryIndexed()) QSKIP("the shared library was not indexed");
    const quint64 older = service_->search(photos_[1]);
    const quint64 newer = service_->search(photos_[2]);
    QVERIFY(newer != older);
    QTRY_VERIFY_WITH_TIMEOUT(log_->searchWithId(newer), kWait);
    // The older one was either skipped before it ran or dropped when it came back; a reply to it
    // would have arrived before the newer's (one reader thread, replies queued in order).
    QCOMPARE(log_->searchesWithId(older), 0);
    QCOMPARE(log_->searchesWithId(newer), 1);
    QCOMPARE(log_->searchWithId(newer)->hits.value(0).path, photos_[2]);

    // Search as you click: queries while earlier ones are still running on the reader. Whenever a
    // result arrives it is for the newest query asked so far (an older one that finished late is
    // dropped), and it answers that query.
    quint64 newest = 0;
    QString newestPath;
    int delivered = 0, stale = 0, wrong = 0;
    QObject context;
    connect(service_.get(), &LibraryService::searchFinished, &context,
            [&](quint64 id, const QString& query, const QVector<SearchHit>& hits, const QString&) {
                ++delivered;
                if (id != newest) ++stale;
                if (query != newestPath || hits.value(0).path != query) ++wrong;
            });
    for (int i = 0; i < 40; ++i) {
        newestPath = photos_[i % photos_.size()];
        newest = service_->search(newestPath);
        QTest::qWait(i % 8);  // lets some queries start, and some finish, before the next one
    }
    QTRY_VERIFY_WITH_TIMEOUT(log_->searchWithId(newest), kWait);
    QCOMPARE(stale, 0);
    QCOMPARE(wrong, 0);
    QCOMPARE(log_->searchesWithId(newest), 1);
    QVERIFY(delivered >= 1 && delivered <= 40);
}

void TestLibraryService::search_by_pixels_finds_the_photo() {
    if (!sharedLibraryIndexed()) QSKIP("the shared library was not indexed");
    const QImage pixels(photos_[3]);
    QVERIFY(!pixels.isNull());
    const quint64 id = service_->search(pixels, QStringLiteral("Pasted"));
    QTRY_VERIFY_WITH_TIMEOUT(log_->searchWithId(id), kWait);
    const auto* s = log_->searchWithId(id);
    QVERIFY2(s->error.isEmpty(), qPrintable(s->error));
    QCOMPARE(s->query, QStringLiteral("Pasted"));
    QVERIFY(!s->hits.isEmpty());
    QCOMPARE(s->hits[0].path, photos_[3]);
    QVERIFY2(s->hits[0].score > 0.95f, qPrintable(QString::number(s->hits[0].score)));
    QVERIFY(isRanking(s->hits));
}

void TestLibraryService::duplicates_group_a_byte_copy() {
    if (!sharedLibraryIndexed()) QSKIP("the shared library was not indexed");
    service_->findDuplicates();
    QTRY_COMPARE_WITH_TIMEOUT(log_->duplicates.size(), 1, kWait);
    const auto& d = log_->duplicates[0];
    QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
    const std::string original = QFile::encodeName(photos_[0]).toStdString();
    const std::string copy = QFile::encodeName(copy_).toStdString();
    const auto together = std::find_if(d.groups.begin(), d.groups.end(), [&](const rv::DuplicateGroup& g) {
        auto has = [&g](const std::string& p) {
            return std::any_of(g.members.begin(), g.members.end(), [&p](const rv::DuplicateMember& m) { return m.path == p; });
        };
        return has(original) && has(copy);
    });
    QVERIFY2(together != d.groups.end(), "the photo and its byte copy are not in one group");
}

void TestLibraryService::forget_drops_a_file() {
    if (!sharedLibraryIndexed()) QSKIP("the shared library was not indexed");
    const qint64 before = service_->snapshot().indexed;
    // The file stays on disk and its folder unchanged, so no re-scan brings it back meanwhile.
    const int changes = log_->changes.size();
    service_->forget({copy_});
    QTRY_COMPARE_WITH_TIMEOUT(service_->snapshot().indexed, before - 1, kWait);
    // The views hear of it: one change, naming the file.
    QTRY_COMPARE_WITH_TIMEOUT(log_->changes.size(), changes + 1, kWait);
    QCOMPARE(log_->changes.last().forgotten, QStringList{copy_});
    QVERIFY(!log_->changes.last().rootsChanged);
    const quint64 id = service_->search(photos_[0]);
    QTRY_VERIFY_WITH_TIMEOUT(log_->searchWithId(id), kWait);
    const auto& hits = log_->searchWithId(id)->hits;
    QCOMPARE(qint64(hits.size()), before - 1);
    QCOMPARE(hits[0].path, photos_[0]);
    for (const auto& h : hits) QVERIFY(h.path != copy_);
    QVERIFY2(log_->problems.isEmpty(), qPrintable(log_->problems.join('\n')));
}

void TestLibraryService::remove_folder_forgets_its_files() {
    if (!service_ || service_->snapshot().roots.isEmpty()) QSKIP("the shared library has no folder");
    const int changes = log_->changes.size();
    service_->removeRoot(folder_);
    QTRY_VERIFY_WITH_TIMEOUT(service_->snapshot().roots.isEmpty(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(log_->changes.size(), changes + 1, kWait);
    QVERIFY(log_->changes.last().rootsChanged);
    QCOMPARE(service_->snapshot().indexed, qint64(0));
    QCOMPARE(service_->snapshot().files, qint64(0));
    QVERIFY(QFile::exists(photos_[0]));  // the files stay on disk
    const quint64 id = service_->search(photos_[0]);
    QTRY_VERIFY_WITH_TIMEOUT(log_->searchWithId(id), kWait);
    QVERIFY(log_->searchWithId(id)->hits.isEmpty());
    QVERIFY2(log_->problems.isEmpty(), qPrintable(log_->problems.join('\n')));
}

void TestLibraryService::destroy_while_indexing_keeps_progress_and_resumes() {
    if (photos_.isEmpty()) QSKIP("no photos");
    constexpr int kFiles = 100;
    const QString many = tmp_.filePath(QStringLiteral("many"));
    QVERIFY(QDir().mkpath(many));
    for (int i = 0; i < kFiles; ++i)
        QVERIFY(QFile::copy(photos_[i % photos_.size()], many + QStringLiteral("/%1.jpg").arg(i, 3, 10, QLatin1Char('0'))));
    const QString dir = tmp_.filePath(QStringLiteral("resumed library"));

    {
        auto service = std::make_unique<LibraryService>();
        ServiceLog log(service.get());
        QSignalSpy opened(service.get(), &LibraryService::opened);
        service->open(dir);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
        QVERIFY(opened[0][0].toBool());
        service->addRoot(many);
        QTRY_VERIFY_WITH_TIMEOUT(!log.progress.isEmpty(), kWait);
        QCOMPARE(log.progress.last().total, kFiles);
        // Destroyed mid-run: indexing is cancelled, the files embedded so far are kept, and the
        // destructor returns once the engine has stopped; nothing is delivered after it.
        service.reset();
    }

    // What the engine kept, read straight from the library: some files, not all of them (the
    // destructor cancelled the run rather than waiting for it to finish).
    qint64 kept = -1;
    {
        auto lib = rv::Library::open(QFile::encodeName(dir).toStdString());
        QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
        auto status = (*lib)->status();
        QVERIFY(status);
        kept = static_cast<qint64>(status->counts.indexed);
    }
    qInfo("destroyed mid-run: %lld of %d files kept", static_cast<long long>(kept), kFiles);
    QVERIFY2(kept >= 1 && kept < kFiles, qPrintable(QString::number(kept)));

    // A new service on the same library reports them and resumes with the rest.
    LibraryService service;
    ServiceLog log(&service);
    QSignalSpy opened(&service, &LibraryService::opened);
    service.open(dir);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QVERIFY(opened[0][0].toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!log.snapshots.isEmpty(), kWait);
    QCOMPARE(log.snapshots.first().roots, QStringList{many});
    QVERIFY(log.snapshots.first().indexed >= kept);  // the resumed run may have committed more since
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && !log.finished.isEmpty(), kWait);
    const IndexSummary& sum = log.finished.last();
    QVERIFY(log.finishedOk.last());
    QCOMPARE(sum.unchanged, kept);
    QCOMPARE(sum.embedded, qint64(kFiles) - kept);
    QCOMPARE(sum.failed, qint64(0));
    QTRY_COMPARE_WITH_TIMEOUT(service.snapshot().indexed, qint64(kFiles), kWait);
}

// A folder shows in the snapshot as soon as it is added (not when its first indexing ends); removing
// one folder while another indexes stops the run, and the other folder is still indexed in full.
void TestLibraryService::removing_a_folder_mid_run_still_indexes_the_other() {
    if (photos_.isEmpty()) QSKIP("no photos");
    constexpr int kFiles = 60;
    const QString a = tmp_.filePath(QStringLiteral("folder A")), b = tmp_.filePath(QStringLiteral("folder B"));
    for (const QString& dir : {a, b}) {
        QVERIFY(QDir().mkpath(dir));
        for (int i = 0; i < kFiles; ++i)
            QVERIFY(QFile::copy(photos_[i % photos_.size()], dir + QStringLiteral("/%1.jpg").arg(i, 3, 10, QLatin1Char('0'))));
    }
    LibraryService service;
    ServiceLog log(&service);
    QSignalSpy opened(&service, &LibraryService::opened);
    service.open(tmp_.filePath(QStringLiteral("two folders library")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    service.addRoot(a);
    service.addRoot(b);
    QTRY_VERIFY_WITH_TIMEOUT(service.snapshot().roots.contains(a), kWait);
    QVERIFY(service.isIndexing());  // listed while its files are still being indexed
    QTRY_VERIFY_WITH_TIMEOUT(service.snapshot().roots.contains(b) && !log.progress.isEmpty(), kWait);
    service.removeRoot(a);
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && service.snapshot().roots == QStringList{b} &&
                                 service.snapshot().indexed == kFiles && service.snapshot().pending == 0,
                             kWait);
    QVERIFY2(log.problems.isEmpty(), qPrintable(log.problems.join('\n')));
}

// The roots' folders are watched: a photo copied into a subfolder after indexing gets indexed
// without anyone asking (after the watcher's debounce).
void TestLibraryService::a_photo_added_in_a_subfolder_is_indexed_by_itself() {
    if (photos_.size() < 2) QSKIP("no photos");
    const QString root = tmp_.filePath(QStringLiteral("watched")), sub = root + QStringLiteral("/2024/summer");
    QVERIFY(QDir().mkpath(sub));
    QVERIFY(QFile::copy(photos_[0], sub + QStringLiteral("/first.jpg")));
    LibraryService service;
    ServiceLog log(&service);
    QSignalSpy opened(&service, &LibraryService::opened);
    service.open(tmp_.filePath(QStringLiteral("watched library")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    service.addRoot(root);
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && service.snapshot().indexed == 1, kWait);
    const int runs = log.finished.size();
    QTRY_VERIFY_WITH_TIMEOUT(service.watchedFolders().contains(sub), kWait);  // listed off the GUI thread
    QVERIFY(QFile::copy(photos_[1], sub + QStringLiteral("/second.jpg")));
    QTRY_VERIFY_WITH_TIMEOUT(log.finished.size() > runs && service.snapshot().indexed == 2, kWait);
}

// A rescan reports what it found to the views: a renamed file as moved (old -> new path), nothing
// when nothing changed, and a root whose files all vanished (the folder still there) as offline.
void TestLibraryService::changes_report_moves_and_a_root_gone_empty() {
    if (photos_.size() < 2) QSKIP("no photos");
    const QString root = tmp_.filePath(QStringLiteral("renames"));
    QVERIFY(QDir().mkpath(root));
    const QString a = root + QStringLiteral("/a.jpg"), b = root + QStringLiteral("/b.jpg");
    QVERIFY(QFile::copy(photos_[0], a));
    QVERIFY(QFile::copy(photos_[1], b));
    LibraryService service;
    ServiceLog log(&service);
    QSignalSpy opened(&service, &LibraryService::opened);
    service.open(tmp_.filePath(QStringLiteral("renames library")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    service.addRoot(root);
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && service.snapshot().indexed == 2, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!log.changes.isEmpty(), kWait);  // a root added, two files new
    QCOMPARE(log.changes.last().embedded, qint64(2));

    const QString renamed = root + QStringLiteral("/a renamed.jpg");
    QVERIFY(QFile::rename(a, renamed));
    int changes = log.changes.size();
    service.rescan();
    QTRY_COMPARE_WITH_TIMEOUT(log.changes.size(), changes + 1, kWait);
    const LibraryChange moved = log.changes.last();
    QCOMPARE(moved.moved, qint64(1));
    QCOMPARE(moved.embedded, qint64(0));
    QCOMPARE(moved.movedPaths.value(a), renamed);
    QCOMPARE(moved.movedPaths.size(), 1);

    // Nothing changed: the run ends, a snapshot follows, and no change is reported.
    changes = log.changes.size();
    const int runs = log.finished.size(), snapshots = log.snapshots.size();
    service.rescan();
    QTRY_VERIFY_WITH_TIMEOUT(log.finished.size() > runs && log.snapshots.size() > snapshots && !service.isIndexing(), kWait);
    QCOMPARE(log.changes.size(), changes);

    // Every file gone, the folder still there: the engine keeps them and calls the root offline.
    QVERIFY(QFile::remove(renamed));
    QVERIFY(QFile::remove(b));
    service.rescan();
    QTRY_COMPARE_WITH_TIMEOUT(log.changes.size(), changes + 1, kWait);
    QVERIFY(log.changes.last().rootsChanged);
    QVERIFY2(service.snapshot().offlineRoots.contains(QDir(root).canonicalPath()) || service.snapshot().offlineRoots.contains(root),
             qPrintable(QStringList(service.snapshot().offlineRoots.keys()).join(',')));
}

// Opening another library while one indexes: the old run is cancelled and its results dropped; the
// new library opens, with its own roots and counts, and the old one resumes when opened again.
void TestLibraryService::opening_another_library_mid_run_switches_cleanly() {
    if (photos_.isEmpty()) QSKIP("no photos");
    constexpr int kFiles = 80;
    const QString big = tmp_.filePath(QStringLiteral("switch big"));
    QVERIFY(QDir().mkpath(big));
    for (int i = 0; i < kFiles; ++i)
        QVERIFY(QFile::copy(photos_[i % photos_.size()], big + QStringLiteral("/%1.jpg").arg(i, 3, 10, QLatin1Char('0'))));
    const QString first = tmp_.filePath(QStringLiteral("switch first")), second = tmp_.filePath(QStringLiteral("switch second"));
    LibraryService service;
    ServiceLog log(&service);
    QSignalSpy opened(&service, &LibraryService::opened);
    service.open(first);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    service.addRoot(big);
    QTRY_VERIFY_WITH_TIMEOUT(!log.progress.isEmpty(), kWait);
    const int finishedBefore = log.finished.size();
    service.open(second);
    QVERIFY(!service.isIndexing());  // the old run no longer counts
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, kWait);
    QVERIFY(opened[1][0].toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && log.finished.size() > finishedBefore, kWait);
    QCOMPARE(log.finished.last().found, qint64(0));  // the new, empty library's run, not the old one
    QCOMPARE(service.snapshot().dir, second);
    QVERIFY(service.snapshot().roots.isEmpty());
    // Back to the first: it resumes and completes.
    service.open(first);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 3, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service.isIndexing() && service.snapshot().indexed == kFiles, kWait);
}

int main(int argc, char** argv) {
    // Before the application exists: QSettings, the thumbnail cache and the trash read these once.
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("ruvision-test-library-service"));
    TestLibraryService test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_library_service.moc"
