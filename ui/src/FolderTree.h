// The library's folders: its roots at the top level, their subfolders below, listed lazily.
//
// Thread: GUI thread only. The disk is never read on the GUI thread: whether a root exists and
// which subfolders a folder has are found by QtConcurrent workers (a folder is listed when the
// view first asks for its children, i.e. when it is expanded) and merged on the GUI thread.
// A listing that comes back for a folder no longer in the tree is dropped. Hidden folders (dot names) are not shown;
// symlinked folders are (the scanner follows them), and since listing is lazy a symlink loop only
// goes as deep as the user expands it.
// Paths: absolute, '/'-separated, cleaned (QDir::cleanPath), as given to setRoots().
#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QStringList>
#include <QTreeView>

#include <memory>
#include <vector>

class QMenu;

namespace rv::ui {

class FolderTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, IsRootRole, MissingRole };

    explicit FolderTreeModel(QObject* parent = nullptr);
    ~FolderTreeModel() override;

    // Sets the top level; duplicates are shown once, order is kept. Roots that stay keep their
    // rows (listed subfolders, expansion, selection) when the order of the staying roots is
    // unchanged: others are removed and new ones inserted; a reorder resets the model.
    void setRoots(const QStringList& roots);
    QStringList roots() const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    QString pathOf(const QModelIndex& index) const;
    // Top-level index of a root, invalid if `path` is not a root.
    QModelIndex rootIndex(const QString& path) const;
    // True while workers are checking roots or listing folders.
    bool isBusy() const { return jobs_ > 0; }
    // Roots the library found offline (root -> reason, e.g. "suddenly empty"): shown greyed with
    // the reason, like a root that is missing on disk. Roots not in the map are online.
    void setOfflineRoots(const QHash<QString, QString>& reasons);
    // Checks the roots again and lists again every folder listed so far: new subfolders appear,
    // vanished ones go; folders that stay keep their rows (expansion, selection). Off the GUI thread.
    void refresh();

signals:
    void busyChanged(bool busy);

private:
    struct Node;
    Node* nodeOf(const QModelIndex& index) const;
    QModelIndex indexOf(const Node* node) const;
    std::weak_ptr<Node> weakOf(const Node* node) const;
    void checkRoots(const std::vector<std::shared_ptr<Node>>& nodes);
    void relist(Node* node);  // lists a listed folder again and merges the result
    QHash<QString, QString> offline_;
    void jobStarted();
    void jobEnded();

    std::vector<std::shared_ptr<Node>> roots_;
    int jobs_ = 0;
};

class FolderTree : public QTreeView {
    Q_OBJECT
public:
    explicit FolderTree(QWidget* parent = nullptr);

    // The roots, and those the library found offline (root -> reason; see setOfflineRoots()).
    void setRoots(const QStringList& roots, const QHash<QString, QString>& offlineRoots = {});
    QStringList roots() const { return model_->roots(); }
    // The selected folder, empty if none.
    QString currentFolder() const;
    // Selects a root (not subfolders: they may not be listed yet). False if it is not a root.
    bool selectRoot(const QString& root);
    FolderTreeModel* folderModel() const { return model_; }
    // Follows a change of the library: the offline roots as given, folders listed again.
    void followLibrary(const QHash<QString, QString>& offlineRoots);

    // The context menu for `index` (null if there is nothing to offer); the caller owns it.
    // Actions: "openFolder" (any existing folder), "removeRoot" (roots only).
    QMenu* createContextMenu(const QModelIndex& index, QWidget* parent);

signals:
    // The current folder changed (click, keyboard, selectRoot()); not repeated for the same
    // folder. Empty when the selected folder left the tree (see setRoots()).
    void folderSelected(const QString& path);
    // The user asked, from a root's context menu, to remove it from the library (nothing on disk
    // is touched; the window asks the library and calls setRoots() again).
    void removeRootRequested(const QString& root);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void selectionLost();

    FolderTreeModel* model_ = nullptr;
    QString lastSelected_;
};

}  // namespace rv::ui
