// The names a person reads (DisplayName.h): real paths of Debian's wallpapers, camera names kept,
// and hostile paths (root, no folder, unicode, very long, generic all the way up).
#include <QDirIterator>
#include <QFileInfo>
#include <QTest>

#include "DisplayName.h"

using namespace rv::ui;

class TestDisplayName : public QObject {
    Q_OBJECT
private slots:
    void genericNames_data() {
        QTest::addColumn<QString>("base");
        QTest::addColumn<bool>("generic");
        for (const char* g : {"2560x1600", "1080x1920", "5120x2880", "001", "1080x1920@2x", "screenshot", "Screenshot",
                              "Screenshot_20240101_101010", "image", "image 2", "untitled", "wallpaper", "contents", "preview"})
            QTest::newRow(g) << QString::fromUtf8(g) << true;
        for (const char* p : {"IMG_1234", "DSC_0001", "DSCN0042", "PXL_20240312_101010123", "P1000123", "Dune",
                              "Elephants_3840x2160", "adwaita-d", "Ubuntu-Mate-Cold-no-logo", "kite-2560", "Ёлка"})
            QTest::newRow(p) << QString::fromUtf8(p) << false;
    }
    void genericNames() {
        QFETCH(QString, base);
        QFETCH(bool, generic);
        QCOMPARE(isGenericFileName(base), generic);
    }

    void plasmaWallpapersNameTheirFolder() {
        // Every file of Debian's Plasma wallpapers reads as its wallpaper's name, dark variants so.
        int seen = 0;
        QDirIterator it(QStringLiteral("/usr/share/wallpapers"), {QStringLiteral("*.jpg"), QStringLiteral("*.png")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString wallpaper = path.section(u'/', 4, 4);  // /usr/share/wallpapers/<Name>/...
            const QString name = displayName(path);
            const QString expected = path.contains(QStringLiteral("/images_dark/"))
                                         ? wallpaper + QStringLiteral(" (dark) · ") + QFileInfo(path).fileName()
                                         : wallpaper + QStringLiteral(" · ") + QFileInfo(path).fileName();
            QCOMPARE(name, expected);
            ++seen;
        }
        if (seen == 0) QSKIP("Debian's Plasma wallpapers are not installed");
        QCOMPARE(displayName(QStringLiteral("/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg")),
                 QStringLiteral("Kite · 2560x1600.jpg"));
    }

    void ownNamesAreKept() {
        // GNOME's and MATE's backgrounds are named by their authors: the file name alone.
        int seen = 0;
        QDirIterator it(QStringLiteral("/usr/share/backgrounds"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QCOMPARE(displayName(path), QFileInfo(path).fileName());
            ++seen;
        }
        if (seen == 0) QSKIP("Debian's GNOME and MATE backgrounds are not installed");
        QCOMPARE(displayName(QStringLiteral("/home/ann/DCIM/Camera/IMG_1234.JPG")), QStringLiteral("IMG_1234.JPG"));
        QCOMPARE(displayName(QStringLiteral("/home/ann/Pictures/PXL_20240312_101010123.jpg")),
                 QStringLiteral("PXL_20240312_101010123.jpg"));
    }

    void hostilePaths() {
        QCOMPARE(displayName(QString()), QString());
        QCOMPARE(displayName(QStringLiteral("/")), QStringLiteral("/"));
        QCOMPARE(displayName(QStringLiteral("///")), QStringLiteral("///"));
        QCOMPARE(displayName(QStringLiteral("2560x1600.jpg")), QStringLiteral("2560x1600.jpg"));   // no folder
        QCOMPARE(displayName(QStringLiteral("/2560x1600.jpg")), QStringLiteral("2560x1600.jpg"));  // only the root
        QCOMPARE(displayName(QStringLiteral("/trips/1.jpg/")), QStringLiteral("trips · 1.jpg"));   // trailing slash
        QCOMPARE(displayName(QStringLiteral(".jpg")), QStringLiteral(".jpg"));                     // a dot file
        QCOMPARE(displayName(QString::fromUtf8("/home/ü/Фото/Ёлка 2024/01.jpg")), QString::fromUtf8("Ёлка 2024 · 01.jpg"));
        QCOMPARE(displayName(QString::fromUtf8("/home/ü/雪山/screenshot.png")), QString::fromUtf8("雪山 · screenshot.png"));
        // Generic all the way up (three levels at most): the file name stays alone.
        QCOMPARE(displayName(QStringLiteral("/images/contents/images/2560x1600.jpg")), QStringLiteral("2560x1600.jpg"));
        QCOMPARE(displayName(QStringLiteral("/home/a/b/c/d/images/contents/screenshots/screenshot.png")),
                 QStringLiteral("screenshot.png"));
        // Very long: returned whole (views elide it).
        const QString longFolder(5000, u'x');
        const QString longName = QStringLiteral("/") + QString(3000, u'a') + QStringLiteral("/") + longFolder +
                                 QStringLiteral("y/") + QStringLiteral("2560x1600.jpg");
        QCOMPARE(displayName(longName), longFolder + QStringLiteral("y · 2560x1600.jpg"));
        QCOMPARE(displayName(QStringLiteral("/p/") + QString(4000, u'7') + QStringLiteral(".png")),
                 QStringLiteral("p · ") + QString(4000, u'7') + QStringLiteral(".png"));
    }
};

QTEST_GUILESS_MAIN(TestDisplayName)
#include "test_display_name.moc"
