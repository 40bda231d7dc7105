#include "search/GraphRefine.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ruvision/kernels/kernels.h"

namespace rv::graph {

namespace {

// Best first; equal scores: the lower index first.
void sort_ranked(std::vector<Ranked>& v)
{
    std::sort(v.begin(), v.end(), [](const Ranked& a, const Ranked& b) {
        return a.score != b.score ? a.score > b.score : a.index < b.index;
    });
}

double affinity(double s, double gamma) { return s > 0 ? std::pow(s, gamma) : 0.0; }

void normalise(std::vector<float>& v)
{
    kernels::kernels().l2_normalize(v.data(), v.size());
}

// The indices of the `k` largest of values[0, n) except `skip`, best first (ties: lower index).
std::vector<int> top_indices(const float* values, int n, int k, int skip)
{
    std::vector<int> idx;
    idx.reserve(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j)
        if (j != skip) idx.push_back(j);
    k = std::clamp(k, 0, static_cast<int>(idx.size()));
    auto better = [values](int a, int b) { return values[a] != values[b] ? values[a] > values[b] : a < b; };
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), better);
    idx.resize(static_cast<std::size_t>(k));
    return idx;
}

// The symmetric matrix S = D^-1/2 W D^-1/2 of the mutual-kNN graph, as adjacency lists.
struct SparseSym {
    std::vector<std::vector<std::pair<int, double>>> adj;
    void multiply(const std::vector<double>& x, std::vector<double>& y) const
    {
        for (std::size_t i = 0; i < adj.size(); ++i) {
            double s = 0;
            for (const auto& e : adj[i]) s += e.second * x[static_cast<std::size_t>(e.first)];
            y[i] = s;
        }
    }
};

SparseSym normalised_graph(const float* gram, int n, int stride, int k, double gamma)
{
    const auto N = static_cast<std::size_t>(n);
    std::vector<char> linked(N * N, 0);  // linked[i*n+j]: j among i's k nearest
    for (int i = 0; i < n; ++i)
        for (int j : top_indices(gram + static_cast<std::size_t>(i) * static_cast<std::size_t>(stride), n, k, i))
            linked[static_cast<std::size_t>(i) * N + static_cast<std::size_t>(j)] = 1;
    SparseSym s;
    s.adj.resize(N);
    std::vector<double> degree(N, 0.0);
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = i + 1; j < N; ++j)
            if (linked[i * N + j] && linked[j * N + i]) {
                const double w = affinity(gram[i * static_cast<std::size_t>(stride) + j], gamma);
                if (w <= 0) continue;
                s.adj[i].emplace_back(static_cast<int>(j), w);
                s.adj[j].emplace_back(static_cast<int>(i), w);
                degree[i] += w;
                degree[j] += w;
            }
    for (std::size_t i = 0; i < N; ++i)
        for (auto& e : s.adj[i]) e.second /= std::sqrt(degree[i] * degree[static_cast<std::size_t>(e.first)]);
    return s;
}

// Solves (I - alpha S) f = y by conjugate gradient (the matrix is symmetric positive definite for
// 0 <= alpha < 1, S's eigenvalues lying in [-1, 1]).
std::vector<double> solve(const SparseSym& s, double alpha, const std::vector<double>& y, int iterations)
{
    const std::size_t n = y.size();
    std::vector<double> f(n, 0.0), r = y, p = y, ap(n, 0.0);
    auto inner = [](const std::vector<double>& a, const std::vector<double>& b) {
        return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
    };
    double rs = inner(r, r);
    const double stop = 1e-12 * rs;  // (1e-6 relative residual)^2
    for (int it = 0; it < iterations && rs > stop && rs > 0; ++it) {
        s.multiply(p, ap);
        for (std::size_t i = 0; i < n; ++i) ap[i] = p[i] - alpha * ap[i];
        const double pap = inner(p, ap);
        if (!(pap > 0)) break;
        const double a = rs / pap;
        for (std::size_t i = 0; i < n; ++i) {
            f[i] += a * p[i];
            r[i] -= a * ap[i];
        }
        const double rs_next = inner(r, r);
        for (std::size_t i = 0; i < n; ++i) p[i] = r[i] + (rs_next / rs) * p[i];
        rs = rs_next;
    }
    return f;
}

}  // namespace

float dot(const float* a, const float* b, int dim)
{
    return kernels::kernels().dot(a, b, static_cast<std::size_t>(std::max(dim, 0)));
}

std::vector<Ranked> rank_plain(const float* q, Rows cand)
{
    std::vector<Ranked> out;
    out.reserve(static_cast<std::size_t>(std::max(cand.count, 0)));
    for (int i = 0; i < cand.count; ++i) out.push_back({i, dot(q, cand.row(i), cand.dim)});
    sort_ranked(out);
    return out;
}

std::vector<float> gram(Rows cand)
{
    const auto n = static_cast<std::size_t>(std::max(cand.count, 0));
    std::vector<float> g(n * n, 0.0f);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j) {
            const float s = dot(cand.row(static_cast<int>(i)), cand.row(static_cast<int>(j)), cand.dim);
            g[i * n + j] = s;
            g[j * n + i] = s;
        }
    return g;
}

std::vector<float> expand_query(const float* q, Rows cand, const ExpansionParams& p)
{
    const auto d = static_cast<std::size_t>(cand.dim);
    std::vector<float> out(q, q + d);
    const std::vector<Ranked> plain = rank_plain(q, cand);
    const std::size_t n = std::min(plain.size(), static_cast<std::size_t>(std::max(p.neighbours, 0)));
    if (n == 0) return out;
    std::vector<double> acc(out.begin(), out.end());
    for (std::size_t r = 0; r < n; ++r) {
        const double w = affinity(plain[r].score, p.alpha);
        const float* v = cand.row(plain[r].index);
        for (std::size_t c = 0; c < d; ++c) acc[c] += w * v[c];
    }
    for (std::size_t c = 0; c < d; ++c) out[c] = static_cast<float>(acc[c]);
    normalise(out);
    return out;
}

std::vector<Ranked> expand_and_rank(const float* q, Rows cand, const ExpansionParams& p)
{
    const std::vector<float> q2 = expand_query(q, cand, p);
    return rank_plain(q2.data(), cand);
}

KnnGraph knn_graph(Rows db, int k)
{
    KnnGraph g;
    const int n = std::max(db.count, 0);
    g.k = std::clamp(k, 0, std::max(n - 1, 0));
    const auto K = static_cast<std::size_t>(g.k);
    g.neighbour.resize(static_cast<std::size_t>(n) * K);
    g.score.resize(static_cast<std::size_t>(n) * K);
    std::vector<float> s(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) s[static_cast<std::size_t>(j)] = dot(db.row(i), db.row(j), db.dim);
        const std::vector<int> top = top_indices(s.data(), n, g.k, i);
        for (std::size_t r = 0; r < K; ++r) {
            g.neighbour[static_cast<std::size_t>(i) * K + r] = top[r];
            g.score[static_cast<std::size_t>(i) * K + r] = s[static_cast<std::size_t>(top[r])];
        }
    }
    return g;
}

std::vector<float> augment_database(Rows db, const KnnGraph& g, int k, double alpha)
{
    const auto d = static_cast<std::size_t>(db.dim);
    const auto n = static_cast<std::size_t>(std::max(db.count, 0));
    std::vector<float> out(db.data, db.data + n * d);
    k = std::clamp(k, 0, g.k);
    if (k == 0) return out;
    const auto K = static_cast<std::size_t>(g.k);
    std::vector<float> v(d);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> acc(db.row(static_cast<int>(i)), db.row(static_cast<int>(i)) + d);
        for (std::size_t r = 0; r < static_cast<std::size_t>(k); ++r) {
            const double w = affinity(g.score[i * K + r], alpha);
            const float* u = db.row(g.neighbour[i * K + r]);
            for (std::size_t c = 0; c < d; ++c) acc[c] += w * u[c];
        }
        for (std::size_t c = 0; c < d; ++c) v[c] = static_cast<float>(acc[c]);
        normalise(v);
        std::copy(v.begin(), v.end(), out.begin() + static_cast<std::ptrdiff_t>(i * d));
    }
    return out;
}

std::vector<Ranked> diffuse_scores(const float* query_scores, const float* gram_rows, int count, int stride,
                                   const DiffusionParams& p)
{
    const int n = std::max(count, 0);
    const SparseSym s = normalised_graph(gram_rows, n, stride, p.graph_k, p.gamma);
    std::vector<double> y(static_cast<std::size_t>(n), 0.0);
    for (int i : top_indices(query_scores, n, p.seeds, -1))
        y[static_cast<std::size_t>(i)] = affinity(query_scores[i], p.gamma);
    const std::vector<double> f = solve(s, std::clamp(p.alpha, 0.0, 0.999999), y, p.iterations);
    const double top = f.empty() ? 0.0 : *std::max_element(f.begin(), f.end());

    std::vector<Ranked> reached, rest;
    for (int i = 0; i < n; ++i) {
        const double fi = f[static_cast<std::size_t>(i)];
        if (fi > 0 && top > 0) reached.push_back({i, static_cast<float>(fi / top)});
        else rest.push_back({i, query_scores[i]});
    }
    sort_ranked(reached);
    sort_ranked(rest);
    for (Ranked& r : rest) r.score = 0;  // not reached by the diffusion
    reached.insert(reached.end(), rest.begin(), rest.end());
    return reached;
}

std::vector<Ranked> diffuse(const float* q, Rows cand, const DiffusionParams& p)
{
    std::vector<float> qs(static_cast<std::size_t>(std::max(cand.count, 0)));
    for (int i = 0; i < cand.count; ++i) qs[static_cast<std::size_t>(i)] = dot(q, cand.row(i), cand.dim);
    const std::vector<float> g = gram(cand);
    return diffuse_scores(qs.data(), g.data(), cand.count, cand.count, p);
}

std::vector<Ranked> keep_copies_first(const std::vector<Ranked>& plain, const std::vector<Ranked>& refined,
                                      float copy_score)
{
    std::vector<Ranked> out;
    out.reserve(refined.size());
    std::vector<int> front;
    for (const Ranked& r : plain)
        if (r.score >= copy_score) {
            out.push_back(r);
            front.push_back(r.index);
        }
    std::sort(front.begin(), front.end());
    for (const Ranked& r : refined)
        if (!std::binary_search(front.begin(), front.end(), r.index)) out.push_back(r);
    return out;
}

std::vector<Ranked> keep_leaders_first(const std::vector<Ranked>& plain, const std::vector<Ranked>& refined,
                                       double min_share, int max_leaders)
{
    if (plain.size() < 2) return refined;
    const double spread = double(plain.front().score) - double(plain.back().score);
    if (!(spread > 0)) return refined;
    std::size_t cut = 0;  // leaders: plain[0, cut)
    double best = -1;
    const std::size_t last = std::min(plain.size() - 1, static_cast<std::size_t>(std::max(max_leaders, 1)));
    for (std::size_t i = 0; i < last; ++i) {
        const double drop = double(plain[i].score) - double(plain[i + 1].score);
        if (drop > best) {
            best = drop;
            cut = i + 1;
        }
    }
    if (best / spread < min_share) return refined;
    // Everything scoring at least the last leader's score stays in front (keep_copies_first's rule).
    return keep_copies_first(plain, refined, plain[cut - 1].score);
}

std::vector<Ranked> refine_search(const float* q, Rows cand)
{
    return expand_and_rank(q, cand, kSearchExpansion);
}

}  // namespace rv::graph
