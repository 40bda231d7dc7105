// bench_poincare_frames: the Map tab's speed on a 100k-image library.
//
//   bench_poincare_frames [--dir DIR] [--size N] [--frames F] [--width W] [--height H] [--reuse]
//
// The library (built once in --dir, default /tmp/ruvision-bench-poincare; --reuse keeps it) is
// real: a catalog on disk opened by rv::Library, whose N files are real JPEGs on disk (hard links
// to 24 wallpapers of /usr/share/backgrounds scaled to 800 px, so thumbnails are really decoded),
// with synthetic features (unit vectors of the model's dimension around 1,000 cluster centres)
// written straight into the catalog with each file's true size and mtime, so a rescan finds them
// unchanged. Its hierarchy is built and stored once with rv::update_hierarchy (timed). While the
// service opens it, the photo folder is renamed away (the scan finds the root offline and keeps
// its files), and put back before the frames are timed.
//
// 1. Open to first painted map: a LibraryService and the Map tab (MapPanel) on the offscreen
//    platform, from LibraryService::open() until the view has painted the loaded map (a grab()
//    of the view as soon as hierarchyLoaded arrives), three times, each with a new service.
// 2. Frames while dragging: the view centred on the node whose layout shows the most nodes (at
//    least 2,000 when the tree allows), then F drag steps (a circle of 60 px radius, 6 px a step);
//    each frame is the layout of the new view and its painting into a QImage of the view's size
//    (as paintEvent does), timed on the GUI thread. Thumbnails are those of the ThumbnailCache,
//    loaded in the background before the loop; a node revealed by the drag queues its load.
// Prints Markdown tables on stdout; progress on stderr. Never pass/fail.
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QTemporaryDir>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "LibraryService.h"
#include "ThumbnailCache.h"
#include "bench_args.h"
#include "poincare/MapPanel.h"
#include "poincare/PoincareView.h"
#include "synthetic_library.h"
#include "ui_stall_common.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "bench_poincare_frames: %s\n", why.c_str());
    std::exit(1);
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of the calling thread, ms: what a frame costs the GUI thread whatever else the
// machine's two cores are doing.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
    return v[i];
}

void buildLibrary(const fs::path& dir, std::size_t n) {
    benchlib::LinkedLibraryParams params;
    params.files = n;
    auto built = benchlib::build_linked_library(dir, params);
    if (!built) fail(built.error().message);
    std::fprintf(stderr, "%zu files and features written in %.1f s; hierarchy: %zu nodes built and stored in %.1f s\n", n,
                 built->write_s, built->hierarchy_nodes, built->hierarchy_s);
}

}  // namespace

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_stall::usePrivateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-bench-poincare"));

    fs::path dir = "/tmp/ruvision-bench-poincare";
    std::size_t n = 100000;
    int frames = 600, width = 1100, height = 760;
    bool reuse = false;
    BenchArgs args(argc, argv,
                   "usage: bench_poincare_frames [--dir DIR] [--size N] [--frames F] [--width W] [--height H] [--reuse]");
    while (args.next()) {
        if (args.is("--dir")) dir = args.text();
        else if (args.is("--size")) n = static_cast<std::size_t>(args.count(1, 100'000'000));
        else if (args.is("--frames")) frames = static_cast<int>(args.count(1, 1'000'000));
        else if (args.is("--width")) width = static_cast<int>(args.count(64, 16384));
        else if (args.is("--height")) height = static_cast<int>(args.count(64, 16384));
        else if (args.is("--reuse")) reuse = true;
        else args.unknown();
    }
    const fs::path libDir = dir / ("lib-" + std::to_string(n));
    if (!reuse || !fs::exists(libDir / "catalog.sqlite")) buildLibrary(libDir, n);

    // 0. What the load is made of, engine calls one by one on this thread.
    {
        const auto t0 = Clock::now();
        auto lib = rv::Library::open(libDir, rv::LibraryAccess::Read);
        if (!lib) fail(lib.error().message);
        const auto t1 = Clock::now();
        bool stale = false;
        auto h = rv::load_hierarchy(**lib, false, &stale);
        if (!h || !h->has_value()) fail("no stored hierarchy");
        const auto t2 = Clock::now();
        auto db = rv::CatalogDb::open(libDir / "catalog.sqlite", rv::CatalogDb::OpenMode::ReadOnly);
        if (!db) fail(db.error().message);
        std::size_t files = 0;
        auto roots = db->roots();
        if (!roots) fail(roots.error().message);
        for (const auto& r : *roots) {
            auto list = db->files_under_root(r.id);
            if (!list) fail(list.error().message);
            files += list->size();
        }
        const auto t3 = Clock::now();
        std::printf("| Library::open ms | load_hierarchy ms (stale check included) | file paths ms | nodes | files |\n"
                    "|---:|---:|---:|---:|---:|\n| %.0f | %.0f | %.0f | %zu | %zu |\n\n",
                    ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), (*h)->nodes.size(), files);
        std::fflush(stdout);
    }

    // 1. From open() to the first painted map.
    std::printf("| run | open to map loaded ms | open to first painted map ms | nodes | drawn |\n|---:|---:|---:|---:|---:|\n");
    // The folder is away while services open the library: their scan (which runs beside the load,
    // as in the app) finds the root offline and keeps every file, instead of taking 100k hard
    // links of 24 pictures for copies of each other.
    fs::rename(libDir / "photos", libDir / "photos.away");
    std::shared_ptr<const rv::ui::MapData> lastMap;
    QSize viewSize(width, height);
    for (int run = 1; run <= 3; ++run) {
        rv::ui::LibraryService service;
        rv::ui::ThumbnailCache thumbnails;
        rv::ui::MapPanel panel(&service, &thumbnails);
        panel.resize(width, height);
        panel.show();
        QElapsedTimer clock;
        double loadedMs = -1, paintedMs = -1;
        std::size_t nodes = 0, drawn = 0;
        QObject::connect(&service, &rv::ui::LibraryService::hierarchyLoaded, &panel,
                         [&](std::shared_ptr<const rv::ui::MapData> map, const QString& error) {
                             if (paintedMs >= 0 || !map) {
                                 if (!error.isEmpty()) fail(error.toStdString());
                                 return;
                             }
                             loadedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
                             (void)panel.view()->grab();  // paints the view (layout + painter)
                             paintedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
                             nodes = map->hierarchy.nodes.size();
                             drawn = panel.view()->layout().nodes.size();
                         });
        clock.start();
        service.open(QString::fromStdString(libDir.string()));
        while (paintedMs < 0 && clock.elapsed() < 600000) QApplication::processEvents(QEventLoop::WaitForMoreEvents);
        std::printf("| %d | %.0f | %.0f | %zu | %zu |\n", run, loadedMs, paintedMs, nodes, drawn);
        std::fflush(stdout);
        service.cancelIndexing();
        while (service.isIndexing()) QApplication::processEvents(QEventLoop::WaitForMoreEvents);
        if (run == 3) lastMap = panel.mapData();
        viewSize = panel.view()->size();
    }
    // The service is gone (no scan can see the folder of hard links, which it would take for
    // copies of 24 pictures): the folder comes back for the thumbnails.
    fs::rename(libDir / "photos.away", libDir / "photos");

    // 2. Frames while dragging, on the last map, in a view of the same size.
    {
        rv::ui::ThumbnailCache thumbnails;
        rv::ui::PoincareView viewWidget(&thumbnails);
        rv::ui::PoincareView* view = &viewWidget;
        if (!lastMap) fail("no map was loaded");
        view->resize(viewSize);
        view->show();
        view->setMap(lastMap);
        const auto& h = lastMap->hierarchy;
        int best = 0;
        std::size_t bestCount = 0;
        for (std::size_t i = 0; i < h.nodes.size() && i < 4000; ++i) {
            if (h.nodes[i].kind == rv::HierarchyNode::Kind::Image) continue;
            view->centreOn(static_cast<int>(i), false);
            const std::size_t count = view->layout().nodes.size();
            if (count > bestCount) best = static_cast<int>(i), bestCount = count;
        }
        view->drillDown(best);
        view->centreOn(best, false);
        std::fprintf(stderr, "centred on node %d (depth %d): %zu nodes drawn\n", best, h.nodes[static_cast<std::size_t>(best)].depth,
                     view->layout().nodes.size());
        QImage frame(view->size(), QImage::Format_ARGB32_Premultiplied);
        // Thumbnails of what is in view loaded first (as a person who looked before dragging).
        for (int i = 0; i < 20; ++i) {
            QPainter p(&frame);
            view->render(p, view->size());
            p.end();
            QElapsedTimer wait;
            wait.start();
            while (thumbnails.loader()->queuedCount() > 0 && wait.elapsed() < 60000)
                QApplication::processEvents(QEventLoop::AllEvents, 50);
        }
        std::vector<double> times, layoutTimes, cpuTimes;
        std::vector<double> visible;
        const QPointF c = view->diskRect().center();
        QPointF last = c + QPointF(60, 0);
        // A real drag: the button pressed on the disk, then one mouse move per frame.
        auto send = [view](QEvent::Type type, QPointF at, Qt::MouseButtons buttons) {
            QMouseEvent e(type, at, view->mapToGlobal(at), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons, {});
            QApplication::sendEvent(view, &e);
        };
        send(QEvent::MouseButtonPress, last, Qt::LeftButton);
        send(QEvent::MouseMove, last + QPointF(8, 0), Qt::LeftButton);  // past the click slop: dragging
        last += QPointF(8, 0);
        for (int f = 0; f < frames; ++f) {
            const double a = 0.1 * (f + 1);
            const QPointF next = c + QPointF(68 * std::cos(a), 68 * std::sin(a));
            const auto t0 = Clock::now();
            const double cpu0 = threadCpuMs();
            send(QEvent::MouseMove, next, Qt::LeftButton);
            (void)view->layout();
            const auto t1 = Clock::now();
            QPainter p(&frame);
            view->render(p, view->size());
            p.end();
            times.push_back(ms(Clock::now() - t0));
            cpuTimes.push_back(threadCpuMs() - cpu0);
            layoutTimes.push_back(ms(t1 - t0));
            visible.push_back(static_cast<double>(view->layout().nodes.size()));
            if (f < 3 || f % 50 == 0)
                std::fprintf(stderr, "frame %d: %zu nodes, %.2f ms (layout %.2f)\n", f, view->layout().nodes.size(), times.back(),
                             layoutTimes.back());
            last = next;
            QApplication::processEvents();  // thumbnails arriving, as in the app
        }
        send(QEvent::MouseButtonRelease, last, Qt::NoButton);
        const double median = percentile(times, 0.5);
        double load[3] = {0, 0, 0};
        getloadavg(load, 3);
        std::printf("\n| window | frames | visible nodes (median, min) | frame ms median | p99 | max | fps at median | "
                    "GUI-thread CPU ms median | p99 | fps on a free core | layout ms median | load average |\n"
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        std::printf("| %dx%d (disk %.0f px) | %d | %.0f, %.0f | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f | %.2f | %.1f |\n",
                    view->width(), view->height(), view->diskRect().width(), frames, percentile(visible, 0.5),
                    percentile(visible, 0), median, percentile(times, 0.99), percentile(times, 1.0), 1000.0 / median,
                    percentile(cpuTimes, 0.5), percentile(cpuTimes, 0.99), 1000.0 / percentile(cpuTimes, 0.5),
                    percentile(layoutTimes, 0.5), load[0]);
    }
    return 0;
}
