// `export-onnx`: our two real models written as ONNX and run by two independent runtimes on the
// same preprocessed input as our Network: OpenCV DNN in this process, ONNX Runtime 1.30 through
// node (packaging/models/ort_run.cjs). The inputs are the parity test's real photos
// (tests/data/golden: RGB8 at the model's input size), including 256x192 and 249x189 for the
// any-size model, exported once with symbolic height and width and once at a fixed 249x189
// (explicit pads computed for that size).
//
// Tolerance: cosine >= 0.9999 per output map and max |ours - peer| <= 1e-3 * max(1, max |peer|).
// All three compute the same float32 network in a different order (blocked sums, FMA, Winograd
// or im2col); differences grow through ~50 layers (the TF.js parity test measured 6e-5 relative).
// A transposed weight, a pad on the wrong side or a missing out_scale gives cosines far below
// (the self-check row: another photo's output against ours scores below 0.99).
// The windowed average pool, which neither real model holds, is exported from a network built
// here (avg_pools_agree).
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <map>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "import/OnnxProto.h"
#include "model/ModelFile.h"
#include "model_file_util.h"
#include "nn/Network.h"
#include "onnx/OnnxCommon.h"
#include "onnx/OnnxExport.h"
#include "onnx/OpenCvCompat.h"
#include "ort_runner.h"
#include "raw_files.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/OnnxExport.h"

namespace {

using rv_test::Agreement;
using rv_test::compare;
using rv_test::read_file;

// Our map of one node, NCHW (as ONNX outputs are).
std::vector<float> ours_nchw(rv::Embedder& e, const std::vector<float>& nhwc, int h, int w, const std::string& node) {
    int oh = 0, ow = 0, oc = 0;
    auto m = e.node_map(nhwc.data(), h, w, node, &oh, &ow, &oc);
    if (!m) return {};
    std::vector<float> out(m->size());
    rv::onnx_io::nhwc_to_nchw(m->data(), oh, ow, oc, out.data());
    return out;
}

// OpenCV DNN's outputs, one thread, in this process, in the order of the graph's outputs, for
// `nchw` (1 x 3 x h x w). Its 4.6 reader wants Clip's bounds as attributes.
rv::Result<std::vector<std::vector<float>>> opencv_run(const onnx::ModelProto& proto, std::vector<float>& nchw, int h,
                                                       int w) {
    auto bytes = rv::onnx_io::for_opencv_dnn46(proto);
    if (!bytes) return bytes.error();
    std::vector<cv::String> names;
    for (const auto& o : proto.graph().output()) names.push_back(o.name());
    std::vector<cv::Mat> outs;
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes->data(), bytes->size());
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        const int blob_dims[4] = {1, 3, h, w};
        net.setInput(cv::Mat(4, blob_dims, CV_32F, nchw.data()));
        net.forward(outs, names);
    } catch (const cv::Exception& e) {
        return rv::Error{std::string("OpenCV DNN cannot run it: ") + e.what()};
    }
    std::vector<std::vector<float>> result;
    for (const cv::Mat& m : outs) {
        if (!m.isContinuous()) return rv::Error{"OpenCV DNN gave a non-continuous output"};
        result.emplace_back(m.ptr<float>(), m.ptr<float>() + m.total());
    }
    return result;
}

}  // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void layouts_convert_both_ways();
    void exported_file_is_valid_onnx();
    void peers_agree_data();
    void peers_agree();
    void comparison_detects_a_different_output();
    void avg_pools_agree_data();
    void avg_pools_agree();
    void errors_name_the_cause();
    void cli_export();

private:
    // Exports once per (model, fixed size); returns the .onnx path.
    QString exported(const QString& model, int w, int h);

    QTemporaryDir tmp_;
    rv_test::OrtRunner ort_{QString()};
    QJsonArray cases_;
    std::map<QString, QString> exported_;
};

void TestOnnxExport::initTestCase() {
    QVERIFY(tmp_.isValid());
    const auto doc = QJsonDocument::fromJson(read_file(QStringLiteral(RUVISION_TEST_DATA "/golden/golden.json")));
    QVERIFY2(doc.isObject(), "tests/data/golden/golden.json missing or invalid");
    cases_ = doc.object()["cases"].toArray();
    QVERIFY(cases_.size() >= 10);
    ort_ = rv_test::OrtRunner(tmp_.path());
    const QString missing = ort_.missing();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    cv::setNumThreads(1);
}

QString TestOnnxExport::exported(const QString& model, int w, int h) {
    const QString key = model + QString("@%1x%2").arg(w).arg(h);
    if (auto it = exported_.find(key); it != exported_.end()) return it->second;
    const QString out = tmp_.filePath(model + QString("_%1x%2.onnx").arg(w).arg(h));
    rv::OnnxExportOptions opt;
    opt.width = w, opt.height = h;
    auto s = rv::export_onnx((QStringLiteral(RUVISION_MODELS_DIR "/") + model + ".rvm").toStdString(), out.toStdString(), opt);
    if (!s) {
        qWarning("%s", s.error().message.c_str());
        return {};
    }
    exported_[key] = out;
    return out;
}

void TestOnnxExport::layouts_convert_both_ways() {
    // Element by element against the definitions in OnnxCommon.h, on awkward sizes, and the
    // inverses (what the importer will use) give the original back.
    const int kh = 3, kw = 5, ci = 13, co = 17;
    std::vector<float> hwio(kh * kw * ci * co), oihw(hwio.size()), back(hwio.size());
    for (std::size_t i = 0; i < hwio.size(); ++i) hwio[i] = float(i) * 0.5f - 7.0f;
    rv::onnx_io::hwio_to_oihw(hwio.data(), kh, kw, ci, co, oihw.data());
    for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x)
            for (int i = 0; i < ci; ++i)
                for (int o = 0; o < co; ++o)
                    QCOMPARE(oihw[((o * ci + i) * kh + y) * kw + x], hwio[((y * kw + x) * ci + i) * co + o]);
    rv::onnx_io::oihw_to_hwio(oihw.data(), co, ci, kh, kw, back.data());
    QCOMPARE(back, hwio);

    std::vector<float> dw(kh * kw * co), c1hw(dw.size()), dw_back(dw.size());
    for (std::size_t i = 0; i < dw.size(); ++i) dw[i] = float(i) + 0.25f;
    rv::onnx_io::depthwise_hwc_to_c1hw(dw.data(), kh, kw, co, c1hw.data());
    for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x)
            for (int c = 0; c < co; ++c) QCOMPARE(c1hw[(c * kh + y) * kw + x], dw[(y * kw + x) * co + c]);
    rv::onnx_io::depthwise_c1hw_to_hwc(c1hw.data(), co, kh, kw, dw_back.data());
    QCOMPARE(dw_back, dw);

    const int h = 7, w = 1, c = 13;
    std::vector<float> nhwc(h * w * c), nchw(nhwc.size()), nhwc_back(nhwc.size());
    for (std::size_t i = 0; i < nhwc.size(); ++i) nhwc[i] = float(i);
    rv::onnx_io::nhwc_to_nchw(nhwc.data(), h, w, c, nchw.data());
    for (int y = 0; y < h; ++y)
        for (int k = 0; k < c; ++k) QCOMPARE(nchw[(k * h + y) * w], nhwc[(y * w) * c + k]);
    rv::onnx_io::nchw_to_nhwc(nchw.data(), c, h, w, nhwc_back.data());
    QCOMPARE(nhwc_back, nhwc);
}

void TestOnnxExport::exported_file_is_valid_onnx() {
    // Read back with the protobuf classes, and ONNX's checker with strict shape inference.
    for (const char* model : {"mobilenet_v2", "mobilenet_v3_centernet"}) {
        const QString path = exported(model, 0, 0);
        QVERIFY2(!path.isEmpty(), model);
        auto proto = rv::onnx_io::read_model(path.toStdString());
        QVERIFY2(proto.ok(), proto.ok() ? "" : proto.error().message.c_str());
        auto st = rv::onnx_io::check_model(*proto);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().message.c_str());
        QCOMPARE(proto->opset_import(0).version(), rv::onnx_io::kOpsetVersion);
        const auto& in = proto->graph().input(0);
        QCOMPARE(in.name(), std::string("input"));
        const auto& dims = in.type().tensor_type().shape().dim();
        QCOMPARE(dims.size(), 4);
        QCOMPARE(dims[1].dim_value(), 3);
        if (std::string(model) == "mobilenet_v2") {
            QCOMPARE(dims[2].dim_value(), 224);  // a fixed-size model keeps its size
            QCOMPARE(dims[3].dim_value(), 224);
        } else {
            QCOMPARE(dims[2].dim_param(), std::string("height"));  // any size: symbolic
            QCOMPARE(dims[3].dim_param(), std::string("width"));
        }
        // Default outputs: the default descriptor's node (by its alias), then "last".
        std::vector<std::string> outs;
        for (const auto& o : proto->graph().output()) outs.push_back(o.name());
        const std::vector<std::string> want = std::string(model) == "mobilenet_v2"
                                                  ? std::vector<std::string>{"expand13", "last"}
                                                  : std::vector<std::string>{"c11", "last"};
        QCOMPARE(outs, want);
        // Every convolution's weights are OIHW initialisers of the sizes the graph needs.
        int convs = 0;
        for (const auto& n : proto->graph().node()) convs += n.op_type() == "Conv";
        QVERIFY(convs > 40);
    }
}

void TestOnnxExport::peers_agree_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("export_w");
    QTest::addColumn<int>("export_h");
    for (int i = 0; i < cases_.size(); ++i) {
        const auto c = cases_[i].toObject();
        const QString name = c["model"].toString() + "/" + c["input"].toString();
        QTest::newRow(qPrintable(name)) << i << 0 << 0;
        // The awkward size again, from an export fixed at that size (explicit pads, not auto_pad).
        if (c["width"].toInt() == 249)
            QTest::newRow(qPrintable(name + " fixed-size export")) << i << c["width"].toInt() << c["height"].toInt();
    }
}

void TestOnnxExport::peers_agree() {
    QFETCH(int, index);
    QFETCH(int, export_w);
    QFETCH(int, export_h);
    const auto c = cases_[index].toObject();
    const QString model = c["model"].toString();
    const QString onnx = exported(model, export_w, export_h);
    QVERIFY2(!onnx.isEmpty(), "export failed (see the warning)");
    auto embedder = rv::Embedder::open((QStringLiteral(RUVISION_MODELS_DIR "/") + model + ".rvm").toStdString());
    QVERIFY2(embedder.ok(), embedder.ok() ? "" : embedder.error().message.c_str());

    const int w = c["width"].toInt(), h = c["height"].toInt();
    const QByteArray rgb = read_file(QStringLiteral(RUVISION_TEST_DATA "/golden/") + c["input"].toString());
    QCOMPARE(rgb.size(), w * h * 3);
    // Exactly what the parity test feeds: float(pixel) / divide_by, NHWC for us, NCHW for ONNX.
    const float divide_by = float(c["divide_by"].toDouble());
    std::vector<float> nhwc(rgb.size()), nchw(rgb.size());
    for (int i = 0; i < rgb.size(); ++i) nhwc[i] = float(static_cast<unsigned char>(rgb[i])) / divide_by;
    rv::onnx_io::nhwc_to_nchw(nhwc.data(), h, w, 3, nchw.data());

    auto proto = rv::onnx_io::read_model(onnx.toStdString());
    QVERIFY(proto.ok());
    auto model_file = rv::ModelFile::load((QStringLiteral(RUVISION_MODELS_DIR "/") + model + ".rvm").toStdString());
    QVERIFY(model_file.ok());

    auto cv_outs = opencv_run(*proto, nchw, h, w);
    QVERIFY2(cv_outs, cv_outs ? "" : qPrintable(onnx + ": " + QString::fromStdString(cv_outs.error().message)));
    std::vector<std::string> names;
    for (const auto& o : proto->graph().output()) names.push_back(o.name());
    QCOMPARE(cv_outs->size(), names.size());

    QString why;
    auto ort = ort_.run(onnx, nchw, 3, h, w, &why);
    QVERIFY2(!ort.empty(), qPrintable(why));

    for (std::size_t k = 0; k < names.size(); ++k) {
        const std::string name = names[k];
        const int node = model_file->get()->graph().find(name);
        QVERIFY2(node > 0, name.c_str());
        const auto ours = ours_nchw(**embedder, nhwc, h, w, model_file->get()->graph().nodes[node].name);
        QVERIFY2(!ours.empty(), name.c_str());
        const std::vector<float>& opencv = (*cv_outs)[k];
        struct Peer {
            const char* name;
            const std::vector<float>* out;
        };
        for (const Peer& pr : {Peer{"OpenCV DNN", &opencv}, Peer{"ONNX Runtime", &ort[name]}}) {
            const char* peer = pr.name;
            const std::vector<float>* ref = pr.out;
            QVERIFY2(ref->size() == ours.size(),
                     qPrintable(QString("%1 %2: %3 values, ours %4").arg(peer).arg(name.c_str()).arg(ref->size()).arg(ours.size())));
            const Agreement a = compare(ours, *ref);
            qInfo("%s %dx%d %s vs %s: cosine %.8f (1 - cosine %.1e), max |diff| %.3g (max |ref| %.3g)",
                  qPrintable(model), w, h, name.c_str(), peer, a.cosine, 1.0 - a.cosine, a.max_abs, a.max_ref);
            QVERIFY2(a.cosine >= 0.9999, qPrintable(QString("%1 %2: cosine %3").arg(peer).arg(name.c_str()).arg(a.cosine, 0, 'f', 8)));
            QVERIFY2(a.max_abs <= 1e-3 * std::max(1.0, a.max_ref),
                     qPrintable(QString("%1 %2: max |diff| %3").arg(peer).arg(name.c_str()).arg(a.max_abs)));
        }
    }
}

void TestOnnxExport::comparison_detects_a_different_output() {
    // The bound means something: ONNX Runtime's output for another photo does not pass it.
    const QString onnx = exported("mobilenet_v2", 0, 0);
    QVERIFY(!onnx.isEmpty());
    auto embedder = rv::Embedder::open(QStringLiteral(RUVISION_MODELS_DIR "/mobilenet_v2.rvm").toStdString());
    QVERIFY(embedder.ok());
    std::vector<std::vector<float>> nhwc(2), nchw(2);
    const char* files[2] = {"mate_aqua_224x224.rgb", "plasma_autumn_224x224.rgb"};
    for (int i = 0; i < 2; ++i) {
        const QByteArray rgb = read_file(QStringLiteral(RUVISION_TEST_DATA "/golden/") + files[i]);
        QCOMPARE(rgb.size(), 224 * 224 * 3);
        nhwc[i].resize(rgb.size());
        nchw[i].resize(rgb.size());
        for (int k = 0; k < rgb.size(); ++k) nhwc[i][k] = float(static_cast<unsigned char>(rgb[k])) / 255.0f;
        rv::onnx_io::nhwc_to_nchw(nhwc[i].data(), 224, 224, 3, nchw[i].data());
    }
    QString why;
    auto other = ort_.run(onnx, nchw[1], 3, 224, 224, &why);
    QVERIFY2(!other.empty(), qPrintable(why));
    const auto ours = ours_nchw(**embedder, nhwc[0], 224, 224, "out_relu");
    const Agreement a = compare(ours, other["last"]);
    qInfo("ours on aqua vs ONNX Runtime on autumn: cosine %.4f", a.cosine);
    QVERIFY(a.cosine < 0.99);
}

// AvgPool (count_include_pad 0 and 1; asymmetric explicit pads and TF "same") has no real model to
// ride in: model_test::avg_pool_model's pools, exported with a symbolic size (auto_pad SAME_UPPER)
// and fixed at 29x17 (explicit pads computed for it), run by both peers against our Network on a
// seeded input. Three float32 layers and three pools: 1e-5 of the largest value covers their
// rounding; a window divided by the wrong count is off by a third of a value or more.
void TestOnnxExport::avg_pools_agree_data() {
    QTest::addColumn<int>("export_w");
    QTest::addColumn<int>("export_h");
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("h");
    QTest::newRow("symbolic size, run at 29x17") << 0 << 0 << 29 << 17;
    QTest::newRow("symbolic size, run at 13x7") << 0 << 0 << 13 << 7;
    QTest::newRow("fixed at 29x17") << 29 << 17 << 29 << 17;
}

void TestOnnxExport::avg_pools_agree() {
    QFETCH(int, export_w);
    QFETCH(int, export_h);
    QFETCH(int, w);
    QFETCH(int, h);
    const std::string rvm = tmp_.filePath("avg_pools.rvm").toStdString();
    const QString onnx = tmp_.filePath(QString("avg_pools_%1x%2.onnx").arg(export_w).arg(export_h));
    QVERIFY(rv::write_model_file(rvm, model_test::avg_pool_model()));
    rv::OnnxExportOptions opt;
    opt.outputs = {"pool_a", "pool_b", "pool_c", "last"};
    opt.default_outputs = false;
    opt.width = export_w, opt.height = export_h;
    auto exported = rv::export_onnx(rvm, onnx.toStdString(), opt);
    QVERIFY2(exported, exported ? "" : exported.error().message.c_str());
    auto proto = rv::onnx_io::read_model(onnx.toStdString());
    QVERIFY(proto.ok());
    int pools = 0, counting_pads = 0;
    for (const auto& n : proto->graph().node())
        if (n.op_type() == "AveragePool") ++pools, counting_pads += rv::onnx_proto::attr_int(n, "count_include_pad", 0);
    QCOMPARE(pools, 3);
    QCOMPARE(counting_pads, 2);  // pool_a, pool_c

    std::vector<float> nhwc(std::size_t(h) * w * 3), nchw(nhwc.size());
    std::uint32_t seed = 31;
    for (float& v : nhwc) {
        seed = seed * 1664525u + 1013904223u;
        v = static_cast<float>(seed >> 8) / 8388608.0f - 1.0f;
    }
    rv::onnx_io::nhwc_to_nchw(nhwc.data(), h, w, 3, nchw.data());
    auto model = rv::ModelFile::load(rvm);
    QVERIFY2(model, model ? "" : model.error().message.c_str());
    rv::Network net(*model);
    std::vector<int> nodes;
    for (const auto& name : opt.outputs) nodes.push_back((*model)->graph().find(name));
    auto maps = net.run(nhwc.data(), h, w, nodes);
    QVERIFY2(maps, maps ? "" : maps.error().message.c_str());
    auto cv_outs = opencv_run(*proto, nchw, h, w);
    QVERIFY2(cv_outs, cv_outs ? "" : cv_outs.error().message.c_str());
    QString why;
    auto ort = ort_.run(onnx, nchw, 3, h, w, &why);
    QVERIFY2(!ort.empty(), qPrintable(why));
    for (std::size_t k = 0; k < nodes.size(); ++k) {
        const auto& m = (*maps)[k];
        std::vector<float> ours(std::size_t(m.h) * m.w * m.c);
        rv::onnx_io::nhwc_to_nchw(m.data, m.h, m.w, m.c, ours.data());
        const std::string& name = opt.outputs[k];
        for (const auto& [peer, ref] :
             {std::pair{"OpenCV DNN", &(*cv_outs)[k]}, std::pair{"ONNX Runtime", &ort[name]}}) {
            const Agreement a = compare(ours, *ref);
            const QString row = QString("%1 %2x%3x%4 vs %5: %6 values, ours %7; max |diff| %8 (max |ref| %9)")
                                    .arg(name.c_str())
                                    .arg(m.c)
                                    .arg(m.h)
                                    .arg(m.w)
                                    .arg(peer)
                                    .arg(ref->size())
                                    .arg(ours.size())
                                    .arg(a.max_abs, 0, 'g', 3)
                                    .arg(a.max_ref, 0, 'g', 3);
            qInfo("%s", qPrintable(row));
            QVERIFY2(ref->size() == ours.size() && a.max_abs <= 1e-5 * std::max(1.0, a.max_ref), qPrintable(row));
        }
    }
}

void TestOnnxExport::errors_name_the_cause() {
    const std::string model = RUVISION_MODELS_DIR "/mobilenet_v2.rvm";
    // OUT in a folder that does not exist: named, and nothing left behind.
    const std::string bad_out = tmp_.filePath("no-such-folder/x.onnx").toStdString();
    auto r = rv::export_onnx(model, bad_out);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find(bad_out) != std::string::npos, r.error().message.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(bad_out) + ".part"));
    // An output node the model does not have.
    rv::OnnxExportOptions opt;
    opt.outputs = {"no_such_node"};
    r = rv::export_onnx(model, tmp_.filePath("x.onnx").toStdString(), opt);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("no_such_node") != std::string::npos, r.error().message.c_str());
    QVERIFY(!QFile::exists(tmp_.filePath("x.onnx")));
    // Another size for a model that runs at its native size only.
    opt = {};
    opt.width = 100, opt.height = 100;
    r = rv::export_onnx(model, tmp_.filePath("x.onnx").toStdString(), opt);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("native size 224x224") != std::string::npos, r.error().message.c_str());
    // Half a size.
    opt.width = 100, opt.height = 0;
    r = rv::export_onnx(RUVISION_MODELS_DIR "/mobilenet_v3_centernet.rvm", tmp_.filePath("x.onnx").toStdString(), opt);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("both the input height and width") != std::string::npos, r.error().message.c_str());
    // A model file that is not one: the file and the reason.
    const QString junk = tmp_.filePath("junk.rvm");
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("RUVMODEL not really");
    f.close();
    r = rv::export_onnx(junk.toStdString(), tmp_.filePath("x.onnx").toStdString());
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find(junk.toStdString()) != std::string::npos, r.error().message.c_str());
}

void TestOnnxExport::cli_export() {
    // By model name, with a named extra output, at a fixed size; then the errors' exit statuses.
    const QString out = tmp_.filePath("cli.onnx");
    QProcess p;
    p.start(RUVISION_CLI, {"export-onnx", "mobilenet_v3_centernet", out, "--output", "e12", "--size", "249x189", "--json"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const auto doc = QJsonDocument::fromJson(p.readAllStandardOutput());
    QVERIFY(doc.isObject());
    QCOMPARE(doc.object()["outputs"].toArray(), QJsonArray({"c11", "last", "e12"}));
    QCOMPARE(doc.object()["input_shape"].toArray(), QJsonArray({1, 3, 189, 249}));
    auto proto = rv::onnx_io::read_model(out.toStdString());
    QVERIFY(proto.ok());
    QVERIFY(rv::onnx_io::check_model(*proto).ok());

    // By path, at the native size: the text summary.
    p.start(RUVISION_CLI, {"export-onnx", RUVISION_MODELS_DIR "/mobilenet_v2.rvm", out});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray text = p.readAllStandardOutput();
    QVERIFY2(text.contains("input input 1x3x224x224") && text.contains("output last = node out_relu"), text.constData());

    p.start(RUVISION_CLI, {"export-onnx", "no_such_model", out});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(p.readAllStandardError().contains("no model named 'no_such_model'"), "unknown model not named");

    const QString unwritable = "/proc/ruvision-cannot-write.onnx";
    p.start(RUVISION_CLI, {"export-onnx", "mobilenet_v2", unwritable});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(p.readAllStandardError().contains(unwritable.toUtf8()), "unwritable OUT not named");

    p.start(RUVISION_CLI, {"export-onnx", "mobilenet_v2", out, "--size", "224"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "test_onnx_export.moc"
