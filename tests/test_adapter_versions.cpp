// Adapter versions at the Library level (Learning.h), on a real library of MATE's wallpapers:
// searches on another thread keep answering while versions are activated and rolled back, each
// answer entirely in one space (the plain one or the version's, never a mix); a missing or
// damaged adapted index is rebuilt from the catalog on open; index() adds a new file to the active
// version's index too; a read-only opening cannot learn or activate; the catalog's version rows.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/SearchSessions.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> collection(const std::string& group) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator("/usr/share/backgrounds/mate/" + group))
        if (e.path().filename().string().rfind("Elephants_", 0) != 0) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// (path, score) of each result.
using Answer = std::vector<std::pair<std::string, float>>;
Answer answer(const std::vector<rv::SearchResult>& r) {
    Answer out;
    for (const auto& h : r) out.emplace_back(h.path, h.score);
    return out;
}

}  // namespace

class TestAdapterVersions : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void searches_answer_while_versions_swap();
    void missing_or_damaged_adapted_index_is_rebuilt();
    void index_adds_new_files_to_the_active_version();
    void read_only_library_cannot_learn();
    void feedback_search_records_a_session();

private:
    QTemporaryDir tmp_;
    fs::path dir_, root_;
    std::vector<fs::path> nature_, desktop_;
    std::vector<float> query_;  // the stored feature of nature_[0]
    Answer plain_, learned_;
};

void TestAdapterVersions::initTestCase() {
    ::setenv("RUVISION_MODELS", RUVISION_MODELS_DIR, 1);
    dir_ = fs::path(tmp_.path().toStdString()) / "library";
    root_ = fs::path(tmp_.path().toStdString()) / "photos";
    fs::create_directories(root_);
    for (const auto& f : collection("nature")) nature_.push_back(root_ / ("n_" + f.filename().string())), fs::copy_file(f, nature_.back());
    for (const auto& f : collection("desktop")) desktop_.push_back(root_ / ("d_" + f.filename().string())), fs::copy_file(f, desktop_.back());
    auto lib = rv::Library::open(dir_, rv::LibraryAccess::Create);
    QVERIFY(lib.ok());
    rv::IndexJobParams p;
    p.roots = {root_};
    const std::atomic<bool> never{false};
    auto r = (*lib)->index(p, never);
    QVERIFY(r.ok());
    QCOMPARE(r->embedded, nature_.size() + desktop_.size());
    // Alike within a collection, different across.
    for (std::size_t i = 0; i + 1 < nature_.size(); ++i)
        QVERIFY(rv::add_mark(**lib, nature_[i], nature_[i + 1], rv::MarkVerdict::Alike, rv::MarkSource::Pairs).ok());
    for (std::size_t i = 0; i + 1 < desktop_.size(); ++i)
        QVERIFY(rv::add_mark(**lib, desktop_[i], desktop_[i + 1], rv::MarkVerdict::Alike, rv::MarkSource::Pairs).ok());
    for (std::size_t i = 0; i < desktop_.size(); ++i)
        QVERIFY(rv::add_mark(**lib, nature_[i], desktop_[i], rv::MarkVerdict::Different, rv::MarkSource::Pairs).ok());
    auto f = rv::find_library_file(**lib, nature_[0]);
    QVERIFY(f.ok() && *f);
    auto v = (*lib)->catalog().feature((**f).id);
    QVERIFY(v.ok() && *v);
    query_ = **v;
    auto plain = (*lib)->search(query_, 30);
    QVERIFY(plain.ok());
    plain_ = answer(*plain);

    auto learned = rv::learn(**lib, rv::LearnParams{}, never);
    QVERIFY2(learned.ok(), learned.ok() ? "" : learned.error().message.c_str());
    QCOMPARE(learned->version, std::int64_t(1));
    // Whatever the guard said, a person may activate it: this test is about the swap.
    if (!learned->activated) QVERIFY(rv::activate_adapter(**lib, 1, never).ok());
    QCOMPARE((*lib)->active_adapter()->version, std::int64_t(1));
    auto after = (*lib)->search(query_, 30);
    QVERIFY(after.ok());
    learned_ = answer(*after);
    QVERIFY(learned_ != plain_);

    auto rows = (*lib)->catalog().adapters();
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), std::size_t(1));
    QCOMPARE((*rows)[0].model_id, (*lib)->model_id());
    QCOMPARE((*rows)[0].marks, std::int64_t(nature_.size() + desktop_.size() - 2 + desktop_.size()));
    QVERIFY(!(*rows)[0].params.empty());
}

void TestAdapterVersions::searches_answer_while_versions_swap() {
    auto lib = rv::Library::open(dir_, rv::LibraryAccess::Update);
    QVERIFY(lib.ok());
    QCOMPARE((*lib)->active_adapter()->version, std::int64_t(1));
    std::atomic<bool> stop{false};
    std::atomic<int> started{0}, searches{0}, in_plain{0}, in_learned{0}, wrong{0};
    std::string problem;
    std::thread reader([&] {
        while (!stop) {
            ++started;
            auto r = (*lib)->search(query_, 30);
            if (!r) {
                problem = r.error().message;
                ++wrong;
                return;
            }
            const Answer a = answer(*r);
            if (a == plain_) ++in_plain;
            else if (a == learned_) ++in_learned;
            else ++wrong;
            ++searches;
        }
    });
    const std::atomic<bool> never{false};
    for (int i = 0; i < 6; ++i) {
        QVERIFY(rv::activate_adapter(**lib, 0, never).ok());
        QCOMPARE((*lib)->active_adapter()->version, std::int64_t(0));
        QVERIFY(rv::activate_adapter(**lib, 1, never).ok());
        QCOMPARE((*lib)->active_adapter()->version, std::int64_t(1));
        // The plain index's graph, re-linked under the adapted vectors (it passed its self-check).
        const std::string state = (*lib)->active_adapter()->state;
        QVERIFY2(state.find("graph reused") != std::string::npos, state.c_str());
    }
    // At least one search that began after the last swap (one still under way began before it),
    // then stop. The reader searches one at a time, so searches end in the order they began.
    const int begun = started.load();
    while (searches.load() <= begun && wrong.load() == 0) std::this_thread::yield();
    stop = true;
    reader.join();
    QVERIFY2(wrong.load() == 0, problem.c_str());
    QVERIFY(in_learned.load() > 0);
    auto last = (*lib)->search(query_, 30);
    QVERIFY(last.ok());
    QVERIFY(answer(*last) == learned_);
}

void TestAdapterVersions::missing_or_damaged_adapted_index_is_rebuilt() {
    const fs::path file = dir_ / rv::adapted_index_file(1);
    QVERIFY(fs::exists(file));
    {
        auto lib = rv::Library::open(dir_, rv::LibraryAccess::Read);
        QVERIFY(lib.ok());
        auto s = (*lib)->status();
        QVERIFY(s.ok());
        QCOMPARE(s->adapter_version, std::int64_t(1));
        QVERIFY2(s->adapter_state.rfind("ok (", 0) == 0, s->adapter_state.c_str());
    }
    for (int damage = 0; damage < 2; ++damage) {
        if (damage == 0) {
            fs::remove(file);
        } else {
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(200);
            f.write("garbage!", 8);
        }
        auto lib = rv::Library::open(dir_, rv::LibraryAccess::Read);
        QVERIFY(lib.ok());
        auto s = (*lib)->status();
        QVERIFY(s.ok());
        QCOMPARE(s->adapter_version, std::int64_t(1));
        QVERIFY2(s->adapter_state.find("rebuilt from the catalog") != std::string::npos, s->adapter_state.c_str());
        auto r = (*lib)->search(query_, 30);
        QVERIFY(r.ok());
        QVERIFY(answer(*r) == learned_);
        if (damage == 0) {
            // A writer's activation writes it again.
            auto w = rv::Library::open(dir_, rv::LibraryAccess::Update);
            QVERIFY(w.ok());
            const std::atomic<bool> never{false};
            QVERIFY(rv::activate_adapter(**w, 1, never).ok());
            QVERIFY(fs::exists(file));
        }
    }
    auto w = rv::Library::open(dir_, rv::LibraryAccess::Update);
    const std::atomic<bool> never{false};
    QVERIFY(w.ok() && rv::activate_adapter(**w, 1, never).ok());
}

void TestAdapterVersions::index_adds_new_files_to_the_active_version() {
    const fs::path added = root_ / "n_added_copy.jpg";
    fs::copy_file(collection("abstract")[1], added);
    {
        auto lib = rv::Library::open(dir_, rv::LibraryAccess::Update);
        QVERIFY(lib.ok());
        const std::atomic<bool> never{false};
        auto r = (*lib)->index(rv::IndexJobParams{}, never);
        QVERIFY(r.ok());
        QCOMPARE(r->embedded, std::size_t(1));
        auto hits = (*lib)->search(added, 1);
        QVERIFY(hits.ok() && hits->size() == 1);
        QCOMPARE((*hits)[0].path, added.string());
        QVERIFY((*hits)[0].score > 0.999f);
        rv::SearchOptions plain;
        plain.no_adapter = true;
        hits = (*lib)->search(added, 1, plain);
        QVERIFY(hits.ok() && hits->size() == 1);
        QCOMPARE((*hits)[0].path, added.string());
    }
    // Saved with it: the next opening loads both index files as they are.
    auto lib = rv::Library::open(dir_, rv::LibraryAccess::Read);
    QVERIFY(lib.ok());
    auto s = (*lib)->status();
    QVERIFY(s.ok());
    QVERIFY2(s->index_state.rfind("ok (", 0) == 0, s->index_state.c_str());
    QVERIFY2(s->adapter_state.rfind("ok (", 0) == 0, s->adapter_state.c_str());
    QCOMPARE((*lib)->active_adapter()->index->size(), s->index_size);
    fs::remove(added);
    auto w = rv::Library::open(dir_, rv::LibraryAccess::Update);
    const std::atomic<bool> never{false};
    QVERIFY(w.ok() && (*w)->index(rv::IndexJobParams{}, never).ok());
    QCOMPARE((*w)->active_adapter()->index->size(), std::size_t(nature_.size() + desktop_.size()));
}

void TestAdapterVersions::read_only_library_cannot_learn() {
    auto lib = rv::Library::open(dir_, rv::LibraryAccess::Read);
    QVERIFY(lib.ok());
    const std::atomic<bool> never{false};
    auto r = rv::learn(**lib, rv::LearnParams{}, never);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("needs the library opened for writing") != std::string::npos,
             r.error().message.c_str());
    QVERIFY(!rv::activate_adapter(**lib, 0, never).ok());
    QVERIFY(!rv::update_fast_adapter_after_mark(**lib).ok());
    auto listed = rv::list_adapter_versions(**lib);
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), std::size_t(1));
    QVERIFY((*listed)[0].active);
    const fs::path out = fs::path(tmp_.path().toStdString()) / "exported.json";
    QVERIFY(rv::export_adapter(**lib, 1, out).ok());  // exporting only reads
    QVERIFY(fs::file_size(out) > 1000);
    QVERIFY(!rv::export_adapter(**lib, 5, out).ok());
}

void TestAdapterVersions::feedback_search_records_a_session() {
    auto lib = rv::Library::open(dir_, rv::LibraryAccess::Update);
    QVERIFY(lib.ok());
    rv::SearchOptions options;
    options.alike = {desktop_[2]};
    options.different = {nature_[1]};
    auto found = rv::search_with_feedback(**lib, nature_[0], 5, options);
    QVERIFY2(found.ok(), found.ok() ? "" : found.error().message.c_str());
    QCOMPARE(found->results.size(), std::size_t(5));
    QVERIFY2(found->session > 0, found->session_note.c_str());
    auto sessions = rv::list_sessions(**lib);
    QVERIFY(sessions.ok());
    const auto& s = sessions->back();
    QCOMPARE(s.id, found->session);
    QCOMPARE(s.query, query_);  // the query's feature, as embedded (the same as the stored one)
    QCOMPARE(s.refined.size(), query_.size());
    QVERIFY(s.refined != s.query);
    QCOMPARE(s.shown.front(), found->results.front().file_id);
    QVERIFY(s.query_file > 0);
    // Without feedback nothing is recorded; opened for reading, the note says why.
    auto plain = rv::search_with_feedback(**lib, nature_[0], 5, {});
    QVERIFY(plain.ok() && plain->session == 0 && plain->session_note.empty());
    auto reader = rv::Library::open(dir_, rv::LibraryAccess::Read);
    QVERIFY(reader.ok());
    auto ro = rv::search_with_feedback(**reader, nature_[0], 5, options);
    QVERIFY(ro.ok() && ro->session == 0);
    QVERIFY2(ro->session_note.find("opened for reading") != std::string::npos, ro->session_note.c_str());
}

QTEST_GUILESS_MAIN(TestAdapterVersions)
#include "test_adapter_versions.moc"
