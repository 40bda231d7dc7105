#include "poincare/MapPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "DisplayName.h"
#include "LibraryService.h"
#include "ThumbnailCache.h"
#include "poincare/PoincareView.h"

namespace rv::ui {

namespace {

constexpr int kLevelHits = 6;
constexpr int kIconSide = 56;

}  // namespace

MapPanel::MapPanel(LibraryService* service, ThumbnailCache* thumbnails, QWidget* parent)
    : QWidget(parent), service_(service), thumbnails_(thumbnails) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 6, 6, 6);

    auto* bar = new QHBoxLayout;
    status_ = new QLabel(this);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(status_, 1);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setToolTip(tr("Stop building the map; the map stored before stays"));
    cancel_->hide();
    bar->addWidget(cancel_);
    up_ = new QPushButton(tr("Up a Level"), this);
    up_->setToolTip(tr("Centre on the parent group of the focus (Backspace)"));
    bar->addWidget(up_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("General"), this));
    level_ = new QSlider(Qt::Horizontal, this);
    level_->setRange(0, 0);
    level_->setMinimumWidth(160);
    level_->setToolTip(tr("Search at this level of the map for the current query (0: the most general groups)"));
    bar->addWidget(level_);
    bar->addWidget(new QLabel(tr("Specific"), this));
    levelLabel_ = new QLabel(this);
    levelLabel_->setMinimumWidth(60);
    bar->addWidget(levelLabel_);
    column->addLayout(bar);

    auto* row = new QHBoxLayout;
    view_ = new PoincareView(thumbnails, this);
    row->addWidget(view_, 1);
    auto* side = new QVBoxLayout;
    hitsTitle_ = new QLabel(this);
    hitsTitle_->setWordWrap(true);
    side->addWidget(hitsTitle_);
    hits_ = new QListWidget(this);
    hits_->setIconSize(QSize(kIconSide, kIconSide));
    hits_->setFixedWidth(240);
    hits_->setSpacing(2);
    side->addWidget(hits_, 1);
    hitsColumn_ = new QWidget(this);
    hitsColumn_->setLayout(side);
    hitsColumn_->hide();  // until a search at a level answers
    row->addWidget(hitsColumn_);
    column->addLayout(row, 1);

    levelTimer_.setSingleShot(true);
    levelTimer_.setInterval(150);
    connect(&levelTimer_, &QTimer::timeout, this, &MapPanel::runLevelSearch);
    connect(level_, &QSlider::valueChanged, this, [this](int v) {
        levelLabel_->setText(tr("level %1").arg(v));
        levelTimer_.start();
    });
    levelLabel_->setText(tr("level %1").arg(0));
    connect(up_, &QPushButton::clicked, view_, [this] { view_->goUp(); });
    connect(cancel_, &QPushButton::clicked, service_, &LibraryService::cancelHierarchy);
    connect(view_, &PoincareView::imageActivated, this, &MapPanel::imageActivated);
    connect(hits_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        view_->drillDown(item->data(Qt::UserRole).toInt());
    });
    connect(hits_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        view_->centreOn(item->data(Qt::UserRole).toInt());
    });
    connect(thumbnails_, &ThumbnailSource::thumbnailReady, this, [this] { refreshHitIcons(); });

    connect(service_, &LibraryService::opened, this, [this](bool ok) {
        // The map read early from the catalog (before the library opened) stays; the library's
        // own load follows.
        if (!ok) {
            map_.reset();
            view_->setMap(nullptr);
        }
        loaded_ = false;
        loadError_.clear();
        buildError_.clear();
        progress_ = -1;
        lastBuild_ = {};
        query_.clear();
        neighbours_.clear();
        hitNodes_.clear();
        hits_->clear();
        hitsColumn_->hide();
        updateHighlights();
        updateStatus();
    });
    connect(service_, &LibraryService::hierarchyLoaded, this, &MapPanel::onLoaded);
    connect(service_, &LibraryService::hierarchyProgress, this, [this](qint64 done, qint64 total) {
        progress_ = total > 0 ? static_cast<int>(100 * done / total) : 0;
        updateStatus();
    });
    connect(service_, &LibraryService::hierarchyUpdated, this, [this](const MapBuildInfo& info, const QString& error) {
        progress_ = -1;
        buildError_ = error;
        if (error.isEmpty()) lastBuild_ = info;
        updateStatus();
    });
    connect(service_, &LibraryService::levelSearchFinished, this, &MapPanel::onLevelResult);
    updateStatus();
}

void MapPanel::showInTabs() {
    for (QWidget* w = parentWidget(); w; w = w->parentWidget())
        if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
            tabs->setCurrentWidget(this);
            return;
        }
}

bool MapPanel::isSettled() const {
    return loaded_ && !service_->isBuildingHierarchy() && !service_->isLoadingHierarchy() && !levelPending_ &&
           !levelTimer_.isActive() && !view_->isAnimating();
}

void MapPanel::setQuery(const QString& path, const QStringList& neighbours) {
    const bool changed = path != query_;
    query_ = path;
    neighbours_ = neighbours;
    updateHighlights();
    if (changed && map_ && !query_.isEmpty()) runLevelSearch();
}

void MapPanel::searchLevel(int level) {
    level_->setValue(level);
    levelTimer_.stop();
    runLevelSearch();
}

void MapPanel::onLoaded(std::shared_ptr<const MapData> map, const QString& error) {
    loaded_ = true;
    loadError_ = error;
    if (!error.isEmpty() && !map) {
        updateStatus();
        return;  // the map shown stays (a failed reload does not blank it)
    }
    map_ = map;
    view_->setMap(map_);
    level_->setRange(0, map_ ? std::max(0, map_->maxDepth - 1) : 0);
    // The hits were node indices of the previous map: asked again.
    hitNodes_.clear();
    updateHighlights();
    updateStatus();
    if (map_ && (!query_.isEmpty() || hits_->count() > 0)) runLevelSearch();
}

void MapPanel::runLevelSearch() {
    levelTimer_.stop();
    if (!map_) return;
    QString source = query_;
    if (source.isEmpty()) source = map_->pathOf(view_->focus() >= 0 ? view_->focus() : 0);
    if (source.isEmpty()) return;
    levelPending_ = true;
    levelRequest_ = service_->searchAtLevel(source, level_->value(), kLevelHits);
}

void MapPanel::onLevelResult(quint64 id, const LevelResult& result, const QString& error) {
    if (id != levelRequest_) return;
    levelPending_ = false;
    hits_->clear();
    hitNodes_.clear();
    level_result_ = result;
    if (!error.isEmpty() || !map_) {
        hitsTitle_->setText(error.isEmpty() ? QString() : tr("No search at this level: %1").arg(error));
        hitsColumn_->setVisible(!error.isEmpty());
        updateHighlights();
        return;
    }
    const int n = static_cast<int>(map_->hierarchy.nodes.size());
    for (const LevelHitItem& hit : result.hits) {
        // The node index is the searched hierarchy's; the id names it in ours.
        int node = hit.node >= 0 && hit.node < n && map_->hierarchy.nodes[static_cast<std::size_t>(hit.node)].id == hit.id
                       ? hit.node
                       : map_->indexOfId(hit.id);
        if (node < 0) continue;
        hitNodes_.push_back(node);
        const bool image = map_->hierarchy.nodes[static_cast<std::size_t>(node)].kind == HierarchyNode::Kind::Image;
        auto* item = new QListWidgetItem(image ? displayName(hit.path)
                                               : tr("%Ln image(s)", nullptr, hit.size) + QLatin1Char('\n') +
                                                     displayName(hit.path),
                                         hits_);
        item->setData(Qt::UserRole, node);
        item->setData(Qt::UserRole + 1, hit.path);
        item->setToolTip(view_->tooltipFor(node));
    }
    refreshHitIcons();
    hitsColumn_->show();
    hitsTitle_->setText(tr("Level %1: the %n group(s) nearest to %2", nullptr, static_cast<int>(hitNodes_.size()))
                            .arg(result.level)
                            .arg(displayName(result.query)));
    updateHighlights();
    emit levelHitsShown(static_cast<int>(hitNodes_.size()));
}

void MapPanel::refreshHitIcons() {
    for (int i = 0; i < hits_->count(); ++i) {
        QListWidgetItem* item = hits_->item(i);
        const QPixmap pixmap = thumbnails_->thumbnail(item->data(Qt::UserRole + 1).toString(), kIconSide);
        if (!pixmap.isNull()) item->setIcon(QIcon(pixmap));
    }
}

void MapPanel::updateHighlights() {
    MapHighlights marks;
    if (map_) {
        for (int node : hitNodes_) marks.hits.insert(node);
        marks.query = map_->imageByPath.value(query_, -1);
        for (const QString& p : neighbours_)
            if (const int node = map_->imageByPath.value(p, -1); node >= 0 && node != marks.query) marks.neighbours.insert(node);
        // Where the query falls: its image's ancestors, or (a file outside the library) the
        // groups the last level search for it located it in.
        const int n = static_cast<int>(map_->hierarchy.nodes.size());
        if (marks.query >= 0) {
            for (int a = map_->hierarchy.nodes[static_cast<std::size_t>(marks.query)].parent; a > 0;
                 a = map_->hierarchy.nodes[static_cast<std::size_t>(a)].parent)
                marks.queryPath.insert(a);
        } else if (!query_.isEmpty() && level_result_.query == query_) {
            for (int g : level_result_.path)
                if (g > 0 && g < n) marks.queryPath.insert(g);
        }
    }
    view_->setHighlights(marks);
}

QString MapPanel::statusText() const { return status_->text(); }

void MapPanel::updateStatus() {
    const QLocale locale;
    QString text;
    if (progress_ >= 0) {
        text = tr("Building the map… %1 %").arg(progress_);
    } else if (!loadError_.isEmpty() && !map_) {
        text = tr("The map cannot be shown: %1").arg(loadError_);
    } else if (!map_) {
        text = !buildError_.isEmpty() ? tr("The map could not be built: %1").arg(buildError_)
               : loaded_              ? tr("No map yet: it is built once the library is indexed.")
                                      : tr("Loading the map…");
    } else {
        const auto& nodes = map_->hierarchy.nodes;
        const qint64 images = nodes.empty() ? 0 : nodes.front().size;
        const qint64 groups = std::count_if(nodes.begin(), nodes.end(), [](const HierarchyNode& n) {
            return n.kind == HierarchyNode::Kind::Group || n.kind == HierarchyNode::Kind::Duplicates;
        });
        text = tr("%L1 images in %L2 groups, %3 levels").arg(images).arg(groups).arg(std::max(0, map_->maxDepth - 1));
        if (map_->meanDistortion >= 0)
            text += tr(" · distortion %1 mean, %2 max · MAP %3")
                        .arg(locale.toString(map_->meanDistortion, 'f', 3), locale.toString(map_->maxDistortion, 'f', 3),
                             locale.toString(map_->mapScore, 'f', 3));
        if (map_->stale)
            text += service_->isBuildingHierarchy() ? tr(" · out of date, updating…") : tr(" · out of date");
        if (!buildError_.isEmpty()) text += tr(" · the last update failed: %1").arg(buildError_);
    }
    status_->setText(text);
    cancel_->setVisible(progress_ >= 0);
}

}  // namespace rv::ui
