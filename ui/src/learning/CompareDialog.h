// "Compare": one query's results with the learned adapter and without it (the plain features,
// rv::SearchOptions::no_adapter), side by side in two ranked grids, so a person sees what
// learning changed. Non-modal; asks LibraryService::compare() and shows its answer.
//
// Thread: GUI thread.
#pragma once

#include <QDialog>

#include "LibraryService.h"

class QLabel;

namespace rv::ui {

class ImageGrid;
class ThumbnailCache;

class CompareDialog : public QDialog {
    Q_OBJECT
public:
    // `service` and `thumbnails` are not owned and must outlive the dialog.
    CompareDialog(LibraryService* service, ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    // Asks for `imagePath`'s results both ways; `activeVersion` names the left column (0: none).
    void compare(const QString& imagePath, qint64 activeVersion);
    bool isPending() const { return pending_ != 0; }
    ImageGrid* withAdapter() const { return with_; }
    ImageGrid* withoutAdapter() const { return without_; }
    QLabel* summaryLabel() const { return summary_; }

private:
    void showResults(quint64 id, const QVector<SearchHit>& with, const QVector<SearchHit>& without, const QString& error);

    LibraryService* service_;
    ImageGrid *with_, *without_;
    QLabel *withTitle_, *withoutTitle_, *summary_;
    quint64 pending_ = 0;
};

}  // namespace rv::ui
