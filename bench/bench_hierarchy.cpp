// bench_hierarchy: the collection's hierarchy (issue 12, "Measured": hierarchy quality).
//
//   bench_hierarchy [--fashion DIR] [--features FILE] [--threads N] [--images N] [--seed S]
//                   [--marks M] [--copies K] [--sizes N,N,...] [--no-copies] [--no-scale] [--no-quality]
//
// Data: Fashion-MNIST's t10k images embedded with the default model (bench_learning's cache,
// learning/features.h). A seeded shuffle of the 10,000 gives a CHOOSE half and a REPORT half of
// --images / 2 each (default 2000 + 2000). Every build variant (hierarchy/quality.h) is scored on
// CHOOSE; the best and build_hierarchy's default are reported on REPORT, with the plain exact
// average-linkage tree on the same vectors as the baseline. After marks: a simulated person marks
// --marks top-10 results by class within each half (hierarchy/quality.h after_marks), the half's
// features go through the group discriminant fitted on them, and the same comparison runs again
// (the variant chosen again on CHOOSE). Near-duplicates: --copies REPORT images, four edited
// copies each, embedded; the share of copies whose lowest group holds their original. Scale: build
// time and peak memory on synthetic clustered unit vectors of the model's dimension (--sizes).
// Markdown tables on stdout, progress on stderr.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <sstream>
#include <string>

#include "hierarchy/copies.h"
#include "hierarchy/quality.h"
#include "hierarchy/scale.h"
#include "learning/Random.h"
#include "learning/features.h"

namespace fs = std::filesystem;
using namespace rvhier;

namespace {

struct Options {
    fs::path fashion_dir = "/usr/share/datasets/fashion-mnist";
    fs::path features;
    int threads = 2, images = 4000, marks = 200, copies = 100;
    std::uint64_t seed = 1;
    std::vector<std::size_t> sizes = {10000, 100000};
    bool do_copies = true, do_scale = true, do_quality = true;
};

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "bench_hierarchy: %s\n", msg.c_str());
    std::exit(2);
}

long num_arg(int& i, int argc, char** argv, long lo, long hi) {
    if (i + 1 >= argc) die(std::string(argv[i]) + " needs a number");
    char* end = nullptr;
    const long v = std::strtol(argv[++i], &end, 10);
    if (*end != '\0' || v < lo || v > hi) die(std::string(argv[i - 1]) + ": " + argv[i] + " is not a number in range");
    return v;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--fashion" && i + 1 < argc) o.fashion_dir = argv[++i];
        else if (a == "--features" && i + 1 < argc) o.features = argv[++i];
        else if (a == "--threads") o.threads = int(num_arg(i, argc, argv, 1, 64));
        else if (a == "--images") o.images = int(num_arg(i, argc, argv, 20, 10000));
        else if (a == "--marks") o.marks = int(num_arg(i, argc, argv, 0, 100000));
        else if (a == "--copies") o.copies = int(num_arg(i, argc, argv, 1, 5000));
        else if (a == "--seed") o.seed = std::uint64_t(num_arg(i, argc, argv, 0, 1L << 40));
        else if (a == "--no-copies") o.do_copies = false;
        else if (a == "--no-scale") o.do_scale = false;
        else if (a == "--no-quality") o.do_quality = false;
        else if (a == "--sizes" && i + 1 < argc) {
            o.sizes.clear();
            std::stringstream ss(argv[++i]);
            for (std::string s; std::getline(ss, s, ',');) o.sizes.push_back(std::stoul(s));
        } else die("unknown argument " + a + " (see the top of bench_hierarchy.cpp)");
    }
    return o;
}

Labelled subset(const rvlearn::Pool& pool, const std::vector<int>& rows) {
    Labelled s;
    s.x.dim = pool.features.dim;
    for (int r : rows) {
        const float* v = pool.features.row(static_cast<std::size_t>(r));
        s.x.rows.insert(s.x.rows.end(), v, v + pool.features.dim);
        s.labels.push_back(pool.labels[static_cast<std::size_t>(r)]);
    }
    return s;
}

struct Choice {
    const Variant* best = nullptr;
    double purity = -1;
};

Choice choose(const Labelled& set, const std::vector<Variant>& vs, const char* what) {
    Choice c;
    for (const auto& v : vs) {
        const double p = variant_purity(set, v);
        std::fprintf(stderr, "  CHOOSE %s: %-40s %.4f\n", what, v.name.c_str(), p);
        if (p > c.purity) {
            c.purity = p;
            c.best = &v;
        }
    }
    return c;
}

void quality_rows(const char* stage, const Labelled& report, const Variant& def, const Choice& chosen, int threads) {
    double t_def = 0, t_best = 0;
    const double p_def = variant_purity(report, def, &t_def);
    const double p_best = variant_purity(report, *chosen.best, &t_best);
    const double base = average_linkage_purity(report, threads);
    std::printf("| %s | build_hierarchy default (%s) | %.4f | %.2f |\n", stage, def.name.c_str(), p_def, t_def);
    std::printf("| %s | chosen on CHOOSE: %s (CHOOSE %.4f) | %.4f | %.2f |\n", stage, chosen.best->name.c_str(),
                chosen.purity, p_best, t_best);
    std::printf("| %s | baseline: exact average linkage, binary | %.4f | |\n", stage, base);
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    auto pool = rvlearn::load_pool(o.fashion_dir, o.features, o.threads);
    if (!pool) die(pool.error().message);
    std::vector<int> order(pool->labels.size());
    std::iota(order.begin(), order.end(), 0);
    rv::learning::SplitMix64 rng(o.seed);
    rv::learning::shuffle(order, rng);
    const std::size_t half = static_cast<std::size_t>(o.images / 2);
    const std::vector<int> choose_rows(order.begin(), order.begin() + std::ptrdiff_t(half));
    const std::vector<int> report_rows(order.begin() + std::ptrdiff_t(half), order.begin() + std::ptrdiff_t(2 * half));
    const Labelled choose_set = subset(*pool, choose_rows), report_set = subset(*pool, report_rows);
    auto vs = variants(o.threads);
    if (o.do_copies) {
        // The duplicate threshold: the lowest of kThresholds that puts at most 1% of CHOOSE's own
        // (distinct) images in a Duplicates node with another, with copies of CHOOSE images in.
        const float kThresholds[] = {0.80f, 0.85f, 0.90f, 0.95f, 0.97f};
        auto choose_copies = make_copies(o.fashion_dir, choose_rows, static_cast<std::size_t>(o.copies),
                                         static_cast<std::uint32_t>(o.seed), o.threads);
        if (!choose_copies) die(choose_copies.error().message);
        std::printf("## Near-duplicates: %d images + 4 edited copies each (crop, jitter, blur, jpeg10), build_hierarchy default\n\n", o.copies);
        std::printf("| half | duplicate_cosine | edit | copies | lowest group holds the original | same Duplicates node | distinct images grouped | median cosine to original |\n|---|---|---|---|---|---|---|---|\n");
        float chosen = kThresholds[4];
        for (float t : kThresholds) {
            Variant v = vs[0];
            v.params.duplicate_cosine = t;
            const auto shares = copy_share(choose_set, *choose_copies, v);
            for (const auto& sh : shares)
                if (sh.edit == "all")
                    std::printf("| CHOOSE | %.2f | all | %zu | %.3f | %.3f | %.3f | %.3f |\n", double(t), sh.copies,
                                sh.holds_original, sh.same_duplicates, sh.distinct_grouped, sh.median_cosine);
            if (!shares.empty() && shares[0].distinct_grouped <= 0.01 && t < chosen) chosen = t;
        }
        for (auto& v : vs) v.params.duplicate_cosine = chosen;
        auto copies = make_copies(o.fashion_dir, report_rows, static_cast<std::size_t>(o.copies),
                                  static_cast<std::uint32_t>(o.seed), o.threads);
        if (!copies) die(copies.error().message);
        for (const auto& sh : copy_share(report_set, *copies, vs[0]))
            std::printf("| REPORT | %.2f | %s | %zu | %.3f | %.3f | %.3f | %.3f |\n", double(chosen), sh.edit.c_str(), sh.copies,
                        sh.holds_original, sh.same_duplicates, sh.distinct_grouped, sh.median_cosine);
        std::printf("\nduplicate_cosine chosen on CHOOSE: %.2f (used below)\n\n", double(chosen));
        std::fflush(stdout);
    }

    if (o.do_quality) {
    std::printf("## Hierarchy quality: dendrogram purity on Fashion-MNIST (%s), %zu CHOOSE + %zu REPORT images, seed %llu\n\n",
                pool->model.c_str(), half, half, static_cast<unsigned long long>(o.seed));
    std::printf("| stage | tree | purity (REPORT) | build s |\n|---|---|---|---|\n");
    const Choice before = choose(choose_set, vs, "plain");
    quality_rows("plain features", report_set, vs[0], before, o.threads);
    if (o.marks > 0) {
        std::string s_choose, s_report;
        const Labelled choose_m = after_marks(choose_set, o.marks, o.seed + 1, &s_choose);
        const Labelled report_m = after_marks(report_set, o.marks, o.seed + 2, &s_report);
        std::fprintf(stderr, "CHOOSE fit: %s\nREPORT fit: %s\n", s_choose.c_str(), s_report.c_str());
        const Choice after = choose(choose_m, vs, "marks");
        const std::string stage = "after " + std::to_string(o.marks) + " marks";
        quality_rows(stage.c_str(), report_m, vs[0], after, o.threads);
        std::printf("\nREPORT discriminant: %s\n", s_report.c_str());
    }
    std::fflush(stdout);
    }

    if (o.do_scale) {
        std::printf("\n## Build time and memory: synthetic clustered unit vectors (dimension %d, 200 clusters), %d threads\n\n",
                    pool->features.dim, o.threads);
        std::printf("| images | build s | features MiB | peak above start MiB | nodes | depth |\n|---|---|---|---|---|---|\n");
        for (std::size_t n : o.sizes) {
            const auto r = scale_run(n, pool->features.dim, 200, o.seed, vs[0]);
            std::printf("| %zu | %.2f | %.0f | %.0f | %zu | %d |\n", r.n, r.seconds, r.input_mib, r.peak_extra_mib, r.nodes,
                        r.depth);
            std::fflush(stdout);
        }
    }
    return 0;
}
