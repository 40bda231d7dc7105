// The mixed-curvature product space (engine/src/hierarchy/MixedCurvature.h) on seeded random
// points: each part's distance is its own geometry's (flat, Hyperbolic.h's ball, the sphere's
// great-circle length), the product distance is their root sum of squares, symmetric and obeying
// the triangle inequality; exp0 and log0 are inverse and d(origin, exp0 v) is the length of v in
// each part; a feature mapped in lands on the ball and on the sphere, and the all-flat and
// all-sphere maps rank neighbours exactly as the cosine does.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "hierarchy/MixedCurvature.h"
#include "ruvision/engine/Hyperbolic.h"

namespace mx = rv::mixed;

namespace {

constexpr double kPi = 3.14159265358979323846;

const mx::Space kSpaces[] = {
    {3, 2, 2, 1.0, 1.0},
    {0, 4, 3, 0.5, 2.0},
    {5, 0, 1, 1.0, 0.25},
    {2, 3, 0, 2.0, 1.0},
    {1, 1, 5, 1.0, 1.0},
};

std::vector<double> random_tangent(std::mt19937_64& rng, const mx::Space& s, double scale)
{
    std::normal_distribution<double> g;
    std::vector<double> v(mx::tangent_size(s));
    for (double& x : v)
        x = g(rng) * scale;
    // keep the sphere's part shorter than half a great circle (where log0 can give it back)
    const auto off = static_cast<std::size_t>(s.euclidean + s.hyperbolic);
    double n = 0;
    for (std::size_t i = off; i < v.size(); ++i)
        n += v[i] * v[i];
    n = std::sqrt(n);
    const double cap = 0.95 * kPi / std::sqrt(s.c_s);
    if (n > cap)
        for (std::size_t i = off; i < v.size(); ++i)
            v[i] *= cap / n;
    return v;
}

double length_sq(std::span<const double> v)
{
    return std::inner_product(v.begin(), v.end(), v.begin(), 0.0);
}

}  // namespace

class TestMixedCurvature : public QObject {
    Q_OBJECT
private slots:
    void sizesAndOrigin()
    {
        const mx::Space s{3, 2, 4, 1.0, 4.0};
        QCOMPARE(mx::point_size(s), std::size_t{3 + 2 + 5});
        QCOMPARE(mx::tangent_size(s), std::size_t{3 + 2 + 4});
        const mx::Point o = mx::origin(s);
        QCOMPARE(o[5], 0.5);  // 1 / sqrt(c_s)
        QCOMPARE(mx::distance(s, o, o), 0.0);
        const mx::Space none{2, 0, 0};
        QCOMPARE(mx::point_size(none), std::size_t{2});
    }

    void expAndLogAtTheOrigin()
    {
        std::mt19937_64 rng(21);
        for (const mx::Space& s : kSpaces)
            for (int t = 0; t < 300; ++t) {
                const std::vector<double> v = random_tangent(rng, s, 1.5);
                const mx::Point p = mx::exp0(s, v);
                QCOMPARE(p.size(), mx::point_size(s));
                const auto a = static_cast<std::size_t>(s.euclidean), b = static_cast<std::size_t>(s.hyperbolic);
                // on the ball and on the sphere
                if (b > 0)
                    QVERIFY(std::sqrt(s.c_h * length_sq(std::span<const double>(p).subspan(a, b))) < 1.0);
                if (s.spherical > 0)
                    QVERIFY(std::abs(std::sqrt(length_sq(std::span<const double>(p).subspan(a + b))) - 1 / std::sqrt(s.c_s)) < 1e-12);
                const std::vector<double> back = mx::log0(s, p);
                for (std::size_t i = 0; i < v.size(); ++i)
                    QVERIFY2(std::abs(back[i] - v[i]) < 1e-9 * (1 + std::abs(v[i])),
                             qPrintable(QString("log0(exp0 v)[%1] = %2, v %3").arg(i).arg(back[i]).arg(v[i])));
                // d(origin, exp0 v): |v_E|, 2 |v_H| (Hyperbolic.h's exp0), |v_S|
                const auto vs = std::span<const double>(v);
                const double expect = std::sqrt(length_sq(vs.subspan(0, a)) + 4 * length_sq(vs.subspan(a, b)) +
                                                length_sq(vs.subspan(a + b)));
                QVERIFY2(std::abs(mx::distance(s, mx::origin(s), p) - expect) < 1e-9 * (1 + expect),
                         qPrintable(QString("d(o, exp0 v) %1, expected %2").arg(mx::distance(s, mx::origin(s), p)).arg(expect)));
                const mx::Point p2 = mx::exp0(s, mx::log0(s, p));
                // what float64 holds of the ball's part at its distance r from its centre
                const double r = mx::part_distances(s, mx::origin(s), p).hyperbolic;
                QVERIFY2(mx::distance(s, p, p2) < 1e-12 + 4e-16 * std::exp(std::sqrt(s.c_h) * r), qPrintable(QString("exp0(log0 p) is %1 from p (%2 %3 %4)").arg(mx::distance(s, p, p2)).arg(mx::part_distances(s, p, p2).euclidean).arg(mx::part_distances(s, p, p2).hyperbolic).arg(mx::part_distances(s, p, p2).spherical)));
            }
    }

    void partsAndProduct()
    {
        std::mt19937_64 rng(22);
        for (const mx::Space& s : kSpaces)
            for (int t = 0; t < 300; ++t) {
                const mx::Point x = mx::exp0(s, random_tangent(rng, s, 1.0));
                const mx::Point y = mx::exp0(s, random_tangent(rng, s, 1.0));
                const mx::Point z = mx::exp0(s, random_tangent(rng, s, 1.0));
                const auto a = static_cast<std::size_t>(s.euclidean), b = static_cast<std::size_t>(s.hyperbolic);
                const mx::PartDistances d = mx::part_distances(s, x, y);
                double e = 0;
                for (std::size_t i = 0; i < a; ++i)
                    e += (x[i] - y[i]) * (x[i] - y[i]);
                QVERIFY(std::abs(d.euclidean - std::sqrt(e)) < 1e-12);
                if (b > 0)
                    QVERIFY(std::abs(d.hyperbolic - rv::hyperbolic::distance(std::span<const double>(x).subspan(a, b),
                                                                            std::span<const double>(y).subspan(a, b), s.c_h)) < 1e-12);
                else
                    QCOMPARE(d.hyperbolic, 0.0);
                if (s.spherical > 0) {
                    // the great-circle length: the angle between the points times the radius
                    double dot = 0;
                    for (std::size_t i = a + b; i < x.size(); ++i)
                        dot += x[i] * y[i];
                    const double angle = std::acos(std::clamp(dot * s.c_s, -1.0, 1.0));
                    QVERIFY(std::abs(d.spherical - angle / std::sqrt(s.c_s)) < 1e-7);
                }
                const double dxy = mx::distance(s, x, y);
                QVERIFY(std::abs(dxy - std::sqrt(d.euclidean * d.euclidean + d.hyperbolic * d.hyperbolic + d.spherical * d.spherical)) < 1e-12);
                QVERIFY(std::abs(dxy - mx::distance(s, y, x)) < 1e-12);
                QVERIFY(dxy <= mx::distance(s, x, z) + mx::distance(s, z, y) + 1e-9);
                QVERIFY(mx::distance(s, x, x) < 1e-7);
            }
        // antipodes on the sphere: half a great circle, and close points keep their digits
        const mx::Space sphere{0, 0, 2, 1.0, 4.0};
        const mx::Point n{0.5, 0, 0}, s{-0.5, 0, 0};
        QVERIFY(std::abs(mx::distance(sphere, n, s) - kPi / 2) < 1e-15);
        const double tiny = 1e-9;
        const mx::Point near{0.5 * std::cos(tiny), 0.5 * std::sin(tiny), 0};
        QVERIFY(std::abs(mx::distance(sphere, n, near) - tiny / 2) < 1e-6 * tiny);
        // log0 of the antipode of o: half a great circle along the first axis
        const std::vector<double> v = mx::log0(sphere, s);
        QVERIFY(std::abs(v[0] - kPi / 2) < 1e-15);
    }

    void featuresMapIntoTheSpace()
    {
        std::mt19937_64 rng(23);
        std::normal_distribution<double> g;
        const int n = 24;
        std::vector<std::vector<float>> feats(40, std::vector<float>(n));
        for (auto& f : feats) {
            double s = 0;
            for (float& x : f) {
                x = static_cast<float>(g(rng));
                s += static_cast<double>(x) * x;
            }
            for (float& x : f)
                x = static_cast<float>(x / std::sqrt(s));
        }
        auto cosine_order = [&](int q) {
            std::vector<int> order(feats.size());
            std::iota(order.begin(), order.end(), 0);
            std::vector<double> score(feats.size());
            for (std::size_t i = 0; i < feats.size(); ++i)
                score[i] = std::inner_product(feats[i].begin(), feats[i].end(), feats[static_cast<std::size_t>(q)].begin(), 0.0);
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return score[static_cast<std::size_t>(a)] > score[static_cast<std::size_t>(b)]; });
            return order;
        };
        auto space_order = [&](const mx::FeatureMap& map, int q) {
            const mx::Space s = mx::feature_space(map, n);
            std::vector<mx::Point> pts;
            for (const auto& f : feats)
                pts.push_back(mx::from_feature(map, f));
            std::vector<int> order(feats.size());
            std::iota(order.begin(), order.end(), 0);
            std::vector<double> d(feats.size());
            for (std::size_t i = 0; i < feats.size(); ++i)
                d[i] = mx::distance(s, pts[i], pts[static_cast<std::size_t>(q)]);
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return d[static_cast<std::size_t>(a)] < d[static_cast<std::size_t>(b)]; });
            return order;
        };
        mx::FeatureMap flat;
        flat.euclidean = n;
        mx::FeatureMap sphere;  // everything on the sphere
        mx::FeatureMap mixed;
        mixed.euclidean = 8;
        mixed.hyperbolic = 8;
        mixed.ball_gain = 3;
        for (int q = 0; q < 5; ++q) {
            QCOMPARE(space_order(flat, q), cosine_order(q));
            QCOMPARE(space_order(sphere, q), cosine_order(q));
        }
        // the mixed map: parts where they belong, the ball part at 2 * gain * |v_h| from its centre
        const mx::Space s = mx::feature_space(mixed, n);
        QCOMPARE(s.spherical, n - 16 - 1);
        for (const auto& f : feats) {
            const mx::Point p = mx::from_feature(mixed, f);
            QCOMPARE(p.size(), std::size_t{n});
            double vh = 0;
            for (int i = 8; i < 16; ++i)
                vh += static_cast<double>(f[static_cast<std::size_t>(i)]) * f[static_cast<std::size_t>(i)];
            const mx::Point h(p.begin() + 8, p.begin() + 16);
            QVERIFY(std::abs(rv::hyperbolic::distance(std::vector<double>(8, 0.0), h, 1.0) - 2 * 3 * std::sqrt(vh)) < 1e-6);
            QVERIFY(std::abs(std::sqrt(length_sq(std::span<const double>(p).subspan(16))) - 1.0) < 1e-12);
            QCOMPARE(p[0], static_cast<double>(f[0]));
        }
        // parts too large for the feature are cut to fit; a zero sphere part lands on o
        mx::FeatureMap big;
        big.euclidean = 100;
        QCOMPARE(mx::feature_space(big, n).euclidean, n);
        mx::FeatureMap zero_sphere;
        zero_sphere.euclidean = 2;
        const std::vector<float> f{1.0f, 0.0f, 0.0f, 0.0f};
        const mx::Point p = mx::from_feature(zero_sphere, f);
        QCOMPARE(p[2], 1.0);
        QCOMPARE(p[3], 0.0);
    }
};

QTEST_APPLESS_MAIN(TestMixedCurvature)
#include "test_mixed_curvature.moc"
