#include "poincare/MapEmbedding.h"

#include <cmath>
#include <vector>

#include "ruvision/engine/Hyperbolic.h"

namespace rv::ui {

namespace {

constexpr double kPi = 3.14159265358979323846;

}  // namespace

void embedForDisplay(Hierarchy& h, const MapEmbeddingParams& params) {
    h.scale = params.edge;
    if (h.nodes.empty()) return;
    const std::size_t n = h.nodes.size();
    std::vector<hyperbolic::DiskMap> frame(n, hyperbolic::identity_map());
    std::vector<double> back(n, 0.0);  // the direction of the parent in the node's own frame
    std::vector<int> stack{0};
    h.nodes[0].x = h.nodes[0].y = 0;
    while (!stack.empty()) {
        const int u = stack.back();
        stack.pop_back();
        const HierarchyNode& node = h.nodes[static_cast<std::size_t>(u)];
        const std::size_t k = node.children.size();
        if (k == 0) continue;
        const bool root = node.parent < 0;
        const double wedge = root ? 2 * kPi : params.wedge;
        // Neighbours on the circle of radius e are wedge / k sinh(e) apart (hyperbolic arc).
        const double e = std::max(params.edge, std::asinh(params.minSeparation * static_cast<double>(k) / wedge));
        const double away = back[static_cast<std::size_t>(u)] + kPi;
        for (std::size_t i = 0; i < k; ++i) {
            const int c = node.children[i];
            const double angle = root ? wedge * static_cast<double>(i) / static_cast<double>(k)
                                      : away + wedge * ((static_cast<double>(i) + 0.5) / static_cast<double>(k) - 0.5);
            // The translation along the geodesic through 0 in direction `angle`: it keeps
            // directions, so the child sees its parent at angle + pi.
            const hyperbolic::DiskMap step = hyperbolic::inverse(hyperbolic::recentre(hyperbolic::disk_polar(e, angle)));
            frame[static_cast<std::size_t>(c)] = hyperbolic::compose(frame[static_cast<std::size_t>(u)], step);
            back[static_cast<std::size_t>(c)] = angle + kPi;
            const hyperbolic::Complex p = frame[static_cast<std::size_t>(c)](0.0);
            h.nodes[static_cast<std::size_t>(c)].x = p.real();
            h.nodes[static_cast<std::size_t>(c)].y = p.imag();
            stack.push_back(c);
        }
    }
}

}  // namespace rv::ui
