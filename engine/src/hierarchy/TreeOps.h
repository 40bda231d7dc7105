// Helpers the hierarchy's build (HierarchyBuild.cpp) and its edits (TreeEdits.cpp) share.
// Engine-internal; pure functions on the caller's data, safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
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

// The space the hierarchy compares features in for grouping and near-duplicates: a feature's own
// direction with the collection's mean direction `u` (unit: the root's centroid) taken out, then
// normalised. Raw image features share a large common component (post-ReLU features all lie in one
// orthant), which crowds every cosine towards 1 (bench_hierarchy: at a plain cosine of 0.95 every
// Fashion-MNIST image had a "near-duplicate"); without it cosines separate groups and copies.
// A feature along u alone comes out zero. `u` empty or of another size: the feature normalised.
std::vector<float> mean_free(std::span<const float> x, const std::vector<float>& u);
// Cosine of two mean_free vectors: 1 when both are zero (both lie along the mean: the same
// direction), 0 when one is.
float mean_free_cos(const float* a, const float* b, std::size_t dim);

// Rebuilds h.nodes in breadth-first order from the root over the children lists, dropping nodes
// not reachable from it; keeps every node's id and other fields, remaps parent, children and
// representative indices and sets every depth. A representative whose node is dropped becomes -1.
void renumber(Hierarchy& h);

// A seed for a group from the build's seed and the group's identity (a 64-bit mix).
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b);

}  // namespace rv::hierarchy_ops
