// Hand-built trees for the hierarchy's geometry, shared by test_tree_embedding and
// bench_tree_embedding. Public API only, no Qt.
#pragma once

#include <cstddef>
#include <utility>

#include "ruvision/engine/Hierarchy.h"

namespace rvtest {

// Appends a node of `kind` under `parent` (an index into h.nodes; -1: none, the root) with the
// next id and its parent's depth + 1; returns its index.
inline int add_node(rv::Hierarchy& h, int parent, rv::HierarchyNode::Kind kind) {
    rv::HierarchyNode n;
    n.kind = kind;
    n.parent = parent;
    n.id = h.next_id++;
    if (parent >= 0) {
        n.depth = h.nodes[static_cast<std::size_t>(parent)].depth + 1;
        h.nodes[static_cast<std::size_t>(parent)].children.push_back(static_cast<int>(h.nodes.size()));
    }
    h.nodes.push_back(std::move(n));
    return static_cast<int>(h.nodes.size()) - 1;
}

}  // namespace rvtest
