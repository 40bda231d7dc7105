// An index of stored views of library files (regions, weak-edit twins): an HnswIndex of the
// plain feature space whose vector id is file * slots + idx, so that a hit names its file. It is
// loaded from DIR/<file> at open or rebuilt in memory from the catalog's rows when that file is
// missing, unreadable or stale (another number of views than the catalog holds); only an indexing
// run writes the file (save), as for the main index. Engine-internal.
//
// Threads: the index is thread-safe itself (VectorIndex); load_or_rebuild runs once, in
// Library::open, before any other use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv {

class ViewIndex {
public:
    // `file_name` under the library folder; `what` names the views in states and errors
    // ("regions"); a file may hold ids 0 .. slots - 1.
    ViewIndex(std::string file_name, std::string what, std::int64_t slots);

    // Streams the catalog's views: calls `add(file, idx, vector, dim)` for each; `add` returns
    // false to stop. The source's Status is the rebuild's.
    using Add = std::function<bool(std::int64_t file, int idx, const float* v, int dim)>;
    using Rows = std::function<Status(const Add& add)>;
    // `count`: the views the catalog holds (the file is stale when it holds another number).
    // `index_model_id` is checked against the file's. Views of another dimension, or with an idx
    // outside the slots, are left out (the next index run stores the file's again if it has none).
    [[nodiscard]] Status load_or_rebuild(const std::filesystem::path& dir, int dim, const std::string& index_model_id,
                                         std::int64_t count, const Rows& rows);
    // Compacts the index (VectorIndex::compact) and writes it, if it changed (save_if_changed).
    [[nodiscard]] Status save(const std::filesystem::path& dir);
    // A file's views leave the index (none: nothing happens).
    void remove(std::int64_t file_id);
    // `n` views of `dim` floats, row-major, replace the file's (idx 0 .. n - 1).
    [[nodiscard]] Status put(std::int64_t file_id, const float* data, int n);
    // One view (dim floats) added as `idx` of the file; an idx outside the slots is an Error.
    [[nodiscard]] Status add(std::int64_t file_id, int idx, const float* v);
    // The files of the nearest `n` views to `q` (dim floats), each with its best view's score,
    // best first.
    std::vector<Hit> search_files(const float* q, std::size_t n) const;

    std::int64_t slots() const { return slots_; }
    std::size_t size() const { return index_ ? index_->size() : 0; }
    const std::string& state() const { return state_; }

private:
    std::int64_t id(std::int64_t file, int idx) const { return file * slots_ + idx; }
    std::string file_name_, what_;
    std::int64_t slots_;
    std::unique_ptr<VectorIndex> index_;  // set by load_or_rebuild, never replaced after
    std::string state_;
};

}  // namespace rv
