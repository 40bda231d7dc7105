// ruvision-cli's command line as a new user meets it, in a terminal and in scripts (issue 9,
// items 9 and 10): --help everywhere, the forms options take, errors that name the option,
// progress without a terminal, codec warnings that never split the terminal's progress line,
// `status --errors`, and the GUI's --help without a display. The real binaries, a real library.
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "cli_runner.h"

namespace {

using cli_test::cli;

const QString kPhotos = QStringLiteral("/usr/share/backgrounds/mate/nature");

}  // namespace

class TestCliUsage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void help_on_every_command();
    void version_names_the_simd_path();
    void bad_values_name_the_option();
    void option_forms_and_rounded_scores();
    void search_help_explains_the_score_and_words();
    void status_lists_the_files_in_error();
    void rebuilt_index_is_said_without_verbose();
    void progress_without_a_terminal();
    void warnings_never_split_the_progress_line();
    void gui_help_without_a_display();

private:
    // A library of four photos and one truncated JPEG, indexed once (lib_, in dir_).
    void make_library();

    QTemporaryDir dir_;
    QString photo_a_, photo_b_;
    QString lib_, lib_photos_, cut_;
};

void TestCliUsage::initTestCase() {
    photo_a_ = kPhotos + "/Aqua.jpg";
    photo_b_ = kPhotos + "/LadyBird.jpg";
    QVERIFY2(QFile::exists(photo_a_) && QFile::exists(photo_b_), "mate-backgrounds is not installed");
    QVERIFY(dir_.isValid());
}

namespace {

const QStringList kCommands = {"models", "embed", "rank", "index", "search", "duplicates", "status", "roots", "import-model"};

// The progress lines a run wrote to stderr (without a terminal: one per line).
int progress_lines(const QByteArray& err) {
    int n = 0;
    for (const auto& l : err.split('\n'))
        if (l.startsWith("indexed ")) ++n;
    return n;
}

}  // namespace

void TestCliUsage::make_library() {
    if (!lib_.isEmpty()) return;
    lib_photos_ = dir_.filePath("lib-photos");
    QVERIFY(QDir().mkpath(lib_photos_));
    for (const char* name : {"Aqua.jpg", "LadyBird.jpg", "Garden.jpg", "TwoWings.jpg"})
        QVERIFY(QFile::copy(kPhotos + "/" + name, lib_photos_ + "/" + name));
    QFile src(photo_b_);
    QVERIFY(src.open(QIODevice::ReadOnly));
    cut_ = lib_photos_ + "/cut.jpg";
    QFile cut(cut_);
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(src.read(src.size() / 3));
    cut.close();
    const QString lib = dir_.filePath("lib");
    auto r = cli({"index", "--library", lib, lib_photos_});
    QCOMPARE(r.code, 1);  // one file failed
    // Grammar: one file in error is "1 file", "1 failed".
    QVERIFY2(r.lines.join('\n').contains("1 file in error:"), r.lines.join('\n').constData());
    QVERIFY2(r.lines[0].contains(": 5 image files, 4 embedded,"), r.lines[0].constData());
    lib_ = lib;
}

void TestCliUsage::help_on_every_command() {
    auto all = cli({"--help"});
    QCOMPARE(all.code, 0);
    const QByteArray list = all.lines.join('\n');
    for (const auto& c : kCommands) QVERIFY2(list.contains("\n  " + c.toUtf8() + " "), qPrintable(c));
    QCOMPARE(cli({"-h"}).lines, all.lines);
    QCOMPARE(cli({"help"}).lines, all.lines);
    auto none = cli({});
    QCOMPARE(none.code, 2);  // no command: the usage on stderr
    QVERIFY(none.err.contains("commands:"));

    for (const auto& c : kCommands) {
        // --help wins over anything else on the line, wherever it is, before "--".
        for (const QStringList& args : {QStringList{c, "--help"}, QStringList{c, "-h"}, QStringList{"help", c},
                                        QStringList{c, "--bogus", "--help"}}) {
            auto r = cli(args);
            QVERIFY2(r.code == 0, qPrintable(args.join(' ') + ": " + r.err));
            QVERIFY(r.err.isEmpty());
            const QByteArray text = r.lines.join('\n');
            QVERIFY2(r.lines.value(0).startsWith("usage: ruvision-cli " + c.toUtf8()), text.constData());
            QVERIFY2(text.contains("options:\n") && text.contains("  -h, --help"), text.constData());
            // The example is a command line of this very command.
            const int ex = r.lines.indexOf("example:");
            QVERIFY2(ex > 0 && r.lines.value(ex + 1).startsWith("  ruvision-cli " + c.toUtf8() + " "), text.constData());
        }
        // Every option the usage lists is one the command accepts: given as the only option, it
        // is never "unknown" and never "does not take".
        auto r = cli({c, "--help"});
        static const QRegularExpression option(R"(^  (?:-\w, )?(--[a-z-]+)( [A-Z]+)?  )");
        int listed = 0;
        for (const auto& l : r.lines) {
            const auto m = option.match(QString::fromUtf8(l));
            if (!m.hasMatch() || m.captured(1) == "--help") continue;
            ++listed;
            const QString arg = m.captured(2).isEmpty() ? m.captured(1) : m.captured(1) + "=1";
            auto run = cli({c, arg, dir_.filePath("no-such-image.jpg")});
            QVERIFY2(!run.err.contains("unknown option") && !run.err.contains("does not take"),
                     qPrintable(c + " " + arg + ": " + run.err));
        }
        QVERIFY2(listed > 0 || c == "import-model", qPrintable(c));
    }
    auto unknown = cli({"help", "frobnicate"});
    QCOMPARE(unknown.code, 2);
    QVERIFY(unknown.err.contains("frobnicate"));
}

void TestCliUsage::version_names_the_simd_path() {
    for (const QStringList& args : {QStringList{"--version"}, QStringList{"version"}}) {
        auto r = cli(args);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.lines.size(), 1);
        QVERIFY2(QRegularExpression(R"(^ruvision-cli \d+\.\d+\.\d+, SIMD path (scalar|sse2|avx2|avx512|neon)$)")
                     .match(QString::fromUtf8(r.lines[0]))
                     .hasMatch(),
                 r.lines[0].constData());
    }
    // The path named is the one in use: forced to scalar, it says scalar.
    auto forced = cli({"--version"}, "scalar");
    QCOMPARE(forced.code, 0);
    QVERIFY2(forced.lines.value(0).endsWith("SIMD path scalar"), forced.lines.value(0).constData());
}

void TestCliUsage::bad_values_name_the_option() {
    const QString lib = dir_.filePath("no-library-here");
    struct Case {
        QStringList args;
        QByteArray said;  // the option and the reason
    };
    const QList<Case> cases = {
        {{"search", "--library", lib, "-k", "abc", photo_a_}, "-k 'abc': expected a whole number"},
        {{"search", "--library", lib, "-k0", photo_a_}, "-k '0': out of range"},
        {{"search", "--library", lib, "-k", "-3", photo_a_}, "-k '-3': out of range"},
        {{"search", "--library", lib, "--top=2.5", photo_a_}, "--top '2.5': expected a whole number"},
        {{"duplicates", "--library", lib, "--threshold", "2"}, "--threshold '2': out of range"},
        {{"duplicates", "--library=" + lib, "--threshold=abc"}, "--threshold 'abc': expected a number"},
        {{"search", "--library", lib, photo_a_, "-k"}, "-k needs a value"},
        {{"search", "--library", "--json", photo_a_}, "--library needs a value"},
        {{"search", photo_a_}, "--library DIR is required"},
        {{"search", "--library", lib, "--frobnicate", photo_a_}, "unknown option --frobnicate"},
        {{"status", "--library", lib, "--json=yes"}, "--json takes no value"},
        {{"status", "--library", lib, "-k", "3"}, "status does not take -k"},
        {{"search", "--library", lib, "-k", "3", "-k", "4", photo_a_}, "-k given twice"},
        {{"search", "--library", lib}, "expected IMAGE"},
        {{"status", "--library", lib, "extra"}, "unexpected argument extra"},
    };
    for (const auto& c : cases) {
        auto r = cli(c.args);
        const QString what = c.args.join(' ') + ": " + QString::fromUtf8(r.err);
        QVERIFY2(r.code == 2, qPrintable(what));
        QVERIFY2(r.lines.isEmpty(), qPrintable(what));
        // One line: the option and the reason, then where to read more.
        QVERIFY2(r.err.count('\n') == 1 && r.err.endsWith('\n'), qPrintable(what));
        QVERIFY2(r.err.contains(c.said), qPrintable(what));
        QVERIFY2(r.err.contains("(see ruvision-cli " + c.args[0].toUtf8() + " --help)"), qPrintable(what));
    }
}

void TestCliUsage::option_forms_and_rounded_scores() {
    make_library();
    if (QTest::currentTestFailed()) return;
    // Every way of writing the same request gives the same answer.
    const QList<QStringList> forms = {
        {"search", "--library", lib_, "-k", "3", photo_a_}, {"search", "--library=" + lib_, "-k3", photo_a_},
        {"search", "--top=3", "--library", lib_, photo_a_}, {"search", "--library", lib_, "--top", "3", "--", photo_a_}};
    QList<QByteArray> first;
    for (const auto& args : forms) {
        auto r = cli(args);
        QVERIFY2(r.code == 0, qPrintable(args.join(' ') + ": " + r.err));
        QVERIFY2(r.err.isEmpty(), r.err.constData());  // no "library ...: index ok" banner
        QCOMPARE(r.lines.size(), 3);
        if (first.isEmpty()) first = r.lines;
        QCOMPARE(r.lines, first);
    }
    // Text: scores rounded to 3 decimals; --json: the engine's value, unrounded.
    static const QRegularExpression hit(R"(^  1  (\d\.\d{3})  (.+)$)");
    const auto m = hit.match(QString::fromUtf8(first[0]));
    QVERIFY2(m.hasMatch(), first[0].constData());
    QVERIFY(m.captured(2).endsWith("/Aqua.jpg"));
    auto j = cli({"search", "--library", lib_, "--json", "-k", "4", photo_a_});
    QCOMPARE(j.code, 0);
    bool unrounded = false;
    for (const auto& l : j.lines) {
        const double score = QJsonDocument::fromJson(l).object()["score"].toDouble();
        if (std::fabs(score * 1000 - std::round(score * 1000)) > 1e-3) unrounded = true;
    }
    QVERIFY(unrounded);
    // --verbose says which library and index were opened.
    auto v = cli({"search", "--library", lib_, "-v", "-k1", photo_a_});
    QCOMPARE(v.code, 0);
    QVERIFY2(v.err.contains("library " + lib_.toUtf8() + ": model mobilenet_v2/") && v.err.contains("index ok (4 vectors)"),
             v.err.constData());
}

// `search --help` says what the number and the word of each result mean (ScoreModel.h), and every
// word a search prints is one it names.
void TestCliUsage::search_help_explains_the_score_and_words() {
    make_library();
    if (QTest::currentTestFailed()) return;
    const QByteArray help = cli({"search", "--help"}).lines.join('\n');
    QVERIFY2(help.contains("The score (0 to 1) is how likely the file is the same picture"), help.constData());
    QVERIFY2(help.contains("The word says how alike"), help.constData());
    const QStringList words = {"same picture", "very similar", "related"};
    for (const auto& w : words) QVERIFY2(help.contains("\"" + w.toUtf8() + "\""), qPrintable(w));
    // The library's own pictures searched: the query itself reads "same picture"; any other word
    // printed is one the help names.
    static const QRegularExpression hit(R"(^ *\d+  (\d\.\d{3})  (.{12})  (.+)$)");
    int worded = 0;
    for (const char* name : {"Aqua.jpg", "LadyBird.jpg"}) {
        auto r = cli({"search", "--library", lib_, "-k", "4", lib_photos_ + "/" + name});
        QCOMPARE(r.code, 0);
        for (const auto& l : r.lines) {
            if (l.contains("    copy: ")) continue;  // a copy of the hit above, no word
            const auto m = hit.match(QString::fromUtf8(l));
            QVERIFY2(m.hasMatch(), l.constData());
            const QString word = m.captured(2).trimmed();
            if (m.captured(3).endsWith(QString("/") + name)) QCOMPARE(word, QString("same picture"));
            QVERIFY2(word.isEmpty() || words.contains(word), l.constData());
            worded += !word.isEmpty();
        }
    }
    QVERIFY(worded >= 2);
}

void TestCliUsage::status_lists_the_files_in_error() {
    make_library();
    if (QTest::currentTestFailed()) return;
    auto text = cli({"status", "--library", lib_, "-v"});
    QCOMPARE(text.code, 0);
    const QByteArray all = text.lines.join('\n') + "\n" + text.err;
    QVERIFY2(all.contains("\n5 files: 4 indexed, 0 pending, 1 error\n"), all.constData());
    QCOMPARE(all.count("ok (4 vectors)"), 1);  // once, not "4 vectors, ok (4 vectors)" nor banner + status
    QVERIFY2(all.contains("status --errors"), all.constData());  // says how to see them

    auto errors = cli({"status", "--library", lib_, "--errors"});
    QCOMPARE(errors.code, 0);
    QCOMPARE(errors.lines.size(), 1);
    QVERIFY2(errors.lines[0].startsWith(cut_.toUtf8() + ": ") && errors.lines[0].size() > cut_.size() + 4,
             errors.lines[0].constData());
    auto json = cli({"status", "--library", lib_, "--errors", "--json"});
    QCOMPARE(json.code, 0);
    QCOMPARE(json.lines.size(), 1);
    const auto o = QJsonDocument::fromJson(json.lines[0]).object();
    QCOMPARE(o["path"].toString(), cut_);
    QVERIFY(!o["reason"].toString().isEmpty());
}

void TestCliUsage::rebuilt_index_is_said_without_verbose() {
    make_library();
    if (QTest::currentTestFailed()) return;
    // A copy of the library whose index file is missing, then one whose index file is garbage:
    // the reader rebuilds the index from the catalog and says so, in plain words, without -v.
    const QString copy = dir_.filePath("lib-copy");
    QVERIFY(QDir().mkpath(copy));
    for (const auto& f : QDir(lib_).entryList(QDir::Files)) QVERIFY(QFile::copy(lib_ + "/" + f, copy + "/" + f));
    QVERIFY(QFile::remove(copy + "/vectors.rvi"));
    auto r = cli({"search", "--library", copy, "-k1", photo_a_});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("index rebuilt from the catalog (4 vectors): the index file is missing"), r.err.constData());
    QFile garbage(copy + "/vectors.rvi");
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("not an index\n");
    garbage.close();
    r = cli({"search", "--library", copy, "-k1", photo_a_});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("index rebuilt from the catalog (4 vectors): index file '"), r.err.constData());
    QVERIFY2(!r.err.contains("index index"), r.err.constData());
}

void TestCliUsage::progress_without_a_terminal() {
    // N files indexed with stderr on a pipe: never a line per file. With the default period the
    // lines are bounded by the run's length (one per 5 s, and the last); with a period longer than
    // any run, the last line alone; with 0, one per file.
    const int n = 24;
    const QString photos = dir_.filePath("progress-photos");
    QVERIFY(QDir().mkpath(photos));
    const auto names = QDir(kPhotos).entryList({"*.jpg"}, QDir::Files, QDir::Name);
    for (int i = 0; i < n; ++i)
        QVERIFY(QFile::copy(kPhotos + "/" + names[i % names.size()], photos + QString("/p%1.jpg").arg(i)));
    struct Case {
        QStringList extra;
        int exact;  // -1: bounded by the run's length
    };
    for (const Case& c : {Case{{}, -1}, Case{{"--progress-every", "3600"}, 1}, Case{{"--progress-every=0"}, n}}) {
        const QString lib = dir_.filePath(QString("progress-lib-%1").arg(c.exact));
        QElapsedTimer clock;
        clock.start();
        auto r = cli(QStringList{"index", "--library", lib} + c.extra + QStringList{photos});
        const double seconds = clock.elapsed() / 1000.0;
        QCOMPARE(r.code, 0);
        const int lines = progress_lines(r.err);
        QVERIFY2(!r.err.contains('\r'), r.err.constData());
        QVERIFY2(r.err.contains(QString("indexed %1 / %1 (100 %), ").arg(n).toUtf8()), r.err.constData());
        if (c.exact >= 0) QCOMPARE(lines, c.exact);
        else QVERIFY2(lines >= 1 && lines <= 1 + int(seconds / 5.0) + 1, qPrintable(QString("%1 lines in %2 s").arg(lines).arg(seconds)));
    }
}

void TestCliUsage::warnings_never_split_the_progress_line() {
    // libpng warns "iCCP: known incorrect sRGB profile" from the decoding threads, straight to
    // stderr. In a terminal each warning must stand on a line of its own, never glued to the
    // progress text, and the progress line comes back after it. The same text again (it names no
    // file) is written once, then counted: "(7 more times)" at the end.
    const QString png = "/usr/share/wallpapers/Altai/contents/screenshot.png";  // has such a profile
    QVERIFY2(QFile::exists(png), "plasma-workspace-wallpapers is not installed");
    const QString photos = dir_.filePath("srgb-photos");
    QVERIFY(QDir().mkpath(photos));
    for (int i = 0; i < 8; ++i) QVERIFY(QFile::copy(png, photos + QString("/s%1.png").arg(i)));
    for (const char* name : {"Aqua.jpg", "LadyBird.jpg", "Garden.jpg", "TwoWings.jpg"})
        QVERIFY(QFile::copy(kPhotos + "/" + name, photos + "/" + name));
    auto r = cli_test::cli_on_terminal({"index", "--library", dir_.filePath("srgb-lib"), photos});
    QVERIFY(r.finished);
    QCOMPARE(r.code, 0);
    const QByteArray warning = "libpng warning: iCCP: known incorrect sRGB profile";
    QVERIFY2(r.output.count(warning) >= 1, r.output.constData());  // the case this test is about happened
    QVERIFY2(QRegularExpression("\n" + QRegularExpression::escape(QString(warning)) + R"( \(\d+ more times?\)\r\n)")
                 .match(QString::fromUtf8(r.output))
                 .hasMatch(),
             r.output.constData());
    QVERIFY2(r.output.contains("indexed 12 / 12 (100 %)"), r.output.constData());
    // What the terminal shows: split at newlines, each line then at the erase-line sequence
    // ("\r\e[K"), which starts every redraw. A warning is always a whole piece of its own.
    int plain = 0;  // the warning's text alone
    for (const auto& line : r.output.split('\n')) {
        for (const auto& piece : line.split('\x1b')) {
            const QByteArray shown = piece.startsWith("[K") ? piece.mid(2) : piece;
            if (!shown.contains("libpng")) continue;
            static const QRegularExpression rest(R"(^(\(\d+ more times?\))?$)");
            QVERIFY2(shown.startsWith(warning) && rest.match(QString::fromUtf8(shown.mid(warning.size()).trimmed())).hasMatch(),
                     line.constData());
            if (shown.trimmed() == warning) ++plain;
        }
    }
    QCOMPARE(plain, 1);
    QVERIFY2(r.output.contains("\ndone in "), r.output.constData());  // the summary starts a line of its own
}

void TestCliUsage::gui_help_without_a_display() {
#ifndef RUVISION_GUI
    QSKIP("the GUI is not built");
#else
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(v);
    p.setProcessEnvironment(env);
    for (const QStringList& args : {QStringList{"--help"}, QStringList{"--version"}}) {
        p.start(RUVISION_GUI, args);
        QVERIFY(p.waitForFinished(cli_test::kProcessBoundMs));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(args[0] == "--help" ? out.contains("--library") && out.contains("--query")
                                     : out.startsWith("RuVision "),
                 out.constData());
    }
    // Without --help it cannot show a window: it says so, and exits (not an abort).
    p.start(RUVISION_GUI, {});
    QVERIFY(p.waitForFinished(cli_test::kProcessBoundMs));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("no display"));
#endif
}

QTEST_GUILESS_MAIN(TestCliUsage)
#include "test_cli_usage.moc"
