// Which nodes of a hierarchy the Map tab draws, where, and how big, for one view of the disk.
//
// The view is a DiskMap (Hyperbolic.h) taking the hierarchy's embedded points (HierarchyNode x, y,
// the unit disk) to the view's unit disk; the layout walks the tree outward from the node nearest
// the view's centre (up to parents and down to children alike, as a hyperbolic browser does),
// so the walk reaches what is near the centre first and stops where nodes become too small:
//   - a node is drawn with a radius in pixels of R tanh(r/2) (1 - |w|^2) for a disc of hyperbolic
//     radius r (MapParams) at view point w, capped so that siblings and a parent never overlap;
//   - a node whose children (away from the walk's start) would all be drawn smaller than
//     MapParams::collapsePx is drawn as one marker carrying the number of images below them, and
//     its children are not walked;
//   - a node smaller than MapParams::cullPx is culled with everything beyond it (beyond is farther
//     out still), except the ancestors of the `keep` node, which stay visible toward the rim.
// Pure functions on the caller's data, no Qt: safe on any thread; the hierarchy must be embedded
// (embed_tree) and not changed while a layout of it is used.
#pragma once

#include <complex>
#include <cstdint>
#include <vector>

#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Hyperbolic.h"

namespace rv::ui {

struct MapParams {
    double radiusPx = 300;      // the view disk's radius in pixels
    double nodeRadius = 0.55;   // a node's disc, hyperbolic radius (at most 0.45 of the edge length)
    double collapsePx = 5;      // children drawn smaller than this: their parent is one marker
    double cullPx = 1.2;        // nodes smaller than this are not drawn, nor anything beyond them
    std::size_t maxNodes = 6000;  // at most this many nodes, the largest first
};

struct MapNode {
    int node = -1;                // index into Hierarchy::nodes
    std::complex<double> w;       // where it is in the view's unit disk
    double radiusPx = 0;          // drawn radius, pixels
    int from = -1;                // index into MapLayout::nodes of the node it hangs from (an edge); -1: the start
    bool marker = false;          // collapsed: its children are one marker of `count` images
    std::int64_t count = 0;       // images below the collapsed children (markers only)
};

struct MapLayout {
    std::vector<MapNode> nodes;   // the start node first, then as walked (largest first)
    int start = -1;               // the hierarchy node the walk started from (nearest the centre)
};

// The node nearest the view's centre, found by walking from `hint` (any node index; the root when
// out of range) to whichever neighbour (parent or child) is nearer the centre until none is.
int nearestToCentre(const Hierarchy& h, const hyperbolic::DiskMap& view, int hint);

// The layout of `h` seen through `view`, walked from nearestToCentre(h, view, hint). `keep`: a
// node whose ancestors stay drawn however small (the focus; -1: none). An empty hierarchy gives
// an empty layout.
MapLayout layoutMap(const Hierarchy& h, const hyperbolic::DiskMap& view, int hint, int keep, const MapParams& params);

// The hyperbolic radius of a node's disc for this hierarchy (params.nodeRadius, at most 0.45 of
// h.scale so that a parent and its child never overlap).
double nodeDiscRadius(const Hierarchy& h, const MapParams& params);

// The topmost drawn node under the view point `w` (unit-disk coordinates): the smallest disc
// containing it, or the nearest node within `slackPx` pixels; -1 when none.
int nodeAt(const MapLayout& layout, std::complex<double> w, double radiusPx, double slackPx = 4);

}  // namespace rv::ui
