// bench_graph's near-duplicate set and its cost table (graph/eval.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <random>
#include <thread>

#include "graph/eval.h"
#include "ruvision/kernels/kernels.h"
#include "learning/retrieval.h"
#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "retrieval/honest_set.h"

namespace gr = rv::graph;

namespace rvgraph {

namespace {
constexpr std::uint32_t kNearDupSeed = 20240617;  // retrieval_quality's: the same edits
constexpr int kWorkingSide = 640;

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
}  // namespace

NearDup load_neardup(rv::Embedder& embedder, const std::filesystem::path& mate_dir,
                     const std::filesystem::path& wallpaper_dir, int threads, std::uint64_t seed)
{
    const auto sources = rvbench::neardup_sources(mate_dir, wallpaper_dir);
    const rvbench::NearDupSet set = rvbench::build_neardup(sources, kWorkingSide, kNearDupSeed);
    std::vector<const rv::RgbImage*> imgs;
    for (const auto& im : set.originals) imgs.push_back(&im);
    for (const auto& im : set.queries) imgs.push_back(&im);
    std::vector<double> ms;
    const rvbench::Matrix e = rvbench::embed_all(embedder, imgs, threads, ms);
    NearDup nd;
    const int no = static_cast<int>(set.originals.size()), nq = static_cast<int>(set.queries.size());
    nd.set.dim = e.cols;
    nd.set.db_count = no;
    nd.set.db.assign(e.v.begin(), e.v.begin() + static_cast<std::ptrdiff_t>(no) * e.cols);
    nd.set.queries.assign(e.v.begin() + static_cast<std::ptrdiff_t>(no) * e.cols, e.v.end());
    nd.set.exclude.assign(static_cast<std::size_t>(nq), -1);
    auto truth = std::make_shared<std::vector<int>>();
    for (int q = 0; q < nq; ++q) {
        truth->push_back(set.query_original(q));
        nd.query_edit.push_back(static_cast<int>(set.query_aug(q)));
    }
    nd.set.metric = [truth](int qi, const std::vector<int>& ranked) {
        return !ranked.empty() && ranked[0] == (*truth)[static_cast<std::size_t>(qi)] ? 1.0 : 0.0;
    };
    for (int a = 0; a < rvbench::kAugCount; ++a) nd.edit_names.push_back(rvbench::aug_name(static_cast<rvbench::Aug>(a)));
    std::vector<int> originals(static_cast<std::size_t>(no));
    std::iota(originals.begin(), originals.end(), 0);
    rvlearn::Rng rng(seed ^ 0x9e3779b97f4a7c15ULL);
    rng.shuffle(originals);
    std::vector<char> in_choose(static_cast<std::size_t>(no), 0);
    for (int i = 0; i < no / 2; ++i) in_choose[static_cast<std::size_t>(originals[static_cast<std::size_t>(i)])] = 1;
    for (int q = 0; q < nq; ++q)
        (in_choose[static_cast<std::size_t>((*truth)[static_cast<std::size_t>(q)])] ? nd.choose : nd.report).push_back(q);
    return nd;
}

NearDup load_honest(rv::Embedder& embedder, const std::filesystem::path& backgrounds,
                    const std::filesystem::path& wallpapers, int threads)
{
    auto set = rvbench::build_honest(rvbench::honest_sources(backgrounds, wallpapers), rvbench::HonestParams{});
    if (!set) {
        std::fprintf(stderr, "bench_graph: the honest set: %s\n", set.error().message.c_str());
        std::exit(1);
    }
    const int no = static_cast<int>(set->originals.size()), nq = static_cast<int>(set->queries.size());
    std::vector<rv::RgbImage> qimg(static_cast<std::size_t>(nq));
    std::vector<const rv::RgbImage*> imgs;
    for (const auto& im : set->originals) imgs.push_back(&im);
    for (int q = 0; q < nq; ++q) {
        qimg[static_cast<std::size_t>(q)] = set->query_image(q);
        imgs.push_back(&qimg[static_cast<std::size_t>(q)]);
    }
    std::vector<double> ms;
    const rvbench::Matrix e = rvbench::embed_all(embedder, imgs, threads, ms);
    NearDup nd;
    nd.set.dim = e.cols;
    nd.set.db_count = no;
    nd.set.db.assign(e.v.begin(), e.v.begin() + static_cast<std::ptrdiff_t>(no) * e.cols);
    nd.set.queries.assign(e.v.begin() + static_cast<std::ptrdiff_t>(no) * e.cols, e.v.end());
    nd.set.exclude.assign(static_cast<std::size_t>(nq), -1);
    auto truth = std::make_shared<std::vector<int>>();
    for (int q = 0; q < nq; ++q) {
        const rvbench::HonestQuery& hq = set->queries[static_cast<std::size_t>(q)];
        truth->push_back(hq.original);
        nd.query_edit.push_back(hq.single() ? hq.slot : rv::kImageEditCount);
        (set->half[static_cast<std::size_t>(hq.original)] == rvbench::Half::Choose ? nd.choose : nd.report).push_back(q);
    }
    nd.set.metric = [truth](int qi, const std::vector<int>& ranked) {
        return !ranked.empty() && ranked[0] == (*truth)[static_cast<std::size_t>(qi)] ? 1.0 : 0.0;
    };
    for (int k = 0; k < rv::kImageEditCount; ++k) nd.edit_names.push_back(rv::image_edit_name(static_cast<rv::ImageEdit>(k)));
    nd.edit_names.push_back("combined");
    return nd;
}

NearDupScores neardup_table(const NearDup& nd, const std::vector<Method>& methods, int threads)
{
    const auto v = evaluate(nd.set, methods, threads);
    NearDupScores s;
    const std::size_t edits = nd.edit_names.size();
    for (const auto& per_query : v) {
        std::vector<double> sum(edits, 0.0), count(edits, 0.0);
        double total = 0;
        for (int q : nd.report) {
            const auto e = static_cast<std::size_t>(nd.query_edit[static_cast<std::size_t>(q)]);
            sum[e] += per_query[static_cast<std::size_t>(q)];
            count[e] += 1;
            total += per_query[static_cast<std::size_t>(q)];
        }
        for (std::size_t e = 0; e < edits; ++e) sum[e] = count[e] > 0 ? sum[e] / count[e] : 0;
        s.mean.push_back(nd.report.empty() ? 0 : total / static_cast<double>(nd.report.size()));
        s.per_edit.push_back(sum);
    }
    return s;
}

void print_cost(const rvlearn::Pool& pool, const std::vector<Method>& chosen, std::uint64_t seed, bool quick)
{
    const int d = pool.features.dim;
    const int queries = quick ? 20 : 100;
    std::printf("\n## Cost per query (one thread; median of %d queries; Fashion features + seeded noise)\n\n", queries);
    std::printf("| vectors | method | exact scan (peer) | refinement | refinement / scan | DBA offline, per image |\n");
    std::printf("|--:|---|--:|--:|--:|--:|\n");
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> noise(0.0f, 0.01f);
    for (int n : {10000, 100000}) {
        std::vector<float> db(static_cast<std::size_t>(n) * static_cast<std::size_t>(d));
        for (int i = 0; i < n; ++i) {
            float* row = db.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(d);
            const float* src = pool.features.row(static_cast<std::size_t>(i) % pool.features.size());
            for (int c = 0; c < d; ++c) row[c] = src[c] + noise(rng);
            rv::kernels::kernels().l2_normalize(row, static_cast<std::size_t>(d));
        }
        std::vector<float> s(static_cast<std::size_t>(n));
        for (const Method& m : chosen) {
            if (m.kind == Method::Kind::Plain) continue;
            std::vector<double> scan_t, ref_t, dba_t;
            for (int qi = 0; qi < queries; ++qi) {
                const float* q = db.data() + static_cast<std::size_t>((qi * 7919) % n) * static_cast<std::size_t>(d);
                auto t0 = std::chrono::steady_clock::now();
                for (int j = 0; j < n; ++j) s[static_cast<std::size_t>(j)] = gr::dot(q, db.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(d), d);
                std::vector<int> idx(static_cast<std::size_t>(n));
                std::iota(idx.begin(), idx.end(), 0);
                const int r = std::min(m.shortlist, n);
                std::partial_sort(idx.begin(), idx.begin() + r, idx.end(),
                                  [&](int a, int b) { return s[static_cast<std::size_t>(a)] > s[static_cast<std::size_t>(b)]; });
                scan_t.push_back(seconds_since(t0));
                std::vector<float> cand;
                for (int k = 0; k < r; ++k) {
                    const float* v = db.data() + static_cast<std::size_t>(idx[static_cast<std::size_t>(k)]) * static_cast<std::size_t>(d);
                    cand.insert(cand.end(), v, v + d);
                }
                t0 = std::chrono::steady_clock::now();
                std::vector<gr::Ranked> out;
                if (m.kind == Method::Kind::Diffusion) out = gr::diffuse(q, gr::Rows{cand.data(), r, d}, m.diffusion);
                else if (m.qe_n > 0) out = gr::expand_and_rank(q, gr::Rows{cand.data(), r, d}, {m.qe_n, m.qe_alpha});
                ref_t.push_back(seconds_since(t0));
                if (out.size() != static_cast<std::size_t>(r) && m.kind != Method::Kind::Dba)
                    std::fprintf(stderr, "bench_graph: %s returned %zu of %d candidates\n", m.name().c_str(), out.size(), r);
                if (m.kind == Method::Kind::Dba) {
                    // DBA's offline work per image: its k nearest (an exact scan here) and the weighted mean.
                    t0 = std::chrono::steady_clock::now();
                    const gr::KnnGraph one = gr::knn_graph(gr::Rows{cand.data(), std::min(r, m.dba_k + 1), d}, m.dba_k);
                    const auto aug = gr::augment_database(gr::Rows{cand.data(), 1, d}, one, std::min(m.dba_k, one.k), m.dba_alpha);
                    static_cast<void>(aug);
                    dba_t.push_back(scan_t.back() + seconds_since(t0));
                }
            }
            const double sc = median(scan_t), rf = median(ref_t);
            std::printf("| %d | %s | %.2f ms | %.3f ms | %.2f |", n, m.name().c_str(), sc * 1e3, rf * 1e3, rf / sc);
            if (m.kind == Method::Kind::Dba) std::printf(" %.2f ms (x %d images: %.0f s) |\n", median(dba_t) * 1e3, n, median(dba_t) * n);
            else std::printf(" |\n");
        }
    }
}

}  // namespace rvgraph
