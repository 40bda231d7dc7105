// The tree as the Map tab draws it: a hyperbolic-browser layout of a Hierarchy in the unit disk.
//
// Why not the stored embedding (embed_tree)? It is Sarkar's construction with its edge stretched
// until the deepest node is 30 from the centre: right for distortion, but with a node centred its
// children sit at |w| = tanh(scale / 2), within a pixel of the rim. And Sarkar's construction with
// a short edge spreads children over the whole circle, so a first child folds back toward its
// grandparent. Here each node's children fan out in a wedge facing away from its parent (the
// root's around the full circle), at an edge long enough that neighbours in the fan are
// kMinSeparation apart: a centred group shows its children around it and its parent toward the rim.
//
// Positions are composed from frames (the disk isometry taking a node's local picture, the node
// at 0, to the disk) as embed_tree does, so each step is as accurate as one isometry. Pure; any
// thread.
#pragma once

#include "ruvision/engine/Hierarchy.h"

namespace rv::ui {

struct MapEmbeddingParams {
    double edge = 1.25;           // hyperbolic length of an edge, at least
    double minSeparation = 0.6;   // between neighbouring children (hyperbolic arc), at least
    double wedge = 2.6;           // radians a non-root node's children fan over (facing away from its parent)
};

// Sets every node's (x, y) for display and h.scale to params.edge.
void embedForDisplay(Hierarchy& h, const MapEmbeddingParams& params = {});

}  // namespace rv::ui
