// The grid's file commands on real files: Move to Trash (confirmed, into a private freedesktop
// trash, the grid drops the row, Undo puts file and row back), Rename (the rules, the file on
// disk, the grid shows the new name in the same row), and the desktop launchers failing loudly:
// with a PATH without xdg-open the message says so and names the package; a failing xdg-open is
// reported with its reason; a working one gets the path.
#include <QApplication>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <unistd.h>

#include "FileActions.h"
#include "FileCommands.h"
#include "ImageGrid.h"
#include "ThumbnailCache.h"
#include "ui_test_util.h"

using namespace rv::ui;

namespace {

constexpr int kWait = 30000;

QString writeImage(const QString& path, QColor colour) {
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(colour);
    return image.save(path, "JPEG") ? path : QString();
}

// An executable script in `dir` named `name`.
bool writeScript(const QString& dir, const QString& name, const QByteArray& body) {
    QFile f(QDir(dir).filePath(name));
    if (!f.open(QIODevice::WriteOnly)) return false;
    f.write("#!/bin/sh\n" + body);
    f.close();
    return f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

// Restores PATH when it goes.
struct PathGuard {
    QByteArray saved = qgetenv("PATH");
    ~PathGuard() { qputenv("PATH", saved); }
};

}  // namespace

class TestFileCommands : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void base_name_selection();
    void rename_rules();
    void rename_through_the_command_updates_the_grid();
    void trash_asks_then_undo_brings_file_and_row_back();
    void refused_trash_touches_nothing();
    void missing_xdg_open_is_named();
    void failing_xdg_open_is_reported();
    void working_xdg_open_gets_the_path();
    void open_containing_folder_without_launchers_is_named();
    void grid_updates_keep_scroll_and_selection();

private:
    QString messageAfter(const std::function<void(FileCommands&)>& action);

    std::unique_ptr<QTemporaryDir> dir_;
    QStringList files_;
    std::unique_ptr<QWidget> window_;
    ThumbnailCache* thumbs_ = nullptr;
    ImageGrid* grid_ = nullptr;
    FileCommands* commands_ = nullptr;
    QStringList reports_;
};

void TestFileCommands::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    files_.clear();
    for (int i = 0; i < 4; ++i) {
        const QString p = writeImage(dir_->filePath(QStringLiteral("img%1.jpg").arg(i)), QColor::fromHsv(i * 80, 200, 200));
        QVERIFY(!p.isEmpty());
        files_ << p;
    }
    window_ = std::make_unique<QWidget>();
    thumbs_ = new ThumbnailCache(window_.get());
    grid_ = new ImageGrid(thumbs_, window_.get());
    grid_->resize(600, 400);
    grid_->gridModel()->setFolderFiles(files_);
    commands_ = new FileCommands(window_.get());
    reports_.clear();
    commands_->report = [this](const QString&, const QString& message) { reports_ << message; };
    connect(commands_, &FileCommands::trashed, grid_, &ImageGrid::removePath);
    connect(commands_, &FileCommands::restored, grid_, &ImageGrid::restorePath);
    connect(commands_, &FileCommands::renamed, grid_, &ImageGrid::replacePath);
    window_->show();
}

void TestFileCommands::cleanup() {
    window_.reset();
    QThreadPool::globalInstance()->waitForDone();
    dir_.reset();
}

void TestFileCommands::base_name_selection() {
    QCOMPARE(baseNameLength(QStringLiteral("IMG_0042.JPG")), 8);
    QCOMPARE(baseNameLength(QStringLiteral("archive.tar.gz")), 11);
    QCOMPARE(baseNameLength(QStringLiteral(".hidden")), 7);
    QCOMPARE(baseNameLength(QStringLiteral("README")), 6);
}

void TestFileCommands::rename_rules() {
    QString to;
    QCOMPARE(renameFile(files_[0], QStringLiteral("  "), &to), QStringLiteral("The name is empty"));
    QVERIFY(renameFile(files_[0], QStringLiteral("a/b.jpg"), &to).contains(QStringLiteral("/")));
    QVERIFY(renameFile(files_[0], QStringLiteral(".."), &to).contains(QStringLiteral("not a file name")));
    // An existing name is refused and neither file is touched.
    const QByteArray before = [&] { QFile f(files_[1]); f.open(QIODevice::ReadOnly); return f.readAll(); }();
    QVERIFY(renameFile(files_[0], QStringLiteral("img1.jpg"), &to).contains(QStringLiteral("already exists")));
    QVERIFY(QFileInfo::exists(files_[0]));
    QFile second(files_[1]);
    QVERIFY(second.open(QIODevice::ReadOnly));
    QCOMPARE(second.readAll(), before);
    QVERIFY(renameFile(dir_->filePath(QStringLiteral("gone.jpg")), QStringLiteral("x.jpg"), &to).contains(QStringLiteral("no longer exists")));
    QVERIFY(renameFile(files_[0], QStringLiteral("beach.jpg"), &to).isEmpty());
    QCOMPARE(to, dir_->filePath(QStringLiteral("beach.jpg")));
    QVERIFY(QFileInfo::exists(to) && !QFileInfo::exists(files_[0]));

    // A read-only folder: the file system's reason (root ignores the permission, so only as a user).
    if (::geteuid() != 0) {
        const QString locked = dir_->filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(locked));
        const QString inside = writeImage(locked + QStringLiteral("/a.jpg"), Qt::red);
        QVERIFY(QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner));
        const QString why = renameFile(inside, QStringLiteral("b.jpg"), &to);
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY2(why.contains(QStringLiteral("ermission")), qPrintable(why));
    }
}

void TestFileCommands::rename_through_the_command_updates_the_grid() {
    grid_->setCurrentIndex(grid_->gridModel()->index(2));
    commands_->askNewName = [](const QString&) { return QStringLiteral("harbour.jpg"); };
    QSignalSpy renamed(commands_, &FileCommands::renamed);
    commands_->rename(files_[2]);
    QVERIFY(renamed.wait(kWait));
    const QString to = dir_->filePath(QStringLiteral("harbour.jpg"));
    QCOMPARE(renamed[0][0].toString(), files_[2]);
    QCOMPARE(renamed[0][1].toString(), to);
    QVERIFY(QFileInfo::exists(to) && !QFileInfo::exists(files_[2]));
    QCOMPARE(grid_->gridModel()->pathAt(2), to);  // same row, new name, still current
    QCOMPARE(grid_->gridModel()->index(2).data(Qt::DisplayRole).toString(), QStringLiteral("harbour.jpg"));
    QCOMPARE(grid_->currentPath(), to);
    QCOMPARE(grid_->gridModel()->rowCount(), 4);

    // A taken name: reported with the file and the reason; nothing changes.
    commands_->askNewName = [](const QString&) { return QStringLiteral("img0.jpg"); };
    QSignalSpy finished(commands_, &FileCommands::finished);
    commands_->rename(to);
    QVERIFY(finished.wait(kWait));
    QCOMPARE(reports_.size(), 1);
    QVERIFY2(reports_[0].contains(to) && reports_[0].contains(QStringLiteral("already exists")), qPrintable(reports_[0]));
    QCOMPARE(grid_->gridModel()->pathAt(2), to);
}

void TestFileCommands::trash_asks_then_undo_brings_file_and_row_back() {
    QStringList asked;
    commands_->confirmTrash = [&asked](const QString& p) {
        asked << p;
        return true;
    };
    grid_->setCurrentIndex(grid_->gridModel()->index(1));
    QVERIFY(!commands_->undoAction()->isEnabled());
    QSignalSpy trashed(commands_, &FileCommands::trashed);
    commands_->moveToTrash(files_[1]);
    QVERIFY(trashed.wait(kWait));
    QCOMPARE(asked, QStringList{files_[1]});
    QVERIFY(!QFileInfo::exists(files_[1]));
    const QString trashFiles = qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/Trash/files/img1.jpg");
    QVERIFY2(QFileInfo::exists(trashFiles), qPrintable(trashFiles));
    QCOMPARE(grid_->gridModel()->rowCount(), 3);
    QCOMPARE(grid_->gridModel()->rowOf(files_[1]), -1);
    QCOMPARE(grid_->currentPath(), files_[2]);  // the next image takes its place
    QVERIFY(commands_->undoAction()->isEnabled());

    QSignalSpy restored(commands_, &FileCommands::restored);
    commands_->undoAction()->trigger();
    QVERIFY(restored.wait(kWait));
    QVERIFY(QFileInfo::exists(files_[1]));
    QVERIFY(!QFileInfo::exists(trashFiles));
    QCOMPARE(grid_->gridModel()->rowCount(), 4);
    QCOMPARE(grid_->gridModel()->pathAt(1), files_[1]);  // back in its row
    QVERIFY(!commands_->undoAction()->isEnabled());
    QVERIFY(reports_.isEmpty());
}

void TestFileCommands::refused_trash_touches_nothing() {
    commands_->confirmTrash = [](const QString&) { return false; };
    QSignalSpy finished(commands_, &FileCommands::finished);
    commands_->moveToTrash(files_[0]);
    QVERIFY(!finished.wait(300));
    QVERIFY(QFileInfo::exists(files_[0]));
    QCOMPARE(grid_->gridModel()->rowCount(), 4);

    // A file that vanished: reported with the file and the reason.
    commands_->confirmTrash = [](const QString&) { return true; };
    const QString gone = dir_->filePath(QStringLiteral("gone.jpg"));
    commands_->moveToTrash(gone);
    QVERIFY(finished.wait(kWait));
    QCOMPARE(reports_.size(), 1);
    QVERIFY2(reports_[0].contains(gone) && reports_[0].contains(QStringLiteral("not found")), qPrintable(reports_[0]));
}

QString TestFileCommands::messageAfter(const std::function<void(FileCommands&)>& action) {
    reports_.clear();
    action(*commands_);
    QDeadlineTimer deadline(kWait);
    while (reports_.isEmpty() && !deadline.hasExpired()) QTest::qWait(20);
    return reports_.value(0);  // "" when nothing was reported: the callers' checks fail
}

void TestFileCommands::missing_xdg_open_is_named() {
    PathGuard guard;
    QTemporaryDir empty;
    qputenv("PATH", QFile::encodeName(empty.path()));  // neither xdg-open nor gio
    QVERIFY(!openWithSystemViewer(files_[0], {}));      // no launcher: false at once
    const QString message = messageAfter([this](FileCommands& c) { c.openWithSystemViewer(files_[0]); });
    QVERIFY2(message.contains(QStringLiteral("xdg-open is not installed: install xdg-utils")), qPrintable(message));
    QVERIFY2(message.contains(files_[0]), qPrintable(message));
}

void TestFileCommands::failing_xdg_open_is_reported() {
    PathGuard guard;
    QTemporaryDir bin;
    // xdg-open's own status 3: "a required tool could not be found".
    QVERIFY(writeScript(bin.path(), QStringLiteral("xdg-open"), "echo 'xdg-mime: no method available' >&2\nexit 3\n"));
    qputenv("PATH", QFile::encodeName(bin.path()));
    const QString message = messageAfter([this](FileCommands& c) { c.openWithSystemViewer(files_[0]); });
    QVERIFY2(message.contains(files_[0]) && message.contains(QStringLiteral("a tool xdg-open needs is missing")) &&
                 message.contains(QStringLiteral("xdg-mime: no method available")),
             qPrintable(message));
}

void TestFileCommands::working_xdg_open_gets_the_path() {
    PathGuard guard;
    QTemporaryDir bin;
    const QString record = bin.filePath(QStringLiteral("opened.txt"));
    QVERIFY(writeScript(bin.path(), QStringLiteral("xdg-open"), "printf '%s' \"$1\" > \"" + QFile::encodeName(record) + "\"\n"));
    qputenv("PATH", QFile::encodeName(bin.path()));
    commands_->openWithSystemViewer(files_[3]);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(record).size() > 0, kWait);
    QFile f(record);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromLocal8Bit(f.readAll()), files_[3]);
    QTest::qWait(200);  // a failure would be reported by now
    QVERIFY(reports_.isEmpty());
}

void TestFileCommands::open_containing_folder_without_launchers_is_named() {
    PathGuard guard;
    QTemporaryDir empty;
    qputenv("PATH", QFile::encodeName(empty.path()));  // no dbus-send, no xdg-open, no gio
    const QString message = messageAfter([this](FileCommands& c) { c.showInFolder(files_[0]); });
    QVERIFY2(message.contains(QStringLiteral("xdg-open is not installed: install xdg-utils")), qPrintable(message));
    QVERIFY2(message.contains(dir_->path()), qPrintable(message));
}

// Rows renamed, removed and restored in place: the scroll offset, the selection and the current
// item stay (a ranked grid keeps its scores).
void TestFileCommands::grid_updates_keep_scroll_and_selection() {
    QVector<ImageGridModel::Result> ranked;
    for (int i = 0; i < 80; ++i) ranked.push_back({dir_->filePath(QStringLiteral("r%1.jpg").arg(i)), 1.0f - i * 0.001f});
    grid_->setThumbnailSide(120);
    grid_->gridModel()->setResults(ranked);
    QTRY_VERIFY(grid_->verticalScrollBar()->maximum() > 0);
    const QModelIndex at40 = grid_->gridModel()->index(40);
    grid_->setCurrentIndex(at40);
    grid_->selectionModel()->select(grid_->gridModel()->index(42), QItemSelectionModel::Select);
    grid_->scrollTo(at40, QAbstractItemView::PositionAtCenter);
    QTRY_VERIFY(grid_->verticalScrollBar()->value() > 0);
    const int scroll = grid_->verticalScrollBar()->value();

    grid_->replacePath(ranked[42].path, dir_->filePath(QStringLiteral("renamed.jpg")));
    QCOMPARE(grid_->gridModel()->pathAt(42), dir_->filePath(QStringLiteral("renamed.jpg")));
    QCOMPARE(grid_->gridModel()->index(42).data(ImageGridModel::ScoreRole).toFloat(), ranked[42].score);
    QCOMPARE(grid_->currentPath(), ranked[40].path);
    QVERIFY(grid_->selectionModel()->isSelected(grid_->gridModel()->index(42)));
    QCOMPARE(grid_->verticalScrollBar()->value(), scroll);

    grid_->removePath(ranked[10].path);
    QCOMPARE(grid_->gridModel()->rowCount(), 79);
    QCOMPARE(grid_->currentPath(), ranked[40].path);
    QVERIFY(grid_->selectionModel()->isSelected(grid_->gridModel()->index(41)));  // row 42 moved up
    QCOMPARE(grid_->verticalScrollBar()->value(), scroll);
    grid_->restorePath(ranked[10].path);
    QCOMPARE(grid_->gridModel()->pathAt(10), ranked[10].path);
    QCOMPARE(grid_->gridModel()->index(10).data(ImageGridModel::ScoreRole).toFloat(), ranked[10].score);
    QCOMPARE(grid_->verticalScrollBar()->value(), scroll);

    // Rows replaced from outside: nothing to restore any more.
    grid_->removePath(ranked[11].path);
    grid_->gridModel()->setResults(ranked.mid(0, 5));
    grid_->restorePath(ranked[11].path);
    QCOMPARE(grid_->gridModel()->rowCount(), 5);
}

int main(int argc, char** argv) {
    QTemporaryDir home;  // a private trash, settings and thumbnail cache
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    TestFileCommands test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_file_commands.moc"
