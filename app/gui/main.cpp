// ruvision: the desktop application.
#include <QApplication>

#include "ruvision/ui/MainWindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("RuVision");
    QApplication::setOrganizationName("RuVision");
    rv::ui::MainWindow window;
    window.show();
    return app.exec();
}
