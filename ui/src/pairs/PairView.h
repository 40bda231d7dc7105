// The pair view: two library pictures side by side, large, that the engine is least sure of
// (rv::uncertain_pairs: near the duplicate threshold, or where the active adapter and the plain
// features disagree), and the person's verdict on them: "Same picture" (S), "Alike" (A),
// "Different" (D), "Skip" (Space), "Back" (Backspace: undoes the last verdict or skip and shows
// that pair again). A verdict is stored as a mark with source Pairs (through LibraryService, on
// its writer) and the next pair shows at once: the queue holds a few pairs ahead and the next
// pair's pictures are decoded while the person looks at this one. The duplicate threshold the
// verdicts calibrate is shown and updates after each verdict.
//
// Threads: GUI thread only; the engine and the decoding run elsewhere (LibraryService,
// PairPictureCache).
#pragma once

#include <QPair>
#include <QSet>
#include <QVector>
#include <QWidget>

#include "pairs/PairPicture.h"
#include "pairs/PairTypes.h"
#include "ruvision/engine/Marks.h"

class QLabel;
class QPushButton;

namespace rv::ui {

class LibraryService;

class PairView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kBatch = 8;  // pairs asked of the engine at a time

    explicit PairView(LibraryService* service, QWidget* parent = nullptr);

    // Asks the engine for pairs (done by itself the first time it is shown with a library open).
    void start();
    // Makes this the page shown when it sits in a QTabWidget.
    void showInTabs();
    bool hasStarted() const { return started_; }
    // No request pending and the shown pair's pictures decoded (or failed).
    bool isSettled() const;
    // The pair shown; nullptr when there is none.
    const PairItem* current() const { return queue_.isEmpty() ? nullptr : &queue_.front(); }
    QString thresholdText() const;
    QString reasonText() const;
    QString captionText(int side) const;  // 0: left, 1: right

    void judge(rv::MarkVerdict verdict);
    void skip();
    void back();

signals:
    // The pair now shown (also after Back); not emitted when the queue runs dry.
    void pairShown(const rv::ui::PairItem& pair);
    void thresholdShown(const QString& text);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    struct Step {
        PairItem pair;
        bool marked = false;  // false: skipped
    };
    using Key = QPair<qint64, qint64>;
    static Key keyOf(const PairItem& p) { return {p.aId, p.bId}; }

    void reset();
    void askMore();
    void onPairs(quint64 id, const QVector<PairItem>& pairs, const PairThreshold& threshold, const QString& error);
    void showCurrent();
    void setThreshold(const PairThreshold& t);
    void advance(bool marked, rv::MarkVerdict verdict);

    LibraryService* service_;
    PairPictureCache cache_;
    PairPane* left_ = nullptr;
    PairPane* right_ = nullptr;
    QLabel* threshold_ = nullptr;
    QLabel* reason_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* tally_ = nullptr;
    QPushButton *same_ = nullptr, *alike_ = nullptr, *different_ = nullptr, *skip_ = nullptr, *back_ = nullptr;

    QVector<PairItem> queue_;  // queue_.front() is shown
    QVector<Step> history_;    // answered or skipped this session, newest last
    QSet<Key> seen_;           // in history_: never asked again this session
    PairThreshold shownThreshold_;
    quint64 request_ = 0;
    bool pending_ = false;    // a request is out
    bool exhausted_ = false;  // the engine had no more pairs to give
    bool started_ = false;
    int verdicts_ = 0;        // verdicts given this session (less those taken back)
    QString error_;           // the last request's error
};

}  // namespace rv::ui
