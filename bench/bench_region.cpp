// Search by region: crops of 10-30 % (and 30-60 %) of a photo's area searched against a library of
// whole photos. Prints, per half of a seeded split of the originals (CHOOSE: where parameters
// are chosen; REPORT: where they are reported), R@1 and R@10 of
//   - "whole": the crop searched against each photo's one global descriptor (search() today);
//   - "region": the best of the global descriptor and the photo's regional descriptors
//     (RegionDescriptors.h), i.e. what Library::search_region ranks by;
// for several region layouts (the input side the regions are pooled from, the grid), with the
// cost of each: vectors per image, bytes per image (float32), time per image.
//
//   build/bin/bench_region [--half choose|report|both] [--layouts all|default] [--max N] [--no-cost]
//                          [--scores [--dump FILE]]   (i13-scores: shown scores through a real library,
//                          region_scores.h)
//
// The originals and their halves: i13-set's honest set (bench/retrieval/honest_set.h: every
// wallpaper package's pictures once, shorter side 640 px, split by original). The library holds
// every original; the queries are crops of the half's originals made with the engine's own
// ImageEdit::Crop (3 keeping 10-30 % of the area, 2 keeping 30-60 %, aspect jittered up to 1.25x),
// seeded per (original, crop). Then the cost of indexing with and without regions: the embedding
// stage of indexing (rv::embed_files on the original files at full size, decoding included, 2
// threads, the quarter-turned feature too, as Library::index runs it) and the region index's file.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "region/RegionDescriptors.h"
#include "region_scores.h"
#include "retrieval/honest_set.h"
#include "ruvision/engine/EmbedPool.h"
#include "ruvision/engine/ImageEdits.h"
#include "ruvision/engine/VectorIndex.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kSeed = 20261130;

struct Layout {
    std::string name;
    rv::RegionParams params;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

float dot(const float* a, const float* b, int n) {
    float s = 0;
    for (int i = 0; i < n; ++i) s += a[i] * b[i];
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::string half = "both", layouts_arg = "all";
    int max_originals = 0;
    bool cost = true, scores = false;
    std::string dump;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--half" && i + 1 < argc) half = argv[++i];
        else if (a == "--layouts" && i + 1 < argc) layouts_arg = argv[++i];
        else if (a == "--max" && i + 1 < argc) max_originals = std::atoi(argv[++i]);
        else if (a == "--no-cost") cost = false;
        else if (a == "--scores") scores = true;
        else if (a == "--dump" && i + 1 < argc) dump = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_region [--half choose|report|both] [--layouts all|default] [--max N] [--no-cost] [--scores [--dump FILE]]\n");
            return 2;
        }
    }
    auto model = rv::find_model();
    if (!model) return std::fprintf(stderr, "%s\n", model.error().message.c_str()), 1;
    auto emb = rv::Embedder::open(*model);
    if (!emb) return std::fprintf(stderr, "%s\n", emb.error().message.c_str()), 1;
    rv::Embedder& e = **emb;
    const int dim = e.dim();

    rvbench::HonestParams hp;
    hp.max_originals = max_originals;
    hp.verbose = false;
    auto set = rvbench::build_honest(rvbench::honest_sources("/usr/share/backgrounds", "/usr/share/wallpapers"), hp);
    if (!set) return std::fprintf(stderr, "%s\n", set.error().message.c_str()), 1;
    if (scores) return rvbench::region_scores(*set, half, 2, dump);
    const std::vector<rv::RgbImage>& originals = set->originals;
    const std::vector<std::string>& names = set->names;
    const int n = static_cast<int>(originals.size());
    std::vector<int> is_report(n);
    for (int i = 0; i < n; ++i) is_report[i] = set->half[i] == rvbench::Half::Report;

    // Global descriptors (what the library stores) and their time.
    std::vector<float> global(static_cast<std::size_t>(n) * dim);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        auto v = e.embed(originals[i]);
        if (!v) return std::fprintf(stderr, "%s: %s\n", names[i].c_str(), v.error().message.c_str()), 1;
        std::copy(v->begin(), v->end(), global.begin() + static_cast<std::ptrdiff_t>(i) * dim);
    }
    const double global_ms = 1000 * seconds_since(t0) / n;

    // Queries: 3 crops of 10-30 % and 2 of 30-60 % per original.
    struct Query {
        int original;
        bool small;
        std::vector<float> v;
    };
    std::vector<Query> queries;
    for (int i = 0; i < n; ++i)
        for (int q = 0; q < 5; ++q) {
            rv::EditRandom r(set->seed, static_cast<std::uint64_t>(i), 1000 + static_cast<std::uint64_t>(q));
            const bool small = q < 3;
            rv::EditRanges ranges;
            ranges.crop_area_min = small ? 0.10 : 0.30;
            ranges.crop_area_max = small ? 0.30 : 0.60;
            auto v = e.embed(rv::apply_edit(originals[i], rv::ImageEdit::Crop, r, ranges));
            if (!v) return std::fprintf(stderr, "%s: crop %d: %s\n", names[i].c_str(), q, v.error().message.c_str()), 1;
            queries.push_back({i, small, std::move(*v)});
        }

    std::vector<Layout> layouts;
    if (layouts_arg == "default") {
        layouts.push_back({"default (tiles 224 px, 4x60%)", rv::default_region_params()});
    } else {
        struct Try {
            const char* name;
            bool tiles;
            int side;
            std::vector<rv::RegionScale> scales;
        };
        const std::vector<Try> tries = {
            {"map 448 px, 4x60%+9x45%+16x30%", false, 448, {{0.6f, 2}, {0.45f, 3}, {0.3f, 4}}},
            {"tiles 224 px, 9x50%", true, 0, {{0.5f, 3}}},
            {"tiles 224 px, 4x60%", true, 0, {{0.6f, 2}}},
            {"tiles 160 px, 9x50%", true, 160, {{0.5f, 3}}},
            {"tiles 160 px, 4x60%", true, 160, {{0.6f, 2}}},
            {"tiles 128 px, 9x50%", true, 128, {{0.5f, 3}}},
            {"tiles 160 px, 4x60%+1x40%", true, 160, {{0.6f, 2}, {0.4f, 1}}},
        };
        for (const Try& t : tries) {
            rv::RegionParams p;
            p.tiles = t.tiles;
            p.side = t.side;
            p.tile_side = t.tiles ? t.side : 0;
            p.scales = t.scales;
            layouts.push_back({t.name, p});
        }
    }

    std::printf("%d originals of the honest set (CHOOSE %d, REPORT %d), %zu crop queries; global descriptor %.1f ms per image\n\n",
                n, set->count(rvbench::Half::Choose), set->count(rvbench::Half::Report), queries.size(), global_ms);
    std::printf("| half | layout | regions | KB / image | ms / image (regions) | 10-30 %%: whole R@1 / R@10 | region R@1 / R@10 | 30-60 %%: whole R@1 / R@10 | region R@1 / R@10 |\n");
    std::printf("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (const Layout& L : layouts) {
        const std::size_t nb = rv::region_boxes(L.params).size();
        std::vector<float> regions(static_cast<std::size_t>(n) * nb * dim);
        auto t1 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) {
            auto rv_ = rv::embed_regions(e, originals[i], L.params);
            if (!rv_) return std::fprintf(stderr, "%s: %s\n", names[i].c_str(), rv_.error().message.c_str()), 1;
            std::copy(rv_->data.begin(), rv_->data.end(), regions.begin() + static_cast<std::ptrdiff_t>(i * nb * dim));
        }
        const double region_ms = 1000 * seconds_since(t1) / n;
        for (int h = 0; h < 2; ++h) {
            if ((half == "choose" && h == 1) || (half == "report" && h == 0)) continue;
            // [small][whole/region][r1/r10], count
            double hits[2][2][2] = {}, count[2] = {};
            for (const Query& q : queries) {
                if (is_report[q.original] != h) continue;
                std::vector<float> whole(n), best(n);
                for (int i = 0; i < n; ++i) {
                    whole[i] = dot(q.v.data(), &global[static_cast<std::size_t>(i) * dim], dim);
                    best[i] = whole[i];
                    for (std::size_t b = 0; b < nb; ++b)
                        best[i] = std::max(best[i], dot(q.v.data(), &regions[(i * nb + b) * dim], dim));
                }
                for (int m = 0; m < 2; ++m) {
                    const auto& s = m == 0 ? whole : best;
                    int rank = 0;
                    for (int i = 0; i < n; ++i)
                        if (i != q.original && s[i] >= s[q.original]) ++rank;
                    hits[q.small ? 0 : 1][m][0] += rank < 1;
                    hits[q.small ? 0 : 1][m][1] += rank < 10;
                }
                count[q.small ? 0 : 1] += 1;
            }
            auto r = [&](int s, int m, int k) { return count[s] ? hits[s][m][k] / count[s] : 0.0; };
            std::printf("| %s | %s | %zu | %.1f | %.1f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |\n",
                        h ? "REPORT" : "CHOOSE", L.name.c_str(), nb, nb * dim * 4 / 1024.0, region_ms, r(0, 0, 0),
                        r(0, 0, 1), r(0, 1, 0), r(0, 1, 1), r(1, 0, 0), r(1, 0, 1), r(1, 1, 0), r(1, 1, 1));
            std::fflush(stdout);
        }
    }
    if (!cost) return 0;
    // The cost of indexing with regions: the embedding stage as Library::index runs it.
    std::vector<fs::path> files(names.begin(), names.end());
    std::printf("\nIndexing cost (%zu original files at full size, 2 threads, decoding included):\n\n", files.size());
    std::printf("| indexing | ms / image | regions / image | region index KB / image | catalog KB / image (regions) |\n|---|--:|--:|--:|--:|\n");
    for (int with = 0; with < 2; ++with) {
        rv::EmbedPoolParams pool;
        pool.threads = 2;
        pool.rotated = true;
        pool.regions = with == 1;
        rv::HnswIndex index(dim, "bench#regions");
        std::int64_t next = 0;
        std::size_t stored = 0;
        const std::atomic<bool> never{false};
        auto t = std::chrono::steady_clock::now();
        rv::embed_files(e, files, pool, never, [&](rv::EmbeddedFile&& f) {
            for (const auto& r : f.regions) (void)index.add(next++, r.vector.data());
            stored += f.regions.size();
        });
        const double ms = 1000 * seconds_since(t) / static_cast<double>(files.size());
        double kb = 0;
        if (with) {
            const fs::path tmp = fs::temp_directory_path() / "bench_region.rvi";
            if (auto st = index.save(tmp.string()); st) kb = static_cast<double>(fs::file_size(tmp)) / 1024.0 / files.size();
            fs::remove(tmp);
        }
        std::printf("| %s | %.1f | %.1f | %.1f | %.1f |\n", with ? "with regions (default)" : "without regions (before)", ms,
                    static_cast<double>(stored) / files.size(), kb, stored * (dim * 4.0 + 40) / 1024.0 / files.size());
        std::fflush(stdout);
    }
    return 0;
}