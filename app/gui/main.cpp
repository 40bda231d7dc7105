// ruvision: the desktop application.
//   ruvision [--screenshot FILE]   --screenshot writes a PNG of the window once it has settled,
//                                  then quits (for headless checks under xvfb-run).
#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QTimer>

#include "ruvision/ui/MainWindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("RuVision");
    QApplication::setOrganizationName("RuVision");

    QCommandLineParser parser;
    parser.setApplicationDescription("Visual image search");
    parser.addHelpOption();
    QCommandLineOption screenshot("screenshot", "Write a PNG of the window to FILE after it settles, then quit.",
                                  "FILE");
    parser.addOption(screenshot);
    parser.process(app);

    rv::ui::MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(800, &window, [&window, file] {
            const bool ok = window.grab().save(file, "PNG");
            if (!ok) qCritical("ruvision: cannot write screenshot %s", qPrintable(file));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
