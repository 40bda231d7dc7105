// The training losses of the adapter y = normalize(x + s B A x), s = alpha / r, forward and analytic
// backward, on one step's rows. Templated on the scalar: float trains, double checks the gradients
// against finite differences (test_adapter_gradients).
//
// The losses, on adapted unit vectors (cos = y_i . y_j; a row whose z is 0 has y = 0):
//  - pair contrastive: alike 1 - cos; different max(0, cos - margin)^2 (squared hinge: smooth at
//    the margin, and a pair far past the margin pushes harder than one just past it);
//  - triplet: max(0, cos(anchor, negative) - cos(anchor, positive) + triplet_margin) (hinge);
//  - InfoNCE: -log( exp(cos(a,p)/t) / (exp(cos(a,p)/t) + sum_n exp(cos(a,n)/t)) ), t the temperature.
// The step's loss is the sum over the switched-on kinds of the mean of that kind's terms.
//
// Backward: dL/dy from the terms; dL/dz = (g - y (y.g)) / |z| (zero when |z| = 0); with H = X A^T,
// dL/dB = s dZ^T H, dL/dH = s dZ B, dL/dA = dH^T X. All as small GEMMs over the step's rows.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "learning/LinAlg.h"
#include "ruvision/engine/AdapterTraining.h"

namespace rv::learning {

struct LossConfig {
    LossSwitches losses;
    double margin = 0.5;
    double triplet_margin = 0.1;
    double temperature = 0.1;
};

// One step's terms over `rows` local rows (indices into the step's row block X, rows x dim).
struct LossBatch {
    struct Pair {
        std::uint32_t i = 0, j = 0;
        bool alike = true;
    };
    struct Triplet {
        std::uint32_t anchor = 0, positive = 0, negative = 0;
    };
    struct Nce {
        std::uint32_t anchor = 0, positive = 0;
        std::vector<std::uint32_t> negatives;  // an Nce without negatives contributes nothing
    };
    std::size_t rows = 0;
    std::vector<Pair> pairs;
    std::vector<Triplet> triplets;
    std::vector<Nce> nce;
};

// Parameters in the adapter's layout: a r x d, b d x r, row-major; scale = alpha / r.
template <class T>
struct AdapterParams {
    int dim = 0, rank = 0;
    T scale = 1;
    const T* a = nullptr;
    const T* b = nullptr;
};

// Scratch reused between steps (grows to the largest step; owned by one thread).
template <class T>
struct LossWorkspace {
    std::vector<T> at, sbt, h, z, norm, g, dz, dzt, dh, dht;
};

// Loss of `batch` for adapter `p` on rows X (batch.rows x p.dim). When grad_b is not null it
// receives (overwritten) dL/dB (d x r), and grad_a, when not null too, dL/dA (r x d).
template <class T>
T batch_loss(const AdapterParams<T>& p, const T* X, const LossBatch& batch, const LossConfig& cfg, T* grad_a,
             T* grad_b, LossWorkspace<T>& ws) {
    const std::size_t d = static_cast<std::size_t>(p.dim), r = static_cast<std::size_t>(p.rank);
    const std::size_t m = batch.rows;
    const int M = static_cast<int>(m), D = p.dim, R = p.rank;
    const bool want_grad = grad_b != nullptr;
    if (want_grad)
        for (std::size_t i = 0; i < r * d; ++i) grad_b[i] = T(0);
    if (grad_a != nullptr)
        for (std::size_t i = 0; i < r * d; ++i) grad_a[i] = T(0);
    if (m == 0 || d == 0 || r == 0) return T(0);

    // Forward: H = X A^T, Z = X + H (s B^T), y = z / |z|.
    ws.at.resize(d * r);
    ws.sbt.resize(r * d);
    transpose(p.a, r, d, ws.at.data());
    transpose(p.b, d, r, ws.sbt.data());
    for (auto& v : ws.sbt) v *= p.scale;
    ws.h.resize(m * r);
    ws.z.resize(m * d);
    ws.norm.resize(m);
    gemm(M, R, D, X, ws.at.data(), ws.h.data());
    gemm(M, D, R, ws.h.data(), ws.sbt.data(), ws.z.data());
    for (std::size_t i = 0; i < m * d; ++i) ws.z[i] += X[i];
    for (std::size_t i = 0; i < m; ++i) {
        T* zi = ws.z.data() + i * d;
        const T n = std::sqrt(dot(zi, zi, d));
        ws.norm[i] = n;
        const T inv = n > T(0) ? T(1) / n : T(0);
        for (std::size_t j = 0; j < d; ++j) zi[j] *= inv;  // z now holds y
    }
    const T* Y = ws.z.data();
    auto y = [&](std::uint32_t i) { return Y + static_cast<std::size_t>(i) * d; };
    auto cosine = [&](std::uint32_t i, std::uint32_t j) { return dot(y(i), y(j), d); };

    // dL/dy, accumulated per row.
    ws.g.assign(m * d, T(0));
    auto push = [&](std::uint32_t to, std::uint32_t from, T w) {  // g_to += w y_from
        if (!want_grad || w == T(0)) return;
        T* gt = ws.g.data() + static_cast<std::size_t>(to) * d;
        const T* yf = y(from);
        for (std::size_t j = 0; j < d; ++j) gt[j] += w * yf[j];
    };
    auto push_cos = [&](std::uint32_t i, std::uint32_t j, T dcos) {  // d cos(i,j) = y_j dy_i + y_i dy_j
        push(i, j, dcos);
        push(j, i, dcos);
    };

    T loss = 0;
    if (cfg.losses.contrastive && !batch.pairs.empty()) {
        const T w = T(1) / static_cast<T>(batch.pairs.size());
        const T margin = static_cast<T>(cfg.margin);
        T sum = 0;
        for (const auto& pr : batch.pairs) {
            const T c = cosine(pr.i, pr.j);
            if (pr.alike) {
                sum += T(1) - c;
                push_cos(pr.i, pr.j, -w);
            } else if (c > margin) {
                sum += (c - margin) * (c - margin);
                push_cos(pr.i, pr.j, w * T(2) * (c - margin));
            }
        }
        loss += w * sum;
    }
    if (cfg.losses.triplet && !batch.triplets.empty()) {
        const T w = T(1) / static_cast<T>(batch.triplets.size());
        const T margin = static_cast<T>(cfg.triplet_margin);
        T sum = 0;
        for (const auto& t : batch.triplets) {
            const T v = cosine(t.anchor, t.negative) - cosine(t.anchor, t.positive) + margin;
            if (v > T(0)) {
                sum += v;
                push_cos(t.anchor, t.negative, w);
                push_cos(t.anchor, t.positive, -w);
            }
        }
        loss += w * sum;
    }
    if (cfg.losses.infonce && !batch.nce.empty()) {
        std::size_t terms = 0;
        for (const auto& e : batch.nce) terms += e.negatives.empty() ? 0 : 1;
        if (terms > 0) {
            const T w = T(1) / static_cast<T>(terms);
            const T inv_t = T(1) / static_cast<T>(cfg.temperature);
            std::vector<T> logits;
            T sum = 0;
            for (const auto& e : batch.nce) {
                if (e.negatives.empty()) continue;
                const std::size_t k = e.negatives.size() + 1;
                logits.resize(k);
                logits[0] = cosine(e.anchor, e.positive) * inv_t;
                T top = logits[0];
                for (std::size_t q = 1; q < k; ++q) {
                    logits[q] = cosine(e.anchor, e.negatives[q - 1]) * inv_t;
                    top = std::max(top, logits[q]);
                }
                T z = 0;
                for (auto& l : logits) z += std::exp(l - top);
                sum += top + std::log(z) - logits[0];
                // dL/dlogit_q = softmax_q - [q == 0]; dlogit/dcos = 1/t.
                push_cos(e.anchor, e.positive, w * inv_t * (std::exp(logits[0] - top) / z - T(1)));
                for (std::size_t q = 1; q < k; ++q)
                    push_cos(e.anchor, e.negatives[q - 1], w * inv_t * std::exp(logits[q] - top) / z);
            }
            loss += w * sum;
        }
    }
    if (!want_grad) return loss;

    // Backward through the normalisation: dz = (g - y (y.g)) / |z|.
    ws.dz.resize(m * d);
    for (std::size_t i = 0; i < m; ++i) {
        const T* gi = ws.g.data() + i * d;
        const T* yi = Y + i * d;
        T* dzi = ws.dz.data() + i * d;
        if (!(ws.norm[i] > T(0))) {
            for (std::size_t j = 0; j < d; ++j) dzi[j] = T(0);
            continue;
        }
        const T yg = dot(yi, gi, d), inv = T(1) / ws.norm[i];
        for (std::size_t j = 0; j < d; ++j) dzi[j] = (gi[j] - yi[j] * yg) * inv;
    }
    // dB = s dZ^T H (d x r); dH = s dZ B (m x r); dA = dH^T X (r x d).
    ws.dzt.resize(d * m);
    transpose(ws.dz.data(), m, d, ws.dzt.data());
    gemm(D, R, M, ws.dzt.data(), ws.h.data(), grad_b);
    for (std::size_t i = 0; i < d * r; ++i) grad_b[i] *= p.scale;
    if (grad_a == nullptr) return loss;
    ws.dh.resize(m * r);
    gemm(M, R, D, ws.dz.data(), p.b, ws.dh.data());
    for (auto& v : ws.dh) v *= p.scale;
    ws.dht.resize(r * m);
    transpose(ws.dh.data(), m, r, ws.dht.data());
    gemm(R, D, M, ws.dht.data(), X, grad_a);
    return loss;
}

// Online EWC's penalty lambda/2 sum_i F_i (theta_i - star_i)^2 over n parameters; adds its
// gradient lambda F_i (theta_i - star_i) to grad when grad is not null.
template <class T>
T ewc_penalty(const T* theta, const T* star, const T* fisher, std::size_t n, T lambda, T* grad) {
    T sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const T diff = theta[i] - star[i];
        sum += fisher[i] * diff * diff;
        if (grad != nullptr) grad[i] += lambda * fisher[i] * diff;
    }
    return T(0.5) * lambda * sum;
}

}  // namespace rv::learning
