#include "hierarchy/HyperbolicIndex.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

// hnswlib's non-inline functions (cpuid, AVXCapable) are compiled only without
// NO_MANUAL_VECTORIZATION; with it, as here and in HnswIndex.cpp, the header holds only templates
// and inline code, so a second translation unit may include it.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

namespace rv::hierarchy {

namespace {

// A point as the Stable space keeps it: distance from the centre and unit direction.
struct Polar {
    double r, ux, uy;
};

Polar polar(DiskPoint z) {
    const double a = std::abs(z);
    if (!(a > 0)) return {0.0, 1.0, 0.0};
    // r = 2 artanh |z|, written as log((1 + a) / (1 - a)): 1 - a is exact for a near 1 (Sterbenz).
    const double r = std::log1p(a) - std::log1p(-a);
    return {r, z.real() / a, z.imag() / a};
}

// -<x, y>_L = cosh d, without cancellation (HyperbolicIndex.h).
double stable_cosh(const Polar& a, const Polar& b) {
    const double dx = a.ux - b.ux, dy = a.uy - b.uy;
    return std::cosh(a.r - b.r) + std::sinh(a.r) * std::sinh(b.r) * (dx * dx + dy * dy) * 0.5;
}

double stable_dist(const void* a, const void* b, const void*) {
    return stable_cosh(*static_cast<const Polar*>(a), *static_cast<const Polar*>(b));
}

// Float32 hyperboloid coordinates and the plain Lorentz product (cancels near the rim).
struct Lorentz32 {
    float x0, x1, x2;
};

float lorentz_dist(const void* a, const void* b, const void*) {
    const auto* x = static_cast<const Lorentz32*>(a);
    const auto* y = static_cast<const Lorentz32*>(b);
    return x->x0 * y->x0 - x->x1 * y->x1 - x->x2 * y->x2;
}

class StableSpace : public hnswlib::SpaceInterface<double> {
public:
    size_t get_data_size() override { return sizeof(Polar); }
    hnswlib::DISTFUNC<double> get_dist_func() override { return stable_dist; }
    void* get_dist_func_param() override { return nullptr; }
};

class LorentzSpace : public hnswlib::SpaceInterface<float> {
public:
    size_t get_data_size() override { return sizeof(Lorentz32); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return lorentz_dist; }
    void* get_dist_func_param() override { return nullptr; }
};

Lorentz32 lorentz32(DiskPoint z) {
    const Polar p = polar(z);
    const double s = std::sinh(p.r);
    return {static_cast<float>(std::cosh(p.r)), static_cast<float>(s * p.ux), static_cast<float>(s * p.uy)};
}

// Adds point i (for i in [0, n)) on `threads` workers.
template <class Add>
void add_all(std::size_t n, int threads, Add add) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next++) < n;) add(i);
    };
    std::vector<std::thread> pool;
    const int extra = std::max(0, std::min(threads, static_cast<int>(n / 256)) - 1);
    for (int t = 0; t < extra; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
}

}  // namespace

double stable_distance(DiskPoint a, DiskPoint b) { return std::acosh(std::max(1.0, stable_cosh(polar(a), polar(b)))); }

std::vector<DiskHit> exact_nearest(std::span<const DiskPoint> points, DiskPoint q, std::size_t k) {
    const Polar pq = polar(q);
    std::vector<std::pair<double, std::size_t>> all(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) all[i] = {stable_cosh(pq, polar(points[i])), i};
    k = std::min(k, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
    std::vector<DiskHit> out(k);
    for (std::size_t i = 0; i < k; ++i) out[i] = {all[i].second, std::acosh(std::max(1.0, all[i].first))};
    return out;
}

struct HyperbolicIndex::Impl {
    StableSpace stable_space;
    LorentzSpace lorentz_space;
    std::unique_ptr<hnswlib::HierarchicalNSW<double>> stable;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> lorentz;
};

HyperbolicIndex::~HyperbolicIndex() = default;

std::unique_ptr<HyperbolicIndex> HyperbolicIndex::build(std::span<const DiskPoint> points,
                                                        const HyperbolicIndexParams& params) {
    std::unique_ptr<HyperbolicIndex> out(new HyperbolicIndex());
    out->points_.assign(points.begin(), points.end());
    out->params_ = params;
    out->impl_ = std::make_unique<Impl>();
    Impl& im = *out->impl_;
    const std::size_t n = std::max<std::size_t>(1, points.size());
    const auto m = static_cast<std::size_t>(std::max(2, params.m));
    const auto efc = static_cast<std::size_t>(std::max(1, params.ef_construction));
    if (params.space == HyperbolicIndexParams::Space::Stable) {
        im.stable = std::make_unique<hnswlib::HierarchicalNSW<double>>(&im.stable_space, n, m, efc, params.seed);
        add_all(points.size(), params.threads, [&](std::size_t i) {
            const Polar p = polar(points[i]);
            im.stable->addPoint(&p, i);
        });
        im.stable->setEf(static_cast<std::size_t>(std::max(1, params.ef_search)));
    } else {
        im.lorentz = std::make_unique<hnswlib::HierarchicalNSW<float>>(&im.lorentz_space, n, m, efc, params.seed);
        add_all(points.size(), params.threads, [&](std::size_t i) {
            const Lorentz32 p = lorentz32(points[i]);
            im.lorentz->addPoint(&p, i);
        });
        im.lorentz->setEf(static_cast<std::size_t>(std::max(1, params.ef_search)));
    }
    return out;
}

std::vector<DiskHit> HyperbolicIndex::search(DiskPoint q, std::size_t k) const {
    k = std::min(k, points_.size());
    std::vector<DiskHit> out;
    if (k == 0) return out;
    // searchKnn searches with max(ef, k): a k above ef_search widens the search without writing
    // shared state (setEf is called once, at build).
    std::vector<std::size_t> found;
    if (impl_->stable) {
        const Polar p = polar(q);
        auto pq = impl_->stable->searchKnn(&p, k);
        while (!pq.empty()) {
            found.push_back(pq.top().second);
            pq.pop();
        }
    } else {
        const Lorentz32 p = lorentz32(q);
        auto pq = impl_->lorentz->searchKnn(&p, k);
        while (!pq.empty()) {
            found.push_back(pq.top().second);
            pq.pop();
        }
    }
    for (std::size_t id : found) out.push_back({id, stable_distance(points_[id], q)});
    std::sort(out.begin(), out.end(), [](const DiskHit& a, const DiskHit& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.point < b.point;
    });
    return out;
}

}  // namespace rv::hierarchy
