// Training the adapter (AdapterTraining.h) on synthetic features whose hidden classes the plain
// cosine confuses: after training on marks, held-out pairs (on rows never trained on) are ordered
// clearly better (pair_auc) and their alike cosines rise, different ones fall; cancel stops early
// and says so; the same seed gives the same adapter; EWC + replay keep more of a first task than
// neither when only a second task is trained; the fast update raises a marked pair's cosine;
// bad input is an Error naming the problem; pair_auc itself on hand-made cosines.
#include <QtTest>

#include <atomic>
#include <limits>

#include "adapter_test_util.h"
#include "ruvision/engine/AdapterTraining.h"

using namespace adapter_test;

namespace {

std::vector<int> alternating(std::size_t n, int first_class, int classes) {
    std::vector<int> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(first_class + static_cast<int>(i % classes));
    return out;
}

rv::AdapterStack base_only(const rv::LowRankAdapter& ad) {
    rv::AdapterStack s;
    s.base = ad;
    return s;
}

const std::atomic<bool> kNoCancel{false};

// The gradient steps alone: 40 epochs from the identity (TrainParams' default is the closed-form
// start with none; test_group_discriminant checks the start).
rv::TrainParams gradient_params() {
    rv::TrainParams p;
    p.epochs = 40;
    p.discriminant_strength = 0;
    return p;
}

}  // namespace

class TestAdapterTraining : public QObject {
    Q_OBJECT
private slots:
    void trainingOrdersHeldOutPairsBetter() {
        // 3000 rows of four classes at dim 576 (two confusable pairs of classes, plain cosines of
        // about 0.4 whatever the class, as with CNN features): rows 0-1999 give the 1000 marks, rows
        // 2000-2999 the held-out pairs. Default parameters but the margin, set below the plain
        // cosine of different pairs so that they are pushed apart too.
        const Synthetic s = make_features(576, alternating(3000, 0, 4), 101, 2, 0.25, 0.05);
        const auto train_pairs = random_pairs(s, 0, 2000, 1000, 7);
        const auto held_out = random_pairs(s, 2000, 3000, 3000, 8);
        const double auc_before = rv::pair_auc({}, s.features, held_out);

        rv::TrainParams params = gradient_params();
        params.learning_rate = 5e-3f;  // these synthetic classes are learnt in few steps (the default is bench_learning's)
        params.margin = 0.3f;
        rv::AdapterTrainer trainer(576, params);
        auto report = trainer.train(s.features, train_pairs, kNoCancel);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
        QVERIFY(!report->cancelled);
        QCOMPARE(report->steps, params.epochs * 16);  // 1000 pairs in batches of 64
        QVERIFY(trainer.adapter().valid());
        const auto stack = base_only(trainer.adapter());
        const double auc_after = rv::pair_auc(stack, s.features, held_out);
        const double alike_before = mean_cosine({}, s.features, held_out, true);
        const double alike_after = mean_cosine(stack, s.features, held_out, true);
        const double diff_before = mean_cosine({}, s.features, held_out, false);
        const double diff_after = mean_cosine(stack, s.features, held_out, false);
        qInfo("held-out AUC %.3f -> %.3f; alike cosine %.3f -> %.3f; different %.3f -> %.3f; loss %.3f -> %.3f",
              auc_before, auc_after, alike_before, alike_after, diff_before, diff_after, report->first_loss,
              report->last_loss);
        QVERIFY(auc_before < 0.85);  // the plain cosine does confuse them
        QVERIFY(auc_after > auc_before + 0.1);
        QVERIFY(auc_after > 0.95);
        QVERIFY(alike_after > alike_before + 0.01);
        QVERIFY(diff_after < diff_before - 0.1);
        QVERIFY(report->last_loss < report->first_loss);
    }

    // Each loss alone gives a useful direction. Without weight decay: its right strength depends on
    // the losses' scales (InfoNCE's gradients are 1/temperature larger), the default suits all three.
    void eachLossAloneLearns() {
        const Synthetic s = make_features(32, alternating(400, 0, 2), 202);
        const auto train_pairs = random_pairs(s, 0, 300, 400, 9);
        const auto held_out = random_pairs(s, 300, 400, 1000, 10);
        const double before = rv::pair_auc({}, s.features, held_out);
        for (int which = 0; which < 3; ++which) {
            rv::TrainParams params = gradient_params();
            params.learning_rate = 5e-3f;
            params.rank = 2;
            params.alpha = 2;
            params.margin = 0.1f;  // the plain cosine of different pairs is about 0.2 here
            params.weight_decay = 0;
            params.losses = rv::LossSwitches{which == 0, which == 1, which == 2};
            rv::AdapterTrainer trainer(32, params);
            auto report = trainer.train(s.features, train_pairs, kNoCancel);
            QVERIFY(report.ok());
            const double after = rv::pair_auc(base_only(trainer.adapter()), s.features, held_out);
            qInfo("loss %d alone: held-out AUC %.3f -> %.3f", which, before, after);
            QVERIFY2(after > before + 0.1, qPrintable(QString("loss %1").arg(which)));
        }
    }

    void cancelStopsEarlyAndSaysSo() {
        const Synthetic s = make_features(32, alternating(200, 0, 2), 303);
        const auto pairs = random_pairs(s, 0, 200, 300, 11);
        rv::TrainParams params = gradient_params();
        params.rank = 2;
        std::atomic<bool> cancel{false};
        int calls = 0;
        rv::AdapterTrainer trainer(32, params);
        auto report = trainer.train(s.features, pairs, cancel, [&](const rv::TrainProgress& p) {
            ++calls;
            QCOMPARE(p.step, calls);
            QCOMPARE(p.steps, params.epochs * 5);
            if (p.step == 3) cancel = true;
        });
        QVERIFY(report.ok());
        QVERIFY(report->cancelled);
        QCOMPARE(report->steps, 3);
        QCOMPARE(calls, 3);
        QVERIFY(trainer.adapter().valid());
        bool moved = false;  // the three steps are kept
        for (float v : trainer.adapter().b) moved |= v != 0;
        QVERIFY(moved);

        rv::AdapterTrainer already(32, params);
        auto none = already.train(s.features, pairs, cancel);
        QVERIFY(none.ok());
        QVERIFY(none->cancelled);
        QCOMPARE(none->steps, 0);
    }

    void sameSeedSameAdapter() {
        const Synthetic s = make_features(32, alternating(200, 0, 2), 404);
        const auto first = random_pairs(s, 0, 200, 200, 12);
        const auto second = random_pairs(s, 0, 200, 100, 13);
        auto run = [&](std::uint64_t seed) {
            rv::TrainParams params = gradient_params();
            params.rank = 3;
            params.epochs = 5;
            params.seed = seed;
            rv::AdapterTrainer trainer(32, params);
            if (!trainer.train(s.features, first, kNoCancel).ok()) return rv::LowRankAdapter{};
            trainer.consolidate(s.features, first);
            if (!trainer.train(s.features, second, kNoCancel).ok()) return rv::LowRankAdapter{};  // replay + EWC
            return trainer.adapter();
        };
        const auto a = run(5), b = run(5), c = run(6);
        QVERIFY(!a.empty());
        QCOMPARE(a.a, b.a);
        QCOMPARE(a.b, b.b);
        QVERIFY(a.b != c.b);
    }

    void ewcAndReplayForgetLess() {
        // Task 1 tells classes 0/1 apart (axis 1), task 2 classes 2/3 (axis 2), whose rows also
        // carry a random sign on axis 1: learning task 2 alone learns to ignore axis 1, which
        // task 1 needs (conflicting tasks), so it forgets task 1.
        const int dim = 32;
        const Synthetic t1 = make_features(dim, alternating(400, 0, 2), 505, 2, 0.25, 0.15);
        const Synthetic t2 = make_features(dim, alternating(400, 2, 2), 506, 2, 0.25, 0.15, 0.4);
        const auto t1_train = random_pairs(t1, 0, 300, 500, 14), t1_held = random_pairs(t1, 300, 400, 1000, 15);
        const auto t2_train = random_pairs(t2, 0, 300, 500, 16), t2_held = random_pairs(t2, 300, 400, 1000, 17);
        struct Outcome {
            double t1_after_t1, t1_after_t2, t2_after_t2;
        };
        auto run = [&](bool replay, bool ewc) {
            rv::TrainParams params = gradient_params();
            params.rank = 2;
            params.alpha = 4;
            params.learning_rate = 1e-2f;
            params.margin = 0.1f;
            params.replay = replay;
            params.ewc = ewc;
            rv::AdapterTrainer trainer(dim, params);
            Outcome o{};
            if (!trainer.train(t1.features, t1_train, kNoCancel).ok()) return o;
            o.t1_after_t1 = rv::pair_auc(base_only(trainer.adapter()), t1.features, t1_held);
            trainer.consolidate(t1.features, t1_train);
            if (!trainer.train(t2.features, t2_train, kNoCancel).ok()) return o;
            o.t1_after_t2 = rv::pair_auc(base_only(trainer.adapter()), t1.features, t1_held);
            o.t2_after_t2 = rv::pair_auc(base_only(trainer.adapter()), t2.features, t2_held);
            return o;
        };
        const Outcome plain = run(false, false), guarded = run(true, true);
        const Outcome replay_only = run(true, false), ewc_only = run(false, true);
        auto show = [](const char* name, const Outcome& o) {
            qInfo("%-11s task-1 AUC after task 1 %.3f, after task 2 %.3f (task-2 AUC %.3f)", name, o.t1_after_t1,
                  o.t1_after_t2, o.t2_after_t2);
        };
        show("neither", plain);
        show("replay", replay_only);
        show("EWC", ewc_only);
        show("EWC+replay", guarded);
        const double drop_plain = plain.t1_after_t1 - plain.t1_after_t2;
        const double drop_guarded = guarded.t1_after_t1 - guarded.t1_after_t2;
        QVERIFY(drop_plain > 0.1);                   // there is forgetting to prevent
        QVERIFY(drop_guarded < drop_plain - 0.05);  // and the guard prevents part of it
        QVERIFY(guarded.t2_after_t2 > 0.9);         // while task 2 is still learnt
        QVERIFY(replay_only.t1_after_t1 - replay_only.t1_after_t2 < drop_plain - 0.05);  // each alone helps
        QVERIFY(ewc_only.t1_after_t1 - ewc_only.t1_after_t2 < drop_plain - 0.05);
    }

    // Replayed pairs carry copies of their vectors: the matrix they came from may be gone (here
    // overwritten with NaN, which would poison the adapter if the reservoir still pointed into it).
    void replayOutlivesItsMatrix() {
        Synthetic first = make_features(32, alternating(200, 0, 2), 808);
        const Synthetic second = make_features(32, alternating(200, 0, 2), 809);
        rv::TrainParams params = gradient_params();
        params.rank = 2;
        params.epochs = 3;
        rv::AdapterTrainer trainer(32, params);
        QVERIFY(trainer.train(first.features, random_pairs(first, 0, 200, 100, 19), kNoCancel).ok());
        for (auto& v : first.features.rows) v = std::numeric_limits<float>::quiet_NaN();
        first.features.rows.clear();
        first.features.rows.shrink_to_fit();
        auto report = trainer.train(second.features, random_pairs(second, 0, 200, 100, 20), kNoCancel);
        QVERIFY(report.ok());
        QCOMPARE(report->steps, 3 * 4);  // 100 pairs, 32 new + 32 replayed per step
        QVERIFY(trainer.adapter().valid());
    }

    void fastUpdateRaisesAMarkedPairsCosine() {
        const int dim = 576;
        const Synthetic s = make_features(dim, alternating(200, 0, 2), 606, 2, 0.25, 0.06);
        auto recent = random_pairs(s, 0, 200, 49, 18);
        const rv::TrainingPair newest{0, 2, true};  // the last of `recent` is the newest mark
        recent.push_back(newest);
        const rv::AdapterStack none;
        const double before = mean_cosine(none, s.features, {newest}, true);
        rv::FastUpdateParams params;  // a strong update, to see the mechanism (the defaults are bench_learning's, far milder)
        params.steps = 20;
        params.learning_rate = 2e-2f;
        params.margin = 0.5f;
        const rv::LowRankAdapter fast = rv::update_fast_adapter({}, s.features, recent, params);
        QVERIFY(fast.valid());
        QCOMPARE(fast.rank, params.rank);
        QCOMPARE(fast.dim, dim);
        rv::AdapterStack stack;
        stack.fast = fast;
        const double after = mean_cosine(stack, s.features, {newest}, true);
        qInfo("marked alike pair's cosine %.4f -> %.4f", before, after);
        QVERIFY(after > before + 0.05);
        // A second update (the same marks) continues from the first: the pair does not fall back.
        stack.fast = rv::update_fast_adapter(fast, s.features, recent, params);
        QVERIFY(mean_cosine(stack, s.features, {newest}, true) >= after - 1e-3);
        // Pairs outside the matrix are left out, not read; with none left the map is the identity.
        const rv::LowRankAdapter bad = rv::update_fast_adapter({}, s.features, {{0, 5000, true}}, params);
        QVERIFY(bad.valid());
        for (float v : bad.b) QCOMPARE(v, 0.0f);
    }

    // The fast adapter after each of 100 marks (the 50 most recent given each time): every newest
    // alike pair comes closer, every newest different pair moves apart, and pairs the person never
    // marked (rows never marked) are ordered no worse, here better, than without it.
    void fastUpdatesOverAStreamOfMarks() {
        const int dim = 576;
        const Synthetic s = make_features(dim, alternating(2000, 0, 4), 1, 2, 0.25, 0.05);
        const auto stream = random_pairs(s, 0, 1500, 100, 2);
        const auto held_out = random_pairs(s, 1500, 2000, 3000, 3);
        rv::FastUpdateParams params;  // a strong update, to see the mechanism (the defaults are bench_learning's, far milder)
        params.steps = 20;
        params.learning_rate = 2e-2f;
        params.margin = 0.5f;
        rv::AdapterStack stack;
        const double plain = rv::pair_auc(stack, s.features, held_out);
        double alike_gain = 0, different_gain = 0;
        int alike = 0, different = 0;
        for (std::size_t k = 1; k <= stream.size(); ++k) {
            const std::vector<rv::TrainingPair> recent(stream.begin() + static_cast<std::ptrdiff_t>(k > 50 ? k - 50 : 0),
                                                       stream.begin() + static_cast<std::ptrdiff_t>(k));
            const rv::TrainingPair newest = stream[k - 1];
            const double before = mean_cosine(stack, s.features, {newest}, newest.alike);
            stack.fast = rv::update_fast_adapter(stack.fast, s.features, recent, params);
            QVERIFY(stack.fast.valid());
            const double gain = mean_cosine(stack, s.features, {newest}, newest.alike) - before;
            (newest.alike ? alike_gain : different_gain) += gain;
            ++(newest.alike ? alike : different);
        }
        const double after = rv::pair_auc(stack, s.features, held_out);
        qInfo("newest alike pair's cosine %+.3f, different %+.3f on average; held-out AUC %.3f -> %.3f",
              alike_gain / alike, different_gain / different, plain, after);
        QVERIFY(alike > 10 && different > 10);
        QVERIFY(alike_gain / alike > 0.1);
        QVERIFY(different_gain / different < -0.1);
        QVERIFY(after > plain + 0.03);
    }

    void badInputIsANamedError() {
        const Synthetic s = make_features(16, alternating(20, 0, 2), 707);
        rv::TrainParams params = gradient_params();
        params.rank = 2;
        rv::AdapterTrainer trainer(16, params);
        auto outside = trainer.train(s.features, {{0, 1, true}, {3, 20, false}}, kNoCancel);
        QVERIFY(!outside.ok());
        QVERIFY2(outside.error().message.find("pair 1 names row 20") != std::string::npos, outside.error().message.c_str());
        QVERIFY(outside.error().message.find("20 rows") != std::string::npos);

        rv::AdapterTrainer other_dim(8, params);
        auto dim = other_dim.train(s.features, {{0, 1, true}}, kNoCancel);
        QVERIFY(!dim.ok());
        QVERIFY(dim.error().message.find("dimension 16") != std::string::npos);

        Synthetic nan = s;
        nan.features.rows[5 * 16 + 3] = std::numeric_limits<float>::quiet_NaN();
        auto bad_value = trainer.train(nan.features, {{0, 1, true}, {2, 5, false}}, kNoCancel);
        QVERIFY(!bad_value.ok());
        QVERIFY(bad_value.error().message.find("row 5") != std::string::npos);
        QVERIFY(bad_value.error().message.find("non-finite") != std::string::npos);

        auto elsewhere = trainer.train(nan.features, {{0, 1, true}, {2, 3, false}}, kNoCancel);
        QVERIFY2(elsewhere.ok(), "a damaged row no pair names does not stop training");
        QVERIFY(trainer.adapter().valid());

        auto self = trainer.train(s.features, {{4, 4, true}}, kNoCancel);
        QVERIFY(!self.ok());
        QVERIFY(self.error().message.find("with itself") != std::string::npos);

        rv::TrainParams zero_batch = params;
        zero_batch.batch = 0;
        rv::AdapterTrainer bad_params(16, zero_batch);
        auto p = bad_params.train(s.features, {{0, 1, true}}, kNoCancel);
        QVERIFY(!p.ok());
        QVERIFY(p.error().message.find("batch") != std::string::npos);
        for (float shrink : {-0.1f, 1.5f, std::numeric_limits<float>::quiet_NaN()}) {
            rv::TrainParams bad_shrink = params;
            bad_shrink.discriminant_shrink = shrink;
            auto r = rv::AdapterTrainer(16, bad_shrink).train(s.features, {{0, 1, true}}, kNoCancel);
            QVERIFY(!r.ok());
            QVERIFY(r.error().message.find("discriminant shrink") != std::string::npos);
        }
        rv::TrainParams bad_strength = params;
        bad_strength.discriminant_strength = -1;
        auto strength = rv::AdapterTrainer(16, bad_strength).train(s.features, {{0, 1, true}}, kNoCancel);
        QVERIFY(!strength.ok());
        QVERIFY(strength.error().message.find("discriminant strength") != std::string::npos);

        rv::AdapterTrainer other_start(16, params, rv::LowRankAdapter::initial(8, 2, 2, 1));
        auto start = other_start.train(s.features, {{0, 1, true}}, kNoCancel);
        QVERIFY(!start.ok());
        QVERIFY(start.error().message.find("starting adapter has dimension 8") != std::string::npos);

        auto none = trainer.train(s.features, {}, kNoCancel);  // nothing to learn: no step, no error
        QVERIFY(none.ok());
        QCOMPARE(none->steps, 0);

        // After the refusals the trainer still trains.
        auto fine = trainer.train(s.features, {{0, 2, true}, {0, 1, false}}, kNoCancel);
        QVERIFY(fine.ok());
        QVERIFY(trainer.adapter().valid());
    }

    void pairAucCountsTiesHalf() {
        // Four rows at angles: cos(0,1) = 1, cos(0,2) = 0.6, cos(0,3) = 0.6, cos(1,2) = 0.6.
        rv::FeatureMatrix f;
        f.dim = 2;
        f.rows = {1, 0, 1, 0, 0.6f, 0.8f, 0.6f, -0.8f};
        // alike scores: 1 (0,1), 0.6 (0,2); different: 0.6 (0,3), 0.6 (1,2) ... couples:
        // (1 > 0.6) twice = 2, (0.6 = 0.6) twice = 1: AUC = 3/4.
        const std::vector<rv::TrainingPair> pairs = {{0, 1, true}, {0, 2, true}, {0, 3, false}, {1, 2, false}};
        QCOMPARE(rv::pair_auc({}, f, pairs), 0.75);
        QCOMPARE(rv::pair_auc({}, f, {{0, 1, true}}), 0.5);          // no different pair
        QCOMPARE(rv::pair_auc({}, f, {{0, 3, false}}), 0.5);         // no alike pair
        QCOMPARE(rv::pair_auc({}, f, {{0, 1, true}, {0, 3, false}, {0, 9, true}}), 1.0);  // row 9 left out
        QCOMPARE(rv::pair_auc({}, f, {{0, 3, true}, {0, 1, false}}), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestAdapterTraining)
#include "test_adapter_training.moc"
