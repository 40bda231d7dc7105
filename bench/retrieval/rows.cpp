#include "retrieval/rows.h"

#include <cstdio>

#include <Eigen/Dense>

namespace rvbench {

namespace {

std::string fmt(double v) {
    if (v < 0) return "-";
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

}  // namespace

namespace {

// The honest set's recall with the originals and queries as given (rows L2-normalised).
HonestScore honest_of(const Matrix& originals, const Matrix& queries, const HonestSet& set) {
    using RowMajorF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMajorF> o(originals.v.data(), originals.rows, originals.cols);
    const Eigen::Map<const RowMajorF> q(queries.v.data(), queries.rows, queries.cols);
    const RowMajorF sim = q * o.transpose();
    const std::vector<float> flat(sim.data(), sim.data() + sim.size());
    return honest_score(set, right_ranks(set, flat));
}

}  // namespace

void score(const Matrix& e, const Layout& L, Row& row) {
    row.dim = e.cols;
    std::vector<int> idx;
    auto range = [&](int b, int n) {
        idx.resize(n);
        for (int i = 0; i < n; ++i) idx[i] = b + i;
        return select_rows(e, idx);
    };
    if (L.fashion > 0) row.fashion = fashion_map10(range(0, L.fashion), L.labels);
    if (L.honest && L.originals > 0 && L.queries > 0) {
        row.hs = honest_of(range(L.fashion, L.originals), range(L.fashion + L.originals, L.queries), *L.honest);
        row.has_hs = true;
    }
}

Row whitened(const Matrix& e, const Layout& L, const std::string& name, int keep_dims, double shrink, Row row) {
    row.post = name;
    std::vector<int> idx;
    auto range = [&](int b, int n) {
        idx.resize(n);
        for (int i = 0; i < n; ++i) idx[i] = b + i;
        return select_rows(e, idx);
    };
    if (L.fashion > 0) {
        const Matrix f = range(0, L.fashion);
        const auto w = Whitening::learn(f, shrink, keep_dims);
        row.fashion = fashion_map10(w.apply(f), L.labels);
        row.dim = w.out_dim();
    }
    if (L.honest && L.originals > 0 && L.queries > 0) {
        const Matrix o = range(L.fashion, L.originals), q = range(L.fashion + L.originals, L.queries);
        const auto w = Whitening::learn(o, shrink, keep_dims);  // the gallery only
        Matrix wo = w.apply(o), wq = w.apply(q);
        l2_normalize_rows(wo);
        l2_normalize_rows(wq);
        row.hs = honest_of(wo, wq, *L.honest);
        row.dim = w.out_dim();
    }
    return row;
}

void print_table(const std::vector<Row>& rows, bool with_ms, Half half) {
    const char* hn = half_name(half);
    const int h = static_cast<int>(half);
    std::printf("| model | descriptor | post | dim |%s Fashion mAP@10 | %s combined R@1 | %s combined R@10 |",
                with_ms ? " ms/img |" : "", hn, hn);
    for (int a = 0; a < rv::kImageEditCount; ++a) std::printf(" %s |", rv::image_edit_name(static_cast<rv::ImageEdit>(a)));
    std::printf("\n|---|---|---|--:|%s--:|--:|--:|", with_ms ? "--:|" : "");
    for (int a = 0; a < rv::kImageEditCount; ++a) std::printf("--:|");
    std::printf("\n");
    for (const auto& r : rows) {
        std::printf("| %s | %s | %s | %d |", r.model.c_str(), r.descriptor.c_str(), r.post.empty() ? "-" : r.post.c_str(),
                    r.dim);
        if (with_ms) {
            if (r.ms < 0) std::printf(" - |");
            else std::printf(" %.1f |", r.ms);
        }
        const auto& p = r.hs.half[h];
        std::printf(" %s | %s | %s |", fmt(r.fashion).c_str(), r.has_hs ? fmt(p.combined_r1).c_str() : "-",
                    r.has_hs ? fmt(p.combined_r10).c_str() : "-");
        for (int a = 0; a < rv::kImageEditCount; ++a)
            std::printf(" %s |", r.has_hs ? fmt(p.single_r1[static_cast<std::size_t>(a)]).c_str() : "-");
        std::printf("\n");
    }
    std::fflush(stdout);
}

void log_row(const Row& r) {
    char ms[32] = "-";
    if (r.ms >= 0) std::snprintf(ms, sizeof ms, "%.1f", r.ms);
    std::fprintf(stderr, "  %-22s %-32s %-8s dim %4d  ms %6s  fashion %s  CHOOSE comb R@1 %s  REPORT comb R@1 %s\n",
                 r.model.c_str(), r.descriptor.c_str(), r.post.c_str(), r.dim, ms, fmt(r.fashion).c_str(),
                 r.has_hs ? fmt(r.hs.half[0].combined_r1).c_str() : "-",
                 r.has_hs ? fmt(r.hs.half[1].combined_r1).c_str() : "-");
}

}  // namespace rvbench
