// rv::suggest_keep (KeepSuggestion.h): the rule on members as Library::duplicates reports them,
// and on a real library of real copies (a turned copy, a larger copy, a low-quality re-encode),
// where the original must be the file suggested to keep, by the engine and by
// `ruvision-cli duplicates` (text and --json).
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTransform>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <filesystem>

#include "ruvision/engine/KeepSuggestion.h"
#include "ruvision/engine/Library.h"
#include "cli_runner.h"
#include "sample_photos.h"

namespace {

rv::DuplicateMember member(const std::string& path, int w, int h, std::int64_t bytes, int orientation = 0,
                           std::int64_t mtime = 0, bool verified = true) {
    rv::DuplicateMember m;
    m.path = path;
    m.width = w;
    m.height = h;
    m.size = bytes;
    m.orientation = orientation;
    m.mtime_ns = mtime;
    m.verified = verified;
    return m;
}

// Sets a file's modification time `days` before now.
void age(const QString& path, int days) {
    namespace fs = std::filesystem;
    fs::last_write_time(fs::path(path.toStdString()),
                        fs::file_time_type::clock::now() - std::chrono::hours(24 * days));
}

}  // namespace

class TestKeepSuggestion : public QObject {
    Q_OBJECT
private slots:
    void rule_steps();
    void copy_marks();
    void originals_are_kept_on_real_files();
};

void TestKeepSuggestion::rule_steps() {
    using rv::suggest_keep;
    // More pixels first, whatever the file size, age or orientation.
    auto s = suggest_keep({member("/a.jpg", 1000, 800, 900000, 0, 1), member("/b.jpg", 2000, 1600, 500000, 1, 9)});
    QCOMPARE(s.index, 1);
    QCOMPARE(s.reasons, unsigned(rv::kKeepMorePixels));
    // Equal pixels: the majority's orientation beats a larger, older turned copy.
    s = suggest_keep({member("/turned.jpg", 800, 1000, 990000, 0, 1), member("/orig.jpg", 1000, 800, 900000, 1, 5),
                      member("/orig-copy.jpg", 1000, 800, 900000, 1, 7)});
    QCOMPARE(s.index, 1);
    QVERIFY(s.reasons & rv::kKeepUpright);
    QVERIFY(s.reasons & rv::kKeepOlder);  // over the byte copy
    // No majority (an original and its one turned copy): orientation says nothing; sizes within the
    // margin say nothing; the older file is kept.
    s = suggest_keep({member("/turned.jpg", 800, 1000, 910000, 0, 9), member("/orig.jpg", 1000, 800, 900000, 1, 5)});
    QCOMPARE(s.index, 1);
    QCOMPARE(s.reasons, unsigned(rv::kKeepOlder));
    // Less compression beats age.
    s = suggest_keep({member("/q30.jpg", 1000, 800, 300000, 0, 1), member("/q90.jpg", 1000, 800, 900000, 0, 5)});
    QCOMPARE(s.index, 1);
    QCOMPARE(s.reasons, unsigned(rv::kKeepLargerFile));
    // Same age: the name without a copy mark.
    s = suggest_keep({member("/p (1).jpg", 10, 10, 5, 0, 3), member("/p.jpg", 10, 10, 5, 0, 3)});
    QCOMPARE(s.index, 1);
    QCOMPARE(s.reasons, unsigned(rv::kKeepPlainName));
    // Nothing tells them apart: the first, and it says so.
    s = suggest_keep({member("/x.jpg", 10, 10, 5), member("/y.jpg", 10, 10, 5)});
    QCOMPARE(s.index, 0);
    QCOMPARE(s.reasons, unsigned(rv::kKeepFirst));
    QCOMPARE(QString::fromStdString(rv::keep_reason_text(rv::kKeepMorePixels | rv::kKeepOlder)),
             QStringLiteral("most pixels, oldest file"));
    // Only verified members are candidates; none verified: no suggestion.
    s = suggest_keep({member("/a.jpg", 10, 10, 5), member("/big.jpg", 4000, 3000, 9000000, 0, 0, false)});
    QCOMPARE(s.index, 0);
    QCOMPARE(suggest_keep({member("/a.jpg", 10, 10, 5, 0, 0, false)}).index, -1);
    QCOMPARE(suggest_keep({}).index, -1);
}

void TestKeepSuggestion::copy_marks() {
    for (const char* yes : {"/p/IMG_1 copy.jpg", "/p/a - Copy.JPG", "/p/photo (1).jpg", "/p/photo(12).png", "/p/photo-1.jpg",
                            "/p/photo_2.jpg", "/p/photo copy 2.jpg", "/p/Bild - Kopie.jpg"})
        QVERIFY2(rv::has_copy_mark(yes), yes);
    for (const char* no : {"/p/IMG_1234.jpg", "/p/2024-01-05.jpg", "/p/photo.jpg", "/copy/photo.jpg", "/p/1920x1080.jpg",
                           "/p/().jpg", "/p/1.jpg"})
        QVERIFY2(!rv::has_copy_mark(no), no);
}

void TestKeepSuggestion::originals_are_kept_on_real_files() {
    const auto photos = rv_test::nature_photos();
    if (photos.size() < 4) QSKIP("MATE's nature wallpapers are not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pics = dir.filePath(QStringLiteral("pictures"));
    QVERIFY(QDir().mkpath(pics));
    auto original = [&](int k) {
        return QImage(QString::fromStdString(photos[k].string()))
            .scaled(1280, 1280, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    };
    auto save = [&](const QImage& im, const QString& name, int quality, int daysOld) {
        const QString path = pics + QLatin1Char('/') + name;
        QVERIFY2(im.save(path, nullptr, quality), qPrintable(path));
        age(path, daysOld);
    };
    // 0: the original and its copy turned 90 degrees at the same size, the copy newer (as a copy is).
    save(original(0), QStringLiteral("a-original.jpg"), 90, 30);
    save(original(0).transformed(QTransform().rotate(90)), QStringLiteral("a-turned.jpg"), 90, 2);
    // 1: a copy twice as large on each side is kept, though newer.
    save(original(1), QStringLiteral("b-original.jpg"), 90, 30);
    const QImage big = original(1).scaled(original(1).size() * 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    save(big, QStringLiteral("b-larger.jpg"), 90, 2);
    // 2: a re-encode at quality 30 loses though it is older.
    save(original(2), QStringLiteral("c-original.jpg"), 92, 30);
    save(original(2), QStringLiteral("c-q30.jpg"), 30, 60);
    // 3: the original, a byte-identical copy and a turned copy older than both: the majority's
    // orientation wins, then the older of the two upright files.
    save(original(3), QStringLiteral("d-original.jpg"), 90, 30);
    save(original(3), QStringLiteral("d-original (1).jpg"), 90, 2);
    save(original(3).transformed(QTransform().rotate(90)), QStringLiteral("d-turned.jpg"), 90, 90);

    auto lib = rv::Library::open(dir.filePath(QStringLiteral("library")).toStdString());
    QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
    std::atomic<bool> cancel{false};
    rv::IndexJobParams params;
    params.roots = {pics.toStdString()};
    auto indexed = (*lib)->index(params, cancel);
    QVERIFY2(indexed, indexed ? "" : indexed.error().message.c_str());
    QCOMPARE(indexed->embedded, std::size_t(9));
    auto groups = (*lib)->duplicates({}, cancel);
    QVERIFY2(groups, groups ? "" : groups.error().message.c_str());

    QMap<QChar, QString> kept;  // photo letter -> file name suggested
    QMap<QChar, QString> reason;
    for (const auto& g : *groups) {
        const auto s = rv::suggest_keep(g.members);
        QVERIFY(s.index >= 0);
        const QString name = QFileInfo(QString::fromStdString(g.members[s.index].path)).fileName();
        for (const auto& m : g.members) {
            const QString other = QFileInfo(QString::fromStdString(m.path)).fileName();
            QCOMPARE(other.at(0), name.at(0));  // one photo per group
            QVERIFY2(m.verified, qPrintable(other + ": " + QString::fromStdString(m.pixel_note)));
        }
        kept[name.at(0)] = name;
        reason[name.at(0)] = QString::fromStdString(rv::keep_reason_text(s.reasons));
        qInfo("%s kept among %zu: %s", qPrintable(name), g.members.size(), qPrintable(reason[name.at(0)]));
    }
    QCOMPARE(kept.value(QLatin1Char('a')), QStringLiteral("a-original.jpg"));
    QCOMPARE(kept.value(QLatin1Char('b')), QStringLiteral("b-larger.jpg"));
    QCOMPARE(reason.value(QLatin1Char('b')), QStringLiteral("most pixels"));
    QCOMPARE(kept.value(QLatin1Char('c')), QStringLiteral("c-original.jpg"));
    QCOMPARE(reason.value(QLatin1Char('c')), QStringLiteral("largest file"));
    QCOMPARE(kept.value(QLatin1Char('d')), QStringLiteral("d-original.jpg"));
    QVERIFY2(reason.value(QLatin1Char('d')).contains(QLatin1String("not turned")), qPrintable(reason.value(QLatin1Char('d'))));

    // The CLI says the same, with the reason.
    lib->reset();
    const QString libDir = dir.filePath(QStringLiteral("library"));
    const auto json = cli_test::cli({"duplicates", "--library", libDir, "--json"});
    QCOMPARE(json.code, 0);
    QCOMPARE(json.lines.size(), kept.size());
    for (const QByteArray& line : json.lines) {
        const QJsonObject g = QJsonDocument::fromJson(line).object();
        const QString name = QFileInfo(g["suggested_keep"].toString()).fileName();
        QVERIFY2(!name.isEmpty(), line.constData());
        QCOMPARE(name, kept.value(name.at(0)));
        QCOMPARE(g["keep_reason"].toString(), reason.value(name.at(0)));
    }
    const auto text = cli_test::cli({"duplicates", "--library", libDir});
    QCOMPARE(text.code, 0);
    QVERIFY(text.lines.contains("  keep: " + (pics + QStringLiteral("/c-original.jpg (largest file)")).toUtf8()));
}

QTEST_MAIN(TestKeepSuggestion)
#include "test_keep_suggestion.moc"
