#include "retrieval/evaluate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

namespace rvbench {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {

// Embeds `img` as row i of `out`, its time in ms[i]. A failed embedding leaves the row at zero
// (scored as matching nothing) and says so, naming the image as `what` i.
void embed_row(rv::Embedder& e, const rv::RgbImage& img, std::size_t i, const char* what, Matrix& out,
               std::vector<double>& ms) {
    const double t0 = now_s();
    const auto v = e.embed(img);
    ms[i] = (now_s() - t0) * 1e3;
    if (v) std::copy(v->begin(), v->end(), out.row(static_cast<int>(i)));
    else std::fprintf(stderr, "%s %zu: %s\n", what, i, v.error().message.c_str());
}

// Calls one(embedder, i) for every i in [0, count), on `proto` and threads - 1 clones of it, each i
// once; joined before it returns.
void for_each_on_clones(rv::Embedder& proto, std::size_t count, int threads,
                        const std::function<void(rv::Embedder&, std::size_t)>& one) {
    std::atomic<std::size_t> next{0};
    auto work = [&](rv::Embedder* e) {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) one(*e, i);
    };
    std::vector<std::unique_ptr<rv::Embedder>> clones;
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) clones.push_back(proto.clone());
    for (auto& c : clones) pool.emplace_back(work, c.get());
    work(&proto);
    for (auto& t : pool) t.join();
}

}  // namespace

Matrix embed_all(rv::Embedder& proto, const std::vector<const rv::RgbImage*>& images, int threads,
                 std::vector<double>& ms) {
    Matrix out(static_cast<int>(images.size()), proto.dim());
    ms.assign(images.size(), 0.0);
    for_each_on_clones(proto, images.size(), threads,
                       [&](rv::Embedder& e, std::size_t i) { embed_row(e, *images[i], i, "image", out, ms); });
    return out;
}

Matrix embed_generated(rv::Embedder& proto, int count, const std::function<rv::RgbImage(int)>& make, int threads,
                       std::vector<double>& ms) {
    Matrix out(count, proto.dim());
    ms.assign(static_cast<std::size_t>(count), 0.0);
    for_each_on_clones(proto, static_cast<std::size_t>(count), threads, [&](rv::Embedder& e, std::size_t i) {
        embed_row(e, make(static_cast<int>(i)), i, "generated image", out, ms);
    });
    return out;
}

double mean_of(const std::vector<double>& v, std::size_t begin, std::size_t end) {
    if (end <= begin) return -1.0;
    double s = 0.0;
    for (std::size_t i = begin; i < end; ++i) s += v[i];
    return s / static_cast<double>(end - begin);
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

}  // namespace rvbench
