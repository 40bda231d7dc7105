// Search by region: crops of 10-30 % (and 30-60 %) of a photo's area searched against a library of
// whole photos. Prints, per half of a seeded split of the originals (CHOOSE: where parameters
// are chosen; REPORT: where they are reported), R@1 and R@10 of
//   - "whole": the crop searched against each photo's one global descriptor (search() today);
//   - "region": the best of the global descriptor and the photo's regional descriptors
//     (RegionDescriptors.h), i.e. what Library::search_region ranks by;
// for several region layouts (the input side the regions are pooled from, the grid), with the
// cost of each: vectors per image, bytes per image (float32), time per image.
//
//   build/bin/bench_region [--half choose|report|both] [--layouts all|default] [--sources FILE]
//
// The originals: every JPEG/PNG of /usr/share/backgrounds (top level), MATE's nature photos and the
// largest image of each Plasma wallpaper, decoded with their shorter side brought to 800 px; or the
// paths listed in FILE (one per line). Crops keep a uniform share of the area, the aspect
// jittered up to 1.25x, placed uniformly; seeded per (original, crop).
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
#include "retrieval/dataset.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kSeed = 20261130;

struct Rand {
    explicit Rand(std::uint32_t a, std::uint32_t b) {
        std::seed_seq s{kSeed, a, b};
        g.seed(s);
    }
    double unit() { return static_cast<double>(g() >> 8) * (1.0 / 16777216.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
    std::mt19937 g;
};

// A crop keeping `area` of the pixels, aspect ratio jittered up to 1.25x, placed uniformly.
rv::RgbImage crop(const rv::RgbImage& src, double area, Rand& r) {
    const double aspect = std::exp(r.uniform(-std::log(1.25), std::log(1.25)));
    const double fw = std::min(1.0, std::sqrt(area * aspect)), fh = std::min(1.0, area / fw);
    rv::RegionBox b;
    b.w = static_cast<float>(fw);
    b.h = static_cast<float>(fh);
    b.x = static_cast<float>(r.uniform(0, 1 - fw));
    b.y = static_cast<float>(r.uniform(0, 1 - fh));
    return rv::crop_image(src, b);
}

std::vector<fs::path> default_sources() {
    std::vector<fs::path> out = rvbench::neardup_sources("/usr/share/backgrounds/mate/nature", "/usr/share/wallpapers");
    for (const auto& e : fs::directory_iterator("/usr/share/backgrounds")) {
        const auto ext = e.path().extension();
        if (e.is_regular_file() && !e.is_symlink() && (ext == ".jpg" || ext == ".png")) out.push_back(e.path());
    }
    std::set<std::string> seen;
    std::vector<fs::path> unique;
    for (const auto& p : out)
        if (seen.insert(fs::canonical(p).string()).second) unique.push_back(p);
    std::sort(unique.begin(), unique.end());
    return unique;
}

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
    std::string half = "both", layouts_arg = "all", sources_file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--half" && i + 1 < argc) half = argv[++i];
        else if (a == "--layouts" && i + 1 < argc) layouts_arg = argv[++i];
        else if (a == "--sources" && i + 1 < argc) sources_file = argv[++i];
        else {
            std::fprintf(stderr, "usage: bench_region [--half choose|report|both] [--layouts all|default] [--sources FILE]\n");
            return 2;
        }
    }
    auto model = rv::find_model();
    if (!model) return std::fprintf(stderr, "%s\n", model.error().message.c_str()), 1;
    auto emb = rv::Embedder::open(*model);
    if (!emb) return std::fprintf(stderr, "%s\n", emb.error().message.c_str()), 1;
    rv::Embedder& e = **emb;
    const int dim = e.dim();

    std::vector<fs::path> sources;
    if (!sources_file.empty()) {
        std::ifstream in(sources_file);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) sources.emplace_back(line);
    } else {
        sources = default_sources();
    }
    std::vector<rv::RgbImage> originals;
    std::vector<std::string> names;
    for (const auto& p : sources) {
        rv::DecodeOptions opt;
        opt.min_side = 800;
        auto d = rv::decode_image(p, opt);
        if (!d) {
            std::fprintf(stderr, "skipped: %s\n", d.error().message.c_str());
            continue;
        }
        rv::RgbImage img = std::move(d->image);
        const int shorter = std::min(img.width, img.height);
        if (shorter > 800) {
            const double s = 800.0 / shorter;
            rv::RgbImage small;
            small.width = std::max(1, static_cast<int>(std::lround(img.width * s)));
            small.height = std::max(1, static_cast<int>(std::lround(img.height * s)));
            small.data.resize(static_cast<std::size_t>(small.width) * small.height * 3);
            cv::Mat src(img.height, img.width, CV_8UC3, img.data.data());
            cv::Mat dst(small.height, small.width, CV_8UC3, small.data.data());
            cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
            img = std::move(small);
        }
        originals.push_back(std::move(img));
        names.push_back(p.string());
    }
    const int n = static_cast<int>(originals.size());
    // The seeded split: each original's half from its own draw.
    std::vector<int> is_report(n);
    for (int i = 0; i < n; ++i) is_report[i] = Rand(static_cast<std::uint32_t>(i), 999).unit() < 0.5;

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
            Rand r(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(q));
            const bool small = q < 3;
            const double area = small ? r.uniform(0.10, 0.30) : r.uniform(0.30, 0.60);
            auto v = e.embed(crop(originals[i], area, r));
            if (!v) return std::fprintf(stderr, "%s: crop %d: %s\n", names[i].c_str(), q, v.error().message.c_str()), 1;
            queries.push_back({i, small, std::move(*v)});
        }

    std::vector<Layout> layouts;
    if (layouts_arg == "default") {
        layouts.push_back({"default", rv::default_region_params()});
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

    std::printf("%d originals (%s), %zu crop queries; global descriptor %.1f ms per image\n\n", n,
                sources_file.empty() ? "backgrounds, MATE nature, Plasma" : sources_file.c_str(), queries.size(),
                global_ms);
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
    return 0;
}
