// Shared by the kernel tests (test_kernels, test_kernels_vector, test_kernels_dispatch): the
// comparison tolerance, deterministic inputs, NaN-filled outputs fenced by canaries, the optimised
// tables under test and EXPECT_MATCHES, which fails a test when an optimised kernel's output
// differs from the scalar reference or was written past its ends.
#pragma once

#include "ruvision/kernels/kernels.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <type_traits>
#include <vector>

namespace kernel_test {

using namespace rv::kernels;

// Tolerance: |got - ref| <= kTol * (1 + |ref|).
// Optimised kernels sum in another order (register blocks, split partial sums, FMA instead of
// mul+add) and gem_pool uses a polynomial exp/log, so results differ from the reference by float
// rounding: for the largest reductions here (K <= 825 terms in [-1, 1]) that is ~1e-5 absolute at
// worst in practice (random-walk growth, sqrt(K) * 2^-24 * |partial sums|), and a few ulp (~1e-7
// relative) for element-wise work. 1e-4, absolute near zero and relative for large values, keeps a
// 10x margin above that while a real bug (one missing or misplaced tap or k term moves an output
// by ~|a*b| ~ 0.1 .. 1) is 1000x above it. NaN never compares close.
inline constexpr float kTol = 1e-4f;
inline constexpr float kCanary = -7777.0f;
inline const float kNaN = std::numeric_limits<float>::quiet_NaN();

inline constexpr Activation kActivations[] = {Activation::None, Activation::Relu, Activation::Relu6,
                                       Activation::HardSwish, Activation::HardSigmoid, Activation::Sigmoid,
                                       Activation::Swish};

inline const char* act_name(Activation a) {
    switch (a) {
    case Activation::None: return "none";
    case Activation::Relu: return "relu";
    case Activation::Relu6: return "relu6";
    case Activation::HardSwish: return "hardswish";
    case Activation::HardSigmoid: return "hardsigmoid";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Swish: return "swish";
    }
    return "?";
}

inline bool close(float got, float ref) {
    return std::fabs(got - ref) <= kTol * (1.0f + std::fabs(ref));
}

// A deterministic xorshift32 stream of 32-bit words, one per seed.
class RandomBits {
public:
    explicit RandomBits(std::uint32_t seed, std::uint32_t salt = 12345u) : s_(seed * 2654435761u + salt) {}
    std::uint32_t next() {
        s_ ^= s_ << 13;
        s_ ^= s_ >> 17;
        s_ ^= s_ << 5;
        return s_;
    }

private:
    std::uint32_t s_;
};

// Deterministic uniform floats in [lo, hi).
inline std::vector<float> random_floats(std::size_t n, std::uint32_t seed, float lo = -1.0f,
                                        float hi = 1.0f) {
    std::vector<float> v(n);
    RandomBits bits(seed);
    for (float& x : v) x = lo + (hi - lo) * float(bits.next() >> 8) / float(1u << 24);
    return v;
}

// Deterministic integers in [lo, hi] (nearly uniform: the modulo bias is below 2^-24).
inline std::vector<int> random_ints(std::size_t n, std::uint32_t seed, int lo, int hi) {
    std::vector<int> v(n);
    RandomBits bits(seed, 777u);
    for (int& x : v) x = lo + int(bits.next() % std::uint32_t(hi - lo + 1));
    return v;
}

// An output buffer of n values fenced by canaries on both sides; float buffers start as NaN so an
// unwritten element never compares close. (FencedOf<std::uint8_t> serves the int8 kernels.)
template <class T>
class FencedOf {
public:
    static constexpr T kFenceValue = std::is_floating_point_v<T> ? T(kCanary) : T(0xA5);
    explicit FencedOf(std::size_t n, T fill = default_fill()) : n_(n) {
        // Built piece by piece: std::fill over data() trips GCC 12's -Wstringop-overflow on uint8.
        v_.reserve(n + 2 * kGuard);
        v_.insert(v_.end(), kGuard, kFenceValue);
        v_.insert(v_.end(), n, fill);
        v_.insert(v_.end(), kGuard, kFenceValue);
    }
    FencedOf(const std::vector<T>& init) : FencedOf(init.size()) {
        std::copy(init.begin(), init.end(), data());
    }
    T* data() { return v_.data() + kGuard; }
    const T* data() const { return v_.data() + kGuard; }
    std::size_t size() const { return n_; }
    bool fences_intact() const {
        for (std::size_t i = 0; i < kGuard; ++i) {
            if (v_[i] != kFenceValue || v_[kGuard + n_ + i] != kFenceValue) return false;
        }
        return true;
    }

private:
    static constexpr T default_fill() {
        if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::quiet_NaN();
        return T(0x5A);
    }
    static constexpr std::size_t kGuard = 64;
    std::vector<T> v_;
    std::size_t n_;
};
using Fenced = FencedOf<float>;

// Empty if got matches ref within kTol, else where and how it first differs.
inline QString mismatch(const float* got, const float* ref, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (!close(got[i], ref[i])) {
            return QString::asprintf("index %zu of %zu: got %.9g, reference %.9g", i, n,
                                     double(got[i]), double(ref[i]));
        }
    }
    return {};
}

inline QString isa_str(Isa isa) {
    return QString::fromLatin1(isa_name(isa).data(), int(isa_name(isa).size()));
}

// The optimised tables under test: every available ISA except the scalar reference itself.
inline std::vector<const KernelTable*> optimised_tables() {
    std::vector<const KernelTable*> tables;
    for (Isa isa : available_isas()) {
        if (isa != Isa::Scalar) tables.push_back(kernels_for(isa));
    }
    return tables;
}

inline std::map<Isa, int>& checks_per_isa() {
    static std::map<Isa, int> counts;
    return counts;
}

// Fails the current test (from inside its body) if `out` differs from `ref` or broke its fences.
#define EXPECT_MATCHES(table, what, out, ref)                                                      \
    do {                                                                                           \
        const QString where_ = kernel_test::isa_str((table).isa) + QStringLiteral(" ") + (what) +  \
                               QStringLiteral(": ");                                               \
        if (!(out).fences_intact())                                                                \
            QFAIL(qPrintable(where_ + QStringLiteral("wrote outside its output")));                \
        const QString diff_ = kernel_test::mismatch((out).data(), (ref).data(), (ref).size());     \
        if (!diff_.isEmpty()) QFAIL(qPrintable(where_ + diff_));                                   \
        ++kernel_test::checks_per_isa()[(table).isa];                                              \
    } while (0)

inline const KernelTable& scalar() {
    return *kernels_for(Isa::Scalar);
}

// For initTestCase: which ISAs run, and which one kernels() chose.
inline void log_isas() {
    QStringList names;
    for (Isa isa : available_isas()) names << isa_str(isa);
    qInfo().noquote() << "kernel ISAs exercised:" << names.join(QStringLiteral(", "))
                      << "| kernels() uses" << isa_str(kernels().isa)
                      << "| RUVISION_ISA=" << qEnvironmentVariable("RUVISION_ISA");
}

// For cleanupTestCase: how many output comparisons each ISA passed.
inline void log_checks() {
    for (const auto& [isa, n] : checks_per_isa()) {
        qInfo().noquote() << isa_str(isa) << "passed" << n << "output comparisons";
    }
}

}  // namespace kernel_test
