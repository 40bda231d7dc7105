// Does ranking in a mixed-curvature product space (engine/src/hierarchy/MixedCurvature.h) beat
// the plain cosine? Fashion-MNIST t10k with the default model's features (bench_learning's pool
// and cache), split in two halves by a seeded shuffle: every map (how many coordinates go flat,
// how many to the ball and with what gain, the sphere's curvature) is scored on the first half
// ("choose": mAP@10 of its queries against the rest of that half) and the best is reported on the
// second half, with the cosine on the very same queries beside it. Queries: `--queries` per half
// (seeded). Prints the grid (choose half) and one Markdown line per figure.
//   bench_mixed_curvature [--fashion DIR] [--features FILE] [--threads N] [--seed S] [--queries Q]
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "hierarchy/MixedCurvature.h"
#include "learning/features.h"
#include "learning/retrieval.h"

namespace fs = std::filesystem;
namespace mx = rv::mixed;

namespace {

struct Half {
    std::vector<int> rows;     // pool rows in this half
    std::vector<int> queries;  // indices into rows
};

// One mapped point, split into its parts for a fast distance: the flat part, the ball part with
// its 1 - c|h|^2, the sphere part normalised to unit length.
struct Mapped {
    std::vector<double> e, h, s;
    double room = 1;
};

Mapped split(const mx::Space& space, const mx::Point& p)
{
    Mapped m;
    const auto a = static_cast<std::size_t>(space.euclidean), b = static_cast<std::size_t>(space.hyperbolic);
    m.e.assign(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(a));
    m.h.assign(p.begin() + static_cast<std::ptrdiff_t>(a), p.begin() + static_cast<std::ptrdiff_t>(a + b));
    m.s.assign(p.begin() + static_cast<std::ptrdiff_t>(a + b), p.end());
    double hh = 0, ss = 0;
    for (double v : m.h)
        hh += v * v;
    const double r = std::sqrt(space.c_h * hh);
    m.room = std::max((1 - r) * (1 + r), 2.2e-16);
    for (double v : m.s)
        ss += v * v;
    if (ss > 0)
        for (double& v : m.s)
            v /= std::sqrt(ss);
    return m;
}

// The same product distance as mx::distance (checked on a sample in main), without allocating.
double fast_distance(const mx::Space& space, const Mapped& x, const Mapped& y)
{
    double e = 0, u = 0, minus = 0, plus = 0;
    for (std::size_t i = 0; i < x.e.size(); ++i)
        e += (x.e[i] - y.e[i]) * (x.e[i] - y.e[i]);
    for (std::size_t i = 0; i < x.h.size(); ++i)
        u += (x.h[i] - y.h[i]) * (x.h[i] - y.h[i]);
    for (std::size_t i = 0; i < x.s.size(); ++i) {
        minus += (x.s[i] - y.s[i]) * (x.s[i] - y.s[i]);
        plus += (x.s[i] + y.s[i]) * (x.s[i] + y.s[i]);
    }
    const double sc = std::sqrt(space.c_h);
    const double dh = x.h.empty() ? 0 : 2.0 / sc * std::asinh(sc * std::sqrt(u) / std::sqrt(x.room * y.room));
    const double ds = x.s.empty() ? 0 : 2.0 * std::atan2(std::sqrt(minus), std::sqrt(plus)) / std::sqrt(space.c_s);
    return std::sqrt(e + dh * dh + ds * ds);
}

// mAP@10 of `half`'s queries against the rest of the half, ranked by `map`'s product distance
// (map empty: the cosine).
double score(const rvlearn::Pool& pool, const Half& half, const mx::FeatureMap* map, int threads)
{
    const int dim = pool.features.dim;
    const std::size_t n = half.rows.size();
    std::vector<Mapped> pts;
    mx::Space space;
    if (map) {
        space = mx::feature_space(*map, dim);
        pts.reserve(n);
        std::vector<mx::Point> check;
        for (int r : half.rows) {
            const mx::Point p = mx::from_feature(*map, std::span<const float>(pool.features.row(static_cast<std::size_t>(r)), static_cast<std::size_t>(dim)));
            pts.push_back(split(space, p));
            if (check.size() < 20)
                check.push_back(p);
        }
        for (std::size_t i = 0; i + 1 < check.size(); ++i) {
            const double want = mx::distance(space, check[i], check[i + 1]);
            const double got = fast_distance(space, pts[i], pts[i + 1]);
            if (std::abs(want - got) > 1e-9 * (1 + want)) {
                std::fprintf(stderr, "bench_mixed_curvature: the fast distance %.17g differs from mx::distance %.17g\n", got, want);
                std::exit(1);
            }
        }
    }
    std::vector<int> labels(n);
    std::vector<int> count(10, 0);
    for (std::size_t i = 0; i < n; ++i) {
        labels[i] = pool.labels[static_cast<std::size_t>(half.rows[i])];
        ++count[static_cast<std::size_t>(labels[i])];
    }
    std::vector<double> ap(half.queries.size(), 0.0);
    auto work = [&](std::size_t from, std::size_t to) {
        std::vector<std::pair<double, int>> d(n);
        for (std::size_t qi = from; qi < to; ++qi) {
            const auto q = static_cast<std::size_t>(half.queries[qi]);
            const float* fq = pool.features.row(static_cast<std::size_t>(half.rows[q]));
            for (std::size_t i = 0; i < n; ++i) {
                double v;
                if (map) {
                    v = fast_distance(space, pts[q], pts[i]);
                } else {
                    const float* fi = pool.features.row(static_cast<std::size_t>(half.rows[i]));
                    double dot = 0;
                    for (int j = 0; j < dim; ++j)
                        dot += static_cast<double>(fq[j]) * fi[j];
                    v = -dot;
                }
                d[i] = {v, static_cast<int>(i)};
            }
            d[q].first = INFINITY;  // the query itself is left out
            std::partial_sort(d.begin(), d.begin() + 10, d.end());
            std::vector<int> ranked;
            for (int k = 0; k < 10; ++k)
                ranked.push_back(d[static_cast<std::size_t>(k)].second);
            ap[qi] = rvlearn::ap10(ranked, labels, labels[q], count[static_cast<std::size_t>(labels[q])] - 1);
        }
    };
    std::vector<std::thread> pool_threads;
    const std::size_t per = (half.queries.size() + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
    for (int t = 0; t < threads; ++t) {
        const std::size_t from = std::min(half.queries.size(), per * static_cast<std::size_t>(t));
        const std::size_t to = std::min(half.queries.size(), from + per);
        pool_threads.emplace_back(work, from, to);
    }
    for (std::thread& t : pool_threads)
        t.join();
    return std::accumulate(ap.begin(), ap.end(), 0.0) / static_cast<double>(ap.size());
}

std::string describe(const mx::FeatureMap& m, int dim)
{
    const mx::Space s = mx::feature_space(m, dim);
    char buf[160];
    std::snprintf(buf, sizeof buf, "flat %d, ball %d (gain %.2g), sphere S^%d (c_s %.2g)", s.euclidean, s.hyperbolic, m.ball_gain,
                  s.spherical, m.c_s);
    return buf;
}

}  // namespace

int main(int argc, char** argv)
{
    fs::path fashion = "/usr/share/datasets/fashion-mnist";
    fs::path features = fs::exists("/tmp/bench-cache/learning-features.bin") ? fs::path("/tmp/bench-cache/learning-features.bin") : fs::path();
    int threads = 2, queries = 1000;
    std::uint64_t seed = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--fashion" && i + 1 < argc) fashion = argv[++i];
        else if (a == "--features" && i + 1 < argc) features = argv[++i];
        else if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::stoi(argv[++i]));
        else if (a == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
        else if (a == "--queries" && i + 1 < argc) queries = std::max(10, std::stoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: bench_mixed_curvature [--fashion DIR] [--features FILE] [--threads N] [--seed S] [--queries Q]\n");
            return 2;
        }
    }
    auto pool = rvlearn::load_pool(fashion, features, threads);
    if (!pool) {
        std::fprintf(stderr, "bench_mixed_curvature: %s\n", pool.error().message.c_str());
        return 1;
    }
    const int dim = pool->features.dim;
    const std::size_t total = pool->features.size();
    std::printf("# %zu Fashion-MNIST t10k features, %d dims, model %s%s; seed %llu, %d queries per half\n", total, dim,
                pool->model.c_str(), pool->from_cache ? " (cached)" : "", static_cast<unsigned long long>(seed), queries);

    std::vector<int> order(total);
    std::iota(order.begin(), order.end(), 0);
    rvlearn::Rng rng(seed);
    rng.shuffle(order);
    Half halves[2];
    for (std::size_t i = 0; i < total; ++i)
        halves[i * 2 < total ? 0 : 1].rows.push_back(order[i]);
    for (Half& h : halves) {
        std::vector<int> idx(h.rows.size());
        std::iota(idx.begin(), idx.end(), 0);
        rng.shuffle(idx);
        idx.resize(std::min<std::size_t>(idx.size(), static_cast<std::size_t>(queries)));
        h.queries = idx;
    }

    // The grid: quarters of the coordinates to the flat part and to the ball, the rest on the sphere.
    std::vector<mx::FeatureMap> grid;
    const int q = dim / 4;
    for (int a = 0; a <= 4; ++a)
        for (int b = 0; a + b <= 4; ++b) {
            const bool sphere = (4 - a - b) > 0;
            const std::vector<double> gains = b > 0 ? std::vector<double>{0.5, 1, 2, 4} : std::vector<double>{1};
            const std::vector<double> curvatures = sphere ? std::vector<double>{0.25, 1, 4} : std::vector<double>{1};
            for (double g : gains)
                for (double cs : curvatures) {
                    mx::FeatureMap m;
                    m.euclidean = a == 4 ? dim : a * q;
                    m.hyperbolic = a + b == 4 ? dim - m.euclidean : b * q;
                    m.ball_gain = g;
                    m.c_s = cs;
                    grid.push_back(m);
                }
        }
    const double cosine_choose = score(*pool, halves[0], nullptr, threads);
    std::printf("# choose half: cosine mAP@10 %.4f\n", cosine_choose);
    double best = -1;
    mx::FeatureMap chosen;
    for (const mx::FeatureMap& m : grid) {
        const double s = score(*pool, halves[0], &m, threads);
        std::printf("#   %-60s %.4f\n", describe(m, dim).c_str(), s);
        std::fflush(stdout);
        if (s > best) {
            best = s;
            chosen = m;
        }
    }
    const double cosine_report = score(*pool, halves[1], nullptr, threads);
    const double mixed_report = score(*pool, halves[1], &chosen, threads);
    std::printf("\n| ranking | mAP@10 (choose half) | mAP@10 (report half) |\n|---|---|---|\n");
    std::printf("| cosine | %.4f | %.4f |\n", cosine_choose, cosine_report);
    std::printf("| mixed curvature: %s | %.4f | %.4f |\n", describe(chosen, dim).c_str(), best, mixed_report);
    std::printf("\ndifference on the report half: %+.4f\n", mixed_report - cosine_report);
    return 0;
}
