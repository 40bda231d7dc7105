// Where a feature belongs in a hierarchy (locate_in_hierarchy, and hierarchy_add's placing), and
// the small feature helpers the edits share. Engine-internal; reads the tree only, any thread.
//
// The search, as run: a beam of the `kBeam` groups of highest centroid cosine per level, from the
// root down; a node with no Group child ends its branch (an "end", scored by its centroid cosine).
// Every Duplicates child of a node the beam visits is a candidate when its representative's
// feature is within params.duplicate_cosine of the feature. The path goes to the best such
// Duplicates node when there is one, else to the best end. Parents must be right (renumber keeps
// them; the edits set them).
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "ruvision/engine/Hierarchy.h"

namespace rv::hierarchy_ops {

using FeatureOf = std::function<std::vector<float>(std::int64_t file_id)>;

inline constexpr std::size_t kBeam = 4;

// Cosine of equal-length vectors (-inf when they are not).
float cosine(std::span<const float> a, const std::vector<float>& b);

// A node's representative's feature, normalised; empty when unknown.
std::vector<float> rep_feature(const Hierarchy& h, int node, const FeatureOf& feature_of);

struct Located {
    std::vector<int> path;  // root first
    int twin = -1;          // find_twin: the image child of a node the beam visited nearest the
                            // feature within the threshold (its parent is then the path's last
                            // node); -1 when none
};

// `q` unit. find_twin: also look for a near-duplicate image among the ends' image children (only
// when no Duplicates node takes the feature).
Located locate(const Hierarchy& h, std::span<const float> q, const FeatureOf& feature_of,
               const HierarchyParams& params, bool find_twin);

}  // namespace rv::hierarchy_ops
