#include "ruvision/ui/MainWindow.h"

#include <utility>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <array>

#include "DuplicatesView.h"
#include "pairs/PairView.h"
#include "poincare/MapPanel.h"
#include "FileActions.h"
#include "FileCommands.h"
#include "FolderTree.h"
#include "GridPlace.h"
#include "ImageGrid.h"
#include "IndexingPanel.h"
#include "LibraryService.h"
#include "marks/ResultMarks.h"
#include "learning/LearningPanel.h"
#include "PreviewWidget.h"
#include "QueryHistory.h"
#include <QtConcurrent>

#include "DisplayName.h"
#include "search/RegionQuery.h"
#include "search/SearchPage.h"
#include "ThumbnailCache.h"
#include "viewer/ImageViewer.h"
#include "viewer/PreviewPane.h"
#include "ruvision/kernels/kernels.h"

namespace rv::ui {

namespace {

constexpr const char* kImageFilter = QT_TRANSLATE_NOOP(
    "rv::ui::MainWindow",
    "Images (*.jpg *.jpeg *.jpe *.png *.webp *.tif *.tiff *.bmp *.heic *.heif *.hif *.avif "
    "*.cr2 *.cr3 *.crw *.nef *.nrw *.arw *.srf *.sr2 *.dng *.raf *.orf *.rw2 *.rwl *.pef *.srw *.3fr *.iiq *.erf *.kdc *.mrw)");

// ~/.local/share/RuVision/library: AppDataLocation would name the organisation and the
// application, both "RuVision", and say it twice.
QString defaultLibrary() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/RuVision/library");
}

}  // namespace

MainWindow::MainWindow(const QString& library, QWidget* parent)
    : QMainWindow(parent),
      service_(new LibraryService(this)),
      thumbnails_(new ThumbnailCache(this)),
      history_(std::make_unique<QueryHistory>()) {
    setWindowTitle(tr("RuVision"));
    setAcceptDrops(true);
    resize(1200, 780);
    buildLayout();
    buildActions();
    connectService();

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    sizeSlider_->setValue(settings.value("view/thumbnailSide", 160).toInt());
    QString dir = library.isEmpty() ? settings.value("library/path").toString() : library;
    openLibrary(dir.isEmpty() ? defaultLibrary() : dir);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildLayout() {
    thumbnails_->setDevicePixelRatio(devicePixelRatioF());

    // Centre: a banner for problems and hints, then the three pages.
    auto* centre = new QWidget(this);
    auto* column = new QVBoxLayout(centre);
    column->setContentsMargins(0, 0, 0, 0);
    banner_ = new QLabel(centre);
    banner_->setWordWrap(true);
    banner_->setMargin(8);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner_->setBackgroundRole(QPalette::ToolTipBase);
    banner_->setForegroundRole(QPalette::ToolTipText);
    banner_->setAutoFillBackground(true);
    banner_->hide();
    column->addWidget(banner_);

    tabs_ = new QTabWidget(centre);
    tabs_->setDocumentMode(true);
    browse_ = new ImageGrid(thumbnails_, tabs_);
    tabs_->addTab(browse_, tr("Folder"));

    search_ = new SearchPage(thumbnails_, tabs_);
    results_ = search_->grid();
    tabs_->addTab(search_, tr("Similar"));
    marks_ = new ResultMarks(service_, search_, this);
    connect(marks_, &ResultMarks::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });

    duplicates_ = new DuplicatesView(thumbnails_, tabs_);
    tabs_->addTab(duplicates_, tr("Duplicates"));
    learning_ = new LearningPanel(service_, thumbnails_, tabs_);
    learning_->setQueryProvider([this] { return history_->current() ? history_->current()->path : QString(); });
    tabs_->addTab(learning_, tr("Learning"));
    tabs_->addTab(new PairView(service_, tabs_), tr("Pairs"));  // asks the engine once first shown
    map_ = new MapPanel(service_, thumbnails_, tabs_);
    tabs_->addTab(map_, tr("Map"));
    connect(map_, &MapPanel::imageActivated, this, [this](const QString& path) {
        previewAction_->setChecked(true);
        preview_->setImage(path);
    });
    column->addWidget(tabs_, 1);
    setCentralWidget(centre);

    // Left: the library's folders. Right: the preview.
    folders_ = new FolderTree(this);
    auto* folderDock = new QDockWidget(tr("Folders"), this);
    folderDock->setObjectName("folders");
    folderDock->setWidget(folders_);
    addDockWidget(Qt::LeftDockWidgetArea, folderDock);
    previewPane_ = new PreviewPane(this);
    preview_ = previewPane_->preview();
    preview_->setDoubleClickOpens(true);
    auto* previewDock = new QDockWidget(tr("Preview"), this);
    previewDock->setObjectName("preview");
    previewDock->setWidget(previewPane_);
    addDockWidget(Qt::RightDockWidgetArea, previewDock);
    previewAction_ = previewDock->toggleViewAction();
    previewAction_->setShortcut(Qt::Key_F3);
    resizeDocks({folderDock, previewDock}, {240, 360}, Qt::Horizontal);

    indexing_ = new IndexingPanel(this);
    statusBar()->addPermanentWidget(indexing_);
    sizeSlider_ = new QSlider(Qt::Horizontal, this);
    sizeSlider_->setRange(ThumbnailDelegate::kMinSide, ThumbnailDelegate::kMaxSide);
    sizeSlider_->setMaximumWidth(160);
    sizeSlider_->setToolTip(tr("Thumbnail size (Ctrl++ / Ctrl+-)"));
    connect(sizeSlider_, &QSlider::valueChanged, this, [this](int side) {
        browse_->setThumbnailSide(side);
        results_->setThumbnailSide(side);
    });

    connect(folders_, &FolderTree::folderSelected, this, &MainWindow::showFolder);
    connect(folders_, &FolderTree::removeRootRequested, this, [this](const QString& root) {
        if (QMessageBox::question(this, tr("Remove Folder"),
                                  tr("Remove %1 from the library?\nThe files stay on disk; RuVision forgets them.").arg(root)) ==
            QMessageBox::Yes)
            service_->removeRoot(root);
    });
    viewer_ = new ImageViewer(this);
    connect(viewer_, &ImageViewer::findSimilarRequested, this, &MainWindow::queryFile);
    connect(preview_, &PreviewWidget::openRequested, this, [this](const QString& path) { viewer_->open(activeGrid(), path); });
    // Search by region (i13-region): the rectangle drawn in the preview, as a query of its own.
    connect(preview_, &PreviewWidget::regionSearchRequested, this, &MainWindow::queryRegion);
    files_ = new FileCommands(this);
    for (ImageGrid* grid : {browse_, results_}) {
        connect(grid, &ImageGrid::queryRequested, this, &MainWindow::queryFile);
        connect(grid, &ImageGrid::viewRequested, this, [this, grid](const QString& path) { viewer_->open(grid, path); });
        connect(grid, &ImageGrid::contextMenuRequestedFor, this, &MainWindow::showContextMenu);
        connect(grid, &ImageGrid::currentPathChanged, this, [this](const QString& path) {
            if (previewAction_->isChecked() && !path.isEmpty()) preview_->setImage(path);
            updateNavigation();
        });
    }
    connect(search_, &SearchPage::queryClicked, this, [this](const QString& path) {
        previewAction_->setChecked(true);
        preview_->setImage(path);
    });
    connect(duplicates_, &DuplicatesView::previewRequested, this, [this](const QString& path) {
        previewAction_->setChecked(true);
        preview_->setImage(path);
    });
    connect(duplicates_, &DuplicatesView::currentPathChanged, this, [this](const QString& path) {
        if (previewAction_->isChecked() && !path.isEmpty()) preview_->setImage(path);
    });
    connect(duplicates_, &DuplicatesView::filesTrashed, this, [this](const QStringList& paths) {
        for (const auto& p : paths) thumbnails_->forget(p);
        service_->forget(paths);
        statusBar()->showMessage(tr("%n file(s) moved to the trash", nullptr, paths.size()), 8000);
    });
    // "Not a duplicate": the view already took the cards out; the catalog keeps the verdict.
    connect(duplicates_, &DuplicatesView::notDuplicate, this, [this](const QList<QPair<QString, QString>>& pairs) {
        for (const auto& p : pairs) service_->markNotDuplicate(p.first, p.second);
    });
    connect(service_, &LibraryService::notDuplicateStored, this, [this](const QString& a, const QString& b, const QString& e) {
        statusBar()->showMessage(e.isEmpty() ? tr("Noted: %1 and %2 are not the same picture").arg(QFileInfo(a).fileName(), QFileInfo(b).fileName())
                                             : tr("The verdict on %1 was not stored: %2").arg(QFileInfo(a).fileName(), e), 8000);
    });
    // Undo Trash put files back: the catalog forgot them, so the library indexes them again.
    connect(duplicates_, &DuplicatesView::filesRestored, this, [this](const QStringList& paths) {
        service_->rescan();
        statusBar()->showMessage(tr("%n file(s) restored from the trash", nullptr, paths.size()), 8000);
    });
}

void MainWindow::buildActions() {
    auto add = [this](QMenu* menu, const QString& text, const QKeySequence& key, auto slot, const QString& tip = {}) {
        auto* a = menu->addAction(text);
        if (!key.isEmpty()) a->setShortcut(key);
        if (!tip.isEmpty()) a->setToolTip(tip), a->setStatusTip(tip);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* addFolderAction = add(file, tr("&Add Folder…"), QKeySequence(tr("Ctrl+Shift+O")), [this] { addFolder(); },
                                tr("Add a folder of photos to the library; it is indexed in the background"));
    auto* openImage = add(file, tr("Find Similar to &File…"), QKeySequence::Open, [this] { queryFromDialog(); },
                          tr("Choose any image file and see the library's images that look like it"));
    file->addSeparator();
    add(file, tr("Open &Library…"), QKeySequence(tr("Ctrl+L")), [this] { chooseLibrary(); },
        tr("Open or create a library in another folder"));
    auto* rescan = add(file, tr("&Rescan Folders"), QKeySequence::Refresh, [this] { service_->rescan(); },
                       tr("Look for new, changed, moved and deleted files"));
    add(file, tr("&Cancel Indexing"), QKeySequence(), [this] { service_->cancelIndexing(); });
    file->addSeparator();
    add(file, tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* paste = add(edit, tr("&Paste Image"), QKeySequence::Paste, [this] { pasteImage(); },
                      tr("Find images like the one on the clipboard"));

    auto* go = menuBar()->addMenu(tr("&Go"));
    back_ = add(go, tr("&Back"), QKeySequence::Back, [this] { goBack(); }, tr("The previous query"));
    forward_ = add(go, tr("&Forward"), QKeySequence::Forward, [this] { goForward(); }, tr("The next query"));

    auto* image = menuBar()->addMenu(tr("&Image"));
    findSimilar_ = add(image, tr("Find &Similar"), QKeySequence(tr("Ctrl+F")), [this] {
        if (const QString p = selectedImage(); !p.isEmpty()) queryFile(p);
    }, tr("Images that look like the selected one (also Enter)"));
    image->addActions({marks_->alikeAction(), marks_->differentAction()});
    viewAction_ = add(image, tr("&View Full Window"), QKeySequence(Qt::Key_F11), [this] {
        if (viewer_->isOpen()) return viewer_->close();
        ImageGrid* grid = activeGrid();
        const QString p = grid ? grid->currentPath() : preview_->path();
        if (!p.isEmpty()) viewer_->open(grid, p);
    }, tr("The image filling the window, with the previous and next ones (also double-click; Esc goes back)"));
    image->addSeparator();
    openViewer_ = add(image, tr("&Open With System Viewer"), QKeySequence(tr("Ctrl+Return")), [this] {
        if (const QString p = selectedImage(); !p.isEmpty()) files_->openWithSystemViewer(p);
    });
    showInFolder_ = add(image, tr("Open Containing &Folder"), QKeySequence(tr("Ctrl+Shift+F")), [this] {
        if (const QString p = selectedImage(); !p.isEmpty()) files_->showInFolder(p);
    });
    copyPathAction_ = add(image, tr("&Copy Path"), QKeySequence(), [this] {
        if (const QString p = selectedImage(); !p.isEmpty()) QApplication::clipboard()->setText(p);
    });
    image->addSeparator();
    // On the grids and the viewer only: F2 and Del mean other things elsewhere.
    renameAction_ = add(image, tr("&Rename…"), QKeySequence(Qt::Key_F2), [this] {
        if (const QString p = selectedImage(); !p.isEmpty()) files_->rename(p);
    });
    trashAction_ = add(image, tr("Move to &Trash…"), QKeySequence::Delete, [this] {
        if (const QString p = selectedImage(); !p.isEmpty()) files_->moveToTrash(p);
    });
    for (QAction* a : {renameAction_, trashAction_, files_->undoAction()}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        for (QWidget* w : {static_cast<QWidget*>(browse_), static_cast<QWidget*>(results_), static_cast<QWidget*>(viewer_)})
            w->addAction(a);
    }
    edit->addAction(files_->undoAction());
    // On the results, Ctrl+Z is the marks' Undo, which undoes a newer trash first (ResultMarks.h).
    results_->removeAction(files_->undoAction());
    marks_->setFileCommands(files_);
    edit->addActions({marks_->undoAction(), marks_->redoAction()});
    connectFileCommands();

    auto* view = menuBar()->addMenu(tr("&View"));
    add(view, tr("&Larger Thumbnails"), QKeySequence::ZoomIn, [this] { sizeSlider_->setValue(sizeSlider_->value() + 32); });
    add(view, tr("&Smaller Thumbnails"), QKeySequence::ZoomOut, [this] { sizeSlider_->setValue(sizeSlider_->value() - 32); });
    view->addSeparator();
    view->addAction(previewAction_);
    infoAction_ = add(view, tr("File &Information"), QKeySequence(Qt::Key_I), [this](bool on) {
        previewPane_->setInfoVisible(on);
        viewer_->setInfoVisible(on);
        QSettings().setValue("view/info", on);
    }, tr("Size, date, camera, lens and exposure of the image, in the preview and the full view (I)"));
    infoAction_->setCheckable(true);
    infoAction_->setChecked(QSettings().value("view/info", false).toBool());
    previewPane_->setInfoVisible(infoAction_->isChecked());
    viewer_->setInfoVisible(infoAction_->isChecked());
    connect(viewer_, &ImageViewer::infoVisibleChanged, infoAction_, [this](bool on) {
        if (infoAction_->isChecked() != on) infoAction_->trigger();
    });
    view->addAction(findChild<QDockWidget*>("folders")->toggleViewAction());

    auto* tools = menuBar()->addMenu(tr("&Tools"));
    auto* dups = add(tools, tr("Find &Duplicates"), QKeySequence(tr("Ctrl+D")), [this] { findDuplicates(); },
                     tr("Groups of near-duplicate images, to choose which to keep"));
    add(tools, tr("&Learning"), QKeySequence(tr("Ctrl+Shift+L")), [this] { showLearning(); },
        tr("What RuVision learned from your marks: the marks, the adapter versions, Learn Now"));
    add(tools, tr("&Map of the Library"), QKeySequence(tr("Ctrl+Shift+M")), [this] { showMap(); },
        tr("The library as a hierarchy in the Poincaré disk: general groups at the centre, specific ones toward the rim"));

    menuBar()->addMenu(tr("&Help"))->addAction(tr("&About RuVision"), this, &MainWindow::showAbout);

    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName("main-toolbar");
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction* a : {addFolderAction, openImage, paste}) bar->addAction(a);
    bar->addSeparator();
    for (QAction* a : {back_, forward_, findSimilar_, dups, rescan}) bar->addAction(a);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Size "), bar));
    bar->addWidget(sizeSlider_);
    // Tooltips name the shortcut, so it is learnt where the button is.
    for (QAction* a : bar->actions())
        if (!a->shortcut().isEmpty())
            a->setToolTip((a->toolTip().isEmpty() ? a->text().remove('&') : a->toolTip()) + QStringLiteral(" (") +
                          a->shortcut().toString(QKeySequence::NativeText) + QLatin1Char(')'));
    updateNavigation();
}

void MainWindow::connectService() {
    connect(service_, &LibraryService::opened, this, [this](bool ok, const QString& error) {
        opening_ = false;
        if (!ok) {
            showBanner(tr("The library cannot be opened: %1\nChoose or create another one with File ▸ Open Library… "
                          "(Ctrl+L).")
                           .arg(error));
            return;
        }
        banner_->hide();
        QSettings().setValue("library/path", service_->snapshot().dir);
    });
    connect(service_, &LibraryService::snapshotChanged, this, [this](const LibrarySnapshot& s) {
        folders_->setRoots(s.roots, s.offlineRoots);
        setWindowTitle(tr("RuVision — %1").arg(s.dir));
        statusBar()->showMessage(tr("%Ln image(s) indexed · model %1", nullptr, static_cast<int>(s.indexed)).arg(s.model));
        if (s.roots.isEmpty() && !service_->isIndexing())
            showBanner(tr("This library has no folders yet. Add a folder of photos with File ▸ Add Folder… "
                          "(Ctrl+Shift+O); it is indexed in the background."));
        else if (banner_->text().startsWith(tr("This library has no folders")))
            banner_->hide();
        if (folders_->currentFolder().isEmpty() && !s.roots.isEmpty()) folders_->selectRoot(s.roots.first());
    });
    connect(service_, &LibraryService::indexingStarted, indexing_, &IndexingPanel::started);
    connect(service_, &LibraryService::indexProgress, indexing_, &IndexingPanel::progress);
    connect(service_, &LibraryService::indexFinished, this,
            [this](bool ok, const QString& error, const IndexSummary& summary) {
                indexing_->finished(ok, error, summary, service_->fileErrors());
                // A query asked before its neighbours were indexed is asked again.
                if (const Query* q = history_->current(); q && results_->gridModel()->rowCount() == 0) runQuery(*q, false);
            });
    connect(indexing_, &IndexingPanel::cancelRequested, service_, &LibraryService::cancelIndexing);
    connect(service_, &LibraryService::searchFinished, this,
            [this](quint64 id, const QString&, const QVector<SearchHit>& hits, const QString& error) {
                searching_ = false;
                const bool refresh = id == refreshSearch_;  // asked again after a change: stay in place
                const GridPlace place = gridPlace(results_);
                // A refresh that cannot be answered (the query file was trashed or moved away) keeps
                // the results shown; the grids already dropped the files that left.
                if (!error.isEmpty() && refresh) return;
                if (!error.isEmpty()) {
                    search_->setError(error);
                    statusBar()->showMessage(error, 15000);
                    return;
                }
                // No result is made current: the preview keeps the query until the person picks one;
                // a refresh after a library change keeps the person's place.
                search_->setResults(hits);
                QStringList neighbours;
                for (const SearchHit& h : hits.mid(0, 10)) neighbours << h.path;  // the map marks the ten nearest
                map_->setQuery(history_->current() ? history_->current()->path : QString(), neighbours);
                if (refresh) restoreGridPlace(results_, place, refreshMoved_);
            });
    connect(service_, &LibraryService::duplicatesFinished, this,
            [this](const std::vector<DuplicateGroup>& groups, const QString& error) {
                duplicatesPending_ = false;
                duplicates_->setGroups(groups, std::exchange(duplicatesRefresh_, false));
                statusBar()->showMessage(error.isEmpty() ? tr("%n group(s) of near-duplicates", nullptr,
                                                              static_cast<int>(groups.size()))
                                                         : error,
                                         15000);
            });
    connect(service_, &LibraryService::problem, this, [this](const QString& text) { statusBar()->showMessage(text, 15000); });
    connect(service_, &LibraryService::libraryChanged, this, &MainWindow::followLibrary);
    // A new active adapter version (or none) changes what search and duplicates answer (not the
    // folders): the results and the duplicates shown are asked again, in place.
    connect(service_, &LibraryService::learnFinished, this, [this](const LearnOutcome& o) {
        if (!o.ok || !(o.activated || o.kind == LearnOutcome::Activate)) return;
        if (const Query* q = history_->current()) {
            searching_ = true;
            refreshMoved_.clear();
            refreshSearch_ = askSearch(*service_, *q);
        }
        if (duplicatesAsked_) {
            duplicatesPending_ = duplicatesRefresh_ = true;
            service_->findDuplicates();
        }
    });
}

void MainWindow::followLibrary(const LibraryChange& change) {
    folders_->followLibrary(service_->snapshot().offlineRoots);
    if (const QString folder = folders_->currentFolder(); !folder.isEmpty()) listFolder(folder, &change);
    if (const Query* q = history_->current()) {
        searching_ = true;
        refreshMoved_ = change.movedPaths;
        refreshSearch_ = q->path.isEmpty() ? askSearch(*service_, *q)
                                           : service_->search(change.movedPaths.value(q->path, q->path));
    }
    if (duplicatesAsked_) {
        duplicatesPending_ = duplicatesRefresh_ = true;
        service_->findDuplicates();
    }
}

void MainWindow::openLibrary(const QString& dir) {
    opening_ = true;
    history_->clear();
    preview_->clear();  // nothing of the previous library stays on screen
    search_->clear();
    browse_->gridModel()->clear();
    duplicates_->setGroups({});
    duplicatesAsked_ = duplicatesRefresh_ = false;
    updateNavigation();
    service_->open(dir);
}

void MainWindow::chooseLibrary() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open or Create a Library"), service_->snapshot().dir);
    if (!dir.isEmpty()) openLibrary(dir);
}

void MainWindow::addFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a Folder of Photos"),
                                                          QStandardPaths::writableLocation(QStandardPaths::PicturesLocation));
    if (!dir.isEmpty()) service_->addRoot(dir);
}

void MainWindow::queryFromDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Find Images Similar to…"), QString(), tr(kImageFilter));
    if (!path.isEmpty()) queryFile(path);
}

void MainWindow::pasteImage() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
        return queryFile(mime->urls().first().toLocalFile());
    const QImage image = QApplication::clipboard()->image();
    if (image.isNull()) {
        statusBar()->showMessage(tr("The clipboard holds no image."), 8000);
        return;
    }
    queryImage(image, tr("Pasted image"));
}

void MainWindow::queryFile(const QString& path) { runQuery({path, {}, path}, true); }

void MainWindow::queryImage(const QImage& image, const QString& label) { runQuery({{}, image, label}, true); }

void MainWindow::queryRegion(const QString& path, const QRectF& region) {
    auto ask = [this, path, region](const QImage& pixels) {
        Query q{{}, pixels, tr("Region of %1").arg(displayName(path))};
        q.regionOf = path;
        q.region = region;
        runQuery(q, true);
    };
    // The card's pixels: the preview's when it shows that file, else decoded on a worker.
    if (preview_->path() == path && preview_->hasImage()) return ask(preview_->regionImage(region));
    QtConcurrent::run([path] { return PreviewWidget::decode(path, 1024).image; })
        .then(this, [ask, region](const QImage& whole) {
            ask(whole.copy(QRect(int(region.x() * whole.width()), int(region.y() * whole.height()),
                                 std::max(1, int(region.width() * whole.width())),
                                 std::max(1, int(region.height() * whole.height())))));
        });
}

void MainWindow::runQuery(const Query& q, bool record) {
    if (record) history_->push(q);
    viewer_->close();  // a query from anywhere (paste, drop, Ctrl+O) shows its results
    searching_ = true;
    tabs_->setCurrentIndex(1);
    search_->setQuery(q);
    if (previewAction_->isChecked()) {
        if (!q.region.isNull()) preview_->showRegion(q.regionOf, q.region);  // the file, the rectangle drawn
        else preview_->setImage(q.path);  // pixels: cleared (the card shows them)
    }
    askSearch(*service_, q);
    updateNavigation();
}

void MainWindow::findDuplicates() {
    if (!service_->isOpen()) return;
    duplicatesPending_ = duplicatesAsked_ = true;
    duplicatesRefresh_ = false;
    tabs_->setCurrentWidget(duplicates_);
    statusBar()->showMessage(tr("Looking for near-duplicates…"));
    service_->findDuplicates();
}

void MainWindow::goBack() {
    if (history_->canGoBack()) runQuery(history_->back(), false);
}

void MainWindow::goForward() {
    if (history_->canGoForward()) runQuery(history_->forward(), false);
}

void MainWindow::updateNavigation() {
    back_->setEnabled(history_->canGoBack());
    forward_->setEnabled(history_->canGoForward());
}

void MainWindow::showFolder(const QString& folder) {
    listFolder(folder, nullptr);
    if (!folder.isEmpty() && tabs_->currentIndex() != 0 && !searching_) tabs_->setCurrentIndex(0);
}

void MainWindow::listFolder(const QString& folder, const LibraryChange* change) {
    const quint64 id = ++folderListing_;
    if (folder.isEmpty()) return browse_->gridModel()->clear();
    auto* watcher = new QFutureWatcher<QStringList>(this);
    const bool relist = change != nullptr;
    const QHash<QString, QString> moved = relist ? change->movedPaths : QHash<QString, QString>();
    connect(watcher, &QFutureWatcher<QStringList>::finished, this, [this, watcher, id, relist, moved] {
        if (id == folderListing_) {
            const QStringList files = watcher->result();
            const GridPlace place = gridPlace(browse_);
            browse_->gridModel()->setFolderFiles(files);
            if (relist) restoreGridPlace(browse_, place, moved);
            else
                statusBar()->showMessage(files.isEmpty() ? tr("No images directly in this folder: open one of its "
                                                              "subfolders in the tree.")
                                                         : tr("%n image(s) in this folder", nullptr, files.size()),
                                         8000);
        }
        watcher->deleteLater();
    });
    watcher->setFuture(listImagesAsync(folder));
}

void MainWindow::showContextMenu(const QString& path, const QPoint& globalPos) {
    // The grid made `path` its current item: the window's actions act on it.
    if (path.isEmpty()) return;
    QMenu menu(this);
    for (QAction* a : {findSimilar_, viewAction_}) menu.addAction(a);
    if (activeGrid() == results_) menu.addActions({marks_->alikeAction(), marks_->differentAction()});
    menu.addSeparator();
    for (QAction* a : {openViewer_, showInFolder_, copyPathAction_}) menu.addAction(a);
    menu.addSeparator();
    for (QAction* a : {renameAction_, trashAction_}) menu.addAction(a);
    menu.exec(globalPos);
}

QString MainWindow::selectedImage() {
    ImageGrid* grid = activeGrid();
    const QString path = viewer_->isOpen() ? viewer_->currentPath() : grid ? grid->currentPath() : QString();
    if (path.isEmpty())
        statusBar()->showMessage(tr("Select an image first: click one in the Folder or Similar tab, or find images "
                                    "like any file with Ctrl+O."),
                                 8000);
    return path;
}

ImageGrid* MainWindow::activeGrid() const {
    if (tabs_->currentWidget() == browse_) return browse_;
    if (tabs_->currentWidget() == results_->parentWidget()) return results_;
    return nullptr;
}

void MainWindow::connectFileCommands() {
    const std::array<ImageGrid*, 2> grids{browse_, results_};
    connect(files_, &FileCommands::trashed, this, [this, grids](const QString& path) {
        thumbnails_->forget(path);
        service_->forget({path});
        for (ImageGrid* g : grids) g->removePath(path);
        if (preview_->path() == path) preview_->clear();
        statusBar()->showMessage(tr("%1 moved to the trash · Undo: %2")
                                     .arg(QFileInfo(path).fileName(), QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)),
                                 15000);
    });
    connect(files_, &FileCommands::restored, this, [this, grids](const QString& path) {
        for (ImageGrid* g : grids) g->restorePath(path);
        service_->rescan();  // the catalog forgot it: indexed again
        statusBar()->showMessage(tr("%1 is back from the trash").arg(QFileInfo(path).fileName()), 8000);
    });
    connect(files_, &FileCommands::renamed, this, [this, grids](const QString& from, const QString& to) {
        thumbnails_->forget(from);
        for (ImageGrid* g : grids) g->replacePath(from, to);
        if (preview_->path() == from) preview_->setImage(to);
        service_->rescan();  // a move by content hash: the vector is kept, nothing is embedded again
        statusBar()->showMessage(tr("Renamed %1 to %2").arg(QFileInfo(from).fileName(), QFileInfo(to).fileName()), 8000);
    });
}

void MainWindow::showBanner(const QString& text) {
    banner_->setText(text);
    banner_->show();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const QMimeData* mime = event->mimeData();
    const bool localFile = mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile();
    if (event->source() == nullptr && (localFile || mime->hasImage())) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile()) {
        const QString path = mime->urls().first().toLocalFile();
        if (QFileInfo(path).isDir()) service_->addRoot(path);  // a folder dropped in: add it
        else queryFile(path);
    } else if (mime->hasImage()) {
        queryImage(qvariant_cast<QImage>(mime->imageData()), tr("Dropped image"));
    }
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("view/thumbnailSide", sizeSlider_->value());
    // Indexing stops after the file it is on and keeps what it has; the next start resumes.
    service_->cancelIndexing();
    event->accept();
}

bool MainWindow::isSettled() const {
    return !opening_ && !service_->isIndexing() && !searching_ && !duplicatesPending_ && search_->isSettled() &&
           marks_->isSettled() && learning_->isSettled() &&
           thumbnails_->loader()->queuedCount() == 0;
}

void MainWindow::showLearning() { tabs_->setCurrentWidget(learning_); }

void MainWindow::showMap() { tabs_->setCurrentWidget(map_); }

void MainWindow::showAbout() {
    const auto& s = service_->snapshot();
    QMessageBox::about(
        this, tr("About RuVision"),
        tr("<h3>RuVision %1</h3><p>Visual image search on your own computer, with its own SIMD CNN engine.</p>"
           "<p>Model: <b>%2</b> (%3-d embeddings)<br>SIMD path: %4<br>Library: %5</p>")
            .arg(QStringLiteral(RUVISION_VERSION))
            .arg(s.model.isEmpty() ? tr("none loaded") : s.model.toHtmlEscaped())
            .arg(s.dim)
            .arg(QString::fromUtf8(kernels::isa_name(kernels::kernels().isa).data()))
            .arg(s.dir.toHtmlEscaped()));
}

}  // namespace rv::ui
