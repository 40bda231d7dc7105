// The folder tree and the file actions, on real folders and a real photo, offscreen.
// HOME and XDG_DATA_HOME point into a temporary folder before anything is trashed, so the user's
// trash is never touched; DBUS_SESSION_BUS_ADDRESS is unset and PATH holds only an `xdg-open`
// that records what it is asked to open, so nothing is launched on the desktop.
#include <QDirIterator>
#include <QImageReader>
#include <QMenu>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include "FileActions.h"
#include "FolderTree.h"

using rv::ui::FolderTree;
using rv::ui::FolderTreeModel;

namespace {

// A real photo (JPEG) from the desktop packages; empty if none.
QString findPhoto() {
    for (const char* root : {"/usr/share/backgrounds", "/usr/share/wallpapers"}) {
        QDirIterator it(QString::fromLatin1(root), {QStringLiteral("*.jpg")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (QImageReader(path).size().isValid()) return path;
        }
    }
    return {};
}

}  // namespace

// The files the recording xdg-open was asked to open, in order.
class UrlCatcher {
public:
    QString record;
    QList<QUrl> urls() const {
        QList<QUrl> out;
        QFile f(record);
        if (f.open(QIODevice::ReadOnly))
            for (const QByteArray& line : f.readAll().split('\n'))
                if (!line.isEmpty()) out << QUrl::fromLocalFile(QFile::decodeName(line));
        return out;
    }
    void clear() const { QFile::remove(record); }
};

class TestViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void trash_moves_files_into_xdg_trash();
    void open_and_show_in_folder_use_file_urls();

    void folder_tree_shows_roots_and_lists_lazily();
    void folder_tree_emits_folder_selected();
    void folder_tree_context_menu();
    void folder_tree_reset_during_listing();
    void folder_tree_keeps_staying_roots();
    void folder_tree_follows_new_and_vanished_folders();
    void folder_tree_greys_roots_the_library_found_offline();

private:
    // dir_/lib/A (sub2, sub10 with deeper, .hidden), dir_/lib/B (no subfolders); C is missing.
    QStringList makeRoots();

    QTemporaryDir home_;
    QTemporaryDir dir_;
    UrlCatcher catcher_;
    QString photo_;
};

void TestViews::initTestCase() {
    QVERIFY(home_.isValid() && dir_.isValid());
    // Before any trash call: the trash and the home folder are ours.
    QVERIFY(QDir().mkpath(home_.filePath(QStringLiteral("data"))));
    qputenv("HOME", home_.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", home_.filePath(QStringLiteral("data")).toLocal8Bit());
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    const QString bin = home_.filePath(QStringLiteral("bin"));
    QVERIFY(QDir().mkpath(bin));
    catcher_.record = home_.filePath(QStringLiteral("opened.txt"));
    QFile script(bin + QStringLiteral("/xdg-open"));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + QFile::encodeName(catcher_.record) + "'\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    qputenv("PATH", QFile::encodeName(bin));

    const QString source = findPhoto();
    if (source.isEmpty()) QSKIP("no JPEG photo in /usr/share/backgrounds or /usr/share/wallpapers");
    photo_ = dir_.filePath(QStringLiteral("photo.jpg"));
    QVERIFY(QFile::copy(source, photo_));
}

void TestViews::cleanupTestCase() {
    QThreadPool::globalInstance()->waitForDone();  // no worker outlives the temporary folders
}

void TestViews::trash_moves_files_into_xdg_trash() {
    const QString a = dir_.filePath(QStringLiteral("trash me.jpg"));
    QVERIFY(QFile::copy(photo_, a));
    const QString missing = dir_.filePath(QStringLiteral("gone.jpg"));
    const rv::ui::TrashResult result = rv::ui::moveToTrash({a, missing});
    QCOMPARE(result.trashed, QStringList{a});
    QCOMPARE(result.failed.size(), 1);
    QCOMPARE(result.failed[0].first, missing);
    QVERIFY(!result.failed[0].second.isEmpty());
    QVERIFY(!QFile::exists(a));
    const QString trash = home_.filePath(QStringLiteral("data/Trash"));
    QVERIFY(QFile::exists(trash + QStringLiteral("/files/trash me.jpg")));
    QVERIFY(QFile::exists(trash + QStringLiteral("/info/trash me.jpg.trashinfo")));
    QCOMPARE(QFileInfo(trash + QStringLiteral("/files/trash me.jpg")).size(), QFileInfo(photo_).size());
}

void TestViews::open_and_show_in_folder_use_file_urls() {
    catcher_.clear();
    QVERIFY(rv::ui::openWithSystemViewer(photo_));
    QTRY_COMPARE(catcher_.urls(), QList<QUrl>{QUrl::fromLocalFile(photo_)});
    QVERIFY(rv::ui::showInFolder(photo_));
    QTRY_COMPARE(catcher_.urls().size(), 2);
    QCOMPARE(catcher_.urls()[1], QUrl::fromLocalFile(QFileInfo(photo_).absolutePath()));
    QVERIFY(!rv::ui::showInFolder(dir_.filePath(QStringLiteral("no/such/folder/x.jpg"))));
}

QStringList TestViews::makeRoots() {
    const QString lib = dir_.filePath(QStringLiteral("lib"));
    for (const char* sub : {"A/sub2", "A/sub10/deeper", "A/.hidden", "B"})
        if (!QDir().mkpath(lib + QLatin1Char('/') + QLatin1String(sub))) return {};
    QFile::copy(photo_, lib + QStringLiteral("/B/in b.jpg"));  // files are not folders
    return {lib + QStringLiteral("/A"), lib + QStringLiteral("/B"), lib + QStringLiteral("/C")};
}

void TestViews::folder_tree_shows_roots_and_lists_lazily() {
    const QStringList roots = makeRoots();
    QCOMPARE(roots.size(), 3);
    FolderTree tree;
    tree.resize(300, 400);
    tree.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tree));
    FolderTreeModel* model = tree.folderModel();
    tree.setRoots(roots + QStringList{roots[0] + QStringLiteral("/")});  // a duplicate is shown once
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(tree.roots(), roots);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(model->index(i, 0).data(FolderTreeModel::PathRole).toString(), roots[i]);
        QVERIFY(model->index(i, 0).data(FolderTreeModel::IsRootRole).toBool());
    }
    QTRY_VERIFY(!model->isBusy());

    // The missing root: greyed, says so, has nothing below it, and expanding it is harmless.
    const QModelIndex c = model->index(2, 0);
    QVERIFY(c.data(FolderTreeModel::MissingRole).toBool());
    QVERIFY(c.data(Qt::ToolTipRole).toString().contains(QStringLiteral("not found"), Qt::CaseInsensitive));
    QVERIFY(c.data(Qt::ToolTipRole).toString().contains(QStringLiteral("offline"), Qt::CaseInsensitive));
    QVERIFY(c.data(Qt::DisplayRole).toString().endsWith(QStringLiteral("(offline)")));
    QCOMPARE(c.data(Qt::ForegroundRole).value<QBrush>().color(),
             QApplication::palette().color(QPalette::Disabled, QPalette::Text));
    QVERIFY(!model->hasChildren(c));
    tree.expand(c);
    QVERIFY(!model->isBusy());
    QCOMPARE(model->rowCount(c), 0);
    QVERIFY(!tree.grab().isNull());

    // B has files but no folders: no expander. A's subfolders are listed only when expanded.
    const QModelIndex a = model->index(0, 0), b = model->index(1, 0);
    QVERIFY(!model->hasChildren(b));
    QVERIFY(!a.data(FolderTreeModel::MissingRole).toBool());
    QVERIFY(model->hasChildren(a));
    QCOMPARE(model->rowCount(a), 0);
    tree.expand(a);
    QTRY_COMPARE(model->rowCount(a), 2);
    // Hidden folders are left out; numbers sort as numbers.
    QCOMPARE(model->index(0, 0, a).data().toString(), QStringLiteral("sub2"));
    QCOMPARE(model->index(1, 0, a).data().toString(), QStringLiteral("sub10"));
    QCOMPARE(model->index(1, 0, a).data(FolderTreeModel::PathRole).toString(), roots[0] + QStringLiteral("/sub10"));
    QVERIFY(!model->index(1, 0, a).data(FolderTreeModel::IsRootRole).toBool());
    QVERIFY(!model->hasChildren(model->index(0, 0, a)));  // sub2 is empty
    const QModelIndex sub10 = model->index(1, 0, a);
    QVERIFY(model->hasChildren(sub10));
    tree.expand(sub10);
    QTRY_COMPARE(model->rowCount(sub10), 1);
    QCOMPARE(model->index(0, 0, sub10).data().toString(), QStringLiteral("deeper"));
}

void TestViews::folder_tree_emits_folder_selected() {
    const QStringList roots = makeRoots();
    FolderTree tree;
    tree.resize(300, 400);
    tree.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tree));
    tree.setRoots(roots);
    FolderTreeModel* model = tree.folderModel();
    QSignalSpy spy(&tree, &FolderTree::folderSelected);

    // A click on a root.
    const QModelIndex b = model->index(1, 0);
    QTest::mouseClick(tree.viewport(), Qt::LeftButton, {}, tree.visualRect(b).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), roots[1]);
    QCOMPARE(tree.currentFolder(), roots[1]);

    // The keyboard onto a subfolder.
    const QModelIndex a = model->index(0, 0);
    tree.expand(a);
    QTRY_COMPARE(model->rowCount(a), 2);
    tree.setCurrentIndex(a);
    QCOMPARE(spy.count(), 2);
    QTest::keyClick(tree.viewport(), Qt::Key_Down);
    QCOMPARE(spy.count(), 3);
    QCOMPARE(spy.at(2).at(0).toString(), roots[0] + QStringLiteral("/sub2"));

    // The missing root can be selected (its files may still be in the library: unplugged disk).
    QVERIFY(tree.selectRoot(roots[2]));
    QCOMPARE(spy.count(), 4);
    QCOMPARE(tree.currentFolder(), roots[2]);

    // New roots keep a root selection that is still there, without repeating the signal.
    QVERIFY(tree.selectRoot(roots[1]));
    QCOMPARE(spy.count(), 5);
    tree.setRoots({roots[1], roots[0]});
    QCOMPARE(tree.currentFolder(), roots[1]);
    QCOMPARE(spy.count(), 5);
    QVERIFY(!tree.selectRoot(roots[0] + QStringLiteral("/sub2")));
}

void TestViews::folder_tree_context_menu() {
    const QStringList roots = makeRoots();
    FolderTree tree;
    tree.show();  // a hidden tree does not fetch what it expands
    tree.setRoots(roots);
    FolderTreeModel* model = tree.folderModel();
    QTRY_VERIFY(!model->isBusy());
    QSignalSpy removeSpy(&tree, &FolderTree::removeRootRequested);

    std::unique_ptr<QMenu> rootMenu(tree.createContextMenu(model->index(0, 0), nullptr));
    QVERIFY(rootMenu);
    auto* remove = rootMenu->findChild<QAction*>(QStringLiteral("removeRoot"));
    auto* open = rootMenu->findChild<QAction*>(QStringLiteral("openFolder"));
    QVERIFY(remove && open);
    remove->trigger();
    QCOMPARE(removeSpy.count(), 1);
    QCOMPARE(removeSpy.at(0).at(0).toString(), roots[0]);
    catcher_.clear();
    open->trigger();
    QTRY_COMPARE(catcher_.urls(), QList<QUrl>{QUrl::fromLocalFile(roots[0])});

    // A missing root can be removed but not opened.
    std::unique_ptr<QMenu> missingMenu(tree.createContextMenu(model->index(2, 0), nullptr));
    QVERIFY(missingMenu->findChild<QAction*>(QStringLiteral("removeRoot")));
    QVERIFY(!missingMenu->findChild<QAction*>(QStringLiteral("openFolder")));

    // A subfolder is not a root.
    tree.expand(model->index(0, 0));
    QTRY_COMPARE(model->rowCount(model->index(0, 0)), 2);
    std::unique_ptr<QMenu> subMenu(tree.createContextMenu(model->index(0, 0, model->index(0, 0)), nullptr));
    QVERIFY(!subMenu->findChild<QAction*>(QStringLiteral("removeRoot")));
    QVERIFY(subMenu->findChild<QAction*>(QStringLiteral("openFolder")));
    QVERIFY(!tree.createContextMenu(QModelIndex(), nullptr));
}

void TestViews::folder_tree_reset_during_listing() {
    const QStringList roots = makeRoots();
    FolderTree tree;
    tree.show();
    FolderTreeModel* model = tree.folderModel();
    tree.setRoots(roots);
    QTRY_VERIFY(!model->isBusy());
    // Start listing A, then replace the roots before the listing comes back: the late listing
    // must not land in the new tree.
    tree.expand(model->index(0, 0));
    QVERIFY(model->isBusy());
    tree.setRoots({roots[1]});
    QTRY_VERIFY(!model->isBusy());
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->rowCount(model->index(0, 0)), 0);
    tree.setRoots({});
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(tree.currentFolder().isEmpty());
}

void TestViews::folder_tree_keeps_staying_roots() {
    const QStringList roots = makeRoots();
    const QString d = dir_.filePath(QStringLiteral("lib/D"));
    QVERIFY(QDir().mkpath(d));
    FolderTree tree;
    tree.resize(300, 400);
    tree.show();
    FolderTreeModel* model = tree.folderModel();
    tree.setRoots({roots[0], roots[1]});
    const QModelIndex a = model->index(0, 0);
    tree.expand(a);
    QTRY_COMPARE(model->rowCount(a), 2);
    QSignalSpy spy(&tree, &FolderTree::folderSelected);
    tree.setCurrentIndex(model->index(0, 0, a));
    QCOMPARE(spy.count(), 1);

    // Adding a root (in the middle) keeps A's listing, its expansion and the selection.
    tree.setRoots({roots[0], d, roots[1]});
    QCOMPARE(tree.roots(), (QStringList{roots[0], d, roots[1]}));
    QCOMPARE(model->rowCount(model->index(0, 0)), 2);
    QVERIFY(tree.isExpanded(model->index(0, 0)));
    QCOMPARE(tree.currentFolder(), roots[0] + QStringLiteral("/sub2"));
    QCOMPARE(spy.count(), 1);
    QTRY_VERIFY(!model->isBusy());
    QVERIFY(!model->hasChildren(model->index(1, 0)));  // D was checked: empty

    // Removing the root that holds the selection: the window is told nothing is selected.
    tree.setRoots({d, roots[1]});
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(spy.count(), 2);
    QVERIFY(spy.at(1).at(0).toString().isEmpty());
    QVERIFY(tree.currentFolder().isEmpty());
}

// After a change of the library the tree lists its listed folders again: a new folder appears at
// its place, a vanished one goes, the expanded folder and the selection that stay are kept.
void TestViews::folder_tree_follows_new_and_vanished_folders() {
    const QString root = dir_.filePath(QStringLiteral("follow"));
    for (const char* sub : {"2023", "2025/june"})
        QVERIFY(QDir().mkpath(root + QLatin1Char('/') + QLatin1String(sub)));
    FolderTree tree;
    tree.resize(300, 400);
    tree.show();
    FolderTreeModel* model = tree.folderModel();
    tree.setRoots({root});
    const QModelIndex r = model->index(0, 0);
    tree.expand(r);
    QTRY_COMPARE(model->rowCount(r), 2);
    const QModelIndex y2025 = model->index(1, 0, r);
    tree.expand(y2025);
    QTRY_COMPARE(model->rowCount(y2025), 1);
    tree.setCurrentIndex(y2025);
    QSignalSpy selected(&tree, &FolderTree::folderSelected);

    QVERIFY(QDir().mkpath(root + QStringLiteral("/2024")));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/2025/july")));
    QVERIFY(QDir(root + QStringLiteral("/2023")).removeRecursively());
    tree.followLibrary({});
    QTRY_VERIFY(!model->isBusy());
    QStringList names;
    for (int i = 0; i < model->rowCount(r); ++i) names << model->index(i, 0, r).data().toString();
    QCOMPARE(names, (QStringList{QStringLiteral("2024"), QStringLiteral("2025")}));
    const QModelIndex after = model->index(1, 0, r);
    QCOMPARE(model->rowCount(after), 2);  // listed again, though only listed once before
    QCOMPARE(model->index(0, 0, after).data().toString(), QStringLiteral("july"));  // in name order
    QCOMPARE(model->index(1, 0, after).data().toString(), QStringLiteral("june"));
    QVERIFY(tree.isExpanded(after));
    QCOMPARE(tree.currentFolder(), root + QStringLiteral("/2025"));
    QCOMPARE(selected.count(), 0);  // the selection did not move

    // The selected folder vanishes: the selection moves to a folder that is there (the view hands
    // it to a neighbour), and the window is told.
    QVERIFY(QDir(root + QStringLiteral("/2025")).removeRecursively());
    tree.followLibrary({});
    QTRY_COMPARE(selected.count(), 1);
    QCOMPARE(model->rowCount(r), 1);
    QVERIFY(selected.at(0).at(0).toString() != root + QStringLiteral("/2025"));
    QCOMPARE(selected.at(0).at(0).toString(), tree.currentFolder());
}

// A root the engine found offline though the folder exists (its files all vanished at once: an
// unmounted disk leaves an empty mount point) is greyed, with the engine's reason.
void TestViews::folder_tree_greys_roots_the_library_found_offline() {
    const QString root = dir_.filePath(QStringLiteral("mountpoint")), other = dir_.filePath(QStringLiteral("online"));
    QVERIFY(QDir().mkpath(root) && QDir().mkpath(other));
    FolderTree tree;
    FolderTreeModel* model = tree.folderModel();
    tree.setRoots({root, other});
    QTRY_VERIFY(!model->isBusy());
    QVERIFY(!model->index(0, 0).data(FolderTreeModel::MissingRole).toBool());
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    tree.followLibrary({{root, QStringLiteral("suddenly empty (its 12 files are kept)")}});
    QVERIFY(!changed.isEmpty());
    const QModelIndex r = model->index(0, 0);
    QVERIFY(r.data(FolderTreeModel::MissingRole).toBool());
    QVERIFY(r.data(Qt::DisplayRole).toString().endsWith(QStringLiteral("(offline)")));
    QVERIFY(r.data(Qt::ToolTipRole).toString().contains(QStringLiteral("suddenly empty")));
    QCOMPARE(r.data(Qt::ForegroundRole).value<QBrush>().color(),
             QApplication::palette().color(QPalette::Disabled, QPalette::Text));
    QVERIFY(!model->index(1, 0).data(FolderTreeModel::MissingRole).toBool());
    // Back online.
    tree.followLibrary({});
    QVERIFY(!model->index(0, 0).data(FolderTreeModel::MissingRole).toBool());
    // As a window opening a library learns it: with the roots.
    tree.setRoots({root, other}, {{other, QStringLiteral("suddenly empty")}});
    QVERIFY(!model->index(0, 0).data(FolderTreeModel::MissingRole).toBool());
    QVERIFY(model->index(1, 0).data(FolderTreeModel::MissingRole).toBool());
    QTRY_VERIFY(!model->isBusy());
}

QTEST_MAIN(TestViews)
#include "test_views.moc"
