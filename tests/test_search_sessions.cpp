// Search sessions and patterns (SearchSessions.h) in a real library folder of real photos:
// record, refine, list; re-clustering twice replaces the stored patterns (never appends); a query
// file that leaves the library leaves its sessions with query_file 0; damaged rows (a blob of the
// wrong length, NaN) are Errors naming the row; bad input is refused before anything is written;
// a Read opening lists and loads but refuses writes.
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "sample_photos.h"
#include "ruvision/engine/Feedback.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/SearchSessions.h"

namespace fs = std::filesystem;

namespace {

struct Made {
    std::vector<fs::path> photos;          // copied into the library's root
    std::vector<std::int64_t> ids;         // their catalog ids
    std::vector<std::vector<float>> feat;  // their stored features
};

// A library of `n` nature photos in tmp/library, indexed through the Library API.
Made make_library(const QTemporaryDir& tmp, std::size_t n) {
    Made m;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    fs::create_directories(root);
    const auto all = rv_test::nature_photos();
    for (std::size_t i = 0; i < n && i < all.size(); ++i) {
        m.photos.push_back(root / all[i].filename());
        fs::copy_file(all[i], m.photos.back());
    }
    auto lib = rv::Library::open(fs::path(tmp.path().toStdString()) / "library", rv::LibraryAccess::Create);
    if (!lib) qFatal("open: %s", lib.error().message.c_str());
    rv::IndexJobParams params;
    params.roots = {root};
    std::atomic<bool> cancel{false};
    auto run = (*lib)->index(params, cancel);
    if (!run) qFatal("index: %s", run.error().message.c_str());
    for (const auto& p : m.photos) {
        auto f = (*lib)->catalog().find_by_path(p.string());
        if (!f || !*f) qFatal("%s not in the catalog", p.string().c_str());
        auto v = (*lib)->catalog().feature((*f)->id);
        if (!v || !*v) qFatal("%s has no feature", p.string().c_str());
        m.ids.push_back((*f)->id);
        m.feat.push_back(**v);
    }
    return m;
}

fs::path library_dir(const QTemporaryDir& tmp) { return fs::path(tmp.path().toStdString()) / "library"; }

std::unique_ptr<rv::Library> open(const QTemporaryDir& tmp, rv::LibraryAccess access) {
    auto lib = rv::Library::open(library_dir(tmp), access);
    if (!lib) qFatal("open: %s", lib.error().message.c_str());
    return std::move(*lib);
}

// Runs one SQL statement on the library's catalog file from outside (a damaged row, a count).
std::int64_t sql(const QTemporaryDir& tmp, const std::string& text) {
    sqlite3* db = nullptr;
    const std::string file = (library_dir(tmp) / "catalog.sqlite").string();
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) qFatal("open %s", file.c_str());
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, text.c_str(), -1, &s, nullptr) != SQLITE_OK) qFatal("%s", sqlite3_errmsg(db));
    std::int64_t out = -1;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) out = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE) qFatal("%s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

bool mentions(const rv::Error& e, const std::string& what) { return e.message.find(what) != std::string::npos; }

}  // namespace

class TestSearchSessions : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void record_refine_list();
    void bad_input_is_refused_and_nothing_written();
    void recluster_twice_replaces_the_patterns();
    void a_file_that_leaves_sets_query_file_to_0();
    void damaged_rows_are_errors_naming_them();
    void read_library_lists_but_refuses_writes();
};

void TestSearchSessions::initTestCase() {
    QVERIFY(rv_test::nature_photos().size() >= 6);
    // The catalog's file name, which sql() opens: fail here clearly if it ever changes.
    QTemporaryDir tmp;
    make_library(tmp, 1);
    QVERIFY(fs::exists(library_dir(tmp) / "catalog.sqlite"));
}

void TestSearchSessions::record_refine_list() {
    QTemporaryDir tmp;
    const Made m = make_library(tmp, 5);
    auto lib = open(tmp, rv::LibraryAccess::Update);
    const std::vector<std::int64_t> shown{m.ids[3], m.ids[1], m.ids[2]};
    auto s1 = rv::record_session(*lib, m.feat[0], shown, m.ids[0]);
    QVERIFY2(s1, s1 ? "" : s1.error().message.c_str());
    auto s2 = rv::record_session(*lib, m.feat[4], {}, 0);  // from outside, nothing shown
    QVERIFY(s2);
    QVERIFY(*s1 > 0 && *s2 > *s1);
    const auto refined = rv::rocchio(m.feat[0].data(), int(m.feat[0].size()), {m.feat[1].data()}, {m.feat[3].data()});
    QVERIFY(rv::set_session_refined(*lib, *s1, refined).ok());

    auto listed = rv::list_sessions(*lib);
    QVERIFY2(listed, listed ? "" : listed.error().message.c_str());
    QCOMPARE(listed->size(), std::size_t(2));
    const auto& a = (*listed)[0];
    QCOMPARE(a.id, *s1);
    QCOMPARE(a.query, m.feat[0]);
    QCOMPARE(a.refined, refined);
    QCOMPARE(a.shown, shown);
    QCOMPARE(a.query_file, m.ids[0]);
    QVERIFY(a.time > 0);
    const auto& b = (*listed)[1];
    QCOMPARE(b.id, *s2);
    QVERIFY(b.refined.empty());
    QVERIFY(b.shown.empty());
    QCOMPARE(b.query_file, std::int64_t(0));

    // Refining again replaces; an unknown session is an Error naming it.
    const auto again = rv::rocchio(m.feat[0].data(), int(m.feat[0].size()), {m.feat[2].data()}, {});
    QVERIFY(rv::set_session_refined(*lib, *s1, again).ok());
    QCOMPARE(rv::list_sessions(*lib)->front().refined, again);
    auto unknown = rv::set_session_refined(*lib, 999, again);
    QVERIFY(!unknown.ok());
    QVERIFY2(mentions(unknown.error(), "no session with id 999"), unknown.error().message.c_str());
}

void TestSearchSessions::bad_input_is_refused_and_nothing_written() {
    QTemporaryDir tmp;
    const Made m = make_library(tmp, 3);
    auto lib = open(tmp, rv::LibraryAccess::Update);
    const std::size_t dim = m.feat[0].size();
    std::vector<float> short_q(m.feat[0].begin(), m.feat[0].end() - 1);
    auto r = rv::record_session(*lib, short_q, {}, 0);
    QVERIFY(!r);
    QVERIFY2(mentions(r.error(), std::to_string(dim - 1) + " values"), r.error().message.c_str());
    std::vector<float> nan_q = m.feat[0];
    nan_q[5] = std::numeric_limits<float>::quiet_NaN();
    QVERIFY(!rv::record_session(*lib, nan_q, {}, 0));
    std::vector<float> long_q = m.feat[0];
    for (float& x : long_q) x *= 2;  // not unit
    QVERIFY(!rv::record_session(*lib, long_q, {}, 0));
    auto no_file = rv::record_session(*lib, m.feat[0], {}, 424242);
    QVERIFY(!no_file);
    QVERIFY2(mentions(no_file.error(), "424242"), no_file.error().message.c_str());
    QCOMPARE(rv::list_sessions(*lib)->size(), std::size_t(0));
    auto s = rv::record_session(*lib, m.feat[0], {}, 0);
    QVERIFY(s);
    QVERIFY(!rv::set_session_refined(*lib, *s, short_q).ok());
    QVERIFY(rv::list_sessions(*lib)->front().refined.empty());
}

void TestSearchSessions::recluster_twice_replaces_the_patterns() {
    QTemporaryDir tmp;
    const Made m = make_library(tmp, 6);
    auto lib = open(tmp, rv::LibraryAccess::Update);
    // Empty memory: no patterns, and re-clustering nothing stores nothing.
    QCOMPARE(*rv::recluster_patterns(*lib, {}), std::size_t(0));
    QVERIFY(rv::load_patterns(*lib)->empty());
    for (std::size_t i = 0; i < m.feat.size(); ++i) {
        auto s = rv::record_session(*lib, m.feat[i], {m.ids[(i + 1) % m.ids.size()]}, m.ids[i]);
        QVERIFY(s);
        if (i % 2 == 0) {
            const auto r = rv::rocchio(m.feat[i].data(), int(m.feat[i].size()), {m.feat[(i + 1) % 6].data()}, {});
            QVERIFY(rv::set_session_refined(*lib, *s, r).ok());
        }
    }
    auto n1 = rv::recluster_patterns(*lib, {3, 25, 7});
    QVERIFY2(n1, n1 ? "" : n1.error().message.c_str());
    QCOMPARE(*n1, std::size_t(3));
    auto first = rv::load_patterns(*lib);
    QVERIFY(first);
    QCOMPARE(first->size(), std::size_t(3));
    std::size_t total = 0;
    for (const auto& p : *first) total += p.sessions;
    QCOMPARE(total, std::size_t(6));
    // What was stored is what cluster_sessions gives for the listed sessions.
    std::vector<rv::SessionRecord> records;
    auto sessions = rv::list_sessions(*lib);
    QVERIFY(sessions);
    for (const auto& s : *sessions) records.push_back({s.query, s.refined});
    const auto want = rv::cluster_sessions(records, {3, 25, 7});
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE((*first)[i].centroid, want[i].centroid);
        QCOMPARE((*first)[i].refinement, want[i].refinement);
    }
    QCOMPARE(sql(tmp, "SELECT count(*) FROM patterns"), std::int64_t(3));

    auto n2 = rv::recluster_patterns(*lib, {2, 25, 7});
    QVERIFY(n2);
    QCOMPARE(*n2, std::size_t(2));
    QCOMPARE(rv::load_patterns(*lib)->size(), std::size_t(2));
    QCOMPARE(sql(tmp, "SELECT count(*) FROM patterns"), std::int64_t(2));  // replaced, not 3 + 2
    auto n3 = rv::recluster_patterns(*lib, {2, 25, 7});
    QVERIFY(n3);
    QCOMPARE(sql(tmp, "SELECT count(*) FROM patterns"), std::int64_t(2));
}

void TestSearchSessions::a_file_that_leaves_sets_query_file_to_0() {
    QTemporaryDir tmp;
    const Made m = make_library(tmp, 3);
    auto lib = open(tmp, rv::LibraryAccess::Update);
    auto s = rv::record_session(*lib, m.feat[1], {m.ids[0], m.ids[2]}, m.ids[1]);
    QVERIFY(s);
    auto kept = rv::record_session(*lib, m.feat[0], {m.ids[1]}, m.ids[0]);
    QVERIFY(kept);
    QVERIFY(lib->forget({m.photos[1]}).ok());
    auto listed = rv::list_sessions(*lib);
    QVERIFY(listed);
    QCOMPARE(listed->size(), std::size_t(2));  // the session stays, its query vector with it
    QCOMPARE((*listed)[0].query_file, std::int64_t(0));
    QCOMPARE((*listed)[0].query, m.feat[1]);
    QCOMPARE((*listed)[1].query_file, m.ids[0]);
}

void TestSearchSessions::damaged_rows_are_errors_naming_them() {
    QTemporaryDir tmp;
    const Made m = make_library(tmp, 2);
    std::int64_t s1 = 0, s2 = 0;
    {
        auto lib = open(tmp, rv::LibraryAccess::Update);
        s1 = *rv::record_session(*lib, m.feat[0], {m.ids[1]}, 0);
        s2 = *rv::record_session(*lib, m.feat[1], {}, 0);
        QVERIFY(rv::recluster_patterns(*lib, {1, 25, 1}).ok());
    }
    const std::string id2 = std::to_string(s2);
    // A query blob cut short (not a whole float): the catalog says so.
    sql(tmp, "UPDATE sessions SET query = substr(query, 1, 13) WHERE id = " + id2);
    {
        auto lib = open(tmp, rv::LibraryAccess::Update);
        auto l = rv::list_sessions(*lib);
        QVERIFY(!l);
        QVERIFY2(mentions(l.error(), "session " + id2), l.error().message.c_str());
        QVERIFY(!rv::recluster_patterns(*lib, {}).ok());
        QCOMPARE(rv::load_patterns(*lib)->size(), std::size_t(1));  // the old patterns stay
    }
    // Whole floats but too few of them.
    sql(tmp, "UPDATE sessions SET query = (SELECT substr(query, 1, 16) FROM sessions WHERE id = " +
                 std::to_string(s1) + ") WHERE id = " + id2);
    {
        auto lib = open(tmp, rv::LibraryAccess::Read);
        auto l = rv::list_sessions(*lib);
        QVERIFY(!l);
        QVERIFY2(mentions(l.error(), "session " + id2) && mentions(l.error(), "4 values"), l.error().message.c_str());
    }
    // A NaN in the refined query of the other session (float NaN 0x7fc00000, little-endian).
    sql(tmp, "UPDATE sessions SET query = (SELECT query FROM sessions WHERE id = " + std::to_string(s1) +
                 ") WHERE id = " + id2);
    sql(tmp, "UPDATE sessions SET refined = x'0000c07f' || substr(query, 5) WHERE id = " + std::to_string(s1));
    {
        auto lib = open(tmp, rv::LibraryAccess::Read);
        auto l = rv::list_sessions(*lib);
        QVERIFY(!l);
        QVERIFY2(mentions(l.error(), "session " + std::to_string(s1)) && mentions(l.error(), "refined"),
                 l.error().message.c_str());
    }
    // A pattern with a centroid of 3 bytes.
    sql(tmp, "UPDATE patterns SET centroid = x'010203'");
    const std::int64_t pid = sql(tmp, "SELECT id FROM patterns");
    {
        auto lib = open(tmp, rv::LibraryAccess::Read);
        auto p = rv::load_patterns(*lib);
        QVERIFY(!p);
        QVERIFY2(mentions(p.error(), "pattern " + std::to_string(pid)), p.error().message.c_str());
    }
}

void TestSearchSessions::read_library_lists_but_refuses_writes() {
    QTemporaryDir tmp;
    const Made m = make_library(tmp, 3);
    std::int64_t s = 0;
    {
        auto lib = open(tmp, rv::LibraryAccess::Update);
        s = *rv::record_session(*lib, m.feat[0], {m.ids[1]}, m.ids[0]);
        QVERIFY(rv::recluster_patterns(*lib, {1, 25, 1}).ok());
    }
    auto lib = open(tmp, rv::LibraryAccess::Read);
    auto listed = rv::list_sessions(*lib);
    QVERIFY(listed);
    QCOMPARE(listed->size(), std::size_t(1));
    QCOMPARE(rv::load_patterns(*lib)->size(), std::size_t(1));
    for (const auto& e : {rv::record_session(*lib, m.feat[1], {}, 0).error(),
                          rv::set_session_refined(*lib, s, m.feat[1]).error(),
                          rv::recluster_patterns(*lib, {}).error()})
        QVERIFY2(mentions(e, "needs the library opened for writing"), e.message.c_str());
    QCOMPARE(rv::list_sessions(*lib)->size(), std::size_t(1));
    QVERIFY(rv::list_sessions(*lib)->front().refined.empty());
}

QTEST_GUILESS_MAIN(TestSearchSessions)
#include "test_search_sessions.moc"
