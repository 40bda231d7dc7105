// Activating an adapter version on a large library: re-projection of every stored feature through
// the version, the new HNSW index built (2 threads) and saved, the catalog switched, the index
// swapped in (rv::activate_adapter, Learning.h), while another thread searches the library without
// pause. Prints, per library size, the activation's duration and the search latency (median, p99,
// max; Library::search of a vector, k = 10, catalog lookups included) before and during the swap,
// as a Markdown table; never passes or fails.
//
// usage: bench_adapter_swap [--sizes 10000,100000] [--seed 1] [--dir DIR]
//
// The library is real (a catalog on disk, Library::open with the default model) but its features
// are synthetic: unit vectors of the model's dimension around 1000 cluster centres that share a
// mean direction (as CNN features do), written straight into the catalog (no image is decoded).
// The adapter version is random (rank 16, alpha 16, B ~ N(0, 0.05^2)): re-projection costs the
// same whatever it learned. DIR (default: a fresh folder under /tmp) keeps one library per size.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    std::vector<std::size_t> sizes{10000, 100000};
    std::uint64_t seed = 1;
    fs::path dir;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--sizes") {
            a.sizes.clear();
            for (std::size_t p = 0; p <= v.size();) {
                const auto q = v.find(',', p);
                a.sizes.push_back(std::stoul(v.substr(p, q - p)));
                if (q == std::string::npos) break;
                p = q + 1;
            }
        } else if (k == "--seed") {
            a.seed = std::stoull(v);
        } else if (k == "--dir") {
            a.dir = v;
        } else {
            std::fprintf(stderr, "usage: bench_adapter_swap [--sizes 10000,100000] [--seed 1] [--dir DIR]\n");
            std::exit(2);
        }
    }
    if (a.dir.empty()) a.dir = fs::temp_directory_path() / ("bench_adapter_swap." + std::to_string(::getpid()));
    return a;
}

void normalise(float* v, int dim) {
    double n = 0;
    for (int i = 0; i < dim; ++i) n += static_cast<double>(v[i]) * v[i];
    const float s = static_cast<float>(1.0 / std::sqrt(n));
    for (int i = 0; i < dim; ++i) v[i] *= s;
}

// Clustered unit vectors sharing a mean direction; vector i depends on seed and i only.
class Synthetic {
public:
    Synthetic(int dim, std::uint64_t seed) : dim_(dim), seed_(seed), mean_(dim), centres_(1000 * std::size_t(dim)) {
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
    void vector(std::uint64_t i, float* out) const {
        std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + i);
        std::normal_distribution<float> g;
        const float* c = &centres_[(rng() % 1000) * dim_];
        for (int k = 0; k < dim_; ++k) out[k] = c[k] + 0.35f * g(rng) / std::sqrt(float(dim_));
        normalise(out, dim_);
    }

private:
    int dim_;
    std::uint64_t seed_;
    std::vector<float> mean_, centres_;
};

void fail(const std::string& what) {
    std::fprintf(stderr, "bench_adapter_swap: %s\n", what.c_str());
    std::exit(1);
}

struct Latency {
    std::size_t n = 0;
    double median = 0, p99 = 0, max = 0;  // ms
};

Latency summarise(std::vector<double> ms) {
    Latency l;
    l.n = ms.size();
    if (ms.empty()) return l;
    std::sort(ms.begin(), ms.end());
    l.median = ms[ms.size() / 2];
    l.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    l.max = ms.back();
    return l;
}

// Searches the queries round-robin until `stop`; each search's milliseconds go to `out`.
void search_loop(rv::Library& lib, const std::vector<std::vector<float>>& queries, const std::atomic<bool>& stop,
                 std::vector<double>* out, std::atomic<int>* errors) {
    for (std::size_t i = 0; !stop; ++i) {
        const auto t = Clock::now();
        auto r = lib.search(queries[i % queries.size()], 10);
        out->push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        if (!r || r->empty()) ++*errors;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parse(argc, argv);
    std::printf("| features | write catalog s | first open (plain index rebuilt) s | activation s | searches during | "
                "median ms before | p99 ms before | median ms during | p99 ms during | max ms during | failed |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const std::size_t n : args.sizes) {
        const fs::path dir = args.dir / ("lib-" + std::to_string(n));
        const fs::path root = dir / "photos";
        fs::remove_all(dir);
        fs::create_directories(root);
        std::string model_id;
        int dim = 0;
        {
            auto lib = rv::Library::open(dir, rv::LibraryAccess::Create);
            if (!lib) fail(lib.error().message);
            model_id = (*lib)->model_id();
            dim = (*lib)->embedder().dim();
            if (auto r = (*lib)->add_root(root); !r) fail(r.error().message);
        }
        // The features, straight into the catalog.
        const auto t_write = Clock::now();
        {
            auto db = rv::CatalogDb::open(dir / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
            if (!db) fail(db.error().message);
            auto roots = db->roots();
            if (!roots || roots->empty()) fail("no root");
            const Synthetic gen(dim, args.seed);
            std::vector<float> v(static_cast<std::size_t>(dim));
            for (std::size_t start = 0; start < n; start += 4096) {
                auto tx = db->begin();
                if (!tx) fail(tx.error().message);
                for (std::size_t i = start; i < std::min(n, start + 4096); ++i) {
                    char name[32];
                    std::snprintf(name, sizeof name, "/f%07zu.jpg", i);
                    auto seen = db->upsert_file_seen((*roots)[0].id, root.string() + name, 100000, 1);
                    if (!seen) fail(seen.error().message);
                    gen.vector(i, v.data());
                    if (auto st = db->mark_indexed(seen->file_id, 640, 480, model_id, v.data(), dim); !st)
                        fail(st.error().message);
                }
                if (auto st = tx->commit(); !st) fail(st.error().message);
            }
            rv::LowRankAdapter adapter = rv::LowRankAdapter::initial(dim, 16, 16, args.seed);
            std::mt19937_64 rng(args.seed + 7);
            std::normal_distribution<float> g(0, 0.05f);
            for (auto& b : adapter.b) b = g(rng);
            rv::CatalogAdapter row;
            row.model_id = model_id;
            row.dim = dim;
            row.rank = adapter.rank;
            row.params = rv::serialize_adapter(adapter);
            row.reason = "bench_adapter_swap: random";
            if (auto v1 = db->insert_adapter(row); !v1) fail(v1.error().message);
        }
        const double write_s = std::chrono::duration<double>(Clock::now() - t_write).count();

        const auto t_open = Clock::now();
        auto lib = rv::Library::open(dir, rv::LibraryAccess::Update);
        if (!lib) fail(lib.error().message);
        const double open_s = std::chrono::duration<double>(Clock::now() - t_open).count();

        const Synthetic queries_gen(dim, args.seed + 1000);
        std::vector<std::vector<float>> queries(200, std::vector<float>(static_cast<std::size_t>(dim)));
        for (std::size_t i = 0; i < queries.size(); ++i) queries_gen.vector(i, queries[i].data());

        // Before: two seconds of searches with no version active.
        std::atomic<bool> stop{false};
        std::atomic<int> errors{0};
        std::vector<double> before, during;
        {
            std::thread t(search_loop, std::ref(**lib), std::cref(queries), std::cref(stop), &before, &errors);
            std::this_thread::sleep_for(std::chrono::seconds(2));
            stop = true;
            t.join();
        }
        // During: the same, while version 1 is activated on this thread.
        stop = false;
        std::thread t(search_loop, std::ref(**lib), std::cref(queries), std::cref(stop), &during, &errors);
        const std::atomic<bool> never{false};
        const auto t_act = Clock::now();
        auto st = rv::activate_adapter(**lib, 1, never);
        const double act_s = std::chrono::duration<double>(Clock::now() - t_act).count();
        stop = true;
        t.join();
        if (!st) fail(st.error().message);
        if ((*lib)->active_adapter()->version != 1) fail("version 1 is not active after the swap");
        const Latency b = summarise(before), d = summarise(during);
        std::printf("| %zu | %.1f | %.1f | %.1f | %zu | %.2f | %.2f | %.2f | %.2f | %.1f | %d |\n", n, write_s, open_s,
                    act_s, d.n, b.median, b.p99, d.median, d.p99, d.max, errors.load());
        std::fflush(stdout);
        lib->reset();
        fs::remove_all(dir);
    }
    fs::remove_all(args.dir);
    return 0;
}
