// The hyperbolic geometry (engine/include/ruvision/engine/Hyperbolic.h) as properties on seeded
// random points, in dimensions 2, 3 and 8 with curvature -c, c in {0.5, 1, 2}, including points up
// to distance 30 from the centre (for c > 1 up to sqrt(c) d = 30: the ball's room in float64 is
// a matter of sqrt(c) d). Every comparison is made as a hyperbolic distance with a tolerance
// that follows what float64 can hold at the points involved: about 1e-16 exp(sqrt(c) d) /
// sqrt(c) for a point at distance d, so a formula with cancellation near the rim fails it.
#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

#include "ruvision/engine/Hyperbolic.h"

namespace hb = rv::hyperbolic;
using hb::Complex;
using hb::Point;

namespace {

constexpr double kPi = 3.14159265358979323846;
const int kDims[] = {2, 3, 8};
const double kCurvatures[] = {0.5, 1.0, 2.0};
constexpr int kTrials = 300;

// The largest distance from the centre at which points are drawn for curvature c.
double max_radius(double c)
{
    return std::min(30.0, 30.0 / std::sqrt(c));
}

// What float64 holds of a distance when the points involved are at most `r` from the centre.
double tol(double r, double c)
{
    return 1e-9 + 2e-15 * std::exp(std::sqrt(c) * r) / std::sqrt(c);
}

struct Gen {
    std::mt19937_64 rng;
    explicit Gen(std::uint64_t seed) : rng(seed) {}
    double uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
    Point direction(int n)
    {
        std::normal_distribution<double> g;
        Point v(static_cast<std::size_t>(n));
        double s = 0;
        do {
            s = 0;
            for (double& x : v) {
                x = g(rng);
                s += x * x;
            }
        } while (s < 1e-12);
        for (double& x : v)
            x /= std::sqrt(s);
        return v;
    }
    // A point at hyperbolic distance r from the centre: |x| = tanh(sqrt(c) r / 2) / sqrt(c).
    Point at(int n, double r, double c)
    {
        Point v = direction(n);
        const double m = std::tanh(std::sqrt(c) * r / 2) / std::sqrt(c);
        for (double& x : v)
            x *= m;
        return v;
    }
    // Radii spread so that both the middle and the far end (near max_radius) are drawn often.
    double radius(double c)
    {
        const double u = uniform(0, 1);
        return u < 0.3 ? max_radius(c) * uniform(0.9, 1.0) : max_radius(c) * u;
    }
};

double dist0(std::span<const double> x, double c)
{
    return hb::distance(Point(x.size(), 0.0), x, c);
}

Point neg(std::span<const double> x)
{
    Point out(x.begin(), x.end());
    for (double& v : out)
        v = -v;
    return out;
}

double norm(std::span<const double> x)
{
    double s = 0;
    for (double v : x)
        s += v * v;
    return std::sqrt(s);
}

}  // namespace

class TestHyperbolic : public QObject {
    Q_OBJECT
private slots:
    void distanceFromCentreIsTwiceTheTangentNorm()
    {
        Gen g(11);
        for (int n : kDims)
            for (double c : kCurvatures)
                for (int t = 0; t < kTrials; ++t) {
                    const double len = g.radius(c) / 2;
                    Point v = g.direction(n);
                    for (double& x : v)
                        x *= len;
                    const Point x = hb::exp0(v, c);
                    QVERIFY(std::sqrt(c) * norm(x) < 1.0);
                    const double d = dist0(x, c);
                    if (std::abs(d - 2 * len) > tol(2 * len, c))
                        QFAIL(qPrintable(QString("n %1 c %2: d(0, exp0 v) %3, 2|v| %4").arg(n).arg(c).arg(d, 0, 'g', 17).arg(2 * len, 0, 'g', 17)));
                    // log0 gives v back (as a tangent vector at 0, where the metric is 2 / (1 - 0) times Euclidean).
                    const Point back = hb::log0(x, c);
                    double err = 0;
                    for (std::size_t i = 0; i < v.size(); ++i)
                        err = std::max(err, std::abs(back[i] - v[i]));
                    QVERIFY2(2 * err <= tol(2 * len, c), qPrintable(QString("log0(exp0 v) off by %1").arg(err)));
                }
        // the point tanh(r/2) e^{i a} of the disk is at distance r
        for (double r : {0.0, 1e-8, 0.5, 3.0, 17.0, 30.0}) {
            const Complex z = hb::disk_polar(r, 0.7);
            QVERIFY(std::abs(hb::disk_distance(0.0, z) - r) <= tol(r, 1));
            QCOMPARE(std::arg(z == 0.0 ? Complex(std::cos(0.7), std::sin(0.7)) : z), 0.7);
        }
    }

    void expAndLogAreInverse()
    {
        Gen g(12);
        for (int n : kDims)
            for (double c : kCurvatures)
                for (int t = 0; t < kTrials; ++t) {
                    const Point x = g.at(n, g.radius(c), c);
                    const Point y = g.at(n, g.radius(c), c);
                    const double dx = dist0(x, c), dy = dist0(y, c);
                    const double d = hb::distance(x, y, c);
                    // Points whose distance float64 cannot hold (beyond the room, ~ 37 / sqrt c) are skipped.
                    if (std::sqrt(c) * d > 34)
                        continue;
                    const Point v = hb::logmap(x, y, c);
                    // |log_x y| in the metric at x (lambda(x) |v|) is the distance.
                    const double len = hb::conformal_factor(x, c) * norm(v);
                    QVERIFY2(std::abs(len - d) <= tol(std::max(dx, dy), c) * (1 + d),
                             qPrintable(QString("n %1 c %2: lambda |log_x y| %3 vs d %4").arg(n).arg(c).arg(len).arg(d)));
                    // v's doubles hold its direction to 1e-16 relative, which moves exp_x(v) by 1e-16 sinh(sqrt c d):
                    // the tolerance follows d as well as the points' distances from the centre.
                    const Point y2 = hb::expmap(x, v, c);
                    const double err = hb::distance(y, y2, c);
                    QVERIFY2(err <= tol(std::max({dx, dy, d}), c) * (1 + d),
                             qPrintable(QString("n %1 c %2 |x| d %3 |y| d %4: exp_x(log_x y) is %5 from y").arg(n).arg(c).arg(dx).arg(dy).arg(err)));
                }
    }

    void logOfExpGivesTheVectorBack()
    {
        Gen g(13);
        for (int n : kDims)
            for (double c : kCurvatures)
                for (int t = 0; t < kTrials; ++t) {
                    const Point x = g.at(n, g.radius(c) * 0.5, c);
                    // a step of hyperbolic length up to 10 in a random direction: |v| = len / lambda(x)
                    const double len = g.uniform(0, 10);
                    Point v = g.direction(n);
                    for (double& e : v)
                        e *= len / hb::conformal_factor(x, c);
                    const Point y = hb::expmap(x, v, c);
                    QVERIFY2(std::abs(hb::distance(x, y, c) - len) <= tol(dist0(x, c) + len, c) * (1 + len),
                             qPrintable(QString("d(x, exp_x v) %1 vs %2").arg(hb::distance(x, y, c)).arg(len)));
                    const Point v2 = hb::logmap(x, y, c);
                    double err = 0;
                    for (std::size_t i = 0; i < v.size(); ++i)
                        err = std::max(err, std::abs(v2[i] - v[i]));
                    // the difference measured in the metric at x
                    QVERIFY2(err * hb::conformal_factor(x, c) <= tol(dist0(x, c) + len, c) * (1 + len),
                             qPrintable(QString("log_x(exp_x v) off by %1 (lambda %2)").arg(err).arg(hb::conformal_factor(x, c))));
                }
    }

    void distanceIsSymmetricAndObeysTheTriangleInequality()
    {
        Gen g(14);
        for (int n : kDims)
            for (double c : kCurvatures)
                for (int t = 0; t < kTrials; ++t) {
                    const Point x = g.at(n, g.radius(c), c), y = g.at(n, g.radius(c), c), z = g.at(n, g.radius(c), c);
                    const double r = std::max({dist0(x, c), dist0(y, c), dist0(z, c)});
                    const double dxy = hb::distance(x, y, c), dyx = hb::distance(y, x, c);
                    QVERIFY(std::abs(dxy - dyx) <= tol(r, c));
                    QVERIFY(dxy >= 0);
                    QCOMPARE(hb::distance(x, x, c), 0.0);
                    const double dxz = hb::distance(x, z, c), dyz = hb::distance(y, z, c);
                    QVERIFY2(dxz <= dxy + dyz + 3 * tol(r, c),
                             qPrintable(QString("d(x,z) %1 > d(x,y) %2 + d(y,z) %3").arg(dxz).arg(dxy).arg(dyz)));
                }
        // the distance of very close points keeps its digits (no arcosh of 1 + tiny)
        const double h = std::ldexp(1.0, -40);  // exactly representable, and 0.3 + h is exact
        const std::vector<double> a{0.3, 0.4}, b{0.3 + h, 0.4};
        const double expect = 2.0 * h / (1 - 0.25);  // lambda(a) |a - b|
        QVERIFY(std::abs(hb::distance(a, b, 1.0) - expect) <= 1e-6 * expect);
    }

    void ballAndLorentzAgree()
    {
        Gen g(15);
        for (int n : kDims)
            for (double c : kCurvatures)
                for (int t = 0; t < kTrials; ++t) {
                    const Point x = g.at(n, g.radius(c), c), y = g.at(n, g.radius(c), c);
                    const double r = std::max(dist0(x, c), dist0(y, c));
                    const Point lx = hb::ball_to_lorentz(x, c), ly = hb::ball_to_lorentz(y, c);
                    QCOMPARE(lx.size(), x.size() + 1);
                    QVERIFY(lx[0] > 0);
                    // on the hyperboloid: <x, x>_L = -1/c, to the precision of x0^2
                    QVERIFY(std::abs(hb::lorentz_inner(lx, lx) + 1 / c) <= 1e-14 * lx[0] * lx[0] + 1e-14);
                    const Point bx = hb::lorentz_to_ball(lx, c);
                    QVERIFY2(hb::distance(x, bx, c) <= tol(r, c), "ball -> Lorentz -> ball moved the point");
                    const Point lx2 = hb::ball_to_lorentz(bx, c);
                    QVERIFY2(hb::lorentz_distance(lx, lx2, c) <= tol(r, c), "Lorentz -> ball -> Lorentz moved the point");
                    const double db = hb::distance(x, y, c), dl = hb::lorentz_distance(lx, ly, c);
                    QVERIFY2(std::abs(db - dl) <= 2 * tol(r, c),
                             qPrintable(QString("n %1 c %2: ball %3, Lorentz %4").arg(n).arg(c).arg(db).arg(dl)));
                    // -<x, y>_L grows with the distance: cosh(sqrt c d) = -c <x, y>_L (checked where it is representable)
                    if (r < 10)
                        QVERIFY(std::abs(std::cosh(std::sqrt(c) * db) + c * hb::lorentz_inner(lx, ly)) <=
                                1e-9 * std::cosh(std::sqrt(c) * db));
                }
    }

    void mobiusAdditionIdentities()
    {
        Gen g(16);
        for (int n : kDims)
            for (double c : kCurvatures)
                for (int t = 0; t < kTrials; ++t) {
                    const Point x = g.at(n, g.radius(c), c), y = g.at(n, g.radius(c), c);
                    const double r = dist0(x, c);
                    const Point zero(static_cast<std::size_t>(n), 0.0);
                    const Point a = hb::mobius_add(zero, x, c);
                    const Point b = hb::mobius_add(x, zero, c);
                    QVERIFY(hb::distance(a, x, c) <= tol(r, c));
                    QVERIFY(hb::distance(b, x, c) <= tol(r, c));
                    const Point z = hb::mobius_add(neg(x), x, c);
                    QVERIFY2(norm(z) <= 1e-15, qPrintable(QString("(-x) + x = %1").arg(norm(z))));
                    // left cancellation: (-x) ⊕ (x ⊕ y) = y, where x ⊕ y stays representable
                    const Point xy = hb::mobius_add(x, y, c);
                    if (std::sqrt(c) * dist0(xy, c) < 30) {
                        const Point back = hb::mobius_add(neg(x), xy, c);
                        QVERIFY2(hb::distance(back, y, c) <= tol(std::max(r, dist0(xy, c)), c) * 10,
                                 qPrintable(QString("(-x)+(x+y) is %1 from y").arg(hb::distance(back, y, c))));
                    }
                    // d(x, y) = (2 / sqrt c) artanh(sqrt c |(-x) ⊕ y|) (the header's definition), where |.| is not rounded to 1
                    const Point w = hb::mobius_add(neg(x), y, c);
                    const double dxy = hb::distance(x, y, c);
                    if (std::sqrt(c) * dxy < 20)
                        QVERIFY(std::abs(2 / std::sqrt(c) * std::atanh(std::sqrt(c) * norm(w)) - dxy) <= tol(std::max({r, dist0(y, c), dxy}), c) * 10);
                    // the left translation by -x is an isometry of the ball
                    const Point y2 = g.at(n, g.radius(c), c);
                    const Point w2 = hb::mobius_add(neg(x), y2, c);
                    const double rmax = std::max({r, dist0(y, c), dist0(y2, c), dist0(w, c), dist0(w2, c)});
                    if (std::sqrt(c) * rmax < 32)
                        QVERIFY2(std::abs(hb::distance(w, w2, c) - hb::distance(y, y2, c)) <= 4 * tol(rmax, c),
                                 qPrintable(QString("translation changed a distance: %1 vs %2").arg(hb::distance(w, w2, c)).arg(hb::distance(y, y2, c))));
                }
    }

    void projectKeepsPointsInside()
    {
        for (double c : kCurvatures) {
            const std::vector<double> out{2.0, -3.0};
            const Point p = hb::project(out, c);
            QVERIFY(std::sqrt(c) * norm(p) < 1.0);
            QVERIFY(std::abs(p[0] / p[1] - out[0] / out[1]) < 1e-12);  // same direction
            const std::vector<double> in{0.1, 0.2};
            QCOMPARE(hb::project(in, c), Point(in));
            QVERIFY(std::isfinite(hb::distance(p, in, c)));
        }
        // exp0 of a huge vector stays inside and finite
        const std::vector<double> big{1e6, 0};
        const Point e = hb::exp0(big, 1.0);
        QVERIFY(norm(e) < 1.0);
        QVERIFY(std::isfinite(hb::distance(e, Point{0.0, 0.0}, 1.0)));
    }

    void recentringIsAnIsometry()
    {
        Gen g(17);
        int checked = 0;
        for (int t = 0; t < 400 * kTrials && checked < 1000; ++t) {
            const Complex f = hb::disk_polar(g.radius(1), g.uniform(-kPi, kPi));
            const Complex z = hb::disk_polar(g.radius(1), g.uniform(-kPi, kPi));
            const Complex w = hb::disk_polar(g.radius(1), g.uniform(-kPi, kPi));
            const double dfz = hb::disk_distance(f, z), dfw = hb::disk_distance(f, w);
            if (dfz > 30 || dfw > 30)
                continue;  // the image would leave float64's room
            ++checked;
            const double r = std::max({hb::disk_distance(0, f), hb::disk_distance(0, z), hb::disk_distance(0, w), dfz, dfw});
            const hb::DiskMap m = hb::recentre(f);
            QVERIFY(std::abs(m(f)) <= 1e-300 + 1e-16);
            const double before = hb::disk_distance(z, w), after = hb::disk_distance(m(z), m(w));
            QVERIFY2(std::abs(before - after) <= 4 * tol(r, 1),
                     qPrintable(QString("re-centring changed a distance: %1 vs %2 (r %3)").arg(before).arg(after).arg(r)));
            QVERIFY(std::abs(hb::disk_distance(0, m(z)) - dfz) <= 4 * tol(r, 1));
            // the direction through the focus is not turned: the centre goes opposite the focus
            if (std::abs(f) > 1e-3)
                QVERIFY(std::abs(std::arg(m(0.0)) - std::arg(-f)) < 1e-9 ||
                        std::abs(std::abs(std::arg(m(0.0)) - std::arg(-f)) - 2 * kPi) < 1e-9);
            // inverse and compose
            const hb::DiskMap inv = hb::inverse(m);
            QVERIFY2(hb::disk_distance(inv(m(z)), z) <= 4 * tol(r, 1), qPrintable(QString("inverse: %1 from z (f %2, z %3, d(f,z) %4)").arg(hb::disk_distance(inv(m(z)), z)).arg(hb::disk_distance(0, f)).arg(hb::disk_distance(0, z)).arg(dfz)));
            QVERIFY(std::abs(inv(0.0) - f) <= 1e-15 + 1e-12 * std::abs(f) || hb::disk_distance(inv(0.0), f) <= tol(r, 1));
            // compose: a map with its centre near the rim composed with another, checked on a point near the
            // focus (a map is held to ~1e-16 exp(|a|) there; farther points move more under that error).
            const Complex q = inv(hb::disk_polar(g.uniform(0, 5), g.uniform(-kPi, kPi)));
            const double rq = std::max(r, hb::disk_distance(0, q));
            const hb::DiskMap rot{std::polar(1.0, g.uniform(-kPi, kPi)), hb::disk_polar(g.uniform(0, 3), g.uniform(-kPi, kPi))};
            const hb::DiskMap both = hb::compose(rot, m);
            QVERIFY(std::abs(std::abs(both.rot) - 1) < 1e-14);
            QVERIFY(std::abs(both.a) < 1);
            const Complex direct = both(q), stepwise = rot(m(q));
            QVERIFY2(hb::disk_distance(direct, stepwise) <= 16 * tol(rq, 1),
                     qPrintable(QString("compose differs from applying in turn by %1").arg(hb::disk_distance(direct, stepwise))));
            // a map composed with its inverse is the identity (the plain expansion fails this by 1e8 times)
            const hb::DiskMap id = hb::compose(hb::inverse(both), both);
            QVERIFY2(hb::disk_distance(id(q), q) <= 16 * tol(rq, 1),
                     qPrintable(QString("inverse(m) o m moved a point by %1").arg(hb::disk_distance(id(q), q))));
        }
        QCOMPARE(checked, 1000);
        const hb::DiskMap id = hb::identity_map();
        QCOMPARE(id(Complex(0.25, -0.5)), Complex(0.25, -0.5));
    }

    void geodesicPointLiesOnTheGeodesic()
    {
        Gen g(18);
        for (int t = 0; t < kTrials; ++t) {
            const Complex z = hb::disk_polar(g.radius(1) * 0.6, g.uniform(-kPi, kPi));
            const Complex w = hb::disk_polar(g.radius(1) * 0.6, g.uniform(-kPi, kPi));
            const double d = hb::disk_distance(z, w);
            const double r = std::max(hb::disk_distance(0, z), hb::disk_distance(0, w));
            QVERIFY(hb::disk_distance(hb::geodesic_point(z, w, 0), z) <= tol(r, 1));
            QVERIFY(hb::disk_distance(hb::geodesic_point(z, w, 1), w) <= 4 * tol(r, 1) * (1 + d));
            for (double s : {0.1, 0.5, 0.77}) {
                const Complex p = hb::geodesic_point(z, w, s);
                const double a = hb::disk_distance(z, p), b = hb::disk_distance(p, w);
                QVERIFY2(std::abs(a + b - d) <= 4 * tol(r, 1) * (1 + d),
                         qPrintable(QString("off the geodesic: %1 + %2 vs %3").arg(a).arg(b).arg(d)));
                QVERIFY(std::abs(a - s * d) <= 4 * tol(r, 1) * (1 + d));
            }
        }
    }

    void geodesicArcIsOrthogonalToTheRimAndThroughBothPoints()
    {
        Gen g(19);
        int arcs = 0;
        for (int t = 0; t < kTrials; ++t) {
            const Complex z = hb::disk_polar(g.uniform(0, 6), g.uniform(-kPi, kPi));
            const Complex w = hb::disk_polar(g.uniform(0, 6), g.uniform(-kPi, kPi));
            const hb::GeodesicArc arc = hb::geodesic_arc(z, w);
            QCOMPARE(arc.from, z);
            QCOMPARE(arc.to, w);
            if (arc.straight) {
                // only when the line through z and w passes (nearly) through the centre
                QVERIFY(std::abs(z.real() * w.imag() - z.imag() * w.real()) < 1e-6);
                continue;
            }
            ++arcs;
            // orthogonal to the unit circle: |centre|^2 = radius^2 + 1
            QVERIFY(std::abs(std::norm(arc.centre) - (arc.radius * arc.radius + 1)) <= 1e-9 * std::norm(arc.centre));
            QVERIFY(std::abs(std::abs(z - arc.centre) - arc.radius) <= 1e-9 * arc.radius);
            QVERIFY(std::abs(std::abs(w - arc.centre) - arc.radius) <= 1e-9 * arc.radius);
            QVERIFY(std::abs(arc.sweep) < kPi);
            const Complex start = arc.centre + std::polar(arc.radius, arc.start_angle);
            const Complex end = arc.centre + std::polar(arc.radius, arc.start_angle + arc.sweep);
            QVERIFY(std::abs(start - z) <= 1e-9 * (1 + arc.radius));
            QVERIFY(std::abs(end - w) <= 1e-9 * (1 + arc.radius));
            // the arc's midpoint is the geodesic's midpoint
            const Complex mid = arc.centre + std::polar(arc.radius, arc.start_angle + arc.sweep / 2);
            const Complex gm = hb::geodesic_point(z, w, 0.5);
            QVERIFY(std::abs(std::abs(gm - arc.centre) - arc.radius) <= 1e-7 * (1 + arc.radius));
            QVERIFY(std::abs(mid) < 1.0);
        }
        QVERIFY(arcs > kTrials / 2);
        // through the centre: a straight segment
        QVERIFY(hb::geodesic_arc(Complex(0.5, 0.5), Complex(-0.25, -0.25)).straight);
        QVERIFY(hb::geodesic_arc(Complex(0, 0), Complex(0.3, 0.1)).straight);
        QVERIFY(hb::geodesic_arc(Complex(0.3, 0.1), Complex(0.3, 0.1)).straight);
    }
};

QTEST_APPLESS_MAIN(TestHyperbolic)
#include "test_hyperbolic.moc"
