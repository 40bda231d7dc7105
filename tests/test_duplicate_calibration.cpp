// The duplicate threshold of a real library calibrated by the person's marks (Duplicates.cpp,
// MarkedPairs.h): without marks it is the size default; "same" says the same picture, "different"
// and an "alike" given in the duplicates or pairs view (where "same" was on offer) say not; an
// "alike" from a search says nothing; marks on both sides give the threshold that
// calibrate_duplicate_threshold gives for the pairs' own duplicate scores, and duplicates() groups
// with it.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "sample_photos.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/ThresholdCalibration.h"

namespace fs = std::filesystem;

class TestDuplicateCalibration : public QObject {
    Q_OBJECT
private slots:
    void marks_calibrate_the_library_threshold();
};

void TestDuplicateCalibration::marks_calibrate_the_library_threshold() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    fs::create_directories(root);
    const auto all = rv_test::nature_photos();
    QVERIFY(all.size() >= 8);
    std::vector<fs::path> orig, copy;
    for (std::size_t i = 0; i < 8; ++i) {
        orig.push_back(root / all[i].filename());
        fs::copy_file(all[i], orig.back());
    }
    // Copies of the first four: smaller and re-encoded, each a little differently.
    for (std::size_t i = 0; i < 4; ++i) {
        QImage im(QString::fromStdString(orig[i].string()));
        QVERIFY(!im.isNull());
        const int w = im.width() * (50 + 10 * int(i)) / 100;
        copy.push_back(root / ("copy" + std::to_string(i) + ".jpg"));
        QVERIFY(im.scaledToWidth(w, Qt::SmoothTransformation).save(QString::fromStdString(copy.back().string()), "JPG",
                                                                   60 + 10 * int(i)));
    }
    auto opened = rv::Library::open(fs::path(tmp.path().toStdString()) / "library", rv::LibraryAccess::Create);
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    rv::Library& lib = **opened;
    std::atomic<bool> cancel{false};
    rv::IndexJobParams ip;
    ip.roots = {root};
    auto run = lib.index(ip, cancel);
    QVERIFY2(run, run ? "" : run.error().message.c_str());
    const float size_default = rv::size_duplicate_threshold(12);
    QCOMPARE(lib.default_duplicate_threshold(), size_default);

    // Each copy's score with its original, as duplicates() scores the pair.
    rv::DuplicateParams dp;
    dp.threshold = 0.3f;
    dp.verify_pixels = false;
    auto low = lib.duplicates(dp, cancel);
    QVERIFY(low);
    auto canon = [](const std::string& p) { return fs::weakly_canonical(p).string(); };
    std::map<std::string, float> score_of_copy;
    for (const auto& g : *low)
        for (std::size_t a = 0; a < 4; ++a)
            for (const auto& m : g.members)
                if (canon(g.members[0].path) == canon(orig[a].string()) && canon(m.path) == canon(copy[a].string()))
                    score_of_copy[copy[a].string()] = m.score;
    // The two copies found with their originals: the higher a verdict "same", the lower "not the
    // same" (the person wants only the closest copies grouped).
    std::vector<std::size_t> found;
    for (std::size_t a = 0; a < 4; ++a)
        if (score_of_copy.count(copy[a].string())) found.push_back(a);
    QVERIFY2(found.size() >= 2, "fewer than two copies grouped with their originals at 0.3");
    std::sort(found.begin(), found.end(), [&](std::size_t x, std::size_t y) {
        return score_of_copy[copy[x].string()] > score_of_copy[copy[y].string()];
    });
    const std::size_t hi = found.front(), lo = found.back();
    const float s_hi = score_of_copy[copy[hi].string()], s_lo = score_of_copy[copy[lo].string()];
    QVERIFY(s_hi > s_lo);

    // Alike from a search is not a verdict on "the same picture": still the size default.
    QVERIFY(rv::add_mark(lib, orig[hi], copy[hi], rv::MarkVerdict::Alike, rv::MarkSource::Search).ok());
    QVERIFY(rv::add_mark(lib, orig[lo], copy[lo], rv::MarkVerdict::Different, rv::MarkSource::Duplicates).ok());
    QCOMPARE(lib.default_duplicate_threshold(), size_default);
    // Alike from the pair view, where "same picture" was on offer, says "not the same": both
    // verdicts on one side, still the default.
    QVERIFY(rv::add_mark(lib, orig[hi], copy[hi], rv::MarkVerdict::Alike, rv::MarkSource::Pairs).ok());
    QCOMPARE(lib.default_duplicate_threshold(), size_default);

    // "Same picture" counts (from any view): both sides now.
    QVERIFY(rv::add_mark(lib, orig[hi], copy[hi], rv::MarkVerdict::Same, rv::MarkSource::Pairs).ok());
    const auto want = rv::calibrate_duplicate_threshold({{s_hi, true}, {s_lo, false}}, size_default);
    QVERIFY(want.calibrated);
    const float got = lib.default_duplicate_threshold();
    QVERIFY2(std::abs(got - want.threshold) < 1e-4f,
             qPrintable(QString("%1 vs %2 (scores %3 %4)").arg(got).arg(want.threshold).arg(s_hi).arg(s_lo)));
    // "Alike" from the duplicates view is "not the same" as much as "different" is: same threshold.
    QVERIFY(rv::add_mark(lib, orig[lo], copy[lo], rv::MarkVerdict::Alike, rv::MarkSource::Duplicates).ok());
    QVERIFY(std::abs(lib.default_duplicate_threshold() - got) < 1e-6f);
    // From a search it says nothing: only "same" verdicts left, the default again.
    QVERIFY(rv::add_mark(lib, orig[lo], copy[lo], rv::MarkVerdict::Alike, rv::MarkSource::Search).ok());
    QCOMPARE(lib.default_duplicate_threshold(), size_default);
    QVERIFY(rv::add_mark(lib, orig[lo], copy[lo], rv::MarkVerdict::Different, rv::MarkSource::Search).ok());
    QVERIFY(std::abs(lib.default_duplicate_threshold() - got) < 1e-6f);
    if (s_lo >= size_default) QVERIFY(got > size_default);  // a "not same" above the default raises it

    // duplicates() with no threshold given uses it: every member reaches it (on its whitened
    // score, or a plain cosine >= 0.99).
    dp.threshold = -1;
    auto groups = lib.duplicates(dp, cancel);
    QVERIFY(groups);
    for (const auto& g : *groups)
        for (std::size_t m = 1; m < g.members.size(); ++m) QVERIFY(g.members[m].score >= got - 1e-6f);
    qInfo("scores %.3f (same) %.3f (not same); size default %.3f, calibrated %.3f", s_hi, s_lo, size_default, got);
}

QTEST_GUILESS_MAIN(TestDuplicateCalibration)
#include "test_duplicate_calibration.moc"
