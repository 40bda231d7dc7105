// Shared by the tests of the library's view indexes (test_region, test_search_twins): a folder of
// MATE's nature photos, a library opened and indexed on it (and again), and a file's catalog id. Each helper
// stops the test binary with the reason (qFatal) when the library cannot do it: the tests start
// from there.
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "sample_photos.h"
#include "ruvision/engine/Library.h"

namespace view_library_test {

namespace fs = std::filesystem;

inline std::unique_ptr<rv::Library> open_lib(const fs::path& dir, rv::LibraryAccess access = rv::LibraryAccess::Create) {
    auto l = rv::Library::open(dir, access);
    if (!l) qFatal("%s", l.error().message.c_str());
    return std::move(*l);
}

// One indexing run of `lib` (adding `roots`).
inline rv::IndexJobResult run_index(rv::Library& lib, const std::vector<fs::path>& roots = {}) {
    rv::IndexJobParams p;
    p.roots = roots;
    std::atomic<bool> cancel{false};
    auto r = lib.index(p, cancel);
    if (!r) qFatal("%s", r.error().message.c_str());
    return *r;
}

// The folder `tmp`/photos with the first `n` MATE nature photos (rv_test::nature_photos()).
inline fs::path photo_folder(const QTemporaryDir& tmp, std::size_t n) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / "photos";
    fs::create_directories(dir);
    const auto photos = rv_test::nature_photos();
    for (std::size_t i = 0; i < n && i < photos.size(); ++i) fs::copy_file(photos[i], dir / photos[i].filename());
    return dir;
}

// The library in `dir` created and indexed on `photos`.
inline std::unique_ptr<rv::Library> indexed_lib(const fs::path& dir, const fs::path& photos) {
    auto lib = open_lib(dir);
    run_index(*lib, {photos});
    return lib;
}

// The library in `dir` after one more indexing run (which writes its view indexes again), opened
// read-only.
inline std::unique_ptr<rv::Library> reindexed_reader(const fs::path& dir) {
    run_index(*open_lib(dir, rv::LibraryAccess::Update));
    return open_lib(dir, rv::LibraryAccess::Read);
}

inline std::int64_t file_id(rv::Library& lib, const fs::path& p) {
    auto f = lib.catalog().find_by_path(p.string());
    if (!f || !*f) qFatal("not in the catalog: %s", p.c_str());
    return (**f).id;
}

}  // namespace view_library_test
