// rv::marks_of_file (Marks.h) on a real library of real photos: exactly the marks whose
// pair includes the file, with the paths and verdicts list_marks gives them, oldest first; none
// for a file without marks or an unknown id; it works on a library opened for reading.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>

#include "sample_photos.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/Marks.h"

namespace fs = std::filesystem;

class TestMarksOfFile : public QObject {
    Q_OBJECT
private slots:
    void the_files_marks_and_no_others();
};

void TestMarksOfFile::the_files_marks_and_no_others() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos", dir = fs::path(tmp.path().toStdString()) / "lib";
    fs::create_directories(root);
    const auto photos = rv_test::nature_photos();
    if (photos.size() < 5) QSKIP("needs 5 nature photos");
    std::vector<fs::path> p;
    for (std::size_t i = 0; i < 5; ++i) fs::copy_file(photos[i], p.emplace_back(root / photos[i].filename()));
    {
        auto lib = rv::Library::open(dir);
        QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
        QVERIFY((*lib)->add_root(root));
        std::atomic<bool> cancel{false};
        auto indexed = (*lib)->index({}, cancel);
        QVERIFY(indexed && indexed->embedded == 5);
        using V = rv::MarkVerdict;
        QVERIFY(rv::add_mark(**lib, p[0], p[1], V::Alike, rv::MarkSource::Search, 7));
        QVERIFY(rv::add_mark(**lib, p[2], p[3], V::Different, rv::MarkSource::Search));  // not p[0]'s
        QVERIFY(rv::add_mark(**lib, p[4], p[0], V::Different, rv::MarkSource::Duplicates));
        QVERIFY(rv::add_mark(**lib, p[1], p[2], V::Alike, rv::MarkSource::Pairs));
    }
    auto lib = rv::Library::open(dir, rv::LibraryAccess::Read);
    QVERIFY(lib);
    auto file = rv::find_library_file(**lib, p[0]);
    QVERIFY(file && *file);
    auto mine = rv::marks_of_file(**lib, (**file).id);
    QVERIFY2(mine, mine ? "" : mine.error().message.c_str());
    auto all = rv::list_marks(**lib);
    QVERIFY(all);
    std::vector<rv::Mark> expected;
    std::copy_if(all->begin(), all->end(), std::back_inserter(expected),
                 [&](const rv::Mark& m) { return m.a_id == (**file).id || m.b_id == (**file).id; });
    QCOMPARE(mine->size(), std::size_t(2));
    QCOMPARE(mine->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE((*mine)[i].a, expected[i].a);
        QCOMPARE((*mine)[i].b, expected[i].b);
        QVERIFY((*mine)[i].verdict == expected[i].verdict);
        QVERIFY((*mine)[i].source == expected[i].source);
        QCOMPARE((*mine)[i].session, expected[i].session);
        QCOMPARE((*mine)[i].time, expected[i].time);
    }
    QVERIFY((*mine)[1].source == rv::MarkSource::Duplicates && (*mine)[1].verdict == rv::MarkVerdict::Different);
    auto none = rv::marks_of_file(**lib, 999999);
    QVERIFY(none && none->empty());
}

QTEST_GUILESS_MAIN(TestMarksOfFile)
#include "test_marks_of_file.moc"
