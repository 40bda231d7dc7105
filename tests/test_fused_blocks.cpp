// MobileNet blocks run fused, band by band (nn/FusedBlocks.h), against the same network run node
// by node: both real models, every SIMD path this CPU runs, the native size and awkward sizes,
// default bands and one-row bands (every band edge a boundary). The kernels compute each output
// from the same values in the same order either way, so the outputs must be equal bit for bit.
#include <QtTest>

#include <cstring>
#include <random>

#include "model/ModelFile.h"
#include "nn/Network.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/kernels/kernels.h"

namespace {

std::vector<float> random_image(int h, int w, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(static_cast<std::size_t>(h) * w * 3);
    for (float& x : v) x = u(rng);
    return v;
}

}  // namespace

class TestFusedBlocks : public QObject {
    Q_OBJECT
private slots:
    void blocks_found_data();
    void blocks_found();
    void same_as_unfused_data();
    void same_as_unfused();
};

namespace {

std::shared_ptr<const rv::ModelFile> load(const QString& name) {
    auto m = rv::ModelFile::load((QStringLiteral(RUVISION_MODELS_DIR "/") + name + ".rvm").toStdString());
    if (!m) qFatal("cannot load %s: %s", qPrintable(name), m.error().message.c_str());
    return *m;
}

}  // namespace

void TestFusedBlocks::blocks_found_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("at_least");
    // MobileNetV2: 17 inverted residual blocks (the first without expansion). The centernet
    // MobileNetV3: 15 bottlenecks, some of which only band their expansion (squeeze-excite).
    QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 17;
    QTest::newRow("mobilenet_v3_centernet") << "mobilenet_v3_centernet" << 12;
}

void TestFusedBlocks::blocks_found() {
    QFETCH(QString, model);
    QFETCH(int, at_least);
    auto m = load(model);
    const auto& g = m->graph();
    const int out = g.find("last");
    QVERIFY(out >= 0);
    std::vector<bool> needed(g.nodes.size(), true);
    const auto blocks = rv::nn::find_fused_blocks(g, needed, {out});
    qInfo("%s: %zu fused blocks", qPrintable(model), blocks.size());
    QVERIFY(static_cast<int>(blocks.size()) >= at_least);
    // A wanted inner node is never inside a block.
    const auto inner = blocks.front().depthwise;
    for (const auto& b : rv::nn::find_fused_blocks(g, needed, {out, inner})) QVERIFY(b.last() == inner || b.depthwise != inner);
}

void TestFusedBlocks::same_as_unfused_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("h");
    QTest::addColumn<int>("w");
    QTest::addColumn<qulonglong>("band_bytes");
    for (const char* model : {"mobilenet_v2", "mobilenet_v3_centernet"}) {
        auto m = load(model);
        const int nh = m->preprocess().height, nw = m->preprocess().width;
        QTest::addRow("%s %dx%d", model, nw, nh) << model << nh << nw << qulonglong(rv::nn::kBandBytes);
        QTest::addRow("%s %dx%d one-row bands", model, nw, nh) << model << nh << nw << qulonglong(1);
        if (m->preprocess().any_size) {
            QTest::addRow("%s 131x97", model) << model << 97 << 131 << qulonglong(rv::nn::kBandBytes);
            QTest::addRow("%s 131x97 one-row bands", model) << model << 97 << 131 << qulonglong(1);
            QTest::addRow("%s 33x450 three-row bands", model) << model << 450 << 33 << qulonglong(3 * 33 * 4 * 96);
        }
    }
}

void TestFusedBlocks::same_as_unfused() {
    QFETCH(QString, model);
    QFETCH(int, h);
    QFETCH(int, w);
    QFETCH(qulonglong, band_bytes);
    auto m = load(model);
    const int out = m->graph().find("last");
    QVERIFY(out >= 0);
    const auto image = random_image(h, w, 7);
    for (auto isa : rv::kernels::available_isas()) {
        rv::Network fused(m), plain(m);
        fused.set_kernels(*rv::kernels::kernels_for(isa));
        plain.set_kernels(*rv::kernels::kernels_for(isa));
        fused.set_fusion(true, band_bytes);
        plain.set_fusion(false);
        for (int round = 0; round < 2; ++round) {  // the second run reuses the buffers
            auto a = fused.run(image.data(), h, w, {out});
            auto b = plain.run(image.data(), h, w, {out});
            QVERIFY2(a.ok() && b.ok(), a.ok() ? b.error().message.c_str() : a.error().message.c_str());
            const auto& ma = (*a)[0];
            const auto& mb = (*b)[0];
            QCOMPARE(ma.h, mb.h);
            QCOMPARE(ma.w, mb.w);
            QCOMPARE(ma.c, mb.c);
            const std::size_t n = static_cast<std::size_t>(ma.h) * ma.w * ma.c;
            std::size_t differ = 0;
            for (std::size_t i = 0; i < n; ++i) differ += std::memcmp(&ma.data[i], &mb.data[i], sizeof(float)) != 0;
            if (differ) qWarning("%s: %zu of %zu outputs differ", rv::kernels::isa_name(isa).data(), differ, n);
            QCOMPARE(differ, std::size_t(0));
        }
    }
}

QTEST_APPLESS_MAIN(TestFusedBlocks)
#include "test_fused_blocks.moc"
