// The main window: the library's folders, a thumbnail grid of the selected folder, ranked
// "looks like this" results with back/forward, a duplicates view, a preview, and background
// indexing in the status bar.
//
// Thread: GUI thread. It reaches the engine only through LibraryService (ui/src), which runs
// every engine call on its own threads.
#pragma once

#include <QMainWindow>
#include <memory>

class QAction;
class QLabel;
class QSlider;
class QTabWidget;

namespace rv::ui {

class DuplicatesView;
class FolderTree;
class ImageGrid;
class IndexingPanel;
class LibraryService;
class PreviewWidget;
class QueryHistory;
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
    // Looks for near-duplicate groups and shows them.
    void findDuplicates();

    // True once nothing is pending: the library is open (or failed), indexing is over, the last
    // query has its results and the thumbnails in view are loaded. For --screenshot.
    bool isSettled() const;
    LibraryService* service() const { return service_; }
    ImageGrid* resultsGrid() const { return results_; }
    ImageGrid* folderGrid() const { return browse_; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    void buildLayout();
    void connectService();
    void openLibrary(const QString& dir);
    void chooseLibrary();
    void addFolder();
    void queryFromDialog();
    void pasteImage();
    void runQuery(const Query& q, bool record);
    void goBack();
    void goForward();
    void showFolder(const QString& folder);
    void showContextMenu(const QString& path, const QPoint& globalPos);
    void showBanner(const QString& text);
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
    PreviewWidget* preview_ = nullptr;
    IndexingPanel* indexing_ = nullptr;
    QSlider* sizeSlider_ = nullptr;
    QAction *back_ = nullptr, *forward_ = nullptr, *findSimilar_ = nullptr, *openViewer_ = nullptr,
            *showInFolder_ = nullptr, *previewAction_ = nullptr;
    quint64 folderListing_ = 0;  // newest folder listing; older ones are dropped
    bool opening_ = true, searching_ = false, duplicatesPending_ = false;
};

}  // namespace rv::ui
