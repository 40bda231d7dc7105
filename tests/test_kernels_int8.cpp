// Int8 kernels (ruvision/kernels/int8.h), the fast paths: every path this CPU runs (int8_kernels_for(each of available_int8_paths())) against the reference on
// awkward shapes: M, N, K in {1, 3, 13, 17, 64, 124, 1280, ...}, K not a multiple of 4, channels
// not a multiple of 16, zero points 0 / 128 / 255, saturating inputs. Integer results (uint8
// outputs, and float outputs whose activation is exact) must match bit for bit; outputs are fenced
// by canaries, and uint8 outputs are written twice over different fills so an unwritten element
// cannot pass. (The reference itself is checked in test_kernels_int8_reference.cpp.)
#include "int8_test_util.h"
#if defined(RUVISION_TEST_VNNI_EMULATION)
#include "int8/int8_parts.h"
#endif

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace kernel_test;
using namespace int8_test;

namespace {

// Every table whose GEMM runs a fast path (forcing a path also caps depthwise and element-wise).
std::vector<const Int8Kernels*> fast_tables() {
    std::vector<const Int8Kernels*> out;
    for (Int8Path p : available_int8_paths()) {
        if (p != Int8Path::Scalar) out.push_back(int8_kernels_for(p));
    }
    return out;
}

#if defined(RUVISION_TEST_VNNI_EMULATION)
}  // namespace
rv::kernels::detail::Int8Parts int8_vnni_emulated_parts();  // int8_vnni_emulated.cpp
namespace {
#endif

// The GEMMs under test, named: every fast path, plus (on x86 with AVX2) the VNNI layout with
// vpdpbusd emulated on AVX2, which checks what the VNNI paths share on CPUs without VNNI.
std::vector<std::pair<QString, const Int8Kernels*>> gemm_tables() {
    std::vector<std::pair<QString, const Int8Kernels*>> out;
    for (const Int8Kernels* t : fast_tables()) out.emplace_back(path_str(t->gemm_path), t);
#if defined(RUVISION_TEST_VNNI_EMULATION)
    if (cpu_features() & kFeatureAvx2) {
        static const Int8Kernels emulated = [] {
            Int8Kernels k = scalar8();
            const rv::kernels::detail::Int8Parts p = int8_vnni_emulated_parts();
            k.gemm_packed_size = p.gemm_packed_size, k.gemm_pack = p.gemm_pack;
            k.gemm_f32 = p.gemm_f32, k.gemm_u8 = p.gemm_u8;
            return k;
        }();
        out.emplace_back(QStringLiteral("vnni-layout-emulated-on-avx2"), &emulated);
    }
#endif
    return out;
}

// Empty if equal bit for bit, else where they first differ.
QString u8_mismatch(const u8* got, const u8* ref, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (got[i] != ref[i])
            return QString::asprintf("index %zu of %zu: got %d, reference %d", i, n, got[i], ref[i]);
    }
    return {};
}

// Float outputs. The fast paths compute float(acc + bias) * scale exactly as the reference does,
// so None / Relu / Relu6 outputs are bit-equal. HardSwish / HardSigmoid multiply by 1/6 where the
// reference divides by 6 (and group the product differently): at most ~3 ulp apart, 3.6e-7
// relative; 1e-6 keeps a 3x margin, while one wrong k term moves an output by at least one
// accumulator unit times the scale, >= 1e-4 relative in these tests.
QString f32_mismatch(const float* got, const float* ref, std::size_t n, Activation act) {
    const bool exact = act == Activation::None || act == Activation::Relu || act == Activation::Relu6;
    for (std::size_t i = 0; i < n; ++i) {
        const bool ok = exact ? std::memcmp(&got[i], &ref[i], sizeof(float)) == 0
                              : std::fabs(got[i] - ref[i]) <= 1e-6f * (1.0f + std::fabs(ref[i]));
        if (!ok)
            return QString::asprintf("index %zu of %zu: got %.9g, reference %.9g (%s)", i, n,
                                     double(got[i]), double(ref[i]), exact ? "bit-exact" : "1e-6");
    }
    return {};
}

int g_checks = 0;

#define EXPECT_SAME_U8(what, out, ref)                                                            \
    do {                                                                                          \
        if (!(out).fences_intact()) QFAIL(qPrintable(QString(what) + ": wrote outside its output")); \
        const QString d_ = u8_mismatch((out).data(), (ref).data(), (ref).size());                \
        if (!d_.isEmpty()) QFAIL(qPrintable(QString(what) + ": " + d_));                         \
        ++g_checks;                                                                               \
    } while (0)

#define EXPECT_SAME_F32(what, out, ref, act)                                                      \
    do {                                                                                          \
        if (!(out).fences_intact()) QFAIL(qPrintable(QString(what) + ": wrote outside its output")); \
        const QString d_ = f32_mismatch((out).data(), (ref).data(), (ref).size(), act);          \
        if (!d_.isEmpty()) QFAIL(qPrintable(QString(what) + ": " + d_));                         \
        ++g_checks;                                                                               \
    } while (0)

// One quantized layer's parameters, for N output channels over K-long dot products.
struct Layer {
    std::vector<std::int32_t> bias;
    std::vector<float> f32_scale;  // a_scale * w_scale[n]
    std::vector<float> u8_scale;   // a_scale * w_scale[n] / out_scale
};

// Scales that spread outputs over most of 0..255 (typical |acc| ~ 74 * 73 * sqrt(K)) and a bias of
// the same order, so the clamps and the rounding are exercised but not everything saturates.
Layer make_layer(int N, int K, std::uint32_t seed) {
    Layer l;
    const std::vector<float> jitter = random_floats(std::size_t(N), seed, 0.5f, 1.5f);
    const std::vector<int> b = random_ints(std::size_t(N), seed + 1, -5000, 5000);
    const float typical = 74.0f * 73.0f * std::sqrt(float(K));
    for (int n = 0; n < N; ++n) {
        l.bias.push_back(std::int32_t(float(b[std::size_t(n)]) * std::sqrt(float(K))));
        l.f32_scale.push_back(jitter[std::size_t(n)] * 3.0f / typical);
        l.u8_scale.push_back(jitter[std::size_t(n)] * 60.0f / typical);
    }
    return l;
}


struct U8Out {
    const char* name;
    u8 min, max;
};
constexpr U8Out kU8Outs[] = {{"full", 0, 255}, {"relu", 128, 255}, {"narrow", 10, 200}};

}  // namespace

class TestKernelsInt8 : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStringList names;
        for (Int8Path p : available_int8_paths()) names << path_str(p);
        qInfo().noquote() << "cpu features:" << QString::fromStdString(cpu_features_string(cpu_features()))
                          << "| int8 paths exercised:" << names.join(QStringLiteral(", "))
                          << "| int8_kernels():" << QString::fromStdString(int8_paths_string(int8_kernels()))
                          << "| RUVISION_INT8_ISA=" << qEnvironmentVariable("RUVISION_INT8_ISA");
        if (names.size() < 2) qWarning("only the scalar int8 path runs on this CPU");
    }

    void cleanupTestCase() { qInfo() << g_checks << "output comparisons passed"; }

    // --- dispatch -------------------------------------------------------------------------------

    void pathsAndNames() {
        const std::vector<Int8Path> paths = available_int8_paths();
        QVERIFY(!paths.empty());
        QCOMPARE(paths.front(), Int8Path::Scalar);
        for (Int8Path p : paths) {
            const Int8Kernels* t = int8_kernels_for(p);
            QVERIFY(t);
            QCOMPARE(t->gemm_path, p);  // forcing a path really runs its GEMM
            QVERIFY(int(t->depthwise_path) <= int(p) && int(t->elementwise_path) <= int(p));
            Int8Path back{};
            QVERIFY(parse_int8_path(int8_path_name(p), back));
            QCOMPARE(back, p);
        }
        Int8Path p{};
        QVERIFY(parse_int8_path("  AVX512VNNI ", p));
        QCOMPARE(p, Int8Path::Avx512Vnni);
        QVERIFY(!parse_int8_path("avx512", p));
        QVERIFY(!parse_int8_path("", p));
        // A path the CPU cannot run is not offered.
        const CpuFeatures f = cpu_features();
        QCOMPARE(int8_kernels_for(Int8Path::Avx512Vnni) != nullptr, (f & kFeatureAvx512Vnni) != 0);
        QCOMPARE(int8_kernels_for(Int8Path::AvxVnni) != nullptr, (f & kFeatureAvxVnni) != 0);
        // Without RUVISION_INT8_ISA, int8_kernels() takes the best path of each kernel.
        if (qEnvironmentVariableIsEmpty("RUVISION_INT8_ISA"))
            QCOMPARE(int8_kernels().gemm_path, paths.back());
        const std::string s = int8_paths_string(*int8_kernels_for(Int8Path::Scalar));
        QCOMPARE(QString::fromStdString(s), QStringLiteral("gemm=scalar depthwise=scalar elementwise=scalar"));
    }

    // The comparisons reject a wrong kernel: one output one step off, a float one ulp off.
    void comparisonRejects() {
        std::vector<u8> ref = {1, 2, 3}, got = {1, 2, 4};
        QVERIFY(!u8_mismatch(got.data(), ref.data(), 3).isEmpty());
        QVERIFY(u8_mismatch(ref.data(), ref.data(), 3).isEmpty());
        const float r = 1.5f, g = std::nextafter(1.5f, 2.0f);
        QVERIFY(!f32_mismatch(&g, &r, 1, Activation::None).isEmpty());
        QVERIFY(f32_mismatch(&g, &r, 1, Activation::HardSwish).isEmpty());
        const float far = 1.5f * (1 + 1e-4f);
        QVERIFY(!f32_mismatch(&far, &r, 1, Activation::HardSwish).isEmpty());
        QVERIFY(!f32_mismatch(&kNaN, &kNaN, 1, Activation::HardSwish).isEmpty());
        FencedOf<u8> f(4);
        f.data()[4] = 0;  // one past the end
        QVERIFY(!f.fences_intact());
    }

    // --- every fast path against the reference ---------------------------------------------

    void gemm_data() {
        QTest::addColumn<int>("M");
        QTest::addColumn<int>("N");
        QTest::addColumn<int>("K");
        QTest::addColumn<int>("za");
        struct S { int M, N, K; };
        const S shapes[] = {{1, 1, 1},    {1, 17, 13},   {3, 13, 17},   {13, 124, 64}, {17, 3, 1280},
                            {64, 1280, 3}, {124, 96, 16}, {6, 32, 8},    {7, 33, 9},    {12, 16, 4},
                            {49, 17, 124}, {9, 48, 5},   {5, 320, 960}, {196, 96, 576}, {8, 31, 2},
                            {25, 7, 1}};
        for (const S& s : shapes)
            for (int za : {0, 128, 255})
                QTest::addRow("%dx%dx%d za%d", s.M, s.N, s.K, za) << s.M << s.N << s.K << za;
    }

    void gemm() {
        QFETCH(int, M);
        QFETCH(int, N);
        QFETCH(int, K);
        QFETCH(int, za);
        const auto seed = std::uint32_t(M * 7919 + N * 31 + K + za);
        const std::vector<u8> A = random_u8(std::size_t(M) * K, seed);
        const std::vector<s8> B = random_s8(std::size_t(K) * N, seed + 1);
        const Layer l = make_layer(N, K, seed + 2);
        const auto ref_packed = pack(scalar8(), K, N, B);
        const std::size_t n = std::size_t(M) * N;
        for (const auto& [name, t] : gemm_tables()) {
            const auto packed = pack(*t, K, N, B);
            for (Activation act : kActivations) {
                for (const std::int32_t* bias : {l.bias.data(), static_cast<const std::int32_t*>(nullptr)}) {
                    const Int8ToF32 o{bias, l.f32_scale.data(), act};
                    Fenced ref(n), out(n);
                    scalar8().gemm_f32(M, N, K, A.data(), za, ref_packed.data(), o, ref.data());
                    t->gemm_f32(M, N, K, A.data(), za, packed.data(), o, out.data());
                    EXPECT_SAME_F32(name + " gemm_f32 " + act_name(act) + (bias ? " bias" : ""),
                                    out, ref, act);
                }
            }
            for (const U8Out& u : kU8Outs) {
                const Int8ToU8 o{l.bias.data(), l.u8_scale.data(), 128, u.min, u.max};
                FencedOf<u8> ref(n), out0(n, 0), out1(n, 255);
                scalar8().gemm_u8(M, N, K, A.data(), za, ref_packed.data(), o, ref.data());
                t->gemm_u8(M, N, K, A.data(), za, packed.data(), o, out0.data());
                t->gemm_u8(M, N, K, A.data(), za, packed.data(), o, out1.data());
                EXPECT_SAME_U8(name + " gemm_u8 " + u.name + " (fill 0)", out0, ref);
                EXPECT_SAME_U8(name + " gemm_u8 " + u.name + " (fill 255)", out1, ref);
            }
        }
    }

    // The extremes of the accumulator: all 255 x all -127 and (0 - 255) x 127, with K large enough
    // that 16-bit intermediate sums would saturate many times over. Float outputs with scale 1 are
    // float(acc), compared with the exact sum.
    void gemmSaturatingInputs() {
        struct S { int a, za, b; };
        for (int K : {1, 3, 1280, 4099})
            for (const S c : {S{255, 0, -127}, S{255, 0, 127}, S{0, 255, 127}, S{0, 255, -128}, S{0, 0, 127},
                              S{255, 255, -127}}) {
                const int M = 7, N = 19;
                const std::vector<u8> A(std::size_t(M) * K, u8(c.a));
                const std::vector<s8> B(std::size_t(K) * N, s8(c.b));
                const std::vector<float> one(N, 1.0f);
                const double exact = double(K) * (c.a - c.za) * c.b;
                std::vector<std::pair<QString, const Int8Kernels*>> all = gemm_tables();
                all.emplace_back(QStringLiteral("scalar"), &scalar8());
                for (const auto& [name, t] : all) {
                    const auto packed = pack(*t, K, N, B);
                    Fenced out(std::size_t(M) * N);
                    t->gemm_f32(M, N, K, A.data(), c.za, packed.data(), Int8ToF32{nullptr, one.data(), Activation::None},
                                out.data());
                    QVERIFY(out.fences_intact());
                    for (std::size_t i = 0; i < out.size(); ++i)
                        QVERIFY2(out.data()[i] == float(exact),
                                 qPrintable(QString::asprintf("%s K=%d a=%d za=%d b=%d: %.9g vs %.17g",
                                                              qPrintable(name), K, c.a, c.za,
                                                              c.b, double(out.data()[i]), exact)));
                    // And saturating uint8 outputs: huge accumulators clamp to 0 or 255.
                    FencedOf<u8> q(std::size_t(M) * N);
                    t->gemm_u8(M, N, K, A.data(), c.za, packed.data(), Int8ToU8{nullptr, one.data(), 128, 0, 255},
                               q.data());
                    const int want = int(std::clamp(exact + 128, 0.0, 255.0));
                    for (std::size_t i = 0; i < q.size(); ++i) QCOMPARE(int(q.data()[i]), want);
                    ++g_checks;
                }
            }
    }

    void depthwise_data() {
        QTest::addColumn<int>("C");
        QTest::addColumn<int>("za");
        for (int C : {1, 3, 13, 16, 17, 24, 32, 33, 40, 144})
            for (int za : {0, 128, 255}) QTest::addRow("C%d za%d", C, za) << C << za;
    }

    void depthwise() {
        QFETCH(int, C);
        QFETCH(int, za);
        struct Map { int h, w; };
        for (const Map map : {Map{1, 1}, Map{2, 3}, Map{7, 7}, Map{13, 11}})
            for (int k : {3, 5})
                for (int stride : {1, 2})
                    for (int pad : {0, 1, 2}) {  // valid, symmetric k/2, top-left only
                        ConvShape s;
                        s.in_h = map.h, s.in_w = map.w, s.in_c = s.out_c = C;
                        s.kernel_h = s.kernel_w = k, s.stride_h = s.stride_w = stride;
                        const int before = pad == 0 ? 0 : k / 2, after = pad == 1 ? k / 2 : 0;
                        s.pad_top = s.pad_left = before;
                        s.out_h = (map.h + before + after - k) / stride + 1;
                        s.out_w = (map.w + before + after - k) / stride + 1;
                        if (map.h + before + after < k || map.w + before + after < k) continue;
                        const auto seed = std::uint32_t(C * 131 + map.h * 17 + map.w + k * 3 + stride + pad * 7 + za);
                        const std::vector<u8> in = random_u8(std::size_t(map.h) * map.w * C, seed);
                        const std::vector<s8> w = random_s8(std::size_t(k) * k * C, seed + 1);
                        const Layer l = make_layer(C, k * k, seed + 2);
                        const std::size_t n = std::size_t(s.out_h) * s.out_w * C;
                        const QString tag = QString::asprintf(" %dx%d k%d s%d pad%d", map.h, map.w, k, stride, pad);
                        for (const Int8Kernels* t : fast_tables()) {
                            const QString name = path_str(t->depthwise_path);
                            for (Activation act : kActivations) {
                                const Int8ToF32 o{l.bias.data(), l.f32_scale.data(), act};
                                Fenced ref(n), out(n);
                                scalar8().depthwise_f32(s, in.data(), za, w.data(), o, ref.data());
                                t->depthwise_f32(s, in.data(), za, w.data(), o, out.data());
                                EXPECT_SAME_F32(name + " depthwise_f32 " + act_name(act) + tag, out, ref, act);
                            }
                            for (const U8Out& u : kU8Outs) {
                                const Int8ToU8 o{u.min == 10 ? nullptr : l.bias.data(), l.u8_scale.data(), 128, u.min,
                                                 u.max};
                                FencedOf<u8> ref(n), out0(n, 0), out1(n, 255);
                                scalar8().depthwise_u8(s, in.data(), za, w.data(), o, ref.data());
                                t->depthwise_u8(s, in.data(), za, w.data(), o, out0.data());
                                t->depthwise_u8(s, in.data(), za, w.data(), o, out1.data());
                                EXPECT_SAME_U8(name + " depthwise_u8 " + u.name + tag + " (fill 0)", out0, ref);
                                EXPECT_SAME_U8(name + " depthwise_u8 " + u.name + tag + " (fill 255)", out1, ref);
                            }
                        }
                    }
    }

    void elementwise() {
        for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(7), std::size_t(8), std::size_t(15),
                              std::size_t(16), std::size_t(17), std::size_t(33), std::size_t(1000)}) {
            std::vector<float> x = random_floats(n, std::uint32_t(n), -6.0f, 9.0f);
            if (n > 3) x[1] = kNaN, x[2] = std::numeric_limits<float>::infinity(), x[3] = -1e30f;
            const std::vector<u8> a = random_u8(n, std::uint32_t(n) + 1), b = random_u8(n, std::uint32_t(n) + 2);
            for (const Int8Kernels* t : fast_tables()) {
                const QString name = path_str(t->elementwise_path) + QString::asprintf(" n=%zu ", n);
                for (const QuantParams q : {QuantParams{0.05f, 0}, QuantParams{0.0625f, 128}, QuantParams{0.01f, 255}}) {
                    FencedOf<u8> ref(n), out0(n, 0), out1(n, 255);
                    scalar8().quantize(x.data(), ref.data(), n, q);
                    t->quantize(x.data(), out0.data(), n, q);
                    t->quantize(x.data(), out1.data(), n, q);
                    EXPECT_SAME_U8(name + "quantize", out0, ref);
                    EXPECT_SAME_U8(name + "quantize", out1, ref);
                    Fenced fref(n), fout(n);
                    scalar8().dequantize(a.data(), fref.data(), n, q);
                    t->dequantize(a.data(), fout.data(), n, q);
                    EXPECT_SAME_F32(name + "dequantize", fout, fref, Activation::None);
                }
                const QuantParams qa{0.02f, 0}, qb{0.05f, 128}, qy{0.04f, 255};
                for (const U8Out& u : kU8Outs) {
                    FencedOf<u8> ref(n), out0(n, 0), out1(n, 255);
                    scalar8().add_u8(a.data(), qa, b.data(), qb, ref.data(), qy, u.min, u.max, n);
                    t->add_u8(a.data(), qa, b.data(), qb, out0.data(), qy, u.min, u.max, n);
                    t->add_u8(a.data(), qa, b.data(), qb, out1.data(), qy, u.min, u.max, n);
                    EXPECT_SAME_U8(name + "add_u8 " + u.name, out0, ref);
                    EXPECT_SAME_U8(name + "add_u8 " + u.name, out1, ref);
                }
                FencedOf<u8> inplace(a);
                t->add_u8(inplace.data(), qa, b.data(), qb, inplace.data(), qy, 0, 255, n);
                FencedOf<u8> ref(n);
                scalar8().add_u8(a.data(), qa, b.data(), qb, ref.data(), qy, 0, 255, n);
                EXPECT_SAME_U8(name + "add_u8 in place", inplace, ref);
            }
        }
        // Pooling and the squeeze-excite gate: channels not a multiple of 16, one pixel, many.
        for (std::size_t C : {std::size_t(1), std::size_t(13), std::size_t(17), std::size_t(40), std::size_t(144)})
            for (std::size_t P : {std::size_t(0), std::size_t(1), std::size_t(7), std::size_t(49), std::size_t(196)}) {
                const std::vector<u8> x = random_u8(P * C, std::uint32_t(P * 7 + C));
                const std::vector<float> mult = random_floats(C, std::uint32_t(C), 0.0f, 2.5f);
                for (const Int8Kernels* t : fast_tables()) {
                    const QString name = path_str(t->elementwise_path) + QString::asprintf(" P=%zu C=%zu ", P, C);
                    for (const QuantParams q : {QuantParams{0.1f, 0}, QuantParams{0.02f, 128}, QuantParams{0.5f, 255}}) {
                        Fenced ref(C), out(C);
                        scalar8().global_avg_pool_u8(x.data(), q, ref.data(), P, C);
                        t->global_avg_pool_u8(x.data(), q, out.data(), P, C);
                        EXPECT_SAME_F32(name + "global_avg_pool_u8", out, ref, Activation::None);
                    }
                    // Per-channel quantization: every path as the reference, and the reference
                    // with one scale for all channels as the per-tensor quantize.
                    std::vector<float> xf = random_floats(P * C, std::uint32_t(P * 5 + C), -6.0f, 9.0f);
                    if (xf.size() > 3) xf[1] = kNaN, xf[2] = std::numeric_limits<float>::infinity(), xf[3] = -1e30f;
                    std::vector<float> inv = random_floats(C, std::uint32_t(C + 3), 0.5f, 60.0f);
                    for (int zp : {0, 128, 255}) {
                        FencedOf<u8> ref(P * C), out(P * C, 0), uniform(P * C), tensor(P * C);
                        scalar8().quantize_channels(xf.data(), ref.data(), P, C, inv.data(), zp);
                        t->quantize_channels(xf.data(), out.data(), P, C, inv.data(), zp);
                        EXPECT_SAME_U8(name + "quantize_channels", out, ref);
                        const QuantParams q{0.05f, zp};
                        const std::vector<float> same(C, 1.0f / q.scale);
                        scalar8().quantize_channels(xf.data(), uniform.data(), P, C, same.data(), zp);
                        scalar8().quantize(xf.data(), tensor.data(), P * C, q);
                        EXPECT_SAME_U8(name + "quantize_channels, one scale", uniform, tensor);
                    }
                    for (int zy : {0, 128, 255}) {
                        FencedOf<u8> ref(P * C), out(P * C, 0), inplace(x);
                        scalar8().scale_channels_u8(x.data(), 128, mult.data(), ref.data(), zy, P, C);
                        t->scale_channels_u8(x.data(), 128, mult.data(), out.data(), zy, P, C);
                        t->scale_channels_u8(inplace.data(), 128, mult.data(), inplace.data(), zy, P, C);
                        EXPECT_SAME_U8(name + "scale_channels_u8", out, ref);
                        EXPECT_SAME_U8(name + "scale_channels_u8 in place", inplace, ref);
                    }
                }
            }
    }
};

QTEST_APPLESS_MAIN(TestKernelsInt8)
#include "test_kernels_int8.moc"
