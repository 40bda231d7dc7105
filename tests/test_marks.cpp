// A person's marks through the real ruvision-cli on a real library of real photos: stored and
// listed, the latest verdict of a pair wins in either order, a renamed file keeps its marks after
// `index`, a file that leaves the library (deleted, forgotten, its root removed) takes its marks
// with it, remove, export then import into a second library, an import line that cannot be placed
// is reported, kill -9 of an import in the middle loses no committed mark, bad arguments exit 2;
// and the engine API itself (Marks.h): errors naming the file, a read-only opening refuses writes.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_runner.h"
#include "sample_photos.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"

namespace fs = std::filesystem;
using cli_test::cli;

namespace {

QJsonObject obj(const QByteArray& line) { return QJsonDocument::fromJson(line).object(); }

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// A library of `n` nature photos copied into tmp/photos, indexed. Returns the photos' paths.
std::vector<fs::path> make_library(const QTemporaryDir& tmp, const QString& lib, std::size_t n,
                                   const std::string& folder = "photos") {
    const fs::path root = fs::path(tmp.path().toStdString()) / folder;
    fs::create_directories(root);
    const auto photos = rv_test::nature_photos();
    std::vector<fs::path> out;
    for (std::size_t i = 0; i < n && i < photos.size(); ++i) {
        out.push_back(root / photos[i].filename());
        if (!fs::exists(out.back())) fs::copy_file(photos[i], out.back());
    }
    auto r = cli({"index", "--library", lib, q(root)});
    if (r.code != 0) qWarning("index failed: %s", r.err.constData());
    return out;
}

// The library's marks as JSON objects, oldest first.
QList<QJsonObject> marks(const QString& lib) {
    auto r = cli({"marks", "--library", lib, "--json"});
    if (r.code != 0) qWarning("marks failed: %s", r.err.constData());
    QList<QJsonObject> out;
    for (const auto& l : r.lines) out << obj(l);
    return out;
}

bool same_pair(const QJsonObject& m, const fs::path& a, const fs::path& b) {
    const QString x = m["a"].toString(), y = m["b"].toString();
    return (x == q(a) && y == q(b)) || (x == q(b) && y == q(a));
}

}  // namespace

class TestMarks : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void mark_is_stored_and_listed();
    void latest_verdict_wins_in_either_order();
    void renamed_file_keeps_its_marks();
    void leaving_files_take_their_marks();
    void remove_a_mark();
    void export_then_import_into_another_library();
    void import_reports_lines_it_cannot_place();
    void kill_during_import_loses_no_committed_mark();
    void bad_arguments_exit_2();
    void engine_api_errors_name_the_cause();
};

void TestMarks::initTestCase() { QVERIFY(rv_test::nature_photos().size() >= 6); }

void TestMarks::mark_is_stored_and_listed() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 4);
    auto r = cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1]), "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 1);
    const auto m = obj(r.lines[0]);
    QVERIFY(same_pair(m, p[0], p[1]));
    QCOMPARE(m["verdict"].toString(), QString("alike"));
    QCOMPARE(m["source"].toString(), QString("search"));
    QVERIFY(m["time"].toDouble() > 0);

    const auto listed = marks(lib);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0], m);
    // A relative path from the photos' folder names the same file.
    QProcess pr;
    pr.setProcessEnvironment(cli_test::environment());
    pr.setWorkingDirectory(q(p[0].parent_path()));
    pr.start(RUVISION_CLI, {"mark", "--library", lib, "--different", q(p[2].filename()), q(p[3].filename())});
    QVERIFY(pr.waitForFinished(cli_test::kProcessBoundMs));
    QCOMPARE(pr.exitCode(), 0);
    QVERIFY(same_pair(marks(lib).last(), p[2], p[3]));

    auto st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(st.code, 0);
    QCOMPARE(obj(st.lines.last())["marks"].toInt(), 2);
    auto text = cli({"status", "--library", lib});
    QVERIFY2(text.lines.contains("marks: 2"), text.lines.join('\n').constData());
}

void TestMarks::latest_verdict_wins_in_either_order() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 3);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--different", q(p[1]), q(p[0])}).code, 0);
    auto listed = marks(lib);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0]["verdict"].toString(), QString("different"));
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    listed = marks(lib);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0]["verdict"].toString(), QString("alike"));
    // The third verdict (schema version 6): the same picture, listed as "same" in JSON and text.
    auto r = cli({"mark", "--library", lib, "--same", q(p[1]), q(p[0]), "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["verdict"].toString(), QString("same"));
    listed = marks(lib);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0]["verdict"].toString(), QString("same"));
    QCOMPARE(listed[0]["source"].toString(), QString("search"));
    auto text = cli({"marks", "--library", lib});
    QCOMPARE(text.code, 0);
    QVERIFY2(text.lines.size() == 1 && text.lines[0].startsWith("same "), text.lines.join('\n').constData());
}

void TestMarks::renamed_file_keeps_its_marks() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 4);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--different", q(p[0]), q(p[2])}).code, 0);
    const fs::path moved = p[0].parent_path() / "sub" / "renamed.jpg";
    fs::create_directories(moved.parent_path());
    fs::rename(p[0], moved);
    auto r = cli({"index", "--library", lib, "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["moved"].toInt(), 1);
    const auto listed = marks(lib);
    QCOMPARE(listed.size(), 2);
    QVERIFY(same_pair(listed[0], moved, p[1]));
    QCOMPARE(listed[0]["verdict"].toString(), QString("alike"));
    QVERIFY(same_pair(listed[1], moved, p[2]));
    QCOMPARE(listed[1]["verdict"].toString(), QString("different"));
}

void TestMarks::leaving_files_take_their_marks() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 5);
    const auto other = make_library(tmp, lib, 6, "more");  // a second root
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[2]), q(p[3])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--different", q(p[3]), q(p[4])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--different", q(p[4]), q(other[0])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[1]), q(p[4])}).code, 0);
    QCOMPARE(marks(lib).size(), 5);

    // Deleted from disk: the next index forgets it, and its marks.
    fs::remove(p[0]);
    QCOMPARE(cli({"index", "--library", lib}).code, 0);
    auto listed = marks(lib);
    QCOMPARE(listed.size(), 4);
    for (const auto& m : listed) QVERIFY(m["a"].toString() != q(p[0]) && m["b"].toString() != q(p[0]));

    // Forgotten (moved to the trash through the app).
    {
        auto l = rv::Library::open(lib.toStdString(), rv::LibraryAccess::Update);
        QVERIFY2(l.ok(), l.ok() ? "" : l.error().message.c_str());
        QVERIFY((*l)->forget({p[2]}).ok());
    }
    listed = marks(lib);
    QCOMPARE(listed.size(), 3);  // (p3,p4), (p4,other0), (p1,p4)
    for (const auto& m : listed) QVERIFY(m["a"].toString() != q(p[2]) && m["b"].toString() != q(p[2]));

    // Its root removed.
    QCOMPARE(cli({"roots", "--library", lib, "--remove", q(other[0].parent_path())}).code, 0);
    listed = marks(lib);
    QCOMPARE(listed.size(), 2);
    QVERIFY(same_pair(listed[0], p[3], p[4]));
    QVERIFY(same_pair(listed[1], p[1], p[4]));
}

void TestMarks::remove_a_mark() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 3);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[1]), q(p[2])}).code, 0);
    auto r = cli({"marks", "--library", lib, "--remove", q(p[1]), q(p[0]), "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["removed"].toBool(), true);
    const auto listed = marks(lib);
    QCOMPARE(listed.size(), 1);
    QVERIFY(same_pair(listed[0], p[1], p[2]));
    r = cli({"marks", "--library", lib, "--remove", q(p[0]), q(p[1]), "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["removed"].toBool(), false);
}

void TestMarks::export_then_import_into_another_library() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library"), lib2 = tmp.filePath("second");
    const auto p = make_library(tmp, lib, 4);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--different", q(p[2]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[3]), q(p[0])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--same", q(p[3]), q(p[2])}).code, 0);
    const QString file = tmp.filePath("marks.jsonl");
    QCOMPARE(cli({"marks", "--library", lib, "--export", file}).code, 0);
    const auto original = marks(lib);
    QCOMPARE(original.size(), 4);
    QCOMPARE(original[3]["verdict"].toString(), QString("same"));

    make_library(tmp, lib2, 4);  // the same photos, a library of its own
    QCOMPARE(marks(lib2).size(), 0);
    auto r = cli({"marks", "--library", lib2, "--import", file, "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(obj(r.lines.last())["imported"].toInt(), 4);
    const auto imported = marks(lib2);
    QCOMPARE(imported.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QVERIFY(same_pair(imported[i], fs::path(original[i]["a"].toString().toStdString()),
                          fs::path(original[i]["b"].toString().toStdString())));
        QCOMPARE(imported[i]["verdict"], original[i]["verdict"]);
        QCOMPARE(imported[i]["time"], original[i]["time"]);
        QCOMPARE(imported[i]["source"].toString(), QString("import"));
    }
}

void TestMarks::import_reports_lines_it_cannot_place() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 3);
    const std::string outside = tmp.filePath("elsewhere.jpg").toStdString();
    const QString file = tmp.filePath("in.jsonl");
    {
        std::ofstream f(file.toStdString());
        f << R"({"a":")" << p[0].string() << R"(","b":")" << p[1].string() << R"(","verdict":"alike"})" << "\n";
        f << R"({"a":")" << outside << R"(","b":")" << p[1].string() << R"(","verdict":"alike"})" << "\n";
        f << "not json\n\n";
        f << R"({"a":")" << p[1].string() << R"(","b":")" << p[2].string() << R"(","verdict":"maybe"})" << "\n";
        f << R"({"a":")" << p[2].string() << R"(","b":")" << p[0].string() << R"(","verdict":"different"})" << "\n";
        f << R"({"a":")" << p[2].string() << R"(","b":")" << p[1].string() << R"(","verdict":"same","time":1})" << "\n";
    }
    auto r = cli({"marks", "--library", lib, "--import", file, "--json"});
    QCOMPARE(r.code, 1);
    const auto out = obj(r.lines.last());
    QCOMPARE(out["imported"].toInt(), 3);
    QVERIFY2(r.err.contains("line 2: " + QByteArray::fromStdString(outside) + " is not a file of the library"),
             r.err.constData());
    QVERIFY2(r.err.contains("line 3: not a JSON object"), r.err.constData());
    QVERIFY2(r.err.contains("line 5: \"verdict\" must be"), r.err.constData());
    const auto listed = marks(lib);  // oldest first: the "same" line carries time 1
    QCOMPARE(listed.size(), 3);
    QVERIFY(same_pair(listed[0], p[1], p[2]));
    QCOMPARE(listed[0]["verdict"].toString(), QString("same"));
    QVERIFY(same_pair(listed[1], p[0], p[1]));
    QVERIFY(same_pair(listed[2], p[0], p[2]));
    QCOMPARE(listed[2]["verdict"].toString(), QString("different"));
}

void TestMarks::kill_during_import_loses_no_committed_mark() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 4);
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[1])}).code, 0);
    QCOMPARE(cli({"mark", "--library", lib, "--different", q(p[1]), q(p[2])}).code, 0);

    // An import reading from a pipe, killed while its transaction is open (lines written, no end).
    QProcess imp;
    imp.setProcessEnvironment(cli_test::environment());
    imp.start(RUVISION_CLI, {"marks", "--library", lib, "--import", "-"});
    QVERIFY(imp.waitForStarted());
    const std::string line = R"({"a":")" + p[0].string() + R"(","b":")" + p[3].string() + R"(","verdict":"alike"})" "\n";
    const std::string flip = R"({"a":")" + p[0].string() + R"(","b":")" + p[1].string() + R"(","verdict":"different"})" "\n";
    imp.write(QByteArray::fromStdString(line + flip));
    QVERIFY(imp.waitForBytesWritten(10000));
    QTest::qWait(500);  // lets it read (and store, uncommitted) what it was given
    QVERIFY2(imp.state() == QProcess::Running, "the import ended before it could be killed");
    ::kill(static_cast<pid_t>(imp.processId()), SIGKILL);
    imp.waitForFinished();

    // The committed marks are there as they were; the killed import's are not; the catalog works.
    const auto listed = marks(lib);
    QCOMPARE(listed.size(), 2);
    QVERIFY(same_pair(listed[0], p[0], p[1]));
    QCOMPARE(listed[0]["verdict"].toString(), QString("alike"));
    QVERIFY(same_pair(listed[1], p[1], p[2]));
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[2]), q(p[3])}).code, 0);
    QCOMPARE(marks(lib).size(), 3);
}

void TestMarks::bad_arguments_exit_2() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 2);
    const QString outside = tmp.filePath("not-indexed.jpg");
    fs::copy_file(rv_test::nature_photos()[5], outside.toStdString());

    auto r = cli({"mark", "--library", lib, "--alike", q(p[0]), outside});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(outside.toUtf8() + ": not a file of the library"), r.err.constData());
    r = cli({"marks", "--library", lib, "--remove", outside, q(p[0])});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(outside.toUtf8()), r.err.constData());
    QCOMPARE(cli({"mark", "--library", lib, q(p[0]), q(p[1])}).code, 2);                              // no verdict
    QCOMPARE(cli({"mark", "--library", lib, "--alike", "--different", q(p[0]), q(p[1])}).code, 2);     // both
    QCOMPARE(cli({"mark", "--library", lib, "--same", "--alike", q(p[0]), q(p[1])}).code, 2);          // two
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0])}).code, 2);                             // one image
    QCOMPARE(cli({"mark", "--library", lib, "--alike", q(p[0]), q(p[0])}).code, 2);                    // itself
    QCOMPARE(cli({"mark", "--alike", q(p[0]), q(p[1])}).code, 2);                                      // no library
    QCOMPARE(cli({"marks", "--library", lib, "--remove", q(p[0])}).code, 2);                           // one image
    QCOMPARE(cli({"marks", "--library", lib, q(p[0]), q(p[1])}).code, 2);                              // no --remove
    QCOMPARE(cli({"marks", "--library", lib, "--export", "a", "--import", "b"}).code, 2);
    QCOMPARE(cli({"marks", "--library", lib, "--import", tmp.filePath("missing.jsonl")}).code, 2);
    QCOMPARE(marks(lib).size(), 0);  // none of them stored anything
}

// The engine API directly: errors are values naming the file or the cause; a library opened for
// reading lists and exports but refuses every write; nothing is stored by a refused call.
void TestMarks::engine_api_errors_name_the_cause() {
    QTemporaryDir tmp;
    const QString lib = tmp.filePath("library");
    const auto p = make_library(tmp, lib, 3);
    {
        auto l = rv::Library::open(lib.toStdString(), rv::LibraryAccess::Update);
        QVERIFY(l.ok());
        auto m = rv::add_mark(**l, p[0], p[1], rv::MarkVerdict::Different, rv::MarkSource::Duplicates, 42);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
        QCOMPARE(m->source, rv::MarkSource::Duplicates);
        QCOMPARE(m->session, std::int64_t(42));
        QVERIFY(m->a_id < m->b_id);
        const fs::path outside = fs::path(tmp.path().toStdString()) / "nowhere.jpg";
        auto bad = rv::add_mark(**l, p[0], outside, rv::MarkVerdict::Alike, rv::MarkSource::Search);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find(outside.string() + ": not a file of the library") != std::string::npos,
                 bad.error().message.c_str());
        QVERIFY(!rv::add_mark(**l, p[2], p[2], rv::MarkVerdict::Alike, rv::MarkSource::Search).ok());
        QCOMPARE(*rv::count_marks(**l), std::int64_t(1));
    }
    auto r = rv::Library::open(lib.toStdString(), rv::LibraryAccess::Read);
    QVERIFY(r.ok());
    auto listed = rv::list_marks(**r);
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), std::size_t(1));
    QCOMPARE(listed->front().verdict, rv::MarkVerdict::Different);
    std::ostringstream out;
    auto n = rv::export_marks(**r, out);
    QVERIFY(n.ok());
    QCOMPARE(*n, std::size_t(1));
    QCOMPARE(out.str(), rv::mark_json_line(listed->front()) + "\n");
    auto w = rv::add_mark(**r, p[1], p[2], rv::MarkVerdict::Alike, rv::MarkSource::Search);
    QVERIFY(!w.ok());
    QVERIFY2(w.error().message.find("needs the library opened for writing") != std::string::npos,
             w.error().message.c_str());
    std::istringstream in(out.str());
    QVERIFY(!rv::import_marks(**r, in).ok());
    QVERIFY(!rv::remove_mark(**r, p[0], p[1]).ok());
    QCOMPARE(*rv::count_marks(**r), std::int64_t(1));
}

QTEST_GUILESS_MAIN(TestMarks)
#include "test_marks.moc"
