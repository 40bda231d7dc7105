// The "Similar" page: the query card (what was asked), a header line, and the ranked results,
// one picture per card (copies folded under a "+2 copies" badge that Space or a click expands).
// The page never picks a result by itself: the preview keeps showing the query until the person
// chooses a result.
//
// Thread: GUI thread.
#pragma once

#include <QVector>
#include <QWidget>

#include "LibraryService.h"
#include "QueryHistory.h"

class QLabel;

namespace rv::ui {

class ImageGrid;
class QueryCard;
class ThumbnailCache;

class SearchPage : public QWidget {
    Q_OBJECT
public:
    // `thumbnails` is not owned and must outlive the page.
    explicit SearchPage(ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    // A new query: shown at once in the card, the results cleared until they arrive.
    void setQuery(const Query& query);
    void setResults(const QVector<SearchHit>& hits);
    void setError(const QString& error);
    void clear();

    ImageGrid* grid() const { return grid_; }
    QueryCard* queryCard() const { return card_; }
    QLabel* headerLabel() const { return header_; }
    QString summary() const;
    bool isSettled() const;

signals:
    void queryClicked(const QString& path);  // the card was clicked; "" for pixels
    // For the marks (ResultMarks): a new query was set (an empty Query: cleared); results were
    // put in the grid (setResults(), after the rows are set).
    void queryChanged(const rv::ui::Query& query);
    void resultsShown();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QueryCard* card_;
    QLabel* header_;
    QLabel* summary_;
    ImageGrid* grid_;
    QString queryName_;
};

}  // namespace rv::ui
