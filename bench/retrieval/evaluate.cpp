#include "retrieval/evaluate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

namespace rvbench {

namespace {

Matrix stack(const Matrix& a, const Matrix& b) {
    Matrix out(a.rows + b.rows, a.cols);
    std::copy(a.v.begin(), a.v.end(), out.v.begin());
    std::copy(b.v.begin(), b.v.end(), out.v.begin() + static_cast<std::ptrdiff_t>(a.v.size()));
    return out;
}

std::string fmt(double v) {
    if (v < 0) return "-";
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

}  // namespace

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Matrix embed_all(rv::Embedder& proto, const std::vector<const rv::RgbImage*>& images, int threads,
                 std::vector<double>& ms) {
    Matrix out(static_cast<int>(images.size()), proto.dim());
    ms.assign(images.size(), 0.0);
    std::atomic<std::size_t> next{0};
    auto work = [&](rv::Embedder* e) {
        for (std::size_t i; (i = next.fetch_add(1)) < images.size();) {
            const double t0 = now_s();
            const auto v = e->embed(*images[i]);
            ms[i] = (now_s() - t0) * 1e3;
            // A failed embedding leaves its row at zero (scored as matching nothing) and says so.
            if (v) std::copy(v->begin(), v->end(), out.row(static_cast<int>(i)));
            else std::fprintf(stderr, "image %zu: %s\n", i, v.error().message.c_str());
        }
    };
    std::vector<std::unique_ptr<rv::Embedder>> clones;
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) clones.push_back(proto.clone());
    for (auto& c : clones) pool.emplace_back(work, c.get());
    work(&proto);
    for (auto& t : pool) t.join();
    return out;
}

double mean_of(const std::vector<double>& v, std::size_t begin, std::size_t end) {
    if (end <= begin) return -1.0;
    double s = 0.0;
    for (std::size_t i = begin; i < end; ++i) s += v[i];
    return s / static_cast<double>(end - begin);
}

void score(const Matrix& e, const Layout& L, Row& row) {
    row.dim = e.cols;
    std::vector<int> idx;
    auto range = [&](int b, int n) {
        idx.resize(n);
        for (int i = 0; i < n; ++i) idx[i] = b + i;
        return select_rows(e, idx);
    };
    if (L.fashion > 0) row.fashion = fashion_map10(range(0, L.fashion), L.labels);
    if (L.originals > 0 && L.queries > 0) {
        row.nd = neardup_recall1(range(L.fashion, L.originals), range(L.fashion + L.originals, L.queries));
        row.has_nd = true;
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
    if (L.originals > 0 && L.queries > 0) {
        const Matrix o = range(L.fashion, L.originals), q = range(L.fashion + L.originals, L.queries);
        const auto w = Whitening::learn(stack(o, q), shrink, keep_dims);
        row.nd = neardup_recall1(w.apply(o), w.apply(q));
        row.dim = w.out_dim();
    }
    return row;
}

std::pair<double, double> row_agreement(const Matrix& a, const Matrix& b) {
    double sum = 0.0, lo = 1.0;
    for (int i = 0; i < a.rows; ++i) {
        double d = 0.0;
        for (int j = 0; j < a.cols; ++j) d += static_cast<double>(a.row(i)[j]) * b.row(i)[j];
        sum += d;
        lo = std::min(lo, d);
    }
    return {a.rows ? sum / a.rows : 0.0, lo};
}

void print_table(const std::vector<Row>& rows, bool with_ms) {
    std::printf("| model | descriptor | post | dim |%s Fashion mAP@10 | near-dup R@1 mean |", with_ms ? " ms/img |" : "");
    for (int a = 0; a < kAugCount; ++a) std::printf(" %s |", aug_name(static_cast<Aug>(a)));
    std::printf("\n|---|---|---|--:|%s--:|--:|", with_ms ? "--:|" : "");
    for (int a = 0; a < kAugCount; ++a) std::printf("--:|");
    std::printf("\n");
    for (const auto& r : rows) {
        std::printf("| %s | %s | %s | %d |", r.model.c_str(), r.descriptor.c_str(), r.post.empty() ? "-" : r.post.c_str(),
                    r.dim);
        if (with_ms) {
            if (r.ms < 0) std::printf(" - |");
            else std::printf(" %.1f |", r.ms);
        }
        std::printf(" %s | %s |", fmt(r.fashion).c_str(), r.has_nd ? fmt(r.nd.mean).c_str() : "-");
        for (int a = 0; a < kAugCount; ++a) std::printf(" %s |", r.has_nd ? fmt(r.nd.per_aug[a]).c_str() : "-");
        std::printf("\n");
    }
    std::fflush(stdout);
}

void log_row(const Row& r) {
    char ms[32] = "-";
    if (r.ms >= 0) std::snprintf(ms, sizeof ms, "%.1f", r.ms);
    std::fprintf(stderr, "  %-22s %-32s %-8s dim %4d  ms %6s  fashion %s  near-dup %s\n", r.model.c_str(),
                 r.descriptor.c_str(), r.post.c_str(), r.dim, ms, fmt(r.fashion).c_str(),
                 r.has_nd ? fmt(r.nd.mean).c_str() : "-");
}

}  // namespace rvbench
