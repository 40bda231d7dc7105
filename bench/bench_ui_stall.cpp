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

namespace {

constexpr int kTickMs = 5;       // the probe timer's interval
constexpr int kActivityMs = 100;  // one simulated user action this often

// Wallpapers on this system that decode, by path, at least 640 px on the longer side.
QStringList wallpapers() {
    QStringList out;
    QSet<QString> seen;
    for (const char* root : {"/usr/share/backgrounds", "/usr/share/wallpapers"}) {
        QDirIterator it(QString::fromLatin1(root), {"*.jpg", "*.jpeg", "*.png", "*.JPG", "*.PNG"}, QDir::Files,
                        QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString real = QFileInfo(path).canonicalFilePath();
            if (real.isEmpty() || seen.contains(real)) continue;
            seen.insert(real);
            const QSize size = QImageReader(path).size();
            if (size.isValid() && std::max(size.width(), size.height()) >= 640) out << real;
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The folder of `count` images in `dir`, made unless a complete one is there. Returns false (with
// a message on stderr) if there is nothing to make it from or it cannot be written.
bool ensureImages(const QString& dir, int count, int side) {
    const QString marker = dir + QStringLiteral("/.complete");
    const QByteArray want = QByteArray::number(count) + ' ' + QByteArray::number(side);
    {
        QFile m(marker);
        if (m.open(QIODevice::ReadOnly) && m.readAll() == want) return true;
    }
    const QStringList sources = wallpapers();
    if (sources.isEmpty()) {
        std::fprintf(stderr, "no wallpapers under /usr/share/backgrounds or /usr/share/wallpapers\n");
        return false;
    }
    QDir(dir).removeRecursively();
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "cannot create %s\n", qPrintable(dir));
        return false;
    }
    std::fprintf(stderr, "making %d images of ~%d px from %lld wallpapers in %s ...\n", count, side,
                 static_cast<long long>(sources.size()), qPrintable(dir));
    const int n = static_cast<int>(sources.size());
    int written = 0;
    for (int s = 0; s < n && s < count; ++s) {
        QImageReader reader(sources[s]);
        reader.setAutoTransform(true);
        const QSize full = reader.size();
        if (std::max(full.width(), full.height()) > side) reader.setScaledSize(full.scaled(side, side, Qt::KeepAspectRatio));
        const QImage image = reader.read().convertToFormat(QImage::Format_RGB32);
        if (image.isNull()) continue;
        // Copy v of this wallpaper: cropped by v % 8 * 3 % from the top-left corner, mirrored when v is odd.
        for (int i = s, v = 0; i < count; i += n, ++v) {
            const double cut = (v % 8) * 0.03;
            const QRect crop(static_cast<int>(image.width() * cut), static_cast<int>(image.height() * cut),
                             static_cast<int>(image.width() * (1 - cut)), static_cast<int>(image.height() * (1 - cut)));
            QImage copy = image.copy(crop);
            if (v % 2) copy = copy.mirrored(true, false);
            const QString path = dir + QStringLiteral("/img_%1.jpg").arg(i, 4, 10, QLatin1Char('0'));
            if (!copy.save(path, "JPEG", 88)) {
                std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
                return false;
            }
            ++written;
        }
    }
    QFile m(marker);
    if (!m.open(QIODevice::WriteOnly) || m.write(want) != want.size()) return false;
    std::fprintf(stderr, "wrote %d images\n", written);
    return true;
}

// Runs the event loop until pred() holds or timeoutMs passes; returns pred().
bool waitUntil(const std::function<bool()>& pred, qint64 timeoutMs) {
    if (pred()) return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (pred()) loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return pred();
}

void runFor(qint64 ms) {
    QElapsedTimer t;
    t.start();
    waitUntil([&] { return t.elapsed() >= ms; }, ms + 1000);
}

// Gaps between ticks of a 5 ms timer on the GUI thread, in ms.
class TickProbe {
public:
    TickProbe() {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(kTickMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            const qint64 now = clock_.nsecsElapsed();
            gaps_.push_back((now - last_) / 1e6);
            at_.push_back(now / 1e9);
            last_ = now;
        });
    }
    void start() {
        gaps_.clear();
        at_.clear();
        clock_.start();
        last_ = 0;
        timer_.start();
    }
    void stop() { timer_.stop(); }
    double seconds() const { return clock_.nsecsElapsed() / 1e9; }
    const std::vector<double>& gaps() const { return gaps_; }
    const std::vector<double>& at() const { return at_; }  // when each gap ended, s from start()

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    std::vector<double> gaps_, at_;
};

// A person using the window: every 100 ms one action, in turn: scroll the folder grid a page
// (down, wrapping to the top), every 5th action a thumbnail size step (larger, then smaller),
// every 10th action a window resize.
class SimulatedUser {
public:
    explicit SimulatedUser(rv::ui::MainWindow* w) : window_(w) {
        for (QAction* a : w->findChildren<QAction*>()) {
            if (a->text() == QStringLiteral("&Larger Thumbnails")) larger_ = a;
            if (a->text() == QStringLiteral("&Smaller Thumbnails")) smaller_ = a;
        }
        timer_.setInterval(kActivityMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] { act(); });
    }
    void start() { timer_.start(); }
    void stop() { timer_.stop(); }
    int actions() const { return step_; }

private:
    void act() {
        ++step_;
        if (step_ % 10 == 0) {
            window_->resize(step_ % 20 ? QSize(1100, 720) : QSize(1280, 820));
        } else if (step_ % 5 == 0) {
            QAction* a = (step_ / 10) % 2 == 0 ? larger_ : smaller_;  // grow for a while, then shrink
            if (a) a->trigger();
        } else {
            QScrollBar* bar = window_->folderGrid()->verticalScrollBar();
            const int next = bar->value() + bar->pageStep();
            bar->setValue(next > bar->maximum() ? 0 : next);
        }
    }

    rv::ui::MainWindow* window_;
    QAction *larger_ = nullptr, *smaller_ = nullptr;
    QTimer timer_;
    int step_ = 0;
};

struct Row {
    QString phase;
    double seconds = 0;
    std::size_t ticks = 0;
    double medianGap = 0, p99Gap = 0, longestStall = 0;  // ms
    int over50 = 0;
    int actions = 0;
};

Row summarize(const QString& phase, const TickProbe& probe, int actions) {
    Row r;
    r.phase = phase;
    r.seconds = probe.seconds();
    r.actions = actions;
    std::vector<double> g = probe.gaps();
    if (g.size() > 1) g.erase(g.begin());  // the first gap runs from start() to the first tick
    r.ticks = g.size();
    if (g.empty()) return r;
    r.longestStall = std::max(0.0, *std::max_element(g.begin(), g.end()) - kTickMs);
    r.over50 = static_cast<int>(std::count_if(g.begin(), g.end(), [](double x) { return x > 50; }));
    std::sort(g.begin(), g.end());
    r.medianGap = g[g.size() / 2];
    r.p99Gap = g[std::min(g.size() - 1, static_cast<std::size_t>(std::ceil(0.99 * g.size())) - 1)];
    return r;
}

// The `n` longest gaps of a probe as "ms at s", longest first.
QString longestGaps(const TickProbe& probe, int n) {
    std::vector<std::size_t> order(probe.gaps().size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto k = std::min<std::size_t>(static_cast<std::size_t>(n), order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::size_t a, std::size_t b) { return probe.gaps()[a] > probe.gaps()[b]; });
    QStringList parts;
    for (std::size_t i = 0; i < k; ++i)
        parts << QStringLiteral("%1 ms at %2 s").arg(probe.gaps()[order[i]], 0, 'f', 0).arg(probe.at()[order[i]], 0, 'f', 1);
    return parts.join(QStringLiteral(", "));
}

}  // namespace

int main(int argc, char** argv) {
    // Before the application exists: the thumbnail cache and QSettings read these once.
    QTemporaryDir home;
    for (const char* var : {"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) {
        const QString sub = home.filePath(QString::fromLatin1(var));
        QDir().mkpath(sub);
        qputenv(var, QFile::encodeName(sub));
    }
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
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
