// How long the pair view waits for the engine's uncertain pairs (rv::uncertain_pairs, PairQueue.h)
// on a large library: per library size, the time of one queue of 10 pairs with the default sample
// (500 files, 8 neighbours each), without an adapter and with one active, and of the threshold
// refresh the view asks after each verdict (rv::duplicate_threshold_state, with marks on both
// sides). Prints a Markdown table; never passes or fails.
//
// usage: bench_pair_queue [--sizes 10000,100000] [--seed 1] [--dir DIR]
//
// The library is real (a catalog on disk, Library::open with the default model) but its features
// are synthetic, written straight into the catalog: random unit vectors, each tenth one a slightly
// disturbed copy of an earlier one (so there are candidates near any threshold). The adapter is
// random (rank 16): the queue's cost does not depend on what it learned.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/PairQueue.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "bench_pair_queue: %s\n", what.c_str());
    std::exit(1);
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Feature i: a random unit vector, or (every tenth) one of an earlier feature disturbed by noise
// of norm ~0.2; depends on seed and i only.
void feature(std::uint64_t seed, std::size_t i, int dim, float* out) {
    std::mt19937_64 rng(seed * 0x2545F4914F6CDD1Dull + (i % 10 == 9 ? i - 9 : i));
    std::normal_distribution<float> g;
    for (int k = 0; k < dim; ++k) out[k] = std::fabs(g(rng)) * 0.3f + g(rng);  // a shared mean direction, as CNN features have
    if (i % 10 == 9) {
        std::mt19937_64 noise(seed + i);
        for (int k = 0; k < dim; ++k) out[k] += 0.2f * g(noise);
    }
    double n = 0;
    for (int k = 0; k < dim; ++k) n += double(out[k]) * out[k];
    for (int k = 0; k < dim; ++k) out[k] = static_cast<float>(out[k] / std::sqrt(n));
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes{10000, 100000};
    std::uint64_t seed = 1;
    fs::path base = fs::temp_directory_path() / ("bench_pair_queue." + std::to_string(::getpid()));
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--sizes") {
            sizes.clear();
            for (std::size_t p = 0; p < v.size();) {
                const auto q = v.find(',', p);
                sizes.push_back(std::stoul(v.substr(p, q - p)));
                p = q == std::string::npos ? v.size() : q + 1;
            }
        } else if (k == "--seed") {
            seed = std::stoull(v);
        } else if (k == "--dir") {
            base = v;
        } else {
            fail("usage: bench_pair_queue [--sizes 10000,100000] [--seed 1] [--dir DIR]");
        }
    }
    std::printf("| features | queue s (no adapter) | pairs | sampled | threshold refresh s | queue s (adapter active) | "
                "pairs where they disagree |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const std::size_t n : sizes) {
        const fs::path dir = base / ("lib-" + std::to_string(n));
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
        {
            auto db = rv::CatalogDb::open(dir / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
            if (!db) fail(db.error().message);
            auto roots = db->roots();
            if (!roots || roots->empty()) fail("no root");
            std::vector<float> v(static_cast<std::size_t>(dim));
            for (std::size_t start = 0; start < n; start += 4096) {
                auto tx = db->begin();
                if (!tx) fail(tx.error().message);
                for (std::size_t i = start; i < std::min(n, start + 4096); ++i) {
                    auto seen = db->upsert_file_seen((*roots)[0].id, root.string() + "/f" + std::to_string(i) + ".jpg",
                                                     100000, 1);
                    if (!seen) fail(seen.error().message);
                    feature(seed, i, dim, v.data());
                    if (auto st = db->mark_indexed(seen->file_id, 640, 480, model_id, v.data(), dim); !st)
                        fail(st.error().message);
                }
                if (auto st = tx->commit(); !st) fail(st.error().message);
            }
            rv::LowRankAdapter adapter = rv::LowRankAdapter::initial(dim, 16, 16, seed);
            std::mt19937_64 rng(seed + 7);
            std::normal_distribution<float> g(0, 0.05f);
            for (auto& b : adapter.b) b = g(rng);
            rv::CatalogAdapter row;
            row.model_id = model_id;
            row.dim = dim;
            row.rank = adapter.rank;
            row.params = rv::serialize_adapter(adapter);
            row.reason = "bench_pair_queue: random";
            if (auto v1 = db->insert_adapter(row); !v1) fail(v1.error().message);
        }
        auto lib = rv::Library::open(dir, rv::LibraryAccess::Update);
        if (!lib) fail(lib.error().message);
        const std::atomic<bool> never{false};

        auto t = Clock::now();
        auto plain = rv::uncertain_pairs(**lib, {}, never);
        const double plain_s = seconds_since(t);
        if (!plain) fail(plain.error().message);
        // Verdicts on both sides, so the refresh learns the whitening and scores them.
        if (plain->pairs.size() < 2) fail("fewer than 2 pairs");
        for (std::size_t i = 0; i < 2; ++i)
            if (!rv::add_mark(**lib, plain->pairs[i].a, plain->pairs[i].b,
                              i == 0 ? rv::MarkVerdict::Same : rv::MarkVerdict::Different, rv::MarkSource::Pairs))
                fail("mark");
        t = Clock::now();
        auto state = rv::duplicate_threshold_state(**lib, never);
        const double refresh_s = seconds_since(t);
        if (!state || !state->calibrated) fail("the threshold is not calibrated by two verdicts");

        if (auto st = rv::activate_adapter(**lib, 1, never); !st) fail(st.error().message);
        t = Clock::now();
        auto adapted = rv::uncertain_pairs(**lib, {}, never);
        const double adapted_s = seconds_since(t);
        if (!adapted) fail(adapted.error().message);
        std::size_t disagree = 0;
        for (const auto& p : adapted->pairs) disagree += p.why == rv::PairReason::AdapterDisagrees;
        std::printf("| %zu | %.2f | %zu | %zu | %.2f | %.2f | %zu |\n", n, plain_s, plain->pairs.size(), plain->sampled,
                    refresh_s, adapted_s, disagree);
        std::fflush(stdout);
        lib->reset();
        fs::remove_all(dir);
    }
    fs::remove_all(base);
    return 0;
}
