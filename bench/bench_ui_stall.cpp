// bench_ui_stall: how long the GUI thread stalls while the main window indexes 1,000 images.
//
//   bench_ui_stall [--workdir DIR] [--count N] [--side PX] [--idle-seconds S] [--active-seconds S]
//
// Builds (once, cached in --workdir, default /tmp/ruvision-bench-ui) a folder of N JPEGs made from
// the wallpapers under /usr/share/backgrounds and /usr/share/wallpapers (scaled to about --side px
// on the longer side; each copy of a wallpaper cropped and mirrored differently, so no two files
// are alike). Then runs a real MainWindow on a fresh library (platform: QT_QPA_PLATFORM or
// -platform, offscreen when neither is given; thumbnails and settings in a fresh temporary XDG
// home, so thumbnails are made as on a first run) and measures the GUI thread's responsiveness:
// a 5 ms precise timer records the gap between consecutive ticks (a stall is gap - 5 ms), while
// every 100 ms a simulated user scrolls the folder grid, changes the thumbnail size or resizes the
// window, so the GUI thread does real work.
//
// The folder's files are put into the folder grid before indexing starts (the folder tree lists a
// new folder only after its first indexing run), so the scrolling loads real thumbnails.
//
// Three phases, the same measurement each: the idle window (library open, nothing to do), the
// window indexing the folder with the simulated user, and the simulated user after indexing (the
// peer that separates the cost of the UI's own work from the cost of indexing beside it).
// Prints a Markdown table on stdout; progress on stderr. Never pass/fail.
#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImageReader>
#include <QScrollBar>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "ImageGrid.h"
#include "LibraryService.h"
#include "ruvision/ui/MainWindow.h"
#include "ui_stall_common.h"

using namespace ui_stall;

int main(int argc, char** argv) {
    // Before the application exists: the thumbnail cache and QSettings read these once.
    QTemporaryDir home;
    ui_stall::usePrivateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-bench-ui-stall"));

    QCommandLineParser parser;
    parser.setApplicationDescription("Longest GUI-thread stall while the main window indexes a folder.");
    parser.addHelpOption();
    QCommandLineOption workdir("workdir", "Where the images are made once and kept.", "DIR",
                               QStringLiteral("/tmp/ruvision-bench-ui"));
    QCommandLineOption count("count", "Images to index.", "N", QStringLiteral("1000"));
    QCommandLineOption side("side", "Longer side of the images, px.", "PX", QStringLiteral("1600"));
    QCommandLineOption idle("idle-seconds", "Length of the idle measurement.", "S", QStringLiteral("5"));
    QCommandLineOption active("active-seconds", "Length of the simulated-user-only measurement.", "S",
                              QStringLiteral("15"));
    parser.addOptions({workdir, count, side, idle, active});
    parser.process(app);

    const int n = std::max(1, parser.value(count).toInt());
    const QString images = parser.value(workdir) + QStringLiteral("/images-%1").arg(n);
    if (!ensureImages(images, n, std::max(64, parser.value(side).toInt()))) return 1;

    QTemporaryDir library;
    rv::ui::MainWindow window(library.filePath(QStringLiteral("library")));
    rv::ui::LibraryService* service = window.service();
    bool opened = false, openOk = false;
    QObject::connect(service, &rv::ui::LibraryService::opened, &window, [&](bool ok, const QString& error) {
        opened = true;
        openOk = ok;
        if (!ok) std::fprintf(stderr, "cannot open the library: %s\n", qPrintable(error));
    });
    window.show();
    if (!waitUntil([&] { return opened; }, 120000) || !openOk) return 1;
    waitUntil([&] { return !service->isIndexing(); }, 120000);  // the empty re-scan after open
    runFor(1000);

    TickProbe probe;
    SimulatedUser user(&window);
    QList<Row> rows;

    std::fprintf(stderr, "idle window, %s s ...\n", qPrintable(parser.value(idle)));
    probe.start();
    runFor(static_cast<qint64>(parser.value(idle).toDouble() * 1000));
    probe.stop();
    rows << summarize(QStringLiteral("idle window"), probe, 0);

    std::fprintf(stderr, "indexing %d images with a simulated user ...\n", n);
    bool finished = false;
    rv::ui::IndexSummary summary;
    QString indexError;
    // The run that indexes the folder (the service may merge the request into a run after one
    // already going; only a run that embedded something or failed ends the phase).
    QObject::connect(service, &rv::ui::LibraryService::indexFinished, &window,
                     [&](bool ok, const QString& error, const rv::ui::IndexSummary& s) {
                         if (ok && s.found == 0) return;
                         finished = true;
                         summary = s;
                         if (!ok) indexError = error;
                     });
    QObject::connect(service, &rv::ui::LibraryService::indexProgress, &window,
                     [](int done, int total, const QString&, int, double ips) {
                         static int lastTenth = -1;
                         if (total > 0 && done * 10 / total != lastTenth) {
                             lastTenth = done * 10 / total;
                             std::fprintf(stderr, "  %d / %d (%.1f images/s)\n", done, total, ips);
                         }
                     });
    // The folder tree lists a folder once the service's snapshot has it, which is after the
    // folder's first indexing run; a person browses it while it indexes, so its files go into the
    // folder grid here, as the window shows them once it is listed.
    {
        auto listing = rv::ui::listImagesAsync(images);
        listing.waitForFinished();
        window.folderGrid()->gridModel()->setFolderFiles(listing.result());
        runFor(500);
        std::fprintf(stderr, "folder grid: %d files, scroll range %d px\n", window.folderGrid()->gridModel()->rowCount(),
                     window.folderGrid()->verticalScrollBar()->maximum());
    }
    QElapsedTimer wall;
    wall.start();
    probe.start();
    user.start();
    service->addRoot(images);
    waitUntil([&] { return finished; }, 4 * 3600 * 1000);
    user.stop();
    probe.stop();
    const double indexSeconds = wall.elapsed() / 1000.0;
    Row indexing = summarize(QStringLiteral("indexing + simulated user"), probe, user.actions());
    const QString indexingLongest = longestGaps(probe, 5);
    rows << indexing;
    if (!finished || !indexError.isEmpty()) {
        std::fprintf(stderr, "indexing did not finish: %s\n", qPrintable(indexError));
        return 1;
    }

    std::fprintf(stderr, "simulated user, not indexing, %s s ...\n", qPrintable(parser.value(active)));
    runFor(1000);
    const int before = user.actions();
    probe.start();
    user.start();
    runFor(static_cast<qint64>(parser.value(active).toDouble() * 1000));
    user.stop();
    probe.stop();
    rows << summarize(QStringLiteral("simulated user, not indexing"), probe, user.actions() - before);

    std::printf("## GUI-thread stalls while indexing (bench_ui_stall)\n\n");
    std::printf("Platform %s, %d CPU threads, %d images of ~%s px, %d engine threads.\n\n",
                qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount(), n,
                qPrintable(parser.value(side)), rv::IndexJobParams{}.threads);
    std::printf("| images indexed | failed | seconds | images/s |\n|---:|---:|---:|---:|\n");
    std::printf("| %lld | %lld | %.1f | %.1f |\n\n", static_cast<long long>(summary.embedded),
                static_cast<long long>(summary.failed), indexSeconds,
                indexSeconds > 0 ? summary.embedded / indexSeconds : 0.0);
    std::printf("Probe: a %d ms timer on the GUI thread; a stall is a gap between ticks minus %d ms. "
                "Simulated user: one action every %d ms (scroll a page, thumbnail size, window resize).\n\n",
                kTickMs, kTickMs, kActivityMs);
    std::printf("| phase | seconds | ticks | user actions | median gap (ms) | p99 gap (ms) | longest stall (ms) | gaps > 50 ms |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const Row& r : rows)
        std::printf("| %s | %.1f | %zu | %d | %.1f | %.1f | %.0f | %d |\n", qPrintable(r.phase), r.seconds, r.ticks,
                    r.actions, r.medianGap, r.p99Gap, r.longestStall, r.over50);
    std::printf("\nLongest gaps while indexing: %s.\n", qPrintable(indexingLongest));
    std::printf("Ratio of longest stall, indexing vs. simulated user alone: %.1fx.\n",
                rows[2].longestStall > 0 ? indexing.longestStall / rows[2].longestStall : 0.0);
    std::fflush(stdout);
    return 0;
}
