#include "hierarchy/HyperbolicIndex.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

// hnswlib's non-inline functions (cpuid, AVXCapable) are compiled only without
// NO_MANUAL_VECTORIZATION; with it, as here and in HnswIndex.cpp, the header holds only templates
// and inline code, so a second translation unit may include it.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

namespace rv::hierarchy {

namespace {

// A point as the Stable space keeps it: its coordinates, |z|, e^r and sinh r of its distance r
// from the centre (so that a comparison calls no transcendental function).
struct Polar {
    double x, y, a, e, s;
};

// 1 - |z|^2 to full relative precision near the rim, where it is all that is left of a point's
// distance from the centre: the squares in double-double (fma), then 1 - s, exact for s in [1/2, 1].
double one_minus_norm2(DiskPoint z) {
    const double x = z.real(), y = z.imag();
    const double p1 = x * x, e1 = std::fma(x, x, -p1);
    const double p2 = y * y, e2 = std::fma(y, y, -p2);
    const double s = p1 + p2;
    const double bp = s - p1;
    const double e3 = (p1 - (s - bp)) + (p2 - bp);  // s + e3 = p1 + p2 exactly
    return (1.0 - s) - (e1 + e2 + e3);
}

Polar polar(DiskPoint z) {
    const double a = std::abs(z);
    if (!(a > 0)) return {0.0, 0.0, 0.0, 1.0, 0.0};
    // r = 2 artanh |z| = log((1 + a)^2 / (1 - a^2)).
    const double rest = std::max(one_minus_norm2(z), 1e-300);
    const double r = 2.0 * std::log1p(a) - std::log(rest);
    return {z.real(), z.imag(), a, std::exp(r), std::sinh(r)};
}

// sin^2 of half the angle between two points seen from the centre, from the coordinates
// themselves: the cross product with Kahan's fma form (accurate where the directions nearly
// agree, the case a unit-vector difference would round away), sin^2(t/2) = sin^2 t / (2 (1 + cos t)).
double sin2_half_angle(const Polar& p, const Polar& q) {
    const double n = p.a * q.a;
    if (!(n > 0)) return 0.0;
    const double w = p.y * q.x;
    const double cross = std::fma(p.x, q.y, -w) + std::fma(-p.y, q.x, w);
    const double c = (p.x * q.x + p.y * q.y) / n, s = cross / n;
    return c >= 0 ? s * s / (2.0 * (1.0 + c)) : (1.0 - c) * 0.5;
}

// -<x, y>_L = cosh d = cosh(r1 - r2) + 2 sinh r1 sinh r2 sin^2(t / 2), every term >= 0;
// cosh(r1 - r2) = (e^r1 / e^r2 + e^r2 / e^r1) / 2.
double stable_cosh(const Polar& a, const Polar& b) {
    return 0.5 * (a.e / b.e + b.e / a.e) + 2.0 * a.s * b.s * sin2_half_angle(a, b);
}

// hnswlib keeps a point behind its links, 4-byte aligned only: copied out, never referenced in place.
double stable_dist(const void* a, const void* b, const void*) {
    Polar p, q;
    std::memcpy(&p, a, sizeof p);
    std::memcpy(&q, b, sizeof q);
    return stable_cosh(p, q);
}

// Float32 hyperboloid coordinates and the plain Lorentz product (cancels near the rim).
struct Lorentz32 {
    float x0, x1, x2;
};

float lorentz_dist(const void* a, const void* b, const void*) {
    Lorentz32 x, y;
    std::memcpy(&x, a, sizeof x);
    std::memcpy(&y, b, sizeof y);
    return x.x0 * y.x0 - x.x1 * y.x1 - x.x2 * y.x2;
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

// A double as float, saturating: a point pushed to the rim can have cosh r past float's range.
float saturate(double v) {
    constexpr double kMax = 3.4e38;
    return static_cast<float>(std::clamp(v, -kMax, kMax));
}

Lorentz32 lorentz32(DiskPoint z) {
    const Polar p = polar(z);
    const double s = p.a > 0 ? p.s / p.a : 0.0;
    return {saturate(0.5 * (p.e + 1.0 / p.e)), saturate(s * p.x), saturate(s * p.y)};
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
