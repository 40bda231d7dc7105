// The marks of one library file: every pair it is in, for a view that shows one query's marks.
// One read of the marks table (ids only) and a path lookup for the marks of that file alone, so
// its cost barely grows with the marks of other files (list_marks looks up both paths of every
// mark: 200,000 lookups for 100,000 marks).
//
// Threads: the library's writer connection, like Marks.h. Works with LibraryAccess::Read.
#pragma once

#include <cstdint>
#include <vector>

#include "ruvision/engine/Marks.h"

namespace rv {

// Marks whose pair includes the file of catalog id `file_id`, oldest first; a and b as in
// list_marks (a has the smaller id). Empty for a file with none or an unknown id.
[[nodiscard]] Result<std::vector<Mark>> marks_of_file(Library& lib, std::int64_t file_id);

}  // namespace rv
