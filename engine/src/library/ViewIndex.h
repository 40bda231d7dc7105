// An index of stored views of library files (regions, weak-edit twins): an HnswIndex of the
// plain feature space whose vector id is file * slots + idx, so that a hit names its file.
//
// It is loaded at its first use, not when the library opens: a search that needs it, or an
// indexing run that changes it. At half a million files each view index holds two million
// vectors (some 2.6 GB in memory), which status, the hierarchy, duplicates, the window's opening
// and a rescan that changes nothing never need. It is loaded from DIR/<file>, or rebuilt in memory
// from the catalog's rows when that file is missing, unreadable or stale (written before the
// catalog's vectors last changed: Source::behind); only an indexing run writes the file (save),
// as for the main index.
//
// Every change of the catalog's views is followed by the same change here (put, add, remove),
// which loads the index first: so the index loaded is the file as the library opened it, and the
// changes since are applied to it in order. Engine-internal.
//
// Threads: every method may be called from any thread; the first use loads under a lock, and the
// index is then thread-safe itself (VectorIndex).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ruvision/engine/Result.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv {

class CatalogDb;

class ViewIndex {
public:
    // Streams the catalog's views: calls `add(file, idx, vector, dim)` for each; `add` returns
    // false to stop. The source's Status is the rebuild's.
    using Add = std::function<bool(std::int64_t file, int idx, const float* v, int dim)>;
    using Rows = std::function<Status(const Add& add)>;

    struct Source {
        std::filesystem::path dir;  // the library folder
        std::string file_name;      // under dir
        std::string what;           // names the views in states and errors ("regions")
        std::int64_t slots = 1;     // a file may hold ids 0 .. slots - 1
        int dim = 0;
        std::string index_model_id;  // checked against the file's
        // Counts the catalog's views; called, from any thread, only when the file's header does
        // not tell (the file missing, unreadable, behind or unrecorded), so it reads through a
        // connection of its own.
        std::function<Result<std::int64_t>()> count;
        // Why the file lags behind the catalog (its vectors changed after the library's index
        // files were written: Library::load_or_rebuild_index); "" when it holds them as they are.
        // Behind, the file is rebuilt, not loaded, and the next save writes it.
        std::string behind;
        // The views the library recorded when it last wrote the file (Library::save_index); none
        // for a file written before such records. A header that names another number is a file
        // the library did not write last (an old copy put back): rebuilt. Without a record the
        // header is compared with the catalog's count.
        std::optional<std::int64_t> recorded;
        // The catalog's views, for a rebuild; called from the thread of the first use, so it
        // reads through a connection of its own. Views of another dimension, or with an idx
        // outside the slots, are left out (the next index run stores the file's again if it has
        // none).
        Rows rows;
    };
    // Reads nothing yet.
    explicit ViewIndex(Source source);

    // Writes the index (compacted, VectorIndex::compact) if it changed since it was loaded or
    // saved (save_if_changed). Not loaded: nothing to write when its file is usable; else the
    // index is rebuilt from the catalog now and written, so that readers need not rebuild it.
    [[nodiscard]] Status save();
    // A file's views leave the index (none: nothing happens).
    [[nodiscard]] Status remove(std::int64_t file_id);
    // `n` views of `dim` floats, row-major, replace the file's (idx 0 .. n - 1).
    [[nodiscard]] Status put(std::int64_t file_id, const float* data, int n);
    // One view (dim floats) added as `idx` of the file; an idx outside the slots is an Error.
    [[nodiscard]] Status add(std::int64_t file_id, int idx, const float* v);
    // The files of the nearest `n` views to `q` (dim floats), each with its best view's score,
    // best first.
    Result<std::vector<Hit>> search_files(const float* q, std::size_t n) const;

    std::int64_t slots() const { return source_.slots; }
    const std::string& file_name() const { return source_.file_name; }
    bool loaded() const { return ready_.load(std::memory_order_acquire) != nullptr; }
    // Loaded: its size. Not yet: the views its file's header names, or the catalog's count when
    // the file is not usable.
    std::size_t size() const;
    // Loaded: "ok (N regions)", "new", or "rebuilt from the catalog (N regions): <why>". Not yet:
    // "ok (N regions), loaded at first use" when the file's header is usable, else
    // "rebuilt from the catalog at first use (N regions): <why>".
    std::string state() const;

private:
    // The index, loaded or rebuilt on the first call.
    Result<VectorIndex*> index() const;
    // What the file's header and the catalog say, read once: until this index saves, the file is
    // the one the library opened with (status asks for the size and the state, each of which
    // needs it).
    struct Peek {
        std::string why;           // why the file cannot be loaded as it is; "" if it can
        std::uint64_t on_disk = 0;  // the views its header names
        std::int64_t rows = 0;      // the catalog's views, when counted (not when the header tells)
    };
    Peek peek() const;
    std::int64_t id(std::int64_t file, int idx) const { return file * source_.slots + idx; }

    Source source_;
    mutable std::mutex load_mutex_;
    mutable std::unique_ptr<VectorIndex> index_;  // set once, under load_mutex_
    mutable std::string state_;                    // set with index_
    mutable std::atomic<VectorIndex*> ready_{nullptr};  // index_.get() once loaded
    mutable std::mutex peek_mutex_;
    mutable std::optional<Peek> peeked_;  // peek()'s, until save()
};

// The views the library recorded in the catalog (meta) when it last wrote DIR/<file_name>
// (Source::recorded); none if never. record_views records the index's size after its save().
Result<std::optional<std::int64_t>> recorded_views(CatalogDb& catalog, const std::string& file_name);
[[nodiscard]] Status record_views(CatalogDb& catalog, const ViewIndex& index);

}  // namespace rv
