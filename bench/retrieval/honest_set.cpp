#include "retrieval/honest_set.h"
#include "retrieval/distinct_files.h"

#include <utility>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "ruvision/engine/PixelVerify.h"

namespace rvbench {

namespace fs = std::filesystem;

namespace {

std::string lower_ext(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

bool is_photo(const fs::path& p) {
    const std::string e = lower_ext(p);
    return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".webp";
}

// Pixels a Plasma file name announces ("5120x2880.png"), 0 if it does not.
long long named_pixels(const fs::path& p) {
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(p.stem().c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w <= 0 || h <= 0) return 0;
    return static_cast<long long>(w) * h;
}

// The largest image of a Plasma images folder, or an empty path.
fs::path largest_in(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return {};
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && is_photo(e.path())) files.push_back(e.path());
    std::sort(files.begin(), files.end());  // ties go to the first name
    fs::path best;
    long long best_px = -1;
    std::uintmax_t best_bytes = 0;
    for (const auto& f : files) {
        const long long px = named_pixels(f);
        const std::uintmax_t bytes = fs::file_size(f, ec);
        if (ec) continue;
        if (px > best_px || (px == best_px && bytes > best_bytes)) {
            best = f;
            best_px = px;
            best_bytes = bytes;
        }
    }
    return best;
}

rv::RgbImage shrink(rv::RgbImage img, int side) {
    const int shorter = std::min(img.width, img.height);
    if (shorter <= side) return img;
    const double s = static_cast<double>(side) / shorter;
    const int w = img.width == shorter ? side : static_cast<int>(std::lround(img.width * s));
    const int h = img.height == shorter ? side : static_cast<int>(std::lround(img.height * s));
    const cv::Mat in(img.height, img.width, CV_8UC3, img.data.data());
    cv::Mat out;
    cv::resize(in, out, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    rv::RgbImage r;
    r.width = w;
    r.height = h;
    r.data.assign(out.data, out.data + static_cast<std::size_t>(w) * h * 3);
    return r;
}

}  // namespace

const char* half_name(Half h) { return h == Half::Choose ? "CHOOSE" : "REPORT"; }

const std::vector<rv::ImageEdit>& combined_edit_pool() {
    using E = rv::ImageEdit;
    static const std::vector<rv::ImageEdit> pool = {E::Crop, E::Rotate, E::Mirror, E::Jitter,
                                                    E::Grey, E::Blur,   E::Caption, E::Jpeg};
    return pool;
}

rv::RgbImage HonestSet::query_image(int q) const {
    const HonestQuery& hq = queries[static_cast<std::size_t>(q)];
    rv::EditRandom r(seed, static_cast<std::uint64_t>(hq.original), static_cast<std::uint64_t>(hq.slot));
    const rv::RgbImage& src = originals[static_cast<std::size_t>(hq.original)];
    if (hq.single()) return rv::apply_edit(src, hq.edits.front(), r);
    (void)rv::draw_edits(r, 2 + r.below(2), combined_edit_pool());  // the draw build_honest made
    return rv::apply_edits(src, hq.edits, r);
}

int HonestSet::count(Half h) const { return static_cast<int>(std::count(half.begin(), half.end(), h)); }

std::vector<fs::path> honest_sources(const fs::path& backgrounds, const fs::path& wallpapers) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (fs::is_directory(backgrounds, ec))
        for (auto it = fs::recursive_directory_iterator(backgrounds, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec) && is_photo(it->path())) out.push_back(it->path());
    if (fs::is_directory(wallpapers, ec))
        for (const auto& folder : fs::directory_iterator(wallpapers, ec))
            for (const char* sub : {"images", "images_dark"})
                if (fs::path best = largest_in(folder.path() / "contents" / sub); !best.empty()) out.push_back(best);
    return sorted_distinct_files(std::move(out));  // the same file reached twice is one original
}

rv::Result<HonestSet> build_honest(const std::vector<fs::path>& sources, const HonestParams& params) {
    HonestSet set;
    set.working_side = params.working_side;
    set.seed = params.seed;
    std::vector<rv::PixelSignature> sigs;
    for (const auto& path : sources) {
        rv::DecodeOptions opt;
        opt.min_side = params.working_side;
        auto dec = rv::decode_image(path, opt);
        if (!dec) {
            if (params.verbose) std::fprintf(stderr, "honest set: skipping %s\n", dec.error().message.c_str());
            continue;
        }
        rv::RgbImage img = shrink(std::move(dec->image), params.working_side);
        rv::PixelSignature sig =
            rv::pixel_signature(img, std::min(dec->original_width, dec->original_height));
        // One picture packaged twice (or at two sizes) is one original.
        bool merged = false;
        for (std::size_t k = 0; k < sigs.size() && !merged; ++k) {
            const rv::PixelVerdict v = rv::compare_pixels(sigs[k], sig);
            if (!v.same()) continue;
            merged = true;
            char why[160];
            std::snprintf(why, sizeof why, "structure %.3f, colour difference %.2f", v.structure, v.colour_diff);
            set.merged.push_back(set.names[k] + " <= " + path.string() + " (" + why + ")");
            if (params.verbose) std::fprintf(stderr, "honest set: same picture: %s\n", set.merged.back().c_str());
        }
        if (merged) continue;
        sigs.push_back(std::move(sig));
        set.names.push_back(path.string());
        set.originals.push_back(std::move(img));
        if (params.max_originals > 0 && static_cast<int>(set.originals.size()) >= params.max_originals) break;
    }
    const int n = static_cast<int>(set.originals.size());
    if (n == 0) return rv::Error{"honest set: no original decoded (install the wallpaper packages, packaging/quickstart.sh)"};

    // The split: a seeded Fisher-Yates shuffle of the originals; the first half chooses.
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    rv::EditRandom split(params.seed, 0x5157u, 0);
    for (int i = n - 1; i > 0; --i) std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(split.below(i + 1))]);
    set.half.assign(static_cast<std::size_t>(n), Half::Report);
    for (int i = 0; i < n / 2; ++i) set.half[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = Half::Choose;

    for (int o = 0; o < n; ++o) {
        for (int e = 0; e < rv::kImageEditCount; ++e)
            set.queries.push_back({o, e, {static_cast<rv::ImageEdit>(e)}});
        for (int k = 0; k < params.combined_per_original; ++k) {
            const int slot = rv::kImageEditCount + k;
            rv::EditRandom r(params.seed, static_cast<std::uint64_t>(o), static_cast<std::uint64_t>(slot));
            set.queries.push_back({o, slot, rv::draw_edits(r, 2 + r.below(2), combined_edit_pool())});
        }
    }
    return set;
}

std::vector<int> right_ranks(const HonestSet& set, const std::vector<float>& sim) {
    const std::size_t n = set.originals.size();
    std::vector<int> ranks;
    ranks.reserve(set.queries.size());
    for (std::size_t q = 0; q < set.queries.size(); ++q) {
        const float* row = sim.data() + q * n;
        const int right = set.queries[q].original;
        int rank = 1;
        for (int o = 0; o < static_cast<int>(n); ++o)
            if (row[o] > row[right] || (row[o] == row[right] && o < right)) ++rank;
        ranks.push_back(rank);
    }
    return ranks;
}

HonestScore honest_score(const HonestSet& set, const std::vector<int>& ranks) {
    HonestScore s;
    int single_total[2][rv::kImageEditCount] = {}, single_hits[2][rv::kImageEditCount] = {};
    int comb_hits1[2] = {}, comb_hits10[2] = {};
    for (std::size_t q = 0; q < set.queries.size(); ++q) {
        const HonestQuery& hq = set.queries[q];
        const int h = static_cast<int>(set.half[static_cast<std::size_t>(hq.original)]);
        if (hq.single()) {
            ++single_total[h][hq.slot];
            single_hits[h][hq.slot] += ranks[q] == 1;
        } else {
            ++s.half[h].combined_queries;
            comb_hits1[h] += ranks[q] == 1;
            comb_hits10[h] += ranks[q] <= 10;
        }
    }
    for (int h = 0; h < 2; ++h) {
        for (int e = 0; e < rv::kImageEditCount; ++e)
            s.half[h].single_r1.push_back(single_total[h][e] ? double(single_hits[h][e]) / single_total[h][e] : 0.0);
        const int c = s.half[h].combined_queries;
        s.half[h].combined_r1 = c ? double(comb_hits1[h]) / c : 0.0;
        s.half[h].combined_r10 = c ? double(comb_hits10[h]) / c : 0.0;
    }
    return s;
}

}  // namespace rvbench
