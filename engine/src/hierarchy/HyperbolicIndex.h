// Nearest neighbours among points of the Poincaré disk (c = 1) by hyperbolic distance, through
// hnswlib with the Lorentz trick: on the hyperboloid, -<x, y>_L = cosh d(x, y) grows with the
// distance, so ranking by it is ranking by distance, and a graph index over it needs no
// hyperbolic maths beyond one inner product per comparison.
//
// Why a space of our own and not hnswlib's InnerProductSpace: the graph is built by comparing
// stored points with each other, so the sign flip of the Lorentz product has to live in the
// distance itself, not in a transformed query. Two spaces:
//   LorentzFloat  the textbook form: float32 hyperboloid coordinates (cosh r, sinh r u), distance
//                 x0 y0 - x1 y1 - x2 y2. At distance r from the centre the coordinates are about
//                 e^r / 2, so the product of two points near the rim cancels ~e^(2r) / 4 down to
//                 cosh d: float32 keeps 7 digits of numbers near e^(2r) / 4, so neighbours far
//                 from the centre drown in rounding (bench_hyperbolic_search measures where).
//   Stable        the same -<x, y>_L in double, written without cancellation from each point's
//                 distance to the centre r (from 1 - |z|^2 in double-double) and the angle t
//                 between the two seen from the centre (its sine from an fma cross product):
//                 cosh(r1 - r2) + 2 sinh r1 sinh r2 sin^2(t / 2), every term >= 0. The default.
// exact_nearest() scans every point with the Stable form: the reference.
//
// Threads: build() adds points on `threads` workers; a built index is read-only, and search()
// may be called from any number of threads at once (hnswlib's searchKnn is const and keeps its
// visited lists in a pool of its own). Points are indexed by their position in the span given.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace rv::hierarchy {

using DiskPoint = std::complex<double>;

struct DiskHit {
    std::size_t point = 0;  // position in the points indexed
    double distance = 0;    // hyperbolic distance (c = 1)
};

// The hyperbolic distance of two points of the unit disk, from the cancellation-free form above.
double stable_distance(DiskPoint a, DiskPoint b);

// The k points nearest to q, nearest first (ties by position).
std::vector<DiskHit> exact_nearest(std::span<const DiskPoint> points, DiskPoint q, std::size_t k);

struct HyperbolicIndexParams {
    enum class Space { LorentzFloat, Stable };
    Space space = Space::Stable;
    int m = 16;                // hnswlib's M
    // Chosen with bench_hyperbolic_search --seed 1 at 100k images (200, 100 and 50 all gave
    // recall@10 1.000 on every level but 50's 0.998; 100 builds in half 200's time); README
    // reports seed 2.
    int ef_construction = 100;
    int ef_search = 64;        // at least k at search time
    int threads = 2;
    std::uint64_t seed = 1;
};

class HyperbolicIndex {
public:
    static std::unique_ptr<HyperbolicIndex> build(std::span<const DiskPoint> points, const HyperbolicIndexParams& params);
    ~HyperbolicIndex();
    HyperbolicIndex(const HyperbolicIndex&) = delete;
    HyperbolicIndex& operator=(const HyperbolicIndex&) = delete;

    // The k indexed points nearest to q by the index's space, nearest first; distances are
    // recomputed with stable_distance (so both spaces report the same figure for a point).
    std::vector<DiskHit> search(DiskPoint q, std::size_t k) const;
    std::size_t size() const { return points_.size(); }

private:
    struct Impl;
    HyperbolicIndex() = default;
    std::unique_ptr<Impl> impl_;
    std::vector<DiskPoint> points_;
    HyperbolicIndexParams params_;
};

}  // namespace rv::hierarchy
