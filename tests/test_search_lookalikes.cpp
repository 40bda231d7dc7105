// Scores on a library of small pictures that look alike (Fashion-MNIST: 28 x 28 product shots, 20 of
// each of 10 classes, as PNG files), indexed and calibrated through rv::Library as the app does.
// What a person relies on: a picture searched by itself is "same picture"; its neighbours are
// never all called the same picture (before the calibration's guard, every one of them was: a
// flat fit on views that do not stand out, moved to call an identical feature the same picture);
// and the words name look-alikes: a result called "related" or "very similar" is of the query's
// class more often than a result without a word.
#include <QtTest>

#include <filesystem>

#include <opencv2/imgcodecs.hpp>

#include "fashion_mnist.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;

class TestSearchLookalikes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void neighbours_are_not_the_same_picture_and_words_name_lookalikes();

private:
    QTemporaryDir tmp_;
    fs::path lib_;
    std::vector<fs::path> files_;
    std::vector<int> labels_;
};

void TestSearchLookalikes::initTestCase() {
    auto set = rvdata::load_fashion(rvdata::kFashionMnistDir, 20);
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    const fs::path root = fs::path(tmp_.path().toStdString()) / "photos";
    lib_ = fs::path(tmp_.path().toStdString()) / "library";
    fs::create_directories(root);
    for (std::size_t i = 0; i < set->images.size(); ++i) {
        const auto& im = set->images[i];
        const cv::Mat rgb(im.height, im.width, CV_8UC3, const_cast<std::uint8_t*>(im.data.data()));
        const fs::path p = root / ("item" + std::to_string(i) + ".png");
        QVERIFY(cv::imwrite(p.string(), rgb));  // grey replicated: the channel order does not matter
        files_.push_back(p);
        labels_.push_back(set->labels[i]);
    }
    auto lib = rv::Library::open(lib_, rv::LibraryAccess::Create);
    QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
    std::atomic<bool> cancel{false};
    rv::IndexJobParams p;
    p.roots = {root};
    auto run = (*lib)->index(p, cancel);
    QVERIFY2(run, run ? "" : run.error().message.c_str());
    auto st = (*lib)->update_search_calibration(cancel);
    QVERIFY2(st, st ? "" : st.error().message.c_str());
}

void TestSearchLookalikes::neighbours_are_not_the_same_picture_and_words_name_lookalikes() {
    auto lib = rv::Library::open(lib_, rv::LibraryAccess::Read);
    QVERIFY(lib);
    int self_same = 0, queries = 0, neighbours = 0, called_same = 0;
    int worded = 0, worded_of_class = 0, plain = 0, plain_of_class = 0;
    for (std::size_t q = 0; q < files_.size(); q += 4) {
        auto hits = (*lib)->search(files_[q], 11);
        QVERIFY2(hits, hits ? "" : hits.error().message.c_str());
        QVERIFY(!hits->empty());
        ++queries;
        if (fs::equivalent(hits->front().path, files_[q]) && hits->front().word == "same picture") ++self_same;
        for (std::size_t k = 1; k < hits->size(); ++k) {
            const auto& r = (*hits)[k];
            const auto it = std::find_if(files_.begin(), files_.end(), [&](const fs::path& f) { return fs::equivalent(f, r.path); });
            QVERIFY(it != files_.end());
            const bool of_class = labels_[static_cast<std::size_t>(it - files_.begin())] == labels_[q];
            ++neighbours;
            called_same += r.word == "same picture";
            QVERIFY(r.shown >= 0 && r.shown <= 1);
            if (r.word == "related" || r.word == "very similar") {
                ++worded;
                worded_of_class += of_class;
            } else if (r.word.empty()) {
                ++plain;
                plain_of_class += of_class;
            }
        }
    }
    const QString figures = QString("%1 of %2 queries found themselves as 'same picture'; %3 of %4 neighbours called "
                                    "'same picture'; worded %5 (%6 of the class), no word %7 (%8 of the class)")
                                .arg(self_same).arg(queries).arg(called_same).arg(neighbours)
                                .arg(worded).arg(worded_of_class).arg(plain).arg(plain_of_class);
    qInfo("%s", qPrintable(figures));
    QVERIFY2(self_same == queries, qPrintable(figures));
    // A few near-identical product shots may be; all of them (the bug) or one in ten may not.
    QVERIFY2(called_same * 20 <= neighbours, qPrintable(figures));
    // The words carry information: some results have one and some not, and a worded result is
    // of the query's class clearly more often than one without a word.
    QVERIFY2(worded > 0 && plain > 0, qPrintable(figures));
    QVERIFY2(double(worded_of_class) / worded >= double(plain_of_class) / plain + 0.15, qPrintable(figures));
}

QTEST_GUILESS_MAIN(TestSearchLookalikes)
#include "test_search_lookalikes.moc"
