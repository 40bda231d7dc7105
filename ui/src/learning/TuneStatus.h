// The tuning line of the Learning tab, under the adapter versions: what self-supervised tuning
// (LibraryService's tuning block, rv::tune) is doing or last did ("Tuning to the library: views
// 40 / 200", "Version 3 tuned on 200 images (800 views), active: held-out 0.912 → 0.948"), Tune Now,
// Cancel, and "Tune after indexing" (remembered in QSettings, on by default).
//
// Thread: GUI thread; everything goes through the service, nothing here waits.
#pragma once

#include <QWidget>

#include "LibraryService.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace rv::ui {

class TuneStatus : public QWidget {
    Q_OBJECT
public:
    // `service` is not owned and must outlive this widget. Applies the remembered auto-tune choice.
    TuneStatus(LibraryService* service, QWidget* parent = nullptr);

    QLabel* stateLabel() const { return state_; }
    QPushButton* tuneButton() const { return tuneButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    QCheckBox* autoBox() const { return autoBox_; }
    QProgressBar* progressBar() const { return progress_; }

private:
    void showProgress(const QString& stage, qint64 done, qint64 total);
    void showOutcome(const TuneOutcome& o);
    void updateButtons();

    LibraryService* service_;
    QLabel* state_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton *tuneButton_ = nullptr, *cancelButton_ = nullptr;
    QCheckBox* autoBox_ = nullptr;
};

}  // namespace rv::ui
