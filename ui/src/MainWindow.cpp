#include "ruvision/ui/MainWindow.h"

#include <QApplication>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "ruvision/engine/Embedder.h"
#include "ruvision/kernels/kernels.h"

namespace rv::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("RuVision"));
    resize(900, 600);

    auto* file = menuBar()->addMenu(tr("&File"));
    auto* embed = file->addAction(tr("&Embed an Image…"), this, &MainWindow::embedImage);
    embed->setShortcut(QKeySequence::Open);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);
    menuBar()->addMenu(tr("&Help"))->addAction(tr("&About RuVision"), this, &MainWindow::showAbout);

    status_ = new QLabel(this);
    status_->setAlignment(Qt::AlignCenter);
    status_->setWordWrap(true);
    setCentralWidget(status_);

    auto model = find_model();
    modelName_ = model ? QString::fromStdString(model->name) : QString();
    const QString isa = QString::fromUtf8(kernels::isa_name(kernels::kernels().isa).data());
    if (model) {
        status_->setText(tr("Model %1 (%2-d) ready.\nFile ▸ Embed an Image… computes an embedding.")
                             .arg(modelName_)
                             .arg(model->dim));
    } else {
        status_->setText(tr("No model installed.\n%1").arg(QString::fromStdString(model.error().message)));
    }
    statusBar()->showMessage(tr("SIMD path: %1").arg(isa));
}

void MainWindow::embedImage() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Embed an Image"), QString(),
                                                      tr("Images (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.bmp)"));
    if (path.isEmpty()) return;
    status_->setText(tr("Embedding %1…").arg(path));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        status_->setText(watcher->result());
        watcher->deleteLater();
    });
    // Worker thread: decode + forward pass; the result comes back as text.
    watcher->setFuture(QtConcurrent::run([path]() -> QString {
        auto model = find_model();
        if (!model) return QString::fromStdString(model.error().message);
        auto e = Embedder::open(*model);
        if (!e) return QString::fromStdString(e.error().message);
        auto v = (*e)->embed_file(path.toStdString());
        if (!v) return QString::fromStdString(v.error().message);
        QString head;
        for (int i = 0; i < 6 && i < static_cast<int>(v->size()); ++i) head += QString::number((*v)[i], 'f', 4) + " ";
        return QObject::tr("%1\n%2-d embedding: %3…").arg(path).arg(v->size()).arg(head);
    }));
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About RuVision"),
                       tr("<b>RuVision</b> %1<br>Visual image search with its own SIMD CNN engine.<br>Model: %2")
                           .arg(QStringLiteral(RUVISION_VERSION))
                           .arg(modelName_.isEmpty() ? tr("none installed") : modelName_));
}

}  // namespace rv::ui
