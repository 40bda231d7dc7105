// Element-wise, per-channel, pooling and vector kernels: activate and add (also in place),
// scale_channels, global_avg_pool, gem_pool (over a range of p, and p = 1 equal to average
// pooling), dot and l2_normalize of every optimised ISA this CPU runs against the scalar reference,
// on lengths around every SIMD width and channel counts with tails; l2_normalize also on zero,
// tiny and huge vectors. Outputs start as NaN and are fenced by canaries, so an unwritten element
// or a write past the end fails too.
#include "kernel_test_util.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

using namespace kernel_test;

class TestKernelsVector : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { log_isas(); }
    void cleanupTestCase() { log_checks(); }

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

QTEST_APPLESS_MAIN(TestKernelsVector)
#include "test_kernels_vector.moc"
