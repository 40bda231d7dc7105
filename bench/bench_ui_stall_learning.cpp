// bench_ui_stall_learning: how long the GUI thread stalls while the main window learns from marks
// in the background (Learn Now, then activations: the re-projection of every stored feature).
//
//   bench_ui_stall_learning [--workdir DIR] [--count N] [--side PX] [--marks M] [--runs R]
//                           [--run-seconds S] [--active-seconds S]
//
// Makes (once, cached in --workdir, default /tmp/ruvision-bench-ui) the folder of N JPEGs that
// bench_ui_stall indexes (copies of each wallpaper cropped and mirrored differently) and a library
// of them, indexed through the engine, with M marks (half alike: two copies of one wallpaper;
// half different: copies of two wallpapers; seeded) stored through rv::add_mark. Then runs a real
// MainWindow on that library (offscreen unless QT_QPA_PLATFORM or -platform says otherwise; a
// fresh temporary XDG home) with the folder grid filled and a simulated user acting every 100 ms
// (bench_ui_stall's: scroll, thumbnail size, window resize), and measures the GUI thread's gaps
// with a 5 ms timer in two phases:
//   - the simulated user alone (the peer: what the window's own work costs);
//   - R runs of S seconds each (--run-seconds), back to back: Learn Now (train, store, activate if
//     the guard lets it), then "Use No Adapter" (activation of none), then activating the new
//     version again (re-projecting every feature), all through LibraryService as the Learning tab
//     does, the user acting meanwhile.
// Both phases follow an unmeasured warm-up of the user (thumbnails loaded once).
// Prints a Markdown table on stdout (per run and the median and max over runs); progress on
// stderr. Never pass/fail.
#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QThread>

#include <random>

#include "LibraryService.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Marks.h"
#include "ui_stall_common.h"

using namespace ui_stall;

namespace {

// The library of `images` in `dir` with `marks` marks, made unless a complete one is there.
bool ensureLibrary(const QString& dir, const QString& images, int count, int marks) {
    const QString marker = dir + QStringLiteral("/.bench-complete");
    const QByteArray want = QByteArray::number(count) + ' ' + QByteArray::number(marks);
    {
        QFile m(marker);
        if (m.open(QIODevice::ReadOnly) && m.readAll() == want) return true;
    }
    QDir(dir).removeRecursively();
    auto lib = rv::Library::open(dir.toStdString());
    if (!lib) {
        std::fprintf(stderr, "cannot create %s: %s\n", qPrintable(dir), lib.error().message.c_str());
        return false;
    }
    if (auto st = (*lib)->add_root(images.toStdString()); !st) {
        std::fprintf(stderr, "cannot add %s: %s\n", qPrintable(images), st.error().message.c_str());
        return false;
    }
    std::fprintf(stderr, "indexing %d images into %s ...\n", count, qPrintable(dir));
    std::atomic<bool> cancel{false};
    auto r = (*lib)->index({}, cancel);
    if (!r) {
        std::fprintf(stderr, "indexing failed: %s\n", r.error().message.c_str());
        return false;
    }
    // Image i is a copy of wallpaper i % n (ensureImages' naming).
    const int n = std::min<int>(count, static_cast<int>(wallpapers().size()));
    auto path = [&](int i) { return (images + QStringLiteral("/img_%1.jpg").arg(i, 4, 10, QLatin1Char('0'))).toStdString(); };
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> pick(0, count - 1);
    int stored = 0, tries = 0;
    while (stored < marks && tries++ < marks * 50) {
        const int a = pick(rng);
        const bool alike = stored % 2 == 0;
        int b = alike ? a % n + n * std::uniform_int_distribution<int>(0, std::max(0, (count - 1 - a % n) / n))(rng) : pick(rng);
        if (b == a || b >= count || ((a % n == b % n) != alike)) continue;
        auto m = rv::add_mark(**lib, path(a), path(b), alike ? rv::MarkVerdict::Alike : rv::MarkVerdict::Different,
                              rv::MarkSource::Search);
        if (!m) {
            std::fprintf(stderr, "cannot mark: %s\n", m.error().message.c_str());
            return false;
        }
        ++stored;
    }
    if (stored < marks) {
        std::fprintf(stderr, "only %d marks could be made\n", stored);
        return false;
    }
    QFile m(marker);
    return m.open(QIODevice::WriteOnly) && m.write(want) == want.size();
}

struct RunRow {
    Row row;
    double learnSeconds = 0, activationSeconds = 0;
    qint64 version = 0;     // the last version learned
    bool activated = false;  // the guard activated one of the run's versions
    int cycles = 0;          // learn + two activations
    QString longest;
};

}  // namespace

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_stall::usePrivateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ruvision-bench-ui-stall-learning"));

    QCommandLineParser parser;
    parser.setApplicationDescription("Longest GUI-thread stall while the main window learns from marks.");
    parser.addHelpOption();
    QCommandLineOption workdir("workdir", "Where the images and the library are made once and kept.", "DIR",
                               QStringLiteral("/tmp/ruvision-bench-ui"));
    QCommandLineOption count("count", "Images in the library.", "N", QStringLiteral("1000"));
    QCommandLineOption side("side", "Longer side of the images, px.", "PX", QStringLiteral("800"));
    QCommandLineOption marksOpt("marks", "Marks in the library.", "M", QStringLiteral("400"));
    QCommandLineOption runsOpt("runs", "Runs (each: learn + activations, back to back).", "R", QStringLiteral("5"));
    QCommandLineOption runSecondsOpt("run-seconds", "Length of a run.", "S", QStringLiteral("10"));
    QCommandLineOption active("active-seconds", "Length of the simulated-user-only measurement.", "S", QStringLiteral("10"));
    parser.addOptions({workdir, count, side, marksOpt, runsOpt, runSecondsOpt, active});
    parser.process(app);

    const int n = std::max(2, parser.value(count).toInt());
    const int px = std::max(64, parser.value(side).toInt());
    const int marks = std::max(10, parser.value(marksOpt).toInt());
    const int runs = std::max(1, parser.value(runsOpt).toInt());
    const QString images = parser.value(workdir) + QStringLiteral("/images-%1-%2").arg(n).arg(px);
    const QString libDir = parser.value(workdir) + QStringLiteral("/library-%1-%2-%3").arg(n).arg(px).arg(marks);
    if (!ensureImages(images, n, px) || !ensureLibrary(libDir, images, n, marks)) return 1;

    // The runs learn into a copy, so every invocation starts from the same library (no versions).
    QTemporaryDir work;
    const QString runLib = work.filePath(QStringLiteral("library"));
    QDir().mkpath(runLib);
    for (const QString& f : QDir(libDir).entryList(QDir::Files | QDir::Hidden))
        if (!f.startsWith(QLatin1String("vectors.adapter")) && !QFile::copy(libDir + QLatin1Char('/') + f, runLib + QLatin1Char('/') + f)) {
            std::fprintf(stderr, "cannot copy %s to %s\n", qPrintable(f), qPrintable(runLib));
            return 1;
        }
    rv::ui::MainWindow window(runLib);
    rv::ui::LibraryService* service = window.service();
    bool opened = false, openOk = false;
    QObject::connect(service, &rv::ui::LibraryService::opened, &window, [&](bool ok) { opened = true, openOk = ok; });
    window.show();
    if (!waitUntil([&] { return opened; }, 120000) || !openOk) return 1;
    waitUntil([&] { return window.isSettled(); }, 600000);  // the re-scan after open (nothing new)
    service->setAutoLearn(false);  // only the runs below learn
    {
        auto listing = rv::ui::listImagesAsync(images);
        listing.waitForFinished();
        window.folderGrid()->gridModel()->setFolderFiles(listing.result());
    }
    runFor(1000);

    TickProbe probe;
    SimulatedUser user(&window);
    // A first pass of the user loads the thumbnails it scrolls to (a cold start, which
    // bench_ui_stall measures): unmeasured, so both phases below see the same warm window.
    std::fprintf(stderr, "warming up, %s s ...\n", qPrintable(parser.value(active)));
    user.start();
    runFor(static_cast<qint64>(parser.value(active).toDouble() * 1000));
    user.stop();
    runFor(1000);
    std::fprintf(stderr, "simulated user alone, %s s ...\n", qPrintable(parser.value(active)));
    const int warm = user.actions();
    probe.start();
    user.start();
    runFor(static_cast<qint64>(parser.value(active).toDouble() * 1000));
    user.stop();
    probe.stop();
    const Row alone = summarize(QStringLiteral("simulated user, not learning"), probe, user.actions() - warm);

    // One learn or activation through the service; returns its outcome (ok false on a timeout).
    auto runOne = [&](const std::function<bool()>& start) {
        rv::ui::LearnOutcome out;
        bool done = false;
        auto c = QObject::connect(service, &rv::ui::LibraryService::learnFinished, &window, [&](const rv::ui::LearnOutcome& o) {
            out = o;
            done = true;
        });
        if (start()) waitUntil([&] { return done; }, 3600 * 1000);
        QObject::disconnect(c);
        return out;
    };

    QVector<RunRow> rows;
    const qint64 runMs = static_cast<qint64>(parser.value(runSecondsOpt).toDouble() * 1000);
    for (int r = 0; r < runs; ++r) {
        std::fprintf(stderr, "run %d of %d: learn, no adapter, activate, for %.0f s ...\n", r + 1, runs, runMs / 1000.0);
        runFor(500);
        RunRow row;
        const int before = user.actions();
        QElapsedTimer wall, t;
        probe.start();
        user.start();
        wall.start();
        // Back to back until the run's time is up: learning as it would run after many marks.
        while (wall.elapsed() < runMs) {
            t.start();
            const auto learned = runOne([&] { return service->learnNow(); });
            row.learnSeconds += t.elapsed() / 1000.0;
            t.restart();
            const auto none = runOne([&] { return service->activateVersion(0); });
            const auto again = runOne([&] { return service->activateVersion(learned.version); });
            row.activationSeconds += t.elapsed() / 1000.0;
            if (!learned.ok || !none.ok || !again.ok) {
                std::fprintf(stderr, "run %d failed: %s%s%s\n", r + 1, qPrintable(learned.error), qPrintable(none.error),
                             qPrintable(again.error));
                return 1;
            }
            ++row.cycles;
            row.version = learned.version;
            row.activated = row.activated || learned.activated;
        }
        user.stop();
        probe.stop();
        row.row = summarize(QStringLiteral("run %1").arg(r + 1), probe, user.actions() - before);
        row.longest = longestGaps(probe, 3);
        rows << row;
    }

    std::vector<double> longest;
    for (const auto& r : rows) longest.push_back(r.row.longestStall);
    std::sort(longest.begin(), longest.end());
    std::printf("## GUI-thread stalls while learning (bench_ui_stall_learning)\n\n");
    std::printf("Platform %s, %d CPU threads, %d images of ~%d px, %d marks (half alike).\n\n",
                qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount(), n, px, marks);
    std::printf("Each run: for %.0f s, back to back: Learn Now, then Use No Adapter, then activate the new version "
                "again (re-projecting %d features), through LibraryService, while a simulated user acts every %d ms "
                "(after an unmeasured warm-up). Probe: a %d ms timer; a stall is a gap minus %d ms.\n\n",
                runMs / 1000.0, n, kActivityMs, kTickMs, kTickMs);
    std::printf("| phase | seconds | cycles | learn (s, mean) | 2 activations (s, mean) | user actions | median gap (ms) | p99 gap (ms) | longest stall (ms) | gaps > 50 ms |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& r : rows)
        std::printf("| %s | %.1f | %d | %.2f | %.2f | %d | %.1f | %.1f | %.0f | %d |\n", qPrintable(r.row.phase), r.row.seconds,
                    r.cycles, r.learnSeconds / std::max(1, r.cycles), r.activationSeconds / std::max(1, r.cycles),
                    r.row.actions, r.row.medianGap, r.row.p99Gap, r.row.longestStall, r.row.over50);
    std::printf("| %s | %.1f | | | | %d | %.1f | %.1f | %.0f | %d |\n\n", qPrintable(alone.phase), alone.seconds,
                alone.actions, alone.medianGap, alone.p99Gap, alone.longestStall, alone.over50);
    std::printf("Longest stall while learning: median %.0f ms, max %.0f ms over %d runs (simulated user alone: %.0f ms).\n",
                longest[longest.size() / 2], longest.back(), runs, alone.longestStall);
    for (const auto& r : rows) std::printf("%s longest gaps: %s.\n", qPrintable(r.row.phase), qPrintable(r.longest));
    std::fflush(stdout);
    return 0;
}
