// What Library::duplicates scores pairs with, for the other engine parts that must score a pair
// exactly as it does (the calibration of its threshold, the pair queue): its whitening, learned
// the same way on the library's own features, and its scoring constants. Engine-internal.
//
// Threads: uses the CatalogDb it is given (a connection the caller may use on this thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

#include "duplicates/MarkedPairs.h"
#include "ruvision/engine/Adapter.h"
#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Result.h"
#include "ruvision/engine/Whitening.h"

namespace rv {

// Library::duplicates' rotated penalty and plain-cosine acceptance.
DuplicateScoring duplicate_scoring();

// The whitening Library::duplicates learns: on a strided sample of at most 20,000 of the model's
// features (`indexed` of them stored), through `adapter` when given. nullopt when fewer than 2
// rows (or cancelled). *rows: the rows it learned on (size_duplicate_threshold(*rows) is the size
// default).
[[nodiscard]] Result<std::optional<Whitening>> learn_duplicate_whitening(CatalogDb& db, std::string_view model_id,
                                                                        int dim, std::int64_t indexed,
                                                                        const std::atomic<bool>& cancel,
                                                                        std::size_t* rows,
                                                                        const LowRankAdapter* adapter = nullptr);

}  // namespace rv
