// Does refining a search on the kNN graph of its candidates help? (issue 13, engine/src/search/
// GraphRefine.h). Candidates: alpha query expansion (QE), database-side augmentation (DBA, with and
// without QE) and diffusion on the shortlist's own mutual-kNN graph; each also under the two rules
// that protect copies (a candidate whose plain score reaches tau stays in front; or no refinement
// at all when the best plain score reaches tau).
//
// Sets (every parameter chosen on CHOOSE, every figure reported on REPORT):
//   Fashion-MNIST (bench_learning's feature cache of the t10k images, default model): REPORT is
//     retrieval_quality's set (the first 100 test images of each class, each querying the other
//     999, mAP@10: its 0.58); CHOOSE is 100 other images per class drawn seeded from the rest.
//     At a larger size, 450 per class of the rest each (4500 images, 1000 seeded queries each).
//   Near-duplicates: the honest set of issue 13 (retrieval/honest_set.h: every wallpaper package's
//     originals as the database, single edits and 2-3 combined edits as queries, its own CHOOSE /
//     REPORT halves by original), R@1 per edit; --old-set: retrieval_quality's earlier set (10
//     seeded edits of 42 originals), its originals split seeded in halves.
//   Cost: per query at 10,000 and 100,000 vectors (Fashion features with seeded noise), the exact
//     scan as the peer, measured in the same run.
//
//   bench_graph [--fashion DIR] [--features FILE] [--backgrounds DIR] [--wallpapers DIR] [--seed S]
//               [--threads N] [--no-neardup] [--old-set [--mate DIR]] [--no-cost] [--quick]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "graph/eval.h"
#include "learning/features.h"
#include "learning/retrieval.h"
#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "ruvision/engine/Embedder.h"

namespace fs = std::filesystem;
namespace gr = rv::graph;
using rvgraph::Method;

namespace {

struct Options {
    fs::path fashion_dir = "/usr/share/datasets/fashion-mnist";
    fs::path features;
    fs::path mate_dir = "/usr/share/backgrounds/mate/nature";
    fs::path wallpaper_dir = "/usr/share/wallpapers";
    fs::path backgrounds_dir = "/usr/share/backgrounds";
    bool honest = true;  // the honest set of issue 13; --old-set: retrieval_quality's earlier one
    std::uint64_t seed = 20261130;
    int threads = 2;
    bool neardup = true, cost = true, quick = false;
};

[[noreturn]] void die(const std::string& m)
{
    std::fprintf(stderr, "bench_graph: %s\n", m.c_str());
    std::exit(1);
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) die(a + ": missing value");
            return argv[++i];
        };
        if (a == "--fashion") o.fashion_dir = next();
        else if (a == "--features") o.features = next();
        else if (a == "--mate") o.mate_dir = next();
        else if (a == "--wallpapers") o.wallpaper_dir = next();
        else if (a == "--seed") o.seed = std::stoull(next());
        else if (a == "--threads") o.threads = std::max(1, std::stoi(next()));
        else if (a == "--no-neardup") o.neardup = false;
        else if (a == "--old-set") o.honest = false;
        else if (a == "--backgrounds") o.backgrounds_dir = next();
        else if (a == "--no-cost") o.cost = false;
        else if (a == "--quick") o.quick = true;
        else die("unknown option " + a);
    }
    return o;
}

// The Fashion sets: pool rows (test-set order) per set.
struct FashionSplit {
    std::vector<int> report1000, choose1000, choose4500, report4500;
};

FashionSplit split_fashion(const std::vector<int>& labels, std::uint64_t seed)
{
    FashionSplit s;
    std::vector<std::vector<int>> rest(10);
    std::vector<int> taken(10, 0);
    for (int i = 0; i < static_cast<int>(labels.size()); ++i) {
        const int c = labels[static_cast<std::size_t>(i)];
        if (taken[static_cast<std::size_t>(c)]++ < 100) s.report1000.push_back(i);
        else rest[static_cast<std::size_t>(c)].push_back(i);
    }
    rvlearn::Rng rng(seed);
    for (auto& r : rest) {
        rng.shuffle(r);
        for (std::size_t k = 0; k < r.size() && k < 900; ++k) {
            if (k < 100) s.choose1000.push_back(r[k]);
            (k < 450 ? s.choose4500 : s.report4500).push_back(r[k]);
        }
    }
    for (auto* v : {&s.choose1000, &s.choose4500, &s.report4500}) std::sort(v->begin(), v->end());
    return s;
}

// The method grid every family is chosen from (on CHOOSE).
std::vector<Method> grid(bool quick)
{
    std::vector<Method> m;
    m.push_back(Method::plain());
    // QE on 100 candidates, and on 36: what Library::search holds for k = 10 (2k + 16)
    for (int shortlist : {100, 36})
        for (int n : {1, 2, 3, 5, 10})
            for (double a : {0.0, 1.0, 3.0, 5.0}) {
                Method q = Method::qe(n, a);
                q.shortlist = shortlist;
                m.push_back(q);
            }
    for (int k : {1, 2, 3, 5, 10})
        for (double a : {0.0, 3.0}) {
            m.push_back(Method::dba(k, a, 0, 0));
            for (int n : {1, 2, 5}) m.push_back(Method::dba(k, a, n, 3.0));
        }
    for (int r : {50, 100, 200})
        for (int k : {5, 10, 20})
            for (int seeds : {1, 3, 5, 10})
                for (double gamma : {1.0, 3.0})
                    for (double alpha : {0.8, 0.9, 0.99}) {
                        if (quick && (r != 100 || alpha != 0.9)) continue;
                        gr::DiffusionParams p;
                        p.graph_k = k;
                        p.seeds = seeds;
                        p.gamma = gamma;
                        p.alpha = alpha;
                        m.push_back(Method::diffusion_of(r, p));
                    }
    return m;
}

// The best of each family on `scores` (ties: the earlier in the grid).
std::vector<Method> best_per_family(const std::vector<Method>& methods, const std::vector<double>& scores)
{
    std::vector<Method> best;
    for (const char* fam : {"plain", "QE", "DBA", "DBA+QE", "diffusion"}) {
        int bi = -1;
        for (std::size_t i = 0; i < methods.size(); ++i)
            if (methods[i].family() == fam && (bi < 0 || scores[i] > scores[static_cast<std::size_t>(bi)]))
                bi = static_cast<int>(i);
        if (bi >= 0) best.push_back(methods[static_cast<std::size_t>(bi)]);
    }
    return best;
}

double mean(const std::vector<double>& v, const std::vector<int>& which)
{
    double s = 0;
    for (int i : which) s += v[static_cast<std::size_t>(i)];
    return which.empty() ? 0 : s / static_cast<double>(which.size());
}

std::vector<int> all_of(int n)
{
    std::vector<int> v(static_cast<std::size_t>(n));
    std::iota(v.begin(), v.end(), 0);
    return v;
}

}  // namespace

int main(int argc, char** argv)
{
    const Options o = parse(argc, argv);
    auto pool = rvlearn::load_pool(o.fashion_dir, o.features, o.threads);
    if (!pool) die(pool.error().message);
    std::fprintf(stderr, "bench_graph: %zu Fashion features (%s)%s\n", pool->features.size(), pool->model.c_str(),
                 pool->from_cache ? ", from the cache" : "");
    const FashionSplit split = split_fashion(pool->labels, o.seed);

    // --- Fashion: choose on CHOOSE-1000, report on REPORT-1000 (retrieval_quality's set) ---------
    const std::vector<Method> methods = grid(o.quick);
    const auto choose = rvgraph::fashion_set(*pool, split.choose1000, 1000, o.seed);
    const auto report = rvgraph::fashion_set(*pool, split.report1000, 1000, o.seed);
    std::fprintf(stderr, "bench_graph: %zu methods on CHOOSE-1000...\n", methods.size());
    const auto ch = rvgraph::evaluate(choose, methods, o.threads);
    std::vector<double> ch_mean;
    for (const auto& v : ch) ch_mean.push_back(mean(v, all_of(static_cast<int>(v.size()))));
    std::printf("## CHOOSE-1000: the best five of each family (mAP@10)\n\n| method | mAP@10 |\n|---|--:|\n");
    for (const char* fam : {"plain", "QE", "DBA", "DBA+QE", "diffusion"}) {
        std::vector<int> idx;
        for (std::size_t i = 0; i < methods.size(); ++i)
            if (methods[i].family() == fam) idx.push_back(static_cast<int>(i));
        std::stable_sort(idx.begin(), idx.end(),
                         [&](int a, int b) { return ch_mean[static_cast<std::size_t>(a)] > ch_mean[static_cast<std::size_t>(b)]; });
        for (std::size_t r = 0; r < idx.size() && r < 5; ++r)
            std::printf("| %s | %.4f |\n", methods[static_cast<std::size_t>(idx[r])].name().c_str(),
                        ch_mean[static_cast<std::size_t>(idx[r])]);
    }
    std::vector<Method> chosen = best_per_family(methods, ch_mean);
    {
        // QE on the 36 candidates Library::search holds for k = 10: its own best on CHOOSE
        int bi = -1;
        for (std::size_t i = 0; i < methods.size(); ++i)
            if (methods[i].kind == Method::Kind::Expansion && methods[i].shortlist == 36 &&
                (bi < 0 || ch_mean[i] > ch_mean[static_cast<std::size_t>(bi)]))
                bi = static_cast<int>(i);
        if (bi >= 0 && methods[static_cast<std::size_t>(bi)].name() != chosen[1].name())
            chosen.insert(chosen.begin() + 2, methods[static_cast<std::size_t>(bi)]);
    }

    // --- Near-duplicates: the copy rules' tau chosen on the CHOOSE originals -----------------------
    rvgraph::NearDup nd;
    if (o.neardup) {
        auto model = rv::find_model();
        if (!model) die(model.error().message);
        auto emb = rv::Embedder::open(*model);
        if (!emb) die(emb.error().message);
        nd = o.honest ? rvgraph::load_honest(**emb, o.backgrounds_dir, o.wallpaper_dir, o.threads)
                      : rvgraph::load_neardup(**emb, o.mate_dir, o.wallpaper_dir, o.threads, o.seed);
        std::fprintf(stderr, "bench_graph: near-duplicates: %d originals, %d queries\n", nd.set.db_count,
                     nd.set.query_count());
    }
    std::vector<Method> finals;  // chosen methods, then each under the chosen copy rule
    for (const Method& m : chosen) finals.push_back(m);
    if (o.neardup) {
        const std::vector<double> taus{0.95, 0.97, 0.98, 0.985, 0.99, 0.995};
        const std::vector<double> shares{0.1, 0.2, 0.3, 0.4, 0.5, 0.7};
        for (const Method& m : chosen) {
            if (m.family() == std::string("plain")) continue;
            std::vector<Method> rules;
            for (double t : taus) {
                rules.push_back(m.with_rule(rvgraph::CopyRule::KeepFirst, t));
                rules.push_back(m.with_rule(rvgraph::CopyRule::Gate, t));
            }
            for (double t : shares) rules.push_back(m.with_rule(rvgraph::CopyRule::Leaders, t));
            const auto f = rvgraph::evaluate(choose, rules, o.threads);
            const auto n = rvgraph::evaluate(nd.set, rules, o.threads);
            const auto nplain = rvgraph::evaluate(nd.set, {Method::plain()}, o.threads);
            const double floor = mean(nplain[0], nd.choose);
            // per rule: the setting of best Fashion CHOOSE whose near-dup CHOOSE R@1 is not below plain's
            for (auto kind : {rvgraph::CopyRule::KeepFirst, rvgraph::CopyRule::Gate, rvgraph::CopyRule::Leaders}) {
                int bi = -1;
                double bf = -1;
                for (std::size_t i = 0; i < rules.size(); ++i) {
                    if (rules[i].rule != kind) continue;
                    const double fm = mean(f[i], all_of(static_cast<int>(f[i].size())));
                    const double nm = mean(n[i], nd.choose);
                    std::fprintf(stderr, "  %s: Fashion CHOOSE %.4f, near-dup CHOOSE %.4f (plain %.4f)\n",
                                 rules[i].name().c_str(), fm, nm, floor);
                    if (nm >= floor && fm > bf) {
                        bf = fm;
                        bi = static_cast<int>(i);
                    }
                }
                if (bi >= 0) finals.push_back(rules[static_cast<std::size_t>(bi)]);
            }
        }
    }

    const auto rep = rvgraph::evaluate(report, finals, o.threads);
    rvgraph::NearDupScores nds;
    if (o.neardup) nds = rvgraph::neardup_table(nd, finals, o.threads);
    std::printf("\n## REPORT: chosen on CHOOSE\n\n| method | Fashion mAP@10 (1000) | near-dup R@1 (REPORT half) |");
    for (const auto& e : nd.edit_names) std::printf(" %s |", e.c_str());
    std::printf("\n|---|--:|--:|");
    for (std::size_t e = 0; e < nd.edit_names.size(); ++e) std::printf("--:|");
    std::printf("\n");
    for (std::size_t i = 0; i < finals.size(); ++i) {
        std::printf("| %s | %.4f |", finals[i].name().c_str(), mean(rep[i], all_of(static_cast<int>(rep[i].size()))));
        if (o.neardup) {
            std::printf(" %.3f |", nds.mean[i]);
            for (double v : nds.per_edit[i]) std::printf(" %.3f |", v);
        } else {
            std::printf(" |");
        }
        std::printf("\n");
    }

    // --- Fashion at 4500 images: the same families chosen on CHOOSE-4500 ---------------------------
    if (!o.quick) {
        const auto c45 = rvgraph::fashion_set(*pool, split.choose4500, 1000, o.seed + 1);
        const auto r45 = rvgraph::fashion_set(*pool, split.report4500, 1000, o.seed + 2);
        std::vector<Method> m45;
        for (const Method& m : methods)
            if (m.family() == std::string("plain") || m.family() == std::string("QE") ||
                m.family() == std::string("diffusion"))
                m45.push_back(m);
        const auto c = rvgraph::evaluate(c45, m45, o.threads);
        std::vector<double> cm;
        for (const auto& v : c) cm.push_back(mean(v, all_of(static_cast<int>(v.size()))));
        std::vector<Method> best45 = best_per_family(m45, cm);
        for (const Method& m : chosen)
            if (m.family() == std::string("diffusion") || m.family() == std::string("QE")) best45.push_back(m);
        const auto r = rvgraph::evaluate(r45, best45, o.threads);
        std::printf("\n## Fashion at 4500 images (1000 queries; first rows chosen on CHOOSE-4500, last two on "
                    "CHOOSE-1000)\n\n| method | mAP@10 REPORT-4500 |\n|---|--:|\n");
        for (std::size_t i = 0; i < best45.size(); ++i)
            std::printf("| %s | %.4f |\n", best45[i].name().c_str(), mean(r[i], all_of(static_cast<int>(r[i].size()))));
    }

    if (o.cost) rvgraph::print_cost(*pool, chosen, o.seed, o.quick);
    return 0;
}
