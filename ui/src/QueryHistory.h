// Back / forward through the queries a person made, like a web browser's history.
//
// Thread: GUI thread. A query is a file path, or pasted/dropped pixels with a label.
#pragma once

#include <QImage>
#include <QRectF>
#include <QString>
#include <QVector>

namespace rv::ui {

struct Query {
    QString path;   // a file, or empty for pixels
    QImage image;   // pixels not in a file (pasted, dropped); null for a file
    QString label;  // what to show: the file path or e.g. "Pasted image"
    // Search by region (i13-region): a rectangle of the file `regionOf` in fractions of the image
    // (LibraryService::searchRegion); null for a whole-image query. `image` holds its pixels.
    QString regionOf = {};
    QRectF region = {};
};

class QueryHistory {
public:
    // A new query: drops everything forward of the current one.
    void push(Query q) {
        entries_.resize(current_ + 1);
        entries_.push_back(std::move(q));
        current_ = static_cast<int>(entries_.size()) - 1;
    }
    bool canGoBack() const { return current_ > 0; }
    bool canGoForward() const { return current_ + 1 < static_cast<int>(entries_.size()); }
    const Query& back() { return entries_[--current_]; }        // requires canGoBack()
    const Query& forward() { return entries_[++current_]; }     // requires canGoForward()
    const Query* current() const { return current_ >= 0 ? &entries_[current_] : nullptr; }
    int size() const { return static_cast<int>(entries_.size()); }
    void clear() { entries_.clear(), current_ = -1; }

private:
    QVector<Query> entries_;
    int current_ = -1;
};

}  // namespace rv::ui
