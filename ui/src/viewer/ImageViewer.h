// The full-window view: one image filling the window it is opened over, with the previous / next
// image of the grid it came from, zoom and pan (the PreviewWidget's: off-thread decoding, EXIF
// orientation, transparency over the engine's grey), the name and position ("12 / 158"), file
// information on demand and Find Similar.
//
// Keys: Left / Backspace / Page Up previous, Right / Space / Page Down next, Home / End first /
// last, wheel / + / - zoom, 1 = 100 %, 0 = fit, drag or arrows (when zoomed) pan, I information,
// Ctrl+F Find Similar, Escape or F11 back. The window's own actions take the keys they bind first.
//
// Closing returns to where the person was: the grid keeps its tab, selection and scroll; if
// another image was reached, it becomes the grid's current one (scrolled into view), as in other
// photo viewers. Thread: GUI thread.
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

class QLabel;
class QToolButton;

namespace rv::ui {

class ImageGrid;
class InfoPanel;
class PreviewWidget;

class ImageViewer : public QWidget {
    Q_OBJECT
public:
    // Covers `window` (its parent) whole while open; hidden until open().
    explicit ImageViewer(QWidget* window);

    // Shows `path`, navigating through `grid`'s rows; a null grid, or a path it does not show,
    // gives a view of this one image.
    void open(ImageGrid* grid, const QString& path);
    bool isOpen() const { return !isHidden(); }

    QString currentPath() const { return path_; }
    int currentRow() const { return row_; }  // in the grid; -1 for a lone image
    int count() const;                       // images to step through (1 for a lone image)
    QString positionText() const;            // "12 / 158"
    PreviewWidget* preview() const { return preview_; }
    InfoPanel* info() const { return info_; }
    void setInfoVisible(bool visible);
    bool isInfoVisible() const;

public slots:
    void close();  // back to the grid (or whatever had the focus); no-op when closed
    void next();
    void previous();
    void first();
    void last();

signals:
    void findSimilarRequested(const QString& path);
    void infoVisibleChanged(bool visible);
    void closed(const QString& lastPath);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showRow(int row);
    void showPath(const QString& path);
    void followModel();  // the grid's rows changed: find the current image again
    void updateBar();

    QPointer<ImageGrid> grid_;
    QString openedPath_;  // what the grid showed as current when the view opened
    QString path_;
    int row_ = -1;
    QPointer<QWidget> focusBefore_;
    PreviewWidget* preview_;
    InfoPanel* info_;
    QLabel* name_;
    QLabel* position_;
    QLabel* zoom_;
    QToolButton* similar_;
    QToolButton* infoButton_;
    QToolButton* back_;
};

}  // namespace rv::ui
