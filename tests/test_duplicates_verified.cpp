// Library::duplicates on a real library of hostile pictures (flat tiles of slightly different
// greys, 48x48 icons, 8x8 images, transparent PNGs, MATE's) mixed with real copies of wallpaper photos
// (resized, re-encoded, turned, mirrored): no member other than a true copy is ever verified (only
// verified members may be offered for the trash), and the copies are.
#include <QDir>
#include <QDirIterator>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTransform>
#include <QtTest>

#include <atomic>
#include <map>
#include <random>

#include "ruvision/engine/Library.h"

namespace {

// What a file in the test library is: a copy of photo N ("photoN"), or a hostile picture ("").
QString familyOf(const std::string& path) {
    const QString name = QFileInfo(QString::fromStdString(path)).fileName();
    return name.startsWith(QLatin1String("photo")) ? name.section(QLatin1Char('-'), 0, 0) : QString();
}

}  // namespace

class TestDuplicatesVerified : public QObject {
    Q_OBJECT
private slots:
    void only_true_copies_are_verified();
};

void TestDuplicatesVerified::only_true_copies_are_verified() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pics = dir.filePath(QStringLiteral("pictures"));
    QVERIFY(QDir().mkpath(pics));
    auto save = [&](const QImage& im, const QString& name, int quality = 90) {
        QVERIFY2(im.save(pics + QLatin1Char('/') + name, nullptr, quality), qPrintable(name));
    };

    // Hostile pictures: flat tiles one grey level apart, 8x8 images, icons, transparent images.
    for (int grey = 100; grey < 130; ++grey) {
        QImage tile(256, 256, QImage::Format_RGB32);
        tile.fill(QColor(grey, grey, grey));
        save(tile, QStringLiteral("tile%1.png").arg(grey));
    }
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int k = 0; k < 30; ++k) {
        QImage im(8, 8, QImage::Format_RGB32);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) im.setPixel(x, y, qRgb(byte(rng), byte(rng), byte(rng)));
        save(im, QStringLiteral("tiny%1.png").arg(k));
    }
    int icons = 0;
    QDirIterator it(QStringLiteral("/usr/share/icons"), {QStringLiteral("*.png")}, QDir::Files, QDirIterator::Subdirectories);
    QStringList iconFiles;
    while (it.hasNext()) {
        const QString p = it.next();
        if (p.contains(QLatin1String("/48x48/"))) iconFiles.append(p);
    }
    iconFiles.sort();
    for (const QString& p : iconFiles.mid(0, 40))
        icons += QFile::copy(p, pics + QStringLiteral("/icon%1.png").arg(icons));
    for (int k = 0; k < 4; ++k) {
        QImage im(800, 600, QImage::Format_ARGB32);
        im.fill(Qt::transparent);
        QPainter p(&im);
        p.setPen(QPen(QColor(255, 255, 255, 80), 5 + k));
        for (int line = 0; line < 10; ++line) p.drawLine(0, 60 * line + 25 * k, 800, (37 * line * (k + 2)) % 600);
        p.end();
        save(im, QStringLiteral("clear%1.png").arg(k));
    }

    // MATE's transparent PNGs, which the window once offered for the trash as copies of a grey tile
    // and of each other (Spring.png was trashed), and such a tile.
    QDirIterator mate(QStringLiteral("/usr/share/backgrounds/mate/abstract"), {QStringLiteral("*.png")}, QDir::Files);
    while (mate.hasNext()) {
        const QString p = mate.next();
        QVERIFY(QFile::copy(p, pics + QStringLiteral("/mate-") + QFileInfo(p).fileName()));
    }
    QImage greyTile(64, 64, QImage::Format_RGB32);
    greyTile.fill(QColor(128, 128, 128));
    save(greyTile, QStringLiteral("grey-tile.png"));

    // Real copies: per photo the original, a resized + re-encoded copy, one turned 90 degrees and a mirror.
    QStringList photos;
    QDirIterator w(QStringLiteral("/usr/share/backgrounds/mate/nature"), {QStringLiteral("*.jpg")}, QDir::Files);
    while (w.hasNext()) photos.append(w.next());
    photos.sort();
    if (photos.size() < 3) QSKIP("MATE's nature wallpapers are not installed");
    for (int k = 0; k < 3; ++k) {
        const QImage original = QImage(photos[k]).scaled(1280, 1280, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        save(original, QStringLiteral("photo%1-original.jpg").arg(k), 92);
        save(original.scaled(original.width() / 2, original.height() / 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation),
             QStringLiteral("photo%1-resized.jpg").arg(k), 70);
        save(original.transformed(QTransform().rotate(90)), QStringLiteral("photo%1-turned.jpg").arg(k), 90);
        save(original.mirrored(true, false), QStringLiteral("photo%1-mirror.jpg").arg(k), 90);
    }

    auto lib = rv::Library::open(dir.filePath(QStringLiteral("library")).toStdString());
    QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
    std::atomic<bool> cancel{false};
    rv::IndexJobParams params;
    params.roots = {pics.toStdString()};
    auto indexed = (*lib)->index(params, cancel);
    QVERIFY2(indexed, indexed ? "" : indexed.error().message.c_str());
    QVERIFY(indexed->embedded >= 30 + 30 + 12);

    auto groups = (*lib)->duplicates({}, cancel);
    QVERIFY2(groups, groups ? "" : groups.error().message.c_str());
    std::map<QString, int> verifiedCopies;  // photo family -> verified non-centre members
    int hostileGrouped = 0;
    for (const auto& g : *groups) {
        QVERIFY(g.members.size() >= 2);
        QVERIFY(g.members[0].verified);  // the reference
        const QString centre = familyOf(g.members[0].path);
        for (std::size_t m = 1; m < g.members.size(); ++m) {
            const auto& member = g.members[m];
            const QString family = familyOf(member.path);
            if (family.isEmpty() || centre.isEmpty()) ++hostileGrouped;
            if (!member.verified) {
                QVERIFY(!member.pixel_note.empty());  // says why
                continue;
            }
            // Verified: a true copy of the centre, nothing else.
            QVERIFY2(!family.isEmpty() && family == centre,
                     qPrintable(QString::fromStdString(g.members[0].path + " | " + member.path + ": " + member.pixel_note)));
            QVERIFY(member.pixel_score >= 0.8f);
            ++verifiedCopies[family];
        }
    }
    // The resized and turned copies reach the plain-cosine rule; verified on pixels they are offered.
    for (int k = 0; k < 3; ++k)
        QVERIFY2(verifiedCopies[QStringLiteral("photo%1").arg(k)] >= 2,
                 qPrintable(QStringLiteral("photo%1: %2 verified").arg(k).arg(verifiedCopies[QStringLiteral("photo%1").arg(k)])));
    qInfo("%d hostile files grouped as similar (none verified)", hostileGrouped);

    // Without pixel verification nothing is verified but the centres (nothing may be trashed).
    rv::DuplicateParams off;
    off.verify_pixels = false;
    auto unchecked = (*lib)->duplicates(off, cancel);
    QVERIFY(unchecked);
    for (const auto& g : *unchecked)
        for (std::size_t m = 1; m < g.members.size(); ++m) QVERIFY(!g.members[m].verified);
}

QTEST_MAIN(TestDuplicatesVerified)
#include "test_duplicates_verified.moc"
