// Learning from marks through the real ruvision-cli on a real library of MATE's wallpapers (three
// collections: nature photos, desktop designs, abstract art; "alike" = the same collection):
// `learn` stores and activates a version that orders more of each query's (alike, different)
// couples right than the plain features and lowers every different pair's score; `adapters --none` and `search --no-adapter` give
// back the original ranking exactly; kill -9 during `learn` loses no mark and leaves a version
// that finished active; export then import into a second library of the same photos ranks as the
// first; a tampered export is refused naming the file; the guard refuses a version trained on
// contradictory marks (copies of two pictures marked both alike and different); `search --alike`
// moves a file up and `--different` down; `mark` updates the fast adapter; bad arguments exit 2.
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "cli_runner.h"

namespace fs = std::filesystem;
using cli_test::cli;

namespace {

QJsonObject obj(const QByteArray& line) { return QJsonDocument::fromJson(line).object(); }
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

struct Photo {
    fs::path path;
    std::string group;  // nature, desktop, abstract
};

// The three collections as JPEGs of at most 640 pixels (so that searches, which decode pixels to
// find copies, stay quick) in root, named "group_name.jpg", in name order; the Elephants
// wallpaper's larger renditions are left out (copies of one picture).
std::vector<Photo> copy_collections(const fs::path& root) {
    fs::create_directories(root);
    std::vector<Photo> out;
    for (const std::string group : {"nature", "desktop", "abstract"}) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator("/usr/share/backgrounds/mate/" + group))
            if (e.path().filename().string().rfind("Elephants_", 0) != 0) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            const fs::path to = root / (group + "_" + f.stem().string() + ".jpg");
            const QImage image = QImage(q(f)).scaled(640, 640, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            if (image.isNull() || !image.convertToFormat(QImage::Format_RGB888).save(q(to), "JPEG", 90)) {
                qWarning("cannot make %s", to.c_str());
                continue;
            }
            out.push_back({to, group});
        }
    }
    return out;
}

// Every alike pair (same collection) and as many different ones (every other cross pair), as the
// JSON lines `marks --import` reads.
QString write_marks(const QTemporaryDir& tmp, const std::vector<Photo>& photos) {
    std::vector<std::string> alike, different;
    for (std::size_t i = 0; i < photos.size(); ++i)
        for (std::size_t j = i + 1; j < photos.size(); ++j) {
            const std::string line = R"({"a":")" + photos[i].path.string() + R"(","b":")" + photos[j].path.string() +
                                     R"(","verdict":")";
            if (photos[i].group == photos[j].group) alike.push_back(line + "alike\"}");
            else different.push_back(line + "different\"}");
        }
    const QString file = tmp.filePath("marks.jsonl");
    std::ofstream f(file.toStdString());
    for (const auto& l : alike) f << l << "\n";
    for (std::size_t i = 0, n = 0; i < different.size() && n < alike.size(); i += 2, ++n) f << different[i] << "\n";
    return file;
}

// path -> score of `search --json -k 100` (every file of these small libraries), with extra args.
std::map<QString, double> scores(const QString& lib, const fs::path& query, const QStringList& extra = {}) {
    auto r = cli(QStringList{"search", "--library", lib, "-k", "100", "--json", q(query)} + extra);
    if (r.code != 0) qWarning("search failed: %s", r.err.constData());
    std::map<QString, double> out;
    for (const auto& l : r.lines) out[obj(l)["path"].toString()] = obj(l)["score"].toDouble();
    return out;
}

// The ranked paths of a search.
QStringList ranking(const QString& lib, const fs::path& query, const QStringList& extra = {}) {
    auto r = cli(QStringList{"search", "--library", lib, "-k", "100", "--json", q(query)} + extra);
    QStringList out;
    for (const auto& l : r.lines) out << obj(l)["path"].toString();
    return out;
}

QList<QJsonObject> versions(const QString& lib) {
    auto r = cli({"adapters", "--library", lib, "--json"});
    if (r.code != 0) qWarning("adapters failed: %s", r.err.constData());
    QList<QJsonObject> out;
    for (const auto& l : r.lines) out << obj(l);
    return out;
}

QJsonValue active_version(const QString& lib) {
    auto r = cli({"status", "--library", lib, "--json"});
    return obj(r.lines.last())["adapter"].toObject()["active"];
}

int mark_count(const QString& lib) {
    auto r = cli({"status", "--library", lib, "--json"});
    return obj(r.lines.last())["marks"].toInt();
}

}  // namespace

class TestLearningCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void learn_activates_a_version_that_separates_the_marks();
    void none_and_no_adapter_give_back_the_original_ranking();
    void kill_during_learn_loses_no_mark_and_keeps_a_finished_version();
    void export_then_import_into_a_new_library();
    void guard_refuses_contradictory_marks();
    void search_feedback_moves_files();
    void mark_updates_the_fast_adapter();
    void bad_arguments();

private:
    QTemporaryDir tmp_;
    QString lib_;                // learned once in initTestCase's library, version 1 active
    std::vector<Photo> photos_;
    QString marks_file_;
    std::map<fs::path, std::map<QString, double>> before_;  // plain scores per query
    QJsonObject learned_;        // learn's JSON
};

void TestLearningCli::initTestCase() {
    QVERIFY(tmp_.isValid());
    lib_ = tmp_.filePath("library");
    photos_ = copy_collections(fs::path(tmp_.path().toStdString()) / "photos");
    QVERIFY(photos_.size() >= 20);
    auto r = cli({"index", "--library", lib_, q(photos_[0].path.parent_path())});
    QCOMPARE(r.code, 0);
    marks_file_ = write_marks(tmp_, photos_);
    r = cli({"marks", "--library", lib_, "--import", marks_file_, "--json"});
    QCOMPARE(r.code, 0);
    QVERIFY(obj(r.lines.last())["imported"].toInt() >= 200);
    for (const auto& p : photos_) before_[p.path] = scores(lib_, p.path);

    r = cli({"learn", "--library", lib_, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.err.contains("training"), r.err.constData());  // progress on stderr
    learned_ = obj(r.lines.last());
}

void TestLearningCli::learn_activates_a_version_that_separates_the_marks() {
    for (const char* key : {"version", "activated", "reason", "marks", "held_out_before", "held_out_after", "seconds"})
        QVERIFY2(learned_.contains(key), key);
    QCOMPARE(learned_["version"].toInt(), 1);
    QVERIFY2(learned_["activated"].toBool(), learned_["reason"].toString().toUtf8().constData());
    QVERIFY(learned_["held_out_after"].toDouble() > learned_["held_out_before"].toDouble());
    QCOMPARE(learned_["marks"].toInt(), mark_count(lib_));

    const auto listed = versions(lib_);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0]["version"].toInt(), 1);
    QVERIFY(listed[0]["active"].toBool());
    QCOMPARE(listed[0]["source"].toString(), QString("learn"));
    QCOMPARE(active_version(lib_).toInt(), 1);

    // Each query's (alike file, different file) couples: more of them are ordered right (the alike
    // one scoring higher) than with the plain features; every different pair's score went down,
    // and the gap between the mean scores of alike and different files grew (see below).
    std::size_t right_now = 0, right_before = 0, couples = 0, widened = 0;
    double gap_gain = 0;
    for (const auto& query : photos_) {
        const auto now = scores(lib_, query.path);
        const auto& was = before_[query.path];
        QCOMPARE(now.size(), photos_.size());
        double alike_now = 0, alike_was = 0, different_now = 0, different_was = 0;
        int n_alike = 0, n_different = 0;
        for (const auto& p : photos_) {
            if (p.path == query.path) continue;
            const double s = now.at(q(p.path)), s0 = was.at(q(p.path));
            if (p.group == query.group) {
                alike_now += s, alike_was += s0, ++n_alike;
                for (const auto& o : photos_)
                    if (o.group != query.group) {
                        right_now += s > now.at(q(o.path));
                        right_before += s0 > was.at(q(o.path));
                        ++couples;
                    }
            } else {
                different_now += s, different_was += s0, ++n_different;
                QVERIFY2(s < s0, qPrintable(q(query.path) + " vs " + q(p.path)));
            }
        }
        const double gap_now = alike_now / n_alike - different_now / n_different;
        const double gap_was = alike_was / n_alike - different_was / n_different;
        gap_gain += gap_now - gap_was;
        widened += gap_now > gap_was;
    }
    // Over the queries (not each one: learning from a few hundred marks moves some queries' gap
    // only by rounding): the mean gap grew, and it grew for most queries.
    QVERIFY2(gap_gain > 0, qPrintable(QString::number(gap_gain / photos_.size())));
    QVERIFY2(4 * widened >= 3 * photos_.size(), qPrintable(QString("%1 of %2").arg(widened).arg(photos_.size())));
    QVERIFY2(right_now > right_before, qPrintable(QString("%1 vs %2 of %3").arg(right_now).arg(right_before).arg(couples)));
    qInfo("couples ordered right: %zu of %zu learned, %zu plain; gap widened for %zu of %zu queries", right_now, couples,
          right_before, widened, photos_.size());
}

void TestLearningCli::none_and_no_adapter_give_back_the_original_ranking() {
    const fs::path query = photos_[0].path;
    const auto learned = scores(lib_, query);
    QCOMPARE(scores(lib_, query, {"--no-adapter"}), before_[query]);
    QVERIFY(learned != before_[query]);

    auto r = cli({"adapters", "--library", lib_, "--none", "--json"});
    QCOMPARE(r.code, 0);
    QVERIFY(obj(r.lines.last())["active"].isNull());
    QVERIFY(active_version(lib_).isNull());
    for (const auto& p : photos_) QCOMPARE(scores(lib_, p.path), before_[p.path]);
    QVERIFY(!fs::exists(fs::path(lib_.toStdString()) / "vectors.adapter1.rvi"));

    r = cli({"adapters", "--library", lib_, "--activate", "1"});
    QCOMPARE(r.code, 0);
    QCOMPARE(active_version(lib_).toInt(), 1);
    QCOMPARE(scores(lib_, query), learned);  // re-projected, the same space
}

void TestLearningCli::kill_during_learn_loses_no_mark_and_keeps_a_finished_version() {
    const int marks = mark_count(lib_);
    // Killed at three moments: at once, once training has begun, once re-projection has begun.
    // From no active version each time, so that the new one passes the guard and is re-projected.
    for (const QByteArray& when : {QByteArray(), QByteArray("training"), QByteArray("re-projecting")}) {
        QCOMPARE(cli({"adapters", "--library", lib_, "--none"}).code, 0);
        QProcess p;
        p.setProcessEnvironment(cli_test::environment());
        p.start(RUVISION_CLI, {"learn", "--library", lib_});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        while (!when.isEmpty() && !err.contains(when) && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        if (p.state() == QProcess::Running) ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished();

        QCOMPARE(mark_count(lib_), marks);
        // None is active as before, or a version whose learn finished (the guard passed).
        const int active = active_version(lib_).toInt();
        for (const auto& v : versions(lib_))
            if (v["version"].toInt() == active)
                QVERIFY2(v["activated"].toBool() && v["active"].toBool(), qPrintable(v["reason"].toString()));
        auto r = cli({"search", "--library", lib_, "-k", "3", q(photos_[1].path)});
        QVERIFY2(r.code == 0 && r.lines.size() == 3, r.err.constData());
    }
    QCOMPARE(cli({"adapters", "--library", lib_, "--activate", "1"}).code, 0);
}

void TestLearningCli::export_then_import_into_a_new_library() {
    const QString file = tmp_.filePath("v1.json");
    auto r = cli({"adapters", "--library", lib_, "--export", "1", file});
    QVERIFY2(r.code == 0, r.err.constData());
    QJsonObject exported;
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        exported = QJsonDocument::fromJson(f.readAll()).object();
    }
    QCOMPARE(exported["model_id"].toString(), QString("mobilenet_v2/gem3:expand13"));
    QCOMPARE(exported["descriptor"].toString(), QString("gem3:expand13"));
    QCOMPARE(exported["precision"].toString(), QString("fp32"));
    QCOMPARE(exported["dim"].toInt(), 576);
    QCOMPARE(exported["a"].toArray().size(), exported["rank"].toInt() * 576);
    QVERIFY(exported["marks"].toObject()["count"].toInt() >= 200);

    // A second library of the same photos, with the same marks.
    const QString lib2 = tmp_.filePath("second");
    QCOMPARE(cli({"index", "--library", lib2, q(photos_[0].path.parent_path())}).code, 0);
    QCOMPARE(cli({"marks", "--library", lib2, "--import", marks_file_}).code, 0);
    r = cli({"adapters", "--library", lib2, "--import", file, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto imported = obj(r.lines.last());
    QVERIFY2(imported["activated"].toBool(), qPrintable(imported["reason"].toString()));
    QCOMPARE(imported["version"].toInt(), 1);
    QCOMPARE(versions(lib2)[0]["source"].toString(), QString("import"));
    for (std::size_t i = 0; i < photos_.size(); i += 5)
        QCOMPARE(scores(lib2, photos_[i].path), scores(lib_, photos_[i].path));

    // Refused, naming the file: another model, another dimension, not an export.
    for (const auto& [key, value] : std::vector<std::pair<QString, QJsonValue>>{
             {"model_id", "mobilenet_v3/gem3:expand13"}, {"dim", 1024}, {"format", "something-else"}}) {
        QJsonObject bad = exported;
        bad[key] = value;
        const QString bad_file = tmp_.filePath("bad-" + key + ".json");
        QFile f(bad_file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(bad).toJson());
        f.close();
        r = cli({"adapters", "--library", lib2, "--import", bad_file});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(bad_file.toUtf8()), r.err.constData());
    }
    QCOMPARE(versions(lib2).size(), 1);
}

void TestLearningCli::guard_refuses_contradictory_marks() {
    // Five copies each of two pictures (identical features), every cross pair marked, alternately
    // alike and different: no adapter can order such marks, so none may become active.
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "copies";
    fs::create_directories(root);
    std::vector<fs::path> p, q2;
    for (int i = 0; i < 5; ++i) {
        p.push_back(root / QString("p%1.jpg").arg(i).toStdString());
        q2.push_back(root / QString("q%1.jpg").arg(i).toStdString());
        fs::copy_file(photos_[0].path, p.back());
        fs::copy_file(photos_[14].path, q2.back());
    }
    fs::copy_file(photos_[3].path, root / "other.jpg");
    const QString lib = tmp.filePath("library");
    QCOMPARE(cli({"index", "--library", lib, q(root)}).code, 0);
    const QString file = tmp.filePath("marks.jsonl");
    {
        std::ofstream f(file.toStdString());
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 5; ++j)
                f << R"({"a":")" << p[i].string() << R"(","b":")" << q2[j].string() << R"(","verdict":")"
                  << ((i + j) % 2 ? "different" : "alike") << "\"}\n";
    }
    QCOMPARE(cli({"marks", "--library", lib, "--import", file}).code, 0);
    const auto plain = scores(lib, root / "other.jpg");
    auto r = cli({"learn", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    const auto out = obj(r.lines.last());
    QCOMPARE(out["activated"].toBool(), false);
    QVERIFY2(out["reason"].toString().contains("no better"), qPrintable(out["reason"].toString()));
    QCOMPARE(out["marks"].toInt(), 25);
    QVERIFY(active_version(lib).isNull());
    QCOMPARE(versions(lib).size(), 1);
    QCOMPARE(versions(lib)[0]["active"].toBool(), false);
    QCOMPARE(scores(lib, root / "other.jpg"), plain);
}

void TestLearningCli::search_feedback_moves_files() {
    const fs::path query = photos_[0].path;
    const QStringList plain = ranking(lib_, query, {"--no-adapter"});
    QCOMPARE(plain.size(), static_cast<int>(photos_.size()));
    // With no version active, so that only the feedback moves them.
    QCOMPARE(cli({"adapters", "--library", lib_, "--none"}).code, 0);
    const QString low = plain[plain.size() - 3], high = plain[2];
    const QStringList moved =
        ranking(lib_, query, {"--alike", low, "--different", high});
    QCOMPARE(moved.size(), plain.size());
    QVERIFY2(moved.indexOf(low) < plain.indexOf(low), qPrintable(moved.join('\n')));
    QVERIFY2(moved.indexOf(high) > plain.indexOf(high), qPrintable(moved.join('\n')));
    // Recorded as a search session (the library is writable).
    auto r = cli({"search", "--library", lib_, "-v", q(query), "--alike", low});
    QCOMPARE(r.code, 0);
    QVERIFY2(QRegularExpression("search session [0-9]+ recorded").match(QString::fromUtf8(r.err)).hasMatch(),
             r.err.constData());
    // Two alike files, one option given twice.
    const QStringList twice = ranking(lib_, query, {"--alike", low, "--alike", plain[plain.size() - 2]});
    QVERIFY(twice.indexOf(low) < plain.indexOf(low));
    QCOMPARE(ranking(lib_, query), plain);  // feedback lasts one search
    QCOMPARE(cli({"adapters", "--library", lib_, "--activate", "1"}).code, 0);
}

void TestLearningCli::mark_updates_the_fast_adapter() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const fs::path root = photos_[0].path.parent_path();
    QCOMPARE(cli({"index", "--library", lib, q(root)}).code, 0);
    const fs::path a = photos_[0].path, b = photos_[15].path;  // a nature photo, a desktop design
    const double plain = scores(lib, a).at(q(b));
    auto r = cli({"mark", "--library", lib, "--alike", q(a), q(b)});
    QVERIFY2(r.code == 0, r.err.constData());
    auto st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(obj(st.lines.last())["adapter"].toObject()["fast_marks"].toInt(), 1);
    QVERIFY(scores(lib, a).at(q(b)) > plain);                     // the next search re-ranks with it
    QCOMPARE(scores(lib, a, {"--no-adapter"}).at(q(b)), plain);  // and --no-adapter ignores it
    // A new active version (here: none) drops it.
    QCOMPARE(cli({"adapters", "--library", lib, "--none"}).code, 0);
    st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(obj(st.lines.last())["adapter"].toObject()["fast_marks"].toInt(), 0);
    QCOMPARE(scores(lib, a).at(q(b)), plain);
}

void TestLearningCli::bad_arguments() {
    const QString outside = tmp_.filePath("not-indexed.jpg");
    if (!QFile::exists(outside)) QVERIFY(QFile::copy(q(photos_[1].path), outside));
    auto r = cli({"search", "--library", lib_, q(photos_[0].path), "--alike", outside});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(outside.toUtf8() + ": not a file of the library"), r.err.constData());
    r = cli({"search", "--library", lib_, q(photos_[0].path), "--different", outside});
    QCOMPARE(r.code, 2);
    QCOMPARE(cli({"search", "--library", lib_, "--alike", q(photos_[1].path)}).code, 2);  // the list took the query
    QCOMPARE(cli({"search", "--library", lib_, q(photos_[0].path), "--alike"}).code, 2);
    r = cli({"adapters", "--library", lib_, "--activate", "7"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no adapter version 7"), r.err.constData());
    // A bad N names the versions there are (not the option's range).
    QVERIFY2(r.err.contains("the library has version"), r.err.constData());
    r = cli({"adapters", "--library", lib_, "--activate", "0"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("not a version number; the library has version") && !r.err.contains("e+"),
             r.err.constData());
    QCOMPARE(cli({"adapters", "--library", lib_, "--export", "1"}).code, 2);                 // no file
    QCOMPARE(cli({"adapters", "--library", lib_, "--export", "x", "f.json"}).code, 2);       // no version
    QCOMPARE(cli({"adapters", "--library", lib_, "--activate", "1", "--none"}).code, 2);
    QCOMPARE(cli({"learn", "--library", lib_, "extra"}).code, 2);
    r = cli({"adapters", "--library", lib_, "--import", tmp_.filePath("missing.json")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("missing.json"), r.err.constData());

    QTemporaryDir tmp;
    const QString empty = tmp.filePath("library");
    QCOMPARE(cli({"index", "--library", empty, q(photos_[0].path.parent_path())}).code, 0);
    r = cli({"learn", "--library", empty});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no marks to learn from"), r.err.constData());
    QCOMPARE(active_version(lib_).toInt(), 1);  // nothing above changed the first library
}

QTEST_GUILESS_MAIN(TestLearningCli)
#include "test_learning_cli.moc"
