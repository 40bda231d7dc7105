// `ruvision-cli tune` through the real program on a real library of MATE's wallpapers (JPEGs of at
// most 640 pixels): it stores a version that `adapters` lists as 'tune', with the guard's figures,
// the images and views it used and its seed, as text and as JSON; the same seed gives the same
// figures; Ctrl-C (SIGINT) while it embeds views exits 130 and stores nothing; a library too small
// says so (exit 1, no version); a library opened by nobody, and bad options, are clear errors.
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>

#include "cli_runner.h"

namespace fs = std::filesystem;
using cli_test::cli;

namespace {

QJsonObject obj(const QByteArray& line) { return QJsonDocument::fromJson(line).object(); }
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// MATE's wallpapers as 640-pixel JPEGs in `root` (at most `n`); how many were written.
std::size_t copy_photos(const fs::path& root, std::size_t n) {
    fs::create_directories(root);
    std::size_t done = 0;
    for (const std::string group : {"nature", "desktop", "abstract"}) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator("/usr/share/backgrounds/mate/" + group))
            if (e.path().filename().string().rfind("Elephants_", 0) != 0) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            if (done >= n) return done;
            const QImage image = QImage(q(f)).scaled(640, 640, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            if (!image.isNull() &&
                image.convertToFormat(QImage::Format_RGB888).save(q(root / (group + "_" + f.stem().string() + ".jpg")), "JPEG", 90))
                ++done;
        }
    }
    return done;
}

QList<QJsonObject> versions(const QString& lib) {
    auto r = cli({"adapters", "--library", lib, "--json"});
    QList<QJsonObject> out;
    for (const auto& l : r.lines) out << obj(l);
    return out;
}

}  // namespace

class TestTuneCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void tune_stores_a_tune_version();
    void same_seed_same_figures();
    void ctrl_c_stores_nothing();
    void too_small_library_says_so();
    void bad_arguments();

private:
    QTemporaryDir tmp_;
    QString lib_;
    QJsonObject first_;
};

void TestTuneCli::initTestCase() {
    QVERIFY(tmp_.isValid());
    const fs::path root = fs::path(tmp_.path().toStdString()) / "photos";
    QVERIFY2(copy_photos(root, 1000) >= 25, "the MATE wallpapers (mate-backgrounds) are needed");
    lib_ = tmp_.filePath("library");
    auto r = cli({"index", "--library", lib_, "--no-hierarchy", q(root)});
    QVERIFY2(r.code == 0, r.err.constData());
}

void TestTuneCli::tune_stores_a_tune_version() {
    auto r = cli({"tune", "--library", lib_, "--json", "--seed", "5"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.err.contains("views of images"));  // progress on stderr
    first_ = obj(r.lines.first());
    QCOMPARE(first_["version"].toInt(), 1);
    QVERIFY(first_["images"].toInt() >= 25);
    QCOMPARE(first_["views"].toInt(), 4 * first_["images"].toInt());
    QCOMPARE(first_["seed"].toInt(), 5);
    QVERIFY(first_["held_out_images"].toInt() >= 2);
    QVERIFY(first_["held_out_before"].toDouble() > 0.5);
    QVERIFY(first_["held_out_after"].toDouble() > 0);
    QVERIFY(first_["marks_before"].isNull());  // no marks held out: none
    QVERIFY(first_["reason"].toString().contains("held-out images"));

    const auto v = versions(lib_);
    QCOMPARE(v.size(), 1);
    QCOMPARE(v[0]["source"].toString(), QStringLiteral("tune"));
    QCOMPARE(v[0]["active"].toBool(), first_["activated"].toBool());
    QCOMPARE(v[0]["held_out_after"].toDouble(), first_["held_out_after"].toDouble());
    auto text = cli({"adapters", "--library", lib_});
    QVERIFY2(text.code == 0 && text.lines.first().contains("version 1  tune"), text.lines.first().constData());
}

void TestTuneCli::same_seed_same_figures() {
    auto r = cli({"tune", "--library", lib_, "--seed", "5"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.lines.first().startsWith("version 2 tuned on "), r.lines.first().constData());
    QVERIFY(r.lines.first().contains("seed 5"));
    QCOMPARE(versions(lib_).size(), 2);
    QCOMPARE(versions(lib_)[1]["held_out_after"].toDouble(), first_["held_out_after"].toDouble());
}

void TestTuneCli::ctrl_c_stores_nothing() {
    const auto before = versions(lib_).size();
    QProcess p;
    p.setProcessEnvironment(cli_test::environment());
    p.start(RUVISION_CLI, {"tune", "--library", lib_, "--seed", "9"});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    // Interrupted once it is embedding views (its progress says so).
    QVERIFY(QTest::qWaitFor(
        [&] {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
            return err.contains("views of images") || p.state() != QProcess::Running;
        },
        120000));
    QCOMPARE(p.state(), QProcess::Running);
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(120000));
    err += p.readAllStandardError();
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(err.contains("cancelled; nothing was stored"), err.constData());
    QCOMPARE(versions(lib_).size(), before);
}

void TestTuneCli::too_small_library_says_so() {
    const fs::path root = fs::path(tmp_.path().toStdString()) / "few";
    QCOMPARE(copy_photos(root, 5), std::size_t(5));
    const QString small = tmp_.filePath("small");
    QVERIFY(cli({"index", "--library", small, "--no-hierarchy", q(root)}).code == 0);
    auto r = cli({"tune", "--library", small});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("too small to tune: 5 indexed images, it needs at least 20"), r.err.constData());
    QCOMPARE(versions(small).size(), 0);
}

void TestTuneCli::bad_arguments() {
    auto none = cli({"tune", "--library", tmp_.filePath("nowhere")});
    QCOMPARE(none.code, 1);
    QVERIFY(none.err.contains("no library at"));
    QVERIFY(!fs::exists(tmp_.filePath("nowhere").toStdString()));
    auto few = cli({"tune", "--library", lib_, "--images", "5"});
    QCOMPARE(few.code, 2);
    QVERIFY2(few.err.contains("--images"), few.err.constData());
    auto help = cli({"tune", "--help"});
    QCOMPARE(help.code, 0);
    QVERIFY(help.lines.join('\n').contains("--seed"));
}

QTEST_GUILESS_MAIN(TestTuneCli)
#include "test_tune_cli.moc"
