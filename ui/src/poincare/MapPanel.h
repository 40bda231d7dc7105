// The "Map" tab: the library as a hierarchy in the Poincaré disk (PoincareView), a status line
// ("Building the map… 40 %", the embedding's distortion and MAP, out of date), a level slider
// (0 = most general) that searches at that level for the current query (or, without one, for the
// focus's representative) and highlights the hits, with a list of them (thumbnail, size), and the
// current query and its neighbours (the Similar tab's results) highlighted on the disk.
//
// The map follows the library: LibraryService loads the stored hierarchy when a library opens and
// after every update (after indexing, trashing, a relearn), and the view keeps its focus on the
// same node id.
//
// Thread: GUI thread; engine work only through LibraryService (reader / writer pools).
#pragma once

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <memory>

#include "poincare/MapData.h"

class QLabel;
class QListWidget;
class QPushButton;
class QSlider;

namespace rv::ui {

class LibraryService;
class PoincareView;
class ThumbnailCache;

class MapPanel : public QWidget {
    Q_OBJECT
public:
    // `service` and `thumbnails` are not owned and must outlive the panel.
    MapPanel(LibraryService* service, ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    // The current search of the window: a library file (or any image file; empty: none) and its
    // results' paths. Highlighted on the map; the level search follows it.
    void setQuery(const QString& path, const QStringList& neighbours);
    // Searches at `level` now (the slider's value is set too).
    void searchLevel(int level);

    PoincareView* view() const { return view_; }
    QSlider* levelSlider() const { return level_; }
    QListWidget* hitList() const { return hits_; }
    QString statusText() const;
    bool hasMap() const { return map_ != nullptr; }
    std::shared_ptr<const MapData> mapData() const { return map_; }
    // Nothing pending: the map's load (or the knowledge that there is none), a build, a level
    // search, an animation.
    bool isSettled() const;
    // Makes this the page shown when it sits in a QTabWidget.
    void showInTabs();

signals:
    void imageActivated(const QString& path);
    // A level search answered and its hits are highlighted.
    void levelHitsShown(int count);

private:
    void onLoaded(std::shared_ptr<const MapData> map, const QString& error);
    void onLevelResult(quint64 id, const LevelResult& result, const QString& error);
    void runLevelSearch();
    void updateHighlights();
    void updateStatus();
    void refreshHitIcons();

    LibraryService* service_;
    ThumbnailCache* thumbnails_;
    PoincareView* view_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* levelLabel_ = nullptr;
    QLabel* hitsTitle_ = nullptr;
    QSlider* level_ = nullptr;
    QPushButton* up_ = nullptr;
    QPushButton* cancel_ = nullptr;  // shown while the map builds
    QListWidget* hits_ = nullptr;
    QWidget* hitsColumn_ = nullptr;
    QTimer levelTimer_;  // debounces the slider

    std::shared_ptr<const MapData> map_;
    bool loaded_ = false;  // a load answered for the open library (map or none)
    QString loadError_, buildError_;
    int progress_ = -1;    // the running build's percent, -1: none
    MapBuildInfo lastBuild_;
    QString query_;
    QStringList neighbours_;
    LevelResult level_result_;
    QVector<int> hitNodes_;
    quint64 levelRequest_ = 0;
    bool levelPending_ = false;
};

}  // namespace rv::ui
