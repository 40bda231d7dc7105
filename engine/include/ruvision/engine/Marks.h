// A person's marks: two library files said to be the same picture, alike or different, stored in
// the library's catalog (CatalogDb::set_mark; schema version 4, "same" since 6) the moment they are
// given. One verdict per
// unordered pair, the latest replacing the earlier; a mark follows a moved or renamed file (it is
// keyed on the file's catalog id, which IndexJob's move keeps) and leaves with a file that leaves
// the library (forgotten, its root removed, vanished from disk).
//
// Export / import: JSON lines, one mark per line,
//   {"a": PATH, "b": PATH, "verdict": "same"|"alike"|"different", "source": SOURCE, "time": UNIX_MS}
// An import maps each path to this library's file of that path and stores the mark with source
// "import" (keeping its time); a line it cannot place is reported with the reason, the others are
// stored.
//
// Threads: these use the library's writer connection (Library::catalog()): call them on the thread
// that may call Library::index(), not while it runs. Writes need LibraryAccess::Update or Create;
// listing and exporting work with LibraryAccess::Read. Each write commits on return.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "ruvision/engine/Library.h"
#include "ruvision/engine/Result.h"

namespace rv {

// What a verdict means:
//   Same       the same picture (a copy, a resized, recompressed or lightly edited version).
//   Alike      alike, and (where the person was judging copies: source Duplicates or Pairs) not the
//              same picture; from a search or an import it says nothing about being the same.
//   Different  not alike (so not the same picture either).
// Learning (the adapters) counts Same as Alike; the duplicate threshold's calibration counts Same as
// "the same picture", Different and an Alike from Duplicates or Pairs as "not", ignores the rest
// (MarkedPairs.h).
enum class MarkVerdict { Alike, Different, Same };
enum class MarkSource { Search, Duplicates, Pairs, Import };

const char* to_string(MarkVerdict v);  // "alike", "different", "same"
const char* to_string(MarkSource s);   // "search", "duplicates", "pairs", "import"

struct Mark {
    std::string a, b;  // the files' paths as the catalog has them (raw bytes); a has the smaller id
    std::int64_t a_id = 0, b_id = 0;
    MarkVerdict verdict = MarkVerdict::Alike;
    MarkSource source = MarkSource::Search;
    std::int64_t session = 0;  // the search session it came from; 0: none
    std::int64_t time = 0;     // Unix ms
};

// The library file at `path`: the path as the catalog has it, else made absolute and normal, else
// with symlinks resolved. nullopt when it is not a file of the library.
[[nodiscard]] Result<std::optional<CatalogFile>> find_library_file(Library& lib, const std::filesystem::path& path);

// Stores (or replaces) the verdict on the pair. Both must be files of the library (a path given as
// the catalog has it, or one that resolves to it: relative, through symlinks) and differ; otherwise
// an Error naming the file. Returns the stored mark.
[[nodiscard]] Result<Mark> add_mark(Library& lib, const std::filesystem::path& a, const std::filesystem::path& b,
                                    MarkVerdict verdict, MarkSource source, std::int64_t session = 0);
// Removes the pair's mark; false when it had none. Paths as for add_mark.
[[nodiscard]] Result<bool> remove_mark(Library& lib, const std::filesystem::path& a, const std::filesystem::path& b);
// Every mark, oldest first.
[[nodiscard]] Result<std::vector<Mark>> list_marks(Library& lib);
// The marks whose pair includes the file of catalog id `file_id`, oldest first (for a view that
// shows one query's marks). One read of the marks table (ids only) and path lookups for that
// file's marks alone, so its cost barely grows with other files' marks (list_marks looks up both
// paths of every mark). Empty for a file with none or an unknown id.
[[nodiscard]] Result<std::vector<Mark>> marks_of_file(Library& lib, std::int64_t file_id);
[[nodiscard]] Result<std::int64_t> count_marks(Library& lib);

// One export line (no newline). Paths that are not UTF-8 get U+FFFD for the bad bytes (such a line
// cannot be placed by an import).
std::string mark_json_line(const Mark& m);
// Writes every mark as JSON lines; returns how many.
[[nodiscard]] Result<std::size_t> export_marks(Library& lib, std::ostream& out);

struct MarkImportProblem {
    std::size_t line = 0;  // 1-based line number in the input
    std::string reason;    // e.g. "/x/a.jpg is not a file of the library"
};
struct MarkImportResult {
    std::size_t imported = 0;  // marks stored (new or replacing one)
    std::vector<MarkImportProblem> problems;
};
// Reads JSON lines (blank lines skipped) and stores each mark it can place, all in one
// transaction: a failure of the catalog stores none and is the Error; a line that cannot be
// placed (not JSON, a missing or wrong field, a path not in the library, a file against itself)
// is a problem and the others are stored.
[[nodiscard]] Result<MarkImportResult> import_marks(Library& lib, std::istream& in);

}  // namespace rv
