// The int8 scalar reference and parameter helpers (ruvision/kernels/int8.h) against plain double
// computations of dequantize(A) * dequantize(B), so that the reference the fast paths are compared
// with (test_kernels_int8) cannot be wrong in the same way as they are; and a MobileNetV2 block run
// in uint8 through the API against the same block in float.
#include "int8_test_util.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

using namespace kernel_test;
using namespace int8_test;

class TestKernelsInt8Reference : public QObject {
    Q_OBJECT

private slots:
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
                if (act == Activation::Sigmoid) y = 1 / (1 + std::exp(-x));
                if (act == Activation::Swish) y = x / (1 + std::exp(-x));
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
};

QTEST_APPLESS_MAIN(TestKernelsInt8Reference)
#include "test_kernels_int8_reference.moc"
