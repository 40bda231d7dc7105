// LowRankAdapter and AdapterStack (Adapter.h): applying y = normalize(x + (alpha/r) B A x).
// Rows go through in blocks as two small GEMMs on the run-time chosen SIMD kernels
// (H = X A^T, then Z = H (s B^T) + X), so 100k rows of 576 floats take a fraction of a second.
#include "ruvision/engine/Adapter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "learning/Random.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

constexpr std::size_t kBlockRows = 256;  // rows per GEMM block: X block + Z block stay in L2

bool sizes_ok(const LowRankAdapter& ad) {
    if (ad.rank == 0) return ad.dim >= 0 && ad.a.empty() && ad.b.empty();
    if (ad.dim <= 0 || ad.rank < 0) return false;
    const std::size_t n = static_cast<std::size_t>(ad.dim) * static_cast<std::size_t>(ad.rank);
    return ad.a.size() == n && ad.b.size() == n;
}

// The adapter's matrices laid out for the kernels' row-major gemm: A^T (d x r) and s B^T (r x d).
struct GemmOperands {
    std::vector<float> at, sbt;
    explicit GemmOperands(const LowRankAdapter& ad) {
        const std::size_t d = static_cast<std::size_t>(ad.dim), r = static_cast<std::size_t>(ad.rank);
        const float s = ad.alpha / static_cast<float>(ad.rank);
        at.resize(d * r);
        sbt.resize(r * d);
        for (std::size_t k = 0; k < r; ++k)
            for (std::size_t j = 0; j < d; ++j) {
                at[j * r + k] = ad.a[k * d + j];
                sbt[k * d + j] = s * ad.b[j * r + k];
            }
    }
};

}  // namespace

LowRankAdapter LowRankAdapter::initial(int dim, int rank, float alpha, std::uint64_t seed) {
    LowRankAdapter ad;
    if (dim <= 0 || rank <= 0) return ad;
    ad.dim = dim;
    ad.rank = rank;
    ad.alpha = alpha;
    const std::size_t n = static_cast<std::size_t>(dim) * static_cast<std::size_t>(rank);
    ad.a.resize(n);
    ad.b.assign(n, 0.0f);
    learning::SplitMix64 rng(seed);
    const double sd = 1.0 / std::sqrt(static_cast<double>(dim));
    for (auto& v : ad.a) v = static_cast<float>(rng.normal() * sd);
    return ad;
}

bool LowRankAdapter::valid() const {
    if (!sizes_ok(*this) || !std::isfinite(alpha)) return false;
    const auto finite = [](float v) { return std::isfinite(v); };
    return std::all_of(a.begin(), a.end(), finite) && std::all_of(b.begin(), b.end(), finite);
}

void LowRankAdapter::apply(const float* x, float* y) const { apply_rows(x, y, 1); }

void LowRankAdapter::apply_rows(const float* x, float* y, std::size_t n) const {
    const std::size_t d = static_cast<std::size_t>(std::max(dim, 0));
    if (n == 0 || d == 0) return;
    if (empty() || !sizes_ok(*this)) {  // contract: empty copies; malformed sizes never index out of range
        std::memcpy(y, x, n * d * sizeof(float));
        return;
    }
    const auto& k = kernels::kernels();
    const GemmOperands ops(*this);
    const int r = rank;
    std::vector<float> h(kBlockRows * static_cast<std::size_t>(r));
    for (std::size_t start = 0; start < n; start += kBlockRows) {
        const std::size_t rows = std::min(kBlockRows, n - start);
        const float* xb = x + start * d;
        float* yb = y + start * d;
        k.gemm(static_cast<int>(rows), r, dim, xb, ops.at.data(), nullptr, h.data(), kernels::Activation::None);
        k.gemm(static_cast<int>(rows), dim, r, h.data(), ops.sbt.data(), nullptr, yb, kernels::Activation::None);
        k.add(yb, xb, yb, rows * d, kernels::Activation::None);
        for (std::size_t i = 0; i < rows; ++i) k.l2_normalize(yb + i * d, d);
    }
}

void AdapterStack::apply(const float* x, float* y, int dim) const { apply_rows(x, y, 1, dim); }

void AdapterStack::apply_rows(const float* x, float* y, std::size_t n, int dim) const {
    const std::size_t d = static_cast<std::size_t>(std::max(dim, 0));
    if (n == 0 || d == 0) return;
    // An adapter made for another dimension is not applied (contract in Adapter.h).
    const bool use_base = !base.empty() && base.dim == dim;
    const bool use_fast = !fast.empty() && fast.dim == dim;
    if (!use_base && !use_fast) {
        std::memcpy(y, x, n * d * sizeof(float));
    } else if (!use_fast) {
        base.apply_rows(x, y, n);
    } else if (!use_base) {
        fast.apply_rows(x, y, n);
    } else {
        std::vector<float> mid(std::min(n, kBlockRows) * d);
        for (std::size_t start = 0; start < n; start += kBlockRows) {
            const std::size_t rows = std::min(kBlockRows, n - start);
            base.apply_rows(x + start * d, mid.data(), rows);
            fast.apply_rows(mid.data(), y + start * d, rows);
        }
    }
}

}  // namespace rv
