// The person's marks as verdicts for the duplicate threshold (ThresholdCalibration.h), scored the
// way Library::duplicates scores a pair.
//
// Which marks count (schema version 6): "same" says the same picture (same = true), from any
// source. "different" from any source says not the same picture (same = false). "alike" given
// where the person was judging copies (source 'duplicates' or 'pairs', where "same" was on offer)
// says not the same picture either; an "alike" from a search ("looks alike") or an import (its
// origin unknown) says nothing about it and is ignored. Marks on a file without a feature
// of the library's model (pending, in error, another model) are left out.
//
// Threads: uses the CatalogDb it is given (the caller's reader connection, under its lock).
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>
#include <string_view>
#include <vector>

#include "ruvision/engine/CatalogDb.h"
#include "ruvision/engine/Result.h"
#include "ruvision/engine/ThresholdCalibration.h"
#include "ruvision/engine/Whitening.h"

namespace rv {

// How Library::duplicates scores a pair (Duplicates.cpp): the whitened cosine of the plain
// features, and of each one's turned feature with the other's plain one less rotated_penalty;
// a plain cosine reaching plain_accept counts as itself when higher; the best of these.
struct DuplicateScoring {
    float rotated_penalty = 0;
    float plain_accept = 1;
};

// Whether the marks hold a usable verdict on each side (cheap: reads the marks table only).
[[nodiscard]] Result<bool> marks_calibrate_duplicates(CatalogDb& db);

// Each pair's duplicate score, as Library::duplicates scores it (whitened with `w`); NaN for a pair
// whose file has no feature of the model (or when cancelled before it was read). Streams the
// model's features and turned features once each, keeping those of the pairs' files.
[[nodiscard]] Result<std::vector<float>> duplicate_pair_scores(
    CatalogDb& db, std::string_view model_id, const Whitening& w, const DuplicateScoring& scoring,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs, const std::atomic<bool>& cancel);

// The usable marks as scored verdicts. Reads the marks, then (only when both sides have one)
// streams the model's features and turned features once each, keeping those of marked files.
// Cancelled: what was scored so far. A feature stored damaged is skipped like a missing one.
[[nodiscard]] Result<std::vector<ThresholdVerdict>> marked_pair_verdicts(CatalogDb& db, std::string_view model_id,
                                                                         const Whitening& w,
                                                                         const DuplicateScoring& scoring,
                                                                         const std::atomic<bool>& cancel);

}  // namespace rv
