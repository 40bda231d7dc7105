// Small things a new user meets in the first minutes (issue 9, item 7), each on a real window and
// real libraries: the default library's folder names RuVision once; the preview never shows a
// picture of the library that was open before; an Image-menu command with nothing selected says
// what to do instead of nothing; the list of files in error names their folders.
//
// Offscreen; XDG_* point into a temporary folder before the application exists (so the default
// library lands there, not in the user's home).
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QToolButton>
#include <QtTest>

#include <memory>

#include "IndexingPanel.h"
#include "LibraryService.h"
#include "PreviewWidget.h"
#include "ui_test_util.h"
#include "ruvision/ui/MainWindow.h"

using rv::ui::LibraryService;
using rv::ui::MainWindow;

namespace {

QAction* actionByText(QWidget* window, const QString& text) {
    for (QAction* a : window->findChildren<QAction*>())
        if (a->text() == text) return a;
    return nullptr;
}

bool openAndWait(MainWindow& window, const QString& dir) {
    QSignalSpy opened(window.service(), &LibraryService::opened);
    window.openLibrary(dir);
    return QTest::qWaitFor([&] { return !opened.isEmpty(); }, ui_test::kWait) && opened[0][0].toBool();
}

}  // namespace

class TestWindowDetails : public QObject {
    Q_OBJECT
private slots:
    void default_library_names_ruvision_once();
    void preview_forgets_the_previous_library();
    void image_command_without_selection_says_what_to_do();
    void errors_list_names_the_folders();
};

void TestWindowDetails::default_library_names_ruvision_once() {
    MainWindow window;  // no library given, no setting saved: the default one
    QSignalSpy opened(window.service(), &LibraryService::opened);
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), ui_test::kWait);
    QVERIFY2(opened[0][0].toBool(), qPrintable(opened[0][1].toString()));
    const QString expected = qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/RuVision/library");
    QCOMPARE(window.service()->snapshot().dir, expected);
    QVERIFY(!window.service()->snapshot().dir.contains(QStringLiteral("RuVision/RuVision")));
}

void TestWindowDetails::preview_forgets_the_previous_library() {
    QTemporaryDir tmp;
    const QStringList photos = ui_test::writeScaledPhotos(tmp.filePath(QStringLiteral("photos")), 1, 512);
    if (photos.isEmpty()) QSKIP("mate-backgrounds is not installed");
    MainWindow window(tmp.filePath(QStringLiteral("first")));
    QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), ui_test::kWait);
    auto* preview = window.findChild<rv::ui::PreviewWidget*>();
    QVERIFY(preview);
    preview->setImage(photos[0]);
    QCOMPARE(preview->path(), photos[0]);

    QVERIFY(openAndWait(window, tmp.filePath(QStringLiteral("second"))));
    QCOMPARE(preview->path(), QString());
}

void TestWindowDetails::image_command_without_selection_says_what_to_do() {
    QTemporaryDir tmp;
    MainWindow window(tmp.filePath(QStringLiteral("empty")));
    QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), ui_test::kWait);
    for (const char* text : {"Find &Similar", "&Open With System Viewer", "Open Containing &Folder", "&Copy Path", "&Rename…", "Move to &Trash…"}) {
        window.statusBar()->clearMessage();
        QAction* action = actionByText(&window, QString::fromUtf8(text));
        QVERIFY2(action, text);
        action->trigger();
        QVERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Select an image first")),
                 qPrintable(window.statusBar()->currentMessage()));
    }
}

void TestWindowDetails::errors_list_names_the_folders() {
    rv::ui::IndexingPanel panel;
    const QList<rv::ui::FileError> errors{
        {QStringLiteral("/photos/2019/IMG_0001.JPG"), QStringLiteral("/photos/2019/IMG_0001.JPG: truncated JPEG")},
        {QStringLiteral("/photos/2021/IMG_0001.JPG"), QStringLiteral("GIF is not supported")},
    };
    panel.finished(true, {}, rv::ui::IndexSummary{}, errors);
    panel.showErrors();
    auto* dialog = panel.findChild<QDialog*>();  // the dialog's parent is the panel's window
    QVERIFY(dialog);
    auto* table = dialog->findChild<QTableWidget*>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 2);
    QStringList rows;
    for (int r = 0; r < 2; ++r)
        rows << table->item(r, 0)->text() + QLatin1Char('|') + table->item(r, 1)->text() + QLatin1Char('|') +
                    table->item(r, 2)->text();
    rows.sort();
    QCOMPARE(rows, (QStringList{QStringLiteral("IMG_0001.JPG|/photos/2019|truncated JPEG"),
                                QStringLiteral("IMG_0001.JPG|/photos/2021|GIF is not supported")}));
    dialog->close();
}

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_test::isolateEnvironment(home);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("RuVision"));
    QApplication::setOrganizationName(QStringLiteral("RuVision"));  // as the application names itself
    TestWindowDetails test;
    const int rc = QTest::qExec(&test, argc, argv);
    QThreadPool::globalInstance()->waitForDone();
    return rc;
}

#include "test_window_details.moc"
