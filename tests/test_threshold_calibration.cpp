// The duplicate threshold calibrated from verdicts (ThresholdCalibration.h), a pure function:
// separable verdicts give a threshold between the classes; verdicts on one side (or none) give
// the default; few verdicts move it part of the way; noisy verdicts stay sane; NaN scores are
// ignored; the size default falls with the library's size.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "ruvision/engine/ThresholdCalibration.h"

namespace {

using V = rv::ThresholdVerdict;

// n verdicts of each side, evenly spread: "not same" in [dlo, dhi], "same" in [slo, shi].
std::vector<V> spread(int n, float dlo, float dhi, float slo, float shi) {
    std::vector<V> out;
    for (int i = 0; i < n; ++i) {
        const float f = n > 1 ? float(i) / float(n - 1) : 0.5f;
        out.push_back({dlo + f * (dhi - dlo), false});
        out.push_back({slo + f * (shi - slo), true});
    }
    return out;
}

}  // namespace

class TestThresholdCalibration : public QObject {
    Q_OBJECT
private slots:
    void separable_verdicts_give_a_threshold_between_the_classes();
    void default_inside_the_gap_stays();
    void one_sided_verdicts_give_the_default();
    void few_verdicts_move_part_of_the_way();
    void noisy_verdicts_stay_sane();
    void imbalanced_sides_count_the_smaller();
    void nan_scores_are_ignored();
    void size_default_falls_with_size();
};

void TestThresholdCalibration::separable_verdicts_give_a_threshold_between_the_classes() {
    // The default (0.56) lies below the gap (0.66, 0.80]: many verdicts take it inside.
    const auto v = spread(30, 0.40f, 0.66f, 0.80f, 0.97f);
    const auto c = rv::calibrate_duplicate_threshold(v, 0.56f);
    QVERIFY(c.calibrated);
    QCOMPARE(c.same, std::size_t(30));
    QCOMPARE(c.different, std::size_t(30));
    QVERIFY2(std::abs(c.fitted - 0.73f) < 1e-5f, qPrintable(QString::number(c.fitted)));  // the gap's middle
    QVERIFY2(c.threshold > 0.66f && c.threshold <= 0.80f, qPrintable(QString::number(c.threshold)));
    // And from above: a default of 0.90 comes down into the gap.
    const auto d = rv::calibrate_duplicate_threshold(v, 0.90f);
    QVERIFY2(d.threshold > 0.66f && d.threshold <= 0.80f, qPrintable(QString::number(d.threshold)));
}

void TestThresholdCalibration::default_inside_the_gap_stays() {
    const auto v = spread(10, 0.30f, 0.50f, 0.70f, 0.90f);
    const auto c = rv::calibrate_duplicate_threshold(v, 0.62f);
    QVERIFY(c.calibrated);
    QCOMPARE(c.fitted, 0.62f);
    QCOMPARE(c.threshold, 0.62f);
}

void TestThresholdCalibration::one_sided_verdicts_give_the_default() {
    std::vector<V> same{{0.9f, true}, {0.95f, true}, {0.7f, true}};
    std::vector<V> diff{{0.9f, false}, {0.3f, false}};
    for (const auto& v : {same, diff, std::vector<V>{}}) {
        const auto c = rv::calibrate_duplicate_threshold(v, 0.6f);
        QVERIFY(!c.calibrated);
        QCOMPARE(c.threshold, 0.6f);
        QCOMPARE(c.fitted, 0.6f);
    }
    QCOMPARE(rv::calibrate_duplicate_threshold(same, 0.6f).same, std::size_t(3));
    QCOMPARE(rv::calibrate_duplicate_threshold(diff, 0.6f).different, std::size_t(2));
}

void TestThresholdCalibration::few_verdicts_move_part_of_the_way() {
    // One verdict each side, the gap (0.70, 0.80] above the default 0.56: fitted 0.75, and with a
    // prior of 10 the threshold moves 2 / 12 of the way.
    const std::vector<V> v{{0.70f, false}, {0.80f, true}};
    const auto c = rv::calibrate_duplicate_threshold(v, 0.56f);
    QVERIFY(std::abs(c.fitted - 0.75f) < 1e-6f);
    QVERIFY(std::abs(c.threshold - (0.56f + (0.75f - 0.56f) * 2.f / 12.f)) < 1e-6f);
    // No prior: all the way; more verdicts, further.
    rv::ThresholdCalibrationParams none;
    none.prior = 0;
    QVERIFY(std::abs(rv::calibrate_duplicate_threshold(v, 0.56f, none).threshold - 0.75f) < 1e-6f);
    const auto more = rv::calibrate_duplicate_threshold(spread(20, 0.50f, 0.70f, 0.80f, 0.95f), 0.56f);
    QVERIFY(more.threshold > c.threshold);
}

void TestThresholdCalibration::noisy_verdicts_stay_sane() {
    // True boundary 0.65; scores uniform in [0.4, 0.9]; a fifth of the verdicts wrong.
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<float> u(0.4f, 0.9f);
        std::bernoulli_distribution wrong(0.2);
        std::vector<V> v;
        for (int i = 0; i < 200; ++i) {
            const float s = u(rng);
            v.push_back({s, (s >= 0.65f) != wrong(rng)});
        }
        const auto c = rv::calibrate_duplicate_threshold(v, 0.56f);
        QVERIFY(c.calibrated);
        QVERIFY2(c.threshold > 0.58f && c.threshold < 0.72f, qPrintable(QString::number(c.threshold)));
        QVERIFY(c.threshold >= 0.30f && c.threshold <= 0.99f);
    }
    // Verdicts that say the opposite of the scores (every "same" below every "not same"): the
    // best balanced accuracy is 0.5 (all one way); the threshold stays within bounds, finite.
    const auto inverted = rv::calibrate_duplicate_threshold(spread(10, 0.8f, 0.95f, 0.3f, 0.5f), 0.56f);
    QVERIFY(std::isfinite(inverted.threshold));
    QVERIFY(inverted.threshold >= 0.30f && inverted.threshold <= 0.99f);
}

void TestThresholdCalibration::imbalanced_sides_count_the_smaller() {
    // 40 "same" and 1 "not same": the evidence on the boundary is 2 verdicts, not 41.
    std::vector<V> v = spread(40, 0.0f, 0.0f, 0.80f, 0.95f);
    v.erase(std::remove_if(v.begin(), v.end(), [](const V& x) { return !x.same; }), v.end());
    v.push_back({0.70f, false});
    const auto c = rv::calibrate_duplicate_threshold(v, 0.56f);
    QVERIFY(std::abs(c.fitted - 0.75f) < 1e-6f);
    QVERIFY(std::abs(c.threshold - (0.56f + (0.75f - 0.56f) * 2.f / 12.f)) < 1e-6f);
}

void TestThresholdCalibration::nan_scores_are_ignored() {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<V> v{{nan, false}, {0.9f, true}, {std::numeric_limits<float>::infinity(), false}};
    const auto c = rv::calibrate_duplicate_threshold(v, 0.6f);
    QVERIFY(!c.calibrated);
    QCOMPARE(c.threshold, 0.6f);
    QCOMPARE(c.different, std::size_t(0));
}

void TestThresholdCalibration::size_default_falls_with_size() {
    QVERIFY(std::abs(rv::size_duplicate_threshold(40) - 0.70f) < 1e-6f);
    QVERIFY(std::abs(rv::size_duplicate_threshold(462) - 0.56f) < 1e-6f);
    QVERIFY(std::abs(rv::size_duplicate_threshold(0) - 0.70f) < 1e-6f);
    QVERIFY(std::abs(rv::size_duplicate_threshold(100000) - 0.56f) < 1e-6f);
    QVERIFY(rv::size_duplicate_threshold(100) < 0.70f && rv::size_duplicate_threshold(100) > 0.56f);
}

QTEST_GUILESS_MAIN(TestThresholdCalibration)
#include "test_threshold_calibration.moc"
