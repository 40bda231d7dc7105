// Shared by the library hierarchy tests (test_hierarchy_store, test_level_search): a folder of
// real photos (MATE's wallpapers, copied so that files can come and go), a library indexed on it,
// and the checks every stored tree must pass.
#pragma once

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "hierarchy_test_util.h"
#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Library.h"

namespace library_hierarchy_test {

namespace fs = std::filesystem;

// MATE's wallpapers (nature, abstract, desktop: 30 JPEG and PNG files), in name order.
inline std::vector<fs::path> mate_photos() {
    std::vector<fs::path> out;
    for (const char* dir : {"nature", "abstract", "desktop"})
        for (const auto& e : fs::directory_iterator(fs::path("/usr/share/backgrounds/mate") / dir))
            if (e.path().extension() == ".jpg" || e.path().extension() == ".png") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Copies `photos` into `folder` (created), named by their position so that copies never collide.
inline std::vector<fs::path> copy_photos(const std::vector<fs::path>& photos, const fs::path& folder) {
    fs::create_directories(folder);
    std::vector<fs::path> out;
    for (std::size_t i = 0; i < photos.size(); ++i) {
        const fs::path to = folder / (std::to_string(100 + i) + "-" + photos[i].filename().string());
        fs::copy_file(photos[i], to, fs::copy_options::overwrite_existing);
        out.push_back(to);
    }
    return out;
}

// Opens (creating) the library in `dir` and indexes `root`; null after a failed QVERIFY.
inline std::unique_ptr<rv::Library> indexed_library(const fs::path& dir, const fs::path& root,
                                                    rv::LibraryAccess access = rv::LibraryAccess::Create,
                                                    std::string_view model = {}) {
    auto lib = rv::Library::open(dir, access, model);
    if (!lib.ok()) {
        qWarning("%s", lib.error().message.c_str());
        return nullptr;
    }
    rv::IndexJobParams p;
    if (!root.empty()) p.roots.push_back(root);
    const std::atomic<bool> never{false};
    auto r = (*lib)->index(p, never);
    if (!r.ok()) {
        qWarning("%s", r.error().message.c_str());
        return nullptr;
    }
    return std::move(*lib);
}

// What most of these tests start from: copies of `photos` in base/photos, a library in base/lib
// indexed on them, its hierarchy built and stored. `lib` is null after a failure (warned).
struct HierarchyLibrary {
    std::vector<fs::path> copies;  // the photos in base/photos, as copy_photos names them
    std::unique_ptr<rv::Library> lib;
};
inline HierarchyLibrary library_with_hierarchy(const fs::path& base, const std::vector<fs::path>& photos = mate_photos()) {
    HierarchyLibrary out;
    out.copies = copy_photos(photos, base / "photos");
    out.lib = indexed_library(base / "lib", base / "photos");
    if (!out.lib) return out;
    const std::atomic<bool> never{false};
    if (auto u = rv::update_hierarchy(*out.lib, rv::HierarchyParams{}, never); !u.ok()) {
        qWarning("%s", u.error().message.c_str());
        out.lib.reset();
    }
    return out;
}

// The tree's rules (hierarchy_test_util.h's check_hierarchy over the library's indexed files) and
// every point inside the open unit disk; "" when all hold.
inline std::string library_tree_problem(const rv::Hierarchy& h, std::span<const std::int64_t> files) {
    if (std::string why = rvtest::check_hierarchy(h, files); !why.empty()) return why;
    for (const auto& n : h.nodes)
        if (!(n.x * n.x + n.y * n.y < 1.0)) return "node " + std::to_string(n.id) + " is not inside the disk";
    return {};
}

// The image nodes' file ids, sorted.
inline std::vector<std::int64_t> image_files(const rv::Hierarchy& h) {
    std::vector<std::int64_t> out;
    for (const auto& n : h.nodes)
        if (n.kind == rv::HierarchyNode::Kind::Image) out.push_back(n.file_id);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace library_hierarchy_test
