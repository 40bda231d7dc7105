#include "FolderTree.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QMenu>
#include <QStyle>
#include <QtConcurrent>

#include <algorithm>

#include "FileActions.h"

namespace rv::ui {

// Owned by its parent's `children` (roots: by roots_); workers' callbacks hold weak pointers, so
// a listing that comes back for a node removed meanwhile is dropped.
struct FolderTreeModel::Node {
    enum class Listing { No, Running, Done };
    QString path;
    QString label;  // shown text
    Node* parent = nullptr;
    int row = 0;
    std::vector<std::shared_ptr<Node>> children;
    Listing listing = Listing::No;
    bool checked = false;        // exists/readable/hasSubfolders come from a worker
    bool exists = true;
    bool readable = true;
    bool hasSubfolders = true;   // until a worker says otherwise (shows an expander)
};

namespace {

// What a worker found about one folder.
struct FolderEntry {
    QString path;
    QString name;
    bool exists = false;
    bool readable = false;
    bool hasSubfolders = false;
};

// Worker thread (no GUI, no shared state).
bool hasSubfolders(const QString& path) {
    QDirIterator it(path, QDir::Dirs | QDir::NoDotAndDotDot);
    return it.hasNext();
}

// Natural order: runs of ASCII digits compare by value (2 before 10, 007 equal to 7), the rest
// case-insensitively; ties by code point. Own code, not QCollator: its numeric mode does nothing
// in the C locale and without ICU.
bool naturalLess(const QString& a, const QString& b) {
    auto digit = [](QChar c) { return c >= u'0' && c <= u'9'; };
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            while (i + 1 < a.size() && a[i] == u'0' && digit(a[i + 1])) ++i;  // leading zeros
            while (j + 1 < b.size() && b[j] == u'0' && digit(b[j + 1])) ++j;
            qsizetype ei = i, ej = j;
            while (ei < a.size() && digit(a[ei])) ++ei;
            while (ej < b.size() && digit(b[ej])) ++ej;
            if (ei - i != ej - j) return ei - i < ej - j;  // fewer digits: smaller number
            if (const int c = QStringView(a).sliced(i, ei - i).compare(QStringView(b).sliced(j, ej - j))) return c < 0;
            i = ei;
            j = ej;
        } else {
            qsizetype ei = i, ej = j;
            while (ei < a.size() && !digit(a[ei])) ++ei;
            while (ej < b.size() && !digit(b[ej])) ++ej;
            const QStringView ta = QStringView(a).sliced(i, ei - i), tb = QStringView(b).sliced(j, ej - j);
            if (const int c = ta.compare(tb, Qt::CaseInsensitive)) return c < 0;
            i = ei;
            j = ej;
        }
    }
    if ((i < a.size()) != (j < b.size())) return j < b.size();  // a is a prefix of b
    return a < b;
}

// Worker thread. Subfolders of `path`, in natural order.
std::vector<FolderEntry> listSubfolders(const QString& path) {
    QStringList names = QDir(path).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::NoSort);
    std::sort(names.begin(), names.end(), naturalLess);
    std::vector<FolderEntry> out;
    out.reserve(names.size());
    for (const QString& name : names) {
        FolderEntry e;
        e.name = name;
        e.path = path.endsWith(QLatin1Char('/')) ? path + name : path + QLatin1Char('/') + name;
        const QFileInfo info(e.path);
        e.exists = true;
        e.readable = info.isReadable() && info.isExecutable();
        e.hasSubfolders = e.readable && hasSubfolders(e.path);
        out.push_back(std::move(e));
    }
    return out;
}

QString rootLabel(const QString& path) {
    const QString home = QDir::homePath();
    if (path == home) return QStringLiteral("~");
    if (path.startsWith(home + QLatin1Char('/'))) return QDir::toNativeSeparators(QStringLiteral("~") + path.mid(home.size()));
    return QDir::toNativeSeparators(path);
}

}  // namespace

FolderTreeModel::FolderTreeModel(QObject* parent) : QAbstractItemModel(parent) {}
FolderTreeModel::~FolderTreeModel() = default;

void FolderTreeModel::setRoots(const QStringList& given) {
    QStringList wanted;
    for (const QString& root : given) {
        const QString path = QDir::cleanPath(QDir::isAbsolutePath(root) ? root : QDir(root).absolutePath());
        if (!path.isEmpty() && !wanted.contains(path)) wanted.append(path);
    }
    auto makeRoot = [](const QString& path) {
        auto node = std::make_shared<Node>();
        node->path = path;
        node->label = rootLabel(path);
        return node;
    };
    auto renumber = [this] {
        for (std::size_t i = 0; i < roots_.size(); ++i) roots_[i]->row = int(i);
    };
    QStringList kept = roots();
    kept.removeIf([&](const QString& path) { return !wanted.contains(path); });
    QStringList keptInWantedOrder = wanted;
    keptInWantedOrder.removeIf([&](const QString& path) { return !kept.contains(path); });

    std::vector<std::shared_ptr<Node>> added;
    if (kept != keptInWantedOrder) {
        // Reordered: start over (expansion and listings are lost).
        beginResetModel();
        roots_.clear();
        for (const QString& path : wanted) added.push_back(roots_.emplace_back(makeRoot(path)));
        renumber();
        endResetModel();
    } else {
        // Roots that stay keep their listed subfolders, expansion and selection.
        for (int r = int(roots_.size()) - 1; r >= 0; --r) {
            if (wanted.contains(roots_[r]->path)) continue;
            beginRemoveRows({}, r, r);
            roots_.erase(roots_.begin() + r);
            renumber();
            endRemoveRows();
        }
        for (int i = 0; i < int(wanted.size()); ++i) {
            if (i < int(roots_.size()) && roots_[i]->path == wanted[i]) continue;
            beginInsertRows({}, i, i);
            added.push_back(*roots_.insert(roots_.begin() + i, makeRoot(wanted[i])));
            renumber();
            endInsertRows();
        }
    }
    checkRoots(added);
}

QStringList FolderTreeModel::roots() const {
    QStringList out;
    for (const auto& root : roots_) out.append(root->path);
    return out;
}

void FolderTreeModel::jobStarted() {
    if (jobs_++ == 0) emit busyChanged(true);
}

void FolderTreeModel::jobEnded() {
    if (--jobs_ == 0) emit busyChanged(false);
}

void FolderTreeModel::checkRoots(const std::vector<std::shared_ptr<Node>>& nodes) {
    if (nodes.empty()) return;
    std::vector<std::weak_ptr<Node>> targets(nodes.begin(), nodes.end());
    QStringList paths;
    for (const auto& node : nodes) paths.append(node->path);
    auto* watcher = new QFutureWatcher<std::vector<FolderEntry>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, targets] {
        watcher->deleteLater();
        jobEnded();
        const std::vector<FolderEntry> found = watcher->result();
        for (std::size_t i = 0; i < found.size() && i < targets.size(); ++i) {
            const std::shared_ptr<Node> node = targets[i].lock();
            if (!node) continue;  // removed from the roots meanwhile
            node->checked = true;
            node->exists = found[i].exists;
            node->readable = found[i].readable;
            node->hasSubfolders = found[i].hasSubfolders;
            const QModelIndex index = indexOf(node.get());
            emit dataChanged(index, index);
        }
        // Expanders are read on layout; roots that turned out empty must lose theirs.
        emit layoutAboutToBeChanged();
        emit layoutChanged();
    });
    jobStarted();
    watcher->setFuture(QtConcurrent::run([paths] {
        std::vector<FolderEntry> out;
        for (const QString& path : paths) {
            const QFileInfo info(path);
            FolderEntry e;
            e.path = path;
            e.exists = info.isDir();
            e.readable = e.exists && info.isReadable() && info.isExecutable();
            e.hasSubfolders = e.readable && hasSubfolders(path);
            out.push_back(e);
        }
        return out;
    }));
}

void FolderTreeModel::setOfflineRoots(const QHash<QString, QString>& reasons) {
    if (reasons == offline_) return;
    offline_ = reasons;
    if (!roots_.empty()) emit dataChanged(indexOf(roots_.front().get()), indexOf(roots_.back().get()));
}

void FolderTreeModel::refresh() {
    checkRoots(roots_);
    std::vector<Node*> listed;
    for (const auto& root : roots_) listed.push_back(root.get());
    for (std::size_t i = 0; i < listed.size(); ++i)  // breadth first; grows as it goes
        if (listed[i]->listing == Node::Listing::Done)
            for (const auto& child : listed[i]->children) listed.push_back(child.get());
    for (Node* node : listed)
        if (node->listing == Node::Listing::Done) relist(node);
}

void FolderTreeModel::relist(Node* node) {
    auto* watcher = new QFutureWatcher<std::vector<FolderEntry>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, weak = weakOf(node)] {
        watcher->deleteLater();
        jobEnded();
        const std::shared_ptr<Node> node = weak.lock();
        if (!node || node->listing != Node::Listing::Done) return;  // removed or reset meanwhile
        const std::vector<FolderEntry> found = watcher->result();
        QHash<QString, const FolderEntry*> wanted;
        for (const FolderEntry& f : found) wanted.insert(f.path, &f);
        const QModelIndex parent = indexOf(node.get());
        auto& children = node->children;
        auto renumber = [&] {
            for (std::size_t i = 0; i < children.size(); ++i) children[i]->row = int(i);
        };
        for (int r = int(children.size()) - 1; r >= 0; --r) {
            if (const FolderEntry* f = wanted.value(children[r]->path)) {  // stays: its state may change
                children[r]->readable = f->readable;
                if (children[r]->listing != Node::Listing::Done) children[r]->hasSubfolders = f->hasSubfolders;
                continue;
            }
            beginRemoveRows(parent, r, r);
            children.erase(children.begin() + r);
            renumber();
            endRemoveRows();
        }
        // New folders go in at their place in the listing's (natural) order.
        for (int i = 0; i < int(found.size()); ++i) {
            if (i < int(children.size()) && children[i]->path == found[i].path) continue;
            auto child = std::make_shared<Node>();
            child->label = found[i].name;
            child->path = found[i].path;
            child->hasSubfolders = found[i].hasSubfolders;
            child->readable = found[i].readable;
            child->checked = true;
            child->parent = node.get();
            beginInsertRows(parent, i, i);
            children.insert(children.begin() + i, std::move(child));
            renumber();
            endInsertRows();
        }
        node->hasSubfolders = !children.empty();
        if (!children.empty()) emit dataChanged(index(0, 0, parent), index(int(children.size()) - 1, 0, parent));
        emit layoutAboutToBeChanged();  // expanders come and go
        emit layoutChanged();
    });
    jobStarted();
    watcher->setFuture(QtConcurrent::run(listSubfolders, node->path));
}

FolderTreeModel::Node* FolderTreeModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : nullptr;
}

QModelIndex FolderTreeModel::indexOf(const Node* node) const {
    return node ? createIndex(node->row, 0, const_cast<Node*>(node)) : QModelIndex();
}

std::weak_ptr<FolderTreeModel::Node> FolderTreeModel::weakOf(const Node* node) const {
    const auto& siblings = node->parent ? node->parent->children : roots_;
    return siblings[node->row];
}

QModelIndex FolderTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column != 0 || row < 0) return {};
    const auto& list = parent.isValid() ? nodeOf(parent)->children : roots_;
    if (row >= int(list.size())) return {};
    return createIndex(row, 0, list[row].get());
}

QModelIndex FolderTreeModel::parent(const QModelIndex& child) const {
    const Node* node = nodeOf(child);
    return node ? indexOf(node->parent) : QModelIndex();
}

int FolderTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0) return 0;
    return int(parent.isValid() ? nodeOf(parent)->children.size() : roots_.size());
}

int FolderTreeModel::columnCount(const QModelIndex&) const { return 1; }

bool FolderTreeModel::hasChildren(const QModelIndex& parent) const {
    const Node* node = nodeOf(parent);
    if (!node) return !roots_.empty();
    if (node->listing == Node::Listing::Done) return !node->children.empty();
    return node->exists && node->readable && node->hasSubfolders;
}

bool FolderTreeModel::canFetchMore(const QModelIndex& parent) const {
    const Node* node = nodeOf(parent);
    return node && node->listing == Node::Listing::No && node->exists && node->readable && node->hasSubfolders;
}

void FolderTreeModel::fetchMore(const QModelIndex& parent) {
    Node* node = nodeOf(parent);
    if (!canFetchMore(parent)) return;
    node->listing = Node::Listing::Running;
    auto* watcher = new QFutureWatcher<std::vector<FolderEntry>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, weak = weakOf(node)] {
        watcher->deleteLater();
        jobEnded();
        const std::shared_ptr<Node> node = weak.lock();
        if (!node) return;  // its root was removed meanwhile
        const std::vector<FolderEntry> found = watcher->result();
        node->listing = Node::Listing::Done;
        if (found.empty()) {
            node->hasSubfolders = false;
            emit layoutAboutToBeChanged();  // drops the expander
            emit layoutChanged();
            return;
        }
        beginInsertRows(indexOf(node.get()), 0, int(found.size()) - 1);
        for (const FolderEntry& f : found) {
            auto child = std::make_shared<Node>();
            child->label = f.name;
            child->path = f.path;
            child->hasSubfolders = f.hasSubfolders;
            child->readable = f.readable;
            child->checked = true;
            child->parent = node.get();
            child->row = int(node->children.size());
            node->children.push_back(std::move(child));
        }
        endInsertRows();
    });
    jobStarted();
    watcher->setFuture(QtConcurrent::run(listSubfolders, node->path));
}

QVariant FolderTreeModel::data(const QModelIndex& index, int role) const {
    const Node* node = nodeOf(index);
    if (!node) return {};
    const bool root = node->parent == nullptr;
    const QString offlineReason = root ? offline_.value(node->path) : QString();
    const bool missing = (node->checked && !node->exists) || !offlineReason.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return missing && root ? tr("%1 (offline)").arg(node->label) : node->label;
    case Qt::ToolTipRole:
        if (missing)
            return tr("%1\nOffline: %2. Its pictures stay in the library until it returns.")
                .arg(QDir::toNativeSeparators(node->path),
                     offlineReason.isEmpty() ? tr("folder not found") : offlineReason);
        if (!node->readable) return tr("%1\nThis folder cannot be read").arg(QDir::toNativeSeparators(node->path));
        return QDir::toNativeSeparators(node->path);
    case Qt::DecorationRole: {
        const QIcon icon = QApplication::style()->standardIcon(QStyle::SP_DirIcon);
        if (!missing) return icon;
        const int side = QApplication::style()->pixelMetric(QStyle::PM_SmallIconSize);
        return QIcon(icon.pixmap(side, QIcon::Disabled));
    }
    case Qt::ForegroundRole:
        if (missing || !node->readable) return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case PathRole:
        return node->path;
    case IsRootRole:
        return root;
    case MissingRole:
        return missing;
    default:
        return {};
    }
}

QString FolderTreeModel::pathOf(const QModelIndex& index) const {
    const Node* node = nodeOf(index);
    return node ? node->path : QString();
}

QModelIndex FolderTreeModel::rootIndex(const QString& path) const {
    const QString clean = QDir::cleanPath(path);
    for (const auto& root : roots_)
        if (root->path == clean) return indexOf(root.get());
    return {};
}

// ---------------------------------------------------------------------------------------------

FolderTree::FolderTree(QWidget* parent) : QTreeView(parent), model_(new FolderTreeModel(this)) {
    setModel(model_);
    setHeaderHidden(true);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    header()->setStretchLastSection(true);
    setToolTip(QString());  // per-item tooltips come from the model
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        const QString path = model_->pathOf(current);
        if (path.isEmpty() || path == lastSelected_) return;
        lastSelected_ = path;
        emit folderSelected(path);
    });
    // The selected folder can leave the tree: its root removed (a removed current root hands the
    // selection to a neighbour, which is a change like any other) or the roots reordered (a reset).
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        if (!lastSelected_.isEmpty() && !selectRoot(lastSelected_)) selectionLost();
    });
    connect(model_, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!lastSelected_.isEmpty() && !currentIndex().isValid()) selectionLost();
    });
}

void FolderTree::setRoots(const QStringList& roots, const QHash<QString, QString>& offlineRoots) {
    model_->setRoots(roots);
    model_->setOfflineRoots(offlineRoots);
}

void FolderTree::followLibrary(const QHash<QString, QString>& offlineRoots) {
    model_->setOfflineRoots(offlineRoots);
    model_->refresh();
}

void FolderTree::selectionLost() {
    lastSelected_.clear();
    emit folderSelected(QString());
}

QString FolderTree::currentFolder() const { return model_->pathOf(currentIndex()); }

bool FolderTree::selectRoot(const QString& root) {
    const QModelIndex index = model_->rootIndex(root);
    if (!index.isValid()) return false;
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    return true;
}

QMenu* FolderTree::createContextMenu(const QModelIndex& index, QWidget* parent) {
    const QString path = model_->pathOf(index);
    if (path.isEmpty()) return nullptr;
    auto* menu = new QMenu(parent);
    if (!index.data(FolderTreeModel::MissingRole).toBool()) {
        QAction* open = menu->addAction(tr("Open in File Manager"), menu, [path] { openWithSystemViewer(path); });
        open->setObjectName(QStringLiteral("openFolder"));
        open->setToolTip(QDir::toNativeSeparators(path));
    }
    if (index.data(FolderTreeModel::IsRootRole).toBool()) {
        if (!menu->isEmpty()) menu->addSeparator();
        QAction* remove = menu->addAction(tr("Remove Folder from Library…"), this,
                                          [this, path] { emit removeRootRequested(path); });
        remove->setObjectName(QStringLiteral("removeRoot"));
        remove->setToolTip(tr("RuVision forgets this folder's pictures; nothing on disk is touched"));
    }
    menu->setToolTipsVisible(true);
    return menu;
}

void FolderTree::contextMenuEvent(QContextMenuEvent* event) {
    // From the mouse the event comes through the viewport (viewport coordinates); from the
    // keyboard it is about the current item.
    const QModelIndex index =
        event->reason() == QContextMenuEvent::Keyboard ? currentIndex() : indexAt(event->pos());
    QMenu* menu = createContextMenu(index, this);
    if (!menu) return;
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

}  // namespace rv::ui
