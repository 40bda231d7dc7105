// bench_tune: what self-supervised tuning (rv::tune, Tuning.h) gains, on held-out edits of
// held-out originals, and what it costs.
//
//   bench_tune [--threads N] [--fashion DIR] [--fashion-per-class N] [--skip-fashion]
//
// The honest set (bench/retrieval/honest_set.h: every wallpaper package's pictures once, at a
// shorter side of 640 px, split by original into CHOOSE and REPORT, its seed).
//  1. CHOOSE: a library of the CHOOSE originals (JPEG q95); the views of rv::make_tune_views (its
//     held-out quarter of the images never trained on); each configuration (the start's strength,
//     rank, InfoNCE gradient epochs) trained with rv::train_tune_adapter on the others and scored by
//     R@1 of fresh edits (one per single edit, two of 2-3 combined) of the held-out CHOOSE images
//     against every CHOOSE original. The best is chosen there (ties: the earlier, simpler one).
//  2. REPORT: rv::tune (the real job: views, guard, store, activation) on the CHOOSE library with
//     the chosen configuration; the honest set's REPORT queries (never tuned on) against every
//     original (REPORT and CHOOSE); R@1 per single edit and of the combined queries (and R@10),
//     with the plain features and through the tuned adapter, whether or not the guard activated it.
//  3. Fashion-MNIST (Debian's dataset-fashion-mnist): a library of the first --fashion-per-class
//     (100) t10k images of each class written as PNG files, tuned with the chosen configuration;
//     mAP@10 of all of them (bench/retrieval/metrics.h) before and after.
// Prints Markdown tables and the tune's time. Nothing here passes or fails.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "retrieval/dataset.h"
#include "retrieval/honest_set.h"
#include "retrieval/metrics.h"
#include "ruvision/engine/ImageEdits.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Tuning.h"

namespace fs = std::filesystem;

namespace {

const std::atomic<bool> kNever{false};

struct Options {
    int threads = 2;
    std::uint64_t seed = 1;
    fs::path fashion = "/usr/share/datasets/fashion-mnist";
    int fashion_per_class = 100;
    bool skip_fashion = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::unique_ptr<rv::Library> make_library(const fs::path& dir, const fs::path& root, int threads) {
    auto lib = rv::Library::open(dir, rv::LibraryAccess::Create);
    if (!lib) {
        std::fprintf(stderr, "%s\n", lib.error().message.c_str());
        return nullptr;
    }
    rv::IndexJobParams p;
    p.roots = {root};
    p.threads = threads;
    auto r = (*lib)->index(p, kNever);
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        return nullptr;
    }
    return std::move(*lib);
}

const std::vector<rv::ImageEdit> kEdits = {rv::ImageEdit::Crop,   rv::ImageEdit::Rotate, rv::ImageEdit::Mirror,
                                           rv::ImageEdit::Jitter, rv::ImageEdit::Grey,   rv::ImageEdit::Blur,
                                           rv::ImageEdit::Caption, rv::ImageEdit::Jpeg};
constexpr int kKinds = 9;  // the 8 single edits, then "2-3 combined"

struct Query {
    std::vector<float> v;
    int original = 0;  // gallery row
    int kind = 0;      // index into kEdits, or 8: combined
};

// Edited queries of the images in `files` (gallery rows `rows`): one per single edit and
// `combined` of 2-3 edits each, seeded by (seed, row, k).
std::vector<Query> make_queries(rv::Embedder& e, const std::vector<fs::path>& files, const std::vector<int>& rows,
                                std::uint64_t seed, int combined) {
    std::vector<Query> out;
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto d = rv::decode_image(files[i]);
        if (!d) continue;
        for (int k = 0; k < static_cast<int>(kEdits.size()) + combined; ++k) {
            rv::EditRandom r(seed, static_cast<std::uint64_t>(rows[i]), static_cast<std::uint64_t>(k));
            const bool single = k < static_cast<int>(kEdits.size());
            const auto edits = single ? std::vector<rv::ImageEdit>{kEdits[static_cast<std::size_t>(k)]}
                                      : rv::draw_edits(r, 2 + r.below(2), kEdits);
            auto v = e.embed(rv::apply_edits(d->image, edits, r));
            if (v) out.push_back({std::move(*v), rows[i], single ? k : 8});
        }
    }
    return out;
}

// R@1 per kind (and overall, last) of `queries` against `gallery` (unit rows) through `adapter`.
std::vector<double> recall_at_1(const rv::FeatureMatrix& gallery, const std::vector<Query>& queries,
                                const rv::LowRankAdapter& adapter) {
    rv::AdapterStack s;
    s.base = adapter;
    const int d = gallery.dim;
    std::vector<float> g(gallery.rows.size());
    s.apply_rows(gallery.rows.data(), g.data(), gallery.size(), d);
    std::vector<double> hit(kKinds + 1, 0), n(kKinds + 1, 0);
    std::vector<float> q(static_cast<std::size_t>(d));
    for (const auto& query : queries) {
        s.apply(query.v.data(), q.data(), d);
        int best = -1;
        double best_score = -2;
        for (std::size_t r = 0; r < gallery.size(); ++r) {
            double c = 0;
            for (int j = 0; j < d; ++j) c += static_cast<double>(q[j]) * g[r * d + j];
            if (c > best_score) best_score = c, best = static_cast<int>(r);
        }
        for (int k : {query.kind, kKinds}) {
            n[k] += 1;
            hit[k] += best == query.original ? 1 : 0;
        }
    }
    for (int k = 0; k <= kKinds; ++k) hit[k] = n[k] > 0 ? hit[k] / n[k] : -1;
    return hit;
}

rv::FeatureMatrix embed_files(rv::Embedder& e, const std::vector<fs::path>& files) {
    rv::FeatureMatrix m;
    m.dim = e.dim();
    for (const auto& f : files) {
        auto v = e.embed_file(f);
        if (!v) {
            std::fprintf(stderr, "%s\n", v.error().message.c_str());
            v = std::vector<float>(static_cast<std::size_t>(m.dim), 0.0f);
        }
        m.rows.insert(m.rows.end(), v->begin(), v->end());
    }
    return m;
}

struct Config {
    std::string name;
    rv::TuneParams params;
};

std::vector<Config> configs(const Options& o) {
    std::vector<Config> out;
    auto base = [&] {
        rv::TuneParams p;
        p.seed = o.seed;
        p.threads = o.threads;
        p.train.rank = 32;  // the grid as it was run (the engine's default is what it chose)
        p.train.alpha = 32;
        return p;
    };
    for (float g : {0.5f, 1.0f, 2.0f, 4.0f, 8.0f, 16.0f}) {
        auto p = base();
        p.strength = g;
        char name[64];
        std::snprintf(name, sizeof name, "start g=%.1f rank 32", g);
        out.push_back({name, p});
    }
    for (int rank : {8, 64}) {
        auto p = base();
        p.train.rank = rank;
        p.train.alpha = static_cast<float>(rank);
        out.push_back({"start g=2.0 rank " + std::to_string(rank), p});
    }
    for (int epochs : {3, 10}) {
        auto p = base();
        p.train.epochs = epochs;
        p.train.losses = {false, false, true};
        out.push_back({"start g=2.0 + InfoNCE " + std::to_string(epochs) + " epochs", p});
    }
    return out;
}

void print_row(const char* name, const std::vector<double>& r) {
    std::printf("| %s |", name);
    for (double v : r) std::printf(" %.3f |", v);
    std::printf("\n");
}

void print_header() {
    std::printf("| |");
    for (const auto e : kEdits) std::printf(" %s |", rv::image_edit_name(e));
    std::printf(" 2-3 combined | all |\n|---|");
    for (int k = 0; k <= kKinds; ++k) std::printf("---|");
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--threads") o.threads = std::max(1, std::stoi(val()));
        else if (a == "--fashion") o.fashion = val();
        else if (a == "--fashion-per-class") o.fashion_per_class = std::max(2, std::stoi(val()));
        else if (a == "--skip-fashion") o.skip_fashion = true;
        else {
            std::fprintf(stderr, "usage: bench_tune [--threads N] [--fashion DIR] "
                                 "[--fashion-per-class N] [--skip-fashion]\n");
            return 2;
        }
    }
    const fs::path work = fs::temp_directory_path() / ("bench_tune." + std::to_string(::getpid()));
    fs::create_directories(work / "choose");

    // The honest set's originals, its halves.
    rvbench::HonestParams hp;
    auto set = rvbench::build_honest(rvbench::honest_sources("/usr/share/backgrounds", "/usr/share/wallpapers"), hp);
    if (!set) {
        std::fprintf(stderr, "%s\n", set.error().message.c_str());
        return 1;
    }
    o.seed = set->seed;
    std::vector<fs::path> choose;
    for (std::size_t i = 0; i < set->originals.size(); ++i) {
        if (set->half[i] != rvbench::Half::Choose) continue;
        const auto& im = set->originals[i];
        cv::Mat rgb(im.height, im.width, CV_8UC3, const_cast<std::uint8_t*>(im.data.data())), bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        char name[32];
        std::snprintf(name, sizeof name, "o%03zu.jpg", i);
        choose.push_back(work / "choose" / name);
        if (!cv::imwrite(choose.back().string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 95})) return 1;
    }
    std::printf("honest set: %zu originals (CHOOSE %d, REPORT %d), shorter side %d px, seed %llu, %d threads\n\n",
                set->originals.size(), set->count(rvbench::Half::Choose), set->count(rvbench::Half::Report),
                set->working_side, static_cast<unsigned long long>(set->seed), o.threads);

    auto lib = make_library(work / "choose-library", work / "choose", o.threads);
    if (!lib) return 1;
    rv::Embedder& embedder = lib->embedder();

    // 1. CHOOSE.
    rv::TuneParams first = configs(o).front().params;
    auto t0 = std::chrono::steady_clock::now();
    auto views = rv::make_tune_views(*lib, first, kNever);
    if (!views) {
        std::fprintf(stderr, "%s\n", views.error().message.c_str());
        return 1;
    }
    std::printf("CHOOSE views: %zu images x %d views in %.1f s; %zu held out\n\n", views->images(), first.views,
                seconds_since(t0), static_cast<std::size_t>(std::count(views->held_out.begin(), views->held_out.end(), true)));
    // The gallery: every CHOOSE original (its stored feature is the first row of its group).
    rv::FeatureMatrix choose_gallery;
    choose_gallery.dim = views->rows.dim;
    std::vector<fs::path> held_files;
    std::vector<int> held_rows;
    for (std::size_t i = 0; i < views->images(); ++i) {
        const float* r = views->rows.row(views->first[i]);
        choose_gallery.rows.insert(choose_gallery.rows.end(), r, r + choose_gallery.dim);
        if (views->held_out[i]) {
            auto f = lib->catalog().file(views->file_ids[i]);
            if (f && *f) held_files.push_back((*f)->path), held_rows.push_back(static_cast<int>(i));
        }
    }
    const auto choose_queries = make_queries(embedder, held_files, held_rows, o.seed + 1000, 2);
    const auto pairs = rv::tune_training_pairs(*views, first.seed);
    std::printf("CHOOSE: R@1 of %zu edits of the %zu held-out CHOOSE images against all %zu CHOOSE originals\n\n",
                choose_queries.size(), held_files.size(), choose_gallery.size());
    print_header();
    print_row("plain features", recall_at_1(choose_gallery, choose_queries, {}));
    Config best = configs(o).front();
    double best_r1 = -1;
    for (const auto& c : configs(o)) {
        auto tuned = rv::train_tune_adapter(views->rows, pairs, c.params, kNever);
        if (!tuned) {
            std::fprintf(stderr, "%s: %s\n", c.name.c_str(), tuned.error().message.c_str());
            continue;
        }
        const auto r = recall_at_1(choose_gallery, choose_queries, tuned->adapter);
        print_row(c.name.c_str(), r);
        if (r.back() > best_r1 + 1e-9) best_r1 = r.back(), best = c;
    }
    std::printf("\nchosen on CHOOSE: %s\n\n", best.name.c_str());

    // 2. REPORT.
    t0 = std::chrono::steady_clock::now();
    auto tuned = rv::tune(*lib, best.params, kNever);
    const double tune_seconds = seconds_since(t0);
    if (!tuned) {
        std::fprintf(stderr, "%s\n", tuned.error().message.c_str());
        return 1;
    }
    std::printf("rv::tune on the CHOOSE library (%zu images, %zu views): %.1f s; version %lld %s\n  %s\n\n", tuned->images,
                tuned->views, tune_seconds, static_cast<long long>(tuned->version),
                tuned->activated ? "activated" : "not activated", tuned->reason.c_str());
    auto row = lib->catalog().adapter(tuned->version);
    auto adapter = rv::parse_adapter((*row)->params.data(), (*row)->params.size());
    if (!adapter) return 1;
    // Every original, embedded as the queries are (from the set's pixels).
    rv::FeatureMatrix gallery;
    gallery.dim = embedder.dim();
    for (const auto& im : set->originals) {
        auto v = embedder.embed(im);
        if (!v) v = std::vector<float>(static_cast<std::size_t>(gallery.dim), 0.0f);
        gallery.rows.insert(gallery.rows.end(), v->begin(), v->end());
    }
    rv::AdapterStack tuned_stack;
    tuned_stack.base = *adapter;
    std::vector<float> g_tuned(gallery.rows.size());
    tuned_stack.apply_rows(gallery.rows.data(), g_tuned.data(), gallery.size(), gallery.dim);
    const std::size_t nq = set->queries.size(), no = gallery.size(), d = static_cast<std::size_t>(gallery.dim);
    std::vector<float> sim_plain(nq * no, 0.0f), sim_tuned(nq * no, 0.0f);
    std::size_t asked = 0;
    std::vector<float> qa(d);
    for (std::size_t q = 0; q < nq; ++q) {
        if (set->half[static_cast<std::size_t>(set->queries[q].original)] != rvbench::Half::Report) continue;
        auto v = embedder.embed(set->query_image(static_cast<int>(q)));
        if (!v) continue;
        ++asked;
        tuned_stack.apply(v->data(), qa.data(), gallery.dim);
        for (std::size_t r = 0; r < no; ++r) {
            double p = 0, t = 0;
            for (std::size_t j = 0; j < d; ++j) {
                p += static_cast<double>((*v)[j]) * gallery.rows[r * d + j];
                t += static_cast<double>(qa[j]) * g_tuned[r * d + j];
            }
            sim_plain[q * no + r] = static_cast<float>(p);
            sim_tuned[q * no + r] = static_cast<float>(t);
        }
    }
    const auto plain = rvbench::honest_score(*set, rvbench::right_ranks(*set, sim_plain)).half[1];
    const auto tuned_score = rvbench::honest_score(*set, rvbench::right_ranks(*set, sim_tuned)).half[1];
    std::printf("REPORT: R@1 of the honest set's %zu REPORT queries against all %zu originals\n\n", asked, no);
    std::printf("| |");
    for (int e = 0; e < rv::kImageEditCount; ++e) std::printf(" %s |", rv::image_edit_name(static_cast<rv::ImageEdit>(e)));
    std::printf(" 2-3 combined | combined R@10 |\n|---|");
    for (int e = 0; e < rv::kImageEditCount + 2; ++e) std::printf("---|");
    std::printf("\n");
    for (const auto* part : {&plain, &tuned_score}) {
        std::printf("| %s |", part == &plain ? "plain features" : ("tuned (" + best.name + ")").c_str());
        for (double v : part->single_r1) std::printf(" %.3f |", v);
        std::printf(" %.3f | %.3f |\n", part->combined_r1, part->combined_r10);
    }
    std::printf("\n");

    // 3. Fashion-MNIST.
    if (!o.skip_fashion) {
        auto fashion = rvbench::load_fashion(o.fashion, o.fashion_per_class);
        if (!fashion) {
            std::fprintf(stderr, "Fashion-MNIST: %s\n", fashion.error().message.c_str());
        } else {
            const fs::path froot = work / "fashion";
            fs::create_directories(froot);
            std::vector<fs::path> files;
            for (std::size_t i = 0; i < fashion->images.size(); ++i) {
                auto& im = fashion->images[i];
                cv::Mat rgb(im.height, im.width, CV_8UC3, im.data.data()), bgr;
                cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
                files.push_back(froot / ("f" + std::to_string(i) + ".png"));
                cv::imwrite(files.back().string(), bgr);
            }
            auto flib = make_library(work / "fashion-library", froot, o.threads);
            if (flib) {
                rv::TuneParams fp = best.params;
                t0 = std::chrono::steady_clock::now();
                auto ft = rv::tune(*flib, fp, kNever);
                const double fs_ = seconds_since(t0);
                const auto feats = embed_files(flib->embedder(), files);
                rvbench::Matrix before(static_cast<int>(files.size()), feats.dim), after = before;
                std::copy(feats.rows.begin(), feats.rows.end(), before.v.begin());
                std::printf("Fashion-MNIST (%zu images, %d per class): mAP@10 plain %.4f", files.size(), o.fashion_per_class,
                            rvbench::fashion_map10(before, fashion->labels));
                if (ft) {
                    auto frow = flib->catalog().adapter(ft->version);
                    auto fa = rv::parse_adapter((*frow)->params.data(), (*frow)->params.size());
                    rv::AdapterStack s;
                    s.base = *fa;
                    s.apply_rows(before.v.data(), after.v.data(), files.size(), feats.dim);
                    std::printf(", tuned %.4f (tune %.1f s on %zu images; %s)\n", rvbench::fashion_map10(after, fashion->labels),
                                fs_, ft->images, ft->reason.c_str());
                } else {
                    std::printf("; tune failed: %s\n", ft.error().message.c_str());
                }
            }
        }
    }
    std::error_code ec;
    fs::remove_all(work, ec);
    return 0;
}
