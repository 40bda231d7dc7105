// The engine's queue of uncertain pairs (PairQueue.h) on a real library of real photos and their
// edited copies: the pairs nearest the calibrated duplicate threshold come first, scored as the
// duplicates machinery scores them (their verdicts calibrate exactly what the pair view shows); a
// marked or skipped pair is never asked again; the work is bounded by the sample; with an active
// adapter, pairs where it and the plain features disagree alternate with the near-threshold ones.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <set>
#include <vector>

#include "sample_photos.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/PairQueue.h"
#include "ruvision/engine/ThresholdCalibration.h"

namespace fs = std::filesystem;

namespace {

#define CHECK_RESULT(r) QVERIFY2((r), (r) ? "" : (r).error().message.c_str())

using Key = std::pair<std::int64_t, std::int64_t>;

std::set<Key> keys(const rv::PairQueue& q) {
    std::set<Key> out;
    for (const auto& p : q.pairs) out.insert({p.a_id, p.b_id});
    return out;
}

}  // namespace

class TestPairQueue : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void nearest_the_threshold_first();
    void marked_and_skipped_pairs_are_not_asked_again();
    void the_sample_bounds_the_work();
    void adapter_disagreements_alternate();

private:
    QTemporaryDir tmp_;
    std::unique_ptr<rv::Library> lib_;
    std::vector<fs::path> orig_, copy_;
    std::atomic<bool> cancel_{false};
};

// Ten nature photos and five copies of the first five (smaller, re-encoded, one cropped).
void TestPairQueue::initTestCase() {
    const fs::path root = fs::path(tmp_.path().toStdString()) / "photos";
    fs::create_directories(root);
    const auto all = rv_test::nature_photos();
    QVERIFY(all.size() >= 10);
    for (std::size_t i = 0; i < 10; ++i) {
        orig_.push_back(root / all[i].filename());
        fs::copy_file(all[i], orig_.back());
    }
    for (int i = 0; i < 5; ++i) {
        QImage im(QString::fromStdString(orig_[i].string()));
        QVERIFY(!im.isNull());
        if (i == 4) im = im.copy(im.width() / 10, im.height() / 10, im.width() * 8 / 10, im.height() * 8 / 10);
        copy_.push_back(root / ("copy" + std::to_string(i) + ".jpg"));
        QVERIFY(im.scaledToWidth(im.width() * (40 + 10 * i) / 100, Qt::SmoothTransformation)
                    .save(QString::fromStdString(copy_.back().string()), "JPG", 55 + 8 * i));
    }
    auto opened = rv::Library::open(fs::path(tmp_.path().toStdString()) / "library", rv::LibraryAccess::Create);
    CHECK_RESULT(opened);
    lib_ = std::move(*opened);
    rv::IndexJobParams ip;
    ip.roots = {root};
    auto run = lib_->index(ip, cancel_);
    CHECK_RESULT(run);
}

void TestPairQueue::nearest_the_threshold_first() {
    rv::PairQueueParams p;
    p.count = 6;
    auto q = rv::uncertain_pairs(*lib_, p, cancel_);
    CHECK_RESULT(q);
    QCOMPARE(q->pairs.size(), std::size_t(6));
    QCOMPARE(q->sampled, std::size_t(15));  // a library this small is sampled whole
    QVERIFY(!q->threshold.calibrated);
    QVERIFY(!q->threshold.adapter_active);
    QCOMPARE(q->threshold.threshold, lib_->default_duplicate_threshold());
    const float thr = q->threshold.threshold;
    std::set<Key> seen;
    for (std::size_t i = 0; i < q->pairs.size(); ++i) {
        const auto& u = q->pairs[i];
        QCOMPARE(u.why, rv::PairReason::NearThreshold);
        QVERIFY(u.a_id < u.b_id);
        QVERIFY(seen.insert({u.a_id, u.b_id}).second);  // each pair once
        QVERIFY(fs::exists(u.a) && fs::exists(u.b));
        QVERIFY(std::isfinite(u.score));
        QCOMPARE(u.threshold, thr);
        QCOMPARE(u.plain_cosine, u.adapted_cosine);  // no adapter
        if (i > 0) QVERIFY(std::abs(u.score - thr) >= std::abs(q->pairs[i - 1].score - thr));
    }
    QCOMPARE(std::string(rv::to_string(q->pairs[0].why)), std::string("near the duplicate threshold"));

    // The queue's scores are the duplicates machinery's: verdicts on two of its pairs calibrate
    // the library's threshold to what calibrate_duplicate_threshold makes of those very scores.
    const auto& hi = *std::max_element(q->pairs.begin(), q->pairs.end(),
                                       [](const auto& x, const auto& y) { return x.score < y.score; });
    const auto& lo = *std::min_element(q->pairs.begin(), q->pairs.end(),
                                       [](const auto& x, const auto& y) { return x.score < y.score; });
    QVERIFY(hi.score > lo.score);
    QVERIFY(rv::add_mark(*lib_, hi.a, hi.b, rv::MarkVerdict::Same, rv::MarkSource::Pairs).ok());
    QVERIFY(rv::add_mark(*lib_, lo.a, lo.b, rv::MarkVerdict::Alike, rv::MarkSource::Pairs).ok());
    const auto want = rv::calibrate_duplicate_threshold({{hi.score, true}, {lo.score, false}}, q->threshold.default_threshold);
    QVERIFY(want.calibrated);
    auto state = rv::duplicate_threshold_state(*lib_, cancel_);
    CHECK_RESULT(state);
    QVERIFY(state->calibrated);
    QCOMPARE(state->verdicts, std::size_t(2));
    QCOMPARE(state->default_threshold, q->threshold.default_threshold);
    QVERIFY2(std::abs(state->threshold - want.threshold) < 1e-5f,
             qPrintable(QString("%1 vs %2").arg(state->threshold).arg(want.threshold)));
    QCOMPARE(state->threshold, lib_->default_duplicate_threshold());  // what the duplicates view uses
    QVERIFY(rv::remove_mark(*lib_, hi.a, hi.b).ok());
    QVERIFY(rv::remove_mark(*lib_, lo.a, lo.b).ok());
}

void TestPairQueue::marked_and_skipped_pairs_are_not_asked_again() {
    rv::PairQueueParams p;
    p.count = 4;
    auto first = rv::uncertain_pairs(*lib_, p, cancel_);
    CHECK_RESULT(first);
    QCOMPARE(first->pairs.size(), std::size_t(4));
    // Marked in the order opposite to the queue's, with each verdict: never asked again.
    const auto& f = first->pairs;
    QVERIFY(rv::add_mark(*lib_, f[0].b, f[0].a, rv::MarkVerdict::Same, rv::MarkSource::Pairs).ok());
    QVERIFY(rv::add_mark(*lib_, f[1].a, f[1].b, rv::MarkVerdict::Different, rv::MarkSource::Pairs).ok());
    QVERIFY(rv::add_mark(*lib_, f[2].a, f[2].b, rv::MarkVerdict::Alike, rv::MarkSource::Search).ok());
    p.exclude = {{f[3].b_id, f[3].a_id}};  // skipped
    auto next = rv::uncertain_pairs(*lib_, p, cancel_);
    CHECK_RESULT(next);
    QVERIFY(!next->pairs.empty());
    const auto was = keys(*first);
    for (const auto& k : keys(*next)) QVERIFY2(!was.count(k), "a marked or skipped pair was asked again");
    QVERIFY(next->threshold.calibrated);  // a "same" and a "different" now
    for (const auto& u : next->pairs) QCOMPARE(u.threshold, next->threshold.threshold);
    auto marks = rv::list_marks(*lib_);
    CHECK_RESULT(marks);
    for (const auto& m : *marks) QVERIFY(rv::remove_mark(*lib_, m.a, m.b).ok());
}

void TestPairQueue::the_sample_bounds_the_work() {
    rv::PairQueueParams p;
    p.count = 50;
    p.sample = 3;
    p.neighbours = 2;
    auto q = rv::uncertain_pairs(*lib_, p, cancel_);
    CHECK_RESULT(q);
    QVERIFY2(q->sampled >= 1 && q->sampled < 15, qPrintable(QString::number(q->sampled)));
    QVERIFY(q->pairs.size() <= q->sampled * 2);  // at most `neighbours` pairs per searched file
    std::atomic<bool> cancelled{true};
    auto none = rv::uncertain_pairs(*lib_, p, cancelled);
    CHECK_RESULT(none);
    QVERIFY(none->pairs.empty());
}

void TestPairQueue::adapter_disagreements_alternate() {
    // Marks enough to learn from: each copy the same as its original, originals different.
    for (int i = 0; i < 5; ++i)
        QVERIFY(rv::add_mark(*lib_, orig_[i], copy_[i], rv::MarkVerdict::Same, rv::MarkSource::Pairs).ok());
    for (int i = 0; i < 8; ++i)
        QVERIFY(rv::add_mark(*lib_, orig_[i], orig_[i + 2], rv::MarkVerdict::Different, rv::MarkSource::Pairs).ok());
    // 13 marks give the default closed form little strength (0.005 per mark): a stronger one, so
    // that neighbourhoods change and the queue has disagreements to ask about.
    rv::LearnParams strong;
    strong.train.discriminant_strength = 0.3f;
    auto learned = rv::learn(*lib_, strong, cancel_);
    CHECK_RESULT(learned);
    QVERIFY(learned->version > 0);
    QVERIFY(rv::activate_adapter(*lib_, learned->version, cancel_).ok());  // whatever the guard said
    QCOMPARE(lib_->active_adapter()->version, learned->version);

    rv::PairQueueParams p;
    p.count = 8;
    p.neighbours = 3;
    auto q = rv::uncertain_pairs(*lib_, p, cancel_);
    CHECK_RESULT(q);
    QVERIFY(q->threshold.adapter_active);
    QVERIFY(!q->pairs.empty());
    std::size_t disagree = 0;
    for (std::size_t i = 0; i < q->pairs.size(); ++i) {
        const auto& u = q->pairs[i];
        if (u.why != rv::PairReason::AdapterDisagrees) continue;
        ++disagree;
        QVERIFY(u.plain_cosine != u.adapted_cosine);
    }
    QVERIFY2(disagree > 0, "no pair where the adapter and the plain features disagree");
    QCOMPARE(q->pairs[0].why, rv::PairReason::NearThreshold);
    if (q->pairs.size() > 1) QCOMPARE(q->pairs[1].why, rv::PairReason::AdapterDisagrees);
    // Marked pairs stay out of both kinds.
    auto marks = rv::list_marks(*lib_);
    CHECK_RESULT(marks);
    std::set<Key> marked;
    for (const auto& m : *marks) marked.insert({m.a_id, m.b_id});
    for (const auto& k : keys(*q)) QVERIFY(!marked.count(k));
}

QTEST_GUILESS_MAIN(TestPairQueue)
#include "test_pair_queue.moc"
