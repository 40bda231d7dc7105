// LowRankAdapter (Adapter.h): the map itself (identity while B = 0, equal to a plain double-precision
// evaluation of normalize(x + (alpha/r) B A x), apply_rows equal to apply row by row, the stack
// applying base then fast), and its bytes (round trip bit-exact; truncated, flipped-bit,
// wrong-magic, NaN and absurd-size blobs refused with a message naming what is wrong).
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "ruvision/engine/Adapter.h"

using rv::LowRankAdapter;

namespace {

std::uint64_t lcg(std::uint64_t& s) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return s >> 11;
}
float uniform(std::uint64_t& s) { return static_cast<float>(lcg(s) * 0x1.0p-53) * 2.0f - 1.0f; }

// n random unit rows of dim floats.
std::vector<float> unit_rows(std::size_t n, int dim, std::uint64_t seed) {
    std::vector<float> x(n * dim);
    for (std::size_t i = 0; i < n; ++i) {
        double norm = 0;
        for (int j = 0; j < dim; ++j) {
            x[i * dim + j] = uniform(seed);
            norm += double(x[i * dim + j]) * x[i * dim + j];
        }
        for (int j = 0; j < dim; ++j) x[i * dim + j] = static_cast<float>(x[i * dim + j] / std::sqrt(norm));
    }
    return x;
}

// An adapter with random A and a non-zero random B (a trained-looking one).
LowRankAdapter random_adapter(int dim, int rank, float alpha, std::uint64_t seed) {
    LowRankAdapter ad = LowRankAdapter::initial(dim, rank, alpha, seed);
    for (auto& v : ad.b) v = 0.3f * uniform(seed);
    return ad;
}

// The definition, evaluated in double.
std::vector<double> reference(const LowRankAdapter& ad, const float* x) {
    const int d = ad.dim, r = ad.rank;
    std::vector<double> h(r, 0.0), z(d);
    for (int k = 0; k < r; ++k)
        for (int j = 0; j < d; ++j) h[k] += double(ad.a[k * d + j]) * x[j];
    double norm = 0;
    for (int i = 0; i < d; ++i) {
        double bh = 0;
        for (int k = 0; k < r; ++k) bh += double(ad.b[i * r + k]) * h[k];
        z[i] = x[i] + double(ad.alpha) / r * bh;
        norm += z[i] * z[i];
    }
    norm = std::sqrt(norm);
    for (auto& v : z) v = norm > 0 ? v / norm : 0;
    return z;
}

QString parse_error(const std::vector<std::uint8_t>& bytes) {
    auto r = rv::parse_adapter(bytes.data(), bytes.size());
    return r.ok() ? QString() : QString::fromStdString(r.error().message);
}

void patch_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Recomputes the trailing FNV-1a checksum, so a test can build bytes wrong in one field only.
void reseal(std::vector<std::uint8_t>& b) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i + 8 < b.size(); ++i) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    for (int i = 0; i < 8; ++i) b[b.size() - 8 + i] = static_cast<std::uint8_t>(h >> (8 * i));
}

}  // namespace

class TestAdapter : public QObject {
    Q_OBJECT
private slots:
    void initialIsIdentityOnUnitVectors() {
        for (int dim : {7, 33, 576}) {
            const LowRankAdapter ad = LowRankAdapter::initial(dim, 5, 5, 42);
            QVERIFY(ad.valid());
            QCOMPARE(ad.parameter_count(), std::size_t(2 * dim * 5));
            bool a_nonzero = false;
            for (float v : ad.a) a_nonzero |= v != 0;
            QVERIFY(a_nonzero);  // A random, B zero: training can move B at once
            for (float v : ad.b) QCOMPARE(v, 0.0f);
            const auto x = unit_rows(20, dim, 7);
            std::vector<float> y(x.size());
            ad.apply_rows(x.data(), y.data(), 20);
            for (std::size_t i = 0; i < x.size(); ++i) QVERIFY(std::abs(y[i] - x[i]) < 1e-6f);
        }
    }

    void applyMatchesTheDefinition() {
        for (auto [dim, rank] : {std::pair{7, 1}, {13, 3}, {33, 5}, {576, 16}}) {
            const LowRankAdapter ad = random_adapter(dim, rank, 2.0f * rank, 3);
            const auto x = unit_rows(5, dim, 11);
            std::vector<float> y(dim);
            for (int i = 0; i < 5; ++i) {
                ad.apply(x.data() + i * dim, y.data());
                const auto ref = reference(ad, x.data() + i * dim);
                double moved = 0;
                for (int j = 0; j < dim; ++j) {
                    QVERIFY2(std::abs(y[j] - ref[j]) < 2e-6, qPrintable(QString("dim %1 rank %2").arg(dim).arg(rank)));
                    moved += std::abs(ref[j] - x[i * dim + j]);
                }
                QVERIFY(moved > 1e-3);  // the adapter does something: the comparison is not identity vs identity
            }
        }
    }

    void applyRowsEqualsApplyRowByRow() {
        for (auto [dim, rank, n] : {std::tuple{13, 3, 1000}, {576, 16, 700}, {33, 1, 257}}) {
            const LowRankAdapter ad = random_adapter(dim, rank, 4, 5);
            const auto x = unit_rows(n, dim, 13);
            std::vector<float> rows(x.size()), one(dim);
            ad.apply_rows(x.data(), rows.data(), n);
            for (int i = 0; i < n; ++i) {
                ad.apply(x.data() + std::size_t(i) * dim, one.data());
                for (int j = 0; j < dim; ++j) QVERIFY(std::abs(one[j] - rows[std::size_t(i) * dim + j]) < 1e-6f);
            }
        }
    }

    void zeroStaysZeroAndEmptyCopies() {
        const LowRankAdapter ad = random_adapter(13, 3, 3, 9);
        std::vector<float> zero(13, 0.0f), y(13, 1.0f);
        ad.apply(zero.data(), y.data());
        for (float v : y) QCOMPARE(v, 0.0f);

        LowRankAdapter none;
        QVERIFY(none.empty());
        QVERIFY(none.valid());
        rv::AdapterStack stack;
        QVERIFY(stack.empty());
        const auto x = unit_rows(3, 13, 1);
        std::vector<float> out(x.size());
        stack.apply_rows(x.data(), out.data(), 3, 13);
        QCOMPARE(out, x);
    }

    void stackAppliesBaseThenFast() {
        const int dim = 33;
        rv::AdapterStack stack;
        stack.base = random_adapter(dim, 8, 8, 21);
        stack.fast = random_adapter(dim, 2, 2, 22);
        const std::size_t n = 600;  // more than one block
        const auto x = unit_rows(n, dim, 23);
        std::vector<float> mid(x.size()), expected(x.size()), got(x.size()), one(dim);
        stack.base.apply_rows(x.data(), mid.data(), n);
        stack.fast.apply_rows(mid.data(), expected.data(), n);
        stack.apply_rows(x.data(), got.data(), n, dim);
        QCOMPARE(got, expected);
        stack.apply(x.data() + 5 * dim, one.data(), dim);
        for (int j = 0; j < dim; ++j) QVERIFY(std::abs(one[j] - expected[5 * dim + j]) < 1e-6f);
        // Only one of the two: that one alone.
        rv::AdapterStack fast_only;
        fast_only.fast = stack.fast;
        fast_only.apply_rows(mid.data(), got.data(), n, dim);
        QCOMPARE(got, expected);
    }

    void validChecksSizesAndFiniteness() {
        LowRankAdapter ad = random_adapter(7, 2, 2, 1);
        QVERIFY(ad.valid());
        LowRankAdapter nan = ad;
        nan.b[3] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(!nan.valid());
        LowRankAdapter inf_alpha = ad;
        inf_alpha.alpha = std::numeric_limits<float>::infinity();
        QVERIFY(!inf_alpha.valid());
        LowRankAdapter short_a = ad;
        short_a.a.pop_back();
        QVERIFY(!short_a.valid());
        LowRankAdapter wrong_rank = ad;
        wrong_rank.rank = 3;
        QVERIFY(!wrong_rank.valid());
    }

    void bytesRoundTripBitExact() {
        for (auto [dim, rank] : {std::pair{7, 1}, {576, 16}, {33, 5}}) {
            LowRankAdapter ad = random_adapter(dim, rank, 1.25f * rank, 77);
            ad.a[0] = -0.0f;                                   // signed zero
            ad.b[1] = std::numeric_limits<float>::denorm_min();  // subnormal
            const auto bytes = rv::serialize_adapter(ad);
            auto parsed = rv::parse_adapter(bytes.data(), bytes.size());
            QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
            QCOMPARE(parsed->dim, dim);
            QCOMPARE(parsed->rank, rank);
            QVERIFY(std::memcmp(&parsed->alpha, &ad.alpha, sizeof(float)) == 0);
            QCOMPARE(parsed->a.size(), ad.a.size());
            QCOMPARE(parsed->b.size(), ad.b.size());
            QVERIFY(std::memcmp(parsed->a.data(), ad.a.data(), ad.a.size() * 4) == 0);
            QVERIFY(std::memcmp(parsed->b.data(), ad.b.data(), ad.b.size() * 4) == 0);
            QCOMPARE(rv::serialize_adapter(*parsed), bytes);
        }
        const auto empty_bytes = rv::serialize_adapter(LowRankAdapter{});
        auto empty = rv::parse_adapter(empty_bytes.data(), empty_bytes.size());
        QVERIFY(empty.ok());
        QVERIFY(empty->empty());
    }

    void damagedBytesAreRefusedWithTheReason() {
        const auto good = rv::serialize_adapter(random_adapter(7, 2, 2, 5));
        QVERIFY(parse_error(good).isEmpty());

        // Truncated at every length: never accepted, the fixed part or the length named.
        for (std::size_t n = 0; n < good.size(); ++n) {
            std::vector<std::uint8_t> cut(good.begin(), good.begin() + n);
            const QString e = parse_error(cut);
            QVERIFY2(e.contains("truncated") || e.contains("magic"), qPrintable(QString::number(n) + ": " + e));
        }
        QVERIFY(parse_error({good.begin(), good.end() - 1}).contains("truncated"));
        QVERIFY(rv::parse_adapter(nullptr, 0).error().message.find("truncated") != std::string::npos);
        auto longer = good;
        longer.push_back(0);
        QVERIFY(parse_error(longer).contains("trailing bytes"));

        // Every single flipped bit is caught (by magic, version, sizes or checksum).
        for (std::size_t i = 0; i < good.size(); ++i)
            for (int bit = 0; bit < 8; ++bit) {
                auto flipped = good;
                flipped[i] ^= static_cast<std::uint8_t>(1u << bit);
                QVERIFY2(!parse_error(flipped).isEmpty(), qPrintable(QString("byte %1 bit %2").arg(i).arg(bit)));
            }
        auto in_data = good;
        in_data[40] ^= 0x10;
        QVERIFY(parse_error(in_data).contains("checksum"));

        auto magic = good;
        magic[0] = 'X';
        QVERIFY(parse_error(magic).contains("wrong magic"));
        auto version = good;
        patch_u32(version, 8, 7);
        reseal(version);
        QVERIFY(parse_error(version).contains("version 7"));

        auto huge_dim = good;
        patch_u32(huge_dim, 12, 0x80000000u);
        reseal(huge_dim);
        QVERIFY(parse_error(huge_dim).contains("absurd dimension"));
        auto huge_rank = good;
        patch_u32(huge_rank, 16, 0xFFFFFFFFu);
        reseal(huge_rank);
        QVERIFY(parse_error(huge_rank).contains("absurd rank"));
        auto lying_rank = good;  // sizes that disagree with the length, checksum valid
        patch_u32(lying_rank, 16, 3);
        reseal(lying_rank);
        QVERIFY(parse_error(lying_rank).contains("truncated"));

        LowRankAdapter with_nan = random_adapter(7, 2, 2, 5);
        with_nan.a[4] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(parse_error(rv::serialize_adapter(with_nan)).contains("matrix A holds a non-finite value"));
        LowRankAdapter with_inf = random_adapter(7, 2, 2, 5);
        with_inf.b[13] = -std::numeric_limits<float>::infinity();
        QVERIFY(parse_error(rv::serialize_adapter(with_inf)).contains("matrix B holds a non-finite value"));
        LowRankAdapter huge = random_adapter(7, 2, 2, 5);
        huge.b[2] = 3e30f;  // finite, but applying it would overflow
        QVERIFY(parse_error(rv::serialize_adapter(huge)).contains("matrix B holds an absurd value"));
        LowRankAdapter huge_alpha = random_adapter(7, 2, 2, 5);
        huge_alpha.alpha = 1e20f;
        QVERIFY(parse_error(rv::serialize_adapter(huge_alpha)).contains("absurd alpha"));
        LowRankAdapter nan_alpha = random_adapter(7, 2, 2, 5);
        nan_alpha.alpha = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(parse_error(rv::serialize_adapter(nan_alpha)).contains("alpha"));
    }
};

QTEST_GUILESS_MAIN(TestAdapter)
#include "test_adapter.moc"
