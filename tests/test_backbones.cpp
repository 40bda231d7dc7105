// The design's other backbones (tests/support/backbones.h: MobileNetV3-Small, ShuffleNetV2 1.0 and
// EfficientNet-B0 with seeded random weights) run by us and by ONNX Runtime 1.30 on our exported file, on one
// seeded input: the logits agree (cosine >= 0.9999, max |difference| <= 1e-3 of the largest
// logit, and the difference between two inputs' logits at cosine >= 0.999), on every SIMD path
// this CPU runs and with fused blocks on and off. The build is
// deterministic (one seed, one file image) and a model file like any other (it loads, validates,
// exports), and the export read back by our ONNX importer runs as the original. The self-check:
// the same architecture with other weights is found apart.
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "backbones.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "onnx/OnnxCommon.h"
#include "onnx_import_run.h"
#include "ort_runner.h"
#include "ruvision/engine/OnnxExport.h"
#include "ruvision/kernels/kernels.h"

namespace {

using rv_test::compare;

constexpr int kSide = 224;

// A preprocessed input: values in [-1, 1] as the models' preprocessing gives, NHWC.
std::vector<float> seeded_input(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(std::size_t(kSide) * kSide * 3);
    for (float& v : x) v = u(rng);
    return x;
}

std::vector<float> difference(const std::vector<float>& a, const std::vector<float>& b) {
    std::vector<float> d(a.size());
    if (a.size() != b.size()) return {};
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
    return d;
}

}  // namespace

class TestBackbones : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void build_is_deterministic();
    void unknown_name_is_refused();
    void onnx_runtime_agrees_data();
    void onnx_runtime_agrees();
    void symbolic_size_export_agrees();

private:
    // Our logits for `input` on one kernel table, fused blocks on or off.
    static std::vector<float> ours(const std::shared_ptr<const rv::ModelFile>& model, const std::vector<float>& input,
                                   const rv::kernels::KernelTable& k, bool fused);

    QTemporaryDir tmp_;
    rv_test::OrtRunner ort_{QString()};
    std::map<std::string, std::shared_ptr<const rv::ModelFile>> models_;
};

void TestBackbones::initTestCase() {
    QVERIFY(tmp_.isValid());
    ort_ = rv_test::OrtRunner(tmp_.path());
    const QString missing = ort_.missing();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    for (const auto& name : rv::backbones::names()) {
        auto m = rv::backbones::build(name, 7);
        QVERIFY2(m, name.c_str());
        const auto path = tmp_.filePath(QString::fromStdString(name) + ".rvm").toStdString();
        auto st = rv::write_model_file(path, *m);
        QVERIFY2(st, st ? "" : st.error().message.c_str());
        auto loaded = rv::ModelFile::load(path);
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        models_[name] = *loaded;
    }
}

void TestBackbones::build_is_deterministic() {
    for (const auto& name : rv::backbones::names()) {
        const auto a = rv::model_file_bytes(*rv::backbones::build(name, 7));
        const auto b = rv::model_file_bytes(*rv::backbones::build(name, 7));
        const auto c = rv::model_file_bytes(*rv::backbones::build(name, 8));
        QVERIFY2(a == b, name.c_str());
        QVERIFY2(a != c, name.c_str());
    }
    // The published sizes (torchvision): MobileNetV3-Small 2.54 M parameters, ShuffleNetV2 1.0
    // 2.28 M, EfficientNet-B0 5.29 M.
    const std::map<std::string, std::pair<double, double>> params{{"mobilenet_v3_small", {2.50e6, 2.58e6}},
                                                                  {"shufflenet_v2", {2.24e6, 2.32e6}},
                                                                  {"efficientnet_b0", {5.22e6, 5.36e6}}};
    for (const auto& [name, range] : params) {
        const auto model = rv::backbones::build(name, 7);
        double n = 0;
        for (const auto& [tensor, t] : model->tensors) n += double(t.data.size());
        QVERIFY2(n >= range.first && n <= range.second, qPrintable(QString("%1: %2 parameters").arg(name.c_str()).arg(n)));
    }
}

void TestBackbones::unknown_name_is_refused() {
    auto m = rv::backbones::build("resnet50", 7);
    QVERIFY(!m);
    QVERIFY(m.error().message.find("resnet50") != std::string::npos);
}

std::vector<float> TestBackbones::ours(const std::shared_ptr<const rv::ModelFile>& model, const std::vector<float>& input,
                                       const rv::kernels::KernelTable& k, bool fused) {
    rv::Network net(model);
    net.set_kernels(k);
    net.set_fusion(fused);
    const int last = model->graph().find("last");
    auto maps = net.run(input.data(), kSide, kSide, {last});
    if (!maps) {
        qWarning("%s", maps.error().message.c_str());
        return {};
    }
    const auto& m = (*maps)[0];
    return std::vector<float>(m.data, m.data + std::size_t(m.h) * m.w * m.c);
}

void TestBackbones::onnx_runtime_agrees_data() {
    QTest::addColumn<QString>("name");
    for (const auto& name : rv::backbones::names()) QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestBackbones::onnx_runtime_agrees() {
    QFETCH(QString, name);
    const std::string n = name.toStdString();
    const QString onnx = tmp_.filePath(name + ".onnx");
    rv::OnnxExportOptions eo;
    eo.outputs = {"last"};
    eo.default_outputs = false;
    auto exported = rv::export_onnx(tmp_.filePath(name + ".rvm").toStdString(), onnx.toStdString(), eo);
    QVERIFY2(exported, exported ? "" : exported.error().message.c_str());

    // Random weights leave logits that depend little on the input (two inputs' logits have a
    // cosine near 0.999), so the input-dependent part is compared too: the difference between two
    // inputs' logits, ours against ONNX Runtime's.
    const std::vector<float> inputs[2] = {seeded_input(11), seeded_input(12)};
    std::vector<float> ref[2];
    for (int k = 0; k < 2; ++k) {
        std::vector<float> nchw(inputs[k].size());
        rv::onnx_io::nhwc_to_nchw(inputs[k].data(), kSide, kSide, 3, nchw.data());
        QString why;
        auto out = ort_.run(onnx, nchw, 3, kSide, kSide, &why);
        QVERIFY2(out.size() == 1, qPrintable(why));
        ref[k] = out.begin()->second;
        QCOMPARE(ref[k].size(), std::size_t(1000));
    }
    const auto ref_diff = difference(ref[0], ref[1]);

    for (auto isa : rv::kernels::available_isas()) {
        for (bool fused : {true, false}) {
            const auto& k = *rv::kernels::kernels_for(isa);
            const auto mine = ours(models_.at(n), inputs[0], k, fused);
            const auto a = compare(mine, ref[0]);
            const auto d = compare(difference(mine, ours(models_.at(n), inputs[1], k, fused)), ref_diff);
            const QString row = QString("%1 %2 %3: 1 - cosine %4, max |diff| %5 (largest logit %6); "
                                        "difference of two inputs: 1 - cosine %7")
                                    .arg(name, QString::fromUtf8(rv::kernels::isa_name(isa).data()),
                                         fused ? "fused" : "node by node")
                                    .arg(1.0 - a.cosine, 0, 'g', 3)
                                    .arg(a.max_abs, 0, 'g', 3)
                                    .arg(a.max_ref, 0, 'g', 3)
                                    .arg(1.0 - d.cosine, 0, 'g', 3);
            qInfo("%s", qPrintable(row));
            QVERIFY2(a.cosine >= 0.9999, qPrintable(row));
            QVERIFY2(a.max_abs <= 1e-3 * std::max(1.0, a.max_ref), qPrintable(row));
            QVERIFY2(d.cosine >= 0.999, qPrintable(row));
        }
    }
    // The export read back by our ONNX importer runs as the original does.
    QFile file(onnx);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const std::string bytes = file.readAll().toStdString();
    std::vector<float> back[2];
    for (int k = 0; k < 2; ++k) {
        auto got = rv_test::import_and_run(bytes, "last", inputs[k], kSide, kSide);
        QVERIFY2(got, got ? "" : got.error().message.c_str());
        back[k] = *got;
    }
    const auto& best = rv::kernels::kernels();
    const auto mine = ours(models_.at(n), inputs[0], best, true);
    const auto round_trip = compare(back[0], mine);
    const auto round_trip_diff = compare(difference(back[0], back[1]), difference(mine, ours(models_.at(n), inputs[1], best, true)));
    qInfo("%s imported back: 1 - cosine %g, max |diff| %g; difference of two inputs: 1 - cosine %g", n.c_str(),
          1.0 - round_trip.cosine, round_trip.max_abs, 1.0 - round_trip_diff.cosine);
    QVERIFY(round_trip.cosine >= 0.9999 && round_trip.max_abs <= 1e-3 * std::max(1.0, round_trip.max_ref));
    QVERIFY(round_trip_diff.cosine >= 0.999);

    // The self-check: the same architecture with other weights (seed 8) gives another difference.
    auto other = rv::backbones::build(n, 8);
    QVERIFY(other);
    const auto path = tmp_.filePath(name + "_seed8.rvm").toStdString();
    QVERIFY(rv::write_model_file(path, *other));
    auto loaded = rv::ModelFile::load(path);
    QVERIFY(loaded);
    const auto apart =
        compare(difference(ours(*loaded, inputs[0], best, true), ours(*loaded, inputs[1], best, true)), ref_diff);
    QVERIFY2(apart.cosine < 0.9, qPrintable(QString("other weights' difference: cosine %1").arg(apart.cosine)));
}

// A fully convolutional ShuffleNetV2 (any input size) is exported with symbolic height and width:
// the channel shuffle then takes its shape from its input. ONNX Runtime runs that one file at two
// sizes, and agrees with us at both.
void TestBackbones::symbolic_size_export_agrees() {
    auto m = rv::backbones::build("shufflenet_v2", 7);
    QVERIFY(m);
    m->preprocess.any_size = true;
    const QString rvm = tmp_.filePath("shufflenet_any.rvm"), onnx = tmp_.filePath("shufflenet_any.onnx");
    QVERIFY(rv::write_model_file(rvm.toStdString(), *m));
    auto model = rv::ModelFile::load(rvm.toStdString());
    QVERIFY2(model, model ? "" : model.error().message.c_str());
    rv::OnnxExportOptions eo;
    eo.outputs = {"last"};
    eo.default_outputs = false;
    auto exported = rv::export_onnx(rvm.toStdString(), onnx.toStdString(), eo);
    QVERIFY2(exported, exported ? "" : exported.error().message.c_str());
    QCOMPARE(exported->input_shape, (std::vector<long long>{1, 3, -1, -1}));
    for (auto [h, w] : {std::pair{224, 224}, std::pair{160, 288}}) {
        std::mt19937 rng(h * 1000 + w);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        std::vector<float> input(std::size_t(h) * w * 3), nchw(input.size());
        for (float& v : input) v = u(rng);
        rv::onnx_io::nhwc_to_nchw(input.data(), h, w, 3, nchw.data());
        QString why;
        auto ref = ort_.run(onnx, nchw, 3, h, w, &why);
        QVERIFY2(ref.size() == 1, qPrintable(why));
        rv::Network net(*model);
        auto maps = net.run(input.data(), h, w, {(*model)->graph().find("last")});
        QVERIFY2(maps, maps ? "" : maps.error().message.c_str());
        const auto& map = (*maps)[0];
        const auto a = compare(std::vector<float>(map.data, map.data + std::size_t(map.h) * map.w * map.c),
                               ref.begin()->second);
        qInfo("%dx%d: 1 - cosine %g, max |diff| %g (largest logit %g)", w, h, 1.0 - a.cosine, a.max_abs, a.max_ref);
        QVERIFY(a.cosine >= 0.9999 && a.max_abs <= 1e-3 * std::max(1.0, a.max_ref));
    }
}

QTEST_GUILESS_MAIN(TestBackbones)
#include "test_backbones.moc"
