// Which file of a near-duplicate group to keep by default, and why (Library::duplicates gives the
// groups; the window's Duplicates tab and `ruvision-cli duplicates` both suggest with this rule).
//
// The rule, among the group's verified members only (the others are never offered for the trash,
// so they need no keeping), each step deciding only between those tied on the steps before it:
//   1. more pixels (width x height as decoded);
//   2. the orientation most of the verified members share (DuplicateMember::orientation): a copy
//      turned or mirrored relative to the others loses; with no strict majority (e.g. an original
//      and its one turned copy) this step decides nothing;
//   3. the larger file, when it is more than kKeepSizeMargin larger: less compression at the same
//      pixels (a copy re-encoded at the same quality differs by a few percent, which says nothing);
//   4. the older modification time (the original came first);
//   5. a name without a copy mark ("copy", "Kopie", "(1)", "-1", "_2" before the extension);
//   6. the group's order (the centre first).
// Pure functions of the members: no disk access, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ruvision/engine/Library.h"

namespace rv {

// A file must be this much larger (as a fraction) for "larger file" to decide.
inline constexpr double kKeepSizeMargin = 0.05;

// The steps of the rule that made the suggestion win over at least one other verified member.
// (unsigned bits, so that they combine without casts)
inline constexpr unsigned kKeepMorePixels = 1u << 0;
inline constexpr unsigned kKeepUpright = 1u << 1;  // in the majority's orientation, not turned or mirrored
inline constexpr unsigned kKeepLargerFile = 1u << 2;
inline constexpr unsigned kKeepOlder = 1u << 3;
inline constexpr unsigned kKeepPlainName = 1u << 4;
inline constexpr unsigned kKeepFirst = 1u << 5;  // nothing told them apart: the group's first of the tied

struct KeepSuggestion {
    int index = -1;         // into the members; -1 if none is verified
    unsigned reasons = 0;   // KeepReason bits
};

KeepSuggestion suggest_keep(const std::vector<DuplicateMember>& members);

// True if the file name (the path's last part, before its extension) ends in a copy mark.
bool has_copy_mark(std::string_view path);

// The reasons in English, in rule order, e.g. "most pixels, oldest file" (empty for none).
std::string keep_reason_text(unsigned reasons);

}  // namespace rv
