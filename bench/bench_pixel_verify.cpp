// bench_pixel_verify: does rv::compare_pixels (PixelVerify.h) tell copies from different pictures,
// and where do its thresholds lie?
//
//   bench_pixel_verify [--seed N] [--threads N] [--icons DIR] [--random8 N]
//
// Pictures (each has a label: two items with one label are the same picture):
//   wallpapers  every JPEG/PNG/WebP file in /usr/share/backgrounds and /usr/share/wallpapers
//               (symlinks followed once). Labels: a Plasma package's images/ and its screenshot
//               are one picture (images_dark/ another), MATE's Elephants*.jpg one picture, every
//               other file its own (GNOME's -l/-d variants, MATE's colour variants and its
//               transparent PNGs are different pictures).
//   copies      per wallpaper label, its largest file (bytes) brought to a 1024 px shorter side, then
//               seeded edits that keep the picture: resized (30-80 %), re-encoded (JPEG 50-95),
//               turned 90 degrees, mirrored, all four combined; and a 2 % crop (may fail).
//   icons       the Adwaita PNGs at 48x48 (tiny by the rule), 64x64 and 96x96 (label: the name;
//               the 96 px icon is a positive of the 64 px one of that name).
//   tiles       flat tiles 256x256 of greys 100..140, and of one grey with faint noise.
//   random8     N seeded random 8x8 RGB images (tiny by the rule).
// Split: labels are shuffled with the seed; half A chooses the thresholds, half B reports them
// (pairs across halves are reported too: nothing was chosen on them).
// Choice on A: max_colour_diff = 1.5 x the 99th percentile of the copies' colour differences;
// min_structure = the highest structure of any different-picture pair of A (neither tiny nor flat),
// whatever its colours, + 0.03, rounded up to 0.01: each test alone separates half A.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "wallpaper_picture.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/PixelVerify.h"

namespace fs = std::filesystem;

namespace {

struct Item {
    std::string name;  // path or description
    std::string set;   // wallpapers, copies, icons, tiles, random8
    std::string kind;  // for copies: the edit; for real files: "file"
    int label = -1;
    int source = -1;   // copies: the item they were made from
    rv::PixelSignature sig;
};

struct Labels {
    std::map<std::string, int> ids;
    int operator()(const std::string& key) { return ids.emplace(key, int(ids.size())).first->second; }
};

cv::Mat as_mat(const rv::RgbImage& im) {
    return cv::Mat(im.height, im.width, CV_8UC3, const_cast<std::uint8_t*>(im.data.data()));
}
rv::RgbImage to_rgb(const cv::Mat& m) {
    rv::RgbImage out{m.cols, m.rows, {}};
    cv::Mat c = m.isContinuous() ? m : m.clone();
    out.data.assign(c.data, c.data + c.total() * 3);
    return out;
}
// Encoded as JPEG at `quality` and decoded again by the engine's decoder.
rv::RgbImage jpeg_round_trip(const cv::Mat& rgb, int quality) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> buf;
    cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
    auto d = rv::decode_image_bytes(buf, "copy.jpg");
    return d ? std::move(d->image) : rv::RgbImage{};
}
cv::Mat resized(const cv::Mat& m, double f) {
    cv::Mat out;
    cv::resize(m, out, cv::Size(std::max(1, int(m.cols * f)), std::max(1, int(m.rows * f))), 0, 0, cv::INTER_AREA);
    return out;
}

bool is_image(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), ::tolower);
    return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".webp";
}

void add_files(std::vector<Item>& items, Labels& labels, const std::vector<fs::path>& roots, const std::string& set) {
    std::set<fs::path> seen;
    std::vector<fs::path> files;
    for (const auto& root : roots) {
        std::error_code ec;
        if (!fs::exists(root, ec)) continue;
        for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) break;
            if (!it->is_regular_file(ec) || !is_image(it->path())) continue;
            const fs::path canon = fs::weakly_canonical(it->path(), ec);
            if (seen.insert(canon).second) files.push_back(canon);
        }
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, std::string> pixel_names;  // icons: composited pixels -> first name
    for (const auto& f : files) {
        auto sig = rv::pixel_signature(f);
        if (!sig) {
            std::fprintf(stderr, "skipped: %s\n", sig.error().message.c_str());
            continue;
        }
        Item it;
        it.name = f.string();
        it.set = set;
        it.kind = "file";
        it.label = labels(rvbench::wallpaper_picture(f));
        it.sig = std::move(*sig);
        if (set == "icons") {
            // The icon over neutral grey, as a person sees it (and as the decoder will composite
            // alpha); icons whose composited pixels are identical are one picture.
            cv::Mat m = cv::imread(f.string(), cv::IMREAD_UNCHANGED), rgb;
            if (m.depth() != CV_8U) continue;
            if (m.channels() == 4) {
                cv::Mat f32;
                m.convertTo(f32, CV_32FC4, 1 / 255.0);
                std::vector<cv::Mat> ch;
                cv::split(f32, ch);
                for (int c = 0; c < 3; ++c) ch[c] = ch[c].mul(ch[3]) + (1 - ch[3]) * (128 / 255.0);
                ch.pop_back();
                cv::merge(ch, f32);
                f32.convertTo(rgb, CV_8UC3, 255);
                cv::cvtColor(rgb, rgb, cv::COLOR_BGR2RGB);
            } else if (m.channels() == 3) {
                cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB);
            } else {
                cv::cvtColor(m, rgb, cv::COLOR_GRAY2RGB);
            }
            const std::string bytes(reinterpret_cast<const char*>(rgb.data), rgb.total() * 3);
            const std::string px = std::to_string(rgb.cols) + "x" + std::to_string(rgb.rows) + ":" +
                                   std::to_string(std::hash<std::string>()(bytes));
            const std::string name = pixel_names.emplace(px, f.stem().string()).first->second;
            it.label = labels("icon:" + name);
            Item grey = it;
            grey.set = "icons over grey";
            grey.sig = rv::pixel_signature(to_rgb(rgb), std::min(rgb.cols, rgb.rows));
            items.push_back(std::move(grey));
        }
        items.push_back(std::move(it));
    }
}

// Seeded copies of the largest file (in bytes) of each wallpaper label.
void add_copies(std::vector<Item>& items, std::uint32_t seed) {
    std::map<int, std::pair<std::int64_t, int>> largest;  // label -> (bytes, item)
    const std::size_t n = items.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (items[i].set != "wallpapers") continue;
        const std::int64_t px = std::int64_t(fs::file_size(items[i].name));  // decoded sizes may be DCT-reduced
        auto& best = largest[items[i].label];
        if (px > best.first) best = {px, int(i)};
    }
    for (const auto& [label, best] : largest) {
        const Item src = items[best.second];  // a copy: items grows below
        auto dec = rv::decode_image(src.name, {1024, 100'000'000});
        if (!dec) continue;
        cv::Mat m = as_mat(dec->image);
        const double f = 1024.0 / std::min(m.cols, m.rows);
        if (f < 1) m = resized(m, f);
        // The original at the working size is the item the copies are compared with.
        Item orig = src;
        orig.kind = "file";
        orig.set = "copies";
        orig.sig = rv::pixel_signature(to_rgb(m), std::min(m.cols, m.rows));
        items.push_back(orig);
        const int origin = int(items.size()) - 1;
        std::mt19937 rng(seed ^ (0x9e3779b9u * std::uint32_t(label + 1)));
        std::uniform_real_distribution<double> scale(0.3, 0.8);
        std::uniform_int_distribution<int> quality(50, 95), turn(0, 1);
        auto add = [&](const std::string& kind, const rv::RgbImage& im) {
            Item c;
            c.name = src.name + " [" + kind + "]";
            c.set = "copies";
            c.kind = kind;
            c.label = label;
            c.source = origin;
            c.sig = rv::pixel_signature(im, std::min(im.width, im.height));
            items.push_back(std::move(c));
        };
        cv::Mat t;
        add("resized", to_rgb(resized(m, scale(rng))));
        add("re-encoded", jpeg_round_trip(m, quality(rng)));
        cv::rotate(m, t, turn(rng) ? cv::ROTATE_90_CLOCKWISE : cv::ROTATE_90_COUNTERCLOCKWISE);
        add("rot90", to_rgb(t));
        cv::flip(m, t, 1);
        add("mirror", to_rgb(t));
        cv::rotate(resized(m, scale(rng)), t, cv::ROTATE_90_CLOCKWISE);
        cv::flip(t, t, 1);
        add("combined", jpeg_round_trip(t, quality(rng)));
        const int cx = m.cols / 50, cy = m.rows / 50;
        add("crop 2%", to_rgb(m(cv::Rect(cx, cy, m.cols - 2 * cx, m.rows - 2 * cy)).clone()));
    }
}

void add_tiles(std::vector<Item>& items, Labels& labels, std::uint32_t seed) {
    for (int g = 100; g <= 140; ++g) {
        cv::Mat m(256, 256, CV_8UC3, cv::Scalar(g, g, g));
        items.push_back({"grey " + std::to_string(g), "tiles", "file", labels("tile:" + std::to_string(g)), -1,
                         rv::pixel_signature(to_rgb(m), 256)});
    }
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0, 2);
    for (int k = 0; k < 10; ++k) {
        cv::Mat m(256, 256, CV_8UC3);
        for (int i = 0; i < 256 * 256 * 3; ++i) m.data[i] = cv::saturate_cast<std::uint8_t>(120 + noise(rng));
        items.push_back({"noisy grey " + std::to_string(k), "tiles", "file", labels("noisy:" + std::to_string(k)), -1,
                         rv::pixel_signature(to_rgb(m), 256)});
    }
}

void add_random8(std::vector<Item>& items, Labels& labels, int n, std::uint32_t seed) {
    std::mt19937 rng(seed + 8);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int k = 0; k < n; ++k) {
        rv::RgbImage im{8, 8, std::vector<std::uint8_t>(8 * 8 * 3)};
        for (auto& b : im.data) b = std::uint8_t(byte(rng));
        items.push_back({"random8 " + std::to_string(k), "random8", "file", labels("r8:" + std::to_string(k)), -1,
                         rv::pixel_signature(im, 8)});
    }
}

struct Pair {
    int a, b;
    bool positive;
};

struct Outcome {
    rv::PixelVerdict v;
};

std::vector<rv::PixelVerdict> compare_all(const std::vector<Item>& items, const std::vector<Pair>& pairs,
                                          const rv::PixelVerifyParams& p, int threads) {
    std::vector<rv::PixelVerdict> out(pairs.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(256)) < pairs.size();)
            for (std::size_t j = i; j < std::min(pairs.size(), i + 256); ++j)
                out[j] = rv::compare_pixels(items[pairs[j].a].sig, items[pairs[j].b].sig, p);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint32_t seed = 20261129;
    int threads = 2, random8 = 2000;
    fs::path icons = "/usr/share/icons/Adwaita";
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::uint32_t(std::atoll(argv[++i]));
        else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--icons") && i + 1 < argc) icons = argv[++i];
        else if (!std::strcmp(argv[i], "--random8") && i + 1 < argc) random8 = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_pixel_verify [--seed N] [--threads N] [--icons DIR] [--random8 N]\n");
            return 2;
        }
    }
    std::vector<Item> items;
    Labels labels;
    std::fprintf(stderr, "decoding the wallpapers...\n");
    add_files(items, labels, {"/usr/share/backgrounds", "/usr/share/wallpapers"}, "wallpapers");
    add_copies(items, seed);
    std::fprintf(stderr, "decoding the icons...\n");
    add_files(items, labels, {icons / "48x48", icons / "64x64", icons / "96x96"}, "icons");
    add_tiles(items, labels, seed);
    add_random8(items, labels, random8, seed);

    // The split, by label.
    std::vector<int> order(labels.ids.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    std::vector<char> half(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) half[order[i]] = i < order.size() / 2 ? 'A' : 'B';

    // Pairs: copies with their original; real files with one label; different pictures within each
    // set (icons by size; copies against the wallpaper files of other labels); random8 in a seeded
    // sample of consecutive pairs.
    std::vector<Pair> pairs;
    std::map<std::string, std::vector<int>> by_set;
    for (int i = 0; i < int(items.size()); ++i) by_set[items[i].set].push_back(i);
    auto icon_size = [&](int i) { return items[i].sig.stored_min_side; };
    for (int i : by_set["copies"])
        if (items[i].source >= 0) pairs.push_back({items[i].source, i, true});
    for (const std::string set : {"wallpapers", "icons", "icons over grey", "tiles"}) {
        const auto& v = by_set[set];
        for (std::size_t x = 0; x < v.size(); ++x)
            for (std::size_t y = x + 1; y < v.size(); ++y) {
                const int a = v[x], b = v[y];
                if (set.rfind("icons", 0) == 0 && items[a].label != items[b].label && icon_size(a) != icon_size(b)) continue;
                pairs.push_back({a, b, items[a].label == items[b].label});
            }
    }
    for (int i : by_set["copies"])
        if (items[i].source >= 0)
            for (int w : by_set["wallpapers"])
                if (items[w].label != items[i].label) pairs.push_back({w, i, false});
    {
        const auto& v = by_set["random8"];
        for (std::size_t x = 0; x + 1 < v.size(); ++x) pairs.push_back({v[x], v[x + 1], false});
    }
    std::fprintf(stderr, "%zu items, %zu labels, %zu pairs\n", items.size(), labels.ids.size(), pairs.size());
    auto pair_half = [&](const Pair& p) {
        const char a = half[items[p.a].label], b = half[items[p.b].label];
        return a == b ? a : 'X';
    };

    // 1. Choose on A with loose thresholds, the weakness rules as they are.
    rv::PixelVerifyParams loose;
    loose.min_structure = -1;
    loose.max_colour_diff = 1e9f;
    std::vector<Pair> a_pairs;
    for (const auto& p : pairs)
        if (pair_half(p) == 'A' && items[p.a].set != "random8") a_pairs.push_back(p);
    const auto a_verdicts = compare_all(items, a_pairs, loose, threads);
    std::vector<float> colour_pos;
    for (std::size_t i = 0; i < a_pairs.size(); ++i)
        if (a_pairs[i].positive && items[a_pairs[i].b].set == "copies" && items[a_pairs[i].b].kind != "crop 2%" &&
            a_verdicts[i].colour_diff >= 0)
            colour_pos.push_back(a_verdicts[i].colour_diff);
    std::sort(colour_pos.begin(), colour_pos.end());
    const float p99 = colour_pos.empty() ? 0 : colour_pos[std::min(colour_pos.size() - 1, std::size_t(0.99 * colour_pos.size()))];
    rv::PixelVerifyParams chosen;
    chosen.max_colour_diff = std::ceil(1.5f * p99 * 10) / 10;
    float worst = -1;
    std::string worst_name;
    for (std::size_t i = 0; i < a_pairs.size(); ++i)
        if (!a_pairs[i].positive && a_verdicts[i].colour_diff >= 0 && a_verdicts[i].colour_diff <= chosen.max_colour_diff &&
            a_verdicts[i].structure > worst)
            worst = a_verdicts[i].structure, worst_name = items[a_pairs[i].a].name + " | " + items[a_pairs[i].b].name;
    std::vector<float> structure_pos;
    float worst_any = -1;
    std::string worst_any_name;
    for (std::size_t i = 0; i < a_pairs.size(); ++i) {
        if (a_verdicts[i].colour_diff < 0) continue;
        if (a_pairs[i].positive && items[a_pairs[i].b].set == "copies" && items[a_pairs[i].b].kind != "crop 2%")
            structure_pos.push_back(a_verdicts[i].structure);
        if (!a_pairs[i].positive && a_verdicts[i].structure > worst_any)
            worst_any = a_verdicts[i].structure,
            worst_any_name = items[a_pairs[i].a].name + " | " + items[a_pairs[i].b].name + " (colour difference " +
                             std::to_string(a_verdicts[i].colour_diff) + ")";
    }
    std::sort(structure_pos.begin(), structure_pos.end());
    // Each test alone must separate half A: the structure threshold clears every different pair
    // of A whatever its colours.
    chosen.min_structure = std::ceil((std::max(worst, worst_any) + 0.03f) * 100) / 100;
    std::printf("## Pixel verification (seed %u): thresholds chosen on half A\n\n", seed);
    std::printf("copies' colour difference p99 %.2f -> max_colour_diff %.1f; hardest different pair passing it: "
                "structure %.3f (%s)\n(library defaults: max_colour_diff %.1f, min_structure %.2f, "
                "flat below grey std %.1f or detail std %.2f, tiny below %d px)\n\n",
                p99, chosen.max_colour_diff, worst, worst_name.c_str(),
                rv::PixelVerifyParams{}.max_colour_diff, rv::PixelVerifyParams{}.min_structure,
                rv::PixelVerifyParams{}.flat_grey_std, rv::PixelVerifyParams{}.flat_detail_std,
                rv::PixelVerifyParams{}.min_side);
    if (!structure_pos.empty())
        std::printf("copies' structure: min %.3f, p1 %.3f, median %.3f; hardest different pair on structure alone: %.3f (%s) -> min_structure %.2f\n\n",
                    structure_pos.front(), structure_pos[structure_pos.size() / 100], structure_pos[structure_pos.size() / 2],
                    worst_any, worst_any_name.c_str(), chosen.min_structure);

    // 2. Report with the library's defaults (which should be the chosen ones) on every half.
    const rv::PixelVerifyParams defaults;
    const auto verdicts = compare_all(items, pairs, defaults, threads);
    struct Row {
        long pos = 0, pos_same = 0, neg = 0, neg_same = 0, neg_cannot = 0;
    };
    std::map<std::string, Row> rows;  // "half | set | kind"
    std::vector<std::string> false_same, missed;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const Pair& p = pairs[i];
        const Item& b = items[p.b];
        std::string kind = b.set == "copies" && p.positive ? b.kind : p.positive ? "real same picture" : "different";
        if (p.positive && b.set == "wallpapers") {
            const double ra = std::log(double(items[p.a].sig.width) / items[p.a].sig.height),
                         rb = std::log(double(b.sig.width) / b.sig.height);
            kind += std::abs(ra - rb) < 0.03 ? ", same shape" : ", other shape (a crop)";
        }
        if (b.set == "icons" && !p.positive) kind += " " + std::to_string(icon_size(p.a)) + "px";
        if (b.set == "icons" && p.positive) kind = "same name 64 vs 96 px";
        Row& r = rows[std::string(1, pair_half(p)) + " | " + (b.set == "copies" && !p.positive ? "copies vs wallpapers" : b.set) + " | " + kind];
        const bool same = verdicts[i].same();
        if (p.positive) {
            ++r.pos, r.pos_same += same;
            if (!same && b.set.rfind("icons", 0) != 0) missed.push_back(items[p.a].name + " | " + b.name + " : " + verdicts[i].reason);
        }
        else {
            ++r.neg, r.neg_same += same, r.neg_cannot += verdicts[i].match == rv::PixelMatch::cannot_tell;
            if (same) false_same.push_back(items[p.a].name + " | " + b.name + " : " + verdicts[i].reason);
        }
    }
    std::printf("| half | set | pairs | copies: verified / all | different pictures: verified (must be 0) / cannot tell / all |\n");
    std::printf("|---|---|---|--:|--:|\n");
    for (const auto& [key, r] : rows) {
        const auto bar = key.find(" | ");
        if (r.pos)
            std::printf("| %s | %s | %ld / %ld (%.3f) | |\n", key.substr(0, bar).c_str(), key.substr(bar + 3).c_str(), r.pos_same,
                        r.pos, double(r.pos_same) / r.pos);
        else
            std::printf("| %s | %s | | %ld / %ld / %ld |\n", key.substr(0, bar).c_str(), key.substr(bar + 3).c_str(),
                        r.neg_same, r.neg_cannot, r.neg);
    }
    std::printf("\ndifferent pictures verified as the same: %zu\n", false_same.size());
    for (const auto& s : false_same) std::printf("  %s\n", s.c_str());
    std::printf("\ncopies not verified (crops may fail):\n");
    for (const auto& s : missed) std::printf("  %s\n", s.c_str());
    // Weakness census: which real files cannot be vouched for by pixels, and why.
    std::map<std::string, int> weak;
    for (const auto& it : items)
        if (it.kind == "file") {
            const std::string w = rv::pixel_weakness(it.sig, defaults);
            weak[it.set + ": " + (w.empty() ? "checkable" : w.substr(0, w.find(' ', 5)))]++;
        }
    std::printf("\n| set: weakness | files |\n|---|--:|\n");
    for (const auto& [k, n] : weak) std::printf("| %s | %d |\n", k.c_str(), n);
    return false_same.empty() ? 0 : 1;
}
