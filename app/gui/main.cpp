// ruvision: the desktop application.
//   ruvision [--library DIR] [--query IMAGE] [--screenshot FILE]
//     --library     open this library (default: the last one used)
//     --query       ask "what looks like this?" for IMAGE once the library is open
//     --screenshot  write a PNG of the window once it has settled (library open, indexing done,
//                   results and their thumbnails shown), then quit: for headless checks under
//                   xvfb-run. Gives up waiting after --settle-timeout seconds (default 600).
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include "LibraryService.h"
#include "ruvision/ui/MainWindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("RuVision");
    QApplication::setOrganizationName("RuVision");
    QApplication::setDesktopFileName("ruvision");

    QCommandLineParser parser;
    parser.setApplicationDescription("Visual image search");
    parser.addHelpOption();
    QCommandLineOption library("library", "Open the library in DIR.", "DIR");
    QCommandLineOption query("query", "Find images like IMAGE.", "IMAGE");
    QCommandLineOption screenshot("screenshot", "Write a PNG of the window to FILE once it settles, then quit.",
                                  "FILE");
    QCommandLineOption timeout("settle-timeout", "Seconds --screenshot waits at most.", "S", "600");
    parser.addOptions({library, query, screenshot, timeout});
    parser.process(app);

    rv::ui::MainWindow window(parser.value(library));
    window.show();
    if (parser.isSet(query)) {
        const QString image = parser.value(query);
        QObject::connect(window.service(), &rv::ui::LibraryService::opened, &window,
                         [&window, image](bool ok) {
                             if (ok) window.queryFile(image);
                         });
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        const qint64 limit = parser.value(timeout).toLongLong() * 1000;
        auto* poll = new QTimer(&window);
        auto clock = std::make_shared<QElapsedTimer>();
        auto calm = std::make_shared<int>(0);
        clock->start();
        QObject::connect(poll, &QTimer::timeout, &window, [&window, file, limit, poll, clock, calm] {
            // Settled on three polls in a row (so thumbnails that just arrived are painted).
            *calm = window.isSettled() ? *calm + 1 : 0;
            if (*calm < 3 && clock->elapsed() < limit) return;
            poll->stop();
            if (*calm < 3) qWarning("ruvision: not settled after %lld s; taking the screenshot anyway", limit / 1000);
            const bool ok = window.grab().save(file, "PNG");
            if (!ok) qCritical("ruvision: cannot write screenshot %s", qPrintable(file));
            QApplication::exit(ok ? 0 : 1);
        });
        poll->start(200);
    }
    return app.exec();
}
