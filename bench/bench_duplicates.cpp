// bench_duplicates: how well near-duplicate groups come out, and where the threshold should be.
//
//   bench_duplicates [--threads N] [--k K] [--workdir DIR | --no-library] [--random8 N] [--calibration]
//
// Set: the near-duplicate set of retrieval_quality (retrieval/dataset.h: Debian's MATE nature
// backgrounds + one photo per Plasma wallpaper, 640 px shorter side, 10 seeded edits each: crop,
// rot90, rotate, hflip, jitter, grey, blur, overlay, jpeg10, combined). Every original with its
// 10 edits is one true group of 11; all 462 images go into one collection.
// Embedding: the library's default model and descriptor. Variants of the pair score:
//   raw      cosine of the two embeddings;
//   centred  cosine after centring on the collection's mean;
//   pcaw     cosine after PCA whitening learned on the collection (shrinkage 10, Whitening.h);
//   pcaw64   the same, keeping the top 64 components;
//   pcaw-top128  same dimension, only the top 128 components rescaled (what the library does);
//   (40)     the whitening learned on 40 images of the collection only (a small library);
//   +rot     also compare each image's 90-degree-rotated embedding with the other's plain one,
//            keeping the best score (one more forward pass per image); +rot-0.10: a match through
//            the rotated embedding counts 0.10 less; "or raw>=0.99": a pair whose plain cosine
//            (with the rotated embeddings) reaches 0.99 scores that (the library's choice).
// Reported per variant: positive (same group) and negative pair score quantiles, recall@1 of the
// edited images (nearest other image is of the same group), and for each threshold the pairwise
// precision / recall of rv::star_groups built from each image's K nearest neighbours above it.
// Then end to end (unless --no-library): the same images as JPEG files in DIR (default
// /tmp/ruvision-bench-duplicates, replaced), indexed by rv::Library, grouped by its duplicates(),
// with what the window would offer for the trash (pixel-verified members, duplicates_trash_check.h);
// and the same trash check on the wallpaper packages, the Adwaita 48x48 icons, MATE's transparent
// PNGs, flat tiles and N (default 10000) random 8x8 images.
// --calibration: only the threshold calibrated from a person's verdicts (duplicate_calibration.h).
#include <algorithm>
#include <atomic>
#include <map>
#include <cstdio>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "retrieval/metrics.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/NearDuplicates.h"
#include "ruvision/engine/ThresholdCalibration.h"
#include "duplicate_calibration.h"
#include "duplicates_trash_check.h"

using namespace rvbench;

namespace {

constexpr std::uint32_t kSeed = 20240617;  // as retrieval_quality
constexpr const char* kOrRaw = " +rot-0.10 or raw>=0.99";
constexpr const char* kChoice = "pcaw-top128 +rot-0.10 or raw>=0.99";  // what Library::duplicates does
constexpr const char* kChoice40 = "pcaw-top128(40) +rot-0.10 or raw>=0.99";

rv::RgbImage rotate90(const rv::RgbImage& img) {
    cv::Mat src(img.height, img.width, CV_8UC3, const_cast<std::uint8_t*>(img.data.data()));
    cv::Mat dst;
    cv::rotate(src, dst, cv::ROTATE_90_CLOCKWISE);
    rv::RgbImage out{dst.cols, dst.rows, {}};
    out.data.assign(dst.data, dst.data + dst.total() * 3);
    return out;
}

float dot(const Matrix& m, int i, const Matrix& o, int j) {
    float s = 0;
    for (int c = 0; c < m.cols; ++c) s += m.v[std::size_t(i) * m.cols + c] * o.v[std::size_t(j) * o.cols + c];
    return s;
}

// Rows of m minus the mean of the rows of `of`, L2-normalised.
Matrix centred(const Matrix& m, const Matrix& of) {
    std::vector<double> mean(of.cols, 0.0);
    for (int i = 0; i < of.rows; ++i)
        for (int c = 0; c < of.cols; ++c) mean[c] += of.v[std::size_t(i) * of.cols + c] / of.rows;
    Matrix out = m;
    for (int i = 0; i < m.rows; ++i)
        for (int c = 0; c < m.cols; ++c) out.v[std::size_t(i) * m.cols + c] -= static_cast<float>(mean[c]);
    l2_normalize_rows(out);
    return out;
}

// n x n pair scores: cosine of e's rows; with rot, the best of e.e, and r.e and e.r lowered by
// rot_margin.
std::vector<float> pair_scores(const Matrix& e, const Matrix& r, bool rot, float rot_margin = 0) {
    const int n = e.rows;
    std::vector<float> s(std::size_t(n) * n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            float v = dot(e, i, e, j);
            if (rot) v = std::max({v, dot(r, i, e, j) - rot_margin, dot(e, i, r, j) - rot_margin});
            s[std::size_t(i) * n + j] = v;
        }
    return s;
}

float quantile(std::vector<float> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))];
}

struct GroupScore {
    double precision = 0, recall = 0;
    int groups = 0;
};

GroupScore group_score(const std::vector<float>& s, const std::vector<int>& label, int k, float threshold) {
    const int n = static_cast<int>(label.size());
    rv::CloseNeighbours close;
    for (int i = 0; i < n; ++i) {
        std::vector<rv::Neighbour> nb;
        for (int j = 0; j < n; ++j)
            if (j != i) nb.push_back({j, s[std::size_t(i) * n + j]});
        std::partial_sort(nb.begin(), nb.begin() + std::min<int>(k, nb.size()), nb.end(),
                          [](const rv::Neighbour& a, const rv::Neighbour& b) { return a.score > b.score; });
        nb.resize(std::min<int>(k, nb.size()));
        nb.erase(std::remove_if(nb.begin(), nb.end(), [&](const rv::Neighbour& x) { return x.score < threshold; }),
                 nb.end());
        if (!nb.empty()) close[i] = std::move(nb);
    }
    const auto groups = rv::star_groups(close);
    long predicted = 0, correct = 0, truth = 0;
    for (const auto& g : groups)
        for (std::size_t a = 0; a < g.size(); ++a)
            for (std::size_t b = a + 1; b < g.size(); ++b) {
                ++predicted;
                correct += label[g[a].id] == label[g[b].id];
            }
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j) truth += label[i] == label[j];
    return {predicted ? double(correct) / predicted : 1.0, truth ? double(correct) / truth : 0.0,
            static_cast<int>(groups.size())};
}

// End to end: the images written as JPEG files (quality 95), indexed by a real rv::Library and
// grouped by Library::duplicates at its default threshold; prints the groups' pairwise precision
// and recall and, per edit, the share of edited images grouped with their original.
int library_check(const std::filesystem::path& dir, const std::vector<const rv::RgbImage*>& images,
                  const std::vector<int>& label, const std::vector<int>& aug, int k) {
    namespace fs = std::filesystem;
    fs::remove_all(dir);
    fs::create_directories(dir / "photos");
    std::map<std::string, int> item_of;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const auto* im = images[i];
        cv::Mat rgb(im->height, im->width, CV_8UC3, const_cast<std::uint8_t*>(im->data.data())), bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        const fs::path f = dir / "photos" / ("img" + std::to_string(1000 + i) + ".jpg");
        cv::imwrite(f.string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 95});
        item_of[fs::weakly_canonical(f).string()] = static_cast<int>(i);
    }
    auto lib = rv::Library::open(dir / "library");
    if (!lib) return std::fprintf(stderr, "%s\n", lib.error().message.c_str()), 1;
    std::atomic<bool> cancel{false};
    rv::IndexJobParams p;
    p.roots = {dir / "photos"};
    auto r = (*lib)->index(p, cancel);
    if (!r) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
    const double t0 = now_s();
    rv::DuplicateParams dp;
    dp.neighbours = k;
    auto groups = (*lib)->duplicates(dp, cancel);
    const double seconds = now_s() - t0;
    if (!groups) return std::fprintf(stderr, "%s\n", groups.error().message.c_str()), 1;
    const int n = static_cast<int>(images.size());
    std::vector<int> group(n, -1);
    long predicted = 0, correct = 0, truth = 0;
    for (std::size_t g = 0; g < groups->size(); ++g) {
        std::vector<int> items;
        for (const auto& m : (*groups)[g].members) items.push_back(item_of.at(fs::weakly_canonical(m.path).string()));
        for (int it : items) group[it] = static_cast<int>(g);
        for (std::size_t a = 0; a < items.size(); ++a)
            for (std::size_t b = a + 1; b < items.size(); ++b) ++predicted, correct += label[items[a]] == label[items[b]];
    }
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j) truth += label[i] == label[j];
    std::printf("\n### End to end: rv::Library (%zu files indexed, default threshold %.3f, K = %d)\n\n",
                r->embedded, (*lib)->default_duplicate_threshold(), k);
    std::printf("%zu groups in %.2f s; pairwise precision %.3f, recall %.3f\n\n", groups->size(), seconds,
                predicted ? double(correct) / predicted : 1.0, truth ? double(correct) / truth : 0.0);
    std::printf("| edit grouped with its original |");
    for (int a = 0; a < kAugCount; ++a) std::printf(" %s |", aug_name(static_cast<Aug>(a)));
    std::printf(" all |\n|---|");
    for (int a = 0; a <= kAugCount; ++a) std::printf("--:|");
    std::printf("\n| share |");
    int all = 0, all_found = 0;
    for (int a = 0; a < kAugCount; ++a) {
        int total = 0, found = 0;
        for (int i = 0; i < n; ++i)
            if (aug[i] == a) ++total, found += group[i] >= 0 && group[i] == group[label[i]];
        all += total, all_found += found;
        std::printf(" %.3f |", total ? double(found) / total : 0.0);
    }
    std::printf(" %.3f |\n", all ? double(all_found) / all : 0.0);

    // Offered for the trash: the centre and the pixel-verified members of each group.
    std::vector<int> offered(n, -1);  // group of an item that is trash-able in it
    for (std::size_t g = 0; g < groups->size(); ++g)
        for (std::size_t m = 0; m < (*groups)[g].members.size(); ++m)
            if (m == 0 || (*groups)[g].members[m].verified)
                offered[item_of.at(fs::weakly_canonical((*groups)[g].members[m].path).string())] = static_cast<int>(g);
    std::printf("| verified with its original (may go to the trash) |");
    all = all_found = 0;
    for (int a = 0; a < kAugCount; ++a) {
        int total = 0, found = 0;
        for (int i = 0; i < n; ++i)
            if (aug[i] == a) ++total, found += offered[i] >= 0 && offered[i] == offered[label[i]];
        all += total, all_found += found;
        std::printf(" %.3f |", total ? double(found) / total : 0.0);
    }
    std::printf(" %.3f |\n", all ? double(all_found) / all : 0.0);
    TrashCheck check;
    check.name = "near-duplicate set (462 JPEGs)";
    check.files = n;
    check.seconds = seconds;
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j) check.same_pairs += label[i] == label[j];
    count_offered(*groups, [&](const std::string& path) { return std::to_string(label[item_of.at(path)]); }, check);
    std::printf("\n");
    print_trash_table_header();
    print_trash_row(check);
    return check.offered_different == 0 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 2, k = 16, random8 = 10000;
    bool calibration = false;
    std::filesystem::path workdir = "/tmp/ruvision-bench-duplicates";
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--k") && i + 1 < argc) k = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--workdir") && i + 1 < argc) workdir = argv[++i];
        else if (!std::strcmp(argv[i], "--no-library")) workdir.clear();
        else if (!std::strcmp(argv[i], "--random8") && i + 1 < argc) random8 = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--calibration")) calibration = true;
        else {
            std::fprintf(stderr, "usage: bench_duplicates [--threads N] [--k K] [--workdir DIR | --no-library] [--random8 N] [--calibration]\n");
            return 2;
        }
    }
    const auto sources = neardup_sources("/usr/share/backgrounds/mate/nature", "/usr/share/wallpapers");
    const NearDupSet set = build_neardup(sources, 640, kSeed);
    std::vector<const rv::RgbImage*> images;
    std::vector<int> label;
    std::vector<int> aug;  // -1 for originals
    for (std::size_t o = 0; o < set.originals.size(); ++o) images.push_back(&set.originals[o]), label.push_back(int(o)), aug.push_back(-1);
    for (std::size_t q = 0; q < set.queries.size(); ++q)
        images.push_back(&set.queries[q]), label.push_back(set.query_original(int(q))),
            aug.push_back(static_cast<int>(set.query_aug(int(q))));
    std::vector<rv::RgbImage> rotated;
    rotated.reserve(images.size());
    for (const auto* im : images) rotated.push_back(rotate90(*im));
    std::vector<const rv::RgbImage*> rot_ptrs;
    for (const auto& im : rotated) rot_ptrs.push_back(&im);

    auto model = rv::find_model(std::string(rv::kDefaultModelName));
    if (!model) return std::fprintf(stderr, "%s\n", model.error().message.c_str()), 1;
    auto emb = rv::Embedder::open(*model);
    if (!emb) return std::fprintf(stderr, "%s\n", emb.error().message.c_str()), 1;
    std::fprintf(stderr, "embedding %zu images and their rotations...\n", images.size());
    std::vector<double> ms;
    const Matrix e = embed_all(**emb, images, threads, ms);
    const Matrix r = embed_all(**emb, rot_ptrs, threads, ms);
    const int n = e.rows;

    std::printf("## Near-duplicate groups (%s/%s, %d images = %zu originals x 11, K = %d)\n\n", (*emb)->model_name().c_str(),
                (*emb)->descriptor().str().c_str(), n, set.originals.size(), k);
    // Each space: (name, e, r) transformed the same way, learned on e (the whole collection) or,
    // as in a small library, on 40 of its images only (every 11th and the 5th after it).
    std::vector<int> few;
    for (int i = 0; i + 5 < n && static_cast<int>(few.size()) < 40; i += 11) few.push_back(i), few.push_back(i + 5);
    const Matrix small = select_rows(e, few);
    std::vector<std::tuple<std::string, Matrix, Matrix>> spaces;
    spaces.emplace_back("raw", e, r);
    spaces.emplace_back("centred", centred(e, e), centred(r, e));
    for (const auto& [learn_name, learn] : {std::pair{"", &e}, std::pair{"(40)", &small}}) {
        const Whitening w = Whitening::learn(*learn, 10.0, 0), w64 = Whitening::learn(*learn, 10.0, 64),
                        w128 = Whitening::learn(*learn, 10.0, 0, 128);
        spaces.emplace_back(std::string("pcaw") + learn_name, w.apply(e), w.apply(r));
        spaces.emplace_back(std::string("pcaw64") + learn_name, w64.apply(e), w64.apply(r));
        spaces.emplace_back(std::string("pcaw-top128") + learn_name, w128.apply(e), w128.apply(r));
    }
    std::vector<std::pair<std::string, std::vector<float>>> variants;
    for (const auto& [name, se, sr] : spaces) {
        variants.emplace_back(name, pair_scores(se, sr, false));
        variants.emplace_back(name + " +rot", pair_scores(se, sr, true));
        if (name.rfind("pcaw-top128", 0) == 0) {  // the library's choice
            variants.emplace_back(name + " +rot-0.10", pair_scores(se, sr, true, 0.10f));
            // ... or the plain cosine (with the rotated embeddings) where it reaches 0.99.
            const auto raw = pair_scores(e, r, true);
            auto both = variants.back().second;
            for (std::size_t x = 0; x < both.size(); ++x)
                if (raw[x] >= 0.99f) both[x] = std::max(both[x], raw[x]);
            variants.emplace_back(name + kOrRaw, std::move(both));
        }
    }
    if (calibration) {
        const GroupScorer scorer = [](const std::vector<float>& s, const std::vector<int>& label, int k, float t) {
            const GroupScore g = group_score(s, label, k, t);
            return std::pair<double, double>(g.precision, g.recall);
        };
        print_calibration_header();
        for (const auto& [name, s] : variants) {
            if (name == kChoice)
                calibration_check(name, s, label, static_cast<int>(set.originals.size()), k,
                                  rv::size_duplicate_threshold(n), scorer);
            if (name == kChoice40)
                calibration_check(name, s, label, static_cast<int>(set.originals.size()), k,
                                  rv::size_duplicate_threshold(few.size()), scorer);
        }
        return 0;
    }
    std::printf("| variant | pos p1 | pos p5 | pos median | neg max | neg p99.9 | R@1 | rot90 min | best F1 threshold | P | R | groups |\n");
    std::printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (const auto& [name, s] : variants) {
        std::vector<float> pos, neg, rot90;
        int hits = 0, queries = 0;
        for (int i = 0; i < n; ++i) {
            int best = -1;
            for (int j = 0; j < n; ++j) {
                if (j == i) continue;
                const float v = s[std::size_t(i) * n + j];
                if (best < 0 || v > s[std::size_t(i) * n + best]) best = j;
                if (j > i) (label[i] == label[j] ? pos : neg).push_back(v);
                if (aug[i] == static_cast<int>(Aug::Rot90) && aug[j] == -1 && label[i] == label[j]) rot90.push_back(v);
            }
            if (aug[i] >= 0) ++queries, hits += label[best] == label[i];
        }
        double best_f1 = -1;
        float best_t = 0;
        GroupScore best_g;
        for (int t = 40; t <= 99; ++t) {
            const GroupScore g = group_score(s, label, k, t / 100.0f);
            const double f1 = g.precision + g.recall > 0 ? 2 * g.precision * g.recall / (g.precision + g.recall) : 0;
            if (f1 > best_f1) best_f1 = f1, best_t = t / 100.0f, best_g = g;
        }
        std::printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.3f | %.3f | %d |\n", name.c_str(),
                    quantile(pos, 0.01), quantile(pos, 0.05), quantile(pos, 0.5), quantile(neg, 1.0),
                    quantile(neg, 0.999), double(hits) / queries, quantile(rot90, 0.0), best_t, best_g.precision,
                    best_g.recall, best_g.groups);
    }
    std::printf("\n### Score of each edit with its original (median / min)\n\n| variant |");
    for (int a = 0; a < kAugCount; ++a) std::printf(" %s |", aug_name(static_cast<Aug>(a)));
    std::printf("\n|---|");
    for (int a = 0; a < kAugCount; ++a) std::printf("--:|");
    std::printf("\n");
    for (const auto& [name, s] : variants) {
        std::printf("| %s |", name.c_str());
        for (int a = 0; a < kAugCount; ++a) {
            std::vector<float> v;
            for (int i = 0; i < n; ++i)
                if (aug[i] == a) v.push_back(s[std::size_t(i) * n + label[i]]);  // original of i is row label[i]
            std::printf(" %.3f / %.3f |", quantile(v, 0.5), quantile(v, 0.0));
        }
        std::printf("\n");
    }
    const std::vector<std::string> shown = {"raw +rot", "centred +rot", "pcaw64 +rot", kChoice, std::string(kChoice40)};
    std::printf("\n### Pairwise precision / recall of the groups by threshold\n\n| threshold |");
    for (const auto& name : shown) std::printf(" %s P | R |", name.c_str());
    std::printf("\n|--:|");
    for (std::size_t v = 0; v < shown.size(); ++v) std::printf("--:|--:|");
    std::printf("\n");
    for (int t = 50; t <= 96; t += 2) {
        std::printf("| %.2f |", t / 100.0);
        for (const auto& name : shown)
            for (const auto& [vname, s] : variants)
                if (vname == name) {
                    const GroupScore g = group_score(s, label, k, t / 100.0f);
                    std::printf(" %.3f | %.3f |", g.precision, g.recall);
                }
        std::printf("\n");
    }
    if (workdir.empty()) return 0;
    const int near = library_check(workdir, images, label, aug, k);
    const long hostile = trash_checks(workdir / "trust", random8, k);
    return near != 0 ? near : hostile != 0 ? 3 : 0;
}
