// The analytic gradients of the adapter's losses (engine/src/learning/PairLosses.h) against central
// finite differences, in double, on awkward sizes (dim 7, 13, 33; rank 1, 3, 5; batches of 1, 3
// and 7 pairs), each loss alone, all together, and the online-EWC penalty; and the float path
// (what training runs, on the SIMD kernels) against the double one.
#include <QtTest>

#include <cmath>
#include <vector>

#include "adapter_test_util.h"
#include "learning/PairLosses.h"

using namespace rv::learning;

namespace {

struct Problem {
    int dim = 0, rank = 0;
    double scale = 1;
    std::vector<double> a, b, x;  // x: batch.rows x dim, unit rows
    LossBatch batch;
};

// `pairs` pairs over 2 * pairs + 3 rows: pair k joins rows 2k and 2k+1, alike when k is even; each
// alike pair gives two triplets against the extra rows, and two InfoNCE terms whose negatives are
// the other pairs' rows plus the extra rows (so a batch of one pair has negatives too).
Problem make_problem(int dim, int rank, int pairs, std::uint64_t seed) {
    adapter_test::Rng rng(seed);
    Problem p;
    p.dim = dim;
    p.rank = rank;
    p.scale = 1.7 / rank;
    const std::size_t d = std::size_t(dim), r = std::size_t(rank);
    p.a.resize(r * d);
    p.b.resize(d * r);
    for (auto& v : p.a) v = rng.normal() / std::sqrt(double(dim));
    for (auto& v : p.b) v = 0.5 * rng.normal();
    const std::uint32_t rows = std::uint32_t(2 * pairs + 3);
    p.batch.rows = rows;
    p.x.resize(rows * d);
    for (std::uint32_t i = 0; i < rows; ++i) {
        double n = 0;
        for (std::size_t j = 0; j < d; ++j) n += std::pow(p.x[i * d + j] = rng.normal(), 2);
        for (std::size_t j = 0; j < d; ++j) p.x[i * d + j] /= std::sqrt(n);
    }
    const std::uint32_t extra = rows - 3;
    for (int k = 0; k < pairs; ++k) {
        const std::uint32_t u = std::uint32_t(2 * k), v = u + 1;
        const bool alike = k % 2 == 0;
        p.batch.pairs.push_back({u, v, alike});
        if (!alike) continue;
        for (std::uint32_t e = extra; e < rows; ++e) {
            p.batch.triplets.push_back({u, v, e});
            p.batch.triplets.push_back({v, u, e});
        }
        LossBatch::Nce fwd{u, v, {}}, back{v, u, {}};
        for (std::uint32_t o = 0; o < rows; ++o) {
            if (o == u || o == v) continue;
            fwd.negatives.push_back(o);
            back.negatives.push_back(o);
        }
        p.batch.nce.push_back(fwd);
        p.batch.nce.push_back(back);
    }
    return p;
}

// Margins that keep the hinge terms active on random vectors (cosines near 0) and away from their
// kinks, so that the finite differences see the branch the analytic gradient takes.
LossConfig config(bool contrastive, bool triplet, bool infonce) {
    LossConfig c;
    c.losses = rv::LossSwitches{contrastive, triplet, infonce};
    c.margin = -0.9;
    c.triplet_margin = 2.5;
    c.temperature = 0.3;
    return c;
}

double loss_at(const Problem& p, const std::vector<double>& a, const std::vector<double>& b, const LossConfig& c) {
    LossWorkspace<double> ws;
    const AdapterParams<double> view{p.dim, p.rank, p.scale, a.data(), b.data()};
    return batch_loss<double>(view, p.x.data(), p.batch, c, nullptr, nullptr, ws);
}

double norm(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

// ||analytic - numeric|| / ||numeric|| over A and B together; also returns ||numeric||.
std::pair<double, double> gradient_error(const Problem& p, const LossConfig& c) {
    LossWorkspace<double> ws;
    std::vector<double> ga(p.a.size()), gb(p.b.size());
    const AdapterParams<double> view{p.dim, p.rank, p.scale, p.a.data(), p.b.data()};
    batch_loss<double>(view, p.x.data(), p.batch, c, ga.data(), gb.data(), ws);
    const double h = 1e-6;
    std::vector<double> diff, numeric;
    auto probe = [&](std::vector<double>& a, std::vector<double>& b, std::vector<double>& which,
                     const std::vector<double>& analytic) {
        for (std::size_t i = 0; i < which.size(); ++i) {
            const double keep = which[i];
            which[i] = keep + h;
            const double up = loss_at(p, a, b, c);
            which[i] = keep - h;
            const double down = loss_at(p, a, b, c);
            which[i] = keep;
            const double n = (up - down) / (2 * h);
            numeric.push_back(n);
            diff.push_back(analytic[i] - n);
        }
    };
    std::vector<double> a = p.a, b = p.b;
    probe(a, b, a, ga);
    probe(a, b, b, gb);
    const double scale = norm(numeric);
    return {scale > 0 ? norm(diff) / scale : norm(diff), scale};
}

}  // namespace

class TestAdapterGradients : public QObject {
    Q_OBJECT
private slots:
    void lossGradientsMatchFiniteDifferences_data() {
        QTest::addColumn<int>("dim");
        QTest::addColumn<int>("rank");
        QTest::addColumn<int>("pairs");
        std::uint64_t seed = 1;
        for (int dim : {7, 13, 33})
            for (int rank : {1, 3, 5})
                for (int pairs : {1, 3, 7})
                    QTest::addRow("d%d r%d b%d s%llu", dim, rank, pairs, static_cast<unsigned long long>(seed++))
                        << dim << rank << pairs;
    }
    void lossGradientsMatchFiniteDifferences() {
        QFETCH(int, dim);
        QFETCH(int, rank);
        QFETCH(int, pairs);
        const Problem p = make_problem(dim, rank, pairs, std::uint64_t(dim * 1000 + rank * 10 + pairs));
        const struct {
            const char* name;
            LossConfig c;
        } cases[] = {{"contrastive", config(true, false, false)},
                     {"triplet", config(false, true, false)},
                     {"infonce", config(false, false, true)},
                     {"all", config(true, true, true)}};
        for (const auto& k : cases) {
            const auto [err, size] = gradient_error(p, k.c);
            QVERIFY2(size > 1e-3, k.name);  // the loss depends on the parameters: the check is not vacuous
            QVERIFY2(err < 1e-6, qPrintable(QString("%1: relative error %2").arg(k.name).arg(err)));
        }
    }

    // Different pairs whose cosine is below the margin, and satisfied triplets, contribute nothing.
    void inactiveHingesHaveNoGradient() {
        Problem p = make_problem(13, 3, 3, 99);
        p.batch.pairs = {{0, 1, false}, {2, 3, false}};
        LossConfig c = config(true, false, false);
        c.margin = 1.5;  // above any cosine
        QCOMPARE(loss_at(p, p.a, p.b, c), 0.0);
        const auto [err, size] = gradient_error(p, c);
        QCOMPARE(size, 0.0);
        QCOMPARE(err, 0.0);
    }

    // The fast update asks for dL/dB alone: the same numbers as with dL/dA.
    void gradientOfBAloneIsTheSame() {
        const Problem p = make_problem(33, 3, 7, 5);
        const LossConfig c = config(true, true, true);
        LossWorkspace<double> ws;
        std::vector<double> ga(p.a.size()), gb(p.b.size()), gb_alone(p.b.size());
        const AdapterParams<double> view{p.dim, p.rank, p.scale, p.a.data(), p.b.data()};
        const double both = batch_loss<double>(view, p.x.data(), p.batch, c, ga.data(), gb.data(), ws);
        const double alone = batch_loss<double>(view, p.x.data(), p.batch, c, nullptr, gb_alone.data(), ws);
        QCOMPARE(alone, both);
        QCOMPARE(gb_alone, gb);
        QVERIFY(norm(gb) > 0);
    }

    void ewcPenaltyGradientMatchesFiniteDifferences() {
        adapter_test::Rng rng(7);
        for (std::size_t n : {1u, 7u, 99u}) {
            std::vector<double> theta(n), star(n), fisher(n), grad(n, 0.0);
            for (std::size_t i = 0; i < n; ++i) {
                theta[i] = rng.normal();
                star[i] = rng.normal();
                fisher[i] = rng.uniform();
            }
            const double lambda = 3.5;
            const double value = ewc_penalty(theta.data(), star.data(), fisher.data(), n, lambda, grad.data());
            double expected = 0;
            for (std::size_t i = 0; i < n; ++i) expected += 0.5 * lambda * fisher[i] * std::pow(theta[i] - star[i], 2);
            QVERIFY(std::abs(value - expected) <= 1e-12 * expected);
            std::vector<double> diff, numeric;
            for (std::size_t i = 0; i < n; ++i) {
                const double keep = theta[i], h = 1e-6;
                theta[i] = keep + h;
                const double up = ewc_penalty<double>(theta.data(), star.data(), fisher.data(), n, lambda, nullptr);
                theta[i] = keep - h;
                const double down = ewc_penalty<double>(theta.data(), star.data(), fisher.data(), n, lambda, nullptr);
                theta[i] = keep;
                numeric.push_back((up - down) / (2 * h));
                diff.push_back(grad[i] - numeric.back());
            }
            QVERIFY(norm(numeric) > 0);
            QVERIFY2(norm(diff) / norm(numeric) < 1e-6, qPrintable(QString::number(norm(diff) / norm(numeric))));
        }
    }

    // The float path (SIMD GEMMs and dots) computes the same loss and gradient as the double one.
    void floatPathAgreesWithDouble() {
        for (auto [dim, rank, pairs] : {std::tuple{7, 1, 1}, {33, 5, 7}, {576, 16, 32}}) {
            const Problem p = make_problem(dim, rank, pairs, 4242);
            const LossConfig c = config(true, true, true);
            LossWorkspace<double> wd;
            std::vector<double> gad(p.a.size()), gbd(p.b.size());
            const double ld = batch_loss<double>({dim, rank, p.scale, p.a.data(), p.b.data()}, p.x.data(), p.batch, c,
                                                 gad.data(), gbd.data(), wd);
            const std::vector<float> af(p.a.begin(), p.a.end()), bf(p.b.begin(), p.b.end()), xf(p.x.begin(), p.x.end());
            LossWorkspace<float> wf;
            std::vector<float> gaf(af.size()), gbf(bf.size());
            const float lf = batch_loss<float>({dim, rank, float(p.scale), af.data(), bf.data()}, xf.data(), p.batch, c,
                                               gaf.data(), gbf.data(), wf);
            QVERIFY2(std::abs(lf - ld) <= 1e-5 * std::abs(ld), qPrintable(QString("%1 vs %2").arg(lf).arg(ld)));
            double diff = 0, size = 0;
            for (std::size_t i = 0; i < gad.size(); ++i) {
                diff += std::pow(gaf[i] - gad[i], 2) + std::pow(gbf[i] - gbd[i], 2);
                size += gad[i] * gad[i] + gbd[i] * gbd[i];
            }
            QVERIFY(size > 0);
            QVERIFY2(std::sqrt(diff / size) < 1e-4, qPrintable(QString::number(std::sqrt(diff / size))));
        }
    }
};

QTEST_GUILESS_MAIN(TestAdapterGradients)
#include "test_adapter_gradients.moc"
