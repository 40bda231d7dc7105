// Speed of the adapter's hot paths on synthetic unit features at dim 576 (prints medians; never
// pass/fail): the base retrain on 1000 marks at rank 16 (default TrainParams), the same continued
// with replay and EWC, apply_rows over 100k rows at rank 16, and the fast update on 50 recent
// pairs at rank 2. No threads: each figure is one core.
//   build/bin/bench_adapter [repeats=5]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// xorshift64*: deterministic, good enough for test vectors.
struct Rng {
    std::uint64_t s;
    double uniform() {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return static_cast<double>((s * 0x2545F4914F6CDD1Dull) >> 11) * 0x1.0p-53;
    }
    double normal() { return std::sqrt(-2 * std::log(1 - uniform())) * std::cos(6.283185307179586 * uniform()); }
};

// n unit rows of `classes` classes: a shared direction, a class direction, noise.
rv::FeatureMatrix features(std::size_t n, int dim, int classes, std::vector<int>& label) {
    Rng rng{42};
    rv::FeatureMatrix f;
    f.dim = dim;
    std::vector<double> v(static_cast<std::size_t>(dim));
    for (std::size_t i = 0; i < n; ++i) {
        const int c = static_cast<int>(i % static_cast<std::size_t>(classes));
        label.push_back(c);
        double norm = 0;
        for (int j = 0; j < dim; ++j) {
            v[static_cast<std::size_t>(j)] = (j == 0 ? 1.0 : 0.0) + (j == 1 + c ? 0.25 : 0.0) + 0.05 * rng.normal();
            norm += v[static_cast<std::size_t>(j)] * v[static_cast<std::size_t>(j)];
        }
        for (double x : v) f.rows.push_back(static_cast<float>(x / std::sqrt(norm)));
    }
    return f;
}

std::vector<rv::TrainingPair> pairs(const std::vector<int>& label, std::size_t count, std::uint64_t seed) {
    Rng rng{seed};
    std::vector<rv::TrainingPair> out;
    while (out.size() < count) {
        const auto a = static_cast<std::uint32_t>(rng.uniform() * static_cast<double>(label.size()));
        const auto b = static_cast<std::uint32_t>(rng.uniform() * static_cast<double>(label.size()));
        if (a != b) out.push_back({a, b, label[a] == label[b]});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const int dim = 576;
    std::vector<int> label;
    const rv::FeatureMatrix f = features(5000, dim, 8, label);
    const auto marks = pairs(label, 1000, 7), more = pairs(label, 1000, 8);
    const std::atomic<bool> cancel{false};

    std::vector<double> first, second;
    int steps1 = 0, steps2 = 0;
    for (int r = 0; r < repeats; ++r) {
        rv::AdapterTrainer trainer(dim, rv::TrainParams{});
        auto t0 = Clock::now();
        auto report = trainer.train(f, marks, cancel);
        first.push_back(seconds_since(t0));
        steps1 = report.ok() ? report->steps : -1;
        trainer.consolidate(f, marks);
        t0 = Clock::now();
        report = trainer.train(f, more, cancel);
        second.push_back(seconds_since(t0));
        steps2 = report.ok() ? report->steps : -1;
    }
    std::printf("train, 1000 marks, dim 576, rank 16 (defaults): %.3f s median (%d steps)\n", median(first), steps1);
    std::printf("  then 1000 more with replay + EWC:              %.3f s median (%d steps)\n", median(second), steps2);

    const std::size_t n = 100000;
    std::vector<float> x(n * dim), y(n * dim);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = f.rows[i % f.rows.size()];
    rv::LowRankAdapter ad = rv::LowRankAdapter::initial(dim, 16, 16, 3);
    for (auto& v : ad.b) v = 0.01f;
    std::vector<double> apply;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = Clock::now();
        ad.apply_rows(x.data(), y.data(), n);
        apply.push_back(seconds_since(t0));
    }
    std::printf("apply_rows, 100k x 576, rank 16:               %.3f s median\n", median(apply));

    const auto recent = pairs(label, 50, 9);
    rv::LowRankAdapter fast;
    std::vector<double> updates;
    for (int r = 0; r < 20 * repeats; ++r) {
        const auto t0 = Clock::now();
        fast = rv::update_fast_adapter(fast, f, recent, rv::FastUpdateParams{});
        updates.push_back(seconds_since(t0));
    }
    std::printf("update_fast_adapter, 50 pairs, dim 576, rank 2: %.2f ms median (min %.2f)\n", median(updates) * 1e3,
                *std::min_element(updates.begin(), updates.end()) * 1e3);
    return 0;
}
