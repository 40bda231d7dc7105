// The base adapter's closed-form start (engine/src/learning/GroupDiscriminant.h): on synthetic
// features whose classes the plain cosine confuses, the groups that alike marks chain into give
// directions that order held-out pairs (rows never marked) clearly better; the map is what the
// header says (a symmetric stretch I + U D U' with D >= 0 on at most groups - 1 directions, whose
// strength grows with the marks up to its cap); degenerate marks fit nothing and say why; the
// trainer starts from the fit (0 epochs: the fit itself) and, with strength 0, from the identity.
#include <QtTest>

#include <Eigen/Dense>

#include <atomic>

#include "adapter_test_util.h"
#include "learning/GroupDiscriminant.h"
#include "ruvision/engine/AdapterTraining.h"

using namespace adapter_test;

namespace {

std::vector<int> cycling(std::size_t n, int classes) {
    std::vector<int> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<int>(i % classes));
    return out;
}

rv::AdapterStack base_only(const rv::LowRankAdapter& ad) {
    rv::AdapterStack s;
    s.base = ad;
    return s;
}

// The adapter's linear part I + (alpha / r) B A, as a d x d matrix.
Eigen::MatrixXd linear_map(const rv::LowRankAdapter& ad) {
    const int d = ad.dim, r = ad.rank;
    Eigen::MatrixXd A(r, d), B(d, r);
    for (int i = 0; i < r; ++i)
        for (int j = 0; j < d; ++j) A(i, j) = ad.a[static_cast<std::size_t>(i) * d + j];
    for (int j = 0; j < d; ++j)
        for (int i = 0; i < r; ++i) B(j, i) = ad.b[static_cast<std::size_t>(j) * r + i];
    return Eigen::MatrixXd::Identity(d, d) + (ad.alpha / r) * B * A;
}

const std::atomic<bool> kNoCancel{false};

}  // namespace

class TestGroupDiscriminant : public QObject {
    Q_OBJECT
private slots:
    void orderHeldOutPairsBetter() {
        // Four classes in two families at dim 96, each told apart from its twin by a weak signal
        // under strong noise; 600 marks among rows 0-1199, held-out pairs among rows 1200-1999.
        const Synthetic s = make_features(96, cycling(2000, 4), 11, 2, 0.2, 0.15);
        const auto marks = random_pairs(s, 0, 1200, 600, 3);
        const auto held_out = random_pairs(s, 1200, 2000, 3000, 4);
        rv::learning::DiscriminantParams p;
        p.rank = 8;
        const auto fit = rv::learning::fit_group_discriminant(s.features, marks, p);
        QVERIFY2(fit.fitted, fit.summary.c_str());
        qInfo("%s", fit.summary.c_str());
        QVERIFY(fit.groups > 8);          // random marks chain each class into several groups
        QCOMPARE(fit.adapter.rank, p.rank);  // so the rank, not groups - 1, bounds the directions
        const double before = rv::pair_auc({}, s.features, held_out);
        const double after = rv::pair_auc(base_only(fit.adapter), s.features, held_out);
        const double alike_before = mean_cosine({}, s.features, held_out, true);
        const double alike_after = mean_cosine(base_only(fit.adapter), s.features, held_out, true);
        const double diff_before = mean_cosine({}, s.features, held_out, false);
        const double diff_after = mean_cosine(base_only(fit.adapter), s.features, held_out, false);
        qInfo("held-out AUC %.3f -> %.3f; alike %.3f -> %.3f; different %.3f -> %.3f", before, after, alike_before,
              alike_after, diff_before, diff_after);
        QVERIFY(before < 0.8);
        QVERIFY(after > before + 0.15);
        QVERIFY(alike_after - diff_after > alike_before - diff_before + 0.05);
    }

    void isASymmetricStretchOnFewDirections() {
        const Synthetic s = make_features(40, cycling(600, 4), 21, 2, 0.3, 0.2);
        const auto marks = random_pairs(s, 0, 600, 300, 5);
        rv::learning::DiscriminantParams p;
        p.rank = 16;
        p.strength = 0.01;
        const auto fit = rv::learning::fit_group_discriminant(s.features, marks, p);
        QVERIFY2(fit.fitted, fit.summary.c_str());
        QCOMPARE(fit.strength, 3.0);  // 0.01 per mark, 300 marks
        const Eigen::MatrixXd M = linear_map(fit.adapter);
        QVERIFY((M - M.transpose()).cwiseAbs().maxCoeff() < 1e-5);
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(M);
        int stretched = 0;
        for (int i = 0; i < M.rows(); ++i) {
            QVERIFY2(es.eigenvalues()(i) > 1 - 1e-4, "the map never shrinks a direction");
            stretched += es.eigenvalues()(i) > 1 + 1e-3;
        }
        QVERIFY(stretched >= 1);
        QVERIFY(stretched <= static_cast<int>(fit.groups) - 1);

        p.strength = 1;  // 300 per... capped
        const auto capped = rv::learning::fit_group_discriminant(s.features, marks, p);
        QCOMPARE(capped.strength, p.max_strength);
    }

    void degenerateMarksFitNothing() {
        const Synthetic s = make_features(16, cycling(40, 2), 31);
        rv::learning::DiscriminantParams p;
        // Only different marks: no group.
        std::vector<rv::TrainingPair> different = {{0, 1, false}, {2, 3, false}, {4, 5, false}};
        auto fit = rv::learning::fit_group_discriminant(s.features, different, p);
        QVERIFY(!fit.fitted);
        QVERIFY(fit.summary.find("0 group") != std::string::npos);
        // Alike marks that chain into one group only.
        std::vector<rv::TrainingPair> one = {{0, 2, true}, {2, 4, true}, {1, 4, false}};
        fit = rv::learning::fit_group_discriminant(s.features, one, p);
        QVERIFY(!fit.fitted);
        QVERIFY(fit.summary.find("1 group") != std::string::npos);
        // Two groups of identical rows: nothing varies within a group.
        rv::FeatureMatrix same;
        same.dim = 4;
        same.rows = {1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
        fit = rv::learning::fit_group_discriminant(same, {{0, 1, true}, {2, 3, true}, {0, 2, false}}, p);
        QVERIFY(!fit.fitted);
        QVERIFY(fit.summary.find("identical") != std::string::npos);
        // No strength: off.
        p.strength = 0;
        fit = rv::learning::fit_group_discriminant(s.features, random_pairs(s, 0, 40, 50, 1), p);
        QVERIFY(!fit.fitted);
    }

    void trainerStartsFromTheFit() {
        const Synthetic s = make_features(48, cycling(800, 4), 41, 2, 0.2, 0.15);
        const auto marks = random_pairs(s, 0, 800, 400, 6);
        rv::TrainParams params;
        params.epochs = 0;  // the start alone
        params.rank = 8;
        params.alpha = 4;  // a scale of 1/2: the fit's entries are rescaled for it
        rv::AdapterTrainer trainer(48, params);
        auto report = trainer.train(s.features, marks, kNoCancel);
        QVERIFY(report.ok());
        QVERIFY(report->start.find("group discriminant:") == 0);
        rv::learning::DiscriminantParams p;
        p.rank = 8;
        p.shrink = params.discriminant_shrink;
        p.strength = params.discriminant_strength;
        const auto fit = rv::learning::fit_group_discriminant(s.features, marks, p);
        QVERIFY(fit.fitted);
        const Eigen::MatrixXd diff = linear_map(trainer.adapter()) - linear_map(fit.adapter);
        QVERIFY2(diff.cwiseAbs().maxCoeff() < 1e-5, "the trainer's start is the fit");

        // Strength 0: the identity (B = 0), and no start is reported.
        params.discriminant_strength = 0;
        rv::AdapterTrainer plain(48, params);
        report = plain.train(s.features, marks, kNoCancel);
        QVERIFY(report.ok());
        QVERIFY(report->start.empty());
        for (float v : plain.adapter().b) QCOMPARE(v, 0.0f);

        // A second train() continues from what the first learned: no new start.
        rv::TrainParams once = params;
        once.discriminant_strength = rv::TrainParams{}.discriminant_strength;
        rv::AdapterTrainer twice(48, once);
        QVERIFY(twice.train(s.features, marks, kNoCancel).ok());
        const auto first = twice.adapter();
        report = twice.train(s.features, random_pairs(s, 0, 800, 50, 7), kNoCancel);
        QVERIFY(report.ok());
        QVERIFY(report->start.empty());
        QVERIFY(twice.adapter().b == first.b);
    }
};

QTEST_GUILESS_MAIN(TestGroupDiscriminant)
#include "test_group_discriminant.moc"
