// ruvision: the desktop application.
//   ruvision [--library DIR] [--add-folder DIR]... [--query IMAGE | --duplicates | --learning | --pairs] [--poincare] [--screenshot FILE]
//   //     --library     open this library (default: the last one used)
//     --add-folder  add this folder of photos to the library (kept; indexed in the background)
//     --query       ask "what looks like this?" for IMAGE once the library is open
//     --region      with --query: search with a rectangle of IMAGE (X,Y,W,H fractions; i13-region)
//     --duplicates  show the near-duplicate groups once indexing is done
//     --learning    open on the Learning tab (marks, adapter versions, Learn Now)
//     --pairs       show the pair view (the pairs RuVision is least sure of) once indexing is done
//     --poincare    show the Map tab (the hierarchy in the Poincaré disk) once indexing is done; with
//                   --screenshot, waits until the map is drawn (built first if none is stored)
//     --screenshot  write a PNG of the window once it has settled (library open, indexing done,
//                   results and their thumbnails shown), then quit: for headless checks under
//                   xvfb-run. Gives up waiting after --settle-timeout seconds (default 600).
//   --help and --version print and exit without a display: they are answered by a QCoreApplication,
//   before the QApplication (which needs a display) exists.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "LibraryService.h"
#include "pairs/PairView.h"
#include "poincare/MapPanel.h"
#include "ruvision/ui/MainWindow.h"
#include "ruvision/ui/Translations.h"

namespace {

void name_application() {
    QCoreApplication::setApplicationName("RuVision");
    QCoreApplication::setApplicationVersion(RUVISION_VERSION);
    QCoreApplication::setOrganizationName("RuVision");
}

// True when the arguments ask only for text (--help, -h, --help-all, --version, -v): answered
// without a window, so without a display.
bool asks_for_text(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strcmp(a, "--")) break;
        for (const char* t : {"--help", "-h", "-?", "--help-all", "--version", "-v"})
            if (!std::strcmp(a, t)) return true;
    }
    return false;
}

// Where a window can be shown: an X or Wayland display, or a platform chosen explicitly
// (QT_QPA_PLATFORM=offscreen, -platform NAME).
bool has_display(int argc, char** argv) {
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        if (const char* e = std::getenv(v); e && *e) return true;
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "-platform")) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Visual image search");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption library("library", "Open the library in DIR.", "DIR");
    QCommandLineOption query("query", "Find images like IMAGE.", "IMAGE");
    // search by region (i13-region)
    QCommandLineOption region("region", "With --query: search with this rectangle of IMAGE instead, "
                                        "X,Y,W,H as fractions of its width and height (e.g. 0.3,0.3,0.4,0.4).",
                              "X,Y,W,H");
    QCommandLineOption screenshot("screenshot", "Write a PNG of the window to FILE once it settles, then quit.",
                                  "FILE");
    QCommandLineOption addFolder("add-folder", "Add the folder DIR to the library.", "DIR");
    QCommandLineOption duplicates("duplicates", "Show the near-duplicate groups once indexing is done.");
    QCommandLineOption learning("learning", "Open on the Learning tab (marks, adapter versions, Learn Now).");
    QCommandLineOption timeout("settle-timeout", "Seconds --screenshot waits at most.", "S", "600");
    QCommandLineOption pairs("pairs", "Show the pair view (pairs to judge) once indexing is done.");
    QCommandLineOption poincare("poincare", "Show the map of the library (the Poincaré disk) once indexing is done.");
    parser.addOptions({library, addFolder, query, region, duplicates, learning, pairs, poincare, screenshot, timeout});
    if (asks_for_text(argc, argv)) {
        QCoreApplication text(argc, argv);
        name_application();
        parser.process(text);  // prints the usage or the version and exits
        return 0;
    }
    if (!has_display(argc, argv)) {
        std::fprintf(stderr,
                     "ruvision: no display to show the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
                     "run it in a desktop session or under xvfb-run, or use ruvision-cli (see ruvision --help)\n");
        return 1;
    }

    QApplication app(argc, argv);
    name_application();
    // The window's language follows the system locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG);
    // --help, --version and the messages on stderr stay English, like ruvision-cli's.
    const rv::ui::LocaleTranslators translators(QLocale::system());
    QApplication::setDesktopFileName("ruvision");
    parser.process(app);

    rv::ui::MainWindow window(parser.value(library));
    window.show();
    const QStringList folders = parser.values(addFolder);
    const QString image = parser.value(query);
    QRectF rect;
    if (parser.isSet(region)) {
        const QStringList v = parser.value(region).split(QLatin1Char(','));
        bool ok = v.size() == 4;
        double f[4] = {};
        for (int i = 0; ok && i < 4; ++i) f[i] = v[i].toDouble(&ok);
        rect = QRectF(f[0], f[1], f[2], f[3]);
        if (!ok || image.isEmpty() || !rv::region_rect_problem({f[0], f[1], f[2], f[3]}).empty()) {
            std::fprintf(stderr, "ruvision: --region '%s': expected X,Y,W,H, fractions of --query's image inside it\n",
                         qPrintable(parser.value(region)));
            return 2;
        }
    }
    QObject::connect(window.service(), &rv::ui::LibraryService::opened, &window, [&window, folders, image, rect](bool ok) {
        if (!ok) return;
        for (const auto& f : folders) window.service()->addRoot(f);
        if (!image.isEmpty() && !rect.isNull()) window.queryRegion(image, rect);
        else if (!image.isEmpty()) window.queryFile(image);
    });
    if (parser.isSet(learning)) {
        // The folder tree selects the first folder when the library's folders arrive, which shows
        // the Folder tab: the Learning tab comes back after that, once.
        window.showLearning();
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = QObject::connect(window.service(), &rv::ui::LibraryService::snapshotChanged, &window, [&window, once] {
            QObject::disconnect(*once);
            window.showLearning();
        });
    }
    if (parser.isSet(duplicates)) {
        // Once the library is indexed (the first time the window settles), look for groups.
        auto* wait = new QTimer(&window);
        QObject::connect(wait, &QTimer::timeout, &window, [&window, wait] {
            if (!window.isSettled()) return;
            wait->stop();
            window.findDuplicates();
        });
        wait->start(200);
    }
    rv::ui::PairView* pairView = parser.isSet(pairs) ? window.findChild<rv::ui::PairView*>() : nullptr;
    if (pairView) {
        auto* wait = new QTimer(&window);
        QObject::connect(wait, &QTimer::timeout, &window, [&window, wait, pairView] {
            if (!window.isSettled()) return;
            wait->stop();
            pairView->showInTabs();
            pairView->start();
        });
        wait->start(200);
    }
    rv::ui::MapPanel* mapPanel = parser.isSet(poincare) ? window.mapPanel() : nullptr;
    if (mapPanel) {
        // After indexing and the query's results (which show the Similar tab), the Map tab.
        auto* wait = new QTimer(&window);
        QObject::connect(wait, &QTimer::timeout, &window, [&window, wait] {
            if (!window.isSettled()) return;
            wait->stop();
            window.showMap();
        });
        wait->start(200);
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        const qint64 limit = parser.value(timeout).toLongLong() * 1000;
        auto* poll = new QTimer(&window);
        auto clock = std::make_shared<QElapsedTimer>();
        auto calm = std::make_shared<int>(0);
        clock->start();
        QObject::connect(poll, &QTimer::timeout, &window, [&window, file, limit, poll, clock, calm, pairView, mapPanel] {
            // Settled on five polls in a row (so what arrived last is painted, and a --duplicates
            // request had its turn).
            const bool pairsSettled = !pairView || (pairView->hasStarted() && pairView->isSettled());
            const bool mapSettled = !mapPanel || (mapPanel->isVisible() && mapPanel->hasMap() && mapPanel->isSettled());
            *calm = window.isSettled() && pairsSettled && mapSettled ? *calm + 1 : 0;
            if (*calm < 5 && clock->elapsed() < limit) return;
            poll->stop();
            if (*calm < 5) qWarning("ruvision: not settled after %lld s; taking the screenshot anyway", limit / 1000);
            const bool ok = window.grab().save(file, "PNG");
            if (!ok) qCritical("ruvision: cannot write screenshot %s", qPrintable(file));
            QApplication::exit(ok ? 0 : 1);
        });
        poll->start(200);
    }
    return app.exec();
}
