// The library's hierarchy in its catalog, on a real library of real photos (MATE's wallpapers):
// built, stored, read back equal after reopening; brought up to date incrementally when a few files
// come and go (only their image nodes change); a cancelled update leaves the stored one; a new
// adapter version makes it stale and the next update rebuilds it in that space; a read-only library
// is refused with its folder named but still loads and computes one in memory; libraries of 0, 1
// and 2 images, and a change of model.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <map>

#include <sqlite3.h>

#include "library_hierarchy_test_util.h"
#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/Learning.h"

namespace fs = std::filesystem;
using namespace library_hierarchy_test;
using rv::Hierarchy;
using rv::HierarchyNode;

namespace {

const std::atomic<bool> kNever{false};

std::vector<std::int64_t> indexed_ids(rv::Library& lib) {
    auto ids = lib.catalog().feature_file_ids(lib.model_id());
    return ids.ok() ? *ids : std::vector<std::int64_t>();
}

// file id -> image node id.
std::map<std::int64_t, std::int64_t> image_nodes(const Hierarchy& h) {
    std::map<std::int64_t, std::int64_t> out;
    for (const auto& n : h.nodes)
        if (n.kind == HierarchyNode::Kind::Image) out[n.file_id] = n.id;
    return out;
}

void verify_equal(const Hierarchy& a, const Hierarchy& b) {
    QCOMPARE(a.nodes.size(), b.nodes.size());
    QCOMPARE(a.model_id, b.model_id);
    QCOMPARE(a.adapter_version, b.adapter_version);
    QCOMPARE(a.scale, b.scale);
    QCOMPARE(a.next_id, b.next_id);
    // Node order may differ (a loaded tree is breadth-first): compare by id.
    std::map<std::int64_t, const HierarchyNode*> by_id;
    for (const auto& n : b.nodes) by_id[n.id] = &n;
    for (const auto& n : a.nodes) {
        QVERIFY(by_id.count(n.id));
        const HierarchyNode& m = *by_id[n.id];
        QCOMPARE(m.kind, n.kind);
        QCOMPARE(m.depth, n.depth);
        QCOMPARE(m.size, n.size);
        QCOMPARE(m.file_id, n.file_id);
        QCOMPARE(m.x, n.x);  // bit for bit
        QCOMPARE(m.y, n.y);
        QCOMPARE(n.parent < 0 ? -1 : a.nodes[static_cast<std::size_t>(n.parent)].id,
                 m.parent < 0 ? -1 : b.nodes[static_cast<std::size_t>(m.parent)].id);
        QCOMPARE(n.representative < 0 ? -1 : a.nodes[static_cast<std::size_t>(n.representative)].id,
                 m.representative < 0 ? -1 : b.nodes[static_cast<std::size_t>(m.representative)].id);
        std::vector<std::int64_t> ca, cb;  // children in the same order
        for (int c : n.children) ca.push_back(a.nodes[static_cast<std::size_t>(c)].id);
        for (int c : m.children) cb.push_back(b.nodes[static_cast<std::size_t>(c)].id);
        QCOMPARE(ca, cb);
    }
}

}  // namespace

class TestHierarchyStore : public QObject {
    Q_OBJECT
private slots:
    void built_stored_and_read_back();
    void incremental_touches_only_the_files_that_changed();
    void cancelled_update_keeps_the_stored_one();
    void follows_a_new_adapter_version();
    void read_only_library();
    void tiny_libraries_and_a_new_model();
    void a_damaged_stored_tree_is_built_again();
    void a_tree_read_early_is_checked_without_reading_it_again();
};

void TestHierarchyStore::built_stored_and_read_back() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    copy_photos(mate_photos(), base / "photos");
    Hierarchy first;
    {
        auto lib = indexed_library(base / "lib", base / "photos");
        QVERIFY(lib);
        const auto files = indexed_ids(*lib);
        QCOMPARE(files.size(), mate_photos().size());
        auto none = rv::load_hierarchy(*lib, false);
        QVERIFY(none.ok());
        QVERIFY(!none->has_value());

        auto u = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
        QVERIFY2(u.ok(), u.ok() ? "" : u.error().message.c_str());
        QVERIFY(u->rebuilt);
        QVERIFY2(u->reason.find("none was stored") != std::string::npos, u->reason.c_str());
        QVERIFY(u->nodes > files.size());
        QVERIFY(u->quality.pairs > 0);

        bool stale = true;
        auto loaded = rv::load_hierarchy(*lib, true, &stale);
        QVERIFY(loaded.ok() && loaded->has_value());
        QVERIFY(!stale);
        first = std::move(**loaded);
        QVERIFY2(library_tree_problem(first, files).empty(), library_tree_problem(first, files).c_str());
        QCOMPARE(first.model_id, lib->model_id());
        QCOMPARE(first.adapter_version, std::int64_t(0));
        QVERIFY(first.scale > 0);
        QVERIFY(!first.nodes[0].centroid.empty());  // asked for

        auto info = rv::stored_hierarchy_info(*lib);
        QVERIFY(info.ok() && info->has_value());
        QCOMPARE((*info)->quality.mean_distortion, u->quality.mean_distortion);
        QCOMPARE((*info)->quality.map, u->quality.map);

        // Nothing changed: nothing is recomputed or written.
        auto again = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
        QVERIFY(again.ok());
        QVERIFY(!again->rebuilt);
        QCOMPARE(again->reason, std::string("up to date"));
        QCOMPARE(rv::stored_hierarchy_info(*lib)->value().updated, (*info)->updated);
    }
    // Another process (a reader) reads the same tree.
    auto lib = rv::Library::open(base / "lib", rv::LibraryAccess::Read);
    QVERIFY(lib.ok());
    bool stale = true;
    auto loaded = rv::load_hierarchy(**lib, false, &stale);
    QVERIFY(loaded.ok() && loaded->has_value());
    QVERIFY(!stale);
    verify_equal(first, **loaded);
    for (const auto& n : (*loaded)->nodes) QVERIFY(n.centroid.empty());  // not asked for
}

void TestHierarchyStore::incremental_touches_only_the_files_that_changed() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    auto photos = mate_photos();
    const fs::path extra = photos.back();
    photos.pop_back();
    auto [copies, lib] = library_with_hierarchy(base, photos);
    QVERIFY(lib);
    auto before = rv::load_hierarchy(*lib, false);
    QVERIFY(before.ok() && before->has_value());
    const auto nodes_before = image_nodes(**before);

    // One file comes, one goes.
    auto gone = lib->catalog().find_by_path(copies[3].string());
    QVERIFY(gone.ok() && gone->has_value());
    const std::int64_t gone_id = (*gone)->id;
    fs::remove(copies[3]);
    fs::copy_file(extra, base / "photos" / "new.png");
    rv::IndexJobParams p;
    QVERIFY(lib->index(p, kNever).ok());
    bool stale = false;
    QVERIFY(rv::load_hierarchy(*lib, false, &stale).ok());
    QVERIFY(stale);  // the files differ from its images

    auto u = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
    QVERIFY2(u.ok(), u.ok() ? "" : u.error().message.c_str());
    QVERIFY2(!u->rebuilt, u->reason.c_str());
    QCOMPARE(u->added, std::size_t(1));
    QCOMPARE(u->removed, std::size_t(1));
    auto after = rv::load_hierarchy(*lib, true, &stale);
    QVERIFY(after.ok() && after->has_value());
    QVERIFY(!stale);
    const auto files = indexed_ids(*lib);
    QVERIFY2(library_tree_problem(**after, files).empty(), library_tree_problem(**after, files).c_str());
    const auto nodes_after = image_nodes(**after);
    QVERIFY(!nodes_after.count(gone_id));
    QCOMPARE(nodes_after.size(), nodes_before.size());
    // Every file that stayed keeps its image node.
    std::size_t kept = 0;
    for (const auto& [file, node] : nodes_before) {
        if (file == gone_id) continue;
        QVERIFY(nodes_after.count(file));
        QCOMPARE(nodes_after.at(file), node);
        ++kept;
    }
    QCOMPARE(kept, photos.size() - 1);

    // Most of the library changing is a rebuild, not an edit.
    for (std::size_t i = 4; i < copies.size(); ++i) fs::remove(copies[i]);
    QVERIFY(lib->index(p, kNever).ok());
    auto big = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
    QVERIFY(big.ok());
    QVERIFY2(big->rebuilt, big->reason.c_str());
    QVERIFY2(big->reason.find("more than a quarter") != std::string::npos, big->reason.c_str());
    // It says what changed against what the tree held ("4 removed since it held 7 images"), never
    // a count of changes "of" a smaller tree.
    const std::string removed = std::to_string(copies.size() - 4) + " removed since it held ";
    QVERIFY2(big->reason.find(removed) != std::string::npos, big->reason.c_str());
    auto rebuilt = rv::load_hierarchy(*lib, true, &stale);
    QVERIFY(rebuilt.ok() && rebuilt->has_value() && !stale);
    QVERIFY(library_tree_problem(**rebuilt, indexed_ids(*lib)).empty());
}

void TestHierarchyStore::cancelled_update_keeps_the_stored_one() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    auto [copies, lib] = library_with_hierarchy(base);
    QVERIFY(lib);
    auto before = rv::load_hierarchy(*lib, false);
    QVERIFY(before.ok() && before->has_value());

    // A file leaves: the update that would follow is cancelled, and the stored one stays whole
    // (and says it is stale).
    fs::remove(copies[0]);
    QVERIFY(lib->index(rv::IndexJobParams{}, kNever).ok());
    const std::atomic<bool> cancel{true};
    auto u = rv::update_hierarchy(*lib, rv::HierarchyParams{}, cancel);
    QVERIFY(!u.ok());
    QVERIFY2(u.error().message.find("cancelled") != std::string::npos, u.error().message.c_str());
    bool stale = false;
    auto after = rv::load_hierarchy(*lib, false, &stale);
    QVERIFY(after.ok() && after->has_value());
    QVERIFY(stale);
    verify_equal(**before, **after);
    // The next update brings it up to date.
    QVERIFY(rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever).ok());
    QVERIFY(rv::load_hierarchy(*lib, false, &stale).ok());
    QVERIFY(!stale);
}

void TestHierarchyStore::follows_a_new_adapter_version() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    auto lib = library_with_hierarchy(base).lib;
    QVERIFY(lib);

    // A version that moves the features (B random), stored and activated as `adapters --activate` does.
    const int dim = lib->embedder().dim();
    rv::LowRankAdapter a = rv::LowRankAdapter::initial(dim, 8, 8, 3);
    std::mt19937_64 rng(4);
    std::normal_distribution<float> g(0, 0.4f);
    for (auto& b : a.b) b = g(rng);
    rv::CatalogAdapter row;
    row.model_id = lib->model_id();
    row.dim = dim;
    row.rank = 8;
    row.params = rv::serialize_adapter(a);
    row.reason = "test";
    auto version = lib->catalog().insert_adapter(row);
    QVERIFY(version.ok());
    QVERIFY(rv::activate_adapter(*lib, *version, kNever).ok());

    bool stale = false;
    auto old = rv::load_hierarchy(*lib, false, &stale);
    QVERIFY(old.ok() && old->has_value());
    QVERIFY(stale);
    QCOMPARE((*old)->adapter_version, std::int64_t(0));
    auto u = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
    QVERIFY(u.ok());
    QVERIFY(u->rebuilt);
    QVERIFY2(u->reason.find("adapter") != std::string::npos, u->reason.c_str());
    auto now = rv::load_hierarchy(*lib, true, &stale);
    QVERIFY(now.ok() && now->has_value());
    QVERIFY(!stale);
    QCOMPARE((*now)->adapter_version, *version);
    QVERIFY(library_tree_problem(**now, indexed_ids(*lib)).empty());
    // Its centroids live in the adapted space: the root's is the unit mean of the adapted features.
    std::vector<double> mean(static_cast<std::size_t>(dim), 0.0);
    std::vector<float> y(static_cast<std::size_t>(dim));
    QVERIFY(lib->catalog().for_each_feature(lib->model_id(), [&](std::int64_t, const float* v, int) {
        a.apply(v, y.data());
        for (int k = 0; k < dim; ++k) mean[static_cast<std::size_t>(k)] += y[static_cast<std::size_t>(k)];
        return true;
    }).ok());
    double norm = 0, dot = 0;
    for (double m : mean) norm += m * m;
    for (int k = 0; k < dim; ++k) dot += mean[static_cast<std::size_t>(k)] * (*now)->nodes[0].centroid[static_cast<std::size_t>(k)];
    QVERIFY2(dot / std::sqrt(norm) > 0.999, qPrintable(QString::number(dot / std::sqrt(norm))));

    // Back to none: stale again, rebuilt on the plain features.
    QVERIFY(rv::activate_adapter(*lib, 0, kNever).ok());
    QVERIFY(rv::load_hierarchy(*lib, false, &stale).ok());
    QVERIFY(stale);
    QVERIFY(rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever).ok());
    QCOMPARE(rv::load_hierarchy(*lib, false, &stale)->value().adapter_version, std::int64_t(0));
}

void TestHierarchyStore::read_only_library() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    {
        auto [copies, lib] = library_with_hierarchy(base);
        QVERIFY(lib);
        fs::remove(copies[1]);
        QVERIFY(lib->index(rv::IndexJobParams{}, kNever).ok());  // the stored one is stale now
    }
    auto lib = rv::Library::open(base / "lib", rv::LibraryAccess::Read);
    QVERIFY(lib.ok());
    auto before = rv::stored_hierarchy_info(**lib);
    QVERIFY(before.ok() && before->has_value());
    auto u = rv::update_hierarchy(**lib, rv::HierarchyParams{}, kNever);
    QVERIFY(!u.ok());
    QVERIFY2(u.error().message.find((base / "lib").string()) != std::string::npos, u.error().message.c_str());
    bool stale = false;
    auto loaded = rv::load_hierarchy(**lib, false, &stale);
    QVERIFY(loaded.ok() && loaded->has_value());
    QVERIFY(stale);
    // In memory: up to date, nothing written.
    rv::HierarchyUpdate what;
    auto h = rv::compute_hierarchy(**lib, rv::HierarchyParams{}, kNever, {}, &what);
    QVERIFY2(h.ok(), h.ok() ? "" : h.error().message.c_str());
    QCOMPARE(what.removed, std::size_t(1));
    const auto files = indexed_ids(**lib);
    QVERIFY2(library_tree_problem(*h, files).empty(), library_tree_problem(*h, files).c_str());
    QCOMPARE(rv::stored_hierarchy_info(**lib)->value().updated, (*before)->updated);
}

void TestHierarchyStore::tiny_libraries_and_a_new_model() {
    const auto photos = mate_photos();
    for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(2)}) {
        QTemporaryDir tmp;
        const fs::path base = tmp.path().toStdString();
        copy_photos(std::vector<fs::path>(photos.begin(), photos.begin() + static_cast<std::ptrdiff_t>(n)),
                    base / "photos");
        auto lib = indexed_library(base / "lib", base / "photos");
        QVERIFY(lib);
        auto u = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
        QVERIFY2(u.ok(), u.ok() ? "" : u.error().message.c_str());
        bool stale = true;
        auto h = rv::load_hierarchy(*lib, true, &stale);
        QVERIFY(h.ok() && h->has_value());
        QVERIFY(!stale);
        QVERIFY2(library_tree_problem(**h, indexed_ids(*lib)).empty(),
                 library_tree_problem(**h, indexed_ids(*lib)).c_str());
        QCOMPARE((*h)->nodes[0].size, static_cast<std::int64_t>(n));
        // A level search: an Error for an empty library, else its images.
        auto found = rv::search_at_level(*lib, photos[5], 0, 5);
        if (n == 0) {
            QVERIFY(!found.ok());
            QVERIFY2(found.error().message.find("no image") != std::string::npos, found.error().message.c_str());
        } else {
            QVERIFY2(found.ok(), found.ok() ? "" : found.error().message.c_str());
            QVERIFY(!found->hits.empty() && found->hits.size() <= n);
        }
        if (n != 2) continue;
        // Another model: the features are embedded again, the hierarchy rebuilt in its space.
        lib.reset();
        auto other = indexed_library(base / "lib", {}, rv::LibraryAccess::Update, "mobilenet_v3_centernet");
        QVERIFY(other);
        QVERIFY(rv::load_hierarchy(*other, false, &stale).ok());
        QVERIFY(stale);
        auto re = rv::update_hierarchy(*other, rv::HierarchyParams{}, kNever);
        QVERIFY(re.ok());
        QVERIFY(re->rebuilt);
        QVERIFY2(re->reason.find("model") != std::string::npos, re->reason.c_str());
        auto h2 = rv::load_hierarchy(*other, false, &stale);
        QVERIFY(h2.ok() && h2->has_value() && !stale);
        QCOMPARE((*h2)->model_id, other->model_id());
    }
}

// Rows edited or damaged behind the library's back (a point outside the disk, a parent that is not
// there, a coordinate that is not a number, a centroid blob of another size: two floats, or not
// whole floats) make the stored tree unusable, never an error that sticks: it counts as none
// stored, and the next update builds it again from the catalog's features. A damaged centroid is
// found although nothing else changed and a view reads no centroid (the update's drift check reads
// none either); the rebuilt tree's centroids are searched at a level.
void TestHierarchyStore::a_damaged_stored_tree_is_built_again() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    auto lib = library_with_hierarchy(base).lib;
    QVERIFY(lib);
    for (const char* edit : {"UPDATE hierarchy_nodes SET x = 5 WHERE id = (SELECT max(id) FROM hierarchy_nodes)",
                             "UPDATE hierarchy_nodes SET parent = 987654 WHERE id = (SELECT max(id) FROM hierarchy_nodes)",
                             // a y that is not a number reads as 0 through SQLite: caught, the node named
                             "UPDATE hierarchy_nodes SET y = 'nan' WHERE id = (SELECT max(id) FROM hierarchy_nodes)",
                             "UPDATE hierarchy_nodes SET centroid = x'0000803f00000000' WHERE kind = 'root'",
                             "UPDATE hierarchy_nodes SET centroid = x'0000803f00' WHERE kind = 'root'"}) {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open((base / "lib" / "catalog.sqlite").c_str(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, edit, nullptr, nullptr, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_changes(db), 1);
        sqlite3_close(db);

        bool stale = false;
        auto damaged = rv::load_hierarchy(*lib, false, &stale);
        QVERIFY2(damaged.ok(), damaged.ok() ? "" : damaged.error().message.c_str());
        QVERIFY(!damaged->has_value());
        QVERIFY(stale);
        auto u = rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever);
        QVERIFY2(u.ok(), u.ok() ? "" : u.error().message.c_str());
        QVERIFY(u->rebuilt);
        QVERIFY2(u->reason.find("damaged") != std::string::npos, u->reason.c_str());
        if (std::strstr(edit, "'nan'")) {
            QVERIFY2(u->reason.find("is not a number") != std::string::npos, u->reason.c_str());
            QVERIFY2(u->reason.find("node ") != std::string::npos, u->reason.c_str());
        }
        auto again = rv::load_hierarchy(*lib, true, &stale);
        QVERIFY(again.ok() && again->has_value() && !stale);
        QVERIFY(library_tree_problem(**again, indexed_ids(*lib)).empty());
        if (std::strstr(edit, "centroid")) {
            QVERIFY2(u->reason.find("node ") != std::string::npos && u->reason.find("damaged centroid") != std::string::npos,
                     u->reason.c_str());
            QCOMPARE(static_cast<int>((*again)->nodes[0].centroid.size()), lib->embedder().dim());
            auto level = rv::search_at_level(*lib, mate_photos()[0], 0, 3);
            QVERIFY2(level.ok(), level.ok() ? "" : level.error().message.c_str());
            QVERIFY(!level->hits.empty());
        }
    }
}

// What a view does at opening: the tree read straight from the catalog file before the library
// opened, then only whether it is stale (stored_hierarchy_stale), as load_hierarchy would say;
// once another tree is stored, the early one is not the stored one: nullopt (load it).
void TestHierarchyStore::a_tree_read_early_is_checked_without_reading_it_again() {
    QTemporaryDir tmp;
    const fs::path base = tmp.path().toStdString();
    auto [copies, lib] = library_with_hierarchy(base);
    QVERIFY(lib);
    rv::StoredHierarchyInfo info;
    auto early = rv::read_stored_hierarchy(base / "lib", &info);
    QVERIFY(early.ok() && early->has_value());
    bool stale = true;
    QVERIFY(rv::load_hierarchy(*lib, false, &stale).ok());
    auto fresh = rv::stored_hierarchy_stale(*lib, **early, info);
    QVERIFY2(fresh.ok(), fresh.ok() ? "" : fresh.error().message.c_str());
    QVERIFY(fresh->has_value());
    QCOMPARE(**fresh, stale);
    QVERIFY(!stale);

    // A file leaves: the early tree is still the stored one, and now stale.
    fs::remove(copies[0]);
    QVERIFY(lib->index(rv::IndexJobParams{}, kNever).ok());
    auto gone = rv::stored_hierarchy_stale(*lib, **early, info);
    QVERIFY(gone.ok() && gone->has_value());
    QVERIFY(**gone);
    QVERIFY(rv::load_hierarchy(*lib, false, &stale).ok());
    QVERIFY(stale);

    // Brought up to date and stored again: the early tree is another one now.
    QVERIFY(rv::update_hierarchy(*lib, rv::HierarchyParams{}, kNever).ok());
    auto other = rv::stored_hierarchy_stale(*lib, **early, info);
    QVERIFY(other.ok());
    QVERIFY(!other->has_value());
    // ... and so is none stored.
    QVERIFY(lib->catalog().clear_hierarchy().ok());
    auto none = rv::stored_hierarchy_stale(*lib, **early, info);
    QVERIFY(none.ok());
    QVERIFY(!none->has_value());
}

QTEST_GUILESS_MAIN(TestHierarchyStore)
#include "test_hierarchy_store.moc"
