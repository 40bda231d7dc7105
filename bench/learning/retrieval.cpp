#include "learning/retrieval.h"

#include <Eigen/Core>

#include <algorithm>
#include <numeric>

namespace rvlearn {

namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMat>;

ConstMap as_map(const rv::FeatureMatrix& m) {
    return ConstMap(m.rows.data(), static_cast<Eigen::Index>(m.size()), m.dim);
}

// The k best of scores[0..n) (skipping `exclude`), best first, lower index on ties.
std::vector<int> best_of(const float* scores, int n, int k, int exclude) {
    std::vector<int> idx;
    idx.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        if (i != exclude) idx.push_back(i);
    const auto better = [scores](int a, int b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); };
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), idx.size());
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(kk), idx.end(), better);
    idx.resize(kk);
    return idx;
}

}  // namespace

rv::FeatureMatrix select(const rv::FeatureMatrix& m, const std::vector<int>& rows) {
    rv::FeatureMatrix out;
    out.dim = m.dim;
    out.rows.reserve(rows.size() * static_cast<std::size_t>(m.dim));
    for (int r : rows) out.rows.insert(out.rows.end(), m.row(static_cast<std::size_t>(r)), m.row(static_cast<std::size_t>(r)) + m.dim);
    return out;
}

std::vector<int> top_k(const rv::FeatureMatrix& lib, const float* q, int k, int exclude) {
    const Eigen::Map<const Eigen::VectorXf> qv(q, lib.dim);
    const Eigen::VectorXf s = as_map(lib) * qv;
    return best_of(s.data(), static_cast<int>(s.size()), k, exclude);
}

std::vector<std::vector<int>> top_k_all(const rv::FeatureMatrix& lib, const rv::FeatureMatrix& queries, int k,
                                        const std::vector<int>* exclude) {
    const RowMat s = as_map(queries) * as_map(lib).transpose();
    std::vector<std::vector<int>> out(queries.size());
    for (std::size_t i = 0; i < queries.size(); ++i)
        out[i] = best_of(s.data() + i * static_cast<std::size_t>(s.cols()), static_cast<int>(s.cols()), k,
                         exclude ? (*exclude)[i] : -1);
    return out;
}

double ap10(const std::vector<int>& ranked, const std::vector<int>& lib_labels, int query_label, int relevant_total) {
    const int denom = std::min(10, relevant_total);
    if (denom <= 0) return 0;
    double sum = 0;
    int hits = 0;
    for (std::size_t k = 0; k < ranked.size() && k < 10; ++k) {
        if (lib_labels[static_cast<std::size_t>(ranked[k])] != query_label) continue;
        ++hits;
        sum += static_cast<double>(hits) / static_cast<double>(k + 1);
    }
    return sum / denom;
}

double map10(const rv::FeatureMatrix& lib, const std::vector<int>& lib_labels, const rv::FeatureMatrix& queries,
             const std::vector<int>& q_labels, const std::vector<int>* exclude) {
    if (queries.size() == 0) return 0;
    std::vector<int> count(16, 0);
    for (int l : lib_labels) ++count[static_cast<std::size_t>(l)];
    const auto tops = top_k_all(lib, queries, 10, exclude);
    double s = 0;
    for (std::size_t i = 0; i < tops.size(); ++i)
        s += ap10(tops[i], lib_labels, q_labels[i], count[static_cast<std::size_t>(q_labels[i])] - (exclude ? 1 : 0));
    return s / static_cast<double>(tops.size());
}

// xoshiro256** seeded by splitmix64.
Rng::Rng(std::uint64_t seed) {
    for (auto& s : s_) {
        seed += 0x9e3779b97f4a7c15ull;
        std::uint64_t z = seed;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        s = z ^ (z >> 31);
    }
}

std::uint64_t Rng::next() {
    const auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::size_t Rng::below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

}  // namespace rvlearn
