// bench_adapter_swap's data and quality measures (adapter_swap_quality.h).
#include "adapter_swap_quality.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

#include "ruvision/engine/AdapterTraining.h"

namespace swapbench {

using Clock = std::chrono::steady_clock;

namespace {

void normalise(float* v, int dim) {
    double n = 0;
    for (int i = 0; i < dim; ++i) n += static_cast<double>(v[i]) * v[i];
    const float s = static_cast<float>(1.0 / std::sqrt(n));
    for (int i = 0; i < dim; ++i) v[i] *= s;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

Synthetic::Synthetic(int dim, std::uint64_t seed) : dim_(dim), seed_(seed), mean_(dim), centres_(1000 * std::size_t(dim)) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g;
    for (auto& x : mean_) x = std::fabs(g(rng));
    normalise(mean_.data(), dim);
    for (std::size_t c = 0; c < 1000; ++c) {
        float* v = &centres_[c * dim];
        for (int i = 0; i < dim; ++i) v[i] = 0.6f * mean_[i] + g(rng) / std::sqrt(float(dim));
        normalise(v, dim);
    }
}

int Synthetic::vector(std::uint64_t i, float* out) const {
    std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + i);
    std::normal_distribution<float> g;
    const int cluster = static_cast<int>(rng() % 1000);
    const float* c = &centres_[std::size_t(cluster) * dim_];
    for (int k = 0; k < dim_; ++k) out[k] = c[k] + 0.35f * g(rng) / std::sqrt(float(dim_));
    normalise(out, dim_);
    return cluster;
}

rv::LowRankAdapter trained_adapter(const Synthetic& gen, int dim, std::size_t rows, std::uint64_t seed) {
    rv::FeatureMatrix f;
    f.dim = dim;
    f.rows.resize(rows * std::size_t(dim));
    std::map<int, std::vector<std::uint32_t>> by_cluster;
    for (std::size_t i = 0; i < rows; ++i) by_cluster[gen.vector(i, &f.rows[i * dim])].push_back(std::uint32_t(i));
    std::vector<const std::vector<std::uint32_t>*> groups;
    for (const auto& [c, members] : by_cluster)
        if (members.size() >= 2) groups.push_back(&members);
    std::mt19937_64 rng(seed + 11);
    std::vector<rv::TrainingPair> pairs;
    while (pairs.size() < 1000) {
        const auto& g = *groups[rng() % groups.size()];
        const std::uint32_t a = g[rng() % g.size()];
        if (pairs.size() % 2 == 0) {
            const std::uint32_t b = g[rng() % g.size()];
            if (a != b) pairs.push_back({a, b, true});
        } else {
            const auto b = static_cast<std::uint32_t>(rng() % rows);
            if (std::find(g.begin(), g.end(), b) == g.end()) pairs.push_back({a, b, false});
        }
    }
    rv::TrainParams p;
    p.seed = seed;
    rv::AdapterTrainer trainer(dim, p, rv::LowRankAdapter::initial(dim, p.rank, p.alpha, seed));
    const std::atomic<bool> never{false};
    auto r = trainer.train(f, pairs, never);
    if (!r) {
        std::fprintf(stderr, "bench_adapter_swap: training failed: %s\n", r.error().message.c_str());
        std::exit(1);
    }
    return trainer.adapter();
}

rv::LowRankAdapter random_adapter(int dim, float sigma, std::uint64_t seed) {
    rv::LowRankAdapter a = rv::LowRankAdapter::initial(dim, 16, 16, seed);
    std::mt19937_64 rng(seed + 7);
    std::normal_distribution<float> g(0, sigma);
    for (auto& b : a.b) b = g(rng);
    return a;
}

std::vector<float> adapted_rows(const Synthetic& gen, int dim, std::size_t n, const rv::LowRankAdapter& adapter,
                                std::size_t first) {
    std::vector<float> x(n * std::size_t(dim)), y(x.size());
    for (std::size_t i = 0; i < n; ++i) gen.vector(first + i, &x[i * dim]);
    adapter.apply_rows(x.data(), y.data(), n);
    return y;
}

double mean_cosine(const Synthetic& gen, int dim, std::size_t n, const rv::LowRankAdapter& adapter) {
    std::vector<float> x(static_cast<std::size_t>(dim)), y(static_cast<std::size_t>(dim));
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        gen.vector(i, x.data());
        adapter.apply(x.data(), y.data());
        double d = 0;
        for (int k = 0; k < dim; ++k) d += double(x[k]) * y[k];
        sum += d;
    }
    return n ? sum / double(n) : 1.0;
}

double recall_at_10(const rv::VectorIndex& index, const rv::VectorIndex& exact, const std::vector<float>& queries,
                    int dim) {
    const std::size_t nq = queries.size() / std::size_t(dim);
    std::size_t found = 0, total = 0;
    for (std::size_t q = 0; q < nq; ++q) {
        const auto truth = exact.search(&queries[q * dim], 10);
        const auto got = index.search(&queries[q * dim], 10);
        for (const auto& t : truth) {
            ++total;
            found += std::any_of(got.begin(), got.end(), [&t](const rv::Hit& h) { return h.id == t.id; }) ? 1 : 0;
        }
    }
    return total ? double(found) / double(total) : 1.0;
}

std::unique_ptr<rv::HnswIndex> full_build(const std::vector<float>& rows, int dim, const std::string& model_id,
                                          double* seconds) {
    rv::HnswParams p;
    p.ef_search = 128;
    p.build_threads = 2;
    auto index = std::make_unique<rv::HnswIndex>(dim, model_id, p);
    const std::size_t n = rows.size() / std::size_t(dim);
    std::vector<std::int64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
    const auto t = Clock::now();
    if (auto st = index->add_batch(n, ids.data(), rows.data()); !st) {
        std::fprintf(stderr, "bench_adapter_swap: %s\n", st.error().message.c_str());
        std::exit(1);
    }
    *seconds = seconds_since(t);
    return index;
}

void sweep(const Synthetic& gen, const Synthetic& far_gen, int dim, std::size_t n, const rv::LowRankAdapter& trained,
           const rv::LowRankAdapter& strong) {
    const rv::LowRankAdapter identity = rv::LowRankAdapter::initial(dim, 1, 1, 0);  // B = 0
    double plain_s = 0;
    const auto plain = full_build(adapted_rows(gen, dim, n, identity), dim, "plain", &plain_s);
    std::printf("sweep at %zu features: plain build %.1f s\n\n", n, plain_s);
    std::printf("| adapter | mean cosine x, adapted x | rounds | fanout | reuse s | self-check recall@10 | "
                "recall@10 held-out | recall@10 far | full build s | full build recall@10 held-out | far |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    const struct {
        const char* name;
        const rv::LowRankAdapter* a;
    } adapters[] = {{"trained", &trained}, {"strong", &strong}};
    for (const auto& ad : adapters) {
        const auto rows = adapted_rows(gen, dim, n, *ad.a);
        rv::BruteForceIndex exact(dim, "exact");
        std::vector<std::int64_t> ids(n);
        for (std::size_t i = 0; i < n; ++i) ids[i] = std::int64_t(i);
        if (!exact.add_batch(n, ids.data(), rows.data())) std::exit(1);
        const auto queries = adapted_rows(gen, dim, 200, *ad.a, n);
        const auto far = adapted_rows(far_gen, dim, 200, *ad.a);
        double full_s = 0;
        const auto full = full_build(rows, dim, "full", &full_s);
        const double full_recall = recall_at_10(*full, exact, queries, dim);
        const double full_far = recall_at_10(*full, exact, far, dim);
        const double cosine = mean_cosine(gen, dim, std::min<std::size_t>(n, 2000), *ad.a);
        const int settings[][2] = {{0, 0}, {1, 8}, {1, 16}, {2, 16}};
        for (const auto& s : settings) {
            rv::GraphReuseParams rp;
            rp.relink_rounds = s[0];
            rp.fanout = s[1];
            const auto t = Clock::now();
            auto reused = plain->reuse_graph(
                "reused", [&ad](const float* in, float* out, std::size_t m) { ad.a->apply_rows(in, out, m); }, rp);
            const double reuse_s = seconds_since(t);
            if (!reused) {
                std::fprintf(stderr, "bench_adapter_swap: %s\n", reused.error().message.c_str());
                std::exit(1);
            }
            std::printf("| %s | %.4f | %d | %d | %.1f | %.3f | %.3f | %.3f | %.1f | %.3f | %.3f |\n", ad.name, cosine,
                        s[0], s[1], reuse_s, reused->self_recall, recall_at_10(*reused->index, exact, queries, dim),
                        recall_at_10(*reused->index, exact, far, dim), full_s, full_recall, full_far);
            std::fflush(stdout);
        }
    }
}

}  // namespace swapbench
