// The main window. Runs on the GUI thread; engine work goes to QtConcurrent workers.
#pragma once

#include <QMainWindow>

class QLabel;

namespace rv::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

private:
    void embedImage();
    void showAbout();

    QLabel* status_ = nullptr;
    QString modelName_;
};

}  // namespace rv::ui
