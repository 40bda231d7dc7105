// The status-bar part that shows background indexing: a progress bar with files done and total,
// images per second and time left, a Cancel button, and "N errors" which opens the list of files
// that could not be indexed (file, reason). Pictures in formats RuVision cannot read (GIF, PSD...)
// are counted per format in the summary and at the head of that list.
//
// Thread: GUI thread. Fed by LibraryService's signals.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QWidget>

#include "LibraryService.h"

class QLabel;
class QProgressBar;
class QToolButton;

namespace rv::ui {

class IndexingPanel : public QWidget {
    Q_OBJECT
public:
    explicit IndexingPanel(QWidget* parent = nullptr);

    void started();
    void progress(int done, int total, const QString& current, int errors, double imagesPerSecond);
    void finished(bool ok, const QString& error, const IndexSummary& summary, const QList<FileError>& errors);
    // Text of the progress label (for tests and the screenshot check).
    QString text() const;
    int errorCount() const { return errors_.size(); }
    // "3 files in formats RuVision cannot read: 2 GIF, 1 PSD"; empty when there are none.
    QString unsupportedText() const { return unsupported_; }
    void showErrors();

signals:
    void cancelRequested();

private:
    QProgressBar* bar_;
    QLabel* label_;
    QToolButton* cancel_;
    QToolButton* errorsButton_;
    QList<FileError> errors_;
    QString unsupported_;
};

// The unsupported-format summary of `errors` (see IndexingPanel::unsupportedText).
QString unsupportedFormatsText(const QList<FileError>& errors);

// "2 min left", "40 s left"; empty when unknown.
QString timeLeftText(int done, int total, double imagesPerSecond);

}  // namespace rv::ui
