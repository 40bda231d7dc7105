// Int8 kernels (ruvision/kernels/int8.h): the scalar reference against plain double computations of
// dequantize(A) * dequantize(B) (so it cannot be wrong the same way as the fast paths), then every
// path this CPU runs (int8_kernels_for(each of available_int8_paths())) against the reference on
// awkward shapes: M, N, K in {1, 3, 13, 17, 64, 124, 1280, ...}, K not a multiple of 4, channels
// not a multiple of 16, zero points 0 / 128 / 255, saturating inputs. Integer results (uint8
// outputs, and float outputs whose activation is exact) must match bit for bit; outputs are fenced
// by canaries, and uint8 outputs are written twice over different fills so an unwritten element
// cannot pass. A MobileNetV2 block run in uint8 through the API is compared with the float block.
#include "kernel_test_util.h"
#include "ruvision/kernels/int8.h"
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

namespace {

using u8 = std::uint8_t;
using s8 = std::int8_t;

std::vector<u8> random_u8(std::size_t n, std::uint32_t seed, int lo = 0, int hi = 255) {
    const std::vector<int> v = random_ints(n, seed, lo, hi);
    return {v.begin(), v.end()};
}
std::vector<s8> random_s8(std::size_t n, std::uint32_t seed, int lo = -127, int hi = 127) {
    const std::vector<int> v = random_ints(n, seed, lo, hi);
    return {v.begin(), v.end()};
}

QString path_str(Int8Path p) {
    return QString::fromLatin1(int8_path_name(p).data(), int(int8_path_name(p).size()));
}

// Every table whose GEMM runs a fast path (forcing a path also caps depthwise and element-wise).
std::vector<const Int8Kernels*> fast_tables() {
    std::vector<const Int8Kernels*> out;
    for (Int8Path p : available_int8_paths()) {
        if (p != Int8Path::Scalar) out.push_back(int8_kernels_for(p));
    }
    return out;
}
const Int8Kernels& scalar8() {
    return *int8_kernels_for(Int8Path::Scalar);
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

std::vector<unsigned char> pack(const Int8Kernels& t, int K, int N, const std::vector<s8>& B) {
    std::vector<unsigned char> p(t.gemm_packed_size(K, N));
    t.gemm_pack(K, N, B.data(), p.data());
    return p;
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

    void clampsAndLut() {
        u8 lo = 0, hi = 0;
        QVERIFY(u8_clamp_for(Activation::Relu6, QuantParams{6.0f / 200.0f, 20}, lo, hi));
        QCOMPARE(int(lo), 20);
        QCOMPARE(int(hi), 220);
        QVERIFY(u8_clamp_for(Activation::Relu, QuantParams{0.1f, 0}, lo, hi));
        QCOMPARE(int(lo), 0);
        QCOMPARE(int(hi), 255);
        QVERIFY(!u8_clamp_for(Activation::HardSwish, QuantParams{0.1f, 0}, lo, hi));
        // The table against the activation in double: same code or one step at a rounding tie.
        const QuantParams in{0.05f, 131}, out{0.03f, 40};
        for (Activation act : kActivations) {
            u8 table[256];
            make_activation_lut(act, in, out, table);
            for (int q = 0; q < 256; ++q) {
                const double x = 0.05 * (q - 131);
                double y = x;
                if (act == Activation::Relu) y = std::max(x, 0.0);
                if (act == Activation::Relu6) y = std::clamp(x, 0.0, 6.0);
                if (act == Activation::HardSwish) y = x * std::clamp(x + 3, 0.0, 6.0) / 6;
                if (act == Activation::HardSigmoid) y = std::clamp(x + 3, 0.0, 6.0) / 6;
                const double want = std::clamp(std::nearbyint(y / 0.03) + 40, 0.0, 255.0);
                QVERIFY2(std::fabs(table[q] - want) <= 1.0, qPrintable(QStringLiteral("%1 q=%2").arg(act_name(act)).arg(q)));
            }
        }
        // lut_u8 applies it, in place too.
        const std::vector<u8> x = random_u8(1001, 5);
        u8 table[256];
        for (int i = 0; i < 256; ++i) table[i] = u8(255 - i);
        FencedOf<u8> y(x.size());
        int8_kernels().lut_u8(x.data(), y.data(), x.size(), table);
        for (std::size_t i = 0; i < x.size(); ++i) QCOMPARE(int(y.data()[i]), 255 - x[i]);
        QVERIFY(y.fences_intact());
    }

    void weightQuantization() {
        const int K = 13, N = 5;
        std::vector<float> w = random_floats(std::size_t(K) * N, 3, -2.0f, 2.0f);
        for (int k = 0; k < K; ++k) w[std::size_t(k) * N + 4] = 0.0f;  // an all-zero column
        std::vector<s8> q(w.size());
        std::vector<float> scale(N);
        quantize_weights_per_channel(w.data(), K, N, q.data(), scale.data());
        QCOMPARE(scale[4], 1.0f);
        for (int n = 0; n < N; ++n) {
            int qmax = 0;
            for (int k = 0; k < K; ++k) {
                const std::size_t i = std::size_t(k) * N + n;
                qmax = std::max(qmax, std::abs(int(q[i])));
                QVERIFY(std::fabs(q[i] * scale[n] - w[i]) <= 0.5f * scale[n] * 1.0001f);
            }
            QCOMPARE(qmax, n == 4 ? 0 : 127);
        }
    }

    // --- the reference against double --------------------------------------------------------

    void referenceGemmAgainstDouble() {
        struct S { int M, N, K, za; };
        for (const S c : {S{3, 5, 7, 0}, S{13, 17, 19, 128}, S{4, 3, 33, 255}, S{1, 1, 1, 77}}) {
            const std::vector<u8> A = random_u8(std::size_t(c.M) * c.K, 11);
            const std::vector<s8> B = random_s8(std::size_t(c.K) * c.N, 12);
            const double sa = 0.02;
            const std::vector<float> sw = random_floats(std::size_t(c.N), 13, 0.002f, 0.01f);
            const std::vector<int> bias = random_ints(std::size_t(c.N), 14, -3000, 3000);
            const double so = 0.01;
            const int zo = 100;
            std::vector<float> fscale(c.N), uscale(c.N);
            for (int n = 0; n < c.N; ++n) {
                fscale[n] = float(sa * sw[n]);
                uscale[n] = float(sa * sw[n] / so);
            }
            const std::vector<std::int32_t> bias32(bias.begin(), bias.end());
            const auto packed = pack(scalar8(), c.K, c.N, B);
            std::vector<float> y(std::size_t(c.M) * c.N);
            std::vector<u8> q(y.size());
            scalar8().gemm_f32(c.M, c.N, c.K, A.data(), c.za, packed.data(),
                               Int8ToF32{bias32.data(), fscale.data(), Activation::None}, y.data());
            scalar8().gemm_u8(c.M, c.N, c.K, A.data(), c.za, packed.data(),
                              Int8ToU8{bias32.data(), uscale.data(), zo, 0, 255}, q.data());
            for (int m = 0; m < c.M; ++m)
                for (int n = 0; n < c.N; ++n) {
                    double real = bias[n] * sa * sw[n];
                    for (int k = 0; k < c.K; ++k)
                        real += sa * (A[std::size_t(m) * c.K + k] - c.za) * (double(sw[n]) * B[std::size_t(k) * c.N + n]);
                    const std::size_t i = std::size_t(m) * c.N + n;
                    // float(acc) is exact here (|acc| < 2^24); the scale is rounded once and the
                    // product once: 2 ulp.
                    QVERIFY2(std::fabs(y[i] - real) <= 2.5e-7 * std::fabs(real) + 1e-30,
                             qPrintable(QString::asprintf("f32 %d,%d: %.9g vs %.9g", m, n, double(y[i]), real)));
                    const double want = std::clamp(std::nearbyint(real / so) + zo, 0.0, 255.0);
                    QVERIFY2(std::fabs(q[i] - want) <= 1.0,  // one step at a rounding tie
                             qPrintable(QString::asprintf("u8 %d,%d: %d vs %g", m, n, q[i], want)));
                }
        }
    }

    void referenceDepthwiseAgainstDouble() {
        ConvShape s;
        s.in_h = 5, s.in_w = 6, s.in_c = 3, s.kernel_h = s.kernel_w = 3, s.stride_h = s.stride_w = 2;
        s.pad_top = s.pad_left = 1, s.out_h = 3, s.out_w = 3, s.out_c = 3;
        const int zp = 200;
        const std::vector<u8> in = random_u8(std::size_t(s.in_h) * s.in_w * s.in_c, 21);
        const std::vector<s8> w = random_s8(9 * 3, 22);
        const double sa = 0.03;
        const std::vector<float> sw = {0.01f, 0.002f, 0.005f};
        const std::vector<std::int32_t> bias = {100, -2000, 0};
        std::vector<float> scale(3);
        for (int c = 0; c < 3; ++c) scale[c] = float(sa * sw[c]);
        std::vector<float> y(27);
        scalar8().depthwise_f32(s, in.data(), zp, w.data(), Int8ToF32{bias.data(), scale.data(), Activation::None},
                                y.data());
        for (int oy = 0; oy < 3; ++oy)
            for (int ox = 0; ox < 3; ++ox)
                for (int c = 0; c < 3; ++c) {
                    double real = bias[c] * sa * sw[c];
                    for (int ky = 0; ky < 3; ++ky)
                        for (int kx = 0; kx < 3; ++kx) {
                            const int iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx;
                            // Padding is a real zero.
                            const double a = (iy < 0 || ix < 0 || iy >= 5 || ix >= 6)
                                                 ? 0.0
                                                 : sa * (in[(std::size_t(iy) * 6 + ix) * 3 + c] - zp);
                            real += a * sw[c] * w[std::size_t(ky * 3 + kx) * 3 + c];
                        }
                    const float got = y[(std::size_t(oy) * 3 + ox) * 3 + c];
                    QVERIFY2(std::fabs(got - real) <= 2.5e-7 * std::fabs(real) + 1e-30,
                             qPrintable(QString::asprintf("%d,%d,%d: %.9g vs %.9g", oy, ox, c, double(got), real)));
                }
    }

    void referenceElementwiseAgainstDouble() {
        const Int8Kernels& t = scalar8();
        const std::vector<float> x = random_floats(500, 31, -3.0f, 5.0f);
        const QuantParams q{0.031f, 97};
        std::vector<u8> qx(x.size());
        t.quantize(x.data(), qx.data(), x.size(), q);
        std::vector<float> back(x.size());
        t.dequantize(qx.data(), back.data(), x.size(), q);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double want = std::clamp(std::nearbyint(double(x[i]) / 0.031) + 97, 0.0, 255.0);
            QVERIFY(std::fabs(qx[i] - want) <= 1.0);
            QCOMPARE(back[i], float(qx[i] - 97) * 0.031f);
            if (want > 0 && want < 255) QVERIFY(std::fabs(back[i] - x[i]) <= 0.031f * 0.5001f);
        }
        const std::vector<u8> a = random_u8(300, 32), b = random_u8(300, 33);
        const QuantParams qa{0.02f, 120}, qb{0.05f, 10}, qy{0.06f, 60};
        std::vector<u8> y(300);
        t.add_u8(a.data(), qa, b.data(), qb, y.data(), qy, 0, 255, 300);
        for (std::size_t i = 0; i < 300; ++i) {
            const double real = 0.02 * (a[i] - 120) + 0.05 * (b[i] - 10);
            QVERIFY(std::fabs(y[i] - std::clamp(std::nearbyint(real / 0.06) + 60, 0.0, 255.0)) <= 1.0);
        }
        const std::size_t P = 49, C = 6;
        const std::vector<u8> m = random_u8(P * C, 34);
        std::vector<float> avg(C);
        t.global_avg_pool_u8(m.data(), QuantParams{0.1f, 3}, avg.data(), P, C);
        for (std::size_t c = 0; c < C; ++c) {
            double sum = 0;
            for (std::size_t p = 0; p < P; ++p) sum += 0.1 * (m[p * C + c] - 3);
            QVERIFY(std::fabs(avg[c] - sum / P) <= 1e-6 * std::fabs(sum / P) + 1e-7);
        }
        const std::vector<float> mult = {0.5f, 1.0f, 2.0f, 0.0f, 0.25f, 1.5f};
        std::vector<u8> sc(P * C);
        t.scale_channels_u8(m.data(), 100, mult.data(), sc.data(), 30, P, C);
        for (std::size_t i = 0; i < P * C; ++i) {
            const double want = std::clamp(std::nearbyint((m[i] - 100) * double(mult[i % C])) + 30, 0.0, 255.0);
            QVERIFY(std::fabs(sc[i] - want) <= 1.0);
        }
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

    // A MobileNetV2 inverted-residual block (expand 1x1 + Relu6 -> depthwise 3x3 + Relu6 ->
    // project 1x1 -> residual add) kept in uint8 between layers through the int8 API, as a network
    // runner would call it (activation ranges taken from the float run, as calibration would), against
    // the same block in float: the per-image cosine the engine must reach is 0.99; 8-bit steps on
    // four layers give ~0.999.
    void mobilenetBlockInUint8() {
        const int H = 14, W = 14, C = 24, E = 144, P = H * W;
        const std::vector<float> x = random_floats(std::size_t(P) * C, 41, 0.0f, 6.0f);
        const std::vector<float> w1 = random_floats(std::size_t(C) * E, 42, -0.3f, 0.3f);
        const std::vector<float> b1 = random_floats(std::size_t(E), 43, -0.5f, 0.5f);
        const std::vector<float> wd = random_floats(9 * std::size_t(E), 44, -0.5f, 0.5f);
        const std::vector<float> bd = random_floats(std::size_t(E), 45, -0.5f, 0.5f);
        const std::vector<float> w2 = random_floats(std::size_t(E) * C, 46, -0.1f, 0.1f);
        const std::vector<float> b2 = random_floats(std::size_t(C), 47, -0.5f, 0.5f);
        ConvShape dw;
        dw.in_h = dw.out_h = H, dw.in_w = dw.out_w = W, dw.in_c = dw.out_c = E;
        dw.kernel_h = dw.kernel_w = 3, dw.pad_top = dw.pad_left = 1;

        // Float.
        const KernelTable& f = kernels();
        std::vector<float> e(std::size_t(P) * E), d(e.size()), pr(std::size_t(P) * C), y(pr.size());
        f.gemm(P, E, C, x.data(), w1.data(), b1.data(), e.data(), Activation::Relu6);
        f.depthwise_conv2d(dw, e.data(), wd.data(), bd.data(), d.data(), Activation::Relu6);
        f.gemm(P, C, E, d.data(), w2.data(), b2.data(), pr.data(), Activation::None);
        f.add(x.data(), pr.data(), y.data(), y.size(), Activation::None);

        // Uint8: asymmetric per-tensor parameters from a float range.
        auto params = [](const std::vector<float>& v) {
            const float lo = std::min(0.0f, *std::min_element(v.begin(), v.end()));
            const float hi = std::max(0.0f, *std::max_element(v.begin(), v.end()));
            const float scale = (hi - lo) / 255.0f;
            return QuantParams{scale, int(std::nearbyint(-lo / scale))};
        };
        const QuantParams qx{6.0f / 255.0f, 0}, q6{6.0f / 255.0f, 0}, qp = params(pr), qy = params(y);
        auto layer = [](const std::vector<float>& w, const std::vector<float>& b, int K, int N, float a_scale,
                        float out_scale, std::vector<s8>& q, std::vector<std::int32_t>& bias, std::vector<float>& mult) {
            q.resize(w.size());
            std::vector<float> ws(static_cast<std::size_t>(N));
            quantize_weights_per_channel(w.data(), K, N, q.data(), ws.data());
            bias.resize(std::size_t(N)), mult.resize(std::size_t(N));
            for (int n = 0; n < N; ++n) {
                bias[n] = std::int32_t(std::nearbyint(b[n] / (a_scale * ws[n])));
                mult[n] = a_scale * ws[n] / out_scale;
            }
        };
        std::vector<s8> q1, qd, q2;
        std::vector<std::int32_t> bias1, biasd, bias2;
        std::vector<float> m1, md, m2;
        layer(w1, b1, C, E, qx.scale, q6.scale, q1, bias1, m1);
        layer(wd, bd, 9, E, q6.scale, q6.scale, qd, biasd, md);
        layer(w2, b2, E, C, q6.scale, qp.scale, q2, bias2, m2);
        u8 lo6 = 0, hi6 = 0;
        QVERIFY(u8_clamp_for(Activation::Relu6, q6, lo6, hi6));
        for (const Int8Kernels* t : {&int8_kernels(), &scalar8()}) {
            std::vector<unsigned char> p1(t->gemm_packed_size(C, E)), p2(t->gemm_packed_size(E, C));
            t->gemm_pack(C, E, q1.data(), p1.data());
            t->gemm_pack(E, C, q2.data(), p2.data());
            std::vector<u8> ux(x.size()), ue(e.size()), ud(e.size()), up(pr.size()), uy(pr.size());
            std::vector<float> y8(pr.size());
            t->quantize(x.data(), ux.data(), x.size(), qx);
            t->gemm_u8(P, E, C, ux.data(), qx.zero_point, p1.data(), Int8ToU8{bias1.data(), m1.data(), q6.zero_point, lo6, hi6},
                       ue.data());
            t->depthwise_u8(dw, ue.data(), q6.zero_point, qd.data(), Int8ToU8{biasd.data(), md.data(), q6.zero_point, lo6, hi6},
                            ud.data());
            t->gemm_u8(P, C, E, ud.data(), q6.zero_point, p2.data(), Int8ToU8{bias2.data(), m2.data(), qp.zero_point, 0, 255},
                       up.data());
            t->add_u8(ux.data(), qx, up.data(), qp, uy.data(), qy, 0, 255, uy.size());
            t->dequantize(uy.data(), y8.data(), y8.size(), qy);
            std::vector<float> p8(pr.size());  // the branch alone, without the residual's help
            t->dequantize(up.data(), p8.data(), p8.size(), qp);
            auto cosine = [](const std::vector<float>& a, const std::vector<float>& b) {
                double dot = 0, na = 0, nb = 0;
                for (std::size_t i = 0; i < a.size(); ++i)
                    dot += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
                return dot / std::sqrt(na * nb);
            };
            double worst = 0;
            for (std::size_t i = 0; i < y.size(); ++i) worst = std::max(worst, std::fabs(double(y8[i]) - y[i]));
            const double cos_y = cosine(y8, y), cos_branch = cosine(p8, pr);
            qInfo().noquote() << path_str(t->gemm_path) << "block cosine" << cos_y << "branch cosine" << cos_branch
                              << "max |error|" << worst / qy.scale << "output steps";
            QVERIFY2(cos_y >= 0.99 && cos_branch >= 0.99, qPrintable(QString::number(cos_branch, 'g', 6)));
            // Rounding the residual input (0.3 output steps), the branch (its own step, 0.5, plus what
            // it inherits) and the sum (0.5): 4 steps leaves a margin; a wrong zero point or scale
            // anywhere moves outputs by tens of steps.
            QVERIFY2(worst <= 4 * qy.scale, qPrintable(QString::number(worst / qy.scale) + " output steps"));
        }
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
