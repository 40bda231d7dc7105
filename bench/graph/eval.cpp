#include "graph/eval.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <thread>

#include "learning/retrieval.h"

namespace gr = rv::graph;

namespace rvgraph {

Method Method::plain()
{
    Method m;
    m.shortlist = 10;
    return m;
}

Method Method::qe(int n, double alpha)
{
    Method m;
    m.kind = Kind::Expansion;
    m.qe_n = n;
    m.qe_alpha = alpha;
    return m;
}

Method Method::dba(int k, double alpha, int n, double qe_alpha)
{
    Method m;
    m.kind = Kind::Dba;
    m.dba_k = k;
    m.dba_alpha = alpha;
    m.qe_n = n;
    m.qe_alpha = qe_alpha;
    return m;
}

Method Method::diffusion_of(int shortlist, const gr::DiffusionParams& p)
{
    Method m;
    m.kind = Kind::Diffusion;
    m.shortlist = shortlist;
    m.diffusion = p;
    return m;
}

Method Method::with_rule(CopyRule r, double t) const
{
    Method m = *this;
    m.rule = r;
    m.tau = t;
    return m;
}

std::string Method::family() const
{
    switch (kind) {
    case Kind::Plain: return "plain";
    case Kind::Expansion: return "QE";
    case Kind::Dba: return qe_n > 0 ? "DBA+QE" : "DBA";
    case Kind::Diffusion: return "diffusion";
    }
    return "?";
}

std::string Method::name() const
{
    char b[200];
    switch (kind) {
    case Kind::Plain: std::snprintf(b, sizeof b, "plain"); break;
    case Kind::Expansion: std::snprintf(b, sizeof b, "QE R=%d n=%d a=%g", shortlist, qe_n, qe_alpha); break;
    case Kind::Dba:
        if (qe_n > 0) std::snprintf(b, sizeof b, "DBA k=%d a=%g + QE n=%d a=%g", dba_k, dba_alpha, qe_n, qe_alpha);
        else std::snprintf(b, sizeof b, "DBA k=%d a=%g", dba_k, dba_alpha);
        break;
    case Kind::Diffusion:
        std::snprintf(b, sizeof b, "diffusion R=%d k=%d seeds=%d gamma=%g alpha=%g", shortlist, diffusion.graph_k,
                      diffusion.seeds, diffusion.gamma, diffusion.alpha);
        break;
    }
    std::string s = b;
    if (rule == CopyRule::KeepFirst) s += ", copies >= " + std::to_string(tau).substr(0, 5) + " first";
    if (rule == CopyRule::Gate) s += ", only if top < " + std::to_string(tau).substr(0, 5);
    if (rule == CopyRule::Leaders) s += ", leaders standing out by " + std::to_string(tau).substr(0, 4) + " first";
    return s;
}

namespace {

// One query's refined order of the shortlist under method m (shortlist positions, best first).
std::vector<gr::Ranked> refine(const Method& m, const float* q, const std::vector<float>& cand, int avail, int dim,
                               const std::vector<gr::Ranked>& plain_all, const std::vector<float>& qs,
                               const std::vector<float>& gram, int stride)
{
    const int r = std::min(m.shortlist, avail);
    const std::vector<gr::Ranked> plain(plain_all.begin(), plain_all.begin() + r);
    std::vector<gr::Ranked> refined;
    switch (m.kind) {
    case Method::Kind::Plain: return plain;
    case Method::Kind::Expansion:
    case Method::Kind::Dba:
        if (m.qe_n == 0) return plain;
        refined = gr::expand_and_rank(q, gr::Rows{cand.data(), r, dim}, {m.qe_n, m.qe_alpha});
        break;
    case Method::Kind::Diffusion:
        refined = gr::diffuse_scores(qs.data(), gram.data(), r, stride, m.diffusion);
        break;
    }
    if (m.rule == CopyRule::KeepFirst) return gr::keep_copies_first(plain, refined, static_cast<float>(m.tau));
    if (m.rule == CopyRule::Gate && !plain.empty() && plain[0].score >= m.tau) return plain;
    if (m.rule == CopyRule::Leaders) return gr::keep_leaders_first(plain, refined, m.tau);
    return refined;
}

// Methods sharing one database (plain features, or one DBA setting).
struct Group {
    std::vector<float> db;
    std::vector<int> methods;
};

}  // namespace

std::vector<std::vector<double>> evaluate(const EvalSet& set, const std::vector<Method>& methods, int threads)
{
    const int d = set.dim, n = set.db_count, nq = set.query_count();
    std::map<std::pair<int, double>, Group> groups;
    gr::KnnGraph knn;
    for (std::size_t i = 0; i < methods.size(); ++i) {
        const Method& m = methods[i];
        const auto key = m.kind == Method::Kind::Dba ? std::make_pair(m.dba_k, m.dba_alpha) : std::make_pair(0, 0.0);
        groups[key].methods.push_back(static_cast<int>(i));
        if (key.first > knn.k && knn.k < n - 1) knn = gr::knn_graph(gr::Rows{set.db.data(), n, d}, 10);
    }
    for (auto& kv : groups)
        kv.second.db = kv.first.first == 0 ? set.db
                                           : gr::augment_database(gr::Rows{set.db.data(), n, d}, knn, kv.first.first,
                                                                  kv.first.second);

    std::vector<std::vector<double>> out(methods.size(), std::vector<double>(static_cast<std::size_t>(nq), 0.0));
    auto work = [&](int t) {
        std::vector<float> s(static_cast<std::size_t>(n)), cand, qs, gram;
        for (int qi = t; qi < nq; qi += threads) {
            const float* q = set.queries.data() + static_cast<std::size_t>(qi) * static_cast<std::size_t>(d);
            const int ex = set.exclude[static_cast<std::size_t>(qi)];
            for (const auto& kv : groups) {
                const Group& g = kv.second;
                int rmax = 0;
                bool need_gram = false;
                for (int mi : g.methods) {
                    rmax = std::max(rmax, methods[static_cast<std::size_t>(mi)].shortlist);
                    need_gram |= methods[static_cast<std::size_t>(mi)].kind == Method::Kind::Diffusion;
                }
                for (int j = 0; j < n; ++j)
                    s[static_cast<std::size_t>(j)] =
                        j == ex ? -std::numeric_limits<float>::infinity()
                                : gr::dot(q, g.db.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(d), d);
                const int avail = n - (ex >= 0 ? 1 : 0);
                rmax = std::min(rmax, avail);
                std::vector<int> idx(static_cast<std::size_t>(n));
                std::iota(idx.begin(), idx.end(), 0);
                std::partial_sort(idx.begin(), idx.begin() + rmax, idx.end(), [&](int a, int b) {
                    return s[static_cast<std::size_t>(a)] != s[static_cast<std::size_t>(b)]
                               ? s[static_cast<std::size_t>(a)] > s[static_cast<std::size_t>(b)] : a < b;
                });
                idx.resize(static_cast<std::size_t>(rmax));
                cand.resize(static_cast<std::size_t>(rmax) * static_cast<std::size_t>(d));
                qs.resize(static_cast<std::size_t>(rmax));
                std::vector<gr::Ranked> plain;
                for (int r = 0; r < rmax; ++r) {
                    const int j = idx[static_cast<std::size_t>(r)];
                    std::copy_n(g.db.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(d), d,
                                cand.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(d));
                    qs[static_cast<std::size_t>(r)] = s[static_cast<std::size_t>(j)];
                    plain.push_back({r, s[static_cast<std::size_t>(j)]});
                }
                if (need_gram) gram = gr::gram(gr::Rows{cand.data(), rmax, d});
                for (int mi : g.methods) {
                    const auto order = refine(methods[static_cast<std::size_t>(mi)], q, cand, avail, d, plain, qs,
                                              gram, rmax);
                    std::vector<int> ranked;
                    for (std::size_t r = 0; r < order.size() && r < 10; ++r)
                        ranked.push_back(idx[static_cast<std::size_t>(order[r].index)]);
                    out[static_cast<std::size_t>(mi)][static_cast<std::size_t>(qi)] = set.metric(qi, ranked);
                }
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    return out;
}

EvalSet fashion_set(const rvlearn::Pool& pool, const std::vector<int>& rows, int max_queries, std::uint64_t seed)
{
    EvalSet s;
    s.dim = pool.features.dim;
    s.db_count = static_cast<int>(rows.size());
    auto labels = std::make_shared<std::vector<int>>();
    for (int r : rows) {
        const float* v = pool.features.row(static_cast<std::size_t>(r));
        s.db.insert(s.db.end(), v, v + s.dim);
        labels->push_back(pool.labels[static_cast<std::size_t>(r)]);
    }
    std::vector<int> pos(rows.size());
    std::iota(pos.begin(), pos.end(), 0);
    if (static_cast<int>(pos.size()) > max_queries) {
        rvlearn::Rng rng(seed);
        rng.shuffle(pos);
        pos.resize(static_cast<std::size_t>(max_queries));
        std::sort(pos.begin(), pos.end());
    }
    auto class_size = std::make_shared<std::vector<int>>(10, 0);
    for (int l : *labels) ++(*class_size)[static_cast<std::size_t>(l)];
    auto query_label = std::make_shared<std::vector<int>>();
    for (int p : pos) {
        s.queries.insert(s.queries.end(), s.db.begin() + static_cast<std::ptrdiff_t>(p) * s.dim,
                         s.db.begin() + static_cast<std::ptrdiff_t>(p + 1) * s.dim);
        s.exclude.push_back(p);
        query_label->push_back((*labels)[static_cast<std::size_t>(p)]);
    }
    s.metric = [labels, class_size, query_label](int qi, const std::vector<int>& ranked) {
        const int l = (*query_label)[static_cast<std::size_t>(qi)];
        return rvlearn::ap10(ranked, *labels, l, (*class_size)[static_cast<std::size_t>(l)] - 1);
    };
    return s;
}

}  // namespace rvgraph
