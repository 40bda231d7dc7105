// Matrix and convolution kernels: the scalar reference against hand computations, a check that the
// comparison rejects wrong kernels, then GEMM, dense convolution and depthwise convolution of every
// optimised ISA this CPU runs (kernels_for(each of available_isas())) against the scalar reference
// on awkward shapes: odd channel counts, tiny and odd maps, strides 1 and 2, symmetric and
// asymmetric padding, GEMM row/column/depth tails, every activation. Outputs start as NaN and are
// fenced by canaries, so an unwritten element or a write past the end fails too.
#include "kernel_test_util.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cstddef>
#include <vector>

using namespace kernel_test;

Q_DECLARE_METATYPE(rv::kernels::ConvShape)

namespace {

// Output size of one padded axis; 0 when the kernel does not fit.
int out_extent(int in, int k, int stride, int pad_before, int pad_after) {
    const int span = in + pad_before + pad_after - k;
    return span < 0 ? 0 : span / stride + 1;
}

// TF "SAME": out = ceil(in / stride), the odd pad unit goes after (bottom/right).
int same_pad_before(int in, int k, int stride) {
    const int out = (in + stride - 1) / stride;
    return std::max((out - 1) * stride + k - in, 0) / 2;
}
int same_pad_after(int in, int k, int stride) {
    const int out = (in + stride - 1) / stride;
    return std::max((out - 1) * stride + k - in, 0) - same_pad_before(in, k, stride);
}

enum class Pad { Valid, Same, Symmetric, Keras01, TopLeftOnly };
const char* pad_name(Pad p) {
    switch (p) {
    case Pad::Valid: return "valid";
    case Pad::Same: return "same";
    case Pad::Symmetric: return "sym";
    case Pad::Keras01: return "keras01";
    case Pad::TopLeftOnly: return "topleft";
    }
    return "?";
}

// A conv shape for an in_h x in_w map; out_c is set by the caller. false if nothing fits.
bool make_shape(int in_h, int in_w, int in_c, int k, int stride, Pad pad, ConvShape& s) {
    int top = 0, bottom = 0, left = 0, right = 0;
    switch (pad) {
    case Pad::Valid: break;
    case Pad::Same:
        top = same_pad_before(in_h, k, stride), bottom = same_pad_after(in_h, k, stride);
        left = same_pad_before(in_w, k, stride), right = same_pad_after(in_w, k, stride);
        break;
    case Pad::Symmetric: top = bottom = left = right = k / 2; break;
    case Pad::Keras01: bottom = right = 1; break;  // ZeroPadding2D(((0, 1), (0, 1))) + valid
    case Pad::TopLeftOnly: top = left = k / 2; break;
    }
    s = ConvShape{};
    s.in_h = in_h, s.in_w = in_w, s.in_c = in_c;
    s.kernel_h = s.kernel_w = k;
    s.stride_h = s.stride_w = stride;
    s.pad_top = top, s.pad_left = left;
    s.out_h = out_extent(in_h, k, stride, top, bottom);
    s.out_w = out_extent(in_w, k, stride, left, right);
    s.out_c = in_c;
    return s.out_h > 0 && s.out_w > 0;
}

QByteArray shape_tag(const ConvShape& s, Pad pad) {
    return QString::asprintf("%dx%dx%d->%d k%d s%d %s", s.in_h, s.in_w, s.in_c, s.out_c, s.kernel_h,
                             s.stride_h, pad_name(pad))
        .toLatin1();
}

}  // namespace

class TestKernels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { log_isas(); }
    void cleanupTestCase() { log_checks(); }

    // ---- the reference against hand computations (so "matches the reference" means something) --

    void referenceByHand() {
        const KernelTable& k = scalar();
        // GEMM 2x3 * 3x2 + bias, relu.
        const float A[] = {1, 2, 3, 4, 5, 6}, B[] = {7, 8, 9, 10, 11, 12}, bias[] = {1, -200};
        float C[4];
        k.gemm(2, 2, 3, A, B, bias, C, Activation::Relu);
        QCOMPARE(std::vector<float>(C, C + 4), (std::vector<float>{59, 0, 140, 0}));

        // 3x3 conv, stride 2, pad 1 on the 3x3 map 1..9 -> 2x2. Output channel 0 has all-one
        // weights (sums of the in-range taps), channel 1 only the top-left (weight 1) and
        // bottom-right (weight 2) taps, which tells the tap orientation apart. Bias 0.5 on both.
        const float in[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float w[3 * 3 * 1 * 2] = {};
        for (int t = 0; t < 9; ++t) w[t * 2] = 1.0f;
        w[0 * 2 + 1] = 1.0f;  // (ky 0, kx 0)
        w[8 * 2 + 1] = 2.0f;  // (ky 2, kx 2)
        const float cbias[] = {0.5f, 0.5f};
        ConvShape s;
        s.in_h = s.in_w = 3, s.in_c = 1, s.out_h = s.out_w = 2, s.out_c = 2;
        s.kernel_h = s.kernel_w = 3, s.stride_h = s.stride_w = 2, s.pad_top = s.pad_left = 1;
        float out[8];
        k.conv2d(s, in, w, cbias, out, Activation::None);
        // (0,0): 1+2+4+5 | 2*5      (0,1): 2+3+5+6 | none
        // (1,0): 4+5+7+8 | none     (1,1): 5+6+8+9 | 1*5
        QCOMPARE(std::vector<float>(out, out + 8),
                 (std::vector<float>{12.5f, 10.5f, 16.5f, 0.5f, 24.5f, 0.5f, 28.5f, 5.5f}));

        // 1x1 conv, 2 -> 3 channels: HWIO with KH = KW = 1 is w[ci][co].
        const float px[] = {1, 2}, w11[] = {1, 2, 3, 4, 5, 6};
        ConvShape p;
        p.in_h = p.in_w = p.out_h = p.out_w = 1, p.in_c = 2, p.out_c = 3;
        float o3[3];
        k.conv2d(p, px, w11, nullptr, o3, Activation::None);
        QCOMPARE(std::vector<float>(o3, o3 + 3), (std::vector<float>{9, 12, 15}));

        // Depthwise 3x3, SAME, 2 channels: channel 0 all-one weights, channel 1 only the centre.
        std::vector<float> din(3 * 3 * 2), dw(9 * 2, 0.0f);
        for (int i = 0; i < 9; ++i) din[i * 2] = float(i + 1), din[i * 2 + 1] = float(10 * (i + 1));
        for (int t = 0; t < 9; ++t) dw[t * 2] = 1.0f;
        dw[4 * 2 + 1] = 1.0f;
        ConvShape d = s;
        d.in_c = d.out_c = 2, d.out_h = d.out_w = 3, d.stride_h = d.stride_w = 1;
        std::vector<float> dout(18);
        k.depthwise_conv2d(d, din.data(), dw.data(), nullptr, dout.data(), Activation::None);
        QCOMPARE(dout[0], 12.0f);                         // corner: 1+2+4+5
        QCOMPARE(dout[4 * 2], 45.0f);                     // centre: 1+..+9
        QCOMPARE(dout[5 * 2], 2.0f + 3 + 5 + 6 + 8 + 9);  // right edge (1,2)
        QCOMPARE(dout[4 * 2 + 1], 50.0f);                 // centre tap only
        QCOMPARE(dout[8 * 2 + 1], 90.0f);

        // Activations at and around their kinks.
        const float x[] = {-4, -3, -1.5f, 0, 1, 3, 4, 7};
        float y[8];
        k.activate(x, y, 8, Activation::HardSwish);
        QCOMPARE(std::vector<float>(y, y + 8),
                 (std::vector<float>{0, 0, -0.375f, 0, 4.0f / 6.0f, 3, 4, 7}));
        k.activate(x, y, 8, Activation::HardSigmoid);
        QCOMPARE(std::vector<float>(y, y + 8),
                 (std::vector<float>{0, 0, 0.25f, 0.5f, 4.0f / 6.0f, 1, 1, 1}));
        k.activate(x, y, 8, Activation::Relu6);
        QCOMPARE(std::vector<float>(y, y + 8), (std::vector<float>{0, 0, 0, 0, 1, 3, 4, 6}));
        const float a3[] = {3, 4, 0};
        QCOMPARE(k.dot(a3, a3, 3), 25.0f);
    }

    // The comparison really rejects wrong kernels: a GEMM missing its last k term, a depthwise
    // convolution with its padding off by one, and a NaN.
    void comparisonCatchesBugs() {
        const int M = 13, N = 17, K = 17;
        const auto A = random_floats(std::size_t(M) * K, 1),
                   B = random_floats(std::size_t(K) * N, 2);
        std::vector<float> good(std::size_t(M) * N), missing_k(good.size());
        scalar().gemm(M, N, K, A.data(), B.data(), nullptr, good.data(), Activation::None);
        std::vector<float> B_short(B.begin(), B.end() - N), A_short;
        for (int i = 0; i < M; ++i)
            A_short.insert(A_short.end(), A.begin() + i * K, A.begin() + i * K + K - 1);
        scalar().gemm(M, N, K - 1, A_short.data(), B_short.data(), nullptr, missing_k.data(),
                      Activation::None);
        QVERIFY(!mismatch(missing_k.data(), good.data(), good.size()).isEmpty());

        ConvShape s;
        QVERIFY(make_shape(14, 14, 17, 3, 2, Pad::Same, s));
        const auto in = random_floats(std::size_t(14) * 14 * 17, 3), w = random_floats(9 * 17, 4);
        std::vector<float> ref(std::size_t(s.out_h) * s.out_w * 17), shifted(ref.size());
        scalar().depthwise_conv2d(s, in.data(), w.data(), nullptr, ref.data(), Activation::None);
        ConvShape off = s;
        off.pad_left += 1;
        scalar().depthwise_conv2d(off, in.data(), w.data(), nullptr, shifted.data(),
                                  Activation::None);
        QVERIFY(!mismatch(shifted.data(), ref.data(), ref.size()).isEmpty());

        QVERIFY(!close(kNaN, 0.0f));
        QVERIFY(!close(1.0f + 1e-3f, 1.0f));
        QVERIFY(close(1000.0f * (1.0f + 5e-5f), 1000.0f));
    }

    // ---- GEMM
    // ------------------------------------------------------------------------------------

    void gemm_data() {
        QTest::addColumn<int>("M");
        QTest::addColumn<int>("N");
        QTest::addColumn<int>("K");
        for (int M : {1, 5, 13, 197})
            for (int N : {1, 3, 7, 8, 15, 17, 23, 24, 33, 120})
                for (int K : {1, 3, 17, 240}) QTest::addRow("M%d N%d K%d", M, N, K) << M << N << K;
        // MobileNet-like 1x1 convolutions and edge cases.
        QTest::addRow("3136x24x144") << 3136 << 24 << 144;
        QTest::addRow("196x184x40") << 196 << 184 << 40;
        QTest::addRow("49x1280x320") << 49 << 1280 << 320;
        QTest::addRow("400x88x24") << 400 << 88 << 24;
        QTest::addRow("25x40x1") << 25 << 40 << 1;
        QTest::addRow("K0 gives act(bias)") << 7 << 19 << 0;
    }
    void gemm() {
        QFETCH(int, M);
        QFETCH(int, N);
        QFETCH(int, K);
        const auto A = random_floats(std::size_t(M) * K, 11 + M),
                   B = random_floats(std::size_t(K) * N, 13 + N);
        const auto bias = random_floats(std::size_t(N), 17 + K, -2.0f, 2.0f);
        const std::size_t n = std::size_t(M) * N;
        for (Activation act : kActivations) {
            for (const float* b : {bias.data(), static_cast<const float*>(nullptr)}) {
                Fenced ref(n);
                scalar().gemm(M, N, K, A.data(), B.data(), b, ref.data(), act);
                for (const KernelTable* t : optimised_tables()) {
                    Fenced out(n);
                    t->gemm(M, N, K, A.data(), B.data(), b, out.data(), act);
                    EXPECT_MATCHES(
                        *t, QStringLiteral("gemm %1%2").arg(act_name(act), b ? "" : " no bias"),
                        out, ref);
                }
            }
        }
    }

    // ---- dense convolution
    // -----------------------------------------------------------------------

    void conv2d_data() {
        QTest::addColumn<ConvShape>("shape");
        const int channel_pairs[][2] = {{3, 16}, {1, 3},   {7, 17}, {13, 33},
                                        {17, 1}, {33, 13}, {3, 32}};
        int row = 0;
        for (int map : {1, 13, 14, 15})
            for (int k : {1, 3, 5})
                for (int stride : {1, 2})
                    for (Pad pad :
                         {Pad::Valid, Pad::Same, Pad::Symmetric, Pad::Keras01, Pad::TopLeftOnly}) {
                        const int* ch = channel_pairs[row++ % 7];
                        ConvShape s;
                        if (!make_shape(map, map, ch[0], k, stride, pad, s)) continue;
                        s.out_c = ch[1];
                        QTest::newRow(shape_tag(s, pad).constData()) << s;
                    }
        ConvShape s;  // the first layer of both networks, at a reduced size, and a non-square map
        make_shape(33, 33, 3, 3, 2, Pad::Same, s), s.out_c = 16;
        QTest::newRow("stem 33x33x3->16 k3 s2 same") << s;
        make_shape(9, 20, 24, 1, 2, Pad::Valid, s), s.out_c = 40;
        QTest::newRow("1x1 s2 9x20x24->40") << s;
        make_shape(12, 7, 40, 3, 1, Pad::Same, s), s.out_c = 120;
        QTest::newRow("3x3 12x7x40->120") << s;
        // Wide enough rows for the implicit-im2col interior path of every ISA (>= 12 pixels).
        make_shape(40, 40, 17, 5, 1, Pad::Symmetric, s), s.out_c = 24;
        QTest::newRow("5x5 s1 40x40x17->24 sym") << s;
        make_shape(30, 31, 8, 3, 2, Pad::Keras01, s), s.out_c = 33;
        QTest::newRow("3x3 s2 30x31x8->33 keras01") << s;
        make_shape(29, 29, 3, 3, 2, Pad::TopLeftOnly, s), s.out_c = 16;
        QTest::newRow("3x3 s2 29x29x3->16 topleft") << s;
    }
    void conv2d() {
        QFETCH(ConvShape, shape);
        const ConvShape& s = shape;
        const auto in = random_floats(std::size_t(s.in_h) * s.in_w * s.in_c, 21 + s.in_c);
        const auto w =
            random_floats(std::size_t(s.kernel_h) * s.kernel_w * s.in_c * s.out_c, 23 + s.out_c);
        const auto bias = random_floats(std::size_t(s.out_c), 29, -2.0f, 2.0f);
        const std::size_t n = std::size_t(s.out_h) * s.out_w * s.out_c;
        for (Activation act : kActivations) {
            Fenced ref(n);
            scalar().conv2d(s, in.data(), w.data(), bias.data(), ref.data(), act);
            for (const KernelTable* t : optimised_tables()) {
                Fenced out(n);
                t->conv2d(s, in.data(), w.data(), bias.data(), out.data(), act);
                EXPECT_MATCHES(*t, QStringLiteral("conv2d ") + act_name(act), out, ref);
            }
        }
        if (s.kernel_h == 1 && s.stride_h == 1 && s.pad_top == 0 && s.out_h == s.in_h &&
            s.out_w == s.in_w) {
            // The header's promise: a 1x1/s1 unpadded convolution is exactly a GEMM.
            for (Isa isa : available_isas()) {
                const KernelTable& t = *kernels_for(isa);
                Fenced a(n), b(n);
                t.conv2d(s, in.data(), w.data(), bias.data(), a.data(), Activation::Relu6);
                t.gemm(s.in_h * s.in_w, s.out_c, s.in_c, in.data(), w.data(), bias.data(), b.data(),
                       Activation::Relu6);
                QVERIFY(std::equal(a.data(), a.data() + n, b.data()));
            }
        }
    }

    // ---- depthwise convolution
    // -------------------------------------------------------------------

    void depthwise_data() {
        QTest::addColumn<ConvShape>("shape");
        for (int c : {1, 3, 7, 13, 17, 33, 120, 184})
            for (int map : {1, 13, 14, 15})
                for (int k : {1, 3, 5})
                    for (int stride : {1, 2})
                        for (Pad pad : {Pad::Valid, Pad::Same, Pad::Symmetric, Pad::Keras01,
                                        Pad::TopLeftOnly}) {
                            ConvShape s;
                            if (!make_shape(map, map, c, k, stride, pad, s)) continue;
                            QTest::newRow(shape_tag(s, pad).constData()) << s;
                        }
        // MobileNet layers, plus a kernel size only the generic path takes.
        const struct {
            int map, c, k, stride;
            Pad pad;
        } layers[] = {{56, 144, 3, 1, Pad::Same},      {56, 144, 3, 2, Pad::Same},
                      {28, 72, 5, 2, Pad::Keras01},    {20, 360, 5, 1, Pad::Same},
                      {40, 120, 5, 1, Pad::Symmetric}, {13, 24, 7, 1, Pad::Same},
                      {16, 32, 3, 2, Pad::Keras01}};
        for (const auto& l : layers) {
            ConvShape s;
            make_shape(l.map, l.map, l.c, l.k, l.stride, l.pad, s);
            QTest::newRow(shape_tag(s, l.pad).constData()) << s;
        }
        ConvShape s;
        make_shape(9, 21, 40, 3, 2, Pad::Same, s);
        QTest::newRow("non-square 9x21x40 k3 s2 same") << s;
    }
    void depthwise() {
        QFETCH(ConvShape, shape);
        const ConvShape& s = shape;
        const auto in = random_floats(std::size_t(s.in_h) * s.in_w * s.in_c, 31 + s.in_h);
        const auto w = random_floats(std::size_t(s.kernel_h) * s.kernel_w * s.in_c, 37 + s.in_c);
        const auto bias = random_floats(std::size_t(s.in_c), 41, -2.0f, 2.0f);
        const std::size_t n = std::size_t(s.out_h) * s.out_w * s.in_c;
        for (Activation act : kActivations) {
            for (const float* b : {bias.data(), static_cast<const float*>(nullptr)}) {
                Fenced ref(n);
                scalar().depthwise_conv2d(s, in.data(), w.data(), b, ref.data(), act);
                for (const KernelTable* t : optimised_tables()) {
                    Fenced out(n);
                    t->depthwise_conv2d(s, in.data(), w.data(), b, out.data(), act);
                    EXPECT_MATCHES(
                        *t,
                        QStringLiteral("depthwise %1%2").arg(act_name(act), b ? "" : " no bias"),
                        out, ref);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestKernels)
#include "test_kernels.moc"
