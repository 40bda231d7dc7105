// RuVision model files (.rvm): a good file loads; damaged ones give a clear error, never a crash.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <iterator>

#include "ruvision/engine/Embedder.h"

namespace {

const std::string kModel = RUVISION_MODELS_DIR "/mobilenet_v2.rvm";

std::vector<char> read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string write_copy(const QTemporaryDir& dir, const char* name, const std::vector<char>& bytes) {
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

}  // namespace

class TestModelFile : public QObject {
    Q_OBJECT
private slots:
    void good_file_loads();
    void damaged_data();
    void damaged();
    void descriptor_specs();
    void bad_descriptor_is_refused();
};

void TestModelFile::good_file_loads() {
    auto e = rv::Embedder::open(kModel);
    QVERIFY2(e.ok(), e.ok() ? "" : e.error().message.c_str());
    QCOMPARE((*e)->model_name(), std::string("mobilenet_v2"));
    QCOMPARE((*e)->dim(), 576);  // default descriptor gem3:expand13 (block 13 expansion, 576 channels)
    auto classic = rv::Embedder::open(kModel, "nsfwjs");  // a named descriptor of the model: avg:last
    QVERIFY(classic.ok());
    QCOMPARE((*classic)->dim(), 1280);
}

void TestModelFile::damaged_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << "empty" << "too short";
    QTest::newRow("truncated") << "truncated" << "truncated";
    QTest::newRow("bad magic") << "magic" << "bad magic";
    QTest::newRow("newer version") << "version" << "format version 99";
    QTest::newRow("flipped weight byte") << "flip" << "checksum mismatch";
    QTest::newRow("flipped header byte") << "header" << "checksum mismatch";
    QTest::newRow("missing") << "missing" << "No such file";
}

void TestModelFile::damaged() {
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    auto bytes = read_all(kModel);
    QVERIFY(bytes.size() > 1000);
    if (kind == "empty") bytes.clear();
    if (kind == "truncated") bytes.resize(bytes.size() - 4096);
    if (kind == "magic") bytes[0] = 'X';
    if (kind == "version") bytes[8] = 99;
    if (kind == "flip") bytes[bytes.size() - 100] ^= 0x40;
    if (kind == "header") bytes[60] ^= 0x01;
    std::string path = write_copy(dir, "model.rvm", bytes);
    if (kind == "missing") path = dir.filePath("absent.rvm").toStdString();
    auto e = rv::Embedder::open(path);
    QVERIFY(!e.ok());
    const QString msg = QString::fromStdString(e.error().message);
    QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable(msg));
    QVERIFY2(msg.contains(reason), qPrintable(msg));
}

void TestModelFile::descriptor_specs() {
    auto d = rv::DescriptorSpec::parse("gem3:last+avg:expand13@224,native|flip");
    QVERIFY(d.ok());
    QCOMPARE(d->parts.size(), std::size_t(2));
    QCOMPARE(d->parts[0].p, 3.0f);
    QCOMPARE(d->sizes, (std::vector<int>{224, 0}));
    QVERIFY(d->flip);
    QCOMPARE(d->str(), std::string("gem3:last+avg:expand13@224,native|flip"));
    for (const char* bad : {"", "last", "foo:last", "gem0:last", "avg:last@9", "avg:last|spin", "avg:"})
        QVERIFY2(!rv::DescriptorSpec::parse(bad).ok(), bad);
}

void TestModelFile::bad_descriptor_is_refused() {
    auto e = rv::Embedder::open(kModel, "avg:no_such_node");
    QVERIFY(!e.ok());
    QVERIFY(QString::fromStdString(e.error().message).contains("no_such_node"));
    // MobileNetV2 here only runs at its native 224 x 224.
    e = rv::Embedder::open(kModel, "avg:last@320");
    QVERIFY(!e.ok());
}

QTEST_APPLESS_MAIN(TestModelFile)
#include "test_model_file.moc"
