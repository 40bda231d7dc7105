// ruvision-cli as a user runs it: the real binary, real model files, real photos
// (Debian's mate-backgrounds), and broken files mixed in.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli_runner.h"

namespace {

using cli_test::cli;
using cli_test::Run;

const QString kPhotos = QStringLiteral("/usr/share/backgrounds/mate/nature");


std::vector<double> embedding(const QJsonObject& o) {
    std::vector<double> v;
    for (const auto& x : o["embedding"].toArray()) v.push_back(x.toDouble());
    return v;
}

double cosine(const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
    return d / std::sqrt(na * nb);
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void models_lists_both();
    void embed_mixed_good_and_broken();
    void embed_all_good_exits_zero();
    void simd_paths_agree();
    void edits_stay_close();
    void odd_file_names();
    void unknown_model_is_a_usage_error();
    void library_numbers_are_parsed_whole();

private:
    QTemporaryDir dir_;
    QString photo_a_, photo_b_;
};

void TestCli::initTestCase() {
    photo_a_ = kPhotos + "/Aqua.jpg";
    photo_b_ = kPhotos + "/LadyBird.jpg";
    QVERIFY2(QFile::exists(photo_a_) && QFile::exists(photo_b_), "mate-backgrounds is not installed");
    QVERIFY(dir_.isValid());
}

void TestCli::models_lists_both() {
    auto r = cli({"models", "--json"});
    QCOMPARE(r.code, 0);
    QMap<QString, int> dims;
    for (const auto& l : r.lines) {
        const auto o = QJsonDocument::fromJson(l).object();
        dims[o["name"].toString()] = o["dim"].toInt();
        QVERIFY(!o["source"].toString().isEmpty());
    }
    QVERIFY(dims.value("mobilenet_v2") > 0);
    QVERIFY(dims.value("mobilenet_v3_centernet") > 0);
}

void TestCli::embed_mixed_good_and_broken() {
    QFile(dir_.filePath("empty.jpg")).open(QIODevice::WriteOnly);
    QFile text(dir_.filePath("notes.png"));
    text.open(QIODevice::WriteOnly);
    text.write("this is not an image\n");
    text.close();
    QFile src(photo_b_);
    src.open(QIODevice::ReadOnly);
    QFile trunc(dir_.filePath("cut.jpg"));
    trunc.open(QIODevice::WriteOnly);
    trunc.write(src.read(src.size() / 3));
    trunc.close();

    const QStringList files = {photo_a_, dir_.filePath("empty.jpg"), dir_.filePath("notes.png"),
                               dir_.filePath("cut.jpg"), dir_.filePath("missing.jpg"), photo_b_};
    auto r = cli(QStringList{"embed", "--json"} + files);
    QCOMPARE(r.code, 1);  // not all succeeded
    QCOMPARE(r.lines.size(), files.size());
    for (int i = 0; i < files.size(); ++i) {
        const auto o = QJsonDocument::fromJson(r.lines[i]).object();
        QCOMPARE(o["path"].toString(), files[i]);
        const bool good = i == 0 || i == files.size() - 1;
        if (good) {
            const auto v = embedding(o);
            QCOMPARE(int(v.size()), o["dim"].toInt());
            QVERIFY(!o["model"].toString().isEmpty());
            double n = 0;
            for (double x : v) n += x * x;
            QVERIFY(std::fabs(n - 1.0) < 1e-4);
        } else {
            QVERIFY2(o.contains("error"), r.lines[i].constData());
            QVERIFY(o["error"].toString().startsWith(files[i] + ": "));
        }
    }
    // One line on stderr per failed file, naming it.
    for (int i = 1; i < files.size() - 1; ++i) QVERIFY(r.err.contains(files[i].toUtf8()));
}

void TestCli::embed_all_good_exits_zero() {
    auto r = cli({"embed", photo_a_, photo_b_});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 2);
    QVERIFY(r.lines[0].startsWith(photo_a_.toUtf8() + '\t'));
}

void TestCli::simd_paths_agree() {
    for (const QString model : {"mobilenet_v2", "mobilenet_v3_centernet"}) {
        auto scalar = cli({"embed", "--json", "--model", model, photo_a_}, "scalar");
        auto best = cli({"embed", "--json", "--model", model, photo_a_});
        QCOMPARE(scalar.code, 0);
        QCOMPARE(best.code, 0);
        const double c = cosine(embedding(QJsonDocument::fromJson(scalar.lines[0]).object()),
                                embedding(QJsonDocument::fromJson(best.lines[0]).object()));
        QVERIFY2(c >= 0.99999, qPrintable(model + QString(" cos %1").arg(c, 0, 'f', 7)));
    }
}

void TestCli::edits_stay_close() {
    // The same photo, downscaled and re-encoded as PNG, must be the nearest of all the sample
    // photos to the original, for every model.
    cv::Mat img = cv::imread(photo_a_.toStdString());
    cv::Mat small;
    cv::resize(img, small, cv::Size(), 0.3, 0.3, cv::INTER_AREA);
    const QString edited = dir_.filePath("aqua_small.png");
    QVERIFY(cv::imwrite(edited.toStdString(), small));
    QStringList others;
    for (const auto& f : QDir(kPhotos).entryList({"*.jpg"}, QDir::Files, QDir::Name))
        if (kPhotos + "/" + f != photo_a_) others << kPhotos + "/" + f;
    QVERIFY(others.size() >= 3);
    for (const QString model : {"mobilenet_v2", "mobilenet_v3_centernet"}) {
        auto r = cli(QStringList{"embed", "--json", "--model", model, photo_a_, edited} + others);
        QCOMPARE(r.code, 0);
        const auto a = embedding(QJsonDocument::fromJson(r.lines[0]).object());
        const double to_edit = cosine(a, embedding(QJsonDocument::fromJson(r.lines[1]).object()));
        double best_other = -1;
        for (int i = 2; i < r.lines.size(); ++i)
            best_other = std::max(best_other, cosine(a, embedding(QJsonDocument::fromJson(r.lines[i]).object())));
        qInfo("%s: cos(original, edited) %.4f, best other photo %.4f", qPrintable(model), to_edit, best_other);
        QVERIFY(to_edit > 0.95);
        QVERIFY(to_edit > best_other);
    }
}

void TestCli::odd_file_names() {
    // Not UTF-8 (Latin-1 bytes), spaces, a leading dash, quotes: embedded, and the JSON stays valid.
    const QByteArray names[] = {QByteArray("caf\xe9 photo.jpg"), QByteArray("-dash \"q\".jpg")};
    QFile src(photo_a_);
    src.open(QIODevice::ReadOnly);
    const QByteArray bytes = src.readAll();
    QStringList args = {"embed", "--json", "--"};
    for (const auto& n : names) {
        const QByteArray path = QFile::encodeName(dir_.path()) + "/" + n;
        QFile f(QFile::decodeName(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        args << QFile::decodeName(path);
    }
    auto r = cli(args);
    QCOMPARE(r.code, 0);
    QCOMPARE(r.lines.size(), 2);
    for (const auto& l : r.lines) {
        QJsonParseError err;
        const auto doc = QJsonDocument::fromJson(l, &err);
        QVERIFY2(err.error == QJsonParseError::NoError, l.left(200).constData());
        QVERIFY(doc.object()["dim"].toInt() > 0);
    }
}

void TestCli::unknown_model_is_a_usage_error() {
    auto r = cli({"embed", "--model", "no_such_model", photo_a_});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("no model named 'no_such_model'"));
}

void TestCli::library_numbers_are_parsed_whole() {
    // Parsed before the library is opened: a bad number is a usage error naming option and value;
    // a good one gets as far as the (missing) library.
    const QString lib = dir_.filePath("no-library-here");
    const QList<QPair<QString, QString>> bad = {
        {"-k", "1e3"},         {"-k", "5x"},          {"-k", "0"},           {"-k", "10001"},
        {"-k", ""},            {"-k", "-3"},          {"-k", " 5"},          {"-k", "99999999999999999999"},
        {"--threshold", "nan"}, {"--threshold", "inf"}, {"--threshold", "-0.1"}, {"--threshold", "1.5"},
        {"--threshold", "0.5x"}, {"--threshold", ""},  {"--threshold", "0,5"}};
    for (const auto& [opt, value] : bad) {
        const QStringList args = opt == "-k" ? QStringList{"search", "--library", lib, opt, value, photo_a_}
                                             : QStringList{"duplicates", "--library", lib, opt, value};
        auto r = cli(args);
        QVERIFY2(r.code == 2, qPrintable(opt + " " + value));
        QVERIFY2(r.err.contains((opt + " '" + value + "'").toUtf8()), r.err.constData());
    }
    for (const QStringList& args : {QStringList{"search", "--library", lib, "-k", "7", photo_a_},
                                    QStringList{"duplicates", "--library", lib, "--threshold", "0.75"},
                                    QStringList{"duplicates", "--library", lib, "--threshold", "1"}}) {
        auto r = cli(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no library at"), r.err.constData());
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
