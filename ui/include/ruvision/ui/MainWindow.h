// The main window: the library's folders, a thumbnail grid of the selected folder, ranked
// "looks like this" results with back/forward, a duplicates view, a preview, and background
// indexing in the status bar.
//
// Thread: GUI thread. It reaches the engine only through LibraryService (ui/src), which runs
// every engine call on its own threads.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QRectF>
#include <memory>

class QAction;
class QLabel;
class QSlider;
class QTabWidget;

namespace rv::ui {

class DuplicatesView;
class FileCommands;
class FolderTree;
class ImageGrid;
class IndexingPanel;
class LearningPanel;
class LibraryService;
class MapPanel;
class ImageViewer;
class PreviewPane;
struct LibraryChange;
class PreviewWidget;
class QueryHistory;
class ResultMarks;
class SearchPage;
class ThumbnailCache;
struct Query;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Opens `library` (empty: the last one used, else the default in the user's data folder).
    explicit MainWindow(const QString& library = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Asks "what looks like this?" for a file or for pixels (a pasted or dropped image).
    void queryFile(const QString& path);
    void queryImage(const QImage& image, const QString& label);
    // Search by region (i13-region): `region` of the file `path`, in fractions of the image.
    void queryRegion(const QString& path, const QRectF& region);
    // Opens (or creates) the library in `dir`; the views of the previous one are emptied first.
    void openLibrary(const QString& dir);
    // Looks for near-duplicate groups and shows them.
    void findDuplicates();

    // True once nothing is pending: the library is open (or failed), indexing is over, the last
    // query has its results and the thumbnails in view are loaded. For --screenshot.
    bool isSettled() const;
    LibraryService* service() const { return service_; }
    ImageGrid* resultsGrid() const { return results_; }
    ImageGrid* folderGrid() const { return browse_; }
    ImageViewer* viewer() const { return viewer_; }
    FileCommands* fileCommands() const { return files_; }
    ResultMarks* resultMarks() const { return marks_; }
    DuplicatesView* duplicatesView() const { return duplicates_; }
    // The Learning tab (marks, adapter versions, Learn Now); showLearning() brings it to front.
    LearningPanel* learningPanel() const { return learning_; }
    void showLearning();
    // The Map tab (the hierarchy in the Poincaré disk); showMap() brings it to front.
    MapPanel* mapPanel() const { return map_; }
    void showMap();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    void buildLayout();
    void connectService();
    void chooseLibrary();
    void addFolder();
    void queryFromDialog();
    void pasteImage();
    void runQuery(const Query& q, bool record);
    void goBack();
    void goForward();
    void showFolder(const QString& folder);
    // Lists the folder into the folder grid; `change` non-null: the same folder again after that
    // change, keeping the current picture and the scroll.
    void listFolder(const QString& folder, const LibraryChange* change);
    // Every view follows a change of the library (LibraryService::libraryChanged).
    void followLibrary(const LibraryChange& change);
    void showContextMenu(const QString& path, const QPoint& globalPos);
    void connectFileCommands();
    ImageGrid* activeGrid() const;  // the grid of the tab shown, if it is a grid
    void showBanner(const QString& text);
    // The image the Image menu acts on: the current one of the visible grid; empty (and the
    // status bar says how to choose one) when there is none.
    QString selectedImage();
    void updateNavigation();
    void showAbout();

    LibraryService* service_;
    ThumbnailCache* thumbnails_;
    std::unique_ptr<QueryHistory> history_;
    FolderTree* folders_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    ImageGrid* browse_ = nullptr;
    ImageGrid* results_ = nullptr;
    SearchPage* search_ = nullptr;  // the Similar page: query card, header, results_
    QLabel* banner_ = nullptr;
    DuplicatesView* duplicates_ = nullptr;
    LearningPanel* learning_ = nullptr;
    MapPanel* map_ = nullptr;
    PreviewWidget* preview_ = nullptr;
    PreviewPane* previewPane_ = nullptr;
    ImageViewer* viewer_ = nullptr;
    FileCommands* files_ = nullptr;
    ResultMarks* marks_ = nullptr;  // alike / different on the results (ui/src/marks)
    IndexingPanel* indexing_ = nullptr;
    QSlider* sizeSlider_ = nullptr;
    QAction *back_ = nullptr, *forward_ = nullptr, *findSimilar_ = nullptr, *openViewer_ = nullptr,
            *showInFolder_ = nullptr, *previewAction_ = nullptr, *viewAction_ = nullptr, *infoAction_ = nullptr,
            *renameAction_ = nullptr, *trashAction_ = nullptr, *copyPathAction_ = nullptr;
    quint64 folderListing_ = 0;  // newest folder listing; older ones are dropped
    bool opening_ = true, searching_ = false, duplicatesPending_ = false;
    bool duplicatesAsked_ = false;    // asked in this library's session: recomputed on changes
    bool duplicatesRefresh_ = false;  // the pending duplicates request is such a recomputation
    quint64 refreshSearch_ = 0;       // id of the search asked again after a change (0: none)
    QHash<QString, QString> refreshMoved_;  // that change's moved paths (old -> new)
};

}  // namespace rv::ui
