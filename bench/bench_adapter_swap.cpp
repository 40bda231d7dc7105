// Activating an adapter version on a large library: re-projection of every stored feature through
// the version (the plain index's graph reused and re-linked, or a new HNSW index built on 2
// threads when the reused graph fails its self-check), saved, the catalog switched, the index
// swapped in (rv::activate_adapter, Learning.h), while another thread searches the library without
// pause. Prints, per library size and adapter, the activation's duration, the search latency
// (median, p99, max; Library::search of a vector, k = 10, catalog lookups included) before and
// during the swap, and the quality: recall@10 of the active index for 200 held-out queries (more
// vectors of the library's distribution, not in it) against
// an exact scan of the adapted vectors, beside that of a full HNSW build of the same vectors
// (M 16, ef_construction 200, ef_search 128, as the engine builds one), as a Markdown table; never
// passes or fails.
//
// usage: bench_adapter_swap [--sizes 10000,100000] [--seed 1] [--dir DIR] [--full 0|1]
//        bench_adapter_swap --sweep N [--seed 1]   (reuse_graph's settings at N features)
//
// The library is real (a catalog on disk, Library::open with the default model) but its features
// are synthetic: unit vectors of the model's dimension around 1000 cluster centres that share a
// mean direction (as CNN features do), written straight into the catalog (no image is decoded).
// Two adapter versions: "trained" (AdapterTrainer with the engine's defaults on 1000 cluster marks
// among the first 3000 features: the strength a person's marks give) and "strong" (random, rank
// 16, alpha 16, B ~ N(0, S^2), --sigma S, default 0.3: a mean cosine of about 0.68 between a
// feature and its image, which reproject() builds anew rather than reuse the graph for).
// --full 0 skips the comparison builds. DIR (default: a fresh folder under /tmp) keeps one library
// per size.
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

#include "adapter_swap_quality.h"
#include "synthetic_library.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using swapbench::Synthetic;

namespace {

struct Args {
    std::vector<std::size_t> sizes{10000, 100000};
    std::uint64_t seed = 1;
    fs::path dir;
    bool full = true;
    std::size_t sweep = 0;
    float sigma = 0.3f;  // the strong adapter's B entries' standard deviation
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
        } else if (k == "--full") {
            a.full = v != "0";
        } else if (k == "--sweep") {
            a.sweep = std::stoul(v);
        } else if (k == "--sigma") {
            a.sigma = std::stof(v);
        } else {
            std::fprintf(stderr, "usage: bench_adapter_swap [--sizes 10000,100000] [--seed 1] [--dir DIR] [--full 0|1] [--sigma S]\n"
                                 "       bench_adapter_swap --sweep N [--seed 1] [--sigma S]\n");
            std::exit(2);
        }
    }
    if (a.dir.empty()) a.dir = fs::temp_directory_path() / ("bench_adapter_swap." + std::to_string(::getpid()));
    return a;
}

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

// Inserts `adapter` as a version of the library's catalog; returns its number.
std::int64_t insert_version(rv::CatalogDb& db, const std::string& model_id, const rv::LowRankAdapter& adapter,
                            const char* reason) {
    rv::CatalogAdapter row;
    row.model_id = model_id;
    row.dim = adapter.dim;
    row.rank = adapter.rank;
    row.params = rv::serialize_adapter(adapter);
    row.reason = reason;
    auto v = db.insert_adapter(row);
    if (!v) fail(v.error().message);
    return *v;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parse(argc, argv);
    if (args.sweep > 0) {
        const int dim = 576;  // the default model's
        const Synthetic gen(dim, args.seed), far(dim, args.seed + 1000);
        swapbench::sweep(gen, far, dim, args.sweep, swapbench::trained_adapter(gen, dim, 3000, args.seed),
                         swapbench::random_adapter(dim, args.sigma, args.seed));
        return 0;
    }
    std::printf("| features | adapter | mean cosine x, adapted x | activation s | index | searches during | "
                "median ms before | p99 ms before | median ms during | p99 ms during | max ms during | failed | "
                "recall@10 held-out | recall@10 far | full build s | full build recall@10 held-out | far |\n");
    std::printf("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    std::vector<std::string> notes;
    for (const std::size_t n : args.sizes) {
        const fs::path dir = args.dir / ("lib-" + std::to_string(n));
        auto made = benchlib::create_library(dir, dir / "photos");
        if (!made) fail(made.error().message);
        const std::string model_id = made->model_id;
        const int dim = made->dim;
        const Synthetic gen(dim, args.seed);
        const rv::LowRankAdapter adapters[] = {swapbench::trained_adapter(gen, dim, std::min<std::size_t>(n, 3000), args.seed),
                                               swapbench::random_adapter(dim, args.sigma, args.seed)};
        const char* names[] = {"trained", "strong"};
        std::int64_t versions[2] = {0, 0};
        // The features, straight into the catalog.
        const auto t_write = Clock::now();
        auto written = benchlib::write_synthetic_files(
            dir, *made, n, 640, 480,
            [&gen](std::size_t i, const std::string& root, float* feature) -> rv::Result<benchlib::SyntheticFile> {
                char name[32];
                std::snprintf(name, sizeof name, "/f%07zu.jpg", i);
                gen.vector(i, feature);
                benchlib::SyntheticFile f;
                f.path = root + name;
                f.size = 100000;
                f.mtime_ns = 1;
                return f;
            });
        if (!written) fail(written.error().message);
        {
            auto db = rv::CatalogDb::open(dir / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
            if (!db) fail(db.error().message);
            versions[0] = insert_version(*db, model_id, adapters[0], "bench_adapter_swap: trained on cluster marks");
            versions[1] = insert_version(*db, model_id, adapters[1], "bench_adapter_swap: random, strong");
        }
        const double write_s = std::chrono::duration<double>(Clock::now() - t_write).count();

        const auto t_open = Clock::now();
        auto lib = rv::Library::open(dir, rv::LibraryAccess::Update);
        if (!lib) fail(lib.error().message);
        const double open_s = std::chrono::duration<double>(Clock::now() - t_open).count();
        notes.push_back(std::to_string(n) + " features: catalog written in " + std::to_string(write_s) +
                        " s, first open (plain index built) " + std::to_string(open_s) + " s");

        const Synthetic queries_gen(dim, args.seed + 1000);
        std::vector<std::vector<float>> queries(200, std::vector<float>(static_cast<std::size_t>(dim)));
        for (std::size_t i = 0; i < queries.size(); ++i) queries_gen.vector(i, queries[i].data());

        // Before: two seconds of searches with no version active.
        std::atomic<bool> stop{false};
        std::atomic<int> errors{0};
        std::vector<double> before;
        {
            std::thread t(search_loop, std::ref(**lib), std::cref(queries), std::cref(stop), &before, &errors);
            std::this_thread::sleep_for(std::chrono::seconds(2));
            stop = true;
            t.join();
        }
        const Latency b = summarise(before);
        for (int a = 0; a < 2; ++a) {
            // During: the same, while the version is activated on this thread.
            std::vector<double> during;
            errors = 0;
            stop = false;
            std::thread t(search_loop, std::ref(**lib), std::cref(queries), std::cref(stop), &during, &errors);
            const std::atomic<bool> never{false};
            const auto t_act = Clock::now();
            auto st = rv::activate_adapter(**lib, versions[a], never);
            const double act_s = std::chrono::duration<double>(Clock::now() - t_act).count();
            stop = true;
            t.join();
            if (!st) fail(st.error().message);
            const auto active = (*lib)->active_adapter();
            if (active->version != versions[a]) fail("the version is not active after the swap");
            const Latency d = summarise(during);
            // Quality: the active index and a full build against an exact scan of the adapted vectors,
            // for held-out queries (200 more vectors of the library's distribution, not in it) and
            // far ones (the latency loop's: other cluster centres).
            const auto rows = swapbench::adapted_rows(gen, dim, n, adapters[a]);
            const auto held_out = swapbench::adapted_rows(gen, dim, 200, adapters[a], n);
            const auto far = swapbench::adapted_rows(queries_gen, dim, 200, adapters[a]);
            std::vector<std::int64_t> ids(n);
            {
                // The catalog's ids of the features, in the order they were written.
                auto db = rv::CatalogDb::open(dir / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
                if (!db) fail(db.error().message);
                std::size_t i = 0;
                auto each = db->for_each_feature(model_id, [&](std::int64_t id, const float*, int) {
                    if (i < n) ids[i++] = id;
                    return true;
                });
                if (!each || i != n) fail("cannot read the catalog's feature ids");
            }
            rv::BruteForceIndex exact(dim, "exact");
            if (auto s2 = exact.add_batch(n, ids.data(), rows.data()); !s2) fail(s2.error().message);
            char full[64] = "- | - | -";
            if (args.full) {
                double full_s = 0;
                // The full build numbers rows 0..n-1; the exact scan with these ids is the truth for it.
                auto built = swapbench::full_build(rows, dim, "full", &full_s);
                rv::BruteForceIndex exact_rows(dim, "exact");
                std::vector<std::int64_t> seq(n);
                for (std::size_t i = 0; i < n; ++i) seq[i] = std::int64_t(i);
                if (auto s3 = exact_rows.add_batch(n, seq.data(), rows.data()); !s3) fail(s3.error().message);
                std::snprintf(full, sizeof full, "%.1f | %.3f | %.3f", full_s,
                              swapbench::recall_at_10(*built, exact_rows, held_out, dim),
                              swapbench::recall_at_10(*built, exact_rows, far, dim));
            }
            const bool reused = active->state.find("graph reused") != std::string::npos;
            std::printf("| %zu | %s | %.4f | %.1f | %s | %zu | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %.3f | %.3f | %s |\n",
                        n, names[a], swapbench::mean_cosine(gen, dim, std::min<std::size_t>(n, 2000), adapters[a]),
                        act_s, reused ? "reused" : "built", d.n, b.median, b.p99, d.median, d.p99, d.max,
                        errors.load(), swapbench::recall_at_10(*active->index, exact, held_out, dim),
                        swapbench::recall_at_10(*active->index, exact, far, dim), full);
            std::fflush(stdout);
            notes.push_back(std::to_string(n) + " " + names[a] + ": " + active->state);
        }
        lib->reset();
        fs::remove_all(dir);
    }
    std::printf("\n");
    for (const auto& note : notes) std::printf("- %s\n", note.c_str());
    fs::remove_all(args.dir);
    return 0;
}
