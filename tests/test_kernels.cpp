// Kernel tests: the scalar reference against hand computations, then every optimised ISA this CPU
// runs (kernels_for(each of available_isas())) against the scalar reference on awkward shapes:
// odd channel counts, tiny and odd maps, strides 1 and 2, symmetric and asymmetric padding, GEMM
// row/column/depth tails, every activation, in-place forms. Outputs start as NaN and are fenced by
// canaries, so an unwritten element or a write past the end fails too.
#include "ruvision/kernels/kernels.h"

#include <QtTest/QtTest>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <vector>

using namespace rv::kernels;

Q_DECLARE_METATYPE(rv::kernels::ConvShape)

namespace {

// Tolerance: |got - ref| <= kTol * (1 + |ref|).
// Optimised kernels sum in another order (register blocks, split partial sums, FMA instead of
// mul+add) and gem_pool uses a polynomial exp/log, so results differ from the reference by float
// rounding: for the largest reductions here (K <= 825 terms in [-1, 1]) that is ~1e-5 absolute at
// worst in practice (random-walk growth, sqrt(K) * 2^-24 * |partial sums|), and a few ulp (~1e-7
// relative) for element-wise work. 1e-4, absolute near zero and relative for large values, keeps a
// 10x margin above that while a real bug (one missing or misplaced tap or k term moves an output
// by ~|a*b| ~ 0.1 .. 1) is 1000x above it. NaN never compares close.
constexpr float kTol = 1e-4f;
constexpr float kCanary = -7777.0f;
const float kNaN = std::numeric_limits<float>::quiet_NaN();

constexpr Activation kActivations[] = {Activation::None, Activation::Relu, Activation::Relu6,
                                       Activation::HardSwish, Activation::HardSigmoid};

const char* act_name(Activation a) {
    switch (a) {
    case Activation::None: return "none";
    case Activation::Relu: return "relu";
    case Activation::Relu6: return "relu6";
    case Activation::HardSwish: return "hardswish";
    case Activation::HardSigmoid: return "hardsigmoid";
    }
    return "?";
}

bool close(float got, float ref) {
    return std::fabs(got - ref) <= kTol * (1.0f + std::fabs(ref));
}

// Deterministic uniform floats in [lo, hi).
std::vector<float> random_floats(std::size_t n, std::uint32_t seed, float lo = -1.0f,
                                 float hi = 1.0f) {
    std::vector<float> v(n);
    std::uint32_t s = seed * 2654435761u + 12345u;
    for (float& x : v) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        x = lo + (hi - lo) * float(s >> 8) / float(1u << 24);
    }
    return v;
}

// An output buffer: n NaNs fenced by canaries on both sides.
class Fenced {
public:
    explicit Fenced(std::size_t n, float fill = kNaN) : v_(n + 2 * kGuard, kCanary), n_(n) {
        std::fill(data(), data() + n, fill);
    }
    Fenced(const std::vector<float>& init) : Fenced(init.size()) {
        std::copy(init.begin(), init.end(), data());
    }
    float* data() { return v_.data() + kGuard; }
    const float* data() const { return v_.data() + kGuard; }
    std::size_t size() const { return n_; }
    bool fences_intact() const {
        for (std::size_t i = 0; i < kGuard; ++i) {
            if (v_[i] != kCanary || v_[kGuard + n_ + i] != kCanary) return false;
        }
        return true;
    }

private:
    static constexpr std::size_t kGuard = 64;
    std::vector<float> v_;
    std::size_t n_;
};

// Empty if got matches ref within kTol, else where and how it first differs.
QString mismatch(const float* got, const float* ref, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (!close(got[i], ref[i])) {
            return QString::asprintf("index %zu of %zu: got %.9g, reference %.9g", i, n,
                                     double(got[i]), double(ref[i]));
        }
    }
    return {};
}

QString isa_str(Isa isa) {
    return QString::fromLatin1(isa_name(isa).data(), int(isa_name(isa).size()));
}

// The optimised tables under test: every available ISA except the scalar reference itself.
std::vector<const KernelTable*> optimised_tables() {
    std::vector<const KernelTable*> tables;
    for (Isa isa : available_isas()) {
        if (isa != Isa::Scalar) tables.push_back(kernels_for(isa));
    }
    return tables;
}

std::map<Isa, int>& checks_per_isa() {
    static std::map<Isa, int> counts;
    return counts;
}

// Fails the current test (from inside its body) if `out` differs from `ref` or broke its fences.
#define EXPECT_MATCHES(table, what, out, ref)                                           \
    do {                                                                                \
        const QString where_ =                                                          \
            isa_str((table).isa) + QStringLiteral(" ") + (what) + QStringLiteral(": "); \
        if (!(out).fences_intact())                                                     \
            QFAIL(qPrintable(where_ + QStringLiteral("wrote outside its output")));     \
        const QString diff_ = mismatch((out).data(), (ref).data(), (ref).size());       \
        if (!diff_.isEmpty()) QFAIL(qPrintable(where_ + diff_));                        \
        ++checks_per_isa()[(table).isa];                                                \
    } while (0)

const KernelTable& scalar() {
    return *kernels_for(Isa::Scalar);
}

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
    void initTestCase() {
        QStringList names;
        for (Isa isa : available_isas()) names << isa_str(isa);
        qInfo().noquote() << "kernel ISAs exercised:" << names.join(QStringLiteral(", "))
                          << "| kernels() uses" << isa_str(kernels().isa)
                          << "| RUVISION_ISA=" << qEnvironmentVariable("RUVISION_ISA");
    }

    void cleanupTestCase() {
        for (const auto& [isa, n] : checks_per_isa()) {
            qInfo().noquote() << isa_str(isa) << "passed" << n << "output comparisons";
        }
    }

    // ---- dispatch ------------------------------------------------------------------------------

    void parseIsa_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("isa");
        const struct {
            const char* text;
            bool ok;
            Isa isa;
        } rows[] = {{"scalar", true, Isa::Scalar},    {"sse2", true, Isa::Sse2},
                    {"avx2", true, Isa::Avx2},        {"avx512", true, Isa::Avx512},
                    {"neon", true, Isa::Neon},        {"AVX2", true, Isa::Avx2},
                    {" avx512 ", true, Isa::Avx512}, {"", false, Isa::Scalar},
                    {"avx", false, Isa::Scalar},      {"sse", false, Isa::Scalar},
                    {"avx5122", false, Isa::Scalar},  {"avx-512", false, Isa::Scalar}};
        for (const auto& r : rows) {
            QTest::addRow("'%s'", r.text) << QString::fromLatin1(r.text) << r.ok << int(r.isa);
        }
    }
    void parseIsa() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(int, isa);
        const QByteArray utf8 = text.toUtf8();
        Isa parsed = Isa::Neon;
        QCOMPARE(parse_isa(std::string_view(utf8.constData(), std::size_t(utf8.size())), parsed),
                 ok);
        if (ok) {
            QCOMPARE(int(parsed), isa);
            Isa again{};
            QVERIFY(parse_isa(isa_name(parsed), again));  // names round-trip
            QCOMPARE(again, parsed);
        }
    }

    void tablesAndAvailability() {
        const std::vector<Isa> isas = available_isas();
        QVERIFY(!isas.empty());
        QCOMPARE(isas.front(), Isa::Scalar);
        for (Isa isa : {Isa::Scalar, Isa::Sse2, Isa::Avx2, Isa::Avx512, Isa::Neon}) {
            const KernelTable* t = kernels_for(isa);
            const bool listed = std::find(isas.begin(), isas.end(), isa) != isas.end();
            QCOMPARE(t != nullptr, listed);
            if (!t) continue;
            QCOMPARE(t->isa, isa);
            QVERIFY(t->gemm && t->conv2d && t->depthwise_conv2d && t->activate && t->add &&
                    t->scale_channels && t->global_avg_pool && t->gem_pool && t->dot &&
                    t->l2_normalize);
        }
#if defined(__x86_64__)
        QVERIFY(kernels_for(Isa::Sse2) != nullptr);  // SSE2 is part of x86-64
        QVERIFY(kernels_for(Isa::Neon) == nullptr);
#endif
        // kernels() honours RUVISION_ISA when that ISA is available, else takes the best one.
        Isa forced{};
        const QByteArray env = qgetenv("RUVISION_ISA");
        if (!env.isEmpty() && parse_isa(env.toStdString(), forced) && kernels_for(forced)) {
            QCOMPARE(kernels().isa, forced);
        } else {
            QCOMPARE(kernels().isa, isas.back());
        }
        QCOMPARE(&kernels(), &kernels());  // chosen once
    }

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

    // ---- element-wise
    // ----------------------------------------------------------------------------

    void elementwise_data() {
        QTest::addColumn<int>("n");
        for (int n : {0, 1, 3, 7, 15, 16, 17, 31, 33, 64, 65, 1000}) QTest::addRow("n%d", n) << n;
    }
    void elementwise() {
        QFETCH(int, n);
        const std::size_t un = std::size_t(n);
        const auto x = random_floats(un, 51 + n, -8.0f, 8.0f),
                   z = random_floats(un, 53 + n, -8.0f, 8.0f);
        for (Activation act : kActivations) {
            Fenced ref_act(un), ref_add(un);
            scalar().activate(x.data(), ref_act.data(), un, act);
            scalar().add(x.data(), z.data(), ref_add.data(), un, act);
            for (const KernelTable* t : optimised_tables()) {
                const QString a = act_name(act);
                Fenced out(un);
                t->activate(x.data(), out.data(), un, act);
                EXPECT_MATCHES(*t, "activate " + a, out, ref_act);
                Fenced inplace(x);
                t->activate(inplace.data(), inplace.data(), un, act);
                EXPECT_MATCHES(*t, "activate in place " + a, inplace, ref_act);

                Fenced sum(un);
                t->add(x.data(), z.data(), sum.data(), un, act);
                EXPECT_MATCHES(*t, "add " + a, sum, ref_add);
                Fenced into_a(x), into_b(z);
                t->add(into_a.data(), z.data(), into_a.data(), un, act);
                EXPECT_MATCHES(*t, "add in place (y == a) " + a, into_a, ref_add);
                t->add(x.data(), into_b.data(), into_b.data(), un, act);
                EXPECT_MATCHES(*t, "add in place (y == b) " + a, into_b, ref_add);
            }
        }
    }

    void channelsAndPooling_data() {
        QTest::addColumn<int>("pixels");
        QTest::addColumn<int>("channels");
        for (int pixels : {1, 7, 49, 100})
            for (int channels : {1, 3, 13, 17, 33, 120, 184, 960})
                QTest::addRow("%dpx x %dch", pixels, channels) << pixels << channels;
    }
    void channelsAndPooling() {
        QFETCH(int, pixels);
        QFETCH(int, channels);
        const std::size_t P = std::size_t(pixels), C = std::size_t(channels), n = P * C;
        const auto x = random_floats(n, 61 + pixels, -3.0f, 3.0f);
        const auto pos = random_floats(n, 67 + channels, 0.0f, 2.0f);  // post-ReLU-like features
        const auto gate = random_floats(C, 71, 0.0f, 1.0f);

        Fenced ref_scaled(n), ref_avg(C);
        scalar().scale_channels(x.data(), gate.data(), ref_scaled.data(), P, C);
        scalar().global_avg_pool(x.data(), ref_avg.data(), P, C);
        for (const KernelTable* t : optimised_tables()) {
            Fenced scaled(n), inplace(x), avg(C);
            t->scale_channels(x.data(), gate.data(), scaled.data(), P, C);
            EXPECT_MATCHES(*t, QStringLiteral("scale_channels"), scaled, ref_scaled);
            t->scale_channels(inplace.data(), gate.data(), inplace.data(), P, C);
            EXPECT_MATCHES(*t, QStringLiteral("scale_channels in place"), inplace, ref_scaled);
            t->global_avg_pool(x.data(), avg.data(), P, C);
            EXPECT_MATCHES(*t, QStringLiteral("global_avg_pool"), avg, ref_avg);
        }
        for (float p : {1.0f, 2.0f, 3.0f, 4.0f, 4.5f, 0.5f, 8.0f}) {
            Fenced ref_gem(C);
            scalar().gem_pool(pos.data(), ref_gem.data(), P, C, p);
            for (const KernelTable* t : optimised_tables()) {
                Fenced gem(C);
                t->gem_pool(pos.data(), gem.data(), P, C, p);
                EXPECT_MATCHES(*t, QStringLiteral("gem_pool p=%1").arg(double(p)), gem, ref_gem);
            }
        }
        // GeM with p = 1 is average pooling (inputs >= eps), on every table including the scalar
        // one.
        for (Isa isa : available_isas()) {
            const KernelTable& t = *kernels_for(isa);
            Fenced gem(C), avg(C);
            t.gem_pool(pos.data(), gem.data(), P, C, 1.0f);
            t.global_avg_pool(pos.data(), avg.data(), P, C);
            EXPECT_MATCHES(t, QStringLiteral("gem_pool p=1 vs global_avg_pool"), gem, avg);
        }
    }

    // ---- vectors
    // ---------------------------------------------------------------------------------

    void vectors_data() {
        QTest::addColumn<int>("n");
        for (int n : {0, 1, 15, 16, 17, 33, 1000, 1280}) QTest::addRow("n%d", n) << n;
    }
    void vectors() {
        QFETCH(int, n);
        const std::size_t un = std::size_t(n);
        const auto a = random_floats(un, 81 + n), b = random_floats(un, 83 + n);
        const float ref_dot = scalar().dot(a.data(), b.data(), un);
        Fenced ref_unit(a);
        scalar().l2_normalize(ref_unit.data(), un);
        for (const KernelTable* t : optimised_tables()) {
            const float d = t->dot(a.data(), b.data(), un);
            if (!close(d, ref_dot))
                QFAIL(qPrintable(isa_str(t->isa) +
                                 QStringLiteral(" dot: %1 vs %2").arg(d).arg(ref_dot)));
            ++checks_per_isa()[t->isa];
            Fenced unit(a);
            t->l2_normalize(unit.data(), un);
            EXPECT_MATCHES(*t, QStringLiteral("l2_normalize"), unit, ref_unit);
        }
        if (n == 0) QCOMPARE(ref_dot, 0.0f);
    }

    void l2NormalizeEdgeCases() {
        for (Isa isa : available_isas()) {
            const KernelTable& t = *kernels_for(isa);
            const QByteArray name = isa_str(isa).toLatin1();
            std::vector<float> zero(37, 0.0f);
            t.l2_normalize(zero.data(), zero.size());
            QVERIFY2(std::all_of(zero.begin(), zero.end(), [](float v) { return v == 0.0f; }),
                     name);
            t.l2_normalize(nullptr, 0);  // n = 0 touches nothing
            // Squares that underflow or overflow in float still normalise to a unit vector.
            for (float scale : {1e-30f, 1e30f, 1.0f}) {
                std::vector<float> v = random_floats(19, 91);
                for (float& e : v) e *= scale;
                t.l2_normalize(v.data(), v.size());
                double norm = 0.0;
                for (float e : v) norm += double(e) * e;
                QVERIFY2(std::fabs(std::sqrt(norm) - 1.0) < 1e-5,
                         name + " scale " + QByteArray::number(scale));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestKernels)
#include "test_kernels.moc"
