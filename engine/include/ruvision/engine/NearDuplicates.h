// Grouping near-duplicates from similarity lists (used by Library::duplicates and its bench).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace rv {

struct Neighbour {
    std::int64_t id = 0;
    float score = 0;  // cosine similarity
};

// For each item, its neighbours that passed the threshold (no self entries). Need not be
// symmetric: an item may list a neighbour that does not list it back.
using CloseNeighbours = std::unordered_map<std::int64_t, std::vector<Neighbour>>;

// Star groups: the item with the most close neighbours (ties: higher sum of scores, then smaller
// id) becomes a group's centre and takes those of its neighbours not yet in a group; repeat.
// Every member scores at least the threshold with its group's centre, each item is in at most one
// group, and a run of similar-looking photos does not chain into one huge group (as single
// linkage would). Each group: the centre first (score 1), then by score, best first; groups of
// one are dropped. A pair listed both ways counts with the better of its two scores on both sides.
std::vector<std::vector<Neighbour>> star_groups(const CloseNeighbours& close);


}  // namespace rv
