// Helpers the hierarchy's build (HierarchyBuild.cpp) and its edits (TreeEdits.cpp) share.
// Engine-internal; pure functions on the caller's data, safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ruvision/engine/Hierarchy.h"

namespace rv::hierarchy_ops {

// An order of m vectors (each `dim` floats, unit) in which similar ones are adjacent: a greedy
// chain that starts at the vector least like the others (lowest sum of cosines) and always goes on
// to the most alike one not yet taken (ties: the lower index). Deterministic.
std::vector<std::size_t> chain_order(const std::vector<const float*>& vectors, std::size_t dim);

// Normalises v in place (double accumulation); false, v untouched, when it has no usable length.
bool normalise(std::vector<float>& v);
bool normalise(std::vector<double>& v);

// Rebuilds h.nodes in breadth-first order from the root over the children lists, dropping nodes
// not reachable from it; keeps every node's id and other fields, remaps parent, children and
// representative indices and sets every depth. A representative whose node is dropped becomes -1.
void renumber(Hierarchy& h);

// A seed for a group from the build's seed and the group's identity (a 64-bit mix).
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b);

}  // namespace rv::hierarchy_ops
