// RuVision model files (.rvm): a good file loads; damaged ones give a clear error, never a crash,
// a hang or a silently wrong embedding.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include <sys/stat.h>

#include "model_file_util.h"
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

std::string write_bytes(const QTemporaryDir& dir, const std::string& name, const std::vector<std::uint8_t>& bytes) {
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
}

// A synthetic picture: gradients and a square, so every channel varies.
rv::RgbImage test_image(int w, int h) {
    rv::RgbImage img;
    img.width = w, img.height = h;
    img.data.resize(static_cast<std::size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            auto* p = &img.data[(static_cast<std::size_t>(y) * w + x) * 3];
            const bool square = x > w / 4 && x < w / 2 && y > h / 3 && y < 2 * h / 3;
            p[0] = static_cast<std::uint8_t>(255 * x / w);
            p[1] = static_cast<std::uint8_t>(255 * y / h);
            p[2] = square ? 250 : 20;
        }
    return img;
}

double norm(const std::vector<float>& v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    return std::sqrt(n);
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
    void tiny_model_embeds();
    void broken_models_data();
    void broken_models();
    void fifo_is_refused_at_once();
    void zero_embedding_is_an_error();
    void overflowing_descriptor_is_an_error();
    void input_too_small_is_an_error();
    void validation_cost();
    void write_fuzz_corpus();
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
    // Parsed whole, numbers in range: nothing after a number is ignored, no exponents, signs,
    // spaces, inf or nan; GeM from 1 to 16 (gem64 overflowed to NaN).
    for (const char* bad : {"gem64:expand13", "gem17:last", "gem0.5:last", "gem3e1:last", "geminf:last",
                            "gemnan:last", "gem-3:last", "gem3.:last", "gem.5:last", "gem 3:last", "avg:last@224x",
                            "avg:last@ 224", "avg:last@+224", "avg:last@224,224", "avg:last@0x100", "avg:last junk",
                            "avg:last|flip|flip", "avg:last@224@320", "avg:last@", "avg:last@224,", "avg:last+",
                            "+avg:last", "avg:last++max:last", "avg:la:st", "avg:last\n"})
        QVERIFY2(!rv::DescriptorSpec::parse(bad).ok(), bad);
    for (const char* good : {"gem:last", "gem1:last", "gem16:last", "gem2.5:last", "max:a/b_c@32,2048,native"})
        QVERIFY2(rv::DescriptorSpec::parse(good).ok(), good);
    auto err = rv::DescriptorSpec::parse("gem64:expand13");
    QVERIFY(QString::fromStdString(err.error().message).contains("gem64"));
    std::string many;
    for (int i = 0; i < 17; ++i) many += (i ? "+" : "") + std::string("avg:last");
    QVERIFY(!rv::DescriptorSpec::parse(many).ok());
}

void TestModelFile::bad_descriptor_is_refused() {
    auto e = rv::Embedder::open(kModel, "avg:no_such_node");
    QVERIFY(!e.ok());
    QVERIFY(QString::fromStdString(e.error().message).contains("no_such_node"));
    // MobileNetV2 here only runs at its native 224 x 224.
    e = rv::Embedder::open(kModel, "avg:last@320");
    QVERIFY(!e.ok());
}

void TestModelFile::tiny_model_embeds() {
    QTemporaryDir dir;
    const auto path = write_bytes(dir, "tiny.rvm", model_test::tiny_bytes());
    for (const char* descriptor : {"", "gem_add", "max:out+gem2.5:add|flip"}) {
        auto e = rv::Embedder::open(path, descriptor);
        QVERIFY2(e.ok(), e.ok() ? "" : e.error().message.c_str());
        QCOMPARE((*e)->dim(), descriptor[0] == 'm' ? 8 : 4);
        auto v = (*e)->embed(test_image(40, 30));
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
        QVERIFY(std::fabs(norm(*v) - 1.0) < 1e-4);
    }
    auto nodes = rv::model_nodes(path);
    QVERIFY(nodes.ok());
    QCOMPARE(nodes->size(), std::size_t(8));
    QCOMPARE((*nodes)[3].name, std::string("add"));
    QCOMPARE((*nodes)[3].h, 8);  // 16 x 16 input, stride 2
    QCOMPARE((*nodes)[7].aliases, std::vector<std::string>{"out"});
}

void TestModelFile::broken_models_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    for (const auto& b : model_test::broken_kinds()) QTest::newRow(b.kind) << b.kind << b.reason;
}

void TestModelFile::broken_models() {
    // Each file is broken in one way, most with a valid checksum, next to a good one: the broken
    // one is refused with its file and reason (by the header check when it can see it, always by
    // the full load), and the good one is unaffected.
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const auto good = write_bytes(dir, "good.rvm", model_test::tiny_bytes());
    const auto path = write_bytes(dir, "broken.rvm", model_test::make_broken(kind.toStdString()));
    auto e = rv::Embedder::open(path);
    QVERIFY(!e.ok());
    const QString msg = QString::fromStdString(e.error().message);
    QVERIFY2(msg.contains(QString::fromStdString(path)), qPrintable(msg));
    QVERIFY2(msg.contains(reason), qPrintable(msg));
    const bool data_only = kind == "checksum" || kind == "non_finite_weight";
    auto h = rv::ModelFile::inspect(path);
    QCOMPARE(h.ok(), data_only);
    if (!h.ok()) QVERIFY2(QString::fromStdString(h.error().message).contains(reason), h.error().message.c_str());
    auto g = rv::Embedder::open(good);
    QVERIFY(g.ok());
    QVERIFY((*g)->embed(test_image(20, 20)).ok());
}

void TestModelFile::fifo_is_refused_at_once() {
    // Opening a FIFO for reading waits for a writer: every command used to hang on one.
    QTemporaryDir dir;
    const std::string path = dir.filePath("x.rvm").toStdString();
    QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    auto h = rv::ModelFile::inspect(path);
    QVERIFY(!h.ok());
    QVERIFY2(QString::fromStdString(h.error().message).contains("not a regular file"), h.error().message.c_str());
    auto e = rv::Embedder::open(path);
    QVERIFY(!e.ok());
    QVERIFY(QString::fromStdString(e.error().message).contains("not a regular file"));
}

void TestModelFile::zero_embedding_is_an_error() {
    // A network that outputs zeros everywhere used to give an all-zero "embedding" reported as ok.
    QTemporaryDir dir;
    model_test::TinyOptions o;
    o.weight_scale = 0.0f;
    auto e = rv::Embedder::open(write_bytes(dir, "zero.rvm", model_test::tiny_bytes(o)));
    QVERIFY(e.ok());
    auto v = (*e)->embed(test_image(20, 20));
    QVERIFY(!v.ok());
    QVERIFY2(QString::fromStdString(v.error().message).contains("all-zero"), v.error().message.c_str());
}

void TestModelFile::overflowing_descriptor_is_an_error() {
    // Finite weights, activations that overflow float in GeM: NaN / infinity, never returned.
    QTemporaryDir dir;
    model_test::TinyOptions o;
    o.weight_scale = 1e18f;
    const auto path = write_bytes(dir, "huge.rvm", model_test::tiny_bytes(o));
    auto e = rv::Embedder::open(path, "gem3:add");
    QVERIFY(e.ok());
    auto v = (*e)->embed(test_image(20, 20));
    QVERIFY(!v.ok());
    QVERIFY2(QString::fromStdString(v.error().message).contains("non-finite"), v.error().message.c_str());
}

void TestModelFile::input_too_small_is_an_error() {
    // Runs at its native 64 x 64 (checked statically at load), but a 48 x 48 kernel without padding
    // cannot run at 32: the error used to be swallowed and the image got a zero vector.
    QTemporaryDir dir;
    model_test::TinyOptions o;
    o.any_size = true;
    o.native = 64;
    o.big_kernel = 48;
    const auto path = write_bytes(dir, "any.rvm", model_test::tiny_bytes(o));
    auto native = rv::Embedder::open(path);
    QVERIFY2(native.ok(), native.ok() ? "" : native.error().message.c_str());
    QVERIFY((*native)->embed(test_image(80, 64)).ok());
    auto small = rv::Embedder::open(path, "avg:last@32");
    QVERIFY(small.ok());
    auto v = (*small)->embed(test_image(80, 64));
    QVERIFY(!v.ok());
    QVERIFY2(QString::fromStdString(v.error().message).contains("too small"), v.error().message.c_str());
    // Too small at the native size itself: refused when the model is opened.
    o.native = 40;  // 40 - 48 < 0
    auto refused = rv::Embedder::open(write_bytes(dir, "never.rvm", model_test::tiny_bytes(o)));
    QVERIFY(!refused.ok());
    QVERIFY(QString::fromStdString(refused.error().message).contains("too small"));
}

void TestModelFile::validation_cost() {
    // Figures for the README (printed, never asserted): full validation per model open, and the
    // header-only check every command makes for every installed model.
    for (const char* name : {"mobilenet_v2", "mobilenet_v3_centernet"}) {
        const std::string path = std::string(RUVISION_MODELS_DIR "/") + name + ".rvm";
        std::vector<double> load_ms, inspect_ms;
        for (int i = 0; i < 15; ++i) {
            QElapsedTimer t;
            t.start();
            auto m = rv::ModelFile::load(path);
            load_ms.push_back(t.nsecsElapsed() / 1e6);
            QVERIFY(m.ok());
            t.start();
            auto h = rv::ModelFile::inspect(path);
            inspect_ms.push_back(t.nsecsElapsed() / 1e6);
            QVERIFY(h.ok());
        }
        std::sort(load_ms.begin(), load_ms.end());
        std::sort(inspect_ms.begin(), inspect_ms.end());
        qInfo("%s: ModelFile::load (read, checksum, full validation) median %.2f ms; inspect (header, graph, "
              "shapes) median %.2f ms",
              name, load_ms[load_ms.size() / 2], inspect_ms[inspect_ms.size() / 2]);
    }
}

void TestModelFile::write_fuzz_corpus() {
    // RUVISION_WRITE_MODEL_CORPUS=DIR writes the fuzz seeds (tests/fuzz/corpus/model_file): the
    // tiny valid models and each broken kind.
    const QByteArray dir = qgetenv("RUVISION_WRITE_MODEL_CORPUS");
    if (dir.isEmpty()) QSKIP("set RUVISION_WRITE_MODEL_CORPUS=DIR to write the fuzz seed corpus");
    auto put = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
        std::ofstream f(dir.toStdString() + "/" + name, std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        QVERIFY(f.good());
    };
    put("valid_tiny.rvm", model_test::tiny_bytes());
    model_test::TinyOptions any;
    any.any_size = true;
    any.native = 64;
    any.big_kernel = 5;
    put("valid_any_size.rvm", model_test::tiny_bytes(any));
    for (const auto& b : model_test::broken_kinds()) put(std::string("broken_") + b.kind + ".rvm", model_test::make_broken(b.kind));
}

QTEST_APPLESS_MAIN(TestModelFile)
#include "test_model_file.moc"
