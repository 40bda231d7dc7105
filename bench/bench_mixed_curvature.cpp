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

// mAP@10 of `half`'s queries against the rest of the half, ranked by `map`'s product distance
// (map empty: the cosine).
double score(const rvlearn::Pool& pool, const Half& half, const mx::FeatureMap* map, int threads)
{
    const int dim = pool.features.dim;
    const std::size_t n = half.rows.size();
    std::vector<mx::Point> pts;
    mx::Space space;
    if (map) {
        space = mx::feature_space(*map, dim);
        pts.reserve(n);
        for (int r : half.rows)
            pts.push_back(mx::from_feature(*map, std::span<const float>(pool.features.row(static_cast<std::size_t>(r)), static_cast<std::size_t>(dim))));
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
                    v = mx::distance(space, pts[q], pts[i]);
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
