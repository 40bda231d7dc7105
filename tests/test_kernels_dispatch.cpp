// ISA dispatch: parse_isa accepts exactly the ISA names (any case, trimmed) and round-trips them;
// kernels_for gives a complete table for each ISA available_isas() lists and none for the others;
// kernels() honours RUVISION_ISA when that ISA is available, else takes the best one, and chooses
// once.
#include "kernel_test_util.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <string_view>
#include <vector>

using namespace kernel_test;

class TestKernelsDispatch : public QObject {
    Q_OBJECT

private slots:
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
#if defined(__aarch64__)
        QVERIFY(kernels_for(Isa::Neon) != nullptr);  // Advanced SIMD is part of arm64
        QVERIFY(kernels_for(Isa::Sse2) == nullptr);
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
};

QTEST_APPLESS_MAIN(TestKernelsDispatch)
#include "test_kernels_dispatch.moc"
