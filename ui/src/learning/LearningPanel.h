// The "Learning" tab: what RuVision learned from the person and how to steer it.
//   - the marks: counts by verdict, a filterable list with both thumbnails, remove, export / import;
//   - the adapter versions: a table and a chart of each one's held-out score, Activate / Roll Back
//     any version, Use No Adapter;
//   - Learn Now with progress and Cancel, learning in the background after new marks, and what
//     the last learn or activation did, in words;
//   - Compare: the current query with and without the adapter.
//
// Thread: GUI thread. Every engine call goes through LibraryService (writer pool for marks,
// versions, learn and activation; reader for Compare); nothing here waits for one.
#pragma once

#include <QWidget>

#include <functional>

#include "LibraryService.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace rv::ui {

class CompareDialog;
class TuneStatus;
class MarksFilter;
class MarksModel;
class ThumbnailCache;
class VersionsChart;
class VersionsModel;

class LearningPanel : public QWidget {
    Q_OBJECT
public:
    // `service` and `thumbnails` are not owned and must outlive the panel.
    LearningPanel(LibraryService* service, ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    // Where Compare takes its query from: the file of the current search (empty: none, or pixels).
    void setQueryProvider(std::function<QString()> provider) { queryProvider_ = std::move(provider); }
    // Asks the service for the marks and the versions again.
    void refresh();

    // The person's actions, also for tests (no dialog: the file is given).
    void removeSelectedMarks();
    void exportMarksTo(const QString& file);
    void importMarksFrom(const QString& file);
    void activateSelectedVersion();  // Activate / Roll Back
    void useNoAdapter();
    void compare();  // opens the Compare dialog on the current query

    // True when no request of this panel is outstanding (for --screenshot and tests).
    bool isSettled() const { return pendingLists_ == 0 && !service_->isLearning(); }

    MarksModel* marksModel() const { return marks_; }
    MarksFilter* marksFilter() const { return filter_; }
    QTableView* marksView() const { return marksView_; }
    QLineEdit* filterEdit() const { return filterEdit_; }
    QComboBox* verdictBox() const { return verdictBox_; }
    VersionsModel* versionsModel() const { return versions_; }
    QTableView* versionsView() const { return versionsView_; }
    VersionsChart* chart() const { return chart_; }
    QPushButton* learnButton() const { return learnButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    QPushButton* activateButton() const { return activateButton_; }
    QCheckBox* autoLearnBox() const { return autoBox_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* countsLabel() const { return counts_; }
    QLabel* outcomeLabel() const { return outcome_; }
    QPlainTextEdit* reportView() const { return report_; }
    CompareDialog* compareDialog() const { return compareDialog_; }
    TuneStatus* tuneStatus() const { return tuneStatus_; }  // i13-tune

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildMarks();
    QWidget* buildVersions();
    void connectService();
    void showMarks(const QVector<MarkRow>& marks, const QString& error);
    void showVersions(const QVector<VersionRow>& versions, const QString& error);
    void showOutcome(const LearnOutcome& outcome);
    void showReport(const QString& summary, const QStringList& details = {});
    void updateCounts();
    void updateButtons();
    qint64 selectedVersion() const;  // 0: none selected

    LibraryService* service_;
    ThumbnailCache* thumbnails_;
    std::function<QString()> queryProvider_;
    MarksModel* marks_ = nullptr;
    MarksFilter* filter_ = nullptr;
    QTableView* marksView_ = nullptr;
    QLineEdit* filterEdit_ = nullptr;
    QComboBox* verdictBox_ = nullptr;
    VersionsModel* versions_ = nullptr;
    QTableView* versionsView_ = nullptr;
    VersionsChart* chart_ = nullptr;
    QPushButton *learnButton_ = nullptr, *cancelButton_ = nullptr, *activateButton_ = nullptr,
                *noAdapterButton_ = nullptr, *removeButton_ = nullptr, *compareButton_ = nullptr;
    QCheckBox* autoBox_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel *counts_ = nullptr, *stage_ = nullptr, *outcome_ = nullptr;
    QPlainTextEdit* report_ = nullptr;
    CompareDialog* compareDialog_ = nullptr;
    TuneStatus* tuneStatus_ = nullptr;
    int pendingLists_ = 0;  // marks / versions listings asked and not answered
};

}  // namespace rv::ui
