// A library end to end, through the real ruvision-cli: index a folder of real photos with broken
// files mixed in, search, re-scan after edits, survive kill -9 in the middle of indexing, refuse a
// second indexer, and group edited copies of photos as near-duplicates.
#include <QDir>
#include <QImage>
#include <QTransform>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>

#include "sample_photos.h"
#include "cli_runner.h"
#include "ruvision/engine/CatalogDb.h"

namespace fs = std::filesystem;

namespace {

using cli_test::cli;
using cli_test::Run;

QJsonObject obj(const QByteArray& line) { return QJsonDocument::fromJson(line).object(); }

std::vector<fs::path> sample_photos() { return rv_test::nature_photos(); }

// Starts `ruvision-cli args` in `p` (`scalar`: on the scalar path, ~40x slower) and reads its stderr
// until it holds `marker`; whether the process is still running then.
bool run_until(QProcess& p, const QStringList& args, const QByteArray& marker, bool scalar = false) {
    auto env = cli_test::environment();
    if (scalar) env.insert("RUVISION_ISA", "scalar");
    p.setProcessEnvironment(env);
    p.start(RUVISION_CLI, args);
    if (!p.waitForStarted()) return false;
    QByteArray err;
    while (p.state() == QProcess::Running && !err.contains(marker)) {
        p.waitForReadyRead(100);
        err += p.readAllStandardError();
    }
    return p.state() == QProcess::Running;
}

}  // namespace

class TestLibrary : public QObject {
    Q_OBJECT
private slots:
    void index_search_rescan();
    void kill_during_indexing_then_resume();
    void second_indexer_is_refused();
    void duplicates_of_edited_copies();
    void readers_never_change_the_model();
    void search_that_cannot_answer_is_an_error();
    void mistyped_library_is_not_created();
    void roots_are_canonical_and_nested_once();
    void doubled_roots_of_older_libraries_are_merged();
    void two_processes_create_one_library();
    void output_escapes_file_names();
};

namespace {

// A folder with `n` of the sample photos (a fresh copy each), for the short tests below.
fs::path small_folder(const QTemporaryDir& tmp, const std::string& name, std::size_t n, std::size_t first = 0) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / name;
    fs::create_directories(dir);
    const auto photos = sample_photos();
    for (std::size_t i = first; i < first + n; ++i) fs::copy_file(photos[i], dir / photos[i].filename());
    return dir;
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

}  // namespace

void TestLibrary::index_search_rescan() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    const QString lib = tmp.filePath("library");
    const auto photos = sample_photos();
    QVERIFY(photos.size() >= 5);
    fs::create_directories(root / "sub");
    for (std::size_t i = 0; i < photos.size(); ++i)
        fs::copy_file(photos[i], root / (i % 2 ? "sub" : "") / photos[i].filename());
    // Broken files a real folder holds.
    std::ofstream(root / "empty.jpg").close();
    std::ofstream(root / "notes.jpg") << "not a picture";
    {
        std::ifstream in(photos[0], std::ios::binary);
        std::vector<char> half(fs::file_size(photos[0]) / 2);
        in.read(half.data(), static_cast<std::streamsize>(half.size()));
        std::ofstream(root / "cut.jpg", std::ios::binary).write(half.data(), static_cast<std::streamsize>(half.size()));
    }
    const int good = static_cast<int>(photos.size()), bad = 3;

    auto r = cli({"index", "--library", lib, "--json", QString::fromStdString(root.string())});
    QCOMPARE(r.code, 1);  // some files failed
    auto summary = obj(r.lines.last());
    QCOMPARE(summary["found"].toInt(), good + bad);
    QCOMPARE(summary["embedded"].toInt(), good);
    QCOMPARE(summary["failed"].toInt(), bad);
    QCOMPARE(summary["errors"].toArray().size(), bad);
    for (const auto& e : summary["errors"].toArray())
        QVERIFY(e.toObject()["reason"].toString().startsWith(e.toObject()["path"].toString() + ": "));

    auto s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QCOMPARE(s["indexed"].toInt(), good);
    QCOMPARE(s["errors"].toInt(), bad);

    // A library photo finds itself first; every result is a different file.
    const QString query = QString::fromStdString((root / photos[2].filename()).string());
    r = cli({"search", "--library", lib, "--json", "-k", "5", QString::fromStdString(photos[2].string())});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 5);
    QSet<QString> paths;
    double last = 2;
    for (int i = 0; i < r.lines.size(); ++i) {
        const auto h = obj(r.lines[i]);
        QCOMPARE(h["rank"].toInt(), i + 1);
        QVERIFY(h["score"].toDouble() <= last);
        last = h["score"].toDouble();
        paths.insert(h["path"].toString());
    }
    QCOMPARE(paths.size(), 5);
    QVERIFY(obj(r.lines[0])["path"].toString().endsWith(QString::fromStdString(photos[2].filename().string())));
    QVERIFY(obj(r.lines[0])["score"].toDouble() > 0.99);
    // Scores are cosines: never above 1, also where float rounding of two unit vectors gives
    // 1.0000001 (half of these photos, found against themselves).
    for (const auto& photo : photos) {
        r = cli({"search", "--library", lib, "--json", "-k", "1", QString::fromStdString(photo.string())});
        QCOMPARE(r.code, 0);
        QVERIFY2(obj(r.lines[0])["score"].toDouble() <= 1.0, r.lines[0].constData());
    }

    // Nothing changed: nothing embedded, and no index file written again (each is as large as
    // the library: gigabytes at half a million files with their views).
    const auto index_files = [&] {
        std::map<std::string, std::pair<ino_t, std::int64_t>> out;  // file -> inode, mtime ns
        for (const char* f : {"vectors.rvi", "twins.rvi", "regions.rvi"}) {
            struct stat st {};
            if (::stat((fs::path(lib.toStdString()) / f).c_str(), &st) == 0)
                out[f] = {st.st_ino, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
        }
        return out;
    };
    const auto written = index_files();
    QCOMPARE(written.size(), std::size_t{3});
    summary = obj(cli({"index", "--library", lib, "--json"}).lines.last());
    QCOMPARE(summary["embedded"].toInt(), 0);
    QCOMPARE(summary["unchanged"].toInt(), good);
    QVERIFY2(index_files() == written, "a rescan that changed nothing wrote an index file");

    // A move is recognised by content, a deletion removes the file, an edit re-embeds it.
    fs::rename(root / photos[0].filename(), root / "sub" / "renamed.jpg");
    fs::remove(root / photos[3].filename().string().insert(0, "sub/"));
    fs::copy_file(photos[4], root / photos[2].filename(), fs::copy_options::overwrite_existing);
    summary = obj(cli({"index", "--library", lib, "--json"}).lines.last());
    QCOMPARE(summary["moved"].toInt(), 1);
    QCOMPARE(summary["removed"].toInt(), 1);
    QCOMPARE(summary["embedded"].toInt(), 1);
    for (const auto& [file, was] : index_files())
        QVERIFY2(was != written.at(file), (file + " was not written after a change").c_str());
    s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QCOMPARE(s["indexed"].toInt(), good - 1);
    r = cli({"search", "--library", lib, "--json", "-k", "20", QString::fromStdString(photos[0].string())});
    QVERIFY(obj(r.lines[0])["path"].toString().endsWith("sub/renamed.jpg"));
    for (const auto& l : r.lines) QVERIFY(!obj(l)["path"].toString().endsWith(QString::fromStdString(photos[3].filename().string())));

    // Status names the view indexes as it names the index (vectors, state): the region index, and the
    // twin index (three twins and the quarter turn a photo). A missing twin index is rebuilt by
    // the reader from the catalog, and status says so.
    const QJsonObject twins = s["twins"].toObject(), regions = s["regions"].toObject();
    QCOMPARE(twins["vectors"].toInt(), 4 * (good - 1));
    QVERIFY2(twins["state"].toString().startsWith("ok ("), qPrintable(twins["state"].toString()));
    QVERIFY(regions["vectors"].toInt() >= 4 * (good - 1));
    QVERIFY2(regions["state"].toString().startsWith("ok ("), qPrintable(regions["state"].toString()));
    r = cli({"status", "--library", lib});
    QVERIFY(r.lines.contains(QString("twin index: ok (%1 twins), loaded at first use").arg(4 * (good - 1)).toUtf8()));
    QVERIFY(r.lines.contains(("region index: " + regions["state"].toString()).toUtf8()));
    fs::remove(fs::path(lib.toStdString()) / "twins.rvi");
    r = cli({"status", "--library", lib});
    QCOMPARE(r.code, 0);
    const QByteArray rebuilt = QString("twin index: rebuilt from the catalog at first use (%1 twins): the twins index file is missing")
                                   .arg(4 * (good - 1))
                                   .toUtf8();
    QVERIFY2(r.lines.contains(rebuilt), r.lines.join('\n').constData());
    s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QVERIFY(s["twins"].toObject()["state"].toString().startsWith("rebuilt from the catalog"));
    QCOMPARE(s["twins"].toObject()["vectors"].toInt(), 4 * (good - 1));
}

void TestLibrary::kill_during_indexing_then_resume() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    const QString lib = tmp.filePath("library");
    fs::create_directories(root);
    const auto photos = sample_photos();
    const int total = 120;
    for (int i = 0; i < total; ++i)
        fs::copy_file(photos[i % photos.size()], root / (std::string("p") + std::to_string(1000 + i) + ".jpg"));

    QProcess p;
    // --progress-every 0: a progress line per file. Some files stored (the job commits every 32),
    // then kill -9.
    QVERIFY2(run_until(p, {"index", "--library", lib, "--progress-every", "0", QString::fromStdString(root.string())},
                       "indexed 40 / "),
             "indexing finished before it could be killed");
    ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
    p.waitForFinished();

    // The library opens; what was committed is there once; the index is rebuilt from the catalog.
    auto st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(st.code, 0);
    auto s = obj(st.lines.last());
    QCOMPARE(s["files"].toInt(), total);
    const int before = s["indexed"].toInt();
    QVERIFY(before >= 32 && before < total);
    QCOMPARE(s["index"].toObject()["vectors"].toInt(), before);
    QVERIFY2(st.err.contains("rebuilt"), st.err.constData());

    // Resume: only the rest is embedded, nothing twice.
    auto r = cli({"index", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    auto summary = obj(r.lines.last());
    QCOMPARE(summary["embedded"].toInt(), total - before);
    s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QCOMPARE(s["indexed"].toInt(), total);
    QCOMPARE(s["index"].toObject()["vectors"].toInt(), total);

    // A run killed before it stored a vector (new files found, none embedded yet) leaves the index
    // files usable: they are read, not rebuilt (at 500,000 files a rebuild takes minutes).
    for (int i = 0; i < 40; ++i)
        fs::copy_file(photos[i % photos.size()], root / (std::string("n") + std::to_string(i) + ".jpg"));
    QProcess q;
    // On the scalar path: killed long before its first commit (32 files).
    QVERIFY2(run_until(q, {"index", "--library", lib, "--progress-every", "0"}, "indexed 1 / ", true),
             "indexing finished before it could be killed");
    ::kill(static_cast<pid_t>(q.processId()), SIGKILL);
    q.waitForFinished();
    st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(st.code, 0);
    s = obj(st.lines.last());
    QCOMPARE(s["files"].toInt(), total + 40);
    QCOMPARE(s["indexed"].toInt(), total);
    QCOMPARE(s["index"].toObject()["state"].toString(), QString("ok (%1 vectors)").arg(total));
    QVERIFY2(!st.err.contains("rebuilt"), st.err.constData());
    QVERIFY2(s["twins"].toObject()["state"].toString().startsWith("ok ("), qPrintable(s["twins"].toObject()["state"].toString()));
    r = cli({"index", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["embedded"].toInt(), 40);
    s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QCOMPARE(s["index"].toObject()["state"].toString(), QString("ok (%1 vectors)").arg(total + 40));
}

void TestLibrary::second_indexer_is_refused() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    const QString lib = tmp.filePath("library");
    fs::create_directories(root);
    const auto photos = sample_photos();
    for (int i = 0; i < 40; ++i) fs::copy_file(photos[i % photos.size()], root / (std::string("p") + std::to_string(i) + ".jpg"));

    QProcess first;
    // On the scalar path: the second indexer surely meets it running.
    QVERIFY2(run_until(first, {"index", "--library", lib, "--progress-every", "0", QString::fromStdString(root.string())},
                       "indexed 4 / ", true),
             "indexing finished before the second one started");

    // A second indexer is told why it cannot run; a reader still works and says what is going on.
    auto second = cli({"index", "--library", lib, QString::fromStdString(root.string())});
    QCOMPARE(second.code, 1);
    QVERIFY2(second.err.contains("another process is indexing"), second.err.constData());
    auto st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(st.code, 0);
    QVERIFY2(st.err.contains("being updated by an indexing run in another process"), st.err.constData());

    // Ctrl-C stops the first one cleanly (it is slow on purpose, slower still under the sanitizers).
    ::kill(static_cast<pid_t>(first.processId()), SIGINT);
    QVERIFY(first.waitForFinished(300000));
    QCOMPARE(first.exitCode(), 130);
    // The lock went with the process: indexing works again, and resumes where the first stopped.
    auto again = cli({"index", "--library", lib, "--json"});
    QCOMPARE(again.code, 0);
    const auto summary = obj(again.lines.last());
    QCOMPARE(summary["unchanged"].toInt() + summary["embedded"].toInt(), 40);
    QVERIFY(summary["unchanged"].toInt() >= 4);
}

void TestLibrary::duplicates_of_edited_copies() {
    QTemporaryDir tmp;
    const QString root = tmp.filePath("photos");
    const QString lib = tmp.filePath("library");
    QDir().mkpath(root + "/edited");
    // Ten different photos (at 1024 px, to keep the test short) and, for five of them, the edits a
    // photo collection really holds: a smaller re-encoded copy, a copy turned 90 degrees, a mirrored
    // copy, a cropped copy, and a byte-for-byte copy. In a library this small the whitening has too
    // little to learn from, so only near-identical copies (plain cosine >= 0.99: the resized, the
    // turned and the byte copies) are sure to be found; the mirrored and cropped ones must at
    // least never be grouped with another photo (bench_duplicates measures them on a larger set).
    const auto photos = sample_photos();
    QVERIFY(photos.size() >= 10);
    QStringList originals;
    QMap<QString, QString> source_of;  // edited copy -> original
    QStringList must_find;
    for (int i = 0; i < 10; ++i) {
        QImage img(QString::fromStdString(photos[i].string()));
        QVERIFY(!img.isNull());
        img = img.scaled(1024, 1024, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        const QString name = root + QString("/photo%1.jpg").arg(i);
        QVERIFY(img.save(name, "JPEG", 92));
        originals << name;
        if (i >= 5) continue;
        const QString base = root + QString("/edited/photo%1").arg(i);
        QVERIFY(img.scaled(img.size() / 2, Qt::KeepAspectRatio, Qt::SmoothTransformation).save(base + "-small.jpg", "JPEG", 70));
        QVERIFY(img.transformed(QTransform().rotate(i % 2 ? 90 : -90)).save(base + "-rotated.jpg", "JPEG", 90));
        QVERIFY(img.mirrored(true, false).save(base + "-mirrored.png"));
        const QRect crop(img.width() / 10, img.height() / 10, img.width() * 8 / 10, img.height() * 8 / 10);
        QVERIFY(img.copy(crop).save(base + "-cropped.jpg", "JPEG", 90));
        QVERIFY(QFile::copy(name, base + "-copy.jpg"));
        for (const char* edit : {"-small.jpg", "-rotated.jpg", "-mirrored.png", "-cropped.jpg", "-copy.jpg"})
            source_of[base + edit] = name;
        for (const char* edit : {"-small.jpg", "-rotated.jpg", "-copy.jpg"}) must_find << base + edit;
    }
    auto r = cli({"index", "--library", lib, "--json", root});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["embedded"].toInt(), 35);

    r = cli({"duplicates", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    QMap<QString, int> group_of;
    QMap<QString, bool> verified;
    for (const auto& line : r.lines) {
        const auto g = obj(line);
        const int id = g["group"].toInt();
        QVERIFY(id > 0);
        const auto members = g["members"].toArray();
        QVERIFY(members.size() >= 2);
        QCOMPARE(members[0].toObject()["score"].toDouble(), 1.0);
        for (const auto& m : members) {
            const auto o = m.toObject();
            QVERIFY(o["width"].toInt() > 0 && o["height"].toInt() > 0 && o["size"].toInt() > 0);
            QVERIFY(o["score"].toDouble() >= 0.56);
            group_of[o["path"].toString()] = id;
            verified[o["path"].toString()] = o["verified"].toBool();
            QVERIFY(o.contains("pixel_note"));
        }
    }
    // Near-identical copies are with their original; no group holds two different photos.
    for (const auto& copy : must_find)
        QVERIFY2(group_of.contains(copy) && group_of.value(copy) == group_of.value(source_of[copy], -1),
                 qPrintable(copy + " is not grouped with " + source_of[copy]));
    for (auto it = source_of.begin(); it != source_of.end(); ++it)
        if (group_of.contains(it.key()))
            QVERIFY2(group_of.value(it.key()) == group_of.value(it.value(), -1),
                     qPrintable(it.key() + " is grouped, but not with " + it.value()));
    // Only copies whose pixels say so may go to the trash: the byte copy and the resized, re-encoded
    // copy are verified; a crop is at most similar.
    for (auto it = source_of.begin(); it != source_of.end(); ++it) {
        if (it.key().endsWith("-copy.jpg") || it.key().endsWith("-small.jpg"))
            QVERIFY2(verified.value(it.key()), qPrintable(it.key() + " is not verified"));
        if (it.key().endsWith("-cropped.jpg")) QVERIFY2(!verified.value(it.key()), qPrintable(it.key()));
    }
    QSet<int> seen;
    for (const auto& o : originals) {
        if (!group_of.contains(o)) continue;
        QVERIFY2(!seen.contains(group_of[o]), qPrintable(o + " is grouped with another photo"));
        seen.insert(group_of[o]);
    }
    QCOMPARE(seen.size(), 5);  // the five photos that have copies, and only them

    // At a threshold only exact copies reach, only they are grouped.
    r = cli({"duplicates", "--library", lib, "--json", "--threshold", "0.9999"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 5);
    for (const auto& line : r.lines) QCOMPARE(obj(line)["members"].toArray().size(), 2);
    // The summary names the threshold as given, not rounded to 1.
    r = cli({"duplicates", "--library", lib, "--threshold", "0.9999"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.last(), QByteArray("5 groups at threshold 0.9999"));
    QCOMPARE(cli({"duplicates", "--library", lib, "--threshold", "2"}).code, 2);
}

void TestLibrary::readers_never_change_the_model() {
    QTemporaryDir tmp;
    const fs::path photos = small_folder(tmp, "photos", 3);
    const QString lib = tmp.filePath("library");
    QCOMPARE(cli({"index", "--library", lib, q(photos)}).code, 0);
    const QString query = q(photos / sample_photos()[0].filename());

    // --model is refused by every reader, naming the option; the library keeps its model.
    for (const QStringList& args : {QStringList{"search", "--library", lib, "--model", "mobilenet_v3_centernet", query},
                                    QStringList{"status", "--library", lib, "--model", "mobilenet_v3_centernet"},
                                    QStringList{"duplicates", "--library", lib, "--model", "mobilenet_v3_centernet"},
                                    QStringList{"roots", "--library", lib, "--model", "mobilenet_v3_centernet"}}) {
        auto r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(args[0].toUtf8() + " does not take --model"), r.err.constData());
    }
    // Options of other commands, and unknown ones, are refused the same way.
    auto r = cli({"status", "--library", lib, "-k", "3"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("status does not take -k"), r.err.constData());
    r = cli({"search", "--library", lib, "--threshold", "0.5", query});
    QCOMPARE(r.code, 2);
    r = cli({"index", "--library", lib, "-x"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("unknown option -x"), r.err.constData());

    auto s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QVERIFY2(s["model"].toString().startsWith("mobilenet_v2/"), qPrintable(s["model"].toString()));
    r = cli({"search", "--library", lib, "--json", "-k", "3", query});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 3);
    // A plain index has nothing to do.
    QCOMPARE(obj(cli({"index", "--library", lib, "--json"}).lines.last())["embedded"].toInt(), 0);

    // Only index --model changes it, and says what it will re-embed.
    r = cli({"index", "--library", lib, "--json", "--model", "mobilenet_v3_centernet"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("3 indexed files will be embedded again"), r.err.constData());
    QCOMPARE(obj(r.lines.last())["embedded"].toInt(), 3);
    s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QVERIFY(s["model"].toString().startsWith("mobilenet_v3_centernet/"));
    QCOMPARE(s["index"].toObject()["vectors"].toInt(), 3);
    r = cli({"search", "--library", lib, "--json", query});
    QCOMPARE(r.code, 0);
    QVERIFY(obj(r.lines[0])["path"].toString() == query);
}

void TestLibrary::search_that_cannot_answer_is_an_error() {
    QTemporaryDir tmp;
    const fs::path broken = fs::path(tmp.path().toStdString()) / "broken";
    fs::create_directories(broken);
    std::ofstream(broken / "empty.jpg").close();
    std::ofstream(broken / "notes.jpg") << "not a picture";
    const QString lib = tmp.filePath("library");
    QCOMPARE(cli({"index", "--library", lib, q(broken)}).code, 1);  // both files failed
    const QString query = q(sample_photos()[0]);
    auto r = cli({"search", "--library", lib, query});
    QCOMPARE(r.code, 1);
    QVERIFY(r.lines.isEmpty());
    QVERIFY2(r.err.contains("nothing to search"), r.err.constData());
    // A query that cannot be read is an error too.
    r = cli({"search", "--library", lib, q(broken / "notes.jpg")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("notes.jpg"), r.err.constData());
}

void TestLibrary::mistyped_library_is_not_created() {
    QTemporaryDir tmp;
    const fs::path photos = small_folder(tmp, "photos", 1);
    const fs::path typo = fs::path(tmp.path().toStdString()) / "libary";
    for (const QStringList& args : {QStringList{"status", "--library", q(typo)},
                                    QStringList{"search", "--library", q(typo), q(sample_photos()[0])},
                                    QStringList{"duplicates", "--library", q(typo)},
                                    QStringList{"roots", "--library", q(typo)},
                                    QStringList{"roots", "--library", q(typo), "--add", q(photos)},
                                    QStringList{"index", "--library", q(typo)}}) {
        auto r = cli(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no library at " + typo.string()), r.err.constData());
        QVERIFY2(!fs::exists(typo), qPrintable(args.join(' ')));
    }
    // index creates one only after checking its roots.
    for (const fs::path& bad : {photos / "missing", photos / sample_photos()[0].filename()}) {
        auto r = cli({"index", "--library", q(typo), q(bad)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(bad.string()), r.err.constData());
        QVERIFY(!fs::exists(typo));
    }
    QCOMPARE(cli({"index", "--library", q(typo), q(photos)}).code, 0);
    QCOMPARE(cli({"status", "--library", q(typo)}).code, 0);
}

void TestLibrary::roots_are_canonical_and_nested_once() {
    QTemporaryDir tmp;
    const fs::path a = small_folder(tmp, "photos/a", 2, 0);
    const fs::path b = small_folder(tmp, "photos/b", 1, 2);
    const fs::path top = a.parent_path();
    fs::copy_file(sample_photos()[3], top / "top.jpg");
    fs::create_directory_symlink(b, fs::path(tmp.path().toStdString()) / "link-to-b");
    const QString lib = tmp.filePath("library");

    // A trailing slash, "." and a symlink name the same folders: two roots, three files once each.
    auto r = cli({"index", "--library", lib, "--json", q(a) + "/", q(b) + "/.", tmp.filePath("link-to-b")});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["found"].toInt(), 3);
    r = cli({"roots", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    const auto roots = obj(r.lines.last())["roots"].toArray();
    QCOMPARE(roots.size(), 2);
    QCOMPARE(roots[0].toString(), q(a));
    QCOMPARE(roots[1].toString(), q(b));

    // A folder inside a root adds nothing, and says so.
    fs::create_directories(a / "sub");
    r = cli({"roots", "--library", lib, "--add", q(a / "sub")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.lines.first().contains("is inside " + a.string()), r.lines.first().constData());
    r = cli({"index", "--library", lib, "--json", q(a / "sub")});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["found"].toInt(), 3);
    QCOMPARE(obj(r.lines.last())["embedded"].toInt(), 0);

    // A folder holding roots replaces them; their files keep their features.
    r = cli({"index", "--library", lib, "--json", q(top)});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("which it replaces"), r.err.constData());
    auto summary = obj(r.lines.last());
    QCOMPARE(summary["found"].toInt(), 4);
    QCOMPARE(summary["embedded"].toInt(), 1);  // top.jpg only
    QCOMPARE(summary["unchanged"].toInt(), 3);
    r = cli({"roots", "--library", lib, "--json"});
    QCOMPARE(obj(r.lines.last())["roots"].toArray().size(), 1);
    QCOMPARE(obj(r.lines.last())["roots"].toArray()[0].toString(), q(top));

    // Removing a root forgets its files, never touches them on disk.
    r = cli({"roots", "--library", lib, "--json", "--remove", q(a)});  // inside the root: not a root
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("inside its folder " + top.string()), r.err.constData());
    r = cli({"roots", "--library", lib, "--json", "--remove", q(top) + "/"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["forgotten"].toInt(), 4);
    QCOMPARE(obj(r.lines.last())["roots"].toArray().size(), 0);
    QVERIFY(fs::exists(top / "top.jpg") && fs::exists(a / sample_photos()[0].filename()));
    auto s = obj(cli({"status", "--library", lib, "--json"}).lines.last());
    QCOMPARE(s["files"].toInt(), 0);
    QCOMPARE(s["index"].toObject()["vectors"].toInt(), 0);
    QCOMPARE(cli({"roots", "--library", lib, "--add", "--remove", q(top)}).code, 2);
}

void TestLibrary::doubled_roots_of_older_libraries_are_merged() {
    QTemporaryDir tmp;
    const fs::path photos = small_folder(tmp, "photos", 2, 0);
    small_folder(tmp, "photos/sub", 1, 2);
    const QString lib = tmp.filePath("library");
    QCOMPARE(cli({"index", "--library", lib, q(photos)}).code, 0);
    {
        // As older versions left it: the same folder again with a trailing slash, and a subfolder
        // as a root of its own (their files were counted twice).
        auto db = rv::CatalogDb::open(fs::path(lib.toStdString()) / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
        QVERIFY(db.ok());
        QVERIFY(db->add_root(photos.string() + "/").ok());
        QVERIFY(db->add_root((photos / "sub").string()).ok());
    }
    auto r = cli({"index", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["found"].toInt(), 3);
    QCOMPARE(obj(r.lines.last())["embedded"].toInt(), 0);
    r = cli({"roots", "--library", lib, "--json"});
    QCOMPARE(obj(r.lines.last())["roots"].toArray().size(), 1);
    QCOMPARE(obj(r.lines.last())["roots"].toArray()[0].toString(), q(photos));
    QCOMPARE(obj(cli({"status", "--library", lib, "--json"}).lines.last())["files"].toInt(), 3);
}

void TestLibrary::two_processes_create_one_library() {
    // Two indexers and a reader start together on a library that does not exist yet. Each indexer
    // either indexes or is told another process is indexing; the reader either finds no library
    // yet or reads it; nobody fails on a lock.
    QTemporaryDir tmp;
    const fs::path photos = small_folder(tmp, "photos", 2);
    for (int round = 0; round < 6; ++round) {
        const QString lib = tmp.filePath("library" + QString::number(round));
        std::vector<std::unique_ptr<QProcess>> procs;
        for (const QStringList& args : {QStringList{"index", "--library", lib, q(photos)},
                                        QStringList{"index", "--library", lib, q(photos)},
                                        QStringList{"status", "--library", lib}}) {
            procs.push_back(std::make_unique<QProcess>());
            procs.back()->setProcessEnvironment(cli_test::environment());
            procs.back()->start(RUVISION_CLI, args);
        }
        int indexed = 0;
        for (std::size_t i = 0; i < procs.size(); ++i) {
            QVERIFY(procs[i]->waitForFinished(cli_test::kProcessBoundMs));
            const QByteArray err = procs[i]->readAllStandardError();
            const int code = procs[i]->exitCode();
            if (i < 2) {
                indexed += code == 0;
                QVERIFY2(code == 0 || (code == 1 && err.contains("another process is indexing")), err.constData());
            } else {
                QVERIFY2(code == 0 || (code == 1 && err.contains("no library at")), err.constData());
            }
        }
        QVERIFY(indexed >= 1);
        auto s = cli({"status", "--library", lib, "--json"});
        QCOMPARE(s.code, 0);
        QCOMPARE(obj(s.lines.last())["indexed"].toInt(), 2);
    }
}

void TestLibrary::output_escapes_file_names() {
    // A name with a terminal escape sequence and a newline, and one that is not UTF-8.
    QTemporaryDir tmp;
    const fs::path photos = small_folder(tmp, "photos", 1);
    const std::string evil = "red\x1b[31mX\nline.jpg", latin = "caf\xe9.jpg";
    fs::copy_file(sample_photos()[1], photos / evil);
    fs::copy_file(sample_photos()[2], photos / latin);
    fs::copy_file(photos / evil, photos / "copy.jpg");
    fs::copy_file(sample_photos()[3], photos / "rtl\xE2\x80\xAEgpj.jpg");  // U+202E turns the rest of the line
    const QString lib = tmp.filePath("library");
    const QString query = q(photos / "copy.jpg");
    std::vector<Run> runs = {cli({"index", "--library", lib, q(photos)}), cli({"status", "--library", lib}),
                             cli({"search", "--library", lib, query}), cli({"duplicates", "--library", lib}),
                             cli({"roots", "--library", lib})};
    for (const auto& r : runs) {
        QCOMPARE(r.code, 0);
        for (const auto& l : r.lines) {
            QVERIFY2(!l.contains('\x1b') && !l.contains('\r') && !l.contains("\xE2\x80\xAE"), l.constData());
            QVERIFY2(QString::fromUtf8(l).toUtf8() == l, l.constData());  // valid UTF-8
        }
        QVERIFY(!r.err.contains('\x1b'));
    }
    // Every search hit is one line (copy.jpg, the same bytes as the evil name, on an indented line
    // under it or the other way round), the odd names escaped visibly.
    QCOMPARE(runs[2].lines.size(), 5);
    QVERIFY(runs[2].lines.join('\n').contains("red\\e[31mX\\nline.jpg"));
    QVERIFY(runs[2].lines.join('\n').contains("caf\\xE9.jpg"));
    QVERIFY(runs[2].lines.join('\n').contains("rtl\\u202Egpj.jpg"));
    QVERIFY(runs[3].lines.join('\n').contains("red\\e[31mX\\nline.jpg"));
    // JSON: one valid object per line; the path that is not UTF-8 comes with U+FFFD.
    auto r = cli({"search", "--library", lib, "--json", query});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 4);  // four pictures: copy.jpg is among its twin's "copies"
    QSet<QString> paths;
    for (const auto& l : r.lines) {
        QJsonParseError e;
        const auto doc = QJsonDocument::fromJson(l, &e);
        QVERIFY2(e.error == QJsonParseError::NoError, l.constData());
        paths.insert(doc.object()["path"].toString());
        for (const auto& c : doc.object()["copies"].toArray()) paths.insert(c.toObject()["path"].toString());
    }
    QCOMPARE(paths.size(), 5);
    QVERIFY(paths.contains(QString::fromStdString((photos / evil).string())));
    QVERIFY(paths.contains(q(photos) + QString::fromUtf8("/caf\uFFFD.jpg")));
    fs::remove(photos / latin);  // QTemporaryDir cannot name it to remove it
}

QTEST_GUILESS_MAIN(TestLibrary)
#include "test_library.moc"
