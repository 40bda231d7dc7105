// Search sessions and the pattern memory (Feedback.h), stored in the library's catalog (schema
// version 5, tables sessions and patterns).
//
// A session is one search: the query vector as searched, the files shown (ids, in the order
// shown), the library file searched with (0: an image from outside, or a file that has since left
// the library), and, once the person's marks refined it, the refined query. Patterns are the
// sessions clustered (cluster_sessions); recluster_patterns replaces every stored pattern in one
// transaction (never appends). Vectors are unit float32 in the library's current feature space:
// sessions and patterns of another model (a library re-embedded since) are not listed or loaded.
//
// Errors: a vector of the wrong dimension or not finite is refused before anything is written;
// a stored row that is damaged (a blob of the wrong length, NaN) is an Error naming the session or
// pattern id, never read past its end. Writes need LibraryAccess::Update or Create (else an Error
// naming the library); listing and loading work with LibraryAccess::Read.
//
// Threads: these use the library's writer connection (Library::catalog()), like Marks.h: call
// them on the thread that may call Library::index(), not while it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ruvision/engine/Feedback.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Result.h"

namespace rv {

struct SearchSession {
    std::int64_t id = 0;
    std::vector<float> query;           // unit, as searched
    std::vector<float> refined;         // unit; empty: not refined
    std::vector<std::int64_t> shown;    // file ids in the order shown (a file since gone stays listed)
    std::int64_t query_file = 0;        // the library file searched with; 0: outside or gone
    std::int64_t time = 0;              // Unix ms
};

// Stores a new session (unrefined) and returns its id (> 0), for add_mark's `session`.
// `query_file` 0: an image from outside the library; otherwise it must be a file of the library.
[[nodiscard]] Result<std::int64_t> record_session(Library& lib, const std::vector<float>& query,
                                                  const std::vector<std::int64_t>& shown,
                                                  std::int64_t query_file /*0: outside*/);
// Sets (replaces) the session's refined query; same dimension as its query. An unknown session is
// an Error naming it.
[[nodiscard]] Status set_session_refined(Library& lib, std::int64_t session, const std::vector<float>& refined);
// Every session of the library's model, oldest first.
[[nodiscard]] Result<std::vector<SearchSession>> list_sessions(Library& lib);
// Clusters every session of the library's model (cluster_sessions) and replaces all stored
// patterns with the result, in one transaction; returns how many patterns are stored now. No
// sessions: no patterns (the old ones are removed).
[[nodiscard]] Result<std::size_t> recluster_patterns(Library& lib, const PatternParams& params);
// The stored patterns of the library's model, in the order clustered.
[[nodiscard]] Result<std::vector<Pattern>> load_patterns(Library& lib);

}  // namespace rv
