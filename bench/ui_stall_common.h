// Shared by bench_ui_stall (indexing) and bench_ui_stall_learning (learning), and for its start-up
// by bench_poincare_frames: the private environment the window runs in, the folder of test
// images made from the system's wallpapers, the GUI-thread probe (a 5 ms precise timer; a stall is
// a gap between ticks minus 5 ms), the simulated user (scroll, thumbnail size, window resize every
// 100 ms) and the summary of a phase.
//
// Thread: GUI thread (the probe and the user are QTimers on it).
#pragma once

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImageReader>
#include <QScrollBar>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "ImageGrid.h"
#include "private_home.h"
#include "ruvision/ui/MainWindow.h"

namespace ui_stall {

constexpr int kTickMs = 5;       // the probe timer's interval
constexpr int kActivityMs = 100;  // one simulated user action this often

// Call before the QApplication exists: the GUI tests' private home (tests/ui/private_home.h), so
// that a bench never touches the person's thumbnails or settings. `home` must outlive the application.
inline void usePrivateEnvironment(const QTemporaryDir& home) { ui_home::usePrivateHome(home); }

// Wallpapers on this system that decode, by path, at least 640 px on the longer side.
inline QStringList wallpapers() {
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
inline bool ensureImages(const QString& dir, int count, int side) {
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
inline bool waitUntil(const std::function<bool()>& pred, qint64 timeoutMs) {
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

inline void runFor(qint64 ms) {
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

inline Row summarize(const QString& phase, const TickProbe& probe, int actions) {
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
inline QString longestGaps(const TickProbe& probe, int n) {
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

}  // namespace ui_stall
