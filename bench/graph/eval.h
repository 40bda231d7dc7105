// bench_graph's machinery: the refinement methods as one value type, evaluation sets (a database,
// queries, a metric of a ranked list), the evaluation of many methods in one pass over the
// queries, the two sets (Fashion-MNIST, near-duplicates) and the cost at 10k / 100k vectors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "learning/features.h"
#include "ruvision/engine/Embedder.h"
#include "search/GraphRefine.h"

namespace rvgraph {

// How a refined order protects copies: none; candidates whose plain score reaches tau stay first
// (rv::graph::keep_copies_first); or the plain order whenever the best plain score reaches tau.
// Leaders: rv::graph::keep_leaders_first with min_share tau.
enum class CopyRule { None, KeepFirst, Gate, Leaders };

struct Method {
    enum class Kind { Plain, Expansion, Dba, Diffusion };
    Kind kind = Kind::Plain;
    int qe_n = 0;            // expansion neighbours (Expansion; Dba when > 0)
    double qe_alpha = 0;
    int dba_k = 0;           // DBA neighbours (Dba)
    double dba_alpha = 0;
    int shortlist = 100;     // candidates the refinement sees (the index's top `shortlist`)
    rv::graph::DiffusionParams diffusion;
    CopyRule rule = CopyRule::None;
    double tau = 2;

    static Method plain();
    static Method qe(int n, double alpha);
    static Method dba(int k, double alpha, int qe_n, double qe_alpha);
    static Method diffusion_of(int shortlist, const rv::graph::DiffusionParams& p);
    Method with_rule(CopyRule r, double t) const;
    std::string family() const;  // "plain", "QE", "DBA", "DBA+QE", "diffusion"
    std::string name() const;    // the family and its parameters
};

// Queries against a database of unit vectors; query i may exclude database row exclude[i] (the
// query itself, -1: none). metric(i, ranked) scores query i's top 10 (database rows, best first).
struct EvalSet {
    int dim = 0, db_count = 0;
    std::vector<float> db;       // db_count x dim
    std::vector<float> queries;  // query_count() x dim
    std::vector<int> exclude;
    std::function<double(int, const std::vector<int>&)> metric;
    int query_count() const { return static_cast<int>(exclude.size()); }
};

// Per method, per query: the metric of that method's order. `threads` workers over the queries.
std::vector<std::vector<double>> evaluate(const EvalSet& set, const std::vector<Method>& methods, int threads);

// Fashion: the pool rows `rows` as the database; up to `max_queries` of them (seeded) query the
// others; metric AP@10 by class.
EvalSet fashion_set(const rvlearn::Pool& pool, const std::vector<int>& rows, int max_queries, std::uint64_t seed);

// retrieval_quality's near-duplicate set (its seed, 640 px): originals as the database, every edit
// a query, metric 1 when the first result is the edit's original. Originals split seeded in halves.
struct NearDup {
    EvalSet set;
    std::vector<int> choose, report;  // query indices by their original's half
    std::vector<int> query_edit;      // per query, the edit's column
    std::vector<std::string> edit_names;
};
NearDup load_neardup(rv::Embedder& embedder, const std::filesystem::path& mate_dir,
                     const std::filesystem::path& wallpaper_dir, int threads, std::uint64_t seed);

// The honest set of issue 13 (retrieval/honest_set.h, its seed and halves): every original of the
// wallpaper packages as the database, each single edit and each 2-3-edit combination a query
// (columns: the nine edits, then "combined"), metric R@1; CHOOSE / REPORT by the original's half.
NearDup load_honest(rv::Embedder& embedder, const std::filesystem::path& backgrounds,
                    const std::filesystem::path& wallpapers, int threads);

// R@1 on the REPORT queries, per method: the mean and per edit.
struct NearDupScores {
    std::vector<double> mean;
    std::vector<std::vector<double>> per_edit;
};
NearDupScores neardup_table(const NearDup& nd, const std::vector<Method>& methods, int threads);

// Cost per query of the chosen methods at 10,000 and 100,000 vectors against the exact scan, a
// Markdown table on stdout.
void print_cost(const rvlearn::Pool& pool, const std::vector<Method>& chosen, std::uint64_t seed, bool quick);

}  // namespace rvgraph
