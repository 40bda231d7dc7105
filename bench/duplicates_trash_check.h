// What the duplicates window would offer for the trash, end to end through rv::Library: real
// libraries indexed from files, grouped by Library::duplicates at its defaults. A group's
// trash-able files are its centre and its pixel-verified members (DuplicatesView lets only those
// be unchecked); every pair of them is a pair "offered for the trash" (one kept, the other
// trashed). Each such pair of different pictures is a failure: the count must be 0.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ruvision/engine/Library.h"

namespace rvbench {

struct TrashCheck {
    std::string name;
    long files = 0;              // indexed
    long groups = 0;             // groups of similar files
    long grouped = 0;            // files in a group
    long verified = 0;           // non-centre members verified on pixels
    long offered_pairs = 0;      // pairs within a group's trash-able files
    long offered_different = 0;  // ... of different pictures (must be 0)
    long same_pairs = 0;         // pairs of one picture among all files (by label)
    long same_offered = 0;       // ... offered for the trash (recall of verified copies)
    double seconds = 0;          // duplicates() alone
};

// Fills the group counts of `check` from `groups`; `label` maps a member's path to its picture
// (equal labels: the same picture).
void count_offered(const std::vector<rv::DuplicateGroup>& groups,
                   const std::function<std::string(const std::string&)>& label, TrashCheck& check);

// Indexes and checks: the wallpaper packages, the Adwaita 48x48 icons, `random8` seeded 8x8
// images, MATE's transparent PNGs with a tiny grey tile, and flat tiles one grey level apart;
// libraries under workdir (replaced). Prints a Markdown table; returns the number of offered pairs
// of different pictures (0 = pass), or -1 on an error.
long trash_checks(const std::filesystem::path& workdir, int random8, int k);

void print_trash_table_header();
void print_trash_row(const TrashCheck& c);

}  // namespace rvbench
